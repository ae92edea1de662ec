// Commission statements per participant and period (see statement.h): the
// periods asked for, draws on top of the lines before draws
// (statement_lines.cpp), the totals and the team summary
// (statement_totals.cpp), filtered by the options.
#include "dealflow/compensation/statement.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "statement_engine.h"

namespace dealflow::compensation {
namespace detail {

Result<Statements> Engine::run(std::span<const planning::Period> periods) {
  Statements out;
  out.currency = plan_.currency;
  out.rounding = plan_.rounding;
  out.as_of = as_of_;
  for (const planning::Period& p : periods) {
    if (p.kind != plan_.period)
      return Status(ErrorCode::invalid_argument,
                    "period " + p.label + ": expected a " + std::string(planning::to_string(plan_.period)));
    if (as_of_ && !(p.begin_instant(plan_.utc_offset_minutes) <= *as_of_))
      return Status(ErrorCode::invalid_argument, "period " + p.label + " starts after the as-of instant " +
                                                     format_iso(*as_of_, plan_.utc_offset_minutes) +
                                                     ": expected a period begun by then");
  }
  for (const planning::Period& p : periods) {
    auto base = before_draws(p);
    if (!base) return base.status();
    PeriodStatements ps = (*base)->statements;
    for (const Participant& part : plan_.participants) {
      bool has_draw = false;
      for (const Assignment& a : part.assignments) has_draw = has_draw || a.draw.has_value();
      if (!has_draw) continue;
      if (part.in_force(p.end - 1) == nullptr && ps.find(part.manager) == ps.end()) continue;
      if (Status st = add_draw(statement(ps, part.manager, p), part, p); !st.ok()) return st;
    }
    for (auto& [manager, s] : ps)
      if (Status st = finish(s, plan_); !st.ok()) return st;
    auto sum = summary(p, ps);
    if (!sum) return sum.status();
    out.summary.push_back(std::move(*sum));
    for (auto& [manager, s] : ps) out.statements.push_back(std::move(s));
  }
  return out;
}

}  // namespace detail

Result<Statements> compute_statements(const analytics::EventLog& log,
                                      std::span<const Pipeline* const> pipelines,
                                      const CompensationPlan& plan, std::span<const planning::Period> periods,
                                      const StatementOptions& options) {
  for (const std::string& m : options.managers)
    if (plan.find_participant(m) == nullptr)
      return Status(ErrorCode::invalid_argument, "manager '" + m + "': not a participant of the plan " +
                                                     (plan.file.empty() ? plan.name : plan.file));
  try {
    detail::Engine engine(log, pipelines, plan, options.as_of, options.fx);
    auto out = engine.run(periods);
    if (!out || options.managers.empty()) return out;
    std::erase_if(out->statements, [&](const ParticipantStatement& s) {
      return std::find(options.managers.begin(), options.managers.end(), s.manager) == options.managers.end();
    });
    return out;
  } catch (const std::exception& e) {
    return Status(ErrorCode::invalid_argument, std::string("statements: ") + e.what());
  }
}

}  // namespace dealflow::compensation
