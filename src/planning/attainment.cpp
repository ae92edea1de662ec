// Plan vs fact, pacing and coverage (dealflow/planning/attainment.h).
#include "dealflow/planning/attainment.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

#include "analytics/report_context.h"
#include "dealflow/planning/pipeline_state.h"
#include "dealflow/routing/team.h"
#include "planning/attainment_detail.h"

namespace dealflow::planning {
namespace {

using analytics::StandardDimension;
using detail::Int128;

// One deal as the fact and the coverage see it.
struct DealRecord {
  Instant at;                                       // won: closing instant; created: created_at; open: unused
  std::optional<Date> close_date;                   // open deals
  std::optional<Money> amount;                      // as of as_of, converted when fx is given
  std::uint32_t probability = 0;                    // open deals, hundredths of a percent
  std::array<std::string, kPlanScopeCount> keys;    // team: unused (see team_keys)
  const std::vector<std::string>* teams = nullptr;  // the teams the owner belongs to
};

// Sums per (period, scope, value).
struct Agg {
  std::map<std::string, std::int64_t> won_minor;  // by currency code
  std::map<std::string, std::int64_t> won_by_currency;
  std::int64_t won = 0;
  std::int64_t created = 0;
  std::map<std::string, std::int64_t> open_minor;
  std::map<std::string, Int128> open_weighted;  // sum of minor x hundredths
  std::map<std::string, std::int64_t> open_by_currency;
  std::int64_t open = 0;
  std::int64_t open_p = 0;  // sum of hundredths
};
using AggKey = std::tuple<std::uint32_t, PlanScope, std::string>;

// Team keys per manager key and per manager name (a team and all its ancestors).
class TeamIndex {
 public:
  explicit TeamIndex(const routing::TeamModel* team) {
    if (!team) return;
    for (const auto& t : team->teams()) {
      for (ManagerId m : team->pool_of_team(t.id)) {
        by_key_[team->manager(m).key].push_back(t.key);
        by_name_[team->manager(m).name].push_back(t.key);
      }
    }
  }
  const std::vector<std::string>* teams_of(const std::string& owner) const {
    if (auto it = by_key_.find(owner); it != by_key_.end()) return &it->second;
    if (auto it = by_name_.find(owner); it != by_name_.end()) return &it->second;
    return nullptr;
  }

 private:
  std::unordered_map<std::string, std::vector<std::string>> by_key_, by_name_;
};

void fill_keys(DealRecord& r, const analytics::EventLog& log, DealId d, std::uint32_t owner,
               const Pipeline& pipeline, Instant dims_at, const TeamIndex& teams) {
  const auto& managers = log.dimension(StandardDimension::manager).values;
  r.keys[static_cast<std::size_t>(PlanScope::manager)] =
      owner == kNoValue || owner >= managers.size() ? std::string() : std::string(managers.at(owner));
  r.keys[static_cast<std::size_t>(PlanScope::pipeline)] = pipeline.id();
  const std::pair<PlanScope, StandardDimension> dims[] = {{PlanScope::region, StandardDimension::region},
                                                          {PlanScope::product, StandardDimension::product},
                                                          {PlanScope::business, StandardDimension::business}};
  for (auto [scope, dim] : dims)
    r.keys[static_cast<std::size_t>(scope)] =
        std::string(log.dimension_value_as_of(d, analytics::to_dimension_id(dim), dims_at));
  r.teams = teams.teams_of(r.keys[static_cast<std::size_t>(PlanScope::manager)]);
}

struct Records {
  std::vector<DealRecord> won, created, open;
};

Result<Records> collect(const analytics::EventLog& log, const std::vector<const Pipeline*>& pipelines,
                        const AttainmentQuery& q, const TeamIndex& teams) {
  Records out;
  auto source = analytics::detail::AmountSource::create(log, q.fx, q.as_of);
  if (!source) return source.status();
  for (const Pipeline* p : pipelines) {
    auto state = pipeline_state_as_of(log, *p, q.as_of);
    if (!state) return state.status();
    for (const ClosedDeal& c : state->closed) {
      DealRecord r;
      r.at = log.created_at(c.deal);
      fill_keys(r, log, c.deal, c.owner, *p, q.as_of, teams);
      out.created.push_back(r);
      if (!c.won) continue;
      r.at = c.closed_at;
      auto amount = source->amount(c.deal, c.closed_at);
      if (!amount) return amount.status();
      r.amount = *amount;
      fill_keys(r, log, c.deal, c.owner, *p, c.closed_at, teams);
      out.won.push_back(std::move(r));
    }
    for (const OpenDeal& o : state->open) {
      DealRecord r;
      r.at = o.created_at;
      fill_keys(r, log, o.deal, o.owner, *p, q.as_of, teams);
      out.created.push_back(r);
      auto amount = source->amount(o.deal, std::nullopt);
      if (!amount) return amount.status();
      r.amount = *amount;
      r.close_date = o.close_date;
      r.probability = effective_probability(*p, o);
      out.open.push_back(std::move(r));
    }
  }
  return out;
}

// Calls f(key) for each value the deal has in `scope` ("" for company).
template <class F>
void for_each_key(const DealRecord& r, PlanScope scope, F f) {
  if (scope == PlanScope::company) return f(std::string());
  if (scope == PlanScope::team) {
    if (r.teams)
      for (const auto& t : *r.teams) f(t);
    return;
  }
  f(r.keys[static_cast<std::size_t>(scope)]);
}

Status aggregate(const Records& records, const Plan& plan, std::uint32_t period_index, PlanScope scope,
                 int offset, std::map<AggKey, Agg>& aggs) {
  const Period& period = plan.periods[period_index];
  const Instant begin = period.begin_instant(offset), end = period.end_instant(offset);
  for (const DealRecord& r : records.won) {
    if (r.at < begin || r.at >= end) continue;
    Status st;
    for_each_key(r, scope, [&](const std::string& k) {
      Agg& a = aggs[{period_index, scope, k}];
      ++a.won;
      if (!r.amount) return;
      const std::string code(r.amount->currency().code());
      ++a.won_by_currency[code];
      if (__builtin_add_overflow(a.won_minor[code], r.amount->minor_units(), &a.won_minor[code]))
        st =
            Status(ErrorCode::overflow, "the won amount of " + period.label + " overflows int64 minor units");
    });
    DEALFLOW_RETURN_IF_ERROR(st);
  }
  for (const DealRecord& r : records.created) {
    if (r.at < begin || r.at >= end) continue;
    for_each_key(r, scope, [&](const std::string& k) { ++aggs[{period_index, scope, k}].created; });
  }
  for (const DealRecord& r : records.open) {
    if (!r.close_date || !period.contains(*r.close_date)) continue;
    Status st;
    for_each_key(r, scope, [&](const std::string& k) {
      Agg& a = aggs[{period_index, scope, k}];
      ++a.open;
      a.open_p += r.probability;
      if (!r.amount) return;
      const std::string code(r.amount->currency().code());
      ++a.open_by_currency[code];
      a.open_weighted[code] += Int128(r.amount->minor_units()) * r.probability;
      if (__builtin_add_overflow(a.open_minor[code], r.amount->minor_units(), &a.open_minor[code]))
        st = Status(ErrorCode::overflow,
                    "the open pipeline of " + period.label + " overflows int64 minor units");
    });
    DEALFLOW_RETURN_IF_ERROR(st);
  }
  return Status::ok_status();
}

std::int64_t get(const std::map<std::string, std::int64_t>& m, std::string_view k) {
  auto it = m.find(std::string(k));
  return it == m.end() ? 0 : it->second;
}

void fill_row(AttainmentRow& row, const Agg& a, const Plan& plan, const AttainmentQuery& q, int offset,
              const BusinessCalendar& calendar) {
  const std::string code(row.currency.code());
  switch (row.metric) {
    case PlanMetric::won_amount:
      row.fact = get(a.won_minor, code);
      row.deals = get(a.won_by_currency, code);
      row.other_currency = a.won - row.deals;
      row.open_deals = get(a.open_by_currency, code);
      row.open_other_currency = a.open - row.open_deals;
      row.pipeline = get(a.open_minor, code);
      if (auto it = a.open_weighted.find(code); it != a.open_weighted.end())
        row.weighted = detail::figure(it->second, detail::kHundredthsScale);
      else
        row.weighted = detail::figure(0, 1);
      break;
    case PlanMetric::won_count:
      row.fact = row.deals = a.won;
      row.open_deals = a.open;
      row.pipeline = a.open;
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
  const TeamIndex teams(query.team);
  auto records = collect(log, pipelines, query, teams);
  if (!records) return records.status();

  std::map<AggKey, Agg> aggs;
  std::vector<std::pair<std::uint32_t, PlanScope>> done;
  for (const Target& t : plan.targets) {
    if (!std::binary_search(report.periods.begin(), report.periods.end(), t.period)) continue;
    if (query.scope && t.scope != *query.scope) continue;
    const std::pair<std::uint32_t, PlanScope> key{t.period, t.scope};
    if (std::find(done.begin(), done.end(), key) == done.end()) {
      DEALFLOW_RETURN_IF_ERROR(aggregate(*records, plan, t.period, t.scope, offset, aggs));
      done.push_back(key);
    }
    const TargetVersion* current = t.in_force(query.as_of);
    if (!current && !query.all_versions) {
      report.notes.push_back("target " + std::string(to_string(t.scope)) +
                             (t.scope_value.empty() ? "" : " '" + t.scope_value + "'") + " " +
                             std::string(to_string(t.metric)) + " of " + plan.periods[t.period].label +
                             ": no version in force at " + format_iso(query.as_of) + " (the first is from " +
                             format_iso(t.versions.front().effective_from) + ")");
      continue;
    }
    static const Agg kEmpty;
    const auto agg_it = aggs.find({t.period, t.scope, t.scope_value});
    const Agg& agg = agg_it == aggs.end() ? kEmpty : agg_it->second;
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
  if (!query.fx) {
    std::int64_t other = 0;
    for (const auto& row : report.rows) other += row.other_currency;
    if (other > 0)
      report.notes.push_back(std::to_string(other) +
                             " won deal(s) in another currency than their target's are not in the fact: give "
                             "--fx RATES.csv --report-currency CODE to convert them");
  }
  return report;
}

}  // namespace dealflow::planning
