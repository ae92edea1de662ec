// dealflow/planning/plan.h: sales plans (quotas): targets per period, scope and
// metric, with dated versions.
//
// A plan file is JSON (docs/planning.md, data/plans/sample-2024.json):
//   {"name": "План продаж 2024", "fiscal_year_start": 1, "utc_offset": "+03:00", "currency": "RUB",
//    "targets": [
//      {"period": "2024-Q1", "scope": "company", "metric": "won_amount", "target": "30000000.00"},
//      {"period": "2024-Q1", "scope": "manager", "scope_value": "Иванова Анна",
//       "metric": "won_amount", "target": "5000000", "effective_from": "2024-02-15"},
//      {"period": "2024-01", "scope": "team", "scope_value": "smb", "metric": "won_count", "target": 12}],
//    "targets_csv": "targets.csv"}
// and the targets table may also (or only) be a CSV file beside it with the
// columns period,scope,scope_value,metric,target,currency,effective_from.
//
// Every row is one *version* of a target; rows with the same key (period,
// scope, scope value, metric) are the versions of one target, each in force
// from its effective_from (absent: from the start of time) until the next
// one's. A target changed on the 15th keeps its history: a report at an
// instant takes the version in force then (Target::in_force), and can list all.
//
// Scopes: company (no value), team (a team key of the routing team file),
// manager (the log's manager value, or a team-file manager key or name),
// pipeline (a pipeline id), region / product / business (the log's values).
// Metrics: won_amount (exact Money, one currency per target), won_count,
// created_count.
//
// load_plan_file checks what the file alone decides (syntax, periods, scopes,
// metrics, negative or malformed targets, one currency per target, versions
// effective from the same instant = overlapping, one period named twice or a
// JSON key given twice in one object = duplicate); check_plan checks it against the data (unknown manager,
// team, pipeline or dimension value; a period without working days on the calendar; a target currency the
// data does not have without --fx). Every error is located: the JSON path, or the CSV file:line:column, and
// names the value and what was expected.
//
// Ownership: a Plan is a self-contained value. Thread-safety: immutable after
// loading; const methods are safe from any number of threads.
//
// Example:
//   auto plan = dealflow::planning::load_plan_file("data/plans/sample-2024.json");
//   if (!plan) return fail(plan.status());
//   PlanContext context;
//   context.log = &log;
//   context.calendar = &calendar;
//   DEALFLOW_RETURN_IF_ERROR(check_plan(*plan, context));
//   for (const auto& t : plan->targets)
//     if (const auto* v = t.in_force(as_of)) use(plan->periods[t.period], t, v->value);
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/core/calendar.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/io/csv.h"
#include "dealflow/io/json.h"
#include "dealflow/planning/period.h"

namespace dealflow::analytics {
class EventLog;
}
namespace dealflow::routing {
class TeamModel;
}

namespace dealflow::planning {

enum class PlanScope : std::uint8_t { company, team, manager, pipeline, region, product, business };
inline constexpr std::size_t kPlanScopeCount = 7;
std::string_view to_string(PlanScope scope) noexcept;  // "company", "team", ...
std::optional<PlanScope> parse_plan_scope(std::string_view text) noexcept;

enum class PlanMetric : std::uint8_t { won_amount, won_count, created_count };
std::string_view to_string(PlanMetric metric) noexcept;  // "won_amount", "won_count", "created_count"
std::optional<PlanMetric> parse_plan_metric(std::string_view text) noexcept;

// One version of a target.
struct TargetVersion {
  // In force from this instant on; Instant min (`from_start`) when the row has no effective_from.
  Instant effective_from = Instant::from_unix_seconds(std::numeric_limits<std::int64_t>::min());
  bool from_start = true;
  std::int64_t value = 0;  // minor units of the target's currency (won_amount), else a count
  Location where;          // the row: JSON path, or CSV file:line
};

struct Target {
  std::uint32_t period = 0;  // index into Plan::periods
  PlanScope scope = PlanScope::company;
  std::string scope_value;  // "" for company
  PlanMetric metric = PlanMetric::won_amount;
  Currency currency;                    // won_amount only (empty for counts)
  std::vector<TargetVersion> versions;  // ascending effective_from, at least one

  // The version in force at `t`: the latest with effective_from <= t;
  // nullptr when every version starts later.
  const TargetVersion* in_force(Instant t) const noexcept;
  bool is_money() const noexcept { return metric == PlanMetric::won_amount; }
};

struct Plan {
  std::string file;  // the plan file ("" when parsed from memory)
  std::string name;
  int fiscal_start_month = 1;
  int utc_offset_minutes = 0;
  Currency currency;            // default currency of won_amount targets (may be empty)
  std::vector<Period> periods;  // ascending (first, then the longer first)
  std::vector<Target> targets;  // ascending (period, scope, scope_value, metric)

  std::optional<std::uint32_t> find_period(std::string_view label) const;
  // Indices of the periods containing local date `d` (ascending).
  std::vector<std::uint32_t> periods_containing(Date d) const;
  // The target with this key, if any.
  const Target* find(std::uint32_t period, PlanScope scope, std::string_view value, PlanMetric metric) const;
};

// Parses a plan document; `base_dir` resolves "targets_csv" (a path relative
// to the plan file). Errors named above, located at the JSON path or the
// CSV file:line:column.
Result<Plan> parse_plan(const JsonReader& root, const std::string& base_dir);
// Parses the text (syntax errors with line and column; a key named twice in
// one object is a duplicate error at its JSON path), then parse_plan.
Result<Plan> parse_plan_text(std::string_view text, const std::string& file_name,
                             const std::string& base_dir);
// Reads the file and parse_plan_text with its folder as base_dir.
Result<Plan> load_plan_file(const std::string& path);
// Appends the rows of a targets CSV to a plan under construction (used by
// parse_plan; exposed for tests). The plan's versions are sorted and checked
// by parse_plan after all rows are read.
Status read_targets_csv(CsvReader& csv, Plan& plan);

// What check_plan compares the plan with. Every member is optional.
struct PlanContext {
  const analytics::EventLog* log = nullptr;  // managers, dimension values, currencies
  const routing::TeamModel* team = nullptr;  // teams (and managers)
  const BusinessCalendar* calendar = nullptr;
  std::vector<std::string> pipelines;  // loaded pipeline ids (empty: not checked)
  // Amounts are converted into this currency (--fx): every won_amount target
  // must be in it.
  std::optional<Currency> report_currency;
};

// The plan against the data; the first problem, located at the target row.
Status check_plan(const Plan& plan, const PlanContext& context);

}  // namespace dealflow::planning
