// The roll-up check (scopes and time, over and under), team facts, pacing's rounding.
#include "dealflow/planning/attainment.h"
#include "dealflow/routing/routing_json.h"
#include "planning/attainment_detail.h"
#include "planning/plan_fixture.h"

namespace dealflow::planning {
namespace {

using plan_testing::at;
using plan_testing::plan_or_throw;

routing::TeamModel rollup_team_model() {
  auto json = parse_json(R"({"name": "Отдел", "attributes": [],
    "managers": [{"id": "m-ivanova", "name": "Иванова Анна"}, {"id": "m-petrov", "name": "Петров Пётр"}],
    "teams": [{"id": "sales", "name": "Продажи"},
              {"id": "smb", "name": "SMB", "parent": "sales", "members": ["m-ivanova", "m-petrov"]}]})",
                         "team.json");
  auto team = routing::parse_team(JsonReader(*json, "team.json"));
  if (!team) throw std::runtime_error(team.status().to_string());
  return std::move(*team);
}

const char* kQ2Plan = R"({"currency": "RUB", "targets": [
  {"period": "2024", "scope": "company", "metric": "won_amount", "target": "5000"},
  {"period": "2024-Q2", "scope": "company", "metric": "won_amount", "target": "1000"},
  {"period": "2024-Q3", "scope": "company", "metric": "won_amount", "target": "1000"},
  {"period": "2024-04", "scope": "company", "metric": "won_amount", "target": "300"},
  {"period": "2024-05", "scope": "company", "metric": "won_amount", "target": "300"},
  {"period": "2024-06", "scope": "company", "metric": "won_amount", "target": "300"},
  {"period": "2024-Q2", "scope": "manager", "scope_value": "Иванова Анна", "metric": "won_amount", "target": "700"},
  {"period": "2024-Q2", "scope": "manager", "scope_value": "m-petrov", "metric": "won_amount", "target": "400"},
  {"period": "2024-Q2", "scope": "manager", "scope_value": "Петров Пётр", "metric": "won_count", "target": 4},
  {"period": "2024-Q2", "scope": "team", "scope_value": "sales", "metric": "won_amount", "target": "1000"},
  {"period": "2024-Q2", "scope": "team", "scope_value": "smb", "metric": "won_amount", "target": "1000"},
  {"period": "2024-Q2", "scope": "business", "scope_value": "new", "metric": "won_amount", "target": "1000"},
  {"period": "2024-Q2", "scope": "region", "scope_value": "Москва", "metric": "won_amount", "target": "900",
   "effective_from": "2024-07-01"}]})";

struct Expect {
  std::string period, parent, children_of;
  std::uint32_t children;
  std::int64_t difference;
  std::string status;
};

std::vector<Expect> summary(const std::vector<RollupRow>& rows, const Plan& plan) {
  std::vector<Expect> out;
  for (const auto& r : rows) {
    const std::string children_of = r.kind == RollupRow::Kind::scope
                                        ? std::string(to_string(r.child_scope))
                                        : std::string(to_string(r.child_period_kind));
    out.push_back({plan.periods[r.period].label, std::string(to_string(r.scope)) + ":" + r.scope_value,
                   children_of, r.children, r.difference, r.status()});
  }
  return out;
}

bool operator==(const Expect& a, const Expect& b) {
  return std::tie(a.period, a.parent, a.children_of, a.children, a.difference, a.status) ==
         std::tie(b.period, b.parent, b.children_of, b.children, b.difference, b.status);
}
void PrintTo(const Expect& e, std::ostream* os) {
  *os << e.period << " " << e.parent << " <- " << e.children_of << " x" << e.children << " " << e.difference
      << " " << e.status;
}

TEST(Rollup, OverAndUnderInScopesAndTime) {
  const Plan plan = plan_or_throw(kQ2Plan);
  const routing::TeamModel team = rollup_team_model();
  const auto rows = check_rollup(plan, at("2024-06-15T00:00:00Z"), &team);
  // Money in minor units: 100.00 RUB = 10000.
  const std::vector<Expect> expected = {
      {"2024", "company:", "quarter", 2, -300000, "under"},    // Q2 + Q3 = 2000 of 5000
      {"2024-Q2", "company:", "team", 1, 0, "balanced"},       // top-level teams only: sales
      {"2024-Q2", "company:", "manager", 2, 10000, "over"},    // 700 + 400
      {"2024-Q2", "company:", "business", 1, 0, "balanced"},   // the region target is not in force yet
      {"2024-Q2", "company:", "month", 3, -10000, "under"},    // 3 x 300
      {"2024-Q2", "team:sales", "manager", 2, 10000, "over"},  // its sub-team's members, by name or key
      {"2024-Q2", "team:sales", "team", 1, 0, "balanced"},
      {"2024-Q2", "team:smb", "manager", 2, 10000, "over"},
  };
  EXPECT_EQ(summary(rows, plan), expected);
  // After 1 July the region target is in force: company <- regions under by 100.
  const auto later = check_rollup(plan, at("2024-07-01T00:00:00Z"), &team, {1});
  bool region = false;
  for (const auto& r : later)
    if (r.kind == RollupRow::Kind::scope && r.child_scope == PlanScope::region) {
      region = true;
      EXPECT_EQ(r.difference, -10000);
      EXPECT_EQ(r.status(), "under");
    }
  EXPECT_TRUE(region);
}

TEST(Rollup, WithoutTheTeamFileEveryTeamIsAChildOfTheCompany) {
  const Plan plan = plan_or_throw(kQ2Plan);
  const auto rows = check_rollup(plan, at("2024-06-15T00:00:00Z"), nullptr, {1});
  for (const auto& r : rows)
    if (r.kind == RollupRow::Kind::scope && r.child_scope == PlanScope::team) {
      EXPECT_EQ(r.children, 2u);
      EXPECT_EQ(r.difference, 100000);
    }
}

TEST(Attainment, TeamFactIsItsMembersAndSubTeams) {
  const analytics::EventLog log = plan_testing::june_log();
  const routing::TeamModel team = rollup_team_model();
  const Plan plan = plan_or_throw(R"({"currency": "RUB", "targets": [
    {"period": "2024-06", "scope": "team", "scope_value": "sales", "metric": "won_amount", "target": "1000000"},
    {"period": "2024-06", "scope": "team", "scope_value": "smb", "metric": "won_count", "target": 2},
    {"period": "2024-06", "scope": "manager", "scope_value": "m-petrov", "metric": "won_amount", "target": "1"}]})");
  AttainmentQuery q;
  q.as_of = at("2024-06-15T10:00:00Z");
  q.team = &team;
  auto r = compute_attainment(plan, log, {&plan_testing::sales_pipeline()}, q);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->rows[0].fact, 35000000);  // sales: through its sub-team smb
  EXPECT_EQ(r->rows[1].fact, 3);
  EXPECT_EQ(r->rows[2].fact, 15000000);  // a manager named by the team file's key: the log's "Петров Пётр"
  EXPECT_EQ(r->calendar, "Mon–Fri");
  EXPECT_EQ(r->rows[0].total_days, 20);    // 20 weekdays in June 2024 on Mon–Fri
  EXPECT_EQ(r->rows[0].elapsed_days, 10);  // 3–7, 10–14
}

TEST(Pacing, DayCountsAroundAHolidayAndATransferredWorkingDay) {
  const BusinessCalendar cal = plan_testing::june_calendar();
  const Period june = *parse_period("2024-06");
  auto elapsed = [&](const char* iso, int offset = 0) {
    return detail::day_counts(june, at(iso), offset, cal).elapsed;
  };
  EXPECT_EQ(detail::day_counts(june, at("2024-06-15T00:00:00Z"), 0, cal).total, 20);
  EXPECT_EQ(elapsed("2024-05-20T00:00:00Z"), 0);
  EXPECT_EQ(elapsed("2024-06-08T12:00:00Z"), 5);       // the worked Saturday has not ended
  EXPECT_EQ(elapsed("2024-06-09T00:00:00Z"), 6);       // now it has
  EXPECT_EQ(elapsed("2024-06-13T00:00:00Z"), 8);       // 12 June is a holiday
  EXPECT_EQ(elapsed("2024-06-12T22:00:00Z", 180), 8);  // 13 June 01:00 at +03:00
  EXPECT_EQ(elapsed("2024-07-01T00:00:00Z"), 20);
  EXPECT_EQ(elapsed("2024-09-01T00:00:00Z"), 20);
}

TEST(Pacing, MoneyIsRoundedOnceHalfToEven) {
  EXPECT_EQ(detail::round_half_even(10001 * 10, 20), 5000);  // 5000.5
  EXPECT_EQ(detail::round_half_even(10003 * 10, 20), 5002);  // 5001.5
  EXPECT_EQ(detail::round_half_even(-25, 10), -2);
  EXPECT_EQ(detail::round_half_even(-35, 10), -4);
  EXPECT_EQ(detail::round_half_even(7, 3), 2);
  const Figure f = detail::figure(detail::Int128(9223372036854775807LL) * 20, 20);
  EXPECT_EQ(f.units, 9223372036854775807LL);  // no int64 overflow on the way
}

}  // namespace
}  // namespace dealflow::planning

namespace dealflow::planning {
namespace {

TEST(Attainment, RussianTeamKeysAndNames) {
  auto json = parse_json(R"({"name": "Отдел", "attributes": [],
    "managers": [{"id": "Иванова Анна", "name": "Иванова Анна"}, {"id": "петров", "name": "Петров Пётр"}],
    "teams": [{"id": "Москва-Восток", "name": "Москва, восток", "members": ["Иванова Анна", "петров"]}]})",
                         "team.json");
  auto team = routing::parse_team(JsonReader(*json, "team.json"));
  ASSERT_TRUE(team.ok()) << team.status().to_string();
  const analytics::EventLog log = plan_testing::june_log();
  const Plan plan = plan_or_throw(R"({"currency": "RUB", "targets": [
    {"period": "2024-06", "scope": "team", "scope_value": "Москва-Восток", "metric": "won_amount", "target": "500000"},
    {"period": "2024-06", "scope": "manager", "scope_value": "петров", "metric": "won_amount", "target": "300000"},
    {"period": "2024-06", "scope": "manager", "scope_value": "Иванова Анна", "metric": "won_amount", "target": "300000"}]})");
  PlanContext context;
  context.log = &log;
  context.team = &*team;
  ASSERT_TRUE(check_plan(plan, context).ok());
  AttainmentQuery q;
  q.as_of = at("2024-06-15T10:00:00Z");
  q.team = &*team;
  auto r = compute_attainment(plan, log, {&plan_testing::sales_pipeline()}, q);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->rows[0].scope_value, "Москва-Восток");
  EXPECT_EQ(r->rows[0].fact, 35000000);
  EXPECT_EQ(r->rows[1].scope_value, "Иванова Анна");  // byte order: И before п
  EXPECT_EQ(r->rows[1].fact, 20000000);
  EXPECT_EQ(r->rows[2].fact, 15000000);
  ASSERT_EQ(r->rollup.size(), 1u);
  EXPECT_EQ(r->rollup[0].difference, 10000000);  // 300 000 + 300 000 - 500 000
  EXPECT_EQ(r->rollup[0].status(), "over");
}

}  // namespace
}  // namespace dealflow::planning
