#include "dealflow/analytics/funnel_output.h"

#include <cstdio>

#include "dealflow/io/csv.h"
#include "dealflow/io/table.h"

namespace dealflow::analytics {
namespace {

Json rate_value(const Rate& r) { return r.value ? Json(*r.value) : Json(nullptr); }

Json interval_json(const Rate& r) {
  if (!r.interval) return nullptr;
  return Json{{"low", r.interval->low}, {"high", r.interval->high}};
}

// `name`, `name_interval`, `name_numerator`, `name_denominator`; all null when
// the rate does not apply (first stage's step, snapshot, won_of_created on the
// closed basis).
void put_rate(Json& j, const std::string& name, const Rate* r) {
  j[name] = r ? rate_value(*r) : Json(nullptr);
  j[name + "_interval"] = r ? interval_json(*r) : Json(nullptr);
  j[name + "_numerator"] = r ? Json(r->numerator) : Json(nullptr);
  j[name + "_denominator"] = r ? Json(r->denominator) : Json(nullptr);
}

Json money_json(const std::vector<Money>& amounts) {
  Json out = Json::array();
  for (const Money& m : amounts) out.push_back(Json{{"amount", m.format_amount()}, {"currency", m.currency().code()}});
  return out;
}

Json amount_rates_json(const std::vector<AmountRate>& rates) {
  Json out = Json::array();
  for (const AmountRate& r : rates) {
    out.push_back(Json{{"currency", r.numerator.currency().code()},
                       {"value", r.value ? Json(*r.value) : Json(nullptr)},
                       {"numerator", r.numerator.format_amount()},
                       {"denominator", r.denominator.format_amount()}});
  }
  return out;
}

Json figures_json(const FunnelFigures& f, bool snapshot) {
  Json j;
  j["deals"] = f.deals;
  j["won"] = f.won;
  j["lost"] = f.lost;
  j["open"] = f.open;
  j["without_history"] = f.without_history;
  put_rate(j, "win_rate", &f.win_rate);
  j["win_rate_by_amount"] = amount_rates_json(f.win_rate_by_amount);
  put_rate(j, "won_of_created", f.won_of_created ? &*f.won_of_created : nullptr);
  j["won_amount"] = money_json(f.won_amount);
  j["lost_amount"] = money_json(f.lost_amount);
  j["open_amount"] = money_json(f.open_amount);
  Json stages = Json::array();
  for (std::size_t k = 0; k < f.stages.size(); ++k) {
    const FunnelStageRow& s = f.stages[k];
    Json row{{"id", s.id}, {"name", s.name}, {"reached", s.reached}};
    put_rate(row, "step_conversion", snapshot || k == 0 ? nullptr : &s.step_conversion);
    put_rate(row, "cumulative_conversion", snapshot ? nullptr : &s.cumulative_conversion);
    row["amount"] = money_json(s.amount);
    stages.push_back(std::move(row));
  }
  j["stages"] = std::move(stages);
  Json lost_from = Json::array();
  for (const auto& r : f.lost_from) {
    Json reasons = Json::array();
    for (const auto& [reason, count] : r.reasons) {
      reasons.push_back(Json{{"reason", reason.empty() ? Json(nullptr) : Json(reason)}, {"count", count}});
    }
    lost_from.push_back(Json{{"stage", r.stage ? Json(r.id) : Json(nullptr)},
                             {"name", r.stage ? Json(r.name) : Json(nullptr)},
                             {"count", r.count},
                             {"amount", money_json(r.amount)},
                             {"reasons", std::move(reasons)}});
  }
  j["lost_from"] = std::move(lost_from);
  Json lost_to = Json::array();
  for (const auto& r : f.lost_to) lost_to.push_back(Json{{"stage", r.id}, {"name", r.name}, {"count", r.count}});
  j["lost_to"] = std::move(lost_to);
  return j;
}

std::string percent(const std::optional<double>& v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", *v * 100.0);
  return buf;
}

std::string interval_text(const Rate& r) {
  if (!r.interval) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f–%.1f%%", r.interval->low * 100.0, r.interval->high * 100.0);
  return buf;
}

std::string money_text(const std::vector<Money>& amounts) {
  if (amounts.empty()) return "-";
  std::string s;
  for (const Money& m : amounts) {
    s += (s.empty() ? "" : "; ") + m.format_amount(" ", ',') + " " + std::string(m.currency().code());
  }
  return s;
}

std::string money_csv(const std::vector<Money>& amounts) {
  std::string s;
  for (const Money& m : amounts) s += (s.empty() ? "" : ";") + m.to_string();
  return s;
}

std::string number_csv(const std::optional<double>& v) {
  if (!v) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", *v);
  return buf;
}

std::string iso_or(const std::optional<Instant>& t, const char* fallback) { return t ? format_iso(*t) : fallback; }

// "28.0% RUB; 100.0% USD", "-" when none.
std::string amount_rates_text(const std::vector<AmountRate>& rates) {
  std::string s;
  for (const AmountRate& r : rates) {
    s += (s.empty() ? "" : "; ") + percent(r.value) + " " + std::string(r.numerator.currency().code());
  }
  return s.empty() ? "-" : s;
}

// "RUB:0.280000;USD:1.000000"
std::string amount_rates_csv(const std::vector<AmountRate>& rates) {
  std::string s;
  for (const AmountRate& r : rates) {
    s += (s.empty() ? "" : ";") + std::string(r.numerator.currency().code()) + ":" + number_csv(r.value);
  }
  return s;
}

}  // namespace

Json funnel_to_json(const FunnelReport& report, const Pipeline& pipeline) {
  const FunnelDefinition& d = report.definition;
  const bool snapshot = d.rule == CountingRule::snapshot;
  Json j = figures_json(report.total, snapshot);
  Json def;
  def["rule"] = to_string(d.rule);
  def["rule_text"] = d.rule_text;
  def["basis"] = to_string(d.basis);
  def["basis_text"] = d.basis_text;
  def["from"] = d.from ? Json(format_iso(*d.from)) : Json(nullptr);
  def["to"] = d.to ? Json(format_iso(*d.to)) : Json(nullptr);
  def["as_of"] = format_iso(d.as_of);
  def["denominator"] = d.denominator_text;
  def["conversion"] = d.conversion.empty() ? Json(nullptr) : Json(d.conversion);
  def["reopened_deals"] = "count by their outcome as of the report instant";
  def["group_by"] = d.group_by.empty() ? Json(nullptr) : Json(d.group_by);
  Json out;
  out["pipeline"] = Json{{"id", pipeline.id()}, {"name", pipeline.name()}};
  out["definition"] = std::move(def);
  for (auto& [k, v] : j.items()) out[k] = v;
  if (!d.group_by.empty()) {
    Json groups = Json::array();
    for (const auto& g : report.groups) {
      Json item;
      item["key"] = g.key ? Json(*g.key) : Json(nullptr);
      const Json figures = figures_json(g.figures, snapshot);  // keep alive while iterating
      for (const auto& [k, v] : figures.items()) item[k] = v;
      groups.push_back(std::move(item));
    }
    out["groups"] = std::move(groups);
  }
  return out;
}

std::string funnel_to_csv(const FunnelReport& report) {
  const FunnelDefinition& d = report.definition;
  std::string out =
      "rule,basis,from,to,as_of,group_by,group,stage,name,reached,step_conversion,step_conversion_low,"
      "step_conversion_high,cumulative_conversion,cumulative_conversion_low,cumulative_conversion_high,amount,deals,"
      "won,lost,open,win_rate,win_rate_low,win_rate_high,win_rate_by_amount,won_of_created,won_amount,lost_amount\n";
  const std::string definition = std::string(to_string(d.rule)) + "," + std::string(to_string(d.basis)) + "," +
                                 iso_or(d.from, "") + "," + iso_or(d.to, "") + "," + format_iso(d.as_of) + "," +
                                 csv_escape(d.group_by);
  auto rows = [&](const std::string& group, const FunnelFigures& f) {
    for (const auto& s : f.stages) {
      const auto lo = [](const Rate& r) { return r.interval ? std::optional<double>(r.interval->low) : std::nullopt; };
      const auto hi = [](const Rate& r) { return r.interval ? std::optional<double>(r.interval->high) : std::nullopt; };
      out += definition + "," + csv_escape(group) + "," + csv_escape(s.id) + "," + csv_escape(s.name) + "," +
             std::to_string(s.reached) + "," + number_csv(s.step_conversion.value) + "," +
             number_csv(lo(s.step_conversion)) + "," + number_csv(hi(s.step_conversion)) + "," +
             number_csv(s.cumulative_conversion.value) + "," + number_csv(lo(s.cumulative_conversion)) + "," +
             number_csv(hi(s.cumulative_conversion)) + "," + csv_escape(money_csv(s.amount)) + "," +
             std::to_string(f.deals) + "," + std::to_string(f.won) + "," + std::to_string(f.lost) + "," +
             std::to_string(f.open) + "," + number_csv(f.win_rate.value) + "," + number_csv(lo(f.win_rate)) + "," +
             number_csv(hi(f.win_rate)) + "," + csv_escape(amount_rates_csv(f.win_rate_by_amount)) + "," +
             number_csv(f.won_of_created ? f.won_of_created->value : std::nullopt) + "," +
             csv_escape(money_csv(f.won_amount)) + "," + csv_escape(money_csv(f.lost_amount)) + "\n";
    }
  };
  rows("", report.total);
  for (const auto& g : report.groups) rows(g.key ? *g.key : "(none)", g.figures);
  return out;
}

std::string funnel_to_table(const FunnelReport& report, const Pipeline& pipeline) {
  const FunnelDefinition& d = report.definition;
  const FunnelFigures& f = report.total;
  const bool snapshot = d.rule == CountingRule::snapshot;
  std::string out = "Funnel: " + pipeline.name() + " (" + pipeline.id() + "), rule " + std::string(to_string(d.rule)) +
                    ", deals " + std::string(d.basis == FunnelBasis::created ? "created" : "closed") + " in [" +
                    iso_or(d.from, "-inf") + ", " + iso_or(d.to, "+inf") + "), as of " + format_iso(d.as_of) + "\n\n";
  {
    std::vector<std::string> header = {"stage", "name", snapshot ? "in stage" : "reached"};
    std::vector<Align> align = {Align::left, Align::left, Align::right};
    if (!snapshot) {
      for (const char* h : {"step", "step 95% CI", "cumulative", "cum. 95% CI"}) {
        header.emplace_back(h);
        align.push_back(Align::right);
      }
    }
    header.emplace_back("amount");
    align.push_back(Align::right);
    TextTable t(header, align);
    for (const auto& s : f.stages) {
      std::vector<std::string> row = {s.id, s.name, std::to_string(s.reached)};
      if (!snapshot) {
        row.push_back(percent(s.step_conversion.value));
        row.push_back(interval_text(s.step_conversion));
        row.push_back(percent(s.cumulative_conversion.value));
        row.push_back(interval_text(s.cumulative_conversion));
      }
      row.push_back(money_text(s.amount));
      t.add_row(std::move(row));
    }
    out += t.render();
  }
  out += "\ndeals " + std::to_string(f.deals) + ", won " + std::to_string(f.won) + ", lost " + std::to_string(f.lost) +
         ", open " + std::to_string(f.open);
  if (f.without_history) out += " (" + std::to_string(f.without_history) + " without history)";
  out += "\nwin rate (won/(won+lost) deals) " + percent(f.win_rate.value) + " [" + interval_text(f.win_rate) +
         "], by amount (won/(won+lost) amount) " + amount_rates_text(f.win_rate_by_amount);
  if (f.won_of_created) {
    out += ", won of created (won/deals) " + percent(f.won_of_created->value) + " [" +
           interval_text(*f.won_of_created) + "]";
  }
  out += "\n";
  out += "won amount " + money_text(f.won_amount) + ", lost amount " + money_text(f.lost_amount) + ", open amount " +
         money_text(f.open_amount) + "\n";
  if (!f.lost_from.empty()) {
    out += "\nlost, by the open stage they were lost from:\n";
    TextTable t({"lost from", "name", "lost", "amount", "reasons"},
                {Align::left, Align::left, Align::right, Align::right, Align::left});
    for (const auto& r : f.lost_from) {
      std::string reasons;
      for (const auto& [reason, count] : r.reasons) {
        reasons += (reasons.empty() ? "" : ", ") + (reason.empty() ? std::string("(none)") : reason) + " " +
                   std::to_string(count);
      }
      t.add_row({r.stage ? r.id : "(none)", r.stage ? r.name : "-", std::to_string(r.count), money_text(r.amount),
                 reasons});
    }
    out += t.render();
  }
  if (!f.lost_to.empty()) {
    out += "lost into: ";
    for (std::size_t i = 0; i < f.lost_to.size(); ++i) {
      out += (i ? ", " : "") + f.lost_to[i].id + " " + std::to_string(f.lost_to[i].count);
    }
    out += "\n";
  }
  if (!d.group_by.empty()) {
    out += "\nby " + d.group_by + ":\n";
    std::vector<std::string> header = {d.group_by, "deals"};
    std::vector<Align> align = {Align::left, Align::right};
    for (const auto& s : f.stages) {
      header.push_back(s.id);
      align.push_back(Align::right);
    }
    for (const char* h : {"won", "lost", "open", "win rate", "win rate by amount", "won amount"}) {
      header.emplace_back(h);
      align.push_back(Align::right);
    }
    TextTable t(header, align);
    for (const auto& g : report.groups) {
      std::vector<std::string> row = {g.key ? *g.key : "(none)", std::to_string(g.figures.deals)};
      for (const auto& s : g.figures.stages) row.push_back(std::to_string(s.reached));
      row.push_back(std::to_string(g.figures.won));
      row.push_back(std::to_string(g.figures.lost));
      row.push_back(std::to_string(g.figures.open));
      row.push_back(percent(g.figures.win_rate.value));
      row.push_back(amount_rates_text(g.figures.win_rate_by_amount));
      row.push_back(money_text(g.figures.won_amount));
      t.add_row(std::move(row));
    }
    out += t.render();
  }
  out += "\n" + d.summary() + "\n";
  return out;
}

}  // namespace dealflow::analytics
