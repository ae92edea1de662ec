// check_plan: the plan against the data, the team file and the calendar; every documented error.
#include "dealflow/routing/routing_json.h"
#include "planning/plan_fixture.h"

namespace dealflow::planning {
namespace {

using plan_testing::plan_or_throw;

routing::TeamModel check_team_model() {
  static const char* kTeam = R"({"name": "Отдел", "attributes": [],
    "managers": [{"id": "m-ivanova", "name": "Иванова Анна"}, {"id": "m-petrov", "name": "Петров Пётр"},
                 {"id": "m-new", "name": "Новенький Иван"}],
    "teams": [{"id": "sales", "name": "Продажи"},
              {"id": "smb", "name": "SMB", "parent": "sales", "members": ["m-ivanova", "m-petrov"]}]})";
  auto json = parse_json(kTeam, "team.json");
  auto team = routing::parse_team(JsonReader(*json, "team.json"));
  if (!team) throw std::runtime_error(team.status().to_string());
  return std::move(*team);
}

std::string plan_with(const std::string& row) {
  return R"({"currency": "RUB", "targets": [{"period": "2024-06", "scope": "company", "metric": "won_count", "target": 1}, )" +
         row + "]}";
}

struct CheckFixture {
  analytics::EventLog log = plan_testing::june_log();
  routing::TeamModel team = check_team_model();
  BusinessCalendar calendar = plan_testing::june_calendar();
  PlanContext context() {
    PlanContext c;
    c.log = &log;
    c.team = &team;
    c.calendar = &calendar;
    c.pipelines = {"sales"};
    return c;
  }
};

TEST(PlanCheck, AValidPlanPasses) {
  CheckFixture f;
  const Plan plan = plan_or_throw(plan_with(
      R"({"period": "2024-06", "scope": "manager", "scope_value": "Иванова Анна", "metric": "won_amount", "target": "1"},
         {"period": "2024-06", "scope": "manager", "scope_value": "m-new", "metric": "won_count", "target": 1},
         {"period": "2024-06", "scope": "manager", "scope_value": "Новенький Иван", "metric": "created_count", "target": 1},
         {"period": "2024-06", "scope": "team", "scope_value": "smb", "metric": "won_amount", "target": "1", "currency": "USD"},
         {"period": "2024-06", "scope": "pipeline", "scope_value": "sales", "metric": "won_count", "target": 1},
         {"period": "2024-06", "scope": "region", "scope_value": "Москва", "metric": "won_count", "target": 1})"));
  const Status st = check_plan(plan, f.context());
  EXPECT_TRUE(st.ok()) << st.to_string();
}

struct CheckCase {
  const char* row;
  ErrorCode code;
  const char* message;
};

TEST(PlanCheck, EveryErrorIsLocatedAtItsTargetRow) {
  CheckFixture f;
  const CheckCase cases[] = {
      {R"({"period": "2024-06", "scope": "manager", "scope_value": "Сидоров", "metric": "won_count", "target": 1})",
       ErrorCode::not_found,
       "unknown manager 'Сидоров': expected a manager of the data or a key or name of the team file"},
      {R"({"period": "2024-06", "scope": "team", "scope_value": "enterprise", "metric": "won_count", "target": 1})",
       ErrorCode::not_found, "unknown team 'enterprise': expected a team key of the team file (sales, smb)"},
      {R"({"period": "2024-06", "scope": "pipeline", "scope_value": "service", "metric": "won_count", "target": 1})",
       ErrorCode::not_found, "unknown pipeline 'service': expected a loaded pipeline (sales)"},
      {R"({"period": "2024-06", "scope": "region", "scope_value": "Казань", "metric": "won_count", "target": 1})",
       ErrorCode::not_found, "unknown region 'Казань': expected a value the data has (Москва)"},
      {R"({"period": "2024-06", "scope": "company", "metric": "won_amount", "target": "1", "currency": "EUR"})",
       ErrorCode::currency_mismatch,
       "target currency EUR the data does not have (its amounts are in RUB, USD): expected a target in one "
       "of them, "
       "or --fx RATES.csv --report-currency EUR"},
      {R"({"period": "2024-06-01..2024-06-02", "scope": "company", "metric": "won_count", "target": 1})",
       ErrorCode::validation_failed,
       "period 2024-06-01..2024-06-02 (2024-06-01 .. 2024-06-02) has no working days on calendar 'Россия "
       "июнь 2024'"},
  };
  for (const auto& c : cases) {
    const Plan plan = plan_or_throw(plan_with(c.row));
    const Status st = check_plan(plan, f.context());
    ASSERT_FALSE(st.ok()) << c.row;
    EXPECT_EQ(st.code(), c.code) << st.to_string();
    EXPECT_EQ(st.location().json_path, "/targets/1") << st.to_string();
    EXPECT_NE(st.message().find(c.message), std::string::npos) << st.to_string();
  }
}

TEST(PlanCheck, TeamTargetsNeedATeamFile) {
  CheckFixture f;
  PlanContext c = f.context();
  c.team = nullptr;
  const Plan plan = plan_or_throw(plan_with(
      R"({"period": "2024-06", "scope": "team", "scope_value": "smb", "metric": "won_count", "target": 1})"));
  const Status st = check_plan(plan, c);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("needs a team file (--team)"), std::string::npos) << st.message();
  // Without the team file a manager is checked against the log alone.
  const Plan by_key = plan_or_throw(plan_with(
      R"({"period": "2024-06", "scope": "manager", "scope_value": "m-new", "metric": "won_count", "target": 1})"));
  EXPECT_EQ(check_plan(by_key, c).code(), ErrorCode::not_found);
}

TEST(PlanCheck, TargetsMustBeInTheReportCurrencyWhenConverting) {
  CheckFixture f;
  PlanContext c = f.context();
  c.report_currency = Currency::of("USD");
  const Plan rub = plan_or_throw(
      plan_with(R"({"period": "2024-06", "scope": "company", "metric": "won_amount", "target": "1"})"));
  const Status st = check_plan(rub, c);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), ErrorCode::currency_mismatch);
  EXPECT_NE(st.message().find("target currency RUB but amounts are converted into USD"), std::string::npos)
      << st.message();
  // A currency the data lacks is fine when everything is converted into it.
  c.report_currency = Currency::of("EUR");
  const Plan eur = plan_or_throw(plan_with(
      R"({"period": "2024-06", "scope": "company", "metric": "won_amount", "target": "1", "currency": "EUR"})"));
  EXPECT_TRUE(check_plan(eur, c).ok());
}

}  // namespace
}  // namespace dealflow::planning
