// Rule files at scale: every load check is linear in the number of rules
// (docs/performance.md, "Input size limits and linear checks"). Not timed:
// before the fix 100 000 rules took about 10 s in parse_rules alone, so a
// quadratic check shows up as a test that takes minutes, not as a number.
#include <gtest/gtest.h>

#include <string>

#include "routing_test_util.h"
#include "support/sanitized.h"

namespace dealflow::routing {
namespace {

using testing::kAttributes;
using testing::team_from;

// One below kMaxRules, so that the extra rule of the duplicate tests is the
// last one allowed. Under the sanitizers (every access checked) 19 999: a
// quadratic check still takes minutes there, and the suite stays quick.
constexpr std::size_t kScaleRules = dealflow::testing::kSanitized ? 19'999 : kMaxRules - 1;

TeamModel scale_team() {
  auto t = team_from(std::string("{") + kAttributes + R"(,
    "managers": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
    "teams": [{"id": "t", "members": ["a", "b"]}]})");
  EXPECT_TRUE(t.ok()) << t.status().to_string();
  return std::move(*t);
}

// kScaleRules distinct rules: ids r0..r{n-1}, a condition on region and tier, and
// single-manager, team and manager-list targets in turn.
Json big_rules() {
  const char* regions[] = {"Москва", "Сибирь", "Урал", "Томск"};
  const char* managers[] = {"a", "b", "c"};
  Json rules = Json::array();
  for (std::size_t i = 0; i < kScaleRules; ++i) {
    Json r = {{"id", "r" + std::to_string(i)},
              {"priority", static_cast<int>(i % 1000)},
              {"when", {{"region", regions[i % 4]}, {"tier", i % 2 ? "SMB" : "Enterprise"}}}};
    if (i % 3 == 0) {
      r["target"] = {{"manager", managers[i % 3]}};
    } else if (i % 3 == 1) {
      r["target"] = {{"team", "t"}};
    } else {
      r["target"] = {{"managers", {"c", "a"}}, {"strategy", "least_loaded"}};
    }
    rules.push_back(std::move(r));
  }
  return Json{{"name", "big"}, {"rules", std::move(rules)}};
}

// Built once (a third of the suite's time otherwise); the duplicate tests
// append one rule and take it off again.
Json& shared_rules() {
  static Json doc = big_rules();
  return doc;
}

// parse_rules with `extra` appended as rule number kScaleRules.
Result<RuleSet> with_extra_rule(const TeamModel& tm, Json extra) {
  Json& doc = shared_rules();
  doc["rules"].push_back(std::move(extra));
  auto rules = parse_rules(JsonReader(doc, "big.json"), tm);
  doc["rules"].erase(kScaleRules);
  return rules;
}

TEST(RulesScaleTest, HundredThousandDistinctRulesLoad) {
  const TeamModel tm = scale_team();
  const Json& doc = shared_rules();
  auto rules = parse_rules(JsonReader(doc, "big.json"), tm);
  ASSERT_TRUE(rules.ok()) << rules.status().to_string();
  ASSERT_EQ(rules->rules().size(), kScaleRules);
  // Sorted by priority, file order within a priority: r0, r1000, r2000, ...
  EXPECT_EQ(rules->rules()[0].key, "r0");
  EXPECT_EQ(rules->rules()[1].key, "r1000");
  std::size_t last = kScaleRules - 1;  // the last rule of priority 999 (98 999 of 99 999)
  while (last % 1000 != 999) --last;
  EXPECT_EQ(rules->rules()[kScaleRules - 1].key, "r" + std::to_string(last));
  // One pool per manager-list rule (i % 3 == 2), one for the team: 33 333 + 1 of 99 999.
  EXPECT_EQ(rules->pools().size(), kScaleRules / 3 + 1);
  const Rule& listed = rules->rule(*rules->find_rule("r2"));
  ASSERT_TRUE(listed.target.pool.has_value());
  // Members in the team's rank order (by key), not in the listed order.
  const auto& members = rules->pool(listed.target.pool->pool).members;
  ASSERT_EQ(members.size(), 2u);
  EXPECT_EQ(tm.manager(members[0]).key, "a");
  EXPECT_EQ(tm.manager(members[1]).key, "c");
}

TEST(RulesScaleTest, DuplicateIdAtTheEndOfABigFileIsLocated) {
  const TeamModel tm = scale_team();
  auto rules = with_extra_rule(tm, {{"id", "r17777"}, {"target", {{"manager", "a"}}}});
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), ErrorCode::duplicate);
  EXPECT_EQ(rules.status().location().file, "big.json");
  EXPECT_EQ(rules.status().location().json_path, "/rules/" + std::to_string(kScaleRules) + "/id");
  EXPECT_EQ(rules.status().message(), "duplicate rule id 'r17777'");
}

TEST(RulesScaleTest, ManagerListedTwiceInAPoolIsLocated) {
  const TeamModel tm = scale_team();
  auto rules = with_extra_rule(tm, {{"id", "last"}, {"target", {{"managers", {"c", "b", "c"}}}}});
  ASSERT_FALSE(rules.ok());
  EXPECT_EQ(rules.status().code(), ErrorCode::duplicate);
  EXPECT_EQ(rules.status().location().json_path,
            "/rules/" + std::to_string(kScaleRules) + "/target/managers/2");
  EXPECT_EQ(rules.status().message(), "manager is listed twice");
}

}  // namespace
}  // namespace dealflow::routing
