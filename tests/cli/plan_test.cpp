// `dealflow plan`: exact figures on a hand-made June log, the three formats on the
// bundled sample and its plan, the roll-up check, versions, and exit codes with
// located errors for bad plan files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_runner.h"

namespace {

using dealflow::testing::run_cli;
using dealflow::testing::write_temp;
using nlohmann::json;

const std::string kPlanSample =
    " --pipeline data/pipelines/bitrix24_default.json --deals data/sample/deals.csv"
    " --history data/sample/history.csv --field-changes data/sample/field_changes.csv";
const std::string kSamplePlan = " --plan data/plans/sample-2024.json --team data/plans/sample-team.json";

// A June 2024 log (the figures of docs/planning.md's worked example).
struct June {
  std::string args;
  June() {
    const std::string pipeline =
        write_temp("plan_pipeline.json", R"({"id": "sales", "name": "Продажи", "stages": [
      {"id": "NEW", "name": "Новая", "kind": "open", "probability": 0.2},
      {"id": "OFFER", "name": "Предложение", "kind": "open", "probability": 0.6},
      {"id": "WON", "name": "Успех", "kind": "won"},
      {"id": "LOST", "name": "Провал", "kind": "lost"}]})");
    const std::string deals =
        write_temp("plan_deals.csv",
                   "id,created_at,amount,currency,manager,close_date,probability\n"
                   "d1,2024-05-20T09:00:00Z,200000.00,RUB,Иванова Анна,,\n"
                   "d2,2024-06-03T09:00:00Z,150000.00,RUB,Петров Пётр,,\n"
                   "d4,2024-05-10T09:00:00Z,300000.00,RUB,Иванова Анна,2024-06-25,\n"
                   "d5,2024-06-05T09:00:00Z,100000.00,RUB,Петров Пётр,2024-06-28,35.55\n");
    const std::string history = write_temp("plan_history.csv",
                                           "deal_id,at,stage\n"
                                           "d1,2024-05-20T09:00:00Z,NEW\n"
                                           "d1,2024-06-05T12:00:00Z,WON\n"
                                           "d2,2024-06-03T09:00:00Z,NEW\n"
                                           "d2,2024-06-10T12:00:00Z,WON\n"
                                           "d4,2024-05-10T09:00:00Z,NEW\n"
                                           "d4,2024-05-20T09:00:00Z,OFFER\n"
                                           "d5,2024-06-05T09:00:00Z,NEW\n");
    const std::string calendar = write_temp("plan_calendar.json", R"({"name": "Июнь", "utc_offset": "+00:00",
      "weekdays": ["mon", "tue", "wed", "thu", "fri"], "hours": [["09:00", "18:00"]],
      "holidays": ["2024-06-12"], "working_days": ["2024-06-08"]})");
    args =
        " --pipeline " + pipeline + " --deals " + deals + " --history " + history + " --calendar " + calendar;
  }
};

std::string plan_file(const std::string& name, const std::string& targets) {
  return write_temp(name, R"({"name": "Июнь", "currency": "RUB", "targets": [)" + targets + "]}");
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(CliPlan, HandComputedJune) {
  June june;
  const std::string plan = plan_file("plan_june.json", R"(
    {"period": "2024-06", "scope": "company", "metric": "won_amount", "target": "1000000.00"},
    {"period": "2024-06", "scope": "manager", "scope_value": "Иванова Анна", "metric": "won_amount", "target": "600000.00"},
    {"period": "2024-06", "scope": "manager", "scope_value": "Петров Пётр", "metric": "won_amount", "target": "300000.00"})");
  auto r = run_cli("plan --plan " + plan + june.args + " --as-of 2024-06-15T10:00:00Z --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = lines(r.out);
  ASSERT_EQ(rows.size(), 4u) << r.out;
  EXPECT_EQ(rows[0].rfind("as_of,utc_offset,calendar,period,period_first,period_last,working_days,", 0), 0u);
  // company: fact 350 000; 20 working days (12 June off, Saturday 8 June on), 10 elapsed;
  // expected 500 000, projection 700 000, required 65 000 a day; pipeline 400 000, weighted
  // 300 000 x 0.6 + 100 000 x 0.3555 = 215 550.
  EXPECT_EQ(
      rows[1],
      "2024-06-15T10:00:00Z,Z,Июнь,2024-06,2024-06-01,2024-06-30,20,10,10,company,,won_amount,RUB,1,1,"
      "true,,1000000.00,350000.00,2,0,0.350000,500000.00,700000.00,65000.00,2,400000.00,215550.00,0.615385,"
      "0.331615,false");
  EXPECT_NE(rows[2].find(",manager,Иванова Анна,won_amount,RUB,1,1,true,,600000.00,200000.00,1,0,0.333333,"
                         "300000.00,400000.00,40000.00,1,300000.00,180000.00,0.750000,0.450000,false"),
            std::string::npos)
      << rows[2];
  EXPECT_NE(rows[3].find(",manager,Петров Пётр,won_amount,RUB,1,1,true,,300000.00,150000.00,1,0,0.500000,"
                         "150000.00,300000.00,15000.00,1,100000.00,35550.00,0.666667,0.237000,false"),
            std::string::npos)
      << rows[3];
  // The roll-up: 600 000 + 300 000 is 100 000 under the company's 1 000 000.
  auto check =
      run_cli("plan --plan " + plan + june.args + " --as-of 2024-06-15T10:00:00Z --check --format csv");
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find(
                ",scope,2024-06,company,,won_amount,RUB,managers,2,1000000.00,900000.00,-100000.00,under"),
            std::string::npos)
      << check.out;
  // The table prints the calendar and the day counts.
  auto table = run_cli("plan --plan " + plan + june.args + " --as-of 2024-06-15T10:00:00Z");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find(
                "definition: days 2024-06 (2024-06-01 .. 2024-06-30): 20 working, 10 elapsed, 10 remaining"),
            std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("definition: pacing on calendar Июнь"), std::string::npos);
}

TEST(CliPlan, SampleTableCsvAndJson) {
  auto table = run_cli("plan" + kPlanSample + kSamplePlan +
                       " --calendar data/calendars/ru-2024.json --as-of 2024-08-20");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("2024-Q3  team smb-outbound"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find(
                "definition: days 2024-Q3 (2024-07-01 .. 2024-09-30): 66 working, 36 elapsed, 30 remaining"),
            std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("roll-up check"), std::string::npos);

  auto csv = run_cli("plan" + kPlanSample + kSamplePlan + " --as-of 2024-08-20 --format csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const auto rows = lines(csv.out);
  ASSERT_GT(rows.size(), 10u);
  const auto commas = std::count(rows[0].begin(), rows[0].end(), ',');
  for (const auto& row : rows) EXPECT_EQ(std::count(row.begin(), row.end(), ','), commas) << row;
  EXPECT_EQ(csv.out.find("definition"), std::string::npos);  // data only

  auto j = run_cli("plan" + kPlanSample + kSamplePlan + " --as-of 2024-08-20 --format json --by manager");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const json doc = json::parse(j.out);
  EXPECT_EQ(doc["definition"]["calendar"], "Mon–Fri");
  EXPECT_EQ(doc["definition"]["utc_offset"], "+03:00");
  ASSERT_EQ(doc["rows"].size(), 12u);  // the twelve managers' 2024-Q3 targets
  for (const auto& row : doc["rows"]) {
    EXPECT_EQ(row["scope"], "manager");
    EXPECT_EQ(row["currency"], "RUB");
  }
  // Same input, same bytes.
  EXPECT_EQ(
      run_cli("plan" + kPlanSample + kSamplePlan + " --as-of 2024-08-20 --format json --by manager").out,
      j.out);
}

TEST(CliPlan, VersionsAll) {
  auto r = run_cli("plan" + kPlanSample + kSamplePlan +
                   " --as-of 2024-08-20 --by manager --versions all --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int popov = 0;
  for (const auto& row : lines(r.out))
    if (row.find("Попов Алексей") != std::string::npos) {
      ++popov;
      EXPECT_NE(row.find(popov == 1 ? ",1,2,false,," : ",2,2,true,2024-08-14T21:00:00Z,"), std::string::npos)
          << row;
    }
  EXPECT_EQ(popov, 2);
}

TEST(CliPlan, CheckOnly) {
  auto r = run_cli("plan" + kPlanSample + kSamplePlan + " --as-of 2024-08-20 --check");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("attainment"), std::string::npos);
  EXPECT_NE(r.out.find("team smb-outbound  won_amount  managers"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("+1 000 000.00  over"), std::string::npos) << r.out;
}

struct ErrorCase {
  std::string targets;
  std::string extra;
  std::string message;
};

TEST(CliPlan, DataErrorsExitOneWithTheirLocation) {
  const ErrorCase cases[] = {
      {R"({"period": "2024-Q3", "scope": "manager", "scope_value": "Сидоров Сидор", "metric": "won_count", "target": 1})",
       "", "at /targets/0: unknown manager 'Сидоров Сидор'"},
      {R"({"period": "2024-Q3", "scope": "team", "scope_value": "smb", "metric": "won_count", "target": 1})",
       " --team data/plans/sample-team.json", "at /targets/0: unknown team 'smb'"},
      {R"({"period": "2024-Q3", "scope": "team", "scope_value": "smb", "metric": "won_count", "target": 1})",
       "", "needs a team file (--team)"},
      {R"({"period": "2024-Q3", "scope": "company", "metric": "won_amount", "target": "1", "currency": "USD"})",
       "", "target currency USD the data does not have"},
      {R"({"period": "2024-01-01..2024-01-07", "scope": "company", "metric": "won_count", "target": 1})",
       " --calendar data/calendars/ru-2024.json", "has no working days on calendar"},
      {R"({"period": "2024-Q3", "scope": "company", "metric": "won_count", "target": -1})", "",
       "at /targets/0/target: '-1': expected a target >= 0"},
      {R"({"period": "2024-Q3", "scope": "company", "metric": "won_count", "target": 1},
          {"period": "2024-Q3", "scope": "company", "metric": "won_count", "target": 2})",
       "", "at /targets/1: overlapping versions"},
      {R"({"period": "2024-Q3", "scope": "company", "metric": "won_count", "target": 1, "target": 2})", "",
       "at /targets/0/target: duplicate key 'target'"},
  };
  int n = 0;
  for (const auto& c : cases) {
    const std::string plan = plan_file("plan_error_" + std::to_string(n++) + ".json", c.targets);
    auto r = run_cli("plan --plan " + plan + kPlanSample + c.extra);
    EXPECT_EQ(r.exit_code, 1) << c.targets << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("error: " + plan + ": ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
}

TEST(CliPlan, TargetsCsvErrorsNameFileLineAndColumn) {
  const std::string csv = write_temp("plan_targets_bad.csv",
                                     "period,scope,scope_value,metric,target\n"
                                     "2024-Q3,manager,Иванова Анна,won_amount,1000\n"
                                     "2024-Q3,manager,Иванова Анна,won_amount,12.345\n");
  const std::string name = csv.substr(csv.rfind('/') + 1);
  const std::string plan =
      write_temp("plan_with_csv.json", R"({"currency": "RUB", "targets_csv": ")" + name + "\"}");
  auto r = run_cli("plan --plan " + plan + kPlanSample);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(name + ":3:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'12.345': expected an amount in RUB"), std::string::npos) << r.err;
}

TEST(CliPlan, FxConversion) {
  const std::string rates = write_temp("plan_rates.csv", "date,from,to,rate\n2024-01-01,USD,RUB,90\n");
  // Every amount converted into RUB: the figures are the same (the sample is in RUB), the definition says so.
  auto rub = run_cli("plan" + kPlanSample + kSamplePlan + " --as-of 2024-08-20 --by company --fx " + rates +
                     " --report-currency RUB");
  ASSERT_EQ(rub.exit_code, 0) << rub.err;
  EXPECT_NE(rub.out.find("definition: money: amounts converted to RUB"), std::string::npos) << rub.out;
  auto plain = run_cli("plan" + kPlanSample + kSamplePlan + " --as-of 2024-08-20 --by company --format csv");
  auto converted =
      run_cli("plan" + kPlanSample + kSamplePlan + " --as-of 2024-08-20 --by company --format csv --fx " +
              rates + " --report-currency RUB");
  EXPECT_EQ(plain.out, converted.out);
  // Converting into USD makes the RUB targets a currency mismatch.
  auto usd = run_cli("plan" + kPlanSample + kSamplePlan + " --as-of 2024-08-20 --fx " + rates +
                     " --report-currency USD");
  EXPECT_EQ(usd.exit_code, 1);
  EXPECT_NE(usd.err.find("target currency RUB but amounts are converted into USD"), std::string::npos)
      << usd.err;
}

TEST(CliPlan, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli("plan" + kPlanSample).exit_code, 2);  // no --plan
  auto period = run_cli("plan" + kPlanSample + kSamplePlan + " --period 2025-Q1");
  EXPECT_EQ(period.exit_code, 2);
  EXPECT_NE(period.err.find("--period '2025-Q1': the plan has no targets for it"), std::string::npos)
      << period.err;
  auto by = run_cli("plan" + kPlanSample + kSamplePlan + " --by division");
  EXPECT_EQ(by.exit_code, 2);
  EXPECT_NE(by.err.find("--by 'division': expected company, team"), std::string::npos);
  EXPECT_EQ(run_cli("plan" + kPlanSample + kSamplePlan + " --versions some").exit_code, 2);
  EXPECT_EQ(run_cli("plan" + kPlanSample + kSamplePlan + " --format xml").exit_code, 2);
  // `reverse` hands over to the reverse funnel (its own usage errors), never a file or a period.
  auto reverse = run_cli("plan reverse --target '1000 RUB'");
  EXPECT_EQ(reverse.exit_code, 2);
  EXPECT_NE(reverse.err.find("missing required option --period"), std::string::npos) << reverse.err;
}

TEST(CliPlan, PeriodOption) {
  auto r = run_cli("plan" + kPlanSample + kSamplePlan +
                   " --period 2024-Q1 --period 2024-03 --by company --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = lines(r.out);
  ASSERT_EQ(rows.size(), 5u) << r.out;  // Q1: amount, won_count, created_count; March: amount
  for (std::size_t i = 1; i < rows.size(); ++i)
    EXPECT_NE(rows[i].find(i < 4 ? ",2024-Q1," : ",2024-03,"), std::string::npos);
}

}  // namespace
