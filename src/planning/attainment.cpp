// Plan vs fact, pacing and coverage (dealflow/planning/attainment.h).
#include "dealflow/planning/attainment.h"

#include <algorithm>

#include "dealflow/routing/team.h"
#include "planning/attainment_detail.h"

namespace dealflow::planning {
namespace {

using detail::Int128;

void fill_row(AttainmentRow& row, const detail::ScopeSums& a, const Plan& plan, const AttainmentQuery& q,
              int offset, const BusinessCalendar& calendar) {
  switch (row.metric) {
    case PlanMetric::won_amount: {
      const detail::CurrencySum* won = a.won_in(row.currency);
      const detail::CurrencySum* open = a.open_in(row.currency);
      row.fact = won ? won->minor : 0;
      row.deals = won ? won->deals : 0;
      row.other_currency = a.won_deals - row.deals;
      row.open_deals = open ? open->deals : 0;
      row.open_other_currency = a.open_deals - row.open_deals;
      row.pipeline = open ? open->minor : 0;
      row.weighted = detail::figure(open ? open->weighted : 0, detail::kHundredthsScale);
      break;
    }
    case PlanMetric::won_count:
      row.fact = row.deals = a.won_deals;
      row.open_deals = a.open_deals;
      row.pipeline = a.open_deals;
      row.weighted = detail::figure(a.open_p, detail::kHundredthsScale);
      break;
    case PlanMetric::created_count:
      row.fact = row.deals = a.created;
      break;
  }
  row.plan = row.target.value;
  if (row.plan > 0) row.attainment = static_cast<double>(row.fact) / static_cast<double>(row.plan);
  const detail::DayCounts days = detail::day_counts(plan.periods[row.period], q.as_of, offset, calendar);
  row.total_days = days.total;
  row.elapsed_days = days.elapsed;
  row.remaining_days = days.total - days.elapsed;
  if (row.total_days > 0)
    row.expected_by_now = detail::figure(Int128(row.plan) * row.elapsed_days, row.total_days);
  if (row.elapsed_days > 0)
    row.projection = detail::figure(Int128(row.fact) * row.total_days, row.elapsed_days);
  const std::int64_t gap = row.plan - row.fact;
  if (gap <= 0) {
    row.required_per_day = detail::figure(0, 1);
  } else if (row.remaining_days > 0) {
    row.required_per_day = detail::figure(gap, row.remaining_days);
  }
  if (row.metric == PlanMetric::created_count) return;
  row.covered = gap <= 0;
  if (gap > 0) {
    row.coverage = static_cast<double>(row.pipeline) / static_cast<double>(gap);
    row.weighted_coverage = row.weighted.value / static_cast<double>(gap);
  }
}

std::vector<std::uint32_t> default_periods(const Plan& plan, Date d) {
  auto in = plan.periods_containing(d);
  if (in.empty()) in = plan.periods_containing(d - 1);
  if (in.empty())
    for (std::uint32_t i = 0; i < plan.periods.size(); ++i) in.push_back(i);
  return in;
}

}  // namespace

Result<AttainmentReport> compute_attainment(const Plan& plan, const analytics::EventLog& log,
                                            const std::vector<const Pipeline*>& pipelines,
                                            const AttainmentQuery& query) {
  AttainmentReport report;
  report.as_of = query.as_of;
  const int offset = query.utc_offset_minutes.value_or(plan.utc_offset_minutes);
  report.utc_offset_minutes = offset;
  const BusinessCalendar default_calendar;
  const BusinessCalendar& calendar = query.calendar ? *query.calendar : default_calendar;
  report.calendar = !calendar.name().empty() ? calendar.name() : query.calendar ? "custom" : "Mon–Fri";
  report.periods = query.periods.empty() ? default_periods(plan, query.as_of.date(offset)) : query.periods;
  std::sort(report.periods.begin(), report.periods.end());
  for (const Target& t : plan.targets) {
    if (t.scope == PlanScope::team && !query.team &&
        std::binary_search(report.periods.begin(), report.periods.end(), t.period))
      return Status(ErrorCode::invalid_argument,
                    "team target '" + t.scope_value + "' needs the team file (--team)",
                    t.versions.front().where);
  }
  auto tables = detail::FactTables::build(log, pipelines, query);
  if (!tables) return tables.status();
  for (const Target& t : plan.targets) {
    if (!std::binary_search(report.periods.begin(), report.periods.end(), t.period)) continue;
    if (query.scope && t.scope != *query.scope) continue;
    auto sums = tables->sums(plan, t.period, t.scope, offset);
    if (!sums) return sums.status();
    const TargetVersion* current = t.in_force(query.as_of);
    if (!current && !query.all_versions) {
      report.notes.push_back("target " + std::string(to_string(t.scope)) +
                             (t.scope_value.empty() ? "" : " '" + t.scope_value + "'") + " " +
                             std::string(to_string(t.metric)) + " of " + plan.periods[t.period].label +
                             ": no version in force at " + format_iso(query.as_of) + " (the first is from " +
                             format_iso(t.versions.front().effective_from) + ")");
      continue;
    }
    static const detail::ScopeSums kNone;
    const std::uint32_t code = tables->resolve(t);
    const detail::ScopeSums& agg = code < (*sums)->size() ? (**sums)[code] : kNone;
    for (std::uint32_t v = 0; v < t.versions.size(); ++v) {
      if (!query.all_versions && &t.versions[v] != current) continue;
      AttainmentRow row;
      row.period = t.period;
      row.scope = t.scope;
      row.scope_value = t.scope_value;
      row.metric = t.metric;
      row.currency = t.currency;
      row.version = v;
      row.version_count = static_cast<std::uint32_t>(t.versions.size());
      row.in_force = &t.versions[v] == current;
      row.target = t.versions[v];
      fill_row(row, agg, plan, query, offset, calendar);
      report.rows.push_back(std::move(row));
    }
  }
  report.rollup = check_rollup(plan, query.as_of, query.team, report.periods);
  std::int64_t other = 0, open_other = 0;
  for (const auto& row : report.rows) {
    other += row.other_currency;
    open_other += row.open_other_currency;
  }
  const std::string hint = query.fx ? "" : ": give --fx RATES.csv --report-currency CODE to convert them";
  if (other > 0)
    report.notes.push_back(
        std::to_string(other) +
        " won deal(s) (summed over the money rows) in another currency than their target's or "
        "without an amount are not in the fact" +
        hint);
  if (open_other > 0)
    report.notes.push_back(
        std::to_string(open_other) +
        " open deal(s) (summed over the money rows) in another currency than their target's or "
        "without an amount are not in the coverage" +
        hint);
  return report;
}

}  // namespace dealflow::planning
