// dealflow/compensation/statement_output.h: commission statements, the team
// summary and a what-if as an aligned text table (with "definition:" lines),
// CSV (data only; the defining inputs as leading columns of every row) or JSON
// (with a "definition" object), in the formats of docs/compensation.md
// ("Statements", "Team summary", "What-if").
//
// Money is printed exactly: "36 000.00" in tables (the currency in the header
// and totals), "36000.00" in CSV (a currency column), minor units plus
// "currency" in JSON. Rates and shares are percentages: 2 decimals in tables
// ("3.00%"), 4 in CSV and JSON ("3.0000"); blended rates and the cost of sales
// 4 decimals everywhere; factors plain decimals ("0.5000"). Exact fractions
// are rounded half-up for display only; amounts are never re-rounded (they are
// the engine's rounded lines). Counts (won_count measures) are deals with up
// to 4 decimals ("0.6") in tables and CSV, basis points of a deal in JSON.
// Every form states its definition: the plan's rounding rule, the credit rule,
// the clawback policy (per rate plan when one overrides), payout timing and
// as-of. The currency is the Statements' (the plan's when left empty).
//
// Ownership: returns owned strings / values. Thread-safety: pure functions.
//
// Example:
//   auto st = compute_statements(log, pipelines, plan, periods, options);
//   if (!st) return fail(st.status());
//   std::cout << statements_to_table(*st, plan) << summary_to_table(*st, plan);
#pragma once

#include <string>
#include <vector>

#include "dealflow/compensation/plan.h"
#include "dealflow/compensation/statement.h"
#include "dealflow/compensation/what_if.h"
#include "dealflow/io/json.h"

namespace dealflow::compensation {

struct StatementOutputOptions {
  std::string fx;  // FxConversion::describe() when amounts were converted ("" when not)
};

// The "definition:" sentences every form carries (table lines, JSON
// definition.lines): plan and periods, money and rounding, credit, clawback,
// payout timing, as-of.
std::vector<std::string> statement_definitions(const Statements& st, const CompensationPlan& plan,
                                               const StatementOutputOptions& options = {});

// One block per statement (header, attainment, lines, totals, balance, held,
// notes), a blank line between blocks, then the definition lines.
std::string statements_to_table(const Statements& st, const CompensationPlan& plan,
                                const StatementOutputOptions& options = {});
// One row per line: plan,participant,period,period_first,period_last,as_of,
// provisional,currency,rounding,line,kind,component,deal_id,credit_instant,
// credit,share,measure,measure_value,slice_from,slice_to,tier,rate,factor,
// amount,blended_rate,source_period,reason.
std::string statements_to_csv(const Statements& st, const CompensationPlan& plan,
                              const StatementOutputOptions& options = {});
Json statements_to_json(const Statements& st, const CompensationPlan& plan,
                        const StatementOutputOptions& options = {});

// The team summary of every period of `st`: rows as TeamSummary::rows gives
// them (participants, teams, the company).
std::string summary_to_table(const Statements& st, const CompensationPlan& plan,
                             const StatementOutputOptions& options = {});
// plan,period,as_of,currency,team,participant,role,won_amount,paid,
// overlay_paid,clawbacks,draw,draw_balance,cost_of_sales,uncredited.
std::string summary_to_csv(const Statements& st, const CompensationPlan& plan,
                           const StatementOutputOptions& options = {});
Json summary_to_json(const Statements& st, const CompensationPlan& plan,
                     const StatementOutputOptions& options = {});

// The what-if: both totals, the difference and the changed lines. CSV: one
// row per changed line, each led by participant,period,as_of,what_if,
// current_total,new_total,difference (one row with empty line columns when
// no line changed).
std::string what_if_to_table(const WhatIfResult& w, const CompensationPlan& plan,
                             const StatementOutputOptions& options = {});
std::string what_if_to_csv(const WhatIfResult& w, const CompensationPlan& plan,
                           const StatementOutputOptions& options = {});
Json what_if_to_json(const WhatIfResult& w, const CompensationPlan& plan,
                     const StatementOutputOptions& options = {});

}  // namespace dealflow::compensation
