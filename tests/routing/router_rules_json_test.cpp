// The rules file: what it compiles to, and every documented load error.
#include <gtest/gtest.h>

#include <limits>

#include "routing_test_util.h"

namespace dealflow::routing {
namespace {

using testing::kAttributes;
using testing::rules_from;
using testing::team_from;

const std::string kRulesJsonTeam = std::string("{") + kAttributes + R"(,
  "managers": [{"id": "a"}, {"id": "b"}, {"id": "c"}],
  "teams": [{"id": "t", "members": ["a", "b"]}, {"id": "empty"}, {"id": "nested", "parent": "empty"}]})";

TeamModel rules_json_team() {
  auto t = team_from(kRulesJsonTeam);
  EXPECT_TRUE(t.ok()) << t.status().to_string();
  return std::move(*t);
}

TEST(RulesJsonTest, PriorityThenFileOrder) {
  TeamModel tm = rules_json_team();
  auto rules = rules_from(R"({"rules": [
      {"id": "late", "priority": 50, "target": {"manager": "a"}},
      {"id": "first", "priority": 1, "target": {"manager": "a"}},
      {"id": "default-prio-1", "target": {"manager": "a"}},
      {"id": "late-2", "priority": 50, "target": {"manager": "a"}},
      {"id": "default-prio-2", "target": {"manager": "a"}}]})",
                          tm);
  ASSERT_TRUE(rules.ok()) << rules.status().to_string();
  std::vector<std::string> order;
  for (const Rule& r : rules->rules()) order.push_back(r.key);
  EXPECT_EQ(order, (std::vector<std::string>{"first", "late", "late-2", "default-prio-1", "default-prio-2"}));
  EXPECT_EQ(rules->rule(*rules->find_rule("late")).file_index, 0u);
  EXPECT_EQ(rules->rule(*rules->find_rule("late")).id, RuleId(1));
}

TEST(RulesJsonTest, ConditionForms) {
  TeamModel tm = rules_json_team();
  auto rules = rules_from(R"({"rules": [
      {"id": "r", "when": {"region": "Сибирь", "tier": ["SMB", "Enterprise"], "channel": {"not_in": ["outbound"]},
                           "amount": {"min": "1 000 000,50", "max": 5000000}},
       "target": {"team": "t"}}]})",
                          tm);
  ASSERT_TRUE(rules.ok()) << rules.status().to_string();
  const Rule& r = rules->rules()[0];
  const auto& s = tm.schema();
  const AttributeId region = *s.find_categorical("region");
  const AttributeId channel = *s.find_categorical("channel");
  const AttributeId product = *s.find_categorical("product");
  EXPECT_EQ(r.conditions[region.value()].kind, ConditionKind::in_set);
  EXPECT_TRUE(r.accepts(region, *s.categorical(region).find("Томск")));  // hierarchy
  EXPECT_FALSE(r.accepts(region, *s.categorical(region).find("Москва")));
  EXPECT_FALSE(r.accepts(region, kUnspecified));
  EXPECT_TRUE(r.accepts(channel, *s.categorical(channel).find("inbound")));
  EXPECT_FALSE(r.accepts(channel, *s.categorical(channel).find("outbound")));
  EXPECT_TRUE(r.accepts(channel, kUnspecified));  // not_in accepts an empty value
  EXPECT_EQ(r.conditions[product.value()].kind, ConditionKind::any);
  EXPECT_TRUE(r.accepts(product, kUnspecified));
  ASSERT_EQ(r.ranges.size(), 1u);
  EXPECT_EQ(r.ranges[0].min, 100000050);  // exact kopecks
  EXPECT_EQ(r.ranges[0].max, 500000000);
  EXPECT_EQ(r.target.kind, TargetKind::pool);
  EXPECT_EQ(rules->pool(r.target.pool->pool).key, "team:t");
  EXPECT_EQ(r.target.pool->strategy, Strategy::round_robin);  // the default strategy
}

// Integer bounds take the whole int64 range, the largest included, as JSON
// numbers or strings.
TEST(RulesJsonTest, IntegerRangeBoundsAtTheLimits) {
  TeamModel tm = rules_json_team();
  auto rules = rules_from(R"({"rules": [
      {"id": "max", "when": {"client_size": {"min": 9223372036854775806, "max": 9223372036854775807}},
       "target": {"manager": "a"}},
      {"id": "min", "when": {"client_size": {"min": "-9223372036854775808", "max": -5}}, "target": {"manager": "a"}}]})",
                          tm);
  ASSERT_TRUE(rules.ok()) << rules.status().to_string();
  EXPECT_EQ(rules->rules()[0].ranges[0].min, std::numeric_limits<std::int64_t>::max() - 1);
  EXPECT_EQ(rules->rules()[0].ranges[0].max, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(rules->rules()[1].ranges[0].min, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(rules->rules()[1].ranges[0].max, -5);
}

TEST(RulesJsonTest, TeamPoolsShareStateAcrossRules) {
  TeamModel tm = rules_json_team();
  auto rules = rules_from(R"({"rules": [
      {"id": "r1", "target": {"team": "t", "strategy": "round_robin"}},
      {"id": "r2", "target": {"team": "t", "strategy": "least_loaded"}},
      {"id": "r3", "target": {"managers": ["c", "a"]}},
      {"id": "r4", "target": {"account_owner": true, "fallback": {"managers": ["b"]}}}],
      "default": {"team": "t"}})",
                          tm);
  ASSERT_TRUE(rules.ok()) << rules.status().to_string();
  std::vector<std::string> keys;
  for (const Pool& p : rules->pools()) keys.push_back(p.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"team:t", "rule:r3", "rule:r4:fallback"}));
  // Pool members are in stable-key order regardless of the listing order.
  const Pool& r3 = rules->pool(*rules->find_pool("rule:r3"));
  EXPECT_EQ(tm.manager(r3.members[0]).key, "a");
  EXPECT_EQ(tm.manager(r3.members[1]).key, "c");
  EXPECT_EQ(rules->default_pool()->pool, *rules->find_pool("team:t"));
  EXPECT_FALSE(rules->default_requires_working_hours());  // unless the file asks
}

TEST(RulesJsonTest, DefaultPoolMayAskForWorkingHours) {
  TeamModel tm = rules_json_team();
  auto on = rules_from(R"({"rules": [], "default": {"team": "t", "working_hours": true}})", tm);
  ASSERT_TRUE(on.ok()) << on.status().to_string();
  EXPECT_TRUE(on->default_requires_working_hours());
  auto off = rules_from(R"({"rules": [], "default": {"team": "t", "working_hours": false}})", tm);
  ASSERT_TRUE(off.ok()) << off.status().to_string();
  EXPECT_FALSE(off->default_requires_working_hours());
}

TEST(RulesJsonTest, LeadFieldMapFollowsHierarchy) {
  TeamModel tm = rules_json_team();
  auto rules = rules_from(R"({"rules": [
      {"id": "r", "target": {"strategy": "lead_field", "field": "region", "map": {"Сибирь": "b", "Томск": "c", "Москва": "a"}}}]})",
                          tm);
  ASSERT_TRUE(rules.ok()) << rules.status().to_string();
  const PoolTarget& t = *rules->rules()[0].target.pool;
  const auto& region = tm.schema().categorical(t.field);
  auto mapped = [&](const char* v) {
    ManagerId m = t.field_map[*region.find(v)];
    return m.valid() ? tm.manager(m).key : std::string("-");
  };
  EXPECT_EQ(mapped("Москва"), "a");
  EXPECT_EQ(mapped("Сибирь"), "b");
  EXPECT_EQ(mapped("Новосибирск"), "b");  // inherits Сибирь
  EXPECT_EQ(mapped("Томск"), "c");        // its own entry wins
  EXPECT_EQ(mapped("Урал"), "-");
}

struct RulesError {
  const char* name;
  std::string json;
  ErrorCode code;
  std::string path;
  std::string message_part;
};

class RulesJsonErrorTest : public ::testing::TestWithParam<RulesError> {};

TEST_P(RulesJsonErrorTest, ReportsPathAndReason) {
  const RulesError& e = GetParam();
  TeamModel tm = rules_json_team();
  auto rules = rules_from(e.json, tm);
  ASSERT_FALSE(rules.ok()) << e.name;
  EXPECT_EQ(rules.status().code(), e.code) << rules.status().to_string();
  EXPECT_EQ(rules.status().location().file, "rules.json");
  EXPECT_EQ(rules.status().location().json_path, e.path) << rules.status().to_string();
  EXPECT_NE(rules.status().message().find(e.message_part), std::string::npos) << rules.status().to_string();
}

std::string one(const std::string& rule) {
  return R"({"rules": [)" + rule + "]}";
}

INSTANTIATE_TEST_SUITE_P(
    Errors, RulesJsonErrorTest,
    ::testing::Values(
        RulesError{"unknown_attribute",
                   one(R"({"id": "r", "when": {"regoin": "Москва"}, "target": {"manager": "a"}})"),
                   ErrorCode::not_found, "/rules/0/when/regoin", "unknown attribute 'regoin'"},
        RulesError{
            "unknown_value",
            one(R"({"id": "r", "when": {"region": ["Москва", "Мосвка"]}, "target": {"manager": "a"}})"),
            ErrorCode::not_found, "/rules/0/when/region/1", "'Мосвка' is not a declared value of 'region'"},
        RulesError{"unknown_value_not_in",
                   one(R"({"id": "r", "when": {"tier": {"not_in": ["VIP"]}}, "target": {"manager": "a"}})"),
                   ErrorCode::not_found, "/rules/0/when/tier/not_in/0", "'VIP'"},
        RulesError{"empty_set",
                   one(R"({"id": "r", "when": {"tier": {"in": []}}, "target": {"manager": "a"}})"),
                   ErrorCode::validation_failed, "/rules/0/when/tier/in", "empty value set"},
        RulesError{
            "in_and_not_in",
            one(R"({"id": "r", "when": {"tier": {"in": ["SMB"], "not_in": ["Enterprise"]}}, "target": {"manager": "a"}})"),
            ErrorCode::validation_failed, "/rules/0/when/tier", "exactly one of 'in' or 'not_in'"},
        RulesError{"value_twice",
                   one(R"({"id": "r", "when": {"tier": ["SMB", "SMB"]}, "target": {"manager": "a"}})"),
                   ErrorCode::duplicate, "/rules/0/when/tier/1", "listed twice"},
        RulesError{
            "empty_range",
            one(R"({"id": "r", "when": {"amount": {"min": 100, "max": 100}}, "target": {"manager": "a"}})"),
            ErrorCode::validation_failed, "/rules/0/when/amount", "empty range"},
        RulesError{"bad_amount",
                   one(R"({"id": "r", "when": {"amount": {"min": "12,345"}}, "target": {"manager": "a"}})"),
                   ErrorCode::parse_error, "/rules/0/when/amount/min", ""},
        RulesError{
            "integer_above_int64_max",
            one(R"({"id": "r", "when": {"client_size": {"min": 9223372036854775808}}, "target": {"manager": "a"}})"),
            ErrorCode::validation_failed, "/rules/0/when/client_size/min",
            "integer out of range: 9223372036854775808"},
        RulesError{
            "integer_string_out_of_range",
            one(R"({"id": "r", "when": {"client_size": {"max": "-9223372036854775809"}}, "target": {"manager": "a"}})"),
            ErrorCode::validation_failed, "/rules/0/when/client_size/max",
            "integer out of range: '-9223372036854775809'"},
        RulesError{"integer_fraction",
                   one(R"({"id": "r", "when": {"client_size": {"min": 2.5}}, "target": {"manager": "a"}})"),
                   ErrorCode::validation_failed, "/rules/0/when/client_size/min",
                   "expected an integer, got 2.5"},
        RulesError{"range_without_bounds",
                   one(R"({"id": "r", "when": {"amount": {}}, "target": {"manager": "a"}})"),
                   ErrorCode::validation_failed, "/rules/0/when/amount", "needs 'min', 'max' or both"},
        RulesError{"unknown_manager", one(R"({"id": "r", "target": {"manager": "m-petrov"}})"),
                   ErrorCode::not_found, "/rules/0/target/manager", "unknown manager 'm-petrov'"},
        RulesError{"unknown_pool_manager", one(R"({"id": "r", "target": {"managers": ["a", "zz"]}})"),
                   ErrorCode::not_found, "/rules/0/target/managers/1", "unknown manager 'zz'"},
        RulesError{
            "unknown_map_manager",
            one(R"({"id": "r", "target": {"strategy": "lead_field", "field": "tier", "map": {"SMB": "zz"}}})"),
            ErrorCode::not_found, "/rules/0/target/map/SMB", "unknown manager 'zz'"},
        RulesError{"unknown_team", one(R"({"id": "r", "target": {"team": "sales"}})"), ErrorCode::not_found,
                   "/rules/0/target/team", "unknown team 'sales'"},
        RulesError{"empty_team_pool", one(R"({"id": "r", "target": {"team": "empty"}})"),
                   ErrorCode::validation_failed, "/rules/0/target/team",
                   "pool is empty: team 'empty' has no members"},
        RulesError{"empty_list_pool", one(R"({"id": "r", "target": {"managers": []}})"),
                   ErrorCode::validation_failed, "/rules/0/target/managers", "pool is empty"},
        RulesError{"no_pool", one(R"({"id": "r", "target": {"strategy": "round_robin"}})"),
                   ErrorCode::validation_failed, "/rules/0/target", "pool is empty"},
        RulesError{"team_and_managers", one(R"({"id": "r", "target": {"team": "t", "managers": ["c"]}})"),
                   ErrorCode::validation_failed, "/rules/0/target", "either 'team' or 'managers'"},
        RulesError{
            "duplicate_rule",
            R"({"rules": [{"id": "r", "target": {"manager": "a"}}, {"id": "r", "target": {"manager": "b"}}]})",
            ErrorCode::duplicate, "/rules/1/id", "duplicate rule id 'r'"},
        RulesError{"missing_target", one(R"({"id": "r"})"), ErrorCode::validation_failed, "/rules/0/target",
                   "'target' is missing"},
        RulesError{"unknown_strategy", one(R"({"id": "r", "target": {"team": "t", "strategy": "random"}})"),
                   ErrorCode::validation_failed, "/rules/0/target/strategy", "unknown strategy 'random'"},
        RulesError{"lead_field_without_field",
                   one(R"({"id": "r", "target": {"strategy": "lead_field", "map": {}}})"),
                   ErrorCode::validation_failed, "/rules/0/target/field", "a 'map' needs the 'field'"},
        RulesError{"lead_field_empty_map",
                   one(R"({"id": "r", "target": {"strategy": "lead_field", "field": "tier", "map": {}}})"),
                   ErrorCode::validation_failed, "/rules/0/target/map", "the map is empty"},
        RulesError{
            "lead_field_bad_value",
            one(R"({"id": "r", "target": {"strategy": "lead_field", "field": "tier", "map": {"VIP": "a"}}})"),
            ErrorCode::not_found, "/rules/0/target/map/VIP", "'VIP' is not a declared value of 'tier'"},
        RulesError{"map_without_lead_field",
                   one(R"({"id": "r", "target": {"team": "t", "field": "tier", "map": {"SMB": "a"}}})"),
                   ErrorCode::validation_failed, "/rules/0/target", "only used with strategy lead_field"},
        RulesError{"owner_flag_false", one(R"({"id": "r", "target": {"account_owner": false}})"),
                   ErrorCode::validation_failed, "/rules/0/target/account_owner", "expected true"},
        RulesError{"manager_with_extra",
                   one(R"({"id": "r", "target": {"manager": "a", "strategy": "round_robin"}})"),
                   ErrorCode::validation_failed, "/rules/0/target/strategy", "unknown key 'strategy'"},
        RulesError{"typo_key", one(R"({"id": "r", "whem": {}, "target": {"manager": "a"}})"),
                   ErrorCode::validation_failed, "/rules/0/whem", "unknown key 'whem'"},
        RulesError{"fractional_priority", one(R"({"id": "r", "priority": 1.5, "target": {"manager": "a"}})"),
                   ErrorCode::validation_failed, "/rules/0/priority", "expected an integer"},
        RulesError{"no_rules_array", R"({"default": {"team": "t"}})", ErrorCode::validation_failed, "/rules",
                   "required array 'rules' is missing"},
        RulesError{"empty_default", R"({"rules": [], "default": {"team": "nested"}})",
                   ErrorCode::validation_failed, "/default/team", "pool is empty"},
        RulesError{"default_working_hours_not_bool",
                   R"({"rules": [], "default": {"team": "t", "working_hours": "yes"}})",
                   ErrorCode::validation_failed, "/default/working_hours",
                   "expected true or false, got string"}),
    [](const ::testing::TestParamInfo<RulesError>& info) { return std::string(info.param.name); });

TEST(RulesJsonTest, RouterRefusesRulesOfAnotherTeam) {
  TeamModel tm = rules_json_team();
  auto rules = rules_from(one(R"({"id": "r", "target": {"manager": "a"}})"), tm);
  ASSERT_TRUE(rules.ok());
  auto other = team_from(std::string("{") + kAttributes + R"(, "managers": [{"id": "x"}]})");
  ASSERT_TRUE(other.ok());
  auto router = Router::compile(std::move(*other), std::move(*rules));
  EXPECT_FALSE(router.ok());
}

}  // namespace
}  // namespace dealflow::routing
