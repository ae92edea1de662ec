// Lint against brute-force enumeration on small random rule sets (seeded):
// gap counts, gap cubes, shadowed rules, overlaps, unservable combinations and
// idle managers must agree with checking every combination one by one.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <random>
#include <set>

#include "dealflow/routing/lint.h"
#include "lint_test_util.h"

namespace dealflow::routing {
namespace {

using namespace lint_testing;

struct Combo {
  std::vector<ValueCode> values;      // per categorical attribute
  std::optional<std::int64_t> amount;  // when amount is a lint dimension
};

struct Instance {
  std::unique_ptr<TeamModel> team;
  RuleSet rules;
  LintOptions options;
};

Instance random_instance(std::mt19937& rng) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  AttributeSchema schema;
  const int attrs = pick(2, 4);
  for (int a = 0; a < attrs; ++a) {
    std::vector<std::string> values;
    const int n = pick(2, 5);
    for (int v = 0; v < n; ++v) values.push_back("a" + std::to_string(a) + "v" + std::to_string(v));
    const AttributeId id = *schema.add_categorical("attr" + std::to_string(a), values);
    if (a == 0 && n >= 4 && pick(0, 1) == 1) {  // v1 ⊃ {v2, v3}
      EXPECT_TRUE(schema.add_child(id, values[1], values[2]).ok());
      EXPECT_TRUE(schema.add_child(id, values[1], values[3]).ok());
    }
  }
  EXPECT_TRUE(schema.add_numeric("amount", NumericKind::integer).ok());

  std::vector<ManagerDef> managers;
  for (int m = 0; m < 4; ++m) {
    ManagerDef d;
    d.key = "m" + std::to_string(m);
    d.active = pick(0, 9) != 0;
    d.daily = pick(0, 19) == 0 ? 0 : Capacity::kUnlimited;
    if (pick(0, 1) == 1) {
      const int a = pick(0, attrs - 1);
      const auto& attr = schema.categorical(AttributeId(static_cast<std::uint16_t>(a)));
      d.skills["attr" + std::to_string(a)].push_back(std::string(attr.value_name(pick(0, static_cast<int>(attr.size()) - 1))));
    }
    managers.push_back(d);
  }
  Instance inst;
  inst.team = make_team(std::move(schema), managers);
  const TeamModel& team = *inst.team;

  std::vector<RuleSpec> specs;
  const int rules = pick(1, 12);
  for (int r = 0; r < rules; ++r) {
    RuleSpec spec;
    spec.key = "r" + std::to_string(r);
    spec.priority = pick(1, 3);
    for (int a = 0; a < attrs; ++a) {
      const int kind = pick(0, 19);
      if (kind < 11) continue;  // any
      const auto& attr = team.schema().categorical(AttributeId(static_cast<std::uint16_t>(a)));
      CategoricalCondition c;
      c.attribute = AttributeId(static_cast<std::uint16_t>(a));
      c.kind = kind < 17 ? ConditionKind::in_set : ConditionKind::not_in_set;
      const int count = pick(1, 2);
      std::set<ValueCode> chosen;
      for (int k = 0; k < count; ++k) chosen.insert(static_cast<ValueCode>(pick(0, static_cast<int>(attr.size()) - 1)));
      c.values.assign(chosen.begin(), chosen.end());
      spec.conditions.push_back(c);
    }
    if (pick(0, 9) < 3) {
      NumericRange range;
      range.attribute = NumericAttributeId(0);
      const int shape = pick(0, 2);
      const int lo = pick(0, 5);
      if (shape != 1) range.min = lo;
      if (shape != 0) range.max = lo + pick(1, 3);
      spec.ranges.push_back(range);
    }
    spec.target = TargetSpec::single(ManagerId(static_cast<std::uint32_t>(pick(0, 3))));
    specs.push_back(std::move(spec));
  }
  inst.rules = build_rules(team, std::move(specs));
  inst.options.include_empty_values = pick(0, 9) < 3;
  inst.options.leaf_values_only = pick(0, 9) < 2;
  inst.options.max_gap_cubes = static_cast<std::size_t>(pick(1, 4));
  return inst;
}

std::vector<Combo> all_combos(const Instance& inst) {
  const AttributeSchema& schema = inst.team->schema();
  std::vector<std::vector<ValueCode>> domains;
  for (const auto& attr : schema.categorical_attributes()) {
    std::vector<ValueCode> d;
    for (ValueCode v = 0; v < attr.size(); ++v) {
      if (!inst.options.leaf_values_only || attr.is_leaf(v)) d.push_back(v);
    }
    if (inst.options.include_empty_values) d.push_back(kUnspecified);
    domains.push_back(d);
  }
  // Amount: one representative per elementary interval of the rules' bounds.
  std::vector<std::optional<std::int64_t>> amounts;
  std::set<std::int64_t> bounds;
  for (const Rule& r : inst.rules.rules()) {
    for (const NumericRange& range : r.ranges) {
      if (range.min) bounds.insert(*range.min);
      if (range.max) bounds.insert(*range.max);
    }
  }
  if (bounds.empty()) {
    amounts.push_back(std::nullopt);  // not a dimension
  } else {
    amounts.push_back(*bounds.begin() - 1);
    for (std::int64_t b : bounds) amounts.push_back(b);
    if (inst.options.include_empty_values) amounts.push_back(std::nullopt);
  }
  std::vector<Combo> out;
  std::vector<std::size_t> idx(domains.size(), 0);
  while (true) {
    for (const auto& amount : amounts) {
      Combo c;
      for (std::size_t a = 0; a < domains.size(); ++a) c.values.push_back(domains[a][idx[a]]);
      c.amount = amount;
      out.push_back(c);
    }
    std::size_t a = 0;
    while (a < domains.size() && ++idx[a] == domains[a].size()) idx[a++] = 0;
    if (a == domains.size()) break;
  }
  return out;
}

bool matches(const Rule& r, const Combo& c) {
  for (std::size_t a = 0; a < c.values.size(); ++a) {
    if (!r.accepts(AttributeId(static_cast<std::uint16_t>(a)), c.values[a])) return false;
  }
  for (const NumericRange& range : r.ranges) {
    if (!c.amount || !range.contains(*c.amount)) return false;
  }
  return true;
}

bool manager_takes(const Manager& m, const Combo& c) {
  if (!m.active || m.capacity.daily == 0) return false;
  for (std::size_t a = 0; a < c.values.size(); ++a) {
    if (!m.accepts(AttributeId(static_cast<std::uint16_t>(a)), c.values[a])) return false;
  }
  return true;
}

bool in_cube(const LintCube& cube, const Combo& c) {
  for (std::size_t d = 0; d < cube.axes.size(); ++d) {
    const LintAxis& axis = cube.axes[d];
    if (!axis.numeric) {
      if (std::find(axis.values.begin(), axis.values.end(), c.values[d]) == axis.values.end()) return false;
      continue;
    }
    if (!c.amount) {
      if (!axis.empty_value) return false;
      continue;
    }
    bool inside = false;
    for (const auto& iv : axis.intervals) {
      inside |= (!iv.min || *c.amount >= *iv.min) && (!iv.max || *c.amount < *iv.max);
    }
    if (!inside) return false;
  }
  return true;
}

TEST(LintProperty, AgreesWithBruteForceEnumeration) {
  std::mt19937 rng(424242);
  // How many instances exercised each finding (the generator must reach all).
  int with_gaps = 0, with_shadows = 0, with_overlaps = 0, with_unservable = 0, with_idle = 0, with_amount = 0;
  for (int iteration = 0; iteration < 300; ++iteration) {
    SCOPED_TRACE("iteration " + std::to_string(iteration));
    const Instance inst = random_instance(rng);
    Result<LintReport> report = lint_rules(*inst.team, inst.rules, inst.options);
    ASSERT_TRUE(report.ok()) << report.status().to_string();
    const std::vector<Combo> combos = all_combos(inst);
    const auto& rules = inst.rules.rules();
    with_gaps += report->gaps.uncovered.is_zero() ? 0 : 1;
    with_shadows += report->shadowed.empty() ? 0 : 1;
    with_overlaps += report->overlaps_total == 0 ? 0 : 1;
    with_unservable += report->unreachable_targets.empty() ? 0 : 1;
    with_idle += report->idle_managers.empty() ? 0 : 1;
    with_amount += report->domains.back().numeric ? 1 : 0;

    // Gaps: counts, and every shown cube lies inside the gaps.
    std::uint64_t uncovered = 0;
    std::uint64_t in_shown = 0;
    for (const Combo& c : combos) {
      bool covered = false;
      for (const Rule& r : rules) covered |= matches(r, c);
      bool shown = false;
      for (const LintCube& cube : report->gaps.cubes) shown |= in_cube(cube, c);
      if (!covered) ++uncovered;
      if (shown) {
        ++in_shown;
        EXPECT_FALSE(covered) << "a shown gap cube contains a covered combination";
      }
    }
    EXPECT_EQ(report->gaps.universe.to_u64(), combos.size());
    EXPECT_EQ(report->gaps.uncovered.to_u64(), uncovered);
    EXPECT_EQ(in_shown + *report->gaps.not_shown.to_u64(), uncovered);
    EXPECT_LE(report->gaps.cubes.size(), inst.options.max_gap_cubes);
    for (const LintCube& cube : report->gaps.cubes) {
      std::uint64_t n = 0;
      for (const Combo& c : combos) n += in_cube(cube, c) ? 1 : 0;
      EXPECT_EQ(cube.combinations.to_u64(), n);
    }

    // Shadowed: every combination of the rule is matched by an earlier rule.
    std::vector<RuleId> expected_shadowed;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      bool all = true;
      for (const Combo& c : combos) {
        if (!matches(rules[i], c)) continue;
        bool earlier = false;
        for (std::size_t j = 0; j < i && !earlier; ++j) earlier = matches(rules[j], c);
        all &= earlier;
      }
      if (all) expected_shadowed.push_back(RuleId(static_cast<std::uint32_t>(i)));
    }
    std::vector<RuleId> got_shadowed;
    for (const ShadowedRule& s : report->shadowed) {
      got_shadowed.push_back(s.rule);
      // Its shadowing rules alone cover it.
      for (const Combo& c : combos) {
        if (!matches(rules[s.rule.value()], c)) continue;
        bool by = false;
        for (RuleId j : s.shadowed_by) by |= matches(rules[j.value()], c);
        EXPECT_TRUE(by) << rules[s.rule.value()].key;
      }
    }
    EXPECT_EQ(got_shadowed, expected_shadowed);

    // Overlaps: equal priority, different manager, a common combination.
    std::size_t overlaps = 0;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      for (std::size_t j = i + 1; j < rules.size(); ++j) {
        if (rules[i].priority != rules[j].priority || rules[i].target.manager == rules[j].target.manager) continue;
        bool common = false;
        for (const Combo& c : combos) common |= matches(rules[i], c) && matches(rules[j], c);
        overlaps += common ? 1 : 0;
      }
    }
    EXPECT_EQ(report->overlaps_total, overlaps);

    // Unservable: matched combinations the target manager can never take.
    std::set<std::uint32_t> reachable;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const Manager& m = inst.team->manager(rules[i].target.manager);
      std::uint64_t matched = 0, unservable = 0;
      for (const Combo& c : combos) {
        if (!matches(rules[i], c)) continue;
        ++matched;
        if (manager_takes(m, c)) {
          reachable.insert(m.id.value());
        } else {
          ++unservable;
        }
      }
      std::uint64_t reported = 0;
      for (const UnreachableTarget& u : report->unreachable_targets) {
        if (u.rule && u.rule->value() == i) {
          reported = *u.unservable.to_u64();
          EXPECT_EQ(u.matched.to_u64(), matched);
          EXPECT_EQ(u.entire, unservable == matched);
        }
      }
      EXPECT_EQ(reported, matched == 0 ? 0 : unservable) << rules[i].key;
    }
    std::set<std::uint32_t> idle;
    for (const IdleManager& m : report->idle_managers) idle.insert(m.manager.value());
    for (const Manager& m : inst.team->managers()) {
      EXPECT_EQ(idle.count(m.id.value()) == 1, reachable.count(m.id.value()) == 0) << m.key;
    }
  }
  EXPECT_GT(with_gaps, 30);
  EXPECT_GT(with_shadows, 30);
  EXPECT_GT(with_overlaps, 30);
  EXPECT_GT(with_unservable, 30);
  EXPECT_GT(with_idle, 30);
  EXPECT_GT(with_amount, 30);
  std::cout << "instances with gaps " << with_gaps << ", shadows " << with_shadows << ", overlaps " << with_overlaps
            << ", unservable " << with_unservable << ", idle " << with_idle << ", amount " << with_amount << "\n";
}

}  // namespace
}  // namespace dealflow::routing
