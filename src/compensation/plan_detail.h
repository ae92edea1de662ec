// Private helpers of the compensation plan loader (dealflow/compensation/plan.h):
// the value syntax of docs/compensation.md ("Value syntax"), each read from a
// JSON node and failing with an error located at that node.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "dealflow/compensation/plan.h"
#include "dealflow/io/csv.h"

namespace dealflow::compensation::detail {

// The value for messages: 'text' for a string, else its JSON.
std::string quoted(const JsonReader& node);

// "12.5" -> 125 000 with digits = 4: a non-negative plain decimal scaled by
// 10^digits; nullopt for anything else (a sign, a comma, too many digits).
std::optional<std::int64_t> parse_scaled(std::string_view text, int digits);

// The node as a string, or "<type>: expected <what>".
Result<std::string> read_string(const JsonReader& node, std::string_view what);
// "2.5%": at most 4 fraction digits, 0% .. 100%. Exact (den 1 000 000).
Result<Rate> read_rate(const JsonReader& node);
// "87.5%": at most 2 fraction digits, >= 0; basis points of quota.
Result<std::int64_t> read_attainment(const JsonReader& node);
// "60%": 0% < share <= 100%, at most 2 fraction digits; basis points.
Result<std::int64_t> read_share(const JsonReader& node);
// "1.5": at most 4 fraction digits, 0 .. 10.
Result<Rate> read_factor(const JsonReader& node);
// "1500000.00", "1 500 000,00", "60000 USD": an exact amount; the currency is
// the suffix's, else `plan_currency`. A currency other than the plan's is an
// error naming `role` ("a tier", "a cap") unless `any_currency`.
Result<Money> read_money(const JsonReader& node, Currency plan_currency, std::string_view role,
                         bool any_currency = false);
// "2024-07-01" (a local date) or an instant with an offset (its local date at `offset`).
Result<Date> read_date(const JsonReader& node, int offset_minutes);
// A JSON whole number >= 0.
Result<std::int64_t> read_count(const JsonReader& node);
// "1 500 000.00" for messages: minor units with thin grouping.
std::string show_amount(std::int64_t minor, Currency currency);
// "87.5%" for messages.
std::string show_bp(std::int64_t bp);

// The rate plans (plan_rates.cpp).
Result<RatePlan> read_rate_plan(const JsonReader& node, const CompensationPlan& plan);

// A manager id of the team file (or a display name, resolved to its id).
Result<std::string> read_manager(const JsonReader& node, const CompensationPlan& plan);
// Appends a split after checking it (deal split twice at `seen`, shares sum to 100%);
// `err(key, message)` locates an error at the split's key.
Status add_split(CompensationPlan& plan, Split s, const std::map<std::string, std::string>& seen,
                 const std::function<Status(std::string_view, std::string)>& err);
// splits_csv: deal_id,manager,share (plan_credit.cpp).
Status read_splits_csv(CsvReader& csv, CompensationPlan& plan, std::map<std::string, std::string>& seen);
// overlays[] (plan_credit.cpp).
Status read_overlays(const JsonReader& root, CompensationPlan& plan);
// Checks across plans and participants: target incentives, quotas, caps at inline quotas (plan_credit.cpp).
Status check_cross(const JsonReader& root, const CompensationPlan& plan);

}  // namespace dealflow::compensation::detail
