// dealflow/planning/attainment.h: plan vs fact, pacing on business days,
// coverage by the open pipeline, and the roll-up check of a plan.
//
// For every target of a Plan (plan.h) whose period is reported, with the
// version in force at the report instant `as_of` (or every version):
//   fact        won_amount: the amounts of deals won in the period (closing
//               instant in [period begin, period end) at the UTC offset, and
//               at or before as_of), credited to the owner as of the closing
//               instant (ClosedDeal::owner); amounts as of as_of, converted by
//               an FxConversion when given, else only deals in the target's
//               currency count (the others are counted in `other_currency`);
//               won_count: those deals; created_count: deals created in the
//               period (at or before as_of);
//   attainment  fact / plan (nullopt when plan = 0);
//   pacing      on the working days of a BusinessCalendar: a day has elapsed
//               when it has ended, i.e. elapsed = working days among the local
//               dates [period.first, D) with D = the local date of as_of
//               (clamped to the period): the as_of day itself does not count
//               (at midnight it has not started; during it, it is not over);
//               expected_by_now = plan x elapsed / total; projection =
//               fact / elapsed x total; required_per_day = (plan - fact) /
//               remaining (0 when the plan is met);
//   coverage    open deals at as_of whose expected close date (as of as_of)
//               lies in the period: their amount (count), unweighted and
//               weighted by effective_probability, / (plan - fact); "covered"
//               when plan <= fact.
// Money figures are exact minor units: a derived money figure is one exact
// fraction rounded once, half to even; ratios are doubles.
//
// Scope of a deal: company = every deal; manager = the owner (won deals: as of
// the closing instant; others: as of as_of; a target may name a manager by the
// team file's key when the log knows the manager by name); team = its owner is
// a member of the team or of a descendant team (team file, matched by manager
// key or name); pipeline = the pipeline it is in at as_of; region / product /
// business = the value as of the closing instant (won) or as of as_of
// (created, open).
//
// Roll-up check (check_rollup): for every parent target, the sum of its
// children's targets (same period, metric and currency, versions in force at
// as_of) vs its own: company <- teams (top-level teams with a team file),
// company <- managers, team <- managers of the team (and its descendants),
// team <- its direct sub-teams,
// company <- pipelines / regions / products / business values; in time,
// quarter <- its months, half-year <- its quarters, year <- its quarters, for
// the same scope. Reported as balanced, over (children sum more) or under,
// with the difference; a parent without a target in force is not checked.
//
// Ownership: results are self-contained values; the query borrows the
// calendar, team model and fx table. Thread-safety: reentrant.
//
// Example:
//   AttainmentQuery q;
//   q.as_of = log.latest_instant();
//   q.calendar = &calendar;
//   auto report = dealflow::planning::compute_attainment(*plan, log, {&pipeline}, q);
//   for (const auto& row : report->rows) use(row.fact, row.plan, row.attainment);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/core/calendar.h"
#include "dealflow/core/fx.h"
#include "dealflow/core/status.h"
#include "dealflow/pipeline/pipeline.h"
#include "dealflow/planning/plan.h"

namespace dealflow::routing {
class TeamModel;
}

namespace dealflow::planning {

// A derived figure: `units` is the exact fraction rounded once, half to even
// (minor units for money, whole deals for counts); `value` is the same
// fraction as a double, unrounded (for counts: 3.5 deals expected by now).
struct Figure {
  bool defined = false;  // false when the formula divides by zero (no working days elapsed, ...)
  std::int64_t units = 0;
  double value = 0;
};

struct AttainmentQuery {
  Instant as_of;
  std::optional<int> utc_offset_minutes;  // default: the plan's
  // Indices into Plan::periods; empty = every period of the plan containing
  // the local date of as_of, else those containing the day before (a report
  // at midnight after a period), else every period.
  std::vector<std::uint32_t> periods;
  std::optional<PlanScope> scope;              // only targets of this scope (all when absent)
  const BusinessCalendar* calendar = nullptr;  // default: Monday–Friday
  const routing::TeamModel* team = nullptr;    // needed by team targets
  std::optional<FxConversion> fx;              // converts amounts into fx->target
  bool all_versions = false;                   // a row per version, not only the one in force
};

struct AttainmentRow {
  std::uint32_t period = 0;
  PlanScope scope = PlanScope::company;
  std::string scope_value;
  PlanMetric metric = PlanMetric::won_amount;
  Currency currency;          // won_amount
  std::uint32_t version = 0;  // index into Target::versions
  std::uint32_t version_count = 1;
  bool in_force = true;  // the version in force at as_of
  TargetVersion target;
  std::int64_t plan = 0;  // = target.value
  std::int64_t fact = 0;
  std::int64_t deals = 0;           // deals in the fact (won or created)
  std::int64_t other_currency = 0;  // won deals of the scope in another currency or without an amount
  std::optional<double> attainment;
  // pacing
  std::int64_t total_days = 0, elapsed_days = 0, remaining_days = 0;
  Figure expected_by_now, projection, required_per_day;
  // coverage (won_amount, won_count)
  std::int64_t open_deals = 0;           // open deals with a close date in the period
  std::int64_t open_other_currency = 0;  // open deals in another currency or without an amount
  std::int64_t pipeline = 0;             // their amounts (minor units) or their count
  Figure weighted;                       // sum of amount x p (or of p)
  bool covered = false;                  // plan <= fact
  std::optional<double> coverage, weighted_coverage;

  bool is_money() const noexcept { return metric == PlanMetric::won_amount; }
};

struct RollupRow {
  enum class Kind : std::uint8_t { scope, time };
  Kind kind = Kind::scope;
  std::uint32_t period = 0;  // the parent's
  PlanScope scope = PlanScope::company;
  std::string scope_value;
  PlanMetric metric = PlanMetric::won_amount;
  Currency currency;
  PlanScope child_scope = PlanScope::company;        // Kind::scope
  PeriodKind child_period_kind = PeriodKind::month;  // Kind::time
  std::int64_t parent = 0;
  std::int64_t children_sum = 0;
  std::uint32_t children = 0;
  std::int64_t difference = 0;  // children_sum - parent: > 0 over-allocated, < 0 under
  std::string status() const { return difference == 0 ? "balanced" : difference > 0 ? "over" : "under"; }
};

struct AttainmentReport {
  Instant as_of;
  int utc_offset_minutes = 0;
  std::string calendar;  // its name, or "Mon–Fri"
  std::vector<std::uint32_t> periods;
  std::vector<AttainmentRow> rows;  // by period, scope, scope value, metric, version
  std::vector<RollupRow> rollup;
  std::vector<std::string> notes;
};

// Errors: a target of a scope needing the team file without one
// (invalid_argument); a missing fx rate (not_found, from the conversion);
// overflow of a sum.
Result<AttainmentReport> compute_attainment(const Plan& plan, const analytics::EventLog& log,
                                            const std::vector<const Pipeline*>& pipelines,
                                            const AttainmentQuery& query);

// The roll-up check alone (also part of compute_attainment's report), over the
// given periods (empty: all) and scope filter of the query.
std::vector<RollupRow> check_rollup(const Plan& plan, Instant as_of, const routing::TeamModel* team,
                                    const std::vector<std::uint32_t>& periods = {});

}  // namespace dealflow::planning
