// Every strategy with hand-computed sequences, and account-owner targets.
#include <gtest/gtest.h>

#include "routing_test_util.h"

namespace dealflow::routing {
namespace {

using testing::kAttributes;
using testing::key_of;
using testing::LeadMaker;
using testing::router_from;
using testing::rule_of;

std::string managers_team_json(const std::string& managers) {
  return std::string("{") + kAttributes + ", \"managers\": [" + managers + "]}";
}

std::string sequence(const Router& router, RouterState& state, const Lead& lead, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    Decision d = router.route(lead, state);
    out += d.assigned() ? router.team().manager(d.manager).key : std::string("-");
  }
  return out;
}

TEST(RoundRobinTest, WalksStableKeyOrderNotListingOrder) {
  Router router = router_from(
      managers_team_json(R"({"id": "c"}, {"id": "a"}, {"id": "b"})"),
      R"({"rules": [{"id": "r", "target": {"managers": ["c", "a", "b"], "strategy": "round_robin"}}]})");
  RouterState state = router.initial_state();
  EXPECT_EQ(sequence(router, state, LeadMaker(router.team())({}), 7), "abcabca");
}

TEST(RoundRobinTest, SkipsIneligibleAndExplains) {
  Router router = router_from(
      managers_team_json(R"({"id": "a"}, {"id": "b", "name": "Иванова", "absences": [{"from": "2024-03-04"}]},
                                           {"id": "c"})"),
      R"({"rules": [{"id": "r", "target": {"managers": ["a", "b", "c"]}}]})");
  RouterState state = router.initial_state();
  LeadMaker lead(router.team());
  EXPECT_EQ(sequence(router, state, lead({}, "2024-03-04T10:00:00Z"), 1), "a");
  Decision d = router.route(lead({}, "2024-03-04T10:00:00Z"), state);
  EXPECT_EQ(key_of(router, d), "c");
  EXPECT_EQ(router.explain(d), "round robin among 3 listed managers; skipped: Иванова: absent 2024-03-04");
  // The next day b is back and simply takes her turn in order.
  EXPECT_EQ(sequence(router, state, lead({}, "2024-03-05T10:00:00Z"), 4), "abca");
}

// A default pool naming a team is that team's pool (state key team:<id>): a
// lead it assigns is the member's turn in the rule's rotation too.
TEST(RoundRobinTest, DefaultPoolOnATeamSharesTheRulesCursor) {
  Router router = router_from(std::string("{") + kAttributes + R"(,
      "managers": [{"id": "a"}, {"id": "b"}, {"id": "c"}], "teams": [{"id": "t", "members": ["a", "b", "c"]}]})",
                              R"({"rules": [{"id": "smb", "when": {"tier": "SMB"}, "target": {"team": "t"}}],
                                 "default": {"team": "t"}})");
  RouterState state = router.initial_state();
  LeadMaker lead(router.team());
  std::string order;
  for (const char* tier : {"SMB", "Enterprise", "SMB", "Enterprise", "SMB"}) {
    Decision d = router.route(lead({{"tier", tier}}), state);
    order += key_of(router, d) + (d.by_default_pool ? "(default) " : " ");
  }
  EXPECT_EQ(order, "a b(default) c a(default) b ");
  EXPECT_EQ(state_to_json(state, router.team(), router.rules())["pools"],
            Json::parse(R"({"team:t": {"last_assigned": "b"}})"));
}

TEST(WeightedRoundRobinTest, SmoothSequenceAsNginx) {
  Router router = router_from(
      managers_team_json(R"({"id": "a", "weight": 5}, {"id": "b", "weight": 1}, {"id": "c", "weight": 1})"),
      R"({"rules": [{"id": "r", "target": {"managers": ["a", "b", "c"], "strategy": "weighted_round_robin"}}]})");
  RouterState state = router.initial_state();
  // Hand-computed: current weights (5,1,1) -> a, (3,2,2) -> a, (1,3,3) -> b,
  // (6,-3,4) -> a, (4,-2,5) -> c, (9,-1,-1) -> a, (7,0,0) -> a, back to (0,0,0).
  EXPECT_EQ(sequence(router, state, LeadMaker(router.team())({}), 14), "aabacaaaabacaa");
  const PoolId pool = *router.rules().find_pool("rule:r");
  EXPECT_EQ(state.current_weight(pool, 0), 0);
  EXPECT_EQ(state.current_weight(pool, 1), 0);
  EXPECT_EQ(state.current_weight(pool, 2), 0);
}

TEST(WeightedRoundRobinTest, ZeroWeightsNeverChosenAndAllZeroIsUnassigned) {
  Router router = router_from(
      managers_team_json(R"({"id": "a", "weight": 0}, {"id": "b", "weight": 2}, {"id": "c", "weight": 1},
                                           {"id": "z1", "weight": 0}, {"id": "z2", "weight": 0, "name": "Нулевой"})"),
      R"({"rules": [
                                  {"id": "zeros", "target": {"managers": ["z1", "z2"], "strategy": "weighted_round_robin"}},
                                  {"id": "r", "target": {"managers": ["a", "b", "c"], "strategy": "weighted_round_robin"}}]})");
  RouterState state = router.initial_state();
  LeadMaker lead(router.team());
  EXPECT_EQ(sequence(router, state, lead({}), 6), "bcbbcb");
  Decision d = router.route(lead({}), state);
  EXPECT_EQ(rule_of(router, d), "r");
  EXPECT_EQ(d.skipped[0].reason, SkipReason::zero_weight);
  EXPECT_NE(router.explain(d).find("rule zeros: z1: weight 0, Нулевой: weight 0"), std::string::npos)
      << router.explain(d);
}

TEST(WeightedRoundRobinTest, AllZeroWeightsWithoutFallbackIsUnassignedNotACrash) {
  Router router = router_from(
      managers_team_json(R"({"id": "a", "weight": 0})"),
      R"({"rules": [{"id": "r", "target": {"managers": ["a"], "strategy": "weighted_round_robin"}}]})");
  RouterState state = router.initial_state();
  Decision d = router.route(LeadMaker(router.team())({}), state);
  EXPECT_FALSE(d.assigned());
  EXPECT_EQ(router.explain(d), "nobody eligible in 1 matching rule(s); rule r: a: weight 0");
}

TEST(WeightedRoundRobinTest, AbsentMemberDoesNotAccumulateCredit) {
  Router router = router_from(
      managers_team_json(R"({"id": "a"}, {"id": "b", "absences": [{"from": "2024-03-04"}]})"),
      R"({"rules": [{"id": "r", "target": {"managers": ["a", "b"], "strategy": "weighted_round_robin"}}]})");
  RouterState state = router.initial_state();
  LeadMaker lead(router.team());
  EXPECT_EQ(sequence(router, state, lead({}, "2024-03-04T10:00:00Z"), 10), "aaaaaaaaaa");
  // Back the next day: strict alternation, no catch-up burst.
  EXPECT_EQ(sequence(router, state, lead({}, "2024-03-05T10:00:00Z"), 6), "ababab");
}

TEST(LeastLoadedTest, FewestOpenDealsTiesInRoundRobinOrder) {
  Router router = router_from(
      managers_team_json(R"({"id": "a"}, {"id": "b"}, {"id": "c"})"),
      R"({"rules": [{"id": "r", "target": {"managers": ["a", "b", "c"], "strategy": "least_loaded"}}]})");
  RouterState state = router.initial_state();
  const auto& t = router.team();
  state.set_open_deals(*t.find_manager("a"), 5);
  state.set_open_deals(*t.find_manager("b"), 2);
  state.set_open_deals(*t.find_manager("c"), 2);
  // Hand-computed, scanning from the cursor (after the last assigned):
  // (5,2,2) scan a,b,c -> b; (5,3,2) scan c,a,b -> c; (5,3,3) scan a,b,c -> b;
  // (5,4,3) -> c; (5,4,4) -> b; (5,5,4) -> c; (5,5,5) scan a,b,c -> a (tie, first).
  EXPECT_EQ(sequence(router, state, LeadMaker(t)({}), 7), "bcbcbca");
  EXPECT_EQ(state.open_deals(*t.find_manager("a")), 6u);
  EXPECT_EQ(state.open_deals(*t.find_manager("b")), 5u);
  EXPECT_EQ(state.open_deals(*t.find_manager("c")), 5u);
  // Closing deals frees load.
  ASSERT_TRUE(state.close_deal(*t.find_manager("c")).ok());
  EXPECT_EQ(sequence(router, state, LeadMaker(t)({}), 1), "c");
  RouterState fresh = router.initial_state();
  EXPECT_EQ(fresh.close_deal(*t.find_manager("a")).code(), ErrorCode::refused);
}

TEST(LeadFieldTest, MapsValuesAndFallsThroughWhenUnmappedOrIneligible) {
  Router router =
      router_from(managers_team_json(
                      R"({"id": "msk"}, {"id": "sib", "name": "Лебедев", "active": false}, {"id": "any"})"),
                  R"({"rules": [
          {"id": "by-region", "target": {"strategy": "lead_field", "field": "region", "map": {"Москва": "msk", "Сибирь": "sib"}}},
          {"id": "rest", "target": {"managers": ["any"]}}]})");
  RouterState state = router.initial_state();
  LeadMaker lead(router.team());
  Decision d = router.route(lead({{"region", "Москва"}}), state);
  EXPECT_EQ(key_of(router, d), "msk");
  EXPECT_EQ(router.explain(d), "by lead field region=Москва");
  d = router.route(lead({{"region", "Томск"}}), state);  // mapped via Сибирь, but inactive
  EXPECT_EQ(key_of(router, d), "any");
  EXPECT_EQ(router.explain(d), "round robin among 1 listed managers; rule by-region: Лебедев: inactive");
  d = router.route(lead({{"region", "Урал"}}), state);
  EXPECT_EQ(router.explain(d),
            "round robin among 1 listed managers; rule by-region: no manager mapped for region=Урал");
  d = router.route(lead({}), state);
  EXPECT_EQ(router.explain(d), "round robin among 1 listed managers; rule by-region: the lead has no region");
}

// A host builds leads from codes: a code beyond the field's domain is an
// unmapped value (never an out-of-bounds read), and explain says which code.
TEST(LeadFieldTest, HostCodeOutsideTheDomainIsUnmapped) {
  Router router = router_from(managers_team_json(R"({"id": "msk"}, {"id": "any"},
                                           {"id": "sib", "skills": {"region": ["Сибирь"]}})"),
                              R"({"rules": [
          {"id": "by-region", "target": {"strategy": "lead_field", "field": "region", "map": {"Москва": "msk"}}},
          {"id": "siberia", "target": {"managers": ["sib"]}},
          {"id": "rest", "target": {"managers": ["any"]}}]})");
  RouterState state = router.initial_state();
  Lead lead = LeadMaker(router.team())({});
  const AttributeId region = *router.team().schema().find_categorical("region");
  const ValueCode beyond =
      static_cast<ValueCode>(router.team().schema().categorical(region).size() + 5);  // 10
  lead.set(region, beyond);
  Decision d;
  router.route(lead, state, d);
  EXPECT_EQ(key_of(router, d), "any");
  ASSERT_EQ(d.skipped.size(), 2u);
  EXPECT_EQ(d.skipped[0].reason, SkipReason::field_unmapped);
  EXPECT_EQ(d.skipped[0].value, beyond);
  EXPECT_EQ(d.skipped[1].reason, SkipReason::lacks_skill);
  EXPECT_EQ(router.explain(d),
            "round robin among 1 listed managers; rule by-region: no manager mapped for region=(undeclared "
            "code 10); "
            "rule siberia: sib: no skill for region=(undeclared code 10)");
  // The linear scan decides the same.
  RouterState linear = router.initial_state();
  Decision b;
  router.route_by_linear_scan(lead, linear, b);
  EXPECT_EQ(router.explain(b), router.explain(d));
}

TEST(AccountOwnerTest, OwnerThenFallbackThenNextRule) {
  Router router =
      router_from(managers_team_json(R"({"id": "owner", "name": "Кузнецова", "capacity": {"daily": 1}},
                                           {"id": "acc1"}, {"id": "acc2"}, {"id": "other"})"),
                  R"({"rules": [
          {"id": "owner-fb", "when": {"tier": "SMB"}, "target": {"account_owner": true,
                                                                 "fallback": {"managers": ["acc1", "acc2"], "strategy": "least_loaded"}}},
          {"id": "owner-only", "target": {"account_owner": true}},
          {"id": "rest", "target": {"managers": ["other"]}}]})");
  RouterState state = router.initial_state();
  LeadMaker lead(router.team());
  Decision d = router.route(lead({{"tier", "SMB"}, {"owner", "owner"}}), state);
  EXPECT_EQ(key_of(router, d), "owner");
  EXPECT_EQ(d.target, TargetKind::account_owner);
  EXPECT_FALSE(d.via_fallback);
  EXPECT_EQ(router.explain(d), "account owner");
  // Daily cap reached: fallback pool.
  d = router.route(lead({{"tier", "SMB"}, {"owner", "owner"}}), state);
  EXPECT_EQ(key_of(router, d), "acc1");
  EXPECT_TRUE(d.via_fallback);
  EXPECT_EQ(router.explain(d),
            "account owner unavailable, fallback: least loaded among 2 listed managers; skipped: Кузнецова: "
            "daily cap 1/1 on "
            "2024-03-04");
  // No owner known: fallback.
  d = router.route(lead({{"tier", "SMB"}}), state);
  EXPECT_EQ(key_of(router, d), "acc2");
  // No fallback on the second rule: the next rule takes it.
  d = router.route(lead({{"tier", "Enterprise"}}), state);
  EXPECT_EQ(rule_of(router, d), "rest");
  EXPECT_EQ(router.explain(d),
            "round robin among 1 listed managers; rule owner-only: no known account owner for the client");
}

}  // namespace
}  // namespace dealflow::routing
