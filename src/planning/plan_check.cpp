// check_plan: a plan against the data, the team file and the calendar (dealflow/planning/plan.h).
#include <algorithm>
#include <set>

#include "dealflow/analytics/event_log.h"
#include "dealflow/planning/plan.h"
#include "dealflow/routing/team.h"

namespace dealflow::planning {
namespace {

// "a, b, c" of at most `limit` values, then ", ... (N in all)".
std::string listing(const std::set<std::string>& values, std::size_t limit = 8) {
  std::string out;
  std::size_t n = 0;
  for (const auto& v : values) {
    if (n == limit) return out + ", ... (" + std::to_string(values.size()) + " in all)";
    out += (n++ ? ", " : "") + v;
  }
  return out.empty() ? "none" : out;
}

std::set<std::string> dimension_values(const analytics::EventLog& log, analytics::StandardDimension d) {
  std::set<std::string> out;
  const Dictionary& values = log.dimension(d).values;
  for (std::uint32_t c = 0; c < values.size(); ++c) out.emplace(values.at(c));
  return out;
}

// Where a check error points: the target's first version row.
Status at_target(const Target& t, std::string message, ErrorCode code = ErrorCode::validation_failed) {
  return Status(code, std::move(message), t.versions.front().where);
}

}  // namespace

Status check_plan(const Plan& plan, const PlanContext& context) {
  if (context.calendar) {
    for (std::uint32_t i = 0; i < plan.periods.size(); ++i) {
      const Period& p = plan.periods[i];
      if (p.working_days(*context.calendar) > 0) continue;
      for (const Target& t : plan.targets) {
        if (t.period != i) continue;
        const std::string cal =
            context.calendar->name().empty() ? "the calendar" : "calendar '" + context.calendar->name() + "'";
        return at_target(t, "period " + p.label + " (" + p.first.to_string() + " .. " +
                                (p.end - 1).to_string() + ") has no working days on " + cal +
                                ": expected a period with at least one working day (pacing divides by them)");
      }
    }
  }
  std::set<std::string> managers, team_keys, team_managers;
  if (context.log) managers = dimension_values(*context.log, analytics::StandardDimension::manager);
  if (context.team) {
    for (const auto& m : context.team->managers()) {
      team_managers.insert(m.key);
      team_managers.insert(m.name);
    }
    for (const auto& team : context.team->teams()) team_keys.insert(team.key);
  }
  std::set<std::string> currencies;
  if (context.log)
    for (const Currency& c : context.log->currencies()) currencies.emplace(c.code());
  const std::set<std::string> pipelines(context.pipelines.begin(), context.pipelines.end());

  for (const Target& t : plan.targets) {
    const std::string& v = t.scope_value;
    switch (t.scope) {
      case PlanScope::company:
        break;
      case PlanScope::team:
        if (!context.team)
          return at_target(
              t, "team target '" + v + "' needs a team file (--team): expected one to resolve teams",
              ErrorCode::not_found);
        if (!team_keys.count(v))
          return at_target(
              t,
              "unknown team '" + v + "': expected a team key of the team file (" + listing(team_keys) + ")",
              ErrorCode::not_found);
        break;
      case PlanScope::manager:
        if ((context.log || context.team) && !managers.count(v) && !team_managers.count(v)) {
          std::set<std::string> known = managers;
          known.insert(team_managers.begin(), team_managers.end());
          return at_target(t,
                           "unknown manager '" + v + "': expected a manager of the data" +
                               std::string(context.team ? " or a key or name of the team file" : "") + " (" +
                               listing(known) + ")",
                           ErrorCode::not_found);
        }
        break;
      case PlanScope::pipeline:
        if (!pipelines.empty() && !pipelines.count(v))
          return at_target(
              t, "unknown pipeline '" + v + "': expected a loaded pipeline (" + listing(pipelines) + ")",
              ErrorCode::not_found);
        break;
      case PlanScope::region:
      case PlanScope::product:
      case PlanScope::business:
        if (context.log) {
          const auto dim = t.scope == PlanScope::region    ? analytics::StandardDimension::region
                           : t.scope == PlanScope::product ? analytics::StandardDimension::product
                                                           : analytics::StandardDimension::business;
          const auto known = dimension_values(*context.log, dim);
          if (!known.count(v))
            return at_target(t,
                             "unknown " + std::string(to_string(t.scope)) + " '" + v +
                                 "': expected a value the data has (" + listing(known) + ")",
                             ErrorCode::not_found);
        }
        break;
    }
    if (!t.is_money()) continue;
    const std::string code(t.currency.code());
    if (context.report_currency) {
      if (t.currency != *context.report_currency)
        return at_target(t,
                         "target currency " + code + " but amounts are converted into " +
                             std::string(context.report_currency->code()) +
                             " (--report-currency): expected targets in " +
                             std::string(context.report_currency->code()),
                         ErrorCode::currency_mismatch);
    } else if (context.log && !currencies.count(code)) {
      return at_target(t,
                       "target currency " + code + " the data does not have (its amounts are in " +
                           listing(currencies) + "): expected a target in one of them, or --fx RATES.csv " +
                           "--report-currency " + code + " to convert the amounts",
                       ErrorCode::currency_mismatch);
    }
  }
  return Status::ok_status();
}

}  // namespace dealflow::planning
