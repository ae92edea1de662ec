// Lint on hand-built rule sets: gaps with exact counts, shadowed rules,
// overlaps, unreachable targets and idle managers (counts worked out by hand
// in the comments).
#include "dealflow/routing/lint.h"

#include <gtest/gtest.h>

#include "dealflow/routing/lint_json.h"
#include "lint_test_util.h"
#include "routing_test_util.h"

namespace dealflow::routing {
namespace {

using namespace lint_testing;

std::uint64_t u64(const CombinationCount& c) {
  EXPECT_TRUE(c.to_u64().has_value());
  return c.to_u64().value_or(0);
}

// Domain: region 5 values (Москва, Сибирь, Новосибирск, Томск, Урал) ×
// product 3 × tier 2 = 30 combinations (amount: no rule constrains it).
struct Department {
  std::unique_ptr<TeamModel> team = make_team(department_schema(), {{"a", {}},
                                                                    {"b", {}},
                                                                    {"e", {}},
                                                                    {"s", {{"region", {"Сибирь"}}}},
                                                                    {"s-ural", {{"region", {"Урал"}}}}});
  std::vector<RuleSpec> base() const {
    return {rule("moscow", 10, {in(*team, "region", {"Москва"})}, to_manager(*team, "a")),
            rule("siberia", 10,
                 {in(*team, "region", {"Сибирь"}), in(*team, "product", {"Станки", "Инструмент"})},
                 TargetSpec::of_pool(pool_of(*team, {"s"}))),
            rule("enterprise", 20, {in(*team, "tier", {"Enterprise"})}, to_manager(*team, "e"))};
  }
};

TEST(LintGaps, KnownGapWithHandCountedCombinations) {
  // Covered: Москва×3×2 = 6, Сибирь-subtree(3)×2×2 = 12, 5×3×Enterprise = 15;
  // overlaps 3 and 6, so 24 covered and 30 - 24 = 6 uncovered:
  // SMB × (Урал × 3 products) and SMB × Сибирь-subtree × Сервис.
  Department d;
  RuleSet rules = build_rules(*d.team, d.base());
  Result<LintReport> r = lint_rules(*d.team, rules);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(u64(r->gaps.universe), 30u);
  EXPECT_EQ(u64(r->gaps.uncovered), 6u);
  ASSERT_EQ(r->gaps.cubes.size(), 2u);
  // Maximal cubes, largest first; they overlap on Урал × Сервис × SMB.
  EXPECT_EQ(describe(*d.team, r->gaps.cubes[0]), "region=Сибирь,Новосибирск,Томск,Урал product=Сервис tier=SMB");
  EXPECT_EQ(u64(r->gaps.cubes[0].combinations), 4u);
  EXPECT_EQ(describe(*d.team, r->gaps.cubes[1]), "region=Урал product=* tier=SMB");
  EXPECT_EQ(u64(r->gaps.cubes[1].combinations), 3u);
  EXPECT_TRUE(r->gaps.not_shown.is_zero());
  EXPECT_FALSE(r->gaps.has_default_pool);
  EXPECT_TRUE(r->shadowed.empty());
  EXPECT_EQ(r->overlaps_total, 0u);
  EXPECT_FALSE(r->clean());
  // Only categorical dimensions: amount is constrained by no rule.
  ASSERT_EQ(r->domains.size(), 3u);
  EXPECT_EQ(r->domains[0].attribute, "region");
  EXPECT_TRUE(r->domains[0].any);
}

TEST(LintGaps, ShowsAtMostTheRequestedCubesAndCountsTheRest) {
  Department d;
  RuleSet rules = build_rules(*d.team, d.base());
  LintOptions o;
  o.max_gap_cubes = 1;
  Result<LintReport> r = lint_rules(*d.team, rules, o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->gaps.cubes.size(), 1u);
  EXPECT_EQ(u64(r->gaps.uncovered), 6u);
  // The shown cube holds 4 of the 6: Урал × {Станки, Инструмент} × SMB remain.
  EXPECT_EQ(u64(r->gaps.not_shown), 2u);
}

TEST(LintGaps, EmptyValuesAndLeafOnlyDomains) {
  Department d;
  RuleSet rules = build_rules(*d.team, d.base());
  LintOptions empty;
  empty.include_empty_values = true;
  // Domains 6 × 4 × 3 = 72; moscow 1×4×3 = 12, siberia 3×2×3 = 18,
  // enterprise 6×4×1 = 24, minus overlaps 4 and 6: 44 covered, 28 not.
  Result<LintReport> r = lint_rules(*d.team, rules, empty);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(u64(r->gaps.universe), 72u);
  EXPECT_EQ(u64(r->gaps.uncovered), 28u);
  LintOptions leaves;
  leaves.leaf_values_only = true;
  // Regions without the parent Сибирь: 4 × 3 × 2 = 24; 6 + 8 + 12 - 3 - 4 = 19 covered.
  r = lint_rules(*d.team, rules, leaves);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(u64(r->gaps.universe), 24u);
  EXPECT_EQ(u64(r->gaps.uncovered), 5u);
}

TEST(LintGaps, NumericRangesBecomeIntervals) {
  // Bounds 0, 100000, 500000 cut amount into 4 intervals: 30 × 4 = 120;
  // (-inf, 0) and [100000, 500000) are covered by no rule: 60.
  Department d;
  const NumericAttributeId amount = *d.team->schema().find_numeric("amount");
  RuleSpec low = rule("small", 10, {}, to_manager(*d.team, "a"));
  low.ranges.push_back({amount, 0, 100000});
  RuleSpec high = rule("large", 10, {}, to_manager(*d.team, "b"));
  high.ranges.push_back({amount, 500000, std::nullopt});
  RuleSet rules = build_rules(*d.team, {low, high});
  Result<LintReport> r = lint_rules(*d.team, rules);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(u64(r->gaps.universe), 120u);
  EXPECT_EQ(u64(r->gaps.uncovered), 60u);
  ASSERT_EQ(r->gaps.cubes.size(), 1u);
  EXPECT_EQ(describe(*d.team, r->gaps.cubes[0]), "region=* product=* tier=* amount=[-inf,0),[100000,500000)");
  // With "no amount" as a value: 30 × 5 = 150; a lead without amount matches neither rule.
  LintOptions o;
  o.include_empty_values = true;
  r = lint_rules(*d.team, rules, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(u64(r->gaps.universe), 6u * 4 * 3 * 5);
  EXPECT_EQ(u64(r->gaps.uncovered), 6u * 4 * 3 * 3);
}

TEST(LintGaps, DefaultPoolIsCheckedOnTheGaps) {
  // The gaps (6) go to the default pool [s-ural]: it takes Урал × * × SMB (3)
  // but not Сибирь-subtree × Сервис × SMB (3).
  Department d;
  RuleSet rules = build_rules(*d.team, d.base(), pool_of(*d.team, {"s-ural"}));
  Result<LintReport> r = lint_rules(*d.team, rules);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->gaps.has_default_pool);
  ASSERT_EQ(r->unreachable_targets.size(), 1u);
  const UnreachableTarget& u = r->unreachable_targets[0];
  EXPECT_FALSE(u.rule.has_value());
  EXPECT_EQ(u.role, TargetRole::default_pool);
  EXPECT_EQ(u64(u.matched), 6u);
  EXPECT_EQ(u64(u.unservable), 3u);
  EXPECT_FALSE(u.entire);
  ASSERT_EQ(u.cubes.size(), 1u);
  EXPECT_EQ(describe(*d.team, u.cubes[0]), "region=Сибирь,Новосибирск,Томск product=Сервис tier=SMB");
}

TEST(LintGaps, FullCoverageIsClean) {
  Department d;
  std::vector<RuleSpec> specs = d.base();
  specs.push_back(rule("rest", 90, {}, TargetSpec::of_pool(pool_of(*d.team, {"a", "b", "e", "s", "s-ural"}))));
  RuleSet rules = build_rules(*d.team, specs);
  Result<LintReport> r = lint_rules(*d.team, rules);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->gaps.uncovered.is_zero());
  EXPECT_TRUE(r->gaps.cubes.empty());
  EXPECT_TRUE(r->clean()) << r->unreachable_targets.size() << " " << r->idle_managers.size();
}

// Zero dimensions: no categorical attribute and no rule range. The universe
// is the one empty combination; it is a gap exactly when no rule exists (any
// rule then matches every lead).
TEST(LintGaps, ZeroDimensions) {
  AttributeSchema schema;
  ASSERT_TRUE(schema.add_numeric("amount", NumericKind::money, Currency::of("RUB")).ok());
  auto team = make_team(std::move(schema), {{"a", {}}, {"b", {}}});

  RuleSet none = build_rules(*team, {});
  Result<LintReport> r = lint_rules(*team, none);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_TRUE(r->domains.empty());
  EXPECT_TRUE(r->gaps.complete);
  EXPECT_EQ(u64(r->gaps.universe), 1u);
  EXPECT_EQ(u64(r->gaps.uncovered), 1u);
  ASSERT_EQ(r->gaps.cubes.size(), 1u);
  EXPECT_TRUE(r->gaps.cubes[0].axes.empty());
  EXPECT_EQ(u64(r->gaps.cubes[0].combinations), 1u);
  EXPECT_TRUE(r->gaps.not_shown.is_zero());
  EXPECT_EQ(r->idle_managers.size(), 2u);
  EXPECT_FALSE(r->clean());

  // One rule covers it; a second one is shadowed by the first.
  RuleSet two = build_rules(*team, {rule("first", 10, {}, to_manager(*team, "a")),
                                    rule("second", 20, {}, to_manager(*team, "b"))});
  r = lint_rules(*team, two);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(u64(r->gaps.universe), 1u);
  EXPECT_TRUE(r->gaps.uncovered.is_zero());
  EXPECT_TRUE(r->gaps.cubes.empty());
  ASSERT_EQ(r->shadowed.size(), 1u);
  EXPECT_EQ(two.rule(r->shadowed[0].rule).key, "second");
  ASSERT_EQ(r->shadowed[0].shadowed_by.size(), 1u);
  EXPECT_EQ(two.rule(r->shadowed[0].shadowed_by[0]).key, "first");
  EXPECT_EQ(u64(r->shadowed[0].combinations), 1u);
  EXPECT_TRUE(r->unreachable_targets.empty());

  // No rule but a default pool: the one combination goes there.
  RuleSet fallback = build_rules(*team, {}, pool_of(*team, {"a", "b"}));
  r = lint_rules(*team, fallback);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(u64(r->gaps.uncovered), 1u);
  EXPECT_TRUE(r->gaps.has_default_pool);
  EXPECT_TRUE(r->unreachable_targets.empty());
  EXPECT_TRUE(r->idle_managers.empty());
}

// A range on an integer attribute, from the rules file: client_size is cut at
// 250 into (−∞, 250) and [250, ∞); the region × tier × channel × product
// domains give 5 × 2 × 2 × 2 = 40 combinations each, 80 in all.
TEST(LintGaps, IntegerRangeSplitsItsAttribute) {
  auto team = routing::testing::team_from(std::string("{") + routing::testing::kAttributes +
                                          R"(, "managers": [{"id": "key"}]})");
  ASSERT_TRUE(team.ok()) << team.status().to_string();
  auto rules = routing::testing::rules_from(
      R"({"rules": [{"id": "large-clients", "when": {"client_size": {"min": 250}}, "target": {"manager": "key"}}]})",
      *team);
  ASSERT_TRUE(rules.ok()) << rules.status().to_string();
  Result<LintReport> r = lint_rules(*team, *rules);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(u64(r->gaps.universe), 80u);
  EXPECT_EQ(u64(r->gaps.uncovered), 40u);
  ASSERT_EQ(r->gaps.cubes.size(), 1u);
  EXPECT_EQ(describe(*team, r->gaps.cubes[0]),
            "region=* tier=* channel=* product=* client_size=[-inf,250)");
  EXPECT_EQ(describe_cube(r->gaps.cubes[0], *team, r->domains), "client_size ∈ [−∞, 250)");
  const Json j = lint_report_to_json(*r, *team, *rules);
  EXPECT_EQ(j["gaps"][0]["values"]["client_size"], Json::parse(R"([{"min": null, "max": 250}])"));
  EXPECT_EQ(j["gaps"][0]["values"]["amount"], "any");  // constrained by no rule
  EXPECT_EQ(j["gaps"][0]["values"]["region"], "any");
}

TEST(LintShadowed, CoveredBySingleRuleByUnionOrMatchingNothing) {
  Department d;
  std::vector<RuleSpec> specs = d.base();
  // Inside siberia: one shadowing rule.
  specs.push_back(rule("tomsk", 30, {in(*d.team, "region", {"Томск"}), in(*d.team, "product", {"Станки"})},
                       to_manager(*d.team, "b")));
  // Москва part under moscow, Томск × Станки × SMB under siberia: a union.
  specs.push_back(rule("mixed", 40,
                       {in(*d.team, "region", {"Москва", "Томск"}), in(*d.team, "product", {"Станки"}),
                        in(*d.team, "tier", {"SMB"})},
                       to_manager(*d.team, "b")));
  // not_in covers the whole region domain: nothing left.
  specs.push_back(rule("nothing", 50, {cond(*d.team, "region", ConditionKind::not_in_set, {"Москва", "Сибирь", "Урал"})},
                       to_manager(*d.team, "b")));
  // Partly new (Урал × Станки × SMB is a gap): not shadowed.
  specs.push_back(rule("ural-tools", 60, {in(*d.team, "region", {"Урал"}), in(*d.team, "product", {"Станки"})},
                       to_manager(*d.team, "b")));
  RuleSet rules = build_rules(*d.team, specs);
  Result<LintReport> r = lint_rules(*d.team, rules);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->shadowed.size(), 3u);
  EXPECT_EQ(rules.rule(r->shadowed[0].rule).key, "tomsk");
  EXPECT_EQ(r->shadowed[0].reason, ShadowReason::covered_by_earlier_rules);
  ASSERT_EQ(r->shadowed[0].shadowed_by.size(), 1u);
  EXPECT_EQ(rules.rule(r->shadowed[0].shadowed_by[0]).key, "siberia");
  EXPECT_EQ(u64(r->shadowed[0].combinations), 2u);  // Томск × Станки × 2 tiers

  EXPECT_EQ(rules.rule(r->shadowed[1].rule).key, "mixed");
  ASSERT_EQ(r->shadowed[1].shadowed_by.size(), 2u);
  EXPECT_EQ(rules.rule(r->shadowed[1].shadowed_by[0]).key, "moscow");
  EXPECT_EQ(rules.rule(r->shadowed[1].shadowed_by[1]).key, "siberia");

  EXPECT_EQ(rules.rule(r->shadowed[2].rule).key, "nothing");
  EXPECT_EQ(r->shadowed[2].reason, ShadowReason::matches_nothing);
  EXPECT_TRUE(r->shadowed[2].shadowed_by.empty());
  EXPECT_TRUE(r->shadowed[2].combinations.is_zero());
  // ural-tools closes 1 of the 6 gap combinations.
  EXPECT_EQ(u64(r->gaps.uncovered), 5u);
}

TEST(LintShadowed, EqualPriorityEarlierInFileShadows) {
  Department d;
  RuleSet rules = build_rules(*d.team, {rule("all-moscow", 10, {in(*d.team, "region", {"Москва"})}, to_manager(*d.team, "a")),
                                        rule("moscow-smb", 10,
                                             {in(*d.team, "region", {"Москва"}), in(*d.team, "tier", {"SMB"})},
                                             to_manager(*d.team, "b"))});
  Result<LintReport> r = lint_rules(*d.team, rules);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->shadowed.size(), 1u);
  EXPECT_EQ(rules.rule(r->shadowed[0].rule).key, "moscow-smb");
  // Same priority, different targets, common Москва × 3 × SMB: also an overlap.
  ASSERT_EQ(r->overlaps.size(), 1u);
  EXPECT_EQ(u64(r->overlaps[0].common.combinations), 3u);
}

TEST(LintOverlaps, EqualPriorityDifferentTargetsOnly) {
  Department d;
  RuleSet rules = build_rules(
      *d.team,
      {rule("r1", 10, {in(*d.team, "region", {"Москва"})}, to_manager(*d.team, "a")),
       rule("r2", 10, {in(*d.team, "product", {"Сервис"})}, to_manager(*d.team, "b")),
       rule("r3", 10, {in(*d.team, "tier", {"Enterprise"})}, to_manager(*d.team, "a")),  // same target as r1
       rule("r4", 20, {in(*d.team, "region", {"Москва"})}, to_manager(*d.team, "b")),    // other priority
       rule("r5", 30, {in(*d.team, "region", {"Урал"})}, TargetSpec::of_pool(pool_of(*d.team, {"a", "b"}))),
       rule("r6", 30, {in(*d.team, "product", {"Станки"})}, TargetSpec::of_pool(pool_of(*d.team, {"b", "a"}))),
       rule("r7", 30, {in(*d.team, "tier", {"SMB"})},
            TargetSpec::of_pool(pool_of(*d.team, {"a", "b"}, Strategy::least_loaded)))});
  Result<LintReport> r = lint_rules(*d.team, rules);
  ASSERT_TRUE(r.ok());
  // r1×r2: Москва × Сервис × 2 = 2; r2×r3: 5 × Сервис × Enterprise = 5;
  // r5×r7: Урал × 3 × SMB = 3; r6×r7: 5 × Станки × SMB = 5. r5 and r6 list the
  // same members with the same strategy: the same target.
  ASSERT_EQ(r->overlaps_total, 4u);
  ASSERT_EQ(r->overlaps.size(), 4u);
  auto key = [&](RuleId id) { return rules.rule(id).key; };
  EXPECT_EQ(key(r->overlaps[0].first) + "+" + key(r->overlaps[0].second), "r1+r2");
  EXPECT_EQ(u64(r->overlaps[0].common.combinations), 2u);
  EXPECT_EQ(describe(*d.team, r->overlaps[0].common), "region=Москва product=Сервис tier=*");
  EXPECT_EQ(key(r->overlaps[1].first) + "+" + key(r->overlaps[1].second), "r2+r3");
  EXPECT_EQ(u64(r->overlaps[1].common.combinations), 5u);
  EXPECT_EQ(key(r->overlaps[2].first) + "+" + key(r->overlaps[2].second), "r5+r7");
  EXPECT_EQ(u64(r->overlaps[2].common.combinations), 3u);
  EXPECT_EQ(key(r->overlaps[3].first) + "+" + key(r->overlaps[3].second), "r6+r7");
  EXPECT_EQ(u64(r->overlaps[3].common.combinations), 5u);
  LintOptions o;
  o.max_overlaps = 1;
  r = lint_rules(*d.team, rules, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->overlaps.size(), 1u);
  EXPECT_EQ(r->overlaps_total, 4u);
}

struct Unreachable {
  std::unique_ptr<TeamModel> team = make_team(department_schema(),
                                              {{"a", {}},
                                               {"s-ural", {{"region", {"Урал"}}}},
                                               {"s-moscow", {{"region", {"Москва"}}}},
                                               {"off", {}, /*active=*/false},
                                               {"zero", {}, true, 1, /*daily=*/0},
                                               {"w0", {}, true, /*weight=*/0},
                                               {"sib", {{"region", {"Сибирь"}}}}});
  RuleSet rules() const {
    PoolSpec by_region;
    by_region.strategy = Strategy::lead_field;
    by_region.field = *team->schema().find_categorical("region");
    by_region.field_map = {{*team->schema().categorical(*by_region.field).find("Сибирь"), manager(*team, "sib")},
                           {*team->schema().categorical(*by_region.field).find("Москва"), manager(*team, "a")}};
    return build_rules(
        *team,
        {rule("u1", 10, {in(*team, "region", {"Сибирь"})}, TargetSpec::of_pool(pool_of(*team, {"s-ural"}))),
         rule("u2", 10, {in(*team, "region", {"Москва", "Урал"})}, TargetSpec::of_pool(pool_of(*team, {"s-moscow"}))),
         rule("u3", 10, {in(*team, "product", {"Станки"})}, to_manager(*team, "off")),
         rule("u4", 10, {in(*team, "product", {"Инструмент"})},
              TargetSpec::of_pool(pool_of(*team, {"zero", "w0"}, Strategy::weighted_round_robin))),
         rule("u5", 10, {in(*team, "product", {"Сервис"})}, TargetSpec::of_pool(by_region))});
  }
};

TEST(LintUnreachable, SkillsInactiveCapacityWeightAndFieldMap) {
  Unreachable u;
  RuleSet rules = u.rules();
  Result<LintReport> r = lint_rules(*u.team, rules);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->unreachable_targets.size(), 5u);
  auto key = [&](const UnreachableTarget& t) { return rules.rule(*t.rule).key; };

  const UnreachableTarget& u1 = r->unreachable_targets[0];  // Сибирь leads, an Урал-only pool
  EXPECT_EQ(key(u1), "u1");
  EXPECT_TRUE(u1.entire);
  EXPECT_EQ(u64(u1.matched), 18u);  // 3 regions × 3 × 2
  EXPECT_EQ(u64(u1.unservable), 18u);
  ASSERT_EQ(u1.members.size(), 1u);
  EXPECT_EQ(u1.members[0].reason, BlockReason::skills);
  ASSERT_EQ(u1.members[0].skill_conflicts.size(), 1u);
  EXPECT_EQ(u.team->schema().categorical(u1.members[0].skill_conflicts[0]).name(), "region");

  const UnreachableTarget& u2 = r->unreachable_targets[1];  // Москва served, Урал not
  EXPECT_EQ(key(u2), "u2");
  EXPECT_FALSE(u2.entire);
  EXPECT_EQ(u64(u2.matched), 12u);
  EXPECT_EQ(u64(u2.unservable), 6u);
  ASSERT_EQ(u2.cubes.size(), 1u);
  EXPECT_EQ(describe(*u.team, u2.cubes[0]), "region=Урал product=* tier=*");
  EXPECT_EQ(u2.members[0].reason, BlockReason::none);

  const UnreachableTarget& u3 = r->unreachable_targets[2];
  EXPECT_EQ(key(u3), "u3");
  EXPECT_TRUE(u3.entire);
  EXPECT_EQ(u3.members[0].reason, BlockReason::inactive);

  const UnreachableTarget& u4 = r->unreachable_targets[3];
  EXPECT_EQ(key(u4), "u4");
  EXPECT_TRUE(u4.entire);
  ASSERT_EQ(u4.members.size(), 2u);  // rank order: w0, zero
  EXPECT_EQ(u.team->manager(u4.members[0].manager).key, "w0");
  EXPECT_EQ(u4.members[0].reason, BlockReason::zero_weight);
  EXPECT_EQ(u.team->manager(u4.members[1].manager).key, "zero");
  EXPECT_EQ(u4.members[1].reason, BlockReason::zero_capacity);

  // lead_field by region: Сибирь (and its subtree) → sib, Москва → a; Урал unmapped.
  const UnreachableTarget& u5 = r->unreachable_targets[4];
  EXPECT_EQ(key(u5), "u5");
  EXPECT_FALSE(u5.entire);
  EXPECT_EQ(u64(u5.matched), 10u);    // 5 × Сервис × 2
  EXPECT_EQ(u64(u5.unservable), 2u);  // Урал × Сервис × 2
}

TEST(LintIdle, ManagersWhoCanNeverReceiveALead) {
  Unreachable u;
  RuleSet rules = u.rules();
  Result<LintReport> r = lint_rules(*u.team, rules);
  ASSERT_TRUE(r.ok());
  std::map<std::string, BlockReason> idle;
  for (const IdleManager& m : r->idle_managers) {
    idle[u.team->manager(m.manager).key] = m.reason;
    EXPECT_FALSE(m.only_as_account_owner);
  }
  // s-ural: its only rule sends Сибирь leads; w0: weight 0 in its only pool.
  EXPECT_EQ(idle, (std::map<std::string, BlockReason>{{"off", BlockReason::inactive},
                                                      {"s-ural", BlockReason::none},
                                                      {"w0", BlockReason::none},
                                                      {"zero", BlockReason::zero_capacity}}));
}

TEST(LintIdle, AccountOwnersAndTheDefaultPool) {
  Unreachable u;
  RuleSpec owner = rule("repeat", 5, {in(*u.team, "product", {"Станки"})}, TargetSpec::owner(std::nullopt));
  RuleSet rules = build_rules(*u.team, {owner}, pool_of(*u.team, {"w0"}));
  Result<LintReport> r = lint_rules(*u.team, rules);
  ASSERT_TRUE(r.ok());
  std::map<std::string, bool> idle;
  for (const IdleManager& m : r->idle_managers) idle[u.team->manager(m.manager).key] = m.only_as_account_owner;
  // w0 is in the default pool (round robin: weight does not matter there).
  // Active managers with capacity can still get leads of clients they own.
  EXPECT_EQ(idle, (std::map<std::string, bool>{{"a", true},
                                               {"off", false},
                                               {"s-moscow", true},
                                               {"s-ural", true},
                                               {"sib", true},
                                               {"zero", false}}));
}

TEST(Lint, RefusesARuleSetOfAnotherTeam) {
  Department d;
  Unreachable u;
  RuleSet rules = u.rules();
  Result<LintReport> r = lint_rules(*d.team, rules);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::invalid_argument);
}

TEST(Lint, RefusesBeyondTheOperationBudget) {
  Department d;
  RuleSet rules = build_rules(*d.team, d.base());
  LintOptions o;
  o.max_cube_operations = 3;
  Result<LintReport> r = lint_rules(*d.team, rules, o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::refused);
  EXPECT_NE(r.status().message().find("max_cube_operations"), std::string::npos);
}

TEST(Lint, ShadowCheckBeyondItsLimitIsUndetermined) {
  // enterprise minus moscow minus siberia leaves 2 cubes (Урал; Сибирь-subtree × Сервис).
  Department d;
  RuleSet rules = build_rules(*d.team, d.base());
  LintOptions o;
  o.max_shadow_cubes = 1;
  Result<LintReport> r = lint_rules(*d.team, rules, o);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->shadow_undetermined.size(), 1u);
  EXPECT_EQ(rules.rule(r->shadow_undetermined[0]).key, "enterprise");
  EXPECT_TRUE(r->shadowed.empty());
  o.max_shadow_cubes = 2;
  r = lint_rules(*d.team, rules, o);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->shadow_undetermined.empty());
}

TEST(Lint, GapsBeyondTheLimitAreMarkedIncompleteAndTheRestIsReported) {
  // Disjoint rules: no shadow work; the gaps need 2 cubes.
  Department d;
  RuleSet rules = build_rules(
      *d.team, {rule("moscow", 10, {in(*d.team, "region", {"Москва"})}, to_manager(*d.team, "a")),
                rule("siberia", 10, {in(*d.team, "region", {"Сибирь"}), in(*d.team, "product", {"Станки"})},
                     to_manager(*d.team, "b"))});
  LintOptions o;
  o.max_working_cubes = 1;
  Result<LintReport> r = lint_rules(*d.team, rules, o);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_FALSE(r->gaps.complete);
  EXPECT_NE(r->gaps.incomplete_reason.find("max_working_cubes"), std::string::npos);
  EXPECT_TRUE(r->gaps.cubes.empty());
  EXPECT_FALSE(r->clean());
  // In JSON: coverage says so, its counts are null, gaps is an empty array.
  const Json j = lint_report_to_json(*r, *d.team, rules);
  EXPECT_FALSE(j["coverage"]["complete"].get<bool>());
  EXPECT_EQ(j["coverage"]["universe"], 30);
  EXPECT_TRUE(j["coverage"]["uncovered"].is_null());
  EXPECT_TRUE(j["coverage"]["not_shown"].is_null());
  EXPECT_EQ(j["coverage"]["shown"], 0);
  EXPECT_EQ(j["coverage"]["incomplete_reason"], r->gaps.incomplete_reason);
  EXPECT_EQ(j["gaps"], Json::array());
  // Without the limit: 30 - 6 - 6 = 18 uncovered.
  r = lint_rules(*d.team, rules);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->gaps.complete);
  EXPECT_EQ(u64(r->gaps.uncovered), 18u);
}

TEST(Lint, HugeDomainsCountExactly) {
  // 16 attributes of 1,000 values and no rules: 1000^16 = 10^48 uncovered.
  AttributeSchema s;
  std::vector<std::string> values;
  for (int i = 0; i < 1000; ++i) values.push_back("v" + std::to_string(i));
  for (int a = 0; a < 16; ++a) ASSERT_TRUE(s.add_categorical("a" + std::to_string(a), values).ok());
  auto team = make_team(std::move(s), {{"m", {}}});
  RuleSet rules = build_rules(*team, {rule("one", 1, {in(*team, "a0", {"v0"})}, to_manager(*team, "m"))});
  Result<LintReport> r = lint_rules(*team, rules);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->gaps.universe.to_string(), "1" + std::string(48, '0'));
  // 10^48 - 1000^15 = 999 × 10^45.
  EXPECT_EQ(r->gaps.uncovered.to_string(), "999" + std::string(45, '0'));
  EXPECT_FALSE(r->gaps.uncovered.to_u64().has_value());
}

TEST(CombinationCount, ExactArithmetic) {
  CombinationCount n(1);
  for (int i = 0; i < 10; ++i) n.multiply(1000);
  EXPECT_EQ(n.to_string(), "1" + std::string(30, '0'));
  n.add(CombinationCount(7));
  EXPECT_EQ(n.to_string(), "1" + std::string(29, '0') + "7");
  CombinationCount max(UINT64_MAX);
  EXPECT_EQ(max.to_u64(), UINT64_MAX);
  max.add(CombinationCount(1));
  EXPECT_EQ(max.to_string(), "18446744073709551616");
  EXPECT_FALSE(max.to_u64().has_value());
  EXPECT_GT(max, CombinationCount(UINT64_MAX));
  EXPECT_LT(CombinationCount(3), CombinationCount(4));
  EXPECT_EQ(CombinationCount(0).to_string(), "0");
  CombinationCount z(5);
  z.multiply(0);
  EXPECT_TRUE(z.is_zero());
  EXPECT_EQ(z, CombinationCount(0));
}

}  // namespace
}  // namespace dealflow::routing
