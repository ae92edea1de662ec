// Text, CSV and JSON forms of the team summary and of a what-if
// (dealflow/compensation/statement_output.h).
#include "compensation/statement_output_detail.h"
#include "dealflow/compensation/statement_output.h"
#include "dealflow/io/csv.h"
#include "dealflow/io/table.h"

namespace dealflow::compensation {

using namespace detail;

namespace {

const char* const kSummaryDefinition =
    "summary: one row per participant, one per team of the team file (its members and descendant teams, "
    "each deal once) and the company row (team and participant empty); won amount = direct credit only "
    "(overlays never double-count); cost of sales = paid / won amount, 4 decimals of a percent; "
    "uncredited = won amount credited to nobody (company row)";

const char* const kWhatIfDefinition =
    "what-if: the same engine on the history plus one synthetic change at as-of; difference = new total - "
    "current total; changed lines = lines of the new statement absent from or different in the current one";

std::string signed_amount(const Money& m, bool table) {
  return (m.is_positive() ? "+" : "") + amount_text(m, table);
}

Statements frame(const CompensationPlan& plan, Instant as_of) {
  Statements st;
  st.currency = plan.currency;
  st.rounding = plan.rounding;
  st.as_of = as_of;
  return st;
}

}  // namespace

std::string summary_to_table(const Statements& st, const CompensationPlan& plan,
                             const StatementOutputOptions& o) {
  std::string out;
  const std::string cur(currency_of(st, plan).code());
  for (std::size_t i = 0; i < st.summary.size(); ++i) {
    const TeamSummary& s = st.summary[i];
    out += (i ? "\n" : "") + std::string("team summary ") + s.period + ", as of " +
           period_as_of(s.period, plan, st.as_of) + " (" + cur + ")\n";
    TextTable t({"team", "participant", "role", "won amount", "paid", "overlay paid", "clawbacks", "draw",
                 "draw balance", "cost of sales", "uncredited"},
                {Align::left, Align::left, Align::left, Align::right, Align::right, Align::right,
                 Align::right, Align::right, Align::right, Align::right, Align::right});
    for (const SummaryRow& r : s.rows) {
      const bool company = r.team.empty() && r.participant.empty();
      t.add_row({company ? "(company)" : r.team, r.participant, r.role ? std::string(to_string(*r.role)) : "",
                 amount_text(r.won_amount, true), amount_text(r.paid, true),
                 amount_text(r.overlay_paid, true), amount_text(r.clawbacks, true), amount_text(r.draw, true),
                 amount_text(r.draw_balance, true), percent(r.cost_of_sales, 4) + "%",
                 company ? amount_text(r.uncredited, true) : ""});
    }
    out += t.render();
    out += "total: won amount " + amount_text(s.won_amount, true) + " " + cur + "; paid " +
           amount_text(s.paid, true) + " " + cur + "; cost of sales " + percent(s.cost_of_sales, 4) + "%\n";
    for (const std::string& n : s.notes) out += "note: " + n + "\n";
  }
  if (st.summary.empty()) out += "(no periods)\n";
  out += "\n";
  for (const std::string& line : statement_definitions(st, plan, o)) out += "definition: " + line + "\n";
  out += std::string("definition: ") + kSummaryDefinition + "\n";
  return out;
}

std::string summary_to_csv(const Statements& st, const CompensationPlan& plan,
                           const StatementOutputOptions&) {
  std::string out =
      "plan,period,as_of,currency,team,participant,role,won_amount,paid,overlay_paid,clawbacks,draw,"
      "draw_balance,cost_of_sales,uncredited\n";
  const std::string cur(currency_of(st, plan).code());
  for (const TeamSummary& s : st.summary) {
    const std::string lead = csv_escape(plan.name) + "," + csv_escape(s.period) + "," +
                             period_as_of(s.period, plan, st.as_of) + "," + cur + ",";
    for (const SummaryRow& r : s.rows) {
      const bool company = r.team.empty() && r.participant.empty();
      out += lead + csv_escape(r.team) + "," + csv_escape(r.participant) + "," +
             (r.role ? std::string(to_string(*r.role)) : "") + "," + amount_text(r.won_amount, false) + "," +
             amount_text(r.paid, false) + "," + amount_text(r.overlay_paid, false) + "," +
             amount_text(r.clawbacks, false) + "," + amount_text(r.draw, false) + "," +
             amount_text(r.draw_balance, false) + "," + percent(r.cost_of_sales, 4) + "," +
             (company ? amount_text(r.uncredited, false) : "") + "\n";
    }
  }
  return out;
}

Json summary_to_json(const Statements& st, const CompensationPlan& plan, const StatementOutputOptions& o) {
  std::vector<std::string> lines = statement_definitions(st, plan, o);
  lines.push_back(kSummaryDefinition);
  Json definition = {
      {"plan", plan.name},
      {"plan_file", plan.file},
      {"currency", currency_of(st, plan).code()},
      {"rounding", rounding_text(plan.rounding)},
      {"as_of", st.as_of ? Json(format_iso(*st.as_of, plan.utc_offset_minutes)) : Json(nullptr)},
      {"amounts", "money in minor units of currency; cost of sales a percentage with 4 decimals"},
      {"lines", std::move(lines)}};
  if (!o.fx.empty()) definition["fx"] = o.fx;
  Json periods = Json::array();
  for (const TeamSummary& s : st.summary) {
    Json rows = Json::array();
    for (const SummaryRow& r : s.rows) {
      const bool company = r.team.empty() && r.participant.empty();
      rows.push_back({{"team", r.team.empty() ? Json(nullptr) : Json(r.team)},
                      {"participant", r.participant.empty() ? Json(nullptr) : Json(r.participant)},
                      {"role", r.role ? Json(to_string(*r.role)) : Json(nullptr)},
                      {"won_amount", r.won_amount.minor_units()},
                      {"paid", r.paid.minor_units()},
                      {"overlay_paid", r.overlay_paid.minor_units()},
                      {"clawbacks", r.clawbacks.minor_units()},
                      {"draw", r.draw.minor_units()},
                      {"draw_balance", r.draw_balance.minor_units()},
                      {"cost_of_sales", percent(r.cost_of_sales, 4)},
                      {"uncredited", company ? Json(r.uncredited.minor_units()) : Json(nullptr)}});
    }
    periods.push_back({{"period", s.period},
                       {"as_of", period_as_of(s.period, plan, st.as_of)},
                       {"currency", currency_of(st, plan).code()},
                       {"won_amount", s.won_amount.minor_units()},
                       {"paid", s.paid.minor_units()},
                       {"overlay_paid", s.overlay_paid.minor_units()},
                       {"clawbacks", s.clawbacks.minor_units()},
                       {"draws", s.draws.minor_units()},
                       {"cost_of_sales", percent(s.cost_of_sales, 4)},
                       {"rows", std::move(rows)},
                       {"notes", s.notes}});
  }
  return Json{{"definition", std::move(definition)}, {"summary", std::move(periods)}};
}

std::string what_if_to_table(const WhatIfResult& w, const CompensationPlan& plan,
                             const StatementOutputOptions& o) {
  const std::string cur(plan.currency.code());
  std::string out = "what if: " + w.what_if + "\n" + statement_heading(w.changed, plan) + "\n";
  out += "current total " + amount_text(w.current.paid, true) + " " + cur + "; new total " +
         amount_text(w.changed.paid, true) + " " + cur + "; difference " + signed_amount(w.difference, true) +
         " " + cur + "\n";
  if (w.changed_lines.empty()) {
    out += "(no line changed)\n";
  } else {
    out += "changed lines:\n";
    TextTable t(line_table_header(), {Align::right, Align::left, Align::left, Align::left, Align::left,
                                      Align::right, Align::right, Align::right, Align::right, Align::right,
                                      Align::right, Align::right, Align::right, Align::left});
    for (const StatementLine& l : w.changed_lines)
      t.add_row(line_table_cells(l, is_count_component(plan, w.changed.plan, l.component)));
    out += t.render();
  }
  for (const std::string& n : w.changed.notes) out += "note: " + n + "\n";
  out += "\n";
  for (const std::string& line : statement_definitions(frame(plan, w.as_of), plan, o))
    out += "definition: " + line + "\n";
  out += std::string("definition: ") + kWhatIfDefinition + "\n";
  return out;
}

std::string what_if_to_csv(const WhatIfResult& w, const CompensationPlan& plan,
                           const StatementOutputOptions&) {
  std::string out = "participant,period,as_of,what_if,current_total,new_total,difference,";
  out += kLineCsvHeader;
  out += "\n";
  const std::string lead = csv_escape(w.manager) + "," + csv_escape(w.period) + "," +
                           format_iso(w.as_of, plan.utc_offset_minutes) + "," + csv_escape(w.what_if) + "," +
                           amount_text(w.current.paid, false) + "," + amount_text(w.changed.paid, false) +
                           "," + amount_text(w.difference, false) + ",";
  if (w.changed_lines.empty()) out += lead + std::string(17, ',') + "\n";
  for (const StatementLine& l : w.changed_lines) out += lead + line_csv_cells(l, plan, w.changed.plan) + "\n";
  return out;
}

Json what_if_to_json(const WhatIfResult& w, const CompensationPlan& plan, const StatementOutputOptions& o) {
  const Statements st = frame(plan, w.as_of);
  std::vector<std::string> lines = statement_definitions(st, plan, o);
  lines.push_back(kWhatIfDefinition);
  Json definition = {
      {"plan", plan.name},
      {"plan_file", plan.file},
      {"currency", plan.currency.code()},
      {"rounding", rounding_text(plan.rounding)},
      {"amounts", "money in minor units of currency; rates and shares percentages with 4 decimals"},
      {"lines", std::move(lines)}};
  if (!o.fx.empty()) definition["fx"] = o.fx;
  Json changed = Json::array();
  for (const StatementLine& l : w.changed_lines) changed.push_back(line_json(l, plan, w.changed.plan));
  return Json{{"definition", std::move(definition)},
              {"participant", w.manager},
              {"period", w.period},
              {"as_of", format_iso(w.as_of, plan.utc_offset_minutes)},
              {"what_if", w.what_if},
              {"currency", plan.currency.code()},
              {"current_total", w.current.paid.minor_units()},
              {"new_total", w.changed.paid.minor_units()},
              {"difference", w.difference.minor_units()},
              {"changed_lines", std::move(changed)},
              {"current", statement_json(w.current, plan, plan.currency)},
              {"changed", statement_json(w.changed, plan, plan.currency)}};
}

}  // namespace dealflow::compensation
