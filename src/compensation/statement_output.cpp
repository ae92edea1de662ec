// Text, CSV and JSON forms of commission statements
// (dealflow/compensation/statement_output.h).
#include "dealflow/compensation/statement_output.h"

#include "compensation/statement_output_detail.h"
#include "dealflow/io/csv.h"

namespace dealflow::compensation {

using namespace detail;

std::vector<std::string> statement_definitions(const Statements& st, const CompensationPlan& plan,
                                               const StatementOutputOptions& o) {
  std::vector<std::string> d;
  d.push_back("plan: " + plan.name + (plan.file.empty() ? "" : " (" + plan.file + ")") + "; statements per " +
              std::string(planning::to_string(plan.period)) + ", periods cut at local midnight UTC" +
              format_utc_offset(plan.utc_offset_minutes) + ", fiscal year from month " +
              std::to_string(plan.fiscal_start_month));
  d.push_back("money: exact minor units of " + std::string(currency_of(st, plan).code()) +
              "; each line rounded once, " + rounding_text(plan.rounding) +
              "; every total is a sum of rounded lines (paid = earned + adjustments + caps + gate + draw)");
  d.push_back(
      "credit: a won deal credits its owner as of the closing instant (field history) unless split "
      "(shares sum to exactly 100%); overlay credit is declared explicitly and never part of the 100%; "
      "amounts, dimensions and owner are read as of closing; roll-ups sum direct credit only");
  if (!plan.clawback) {
    d.push_back("clawback: none (a credited deal is never reversed)");
  } else {
    std::string c = "clawback: a credited deal lost or reopened within " +
                    std::to_string(plan.clawback->window_days) +
                    " days of closing is reversed in the period of the reversal; policy " +
                    std::string(to_string(plan.clawback->policy));
    for (const RatePlan& rp : plan.plans)
      if (rp.clawback_policy && *rp.clawback_policy != plan.clawback->policy)
        c += " (plan " + rp.id + ": " + std::string(to_string(*rp.clawback_policy)) + ")";
    c += plan.clawback->spifs ? "; SPIFs are clawed back too" : "; SPIFs are not clawed back";
    d.push_back(c);
  }
  d.push_back(plan.payout.on == PayoutOn::close
                  ? "payout: at close (a deal's lines are paid in the period of its credit instant)"
                  : "payout: on field '" + plan.payout.field +
                        "' (credit and tiers stay in the closing period; a deal is held until the field's "
                        "date, then paid by late lines at the historic amounts)");
  d.push_back(st.as_of ? "as of " + format_iso(*st.as_of, plan.utc_offset_minutes) +
                             ": nothing later is read; a period ending after it is provisional"
                       : "as of: each period's end (every period is closed)");
  if (!o.fx.empty()) d.push_back("fx: " + o.fx);
  return d;
}

std::string statements_to_table(const Statements& st, const CompensationPlan& plan,
                                const StatementOutputOptions& o) {
  std::string out;
  for (std::size_t i = 0; i < st.statements.size(); ++i)
    out += (i ? "\n" : "") + statement_block(st.statements[i], plan, currency_of(st, plan));
  if (st.statements.empty()) out += "(no statements: no participant had credit, a clawback or a draw)\n";
  out += "\n";
  for (const std::string& line : statement_definitions(st, plan, o)) out += "definition: " + line + "\n";
  return out;
}

std::string statements_to_csv(const Statements& st, const CompensationPlan& plan,
                              const StatementOutputOptions&) {
  std::string out = "plan,participant,period,period_first,period_last,as_of,provisional,currency,rounding,";
  out += kLineCsvHeader;
  out += "\n";
  const std::string cur(currency_of(st, plan).code()), rounding = rounding_text(plan.rounding);
  for (const ParticipantStatement& s : st.statements) {
    const std::string lead = csv_escape(s.plan) + "," + csv_escape(s.manager) + "," + csv_escape(s.period) +
                             "," + s.period_first.to_string() + "," + s.period_last.to_string() + "," +
                             format_iso(s.as_of, plan.utc_offset_minutes) + "," +
                             (s.provisional ? "true" : "false") + "," + cur + "," + rounding + ",";
    for (const StatementLine& l : s.lines) out += lead + line_csv_cells(l, plan, s.plan) + "\n";
  }
  return out;
}

Json statements_to_json(const Statements& st, const CompensationPlan& plan, const StatementOutputOptions& o) {
  Json definition = {
      {"plan", plan.name},
      {"plan_file", plan.file},
      {"currency", currency_of(st, plan).code()},
      {"rounding", rounding_text(plan.rounding)},
      {"utc_offset", format_utc_offset(plan.utc_offset_minutes)},
      {"period", planning::to_string(plan.period)},
      {"clawback_policy", plan.clawback ? Json(to_string(plan.clawback->policy)) : Json(nullptr)},
      {"as_of", st.as_of ? Json(format_iso(*st.as_of, plan.utc_offset_minutes)) : Json(nullptr)},
      {"amounts",
       "money in minor units of currency; counts in basis points of a deal (10000 = "
       "one deal); rates and shares are percentages with 4 decimals"},
      {"lines", statement_definitions(st, plan, o)}};
  if (!o.fx.empty()) definition["fx"] = o.fx;
  Json statements = Json::array();
  for (const ParticipantStatement& s : st.statements)
    statements.push_back(statement_json(s, plan, currency_of(st, plan)));
  return Json{{"definition", std::move(definition)}, {"statements", std::move(statements)}};
}

}  // namespace dealflow::compensation
