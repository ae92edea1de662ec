// The team model: attribute hierarchies, managers, nested teams, ranks.
#include <gtest/gtest.h>

#include "dealflow/routing/team.h"
#include "routing_test_util.h"

namespace dealflow::routing {
namespace {

using testing::kAttributes;
using testing::team_from;

TEST(AttributeSchemaTest, HierarchyExpandsToDescendants) {
  AttributeSchema s;
  auto region = s.add_categorical("region", {"Россия", "Сибирь", "Новосибирск", "Томск", "Москва"});
  ASSERT_TRUE(region.ok());
  ASSERT_TRUE(s.add_child(*region, "Россия", "Сибирь").ok());
  ASSERT_TRUE(s.add_child(*region, "Сибирь", "Новосибирск").ok());
  ASSERT_TRUE(s.add_child(*region, "Сибирь", "Томск").ok());
  ASSERT_TRUE(s.add_child(*region, "Россия", "Москва").ok());
  const auto& a = s.categorical(*region);
  EXPECT_TRUE(a.is_ancestor_or_self(0, 3));  // Россия ⊃ Томск
  EXPECT_TRUE(a.is_ancestor_or_self(1, 1));
  EXPECT_FALSE(a.is_ancestor_or_self(2, 1));  // Новосибирск is not above Сибирь
  EXPECT_EQ(a.subtree(1), (std::vector<ValueCode>{1, 2, 3}));
  auto mask = s.expand(*region, {1});
  EXPECT_FALSE(test_bit(mask, 0));
  EXPECT_TRUE(test_bit(mask, 1));
  EXPECT_TRUE(test_bit(mask, 2));
  EXPECT_TRUE(test_bit(mask, 3));
  EXPECT_FALSE(test_bit(mask, 4));
}

TEST(AttributeSchemaTest, CycleIsRefusedAndNamed) {
  AttributeSchema s;
  auto a = *s.add_categorical("region", {"A", "B", "C"});
  ASSERT_TRUE(s.add_child(a, "A", "B").ok());
  ASSERT_TRUE(s.add_child(a, "B", "C").ok());
  Status st = s.add_child(a, "C", "A");
  EXPECT_EQ(st.code(), ErrorCode::validation_failed);
  EXPECT_NE(st.message().find("A -> B -> C -> A"), std::string::npos) << st.message();
  EXPECT_EQ(s.add_child(a, "A", "A").code(), ErrorCode::validation_failed);
  // A second parent is refused too (the hierarchy is a forest).
  auto b = *s.add_categorical("product", {"X", "Y", "Z"});
  ASSERT_TRUE(s.add_child(b, "X", "Z").ok());
  EXPECT_EQ(s.add_child(b, "Y", "Z").code(), ErrorCode::validation_failed);
}

TEST(AttributeSchemaTest, RejectsDuplicatesAndEmpty) {
  AttributeSchema s;
  ASSERT_TRUE(s.add_categorical("tier", {"SMB"}).ok());
  EXPECT_EQ(s.add_categorical("tier", {"X"}).status().code(), ErrorCode::duplicate);
  EXPECT_EQ(s.add_numeric("tier", NumericKind::integer).status().code(), ErrorCode::duplicate);
  EXPECT_FALSE(s.add_categorical("channel", {}).ok());
  EXPECT_EQ(s.add_categorical("x", {"a", "a"}).status().code(), ErrorCode::duplicate);
  EXPECT_FALSE(s.add_numeric("amount", NumericKind::money).ok());  // money needs a currency
}

TEST(TeamModelTest, StableKeysNotNamesAndRankOrder) {
  auto team = team_from(std::string("{") + kAttributes + R"(,
    "managers": [
      {"id": "m-z", "name": "Иванов Сергей"},
      {"id": "m-a", "name": "Иванов Сергей"},
      {"id": "m-m", "name": "Петрова Анна", "active": false}
    ]})");
  ASSERT_TRUE(team.ok()) << team.status().to_string();
  ASSERT_EQ(team->managers().size(), 3u);
  // Two managers with the same display name stay two managers.
  EXPECT_NE(*team->find_manager("m-z"), *team->find_manager("m-a"));
  EXPECT_EQ(team->manager(*team->find_manager("m-a")).rank, 0u);
  EXPECT_EQ(team->manager(*team->find_manager("m-m")).rank, 1u);
  EXPECT_EQ(team->manager(*team->find_manager("m-z")).rank, 2u);
  EXPECT_FALSE(team->manager(*team->find_manager("m-m")).active);
}

TEST(TeamModelTest, NestedTeamsPoolIncludesDescendantsNotHead) {
  auto team = team_from(std::string("{") + kAttributes + R"(,
    "managers": [{"id": "head"}, {"id": "a"}, {"id": "b"}, {"id": "c"}],
    "teams": [
      {"id": "sub", "parent": "dept", "members": ["c", "b"]},
      {"id": "dept", "head": "head", "members": ["a"]}
    ]})");
  ASSERT_TRUE(team.ok()) << team.status().to_string();
  const TeamId dept = *team->find_team("dept");
  const TeamId sub = *team->find_team("sub");
  auto keys = [&](const std::vector<ManagerId>& ids) {
    std::vector<std::string> out;
    for (ManagerId m : ids) out.push_back(team->manager(m).key);
    return out;
  };
  EXPECT_EQ(keys(team->pool_of_team(dept)), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(keys(team->pool_of_team(sub)), (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(team->team(sub).parent, dept);
  EXPECT_EQ(team->team(dept).head, team->find_manager("head"));
}

TEST(TeamModelTest, SkillsAbsencesCapacityAndCalendar) {
  auto team = team_from(std::string("{") + kAttributes + R"(,
    "calendars": {"nsk": {"utc_offset": "+07:00"}},
    "managers": [
      {"id": "m", "calendar": "nsk", "weight": 3,
       "absences": [{"from": "2024-03-10", "to": "2024-03-12"}, {"from": "2024-03-01"}],
       "capacity": {"max_open_deals": 5, "daily": 2, "rolling_30_days": 20},
       "skills": {"region": ["Сибирь"], "tier": ["SMB"]}},
      {"id": "free"}
    ]})");
  ASSERT_TRUE(team.ok()) << team.status().to_string();
  const Manager& m = team->manager(*team->find_manager("m"));
  EXPECT_EQ(m.weight, 3u);
  EXPECT_EQ(m.capacity.max_open_deals, 5u);
  EXPECT_EQ(m.capacity.daily, 2u);
  EXPECT_EQ(m.capacity.rolling_30_days, 20u);
  EXPECT_EQ(team->calendar_of(m.id).utc_offset_minutes(), 7 * 60);
  ASSERT_NE(m.absence_on(*Date::parse("2024-03-11")), nullptr);
  EXPECT_EQ(m.absence_on(*Date::parse("2024-03-11"))->to_string(), "2024-03-10..2024-03-12");
  EXPECT_EQ(m.absence_on(*Date::parse("2024-03-01"))->to_string(), "2024-03-01");
  EXPECT_EQ(m.absence_on(*Date::parse("2024-03-13")), nullptr);
  const auto& s = team->schema();
  const AttributeId region = *s.find_categorical("region");
  const AttributeId channel = *s.find_categorical("channel");
  EXPECT_TRUE(m.accepts(region, *s.categorical(region).find("Томск")));
  EXPECT_TRUE(m.accepts(region, *s.categorical(region).find("Сибирь")));
  EXPECT_FALSE(m.accepts(region, *s.categorical(region).find("Москва")));
  EXPECT_FALSE(m.accepts(region, kUnspecified));
  EXPECT_TRUE(m.accepts(channel, kUnspecified));  // no skill on the axis: any
  const Manager& free = team->manager(*team->find_manager("free"));
  EXPECT_EQ(free.capacity.daily, Capacity::kUnlimited);
  EXPECT_EQ(free.weight, 1u);
  EXPECT_TRUE(free.accepts(region, *s.categorical(region).find("Москва")));
}

TEST(TeamBuilderTest, FailedStepChangesNothing) {
  AttributeSchema s;
  ASSERT_TRUE(s.add_categorical("tier", {"SMB"}).ok());
  TeamBuilder b(std::move(s));
  ManagerSpec a;
  a.key = "a";
  ASSERT_TRUE(b.add_manager(a).ok());
  EXPECT_EQ(b.add_manager(a).status().code(), ErrorCode::duplicate);
  ManagerSpec bad;
  bad.key = "bad";
  bad.skills.by_attribute = {{7}};  // code outside the domain
  EXPECT_FALSE(b.add_manager(bad).ok());
  EXPECT_FALSE(b.find_manager("bad").has_value());
  auto t1 =
      b.add_team({.key = "t1", .name = "", .head = std::nullopt, .members = {}, .parent = std::nullopt});
  auto t2 = b.add_team({.key = "t2", .name = "", .head = std::nullopt, .members = {}, .parent = *t1});
  ASSERT_TRUE(t1.ok() && t2.ok());
  EXPECT_EQ(b.set_team_parent(*t1, *t2).code(), ErrorCode::validation_failed);
  auto team = std::move(b).build();
  ASSERT_TRUE(team.ok());
  EXPECT_EQ(team->managers().size(), 1u);
  EXPECT_EQ(team->team(*t2).parent, *t1);
  EXPECT_FALSE(team->team(*t1).parent.has_value());
}

}  // namespace
}  // namespace dealflow::routing
