// Internal: the shared pieces of statement_output*.cpp: exact number text,
// one statement line as table / CSV cells and JSON, the definition lines.
#pragma once

#include <string>
#include <vector>

#include "dealflow/compensation/statement_output.h"

namespace dealflow::compensation::detail {

// num/den × scale with `digits` decimals, rounded half away from zero ("3.0000").
std::string exact_decimal(std::int64_t num, std::int64_t den, std::int64_t scale, int digits);
// A rate as a percentage without the sign: "3.0000" (digits = 4), "3.00" (2).
std::string percent(const Rate& r, int digits);
// Basis points as a percentage: 6000 -> "60.00" (digits 2) / "60.0000" (4).
std::string percent_bp(std::int64_t bp, int digits);
// Money: "1 200 000.00" (table) or "1200000.00" (csv); a count (no currency):
// deals with up to 4 decimals ("0.6", "12").
std::string amount_text(const Money& m, bool table);
// A count measure (won_count) in deals: kCountUnit minor units = "1", 6000 = "0.6".
std::string count_text(const Money& m);
std::string measure_text(const Money& m, bool count, bool table);
bool is_count_component(const CompensationPlan& plan, const std::string& rate_plan,
                        const std::string& component);
std::string rounding_text(Rounding r);
// The statements' currency (the plan's when the engine left it empty).
inline Currency currency_of(const Statements& st, const CompensationPlan& plan) {
  return st.currency.empty() ? plan.currency : st.currency;
}

// The measure of a line's component ("won_amount"; "" for draw lines and
// components the plan does not know).
std::string line_measure(const CompensationPlan& plan, const std::string& rate_plan,
                         const std::string& component);

// The table header and the cells of one line.
std::vector<std::string> line_table_header();
std::vector<std::string> line_table_cells(const StatementLine& l, bool count);
// The CSV cells line..reason (17 columns) of one line.
std::string line_csv_cells(const StatementLine& l, const CompensationPlan& plan,
                           const std::string& rate_plan);
inline constexpr const char* kLineCsvHeader =
    "line,kind,component,deal_id,credit_instant,credit,share,measure,measure_value,slice_from,slice_to,tier,"
    "rate,factor,amount,blended_rate,source_period,reason";
Json line_json(const StatementLine& l, const CompensationPlan& plan, const std::string& rate_plan);

// The statement's heading sentence: "Иванова Анна (m-ivanova, rep) — plan ae, 2024-Q3 (...), as of ...".
std::string statement_heading(const ParticipantStatement& s, const CompensationPlan& plan);
// The lines, totals, balance, held deals and notes of one statement as text.
std::string statement_block(const ParticipantStatement& s, const CompensationPlan& plan, Currency currency);
Json statement_json(const ParticipantStatement& s, const CompensationPlan& plan, Currency currency);

// The local as-of of a period label (its end, or `as_of` when earlier).
std::string period_as_of(const std::string& label, const CompensationPlan& plan,
                         const std::optional<Instant>& as_of);

}  // namespace dealflow::compensation::detail
