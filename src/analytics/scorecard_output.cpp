// Output of `dealflow scorecard`: see dealflow/analytics/scorecard_output.h.
#include "dealflow/analytics/scorecard_output.h"

#include <cstdio>

#include "dealflow/io/csv.h"
#include "dealflow/io/table.h"
#include "analytics/output_text.h"

namespace dealflow::analytics {
namespace {

using detail::money_json;
using detail::money_text;
using detail::percent;

Json amounts_json(const ScorecardFigures& f) {
  Json out = Json::array();
  for (const auto& a : f.by_currency) {
    out.push_back(Json{{"currency", a.currency.code()},
                       {"won_with_amount", a.won_with_amount},
                       {"won_amount", a.won_amount.format_amount()},
                       {"average_won_amount", a.average_won_amount.format_amount()},
                       {"median_won_amount", a.median_won_amount.format_amount()}});
  }
  return out;
}

Json figures_json(const ScorecardFigures& f) {
  return Json{
      {"taken", f.taken},
      {"won", f.won},
      {"lost", f.lost},
      {"open", f.open},
      {"win_rate", f.win_rate ? Json(*f.win_rate) : Json(nullptr)},
      {"won_with_amount", f.won_with_amount},
      {"by_currency", amounts_json(f)},
      {"won_amount", money_json(f.won_amount)},
      {"average_won_amount", money_json(f.average_won_amount)},
      {"median_won_amount", money_json(f.median_won_amount)},
      {"median_cycle_seconds", f.median_cycle_seconds ? Json(*f.median_cycle_seconds) : Json(nullptr)}};
}

Json splits_json(const std::vector<ScorecardSplit>& splits) {
  Json out = Json::array();
  for (const auto& s : splits) {
    out.push_back(Json{{"key", s.key ? Json(*s.key) : Json(nullptr)},
                       {"current", figures_json(s.current)},
                       {"previous", figures_json(s.previous)}});
  }
  return out;
}

Json row_json(const ScorecardRow& r) {
  return Json{{"manager", r.manager ? Json(*r.manager) : Json(nullptr)},
              {"rank", r.rank ? Json(*r.rank) : Json(nullptr)},
              {"current", figures_json(r.current)},
              {"previous", figures_json(r.previous)},
              {"by_business", splits_json(r.by_business)},
              {"by_channel", splits_json(r.by_channel)}};
}

// One amount per currency: "1 000,00 MXN; 50,00 USD", "-" when none.
std::string amounts_text(const ScorecardFigures& f, Money ScorecardAmount::*member) {
  if (f.by_currency.empty()) return "-";
  std::string s;
  for (const auto& a : f.by_currency) s += (s.empty() ? "" : "; ") + money_text(a.*member);
  return s;
}

std::string days_text(const std::optional<std::int64_t>& seconds) {
  if (!seconds) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(*seconds) / 86400.0);
  return buf;
}

// Relative change of the won amount, for display only.
std::string change_text(const ScorecardFigures& cur, const ScorecardFigures& prev) {
  if (cur.by_currency.size() > 1 || prev.by_currency.size() > 1) return "-";
  if (cur.won_amount && prev.won_amount && !(cur.won_amount->currency() == prev.won_amount->currency()))
    return "-";
  const std::int64_t c = cur.won_amount ? cur.won_amount->minor_units() : 0;
  const std::int64_t p = prev.won_amount ? prev.won_amount->minor_units() : 0;
  if (p <= 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%",
                (static_cast<double>(c) - static_cast<double>(p)) / static_cast<double>(p) * 100.0);
  return buf;
}

std::string manager_label(const ScorecardRow& r) {
  if (!r.manager) return "(no manager)";
  return r.manager->empty() ? "team total" : *r.manager;
}

std::string key_label(const std::optional<std::string>& key) {
  return key ? *key : "(none)";
}

}  // namespace

Json scorecard_to_json(const ScorecardReport& report) {
  const ScorecardDefinition& d = report.definition;
  Json managers = Json::array();
  for (const auto& r : report.managers) managers.push_back(row_json(r));
  return Json{
      {"definition",
       {{"pipeline", d.pipeline_id},
        {"from", format_iso(d.from)},
        {"to", format_iso(d.to)},
        {"previous_from", format_iso(d.previous_from)},
        {"previous_to", format_iso(d.previous_to)},
        {"cycle_unit", "seconds"},
        {"business", d.business_derived ? Json(ScorecardDefinition::business_text()) : Json("column")},
        {"rank_by", d.rank_by},
        {"conversion", d.conversion.empty() ? Json(nullptr) : Json(d.conversion)},
        {"text", ScorecardDefinition::text()}}},
      {"managers", std::move(managers)},
      {"team", row_json(report.team)}};
}

std::string scorecard_to_csv(const ScorecardReport& report) {
  const ScorecardDefinition& d = report.definition;
  std::string out =
      "row,manager,rank,period,period_from,period_to,split,split_key,taken,won,lost,open,win_rate,won_with_"
      "amount,"
      "won_amount,average_won_amount,median_won_amount,currency,median_cycle_seconds\n";
  auto amount = [](const std::optional<Money>& m) { return m ? m->format_amount() : std::string(); };
  auto one_line = [&](const ScorecardRow& r, const char* kind, bool current, const char* split,
                      const std::optional<std::string>& key, const ScorecardFigures& f) {
    char rate[32] = "";
    if (f.win_rate) std::snprintf(rate, sizeof rate, "%.6f", *f.win_rate);
    out += std::string(kind) + "," + csv_escape(r.manager.value_or("")) + "," +
           (r.rank ? std::to_string(*r.rank) : std::string()) + "," + (current ? "current" : "previous") +
           "," + format_iso(current ? d.from : d.previous_from) + "," +
           format_iso(current ? d.to : d.previous_to) + "," + split + "," + csv_escape(key.value_or("")) +
           "," + std::to_string(f.taken) + "," + std::to_string(f.won) + "," + std::to_string(f.lost) + "," +
           std::to_string(f.open) + "," + rate + "," + std::to_string(f.won_with_amount) + "," +
           amount(f.won_amount) + "," + amount(f.average_won_amount) + "," + amount(f.median_won_amount) +
           "," + (f.won_amount ? std::string(f.won_amount->currency().code()) : std::string()) + "," +
           (f.median_cycle_seconds ? std::to_string(*f.median_cycle_seconds) : std::string()) + "\n";
  };
  // Won amounts in several currencies: one line per currency (code order), the
  // counts repeated on each, won_with_amount that currency's.
  auto line = [&](const ScorecardRow& r, const char* kind, bool current, const char* split,
                  const std::optional<std::string>& key, const ScorecardFigures& f) {
    if (f.by_currency.size() <= 1) return one_line(r, kind, current, split, key, f);
    for (const auto& a : f.by_currency) {
      ScorecardFigures one = f;
      one.won_with_amount = a.won_with_amount;
      one.won_amount = a.won_amount;
      one.average_won_amount = a.average_won_amount;
      one.median_won_amount = a.median_won_amount;
      one_line(r, kind, current, split, key, one);
    }
  };
  auto row = [&](const ScorecardRow& r, const char* kind) {
    for (bool current : {true, false}) {
      line(r, kind, current, "all", std::nullopt, current ? r.current : r.previous);
      for (const auto& s : r.by_business)
        line(r, kind, current, "business", s.key, current ? s.current : s.previous);
      for (const auto& s : r.by_channel)
        line(r, kind, current, "channel", s.key, current ? s.current : s.previous);
    }
  };
  for (const auto& r : report.managers) row(r, r.manager ? "manager" : "no_manager");
  row(report.team, "team");
  return out;
}

std::string scorecard_to_table(const ScorecardReport& report, const Pipeline& pipeline) {
  const ScorecardDefinition& d = report.definition;
  std::string out = "Manager scorecard: " + pipeline.name() + " (" + pipeline.id() + "), period [" +
                    format_iso(d.from) + ", " + format_iso(d.to) + ") vs previous [" +
                    format_iso(d.previous_from) + ", " + format_iso(d.previous_to) + ")\n\n";
  std::vector<const ScorecardRow*> rows;
  for (const auto& r : report.managers) rows.push_back(&r);
  rows.push_back(&report.team);

  {
    TextTable t(
        {"rank", "manager", "taken", "won", "lost", "open", "win rate", "won amount", "average won",
         "median won", "median cycle, d", "won amount (prev)", "change"},
        {Align::right, Align::left, Align::right, Align::right, Align::right, Align::right, Align::right,
         Align::right, Align::right, Align::right, Align::right, Align::right, Align::right});
    for (const ScorecardRow* r : rows) {
      const ScorecardFigures& f = r->current;
      t.add_row({r->rank ? std::to_string(*r->rank) : "", manager_label(*r), std::to_string(f.taken),
                 std::to_string(f.won), std::to_string(f.lost), std::to_string(f.open), percent(f.win_rate),
                 amounts_text(f, &ScorecardAmount::won_amount),
                 amounts_text(f, &ScorecardAmount::average_won_amount),
                 amounts_text(f, &ScorecardAmount::median_won_amount), days_text(f.median_cycle_seconds),
                 amounts_text(r->previous, &ScorecardAmount::won_amount), change_text(f, r->previous)});
    }
    out += "Period [" + format_iso(d.from) + ", " + format_iso(d.to) + "):\n" + t.render();
  }
  {
    TextTable t({"manager", "taken", "won", "lost", "open", "win rate", "won amount", "average won",
                 "median won", "median cycle, d"},
                {Align::left, Align::right, Align::right, Align::right, Align::right, Align::right,
                 Align::right, Align::right, Align::right, Align::right});
    for (const ScorecardRow* r : rows) {
      const ScorecardFigures& f = r->previous;
      t.add_row({manager_label(*r), std::to_string(f.taken), std::to_string(f.won), std::to_string(f.lost),
                 std::to_string(f.open), percent(f.win_rate), amounts_text(f, &ScorecardAmount::won_amount),
                 amounts_text(f, &ScorecardAmount::average_won_amount),
                 amounts_text(f, &ScorecardAmount::median_won_amount), days_text(f.median_cycle_seconds)});
    }
    out += "\nPrevious period [" + format_iso(d.previous_from) + ", " + format_iso(d.previous_to) + "):\n" +
           t.render();
  }
  auto split_table = [&](const char* title, const char* column, auto member) {
    TextTable t({"manager", column, "taken", "won", "lost", "win rate", "won amount", "taken (prev)",
                 "won (prev)", "won amount (prev)"},
                {Align::left, Align::left, Align::right, Align::right, Align::right, Align::right,
                 Align::right, Align::right, Align::right, Align::right});
    for (const ScorecardRow* r : rows) {
      for (const ScorecardSplit& s : r->*member) {
        t.add_row({manager_label(*r), key_label(s.key), std::to_string(s.current.taken),
                   std::to_string(s.current.won), std::to_string(s.current.lost), percent(s.current.win_rate),
                   amounts_text(s.current, &ScorecardAmount::won_amount), std::to_string(s.previous.taken),
                   std::to_string(s.previous.won), amounts_text(s.previous, &ScorecardAmount::won_amount)});
      }
    }
    out += std::string("\n") + title + ":\n" + t.render();
  };
  split_table("By business (new vs repeat)", "business", &ScorecardRow::by_business);
  split_table("By channel", "channel", &ScorecardRow::by_channel);
  // One definition line: the header already names the periods.
  out += "\ndefinition: " + ScorecardDefinition::text() +
         (d.business_derived ? " business: " + ScorecardDefinition::business_text() + "." : std::string()) +
         (d.rank_by != "won amount" ? " Won amounts are in several currencies: ranked by " + d.rank_by + "."
                                    : std::string()) +
         "\n";
  if (!d.conversion.empty()) out += "definition: " + d.conversion + "\n";
  return out;
}

}  // namespace dealflow::analytics
