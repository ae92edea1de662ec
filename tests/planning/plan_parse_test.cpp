// The plan file: parsing, versions, the targets CSV, and every error the file alone decides.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "planning/plan_fixture.h"

namespace dealflow::planning {
namespace {

using plan_testing::at;
using plan_testing::plan_from_text;
using plan_testing::plan_or_throw;

std::string one_target(const std::string& row, const std::string& head = R"("currency": "RUB")") {
  return "{" + head + R"(, "targets": [)" + row + "]}";
}

// The error of a plan with one target row; its message and JSON path.
Status row_error(const std::string& row, const std::string& head = R"("currency": "RUB")") {
  auto p = plan_from_text(one_target(row, head));
  EXPECT_FALSE(p.ok()) << row;
  return p.ok() ? Status() : p.status();
}

TEST(PlanParse, TargetsVersionsAndPeriods) {
  const Plan plan =
      plan_or_throw(R"({"name": "План 2024", "utc_offset": "+03:00", "currency": "RUB", "targets": [
    {"period": "2024-Q2", "scope": "manager", "scope_value": "Иванова Анна", "metric": "won_amount",
     "target": "700 000,50", "effective_from": "2024-05-15"},
    {"period": "2024-Q2", "scope": "manager", "scope_value": "Иванова Анна", "metric": "won_amount", "target": 600000},
    {"period": "2024-04", "scope": "company", "metric": "won_count", "target": 12},
    {"period": "2024", "scope": "company", "metric": "created_count", "target": "400"},
    {"period": "2024-Q2", "scope": "company", "metric": "won_amount", "target": "1000.00", "currency": "USD"}]})");
  EXPECT_EQ(plan.name, "План 2024");
  EXPECT_EQ(plan.utc_offset_minutes, 180);
  // Periods by first day, the longer first.
  ASSERT_EQ(plan.periods.size(), 3u);
  EXPECT_EQ(plan.periods[0].label, "2024");
  EXPECT_EQ(plan.periods[1].label, "2024-Q2");
  EXPECT_EQ(plan.periods[2].label, "2024-04");
  ASSERT_EQ(plan.targets.size(), 4u);
  const Target* ivanova = plan.find(1, PlanScope::manager, "Иванова Анна", PlanMetric::won_amount);
  ASSERT_NE(ivanova, nullptr);
  EXPECT_EQ(ivanova->currency, Currency::of("RUB"));
  ASSERT_EQ(ivanova->versions.size(), 2u);
  EXPECT_TRUE(ivanova->versions[0].from_start);
  EXPECT_EQ(ivanova->versions[0].value, 60000000);  // a JSON integer is major units
  EXPECT_EQ(ivanova->versions[1].value, 70000050);
  // effective_from is local midnight at the plan's offset.
  EXPECT_EQ(ivanova->versions[1].effective_from, at("2024-05-14T21:00:00Z"));
  EXPECT_EQ(ivanova->in_force(at("2024-05-14T20:59:59Z")), &ivanova->versions[0]);
  EXPECT_EQ(ivanova->in_force(at("2024-05-14T21:00:00Z")), &ivanova->versions[1]);
  const Target* usd = plan.find(1, PlanScope::company, "", PlanMetric::won_amount);
  ASSERT_NE(usd, nullptr);
  EXPECT_EQ(usd->currency, Currency::of("USD"));
  EXPECT_EQ(usd->versions[0].value, 100000);
  EXPECT_EQ(plan.find(0, PlanScope::company, "", PlanMetric::created_count)->versions[0].value, 400);
  EXPECT_EQ(plan.find(2, PlanScope::company, "", PlanMetric::won_count)->versions[0].value, 12);
  EXPECT_EQ(plan.periods_containing(plan_testing::day("2024-04-30")), (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(plan.periods_containing(plan_testing::day("2024-05-01")), (std::vector<std::uint32_t>{0, 1}));
}

TEST(PlanParse, VersionNotYetInForce) {
  const Plan plan = plan_or_throw(one_target(
      R"({"period": "2024-06", "scope": "company", "metric": "won_amount", "target": "1", "effective_from": "2024-06-10"})"));
  EXPECT_EQ(plan.targets[0].in_force(at("2024-06-09T23:59:59Z")), nullptr);
  EXPECT_NE(plan.targets[0].in_force(at("2024-06-10T00:00:00Z")), nullptr);
}

TEST(PlanParse, FiscalYearStart) {
  const Plan plan = plan_or_throw(R"({"fiscal_year_start": 4, "targets": [
    {"period": "FY2024-Q1", "scope": "company", "metric": "won_count", "target": 1}]})");
  EXPECT_EQ(plan.periods[0].first, plan_testing::day("2024-04-01"));
  EXPECT_EQ(plan.periods[0].end, plan_testing::day("2024-07-01"));
}

TEST(PlanParse, TargetsCsvBesideThePlan) {
  const std::string dir = std::string(DEALFLOW_TEST_TMP) + "/plan_csv_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/targets.csv")
      << "period,scope,scope_value,metric,target,currency,effective_from\n"
         "2024-Q3,manager,Козлов Андрей,won_amount,1500000.00,RUB,\n"
         "2024-Q3,manager,Козлов Андрей,won_amount,1800000.00,RUB,2024-08-15\n"
         "2024-Q3,team,smb,won_count,30,,\n";
  auto plan = plan_from_text(R"({"targets_csv": "targets.csv", "targets": [
    {"period": "2024-Q3", "scope": "company", "metric": "won_count", "target": 100}]})",
                             dir);
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  ASSERT_EQ(plan->targets.size(), 3u);
  const Target* kozlov = plan->find(0, PlanScope::manager, "Козлов Андрей", PlanMetric::won_amount);
  ASSERT_NE(kozlov, nullptr);
  ASSERT_EQ(kozlov->versions.size(), 2u);
  EXPECT_EQ(kozlov->versions[1].value, 180000000);
  EXPECT_EQ(kozlov->versions[1].where.line, 3);
  EXPECT_NE(kozlov->versions[1].where.file.find("targets.csv"), std::string::npos);
  EXPECT_EQ(plan->find(0, PlanScope::team, "smb", PlanMetric::won_count)->versions[0].value, 30);
  std::filesystem::remove_all(dir);
}

TEST(PlanParse, CsvErrorsAreLocatedAtTheField) {
  Plan plan;
  plan.currency = Currency::of("RUB");
  auto csv = CsvReader::from_text(
      "period,scope,metric,target\n2024-Q1,company,won_count,5\n2024-Q5,company,won_count,5\n", "t.csv");
  const Status st = read_targets_csv(csv, plan);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.location().file, "t.csv");
  EXPECT_EQ(st.location().line, 3);
  EXPECT_EQ(st.location().column, 1);
  EXPECT_NE(st.message().find("2024-Q5"), std::string::npos) << st.message();

  Plan p2;
  auto neg = CsvReader::from_text("period,scope,metric,target\n2024-Q1,company,won_count,-5\n", "t.csv");
  const Status st2 = read_targets_csv(neg, p2);
  EXPECT_EQ(st2.location().line, 2);
  EXPECT_EQ(st2.location().column, 27);
  EXPECT_NE(st2.message().find("expected a target >= 0"), std::string::npos) << st2.message();

  Plan p3;
  auto unknown = CsvReader::from_text("period,scope,metric,target,owner\n", "t.csv");
  const Status st3 = read_targets_csv(unknown, p3);
  EXPECT_NE(st3.message().find("unknown column 'owner'"), std::string::npos) << st3.message();

  Plan p4;
  auto missing = CsvReader::from_text("period,scope,target\n", "t.csv");
  const Status st4 = read_targets_csv(missing, p4);
  EXPECT_NE(st4.message().find("metric"), std::string::npos) << st4.message();
}

TEST(PlanParse, MissingTargetsCsvIsAnIoError) {
  auto p = plan_from_text(R"({"targets_csv": "no-such-file.csv"})", "/nonexistent-dir");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), ErrorCode::io_error);
  EXPECT_NE(p.status().to_string().find("targets_csv"), std::string::npos) << p.status().to_string();
}

struct RowCase {
  const char* row;
  const char* json_path;
  const char* message;
};

TEST(PlanParse, EveryRowErrorNamesThePathTheValueAndWhatWasExpected) {
  const RowCase cases[] = {
      {R"({"period": "2024-Q5", "scope": "company", "metric": "won_count", "target": 1})",
       "/targets/0/period", "2024-Q5"},
      {R"({"period": "2024-Q1", "scope": "division", "metric": "won_count", "target": 1})",
       "/targets/0/scope", "'division': expected company, team, manager"},
      {R"({"period": "2024-Q1", "scope": "company", "metric": "revenue", "target": 1})", "/targets/0/metric",
       "'revenue': expected won_amount, won_count or created_count"},
      {R"({"period": "2024-Q1", "scope": "company", "metric": "won_count", "target": -3})",
       "/targets/0/target", "'-3': expected a target >= 0"},
      {R"({"period": "2024-Q1", "scope": "company", "metric": "won_amount", "target": "-100.00"})",
       "/targets/0/target", "'-100.00': expected a target >= 0"},
      {R"({"period": "2024-Q1", "scope": "company", "metric": "won_amount", "target": "100.001"})",
       "/targets/0/target", "'100.001': expected an amount in RUB"},
      {R"({"period": "2024-Q1", "scope": "company", "metric": "won_amount", "target": "много"})",
       "/targets/0/target", "'много': expected an amount in RUB"},
      {R"({"period": "2024-Q1", "scope": "company", "metric": "won_count", "target": "2.5"})",
       "/targets/0/target", "'2.5': expected a whole number"},
      {R"({"period": "2024-Q1", "scope": "company", "metric": "won_count", "target": true})",
       "/targets/0/target", "boolean: expected a string"},
      {R"({"period": "2024-Q1", "scope": "company", "metric": "won_count", "target": 18446744073709551615})",
       "/targets/0/target", "18446744073709551615: expected a target that fits int64"},
      {R"({"period": "2024-Q1", "scope": "company", "metric": "won_amount", "target": 1500000.5})",
       "/targets/0/target", "number: expected a string (\"1500000.00\") or a whole number"},
      {R"({"period": "2024-Q1", "scope": "company", "metric": "won_amount", "target": 92233720368547759})",
       "/targets/0/target", "expected an amount that fits int64 minor units"},
      {R"({"period": "2024-Q1", "scope": "company", "metric": "won_count", "target": 1, "currency": "RUB"})",
       "/targets/0/currency", "is a count and has no currency"},
      {R"({"period": "2024-Q1", "scope": "company", "metric": "won_amount", "target": "1", "currency": "RUBL"})",
       "/targets/0/currency", "'RUBL': expected a 3-letter ISO 4217 code"},
      {R"({"period": "2024-Q1", "scope": "company", "scope_value": "x", "metric": "won_count", "target": 1})",
       "/targets/0/scope_value", "a company target has no scope_value"},
      {R"({"period": "2024-Q1", "scope": "manager", "metric": "won_count", "target": 1})",
       "/targets/0/scope_value", "expected the manager this target is for"},
      {R"({"period": "2024-Q1", "scope": "company", "metric": "won_count", "target": 1, "effective_from": "15.02.2024"})",
       "/targets/0/effective_from", "'15.02.2024': expected a date (2024-02-15)"},
      {R"({"period": "2024-Q1", "scope": "company", "metric": "won_count", "target": 1, "owner": "x"})",
       "/targets/0", "owner"},
      {R"({"period": "2024-Q1", "scope": "company", "metric": "won_count"})", "/targets/0",
       "missing \"target\""},
  };
  for (const auto& c : cases) {
    const Status st = row_error(c.row);
    EXPECT_EQ(st.location().json_path.rfind(c.json_path, 0), 0u) << c.row << " -> " << st.to_string();
    EXPECT_EQ(st.location().file, "plan.json");
    EXPECT_NE(st.message().find(c.message), std::string::npos) << c.row << " -> " << st.to_string();
  }
}

TEST(PlanParse, WonAmountNeedsACurrency) {
  const Status st =
      row_error(R"({"period": "2024-Q1", "scope": "company", "metric": "won_amount", "target": "1"})",
                R"("name": "no currency")");
  EXPECT_EQ(st.location().json_path, "/targets/0/currency");
  EXPECT_NE(st.message().find("needs a currency"), std::string::npos) << st.message();
}

TEST(PlanParse, OverlappingVersions) {
  auto p = plan_from_text(R"({"currency": "RUB", "targets": [
    {"period": "2024-Q1", "scope": "manager", "scope_value": "Иванова Анна", "metric": "won_amount", "target": "1", "effective_from": "2024-02-15"},
    {"period": "2024-Q1", "scope": "manager", "scope_value": "Иванова Анна", "metric": "won_amount", "target": "2", "effective_from": "2024-02-15T00:00:00Z"}]})");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), ErrorCode::duplicate);
  EXPECT_EQ(p.status().location().json_path, "/targets/1");
  EXPECT_NE(p.status().message().find(
                "overlapping versions of the target manager 'Иванова Анна' won_amount in 2024-Q1"),
            std::string::npos)
      << p.status().message();
  EXPECT_NE(p.status().message().find("/targets/0"), std::string::npos) << p.status().message();
  // Two rows without effective_from are both in force from the start.
  auto q = plan_from_text(R"({"targets": [
    {"period": "2024-Q1", "scope": "company", "metric": "won_count", "target": 1},
    {"period": "2024-Q1", "scope": "company", "metric": "won_count", "target": 2}]})");
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("from the start"), std::string::npos) << q.status().message();
}

TEST(PlanParse, OneCurrencyPerTarget) {
  auto p = plan_from_text(R"({"targets": [
    {"period": "2024-Q1", "scope": "company", "metric": "won_amount", "target": "1", "currency": "RUB"},
    {"period": "2024-Q1", "scope": "company", "metric": "won_amount", "target": "2", "currency": "USD", "effective_from": "2024-02-01"}]})");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), ErrorCode::duplicate);
  EXPECT_NE(p.status().message().find("expected one currency per target"), std::string::npos)
      << p.status().message();
}

TEST(PlanParse, DuplicatePeriodUnderTwoNames) {
  auto p = plan_from_text(R"({"targets": [
    {"period": "2024-Q1", "scope": "company", "metric": "won_count", "target": 1},
    {"period": "2024-01-01..2024-03-31", "scope": "company", "metric": "created_count", "target": 2}]})");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().location().json_path, "/targets/1/period");
  EXPECT_NE(p.status().message().find(
                "duplicate period: '2024-01-01..2024-03-31' covers the same dates as '2024-Q1'"),
            std::string::npos)
      << p.status().message();
}

TEST(PlanParse, DuplicateJsonKeys) {
  auto p = plan_from_text(R"({"currency": "RUB", "targets": [
    {"period": "2024-Q1", "scope": "company", "metric": "won_count", "target": 1},
    {"period": "2024-Q1", "scope": "manager", "scope_value": "a", "metric": "won_count", "target": 1, "target": 2}]})");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), ErrorCode::duplicate);
  EXPECT_EQ(p.status().location().json_path, "/targets/1/target");
  EXPECT_NE(p.status().message().find("duplicate key 'target': expected each key once per object"),
            std::string::npos)
      << p.status().message();
  auto top = plan_from_text(R"({"currency": "RUB", "currency": "USD", "targets": []})");
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.status().location().json_path, "/currency");
  // The same key in two objects is fine; a syntax error keeps its line and column.
  auto syntax = plan_from_text("{\"targets\": [\n  {\"period\": }]}");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().location().line, 2);
}

TEST(PlanParse, DocumentErrors) {
  auto fiscal = plan_from_text(R"({"fiscal_year_start": 13, "targets": []})");
  ASSERT_FALSE(fiscal.ok());
  EXPECT_EQ(fiscal.status().location().json_path, "/fiscal_year_start");
  auto offset = plan_from_text(R"({"utc_offset": "Москва", "targets": []})");
  ASSERT_FALSE(offset.ok());
  EXPECT_NE(offset.status().message().find("'Москва': expected an offset"), std::string::npos);
  auto empty = plan_from_text(R"({"targets": []})");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("no targets"), std::string::npos);
  auto unknown = plan_from_text(R"({"targetz": []})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("targetz"), std::string::npos);
  auto bad_currency = plan_from_text(R"({"currency": "рубль", "targets": []})");
  ASSERT_FALSE(bad_currency.ok());
  EXPECT_EQ(bad_currency.status().location().json_path, "/currency");
}

TEST(PlanParse, TheBundledSamplePlanLoads) {
  auto plan = load_plan_file(std::string(DEALFLOW_SOURCE_DIR) + "/data/plans/sample-2024.json");
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  EXPECT_EQ(plan->periods.size(), 17u);  // the year, 4 quarters, 12 months
  EXPECT_EQ(plan->utc_offset_minutes, 180);
}

}  // namespace
}  // namespace dealflow::planning
