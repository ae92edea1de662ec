// The roll-up check of a plan: children's targets vs their parent's (dealflow/planning/attainment.h).
#include <algorithm>
#include <set>

#include "dealflow/planning/attainment.h"
#include "dealflow/routing/team.h"

namespace dealflow::planning {
namespace {

struct InForce {
  const Target* target;
  std::int64_t value;
};

bool same_measure(const Target& a, const Target& b) {
  return a.metric == b.metric && a.currency == b.currency;
}

RollupRow parent_row(const InForce& parent, RollupRow::Kind kind) {
  RollupRow row;
  row.kind = kind;
  row.period = parent.target->period;
  row.scope = parent.target->scope;
  row.scope_value = parent.target->scope_value;
  row.metric = parent.target->metric;
  row.currency = parent.target->currency;
  row.parent = parent.value;
  return row;
}

// Adds a row when `children` is not empty.
void add(std::vector<RollupRow>& out, RollupRow row, const std::vector<const InForce*>& children) {
  if (children.empty()) return;
  for (const InForce* c : children) {
    row.children_sum += c->value;
    ++row.children;
  }
  row.difference = row.children_sum - row.parent;
  out.push_back(std::move(row));
}

// The period kind whose periods sum to one of `kind`, if any.
std::optional<PeriodKind> child_kind(PeriodKind kind) {
  switch (kind) {
    case PeriodKind::quarter:
      return PeriodKind::month;
    case PeriodKind::half_year:
    case PeriodKind::year:
      return PeriodKind::quarter;
    default:
      return std::nullopt;
  }
}

}  // namespace

std::vector<RollupRow> check_rollup(const Plan& plan, Instant as_of, const routing::TeamModel* team,
                                    const std::vector<std::uint32_t>& periods) {
  std::vector<InForce> targets;
  for (const Target& t : plan.targets)
    if (const TargetVersion* v = t.in_force(as_of)) targets.push_back({&t, v->value});
  auto reported = [&](std::uint32_t p) {
    return periods.empty() || std::find(periods.begin(), periods.end(), p) != periods.end();
  };
  // Team membership: a manager value (key or name) per team, with descendants.
  auto members_of = [&](const std::string& team_key) {
    std::set<std::string> out;
    if (!team) return out;
    auto id = team->find_team(team_key);
    if (!id) return out;
    for (ManagerId m : team->pool_of_team(*id)) {
      out.insert(team->manager(m).key);
      out.insert(team->manager(m).name);
    }
    return out;
  };
  std::vector<RollupRow> out;
  for (const InForce& parent : targets) {
    const Target& p = *parent.target;
    if (!reported(p.period)) continue;
    auto children_where = [&](auto pred) {
      std::vector<const InForce*> c;
      for (const InForce& child : targets)
        if (child.target->period == p.period && same_measure(*child.target, p) && pred(*child.target))
          c.push_back(&child);
      return c;
    };
    if (p.scope == PlanScope::company) {
      for (PlanScope s : {PlanScope::team, PlanScope::manager, PlanScope::pipeline, PlanScope::region,
                          PlanScope::product, PlanScope::business}) {
        RollupRow row = parent_row(parent, RollupRow::Kind::scope);
        row.child_scope = s;
        add(out, std::move(row), children_where([&](const Target& c) {
              if (c.scope != s) return false;
              if (s != PlanScope::team || !team) return true;
              auto id = team->find_team(c.scope_value);  // top-level teams only
              return id && !team->team(*id).parent;
            }));
      }
    } else if (p.scope == PlanScope::team && team) {
      const auto members = members_of(p.scope_value);
      RollupRow row = parent_row(parent, RollupRow::Kind::scope);
      row.child_scope = PlanScope::manager;
      add(out, row, children_where([&](const Target& c) {
            return c.scope == PlanScope::manager && members.count(c.scope_value);
          }));
      if (auto id = team->find_team(p.scope_value)) {
        row.child_scope = PlanScope::team;
        add(out, row, children_where([&](const Target& c) {
              if (c.scope != PlanScope::team) return false;
              auto child = team->find_team(c.scope_value);
              return child && team->team(*child).parent == id;
            }));
      }
    }
    // In time: the same scope's targets in the periods that make up this one.
    const Period& period = plan.periods[p.period];
    if (auto kind = child_kind(period.kind)) {
      std::vector<const InForce*> children;
      for (const InForce& child : targets) {
        const Target& c = *child.target;
        const Period& cp = plan.periods[c.period];
        if (cp.kind == *kind && period.first <= cp.first && cp.end <= period.end && c.scope == p.scope &&
            c.scope_value == p.scope_value && same_measure(c, p))
          children.push_back(&child);
      }
      RollupRow row = parent_row(parent, RollupRow::Kind::time);
      row.child_period_kind = *kind;
      add(out, std::move(row), children);
    }
  }
  return out;
}

}  // namespace dealflow::planning
