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

Json money_json(const std::vector<Money>& amounts) {
  Json out = Json::array();
  for (const Money& m : amounts) out.push_back(Json{{"amount", m.format_amount()}, {"currency", m.currency().code()}});
  return out;
}

Json figures_json(const FunnelFigures& f) {
  Json j;
  j["deals"] = f.deals;
  j["won"] = f.won;
  j["lost"] = f.lost;
  j["open"] = f.open;
  j["without_history"] = f.without_history;
  j["win_rate"] = rate_value(f.win_rate);
  j["win_rate_interval"] = interval_json(f.win_rate);
  j["won_of_created"] = rate_value(f.won_of_created);
  j["won_of_created_interval"] = interval_json(f.won_of_created);
  j["won_amount"] = money_json(f.won_amount);
  j["lost_amount"] = money_json(f.lost_amount);
  j["open_amount"] = money_json(f.open_amount);
  Json stages = Json::array();
  for (const auto& s : f.stages) {
    stages.push_back(Json{{"id", s.id},
                          {"name", s.name},
                          {"reached", s.reached},
                          {"step_conversion", rate_value(s.step_conversion)},
                          {"step_conversion_interval", interval_json(s.step_conversion)},
                          {"cumulative_conversion", rate_value(s.cumulative_conversion)},
                          {"cumulative_conversion_interval", interval_json(s.cumulative_conversion)},
                          {"amount", money_json(s.amount)}});
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

}  // namespace

Json funnel_to_json(const FunnelReport& report, const Pipeline& pipeline) {
  const FunnelDefinition& d = report.definition;
  Json j = figures_json(report.total);
  Json def;
  def["rule"] = to_string(d.rule);
  def["rule_text"] = d.rule_text;
  def["basis"] = to_string(d.basis);
  def["basis_text"] = d.basis_text;
  def["from"] = d.from ? Json(format_iso(*d.from)) : Json(nullptr);
  def["to"] = d.to ? Json(format_iso(*d.to)) : Json(nullptr);
  def["as_of"] = format_iso(d.as_of);
  def["denominator"] = d.denominator_text;
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
      const Json figures = figures_json(g.figures);  // keep alive while iterating
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
      "rule,basis,group_by,group,stage,name,reached,step_conversion,step_conversion_low,step_conversion_high,"
      "cumulative_conversion,cumulative_conversion_low,cumulative_conversion_high,amount,deals,won,lost,open,"
      "win_rate,win_rate_low,win_rate_high,won_amount,lost_amount\n";
  auto rows = [&](const std::string& group, const FunnelFigures& f) {
    for (const auto& s : f.stages) {
      const auto lo = [](const Rate& r) { return r.interval ? std::optional<double>(r.interval->low) : std::nullopt; };
      const auto hi = [](const Rate& r) { return r.interval ? std::optional<double>(r.interval->high) : std::nullopt; };
      out += std::string(to_string(d.rule)) + "," + std::string(to_string(d.basis)) + "," + csv_escape(d.group_by) +
             "," + csv_escape(group) + "," + csv_escape(s.id) + "," + csv_escape(s.name) + "," +
             std::to_string(s.reached) + "," + number_csv(s.step_conversion.value) + "," +
             number_csv(lo(s.step_conversion)) + "," + number_csv(hi(s.step_conversion)) + "," +
             number_csv(s.cumulative_conversion.value) + "," + number_csv(lo(s.cumulative_conversion)) + "," +
             number_csv(hi(s.cumulative_conversion)) + "," + csv_escape(money_csv(s.amount)) + "," +
             std::to_string(f.deals) + "," + std::to_string(f.won) + "," + std::to_string(f.lost) + "," +
             std::to_string(f.open) + "," + number_csv(f.win_rate.value) + "," + number_csv(lo(f.win_rate)) + "," +
             number_csv(hi(f.win_rate)) + "," + csv_escape(money_csv(f.won_amount)) + "," +
             csv_escape(money_csv(f.lost_amount)) + "\n";
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
  out += "\nwin rate (won/(won+lost)) " + percent(f.win_rate.value) + " [" + interval_text(f.win_rate) + "]" +
         ", won of created (won/deals) " + percent(f.won_of_created.value) + " [" + interval_text(f.won_of_created) +
         "]\n";
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
    for (const char* h : {"won", "lost", "open", "win rate", "won amount"}) {
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
      row.push_back(money_text(g.figures.won_amount));
      t.add_row(std::move(row));
    }
    out += t.render();
  }
  out += "\n" + d.summary() + "\n";
  return out;
}

}  // namespace dealflow::analytics
