// Every documented load error of the team file, with its JSON path.
#include <gtest/gtest.h>

#include "routing_test_util.h"

namespace dealflow::routing {
namespace {

using testing::team_from;

struct TeamError {
  const char* name;
  std::string json;
  ErrorCode code;
  std::string path;
  std::string message_part;
};

std::string attrs(const std::string& extra = "") {
  return R"("attributes": [{"name": "region", "values": ["Москва", "Сибирь", "Томск"],
                            "children": {"Сибирь": ["Томск"]}},
                           {"name": "tier", "values": ["SMB", "Enterprise"]}, )" +
         extra + R"({"name": "amount", "type": "money", "currency": "RUB"}])";
}

// "{" followed by the attributes member, built by appending.
std::string open_attrs() {
  std::string out = "{";
  out += attrs();
  return out;
}

class TeamJsonErrorTest : public ::testing::TestWithParam<TeamError> {};

TEST_P(TeamJsonErrorTest, ReportsPathAndReason) {
  const TeamError& e = GetParam();
  auto team = team_from(e.json);
  ASSERT_FALSE(team.ok()) << e.name;
  EXPECT_EQ(team.status().code(), e.code) << team.status().to_string();
  EXPECT_EQ(team.status().location().file, "team.json");
  EXPECT_EQ(team.status().location().json_path, e.path) << team.status().to_string();
  EXPECT_NE(team.status().message().find(e.message_part), std::string::npos) << team.status().to_string();
}

INSTANTIATE_TEST_SUITE_P(
    Errors, TeamJsonErrorTest,
    ::testing::Values(
        TeamError{"duplicate_manager", open_attrs() + R"(, "managers": [{"id": "m1"}, {"id": "m1"}]})",
                  ErrorCode::duplicate, "/managers/1/id", "duplicate manager id 'm1'"},
        TeamError{"unknown_skill_attribute",
                  open_attrs() + R"(, "managers": [{"id": "m", "skills": {"regoin": ["Москва"]}}]})",
                  ErrorCode::not_found, "/managers/0/skills/regoin", "unknown attribute 'regoin'"},
        TeamError{"unknown_skill_value",
                  open_attrs() + R"(, "managers": [{"id": "m", "skills": {"region": ["Мосвка"]}}]})",
                  ErrorCode::not_found, "/managers/0/skills/region/0",
                  "'Мосвка' is not a declared value of 'region'"},
        TeamError{
            "hierarchy_cycle",
            R"({"attributes": [{"name": "region", "values": ["A", "B"], "children": {"A": ["B"], "B": ["A"]}}],
                      "managers": [{"id": "m"}]})",
            ErrorCode::validation_failed, "/attributes/0/children/B/0",
            "hierarchy cycle in 'region': A -> B -> A"},
        TeamError{
            "hierarchy_self_cycle",
            R"({"attributes": [{"name": "region", "values": ["A"], "children": {"A": ["A"]}}], "managers": [{"id": "m"}]})",
            ErrorCode::validation_failed, "/attributes/0/children/A/0", "hierarchy cycle"},
        TeamError{
            "hierarchy_undeclared_child",
            R"({"attributes": [{"name": "region", "values": ["Сибирь"], "children": {"Сибирь": ["Томкс"]}}],
                      "managers": [{"id": "m"}]})",
            ErrorCode::not_found, "/attributes/0/children/Сибирь/0", "'Томкс' is not a declared value"},
        TeamError{
            "hierarchy_undeclared_parent",
            R"({"attributes": [{"name": "region", "values": ["Томск"], "children": {"Сибирь": ["Томск"]}}],
                      "managers": [{"id": "m"}]})",
            ErrorCode::not_found, "/attributes/0/children/Сибирь", "'Сибирь' is not a declared value"},
        TeamError{
            "two_parents",
            R"({"attributes": [{"name": "r", "values": ["A", "B", "C"], "children": {"A": ["C"], "B": ["C"]}}],
                      "managers": [{"id": "m"}]})",
            ErrorCode::validation_failed, "/attributes/0/children/B/0", "already has the parent 'A'"},
        TeamError{
            "duplicate_value",
            R"({"attributes": [{"name": "tier", "values": ["SMB", "SMB"]}], "managers": [{"id": "m"}]})",
            ErrorCode::duplicate, "/attributes/0/values/1", "value 'SMB' is declared twice"},
        TeamError{"empty_values",
                  R"({"attributes": [{"name": "tier", "values": []}], "managers": [{"id": "m"}]})",
                  ErrorCode::validation_failed, "/attributes/0/values", "declares no values"},
        TeamError{
            "duplicate_attribute",
            R"({"attributes": [{"name": "tier", "values": ["A"]}, {"name": "tier", "values": ["B"]}], "managers": [{"id": "m"}]})",
            ErrorCode::duplicate, "/attributes/1", "attribute 'tier' is declared twice"},
        TeamError{"bad_attribute_type",
                  R"({"attributes": [{"name": "x", "type": "float"}], "managers": [{"id": "m"}]})",
                  ErrorCode::validation_failed, "/attributes/0/type", "unknown attribute type 'float'"},
        TeamError{
            "bad_currency",
            R"({"attributes": [{"name": "amount", "type": "money", "currency": "RUBL"}], "managers": [{"id": "m"}]})",
            ErrorCode::parse_error, "/attributes/0/currency", ""},
        TeamError{"no_attributes", R"({"managers": [{"id": "m"}]})", ErrorCode::validation_failed,
                  "/attributes", "required array 'attributes' is missing"},
        TeamError{"no_managers", open_attrs() + R"(, "managers": []})", ErrorCode::validation_failed,
                  "/managers", "the team has no managers"},
        TeamError{"unknown_calendar", open_attrs() + R"(, "managers": [{"id": "m", "calendar": "spb"}]})",
                  ErrorCode::not_found, "/managers/0/calendar", "unknown calendar 'spb'"},
        TeamError{"unknown_default_calendar",
                  open_attrs() + R"(, "default_calendar": "x", "managers": [{"id": "m"}]})",
                  ErrorCode::not_found, "/default_calendar", "unknown calendar 'x'"},
        TeamError{
            "bad_calendar",
            open_attrs() + R"(, "calendars": {"c": {"utc_offset": "+25:00"}}, "managers": [{"id": "m"}]})",
            ErrorCode::parse_error, "/calendars/c/utc_offset", ""},
        TeamError{"negative_cap", open_attrs() + R"(, "managers": [{"id": "m", "capacity": {"daily": -1}}]})",
                  ErrorCode::validation_failed, "/managers/0/capacity/daily", "non-negative integer"},
        TeamError{"fractional_weight", open_attrs() + R"(, "managers": [{"id": "m", "weight": 1.5}]})",
                  ErrorCode::validation_failed, "/managers/0/weight", "expected an integer"},
        TeamError{
            "absence_backwards",
            open_attrs() +
                R"(, "managers": [{"id": "m", "absences": [{"from": "2024-03-05", "to": "2024-03-01"}]}]})",
            ErrorCode::validation_failed, "/managers/0/absences/0/to",
            "ends (2024-03-01) before it starts (2024-03-05)"},
        TeamError{"bad_date",
                  open_attrs() + R"(, "managers": [{"id": "m", "absences": [{"from": "2024-02-30"}]}]})",
                  ErrorCode::parse_error, "/managers/0/absences/0/from", ""},
        TeamError{"typo_key", open_attrs() + R"(, "managers": [{"id": "m", "wieght": 2}]})",
                  ErrorCode::validation_failed, "/managers/0/wieght", "unknown key 'wieght'"},
        TeamError{"empty_manager_id", open_attrs() + R"(, "managers": [{"id": ""}]})",
                  ErrorCode::validation_failed, "/managers/0/id", "must not be empty"},
        TeamError{"unknown_member",
                  open_attrs() + R"(, "managers": [{"id": "m"}], "teams": [{"id": "t", "members": ["x"]}]})",
                  ErrorCode::not_found, "/teams/0/members/0", "unknown manager 'x'"},
        TeamError{"unknown_head",
                  open_attrs() + R"(, "managers": [{"id": "m"}], "teams": [{"id": "t", "head": "x"}]})",
                  ErrorCode::not_found, "/teams/0/head", "unknown manager 'x'"},
        TeamError{
            "member_twice",
            open_attrs() + R"(, "managers": [{"id": "m"}], "teams": [{"id": "t", "members": ["m", "m"]}]})",
            ErrorCode::duplicate, "/teams/0/members/1", "listed twice"},
        TeamError{"duplicate_team",
                  open_attrs() + R"(, "managers": [{"id": "m"}], "teams": [{"id": "t"}, {"id": "t"}]})",
                  ErrorCode::duplicate, "/teams/1/id", "duplicate team id 't'"},
        TeamError{"unknown_parent",
                  open_attrs() + R"(, "managers": [{"id": "m"}], "teams": [{"id": "t", "parent": "x"}]})",
                  ErrorCode::not_found, "/teams/0/parent", "unknown team 'x'"},
        TeamError{"team_cycle", open_attrs() + R"(, "managers": [{"id": "m"}],
                     "teams": [{"id": "a", "parent": "b"}, {"id": "b", "parent": "a"}]})",
                  ErrorCode::validation_failed, "/teams/1/parent", "team cycle"}),
    [](const ::testing::TestParamInfo<TeamError>& info) { return std::string(info.param.name); });

// A chain v00 -> v01 -> ... -> v{levels-1} (keys sort in chain order).
std::string chain_team(int levels) {
  auto name = [](int i) { return std::string(i < 10 ? "\"v0" : "\"v") + std::to_string(i) + "\""; };
  std::string values, children;
  for (int i = 0; i < levels; ++i) {
    values += (i ? ", " : "") + name(i);
    if (i + 1 < levels) children += (i ? ", " : "") + name(i) + ": [" + name(i + 1) + "]";
  }
  return R"({"attributes": [{"name": "region", "values": [)" + values + R"(], "children": {)" + children +
         R"(}}], "managers": [{"id": "m"}]})";
}

TEST(TeamJsonTest, HierarchyDeeperThanTheLimitIsLocated) {
  EXPECT_TRUE(team_from(chain_team(static_cast<int>(kMaxHierarchyDepth))).ok());
  auto t = team_from(chain_team(static_cast<int>(kMaxHierarchyDepth) + 1));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::validation_failed);
  EXPECT_EQ(t.status().location().json_path, "/attributes/0/children/v63/0");
  EXPECT_EQ(t.status().message(),
            "hierarchy of 'region' deeper than 64 levels: 'v64' under 'v63' makes at least 65; expected at "
            "most 64");
}

TEST(TeamJsonTest, SyntaxErrorHasLineAndColumn) {
  auto team = team_from("{\n  \"managers\": [,]\n}");
  ASSERT_FALSE(team.ok());
  EXPECT_EQ(team.status().location().line, 2);
  EXPECT_GT(team.status().location().column, 0);
}

TEST(TeamJsonTest, ShippedTeamLoads) {
  auto team = load_team_file(std::string(DEALFLOW_SOURCE_DIR) + "/data/routing/team.json");
  ASSERT_TRUE(team.ok()) << team.status().to_string();
  EXPECT_EQ(team->managers().size(), 10u);
  EXPECT_EQ(team->schema().categorical_count(), 6u);
  EXPECT_EQ(team->schema().numeric_count(), 2u);
  const auto& region = team->schema().categorical(*team->schema().find_categorical("region"));
  EXPECT_TRUE(region.is_ancestor_or_self(*region.find("Сибирь"), *region.find("Томск")));
  EXPECT_TRUE(region.is_ancestor_or_self(*region.find("Сибирь"), *region.find("Новосибирск")));
  EXPECT_FALSE(region.is_ancestor_or_self(*region.find("Сибирь"), *region.find("Урал")));
  EXPECT_EQ(team->pool_of_team(*team->find_team("sales")).size(), 9u);  // everyone but the head
}

TEST(TeamJsonTest, MissingFileIsIoError) {
  auto team = load_team_file("/nonexistent/team.json");
  ASSERT_FALSE(team.ok());
  EXPECT_EQ(team.status().code(), ErrorCode::io_error);
}

}  // namespace
}  // namespace dealflow::routing
