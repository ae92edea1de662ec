// First-match semantics, hierarchy, ranges, fallbacks, unassigned reasons, and
// the bitset index agreeing with a linear scan.
#include <gtest/gtest.h>

#include <random>

#include "routing_test_util.h"

namespace dealflow::routing {
namespace {

using testing::kAttributes;
using testing::key_of;
using testing::LeadMaker;
using testing::router_from;
using testing::rule_of;

const std::string kMatchTeam = std::string("{") + kAttributes + R"(,
  "managers": [
    {"id": "siberia"}, {"id": "big"}, {"id": "smb1"}, {"id": "smb2"},
    {"id": "away", "absences": [{"from": "2024-03-01", "to": "2024-03-31"}]},
    {"id": "gone", "active": false},
    {"id": "catchall"}
  ],
  "teams": [{"id": "smb", "members": ["smb1", "smb2"]}]})";

const std::string kMatchRules = R"({"rules": [
    {"id": "siberia", "priority": 10, "when": {"region": "Сибирь"}, "target": {"manager": "siberia"}},
    {"id": "big", "priority": 20, "when": {"amount": {"min": "1 000 000"}}, "target": {"manager": "big"}},
    {"id": "not-moscow-smb", "priority": 30, "when": {"tier": "SMB", "region": {"not_in": ["Москва"]}},
     "target": {"team": "smb"}},
    {"id": "away-rule", "priority": 40, "when": {"channel": "outbound"}, "target": {"manager": "away"}},
    {"id": "gone-rule", "priority": 40, "when": {"channel": "outbound"}, "target": {"manager": "gone"}},
    {"id": "outbound-smb", "priority": 41, "when": {"channel": "outbound", "tier": "SMB"}, "target": {"team": "smb"}}
  ],
  "default": {"managers": ["catchall"]}})";

class RouterMatchTest : public ::testing::Test {
 protected:
  RouterMatchTest()
      : router(router_from(kMatchTeam, kMatchRules)), lead(router.team()), state(router.initial_state()) {}
  Decision route(const Lead& l) { return router.route(l, state); }
  Router router;
  LeadMaker lead;
  RouterState state;
};

TEST_F(RouterMatchTest, HigherPriorityWinsAndHierarchyMatchesChildren) {
  // Томск is in Сибирь; the amount rule would match too but comes later.
  Decision d = route(lead({{"region", "Томск"}, {"amount", "5 000 000"}}));
  EXPECT_EQ(key_of(router, d), "siberia");
  EXPECT_EQ(rule_of(router, d), "siberia");
  EXPECT_EQ(d.rules_matched, 1u);
  EXPECT_TRUE(d.skipped.empty());
  EXPECT_EQ(router.explain(d), "the rule's manager");
}

TEST_F(RouterMatchTest, RangeIsHalfOpenAndMissingAmountDoesNotMatch) {
  EXPECT_EQ(rule_of(router, route(lead({{"region", "Москва"}, {"amount", "1 000 000"}}))), "big");
  EXPECT_EQ(rule_of(router, route(lead({{"region", "Москва"}, {"amount", "999 999,99"}}))), "default");
  EXPECT_EQ(rule_of(router, route(lead({{"region", "Москва"}}))), "default");
}

TEST_F(RouterMatchTest, NotInAcceptsOtherAndEmptyValues) {
  EXPECT_EQ(rule_of(router, route(lead({{"tier", "SMB"}, {"region", "Урал"}}))), "not-moscow-smb");
  EXPECT_EQ(rule_of(router, route(lead({{"tier", "SMB"}}))), "not-moscow-smb");  // region empty
  EXPECT_EQ(rule_of(router, route(lead({{"tier", "SMB"}, {"region", "Москва"}}))), "default");
}

TEST_F(RouterMatchTest, IneligibleTargetsFallThroughToNextRuleWithReasons) {
  // outbound Moscow SMB: away-rule (absent) and gone-rule (inactive) match
  // first; outbound-smb then assigns.
  Decision d =
      route(lead({{"channel", "outbound"}, {"tier", "SMB"}, {"region", "Москва"}}, "2024-03-04T12:00:00Z"));
  EXPECT_EQ(rule_of(router, d), "outbound-smb");
  EXPECT_EQ(key_of(router, d), "smb1");
  EXPECT_EQ(d.rules_matched, 3u);
  ASSERT_EQ(d.skipped.size(), 2u);
  EXPECT_EQ(d.skipped[0].reason, SkipReason::absent);
  EXPECT_EQ(d.skipped[1].reason, SkipReason::inactive);
  EXPECT_EQ(router.explain(d),
            "round robin in team smb; rule away-rule: away: absent 2024-03-01..2024-03-31; rule gone-rule: "
            "gone: inactive");
}

TEST_F(RouterMatchTest, DefaultPoolWhenNoRuleHasAnyoneThenUnassigned) {
  // outbound Enterprise: away and gone match, outbound-smb does not (tier).
  Decision d = route(lead({{"channel", "outbound"}, {"tier", "Enterprise"}}));
  EXPECT_TRUE(d.by_default_pool);
  EXPECT_EQ(key_of(router, d), "catchall");
  EXPECT_EQ(rule_of(router, d), "default");
}

// A range on an integer attribute: {"client_size": {"min": 250}} is [250, ∞).
TEST(RouterIntegerRangeTest, ClientSizeMinIsInclusiveAndAMissingSizeDoesNotMatch) {
  Router router =
      router_from(std::string("{") + kAttributes + R"(, "managers": [{"id": "key"}, {"id": "rest"}]})",
                  R"({"rules": [
        {"id": "large-clients", "when": {"client_size": {"min": 250}}, "target": {"manager": "key"}},
        {"id": "small-clients", "when": {"client_size": {"max": "250"}}, "target": {"manager": "rest"}}],
        "default": {"managers": ["rest"]}})");
  LeadMaker lead(router.team());
  RouterState state = router.initial_state();
  EXPECT_EQ(rule_of(router, router.route(lead({{"client_size", "250"}}), state)), "large-clients");
  EXPECT_EQ(rule_of(router, router.route(lead({{"client_size", "100000"}}), state)), "large-clients");
  EXPECT_EQ(rule_of(router, router.route(lead({{"client_size", "249"}}), state)), "small-clients");
  EXPECT_EQ(rule_of(router, router.route(lead({{"client_size", "-1"}}), state)), "small-clients");
  EXPECT_EQ(rule_of(router, router.route(lead({}), state)), "default");  // no size: no range matches
  // The linear scan agrees.
  RouterState linear = router.initial_state();
  Decision d;
  router.route_by_linear_scan(lead({{"client_size", "250"}}), linear, d);
  EXPECT_EQ(rule_of(router, d), "large-clients");
}

TEST(RouterUnassignedTest, NoRuleAndNoDefault) {
  Router router =
      router_from(std::string("{") + kAttributes + R"(, "managers": [{"id": "a"}]})",
                  R"({"rules": [{"id": "r", "when": {"tier": "SMB"}, "target": {"manager": "a"}}]})");
  LeadMaker lead(router.team());
  RouterState state = router.initial_state();
  const RouterState before = state;
  Decision d = router.route(lead({{"tier", "Enterprise"}}), state);
  EXPECT_FALSE(d.assigned());
  EXPECT_EQ(router.explain(d), "no rule matched and there is no default pool");
  EXPECT_TRUE(state == before);  // nothing recorded
}

TEST(RouterUnassignedTest, NobodyEligibleAnywhere) {
  Router router =
      router_from(std::string("{") + kAttributes + R"(, "managers": [
        {"id": "a", "name": "Иванова", "absences": [{"from": "2024-03-01", "to": "2024-03-05"}]},
        {"id": "b", "name": "Петров", "active": false}]})",
                  R"({"rules": [{"id": "r", "target": {"manager": "a"}}], "default": {"managers": ["b"]}})");
  LeadMaker lead(router.team());
  RouterState state = router.initial_state();
  Decision d = router.route(lead({}, "2024-03-02T10:00:00Z"), state);
  EXPECT_FALSE(d.assigned());
  EXPECT_FALSE(d.rule.valid());
  EXPECT_EQ(router.explain(d),
            "nobody eligible in 1 matching rule(s) or the default pool; rule r: Иванова: absent "
            "2024-03-01..2024-03-05; "
            "default pool: Петров: inactive");
}

TEST(RouterUnassignedTest, EmptyRuleSetWithoutDefault) {
  Router router =
      router_from(std::string("{") + kAttributes + R"(, "managers": [{"id": "a"}]})", R"({"rules": []})");
  LeadMaker lead(router.team());
  RouterState state = router.initial_state();
  EXPECT_FALSE(router.route(lead({}), state).assigned());
}

TEST(RouterWorkingHoursTest, RuleAskingForHoursSkipsOffShiftManagers) {
  Router router = router_from(std::string("{") + kAttributes + R"(,
      "calendars": {"msk": {"utc_offset": "+03:00", "hours": [["09:00", "18:00"]]}},
      "default_calendar": "msk",
      "managers": [{"id": "a", "name": "Анна"}, {"id": "night", "calendar": "always"}]})",
                              R"({"rules": [
        {"id": "day", "working_hours": true, "target": {"manager": "a"}},
        {"id": "any-time", "target": {"manager": "night"}}]})");
  LeadMaker lead(router.team());
  RouterState state = router.initial_state();
  // 17:59 Moscow on a Monday: inside hours.
  EXPECT_EQ(key_of(router, router.route(lead({}, "2024-03-04T17:59:00+03:00"), state)), "a");
  // 18:00: outside (hours are half-open).
  Decision d = router.route(lead({}, "2024-03-04T18:00:00+03:00"), state);
  EXPECT_EQ(key_of(router, d), "night");
  EXPECT_EQ(router.explain(d), "the rule's manager; rule day: Анна: outside working hours (calendar msk)");
  // Saturday.
  EXPECT_EQ(key_of(router, router.route(lead({}, "2024-03-09T12:00:00+03:00"), state)), "night");
}

// The default pool takes working hours into account only when the rule set
// says so: with the flag an off-shift lead stays unassigned and the reason
// says when the next shift starts; without it the off-shift manager takes it.
TEST(RouterWorkingHoursTest, DefaultPoolWorkingHoursBothWays) {
  const std::string team = std::string("{") + kAttributes + R"(,
      "calendars": {"msk": {"utc_offset": "+03:00", "hours": [["09:00", "18:00"]], "holidays": ["2024-03-08"]}},
      "default_calendar": "msk",
      "managers": [{"id": "a", "name": "Анна"}, {"id": "b", "name": "Борис", "active": false}]})";
  const std::string rules_on = R"({"rules": [], "default": {"managers": ["a", "b"], "working_hours": true}})";
  const std::string rules_off = R"({"rules": [], "default": {"managers": ["a", "b"]}})";
  Router on = router_from(team, rules_on);
  Router off = router_from(team, rules_off);
  LeadMaker lead(on.team());
  RouterState s_on = on.initial_state();
  RouterState s_off = off.initial_state();
  const RouterState before = s_on;
  // Monday 20:30 Moscow.
  Decision d = on.route(lead({}, "2024-03-04T20:30:00+03:00"), s_on);
  EXPECT_FALSE(d.assigned());
  EXPECT_EQ(
      on.explain(d),
      "no rule matched and nobody in the default pool is on shift; the next shift starts 2024-03-05 09:00 "
      "(calendar msk); default pool: Анна: outside working hours (calendar msk), Борис: inactive");
  EXPECT_TRUE(s_on == before);  // nothing recorded
  // Friday 8 March, a holiday: the next shift is Monday.
  d = on.route(lead({}, "2024-03-08T11:00:00+03:00"), s_on);
  EXPECT_FALSE(d.assigned());
  EXPECT_EQ(
      on.explain(d),
      "no rule matched and nobody in the default pool is on shift; the next shift starts 2024-03-11 09:00 "
      "(calendar msk); default pool: Анна: outside working hours (calendar msk), Борис: inactive");
  // Inside working hours the flag changes nothing.
  EXPECT_EQ(key_of(on, on.route(lead({}, "2024-03-04T10:00:00+03:00"), s_on)), "a");
  // Without the flag the default pool ignores working hours.
  d = off.route(lead({}, "2024-03-04T20:30:00+03:00"), s_off);
  EXPECT_EQ(key_of(off, d), "a");
  EXPECT_EQ(off.explain(d), "default pool, round robin among 2 listed managers");
}

// "nobody on shift" only when being off shift is the whole story: a capped
// manager on shift makes it the ordinary "nobody eligible".
TEST(RouterWorkingHoursTest, NobodyOnShiftOnlyWhenEveryoneElseIsAwayOrInactive) {
  Router router =
      router_from(std::string("{") + kAttributes + R"(,
      "calendars": {"msk": {"utc_offset": "+03:00", "hours": [["09:00", "18:00"]]}},
      "default_calendar": "msk",
      "managers": [{"id": "a", "name": "Анна"},
                   {"id": "z", "name": "Зоя", "calendar": "always", "capacity": {"daily": 0}}]})",
                  R"({"rules": [{"id": "day", "working_hours": true, "target": {"managers": ["a", "z"]}}]})");
  LeadMaker lead(router.team());
  RouterState state = router.initial_state();
  Decision d = router.route(lead({}, "2024-03-04T20:30:00+03:00"), state);
  EXPECT_FALSE(d.assigned());
  EXPECT_EQ(router.explain(d),
            "nobody eligible in 1 matching rule(s); rule day: Анна: outside working hours (calendar msk), "
            "Зоя: daily "
            "cap 0/0 on 2024-03-04");
}

TEST(RouterSkillsTest, PoolMembersWithoutTheSkillAreSkipped) {
  Router router = router_from(std::string("{") + kAttributes + R"(, "managers": [
        {"id": "a", "name": "Сибиряк", "skills": {"region": ["Сибирь"]}},
        {"id": "b", "name": "Москвич", "skills": {"region": ["Москва"]}}]})",
                              R"({"rules": [{"id": "r", "target": {"managers": ["a", "b"]}}]})");
  LeadMaker lead(router.team());
  RouterState state = router.initial_state();
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(key_of(router, router.route(lead({{"region", "Новосибирск"}}), state)), "a");
  }
  Decision d = router.route(lead({{"region", "Москва"}}), state);
  EXPECT_EQ(key_of(router, d), "b");
  Decision none = router.route(lead({}), state);  // no region: neither specialist takes it
  EXPECT_FALSE(none.assigned());
  EXPECT_EQ(router.explain(none.skipped[0]), "Сибиряк: no skill for region=(empty)");
}

// The index and a linear scan over the same rules give the same decisions and
// the same states on random rule sets and leads. The first 15 rounds have up
// to 150 rules (one 256-rule block); the last 4 have 1,000-1,599 rules, the
// first 300 of them (priority 0) aimed at an inactive manager, so decisions
// are won in later blocks and matching walks every block.
TEST(RouterIndexPropertyTest, IndexAgreesWithLinearScan) {
  std::mt19937 rng(20240304);
  const std::vector<std::string> regions = {"Москва", "Сибирь", "Новосибирск", "Томск", "Урал"};
  const std::vector<std::string> tiers = {"SMB", "Enterprise"};
  const std::vector<std::string> channels = {"inbound", "outbound"};
  const std::vector<std::string> products = {"CRM", "Облако"};
  auto pick_set = [&](const std::vector<std::string>& values) {
    std::string out = "[";
    bool any = false;
    for (const auto& v : values) {
      if (rng() % 2) {
        out += std::string(any ? "," : "") + "\"" + v + "\"";
        any = true;
      }
    }
    if (!any) out += "\"" + values[rng() % values.size()] + "\"";
    return out + "]";
  };
  int assigned = 0, fell_through = 0, won_after_first_block = 0, matched_in_fourth_block = 0;
  constexpr int kSmallRounds = 15;
  constexpr int kLargeRounds = 4;
  constexpr int kBlockedRules = 300;  // large rounds: rules to the inactive m-off, evaluated first
  for (int round = 0; round < kSmallRounds + kLargeRounds; ++round) {
    const bool large = round >= kSmallRounds;
    std::string managers;
    for (int m = 0; m < 6; ++m) {
      managers += std::string(m ? "," : "") + "{\"id\": \"m" + std::to_string(m) +
                  "\", \"capacity\": {\"daily\": " + std::to_string(1 + rng() % 4) + "}" +
                  (rng() % 5 == 0 ? ", \"active\": false" : "") + "}";
    }
    if (large) managers += ", {\"id\": \"m-off\", \"active\": false}";
    std::string rules;
    const int n_rules = large ? 1000 + static_cast<int>(rng() % 600) : 1 + static_cast<int>(rng() % 150);
    for (int r = 0; r < n_rules; ++r) {
      std::string when;
      auto add = [&](const std::string& name, const std::vector<std::string>& values) {
        const unsigned k = rng() % 3;
        if (k == 0) return;
        when += std::string(when.empty() ? "" : ",") + "\"" + name +
                "\": " + (k == 1 ? pick_set(values) : "{\"not_in\": " + pick_set(values) + "}");
      };
      add("region", regions);
      add("tier", tiers);
      add("channel", channels);
      add("product", products);
      if (rng() % 4 == 0) {
        when += std::string(when.empty() ? "" : ",") +
                "\"amount\": {\"min\": " + std::to_string(rng() % 1000) + "}";
      }
      std::string target = rng() % 2 ? "{\"manager\": \"m" + std::to_string(rng() % 6) + "\"}"
                                     : "{\"managers\": [\"m" + std::to_string(rng() % 3) + "\", \"m" +
                                           std::to_string(3 + rng() % 3) + "\"], \"strategy\": \"" +
                                           (rng() % 2 ? "round_robin" : "least_loaded") + "\"}";
      int priority = static_cast<int>(rng() % 5);
      if (large) {
        const bool blocked = r < kBlockedRules;
        if (blocked) target = "{\"manager\": \"m-off\"}";
        priority = blocked ? 0 : 1 + priority;
      }
      rules += std::string(r ? "," : "") + "{\"id\": \"r" + std::to_string(r) +
               "\", \"priority\": " + std::to_string(priority) + ", \"when\": {" + when +
               "}, \"target\": " + target + "}";
    }
    Router router = router_from(std::string("{") + kAttributes + ", \"managers\": [" + managers + "]}",
                                "{\"rules\": [" + rules + "]}");
    LeadMaker lead(router.team());
    RouterState indexed = router.initial_state();
    RouterState linear = router.initial_state();
    Decision a, b;
    for (int i = 0; i < 40; ++i) {
      std::initializer_list<std::pair<std::string, std::string>> none = {};
      Lead l = lead(none, "2024-03-0" + std::to_string(1 + i / 10) + "T10:00:00Z");
      if (rng() % 6) l.set(AttributeId(0), static_cast<ValueCode>(rng() % regions.size()));
      if (rng() % 6) l.set(AttributeId(1), static_cast<ValueCode>(rng() % tiers.size()));
      if (rng() % 6) l.set(AttributeId(2), static_cast<ValueCode>(rng() % channels.size()));
      if (rng() % 6) l.set(AttributeId(3), static_cast<ValueCode>(rng() % products.size()));
      if (rng() % 2) l.set_number(NumericAttributeId(0), rng() % 1200);
      router.route(l, indexed, a);
      router.route_by_linear_scan(l, linear, b);
      ASSERT_EQ(a.manager, b.manager) << "round " << round << " lead " << i;
      ASSERT_EQ(a.rule, b.rule);
      ASSERT_EQ(a.rules_matched, b.rules_matched);
      ASSERT_EQ(a.skipped.size(), b.skipped.size());
      ASSERT_EQ(router.explain(a), router.explain(b));
      assigned += a.assigned();
      fell_through += a.assigned() && a.rules_matched > 1;
      won_after_first_block += a.rule.valid() && a.rule.value() >= 256;
      // matching_rules lists exactly the rules a linear check accepts.
      std::vector<RuleId> expected;
      for (const Rule& rule : router.rules().rules()) {
        bool ok = true;
        for (std::size_t at = 0; at < 4; ++at)
          ok = ok && rule.accepts(AttributeId(static_cast<std::uint16_t>(at)), l.values[at]);
        for (const NumericRange& range : rule.ranges) {
          ok = ok && l.has_number(range.attribute) && range.contains(l.number(range.attribute));
        }
        if (ok) expected.push_back(rule.id);
      }
      ASSERT_EQ(router.matching_rules(l), expected);
      matched_in_fourth_block += !expected.empty() && expected.back().value() >= 768;
    }
    ASSERT_TRUE(indexed == linear);
  }
  // The random sets exercise both first matches and fall-through, and the
  // large ones decisions and matches beyond the first 256-rule block.
  EXPECT_GT(assigned, 250);
  EXPECT_GT(fell_through, 15);
  EXPECT_GT(won_after_first_block, 100);
  EXPECT_GT(matched_in_fourth_block, 100);
}

}  // namespace
}  // namespace dealflow::routing
