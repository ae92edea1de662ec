// `dealflow cohorts`: the hand-computed table of tests/analytics/cohorts_test.cpp
// through the CLI, every format, the shipped sample, and one test per
// documented error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_runner.h"

namespace dealflow::testing {
namespace {

const char* kCohortsPipeline = R"({"id": "sales", "name": "Продажи",
  "stages": [
    {"id": "NEW", "name": "Новая", "kind": "open"},
    {"id": "OFFER", "name": "Предложение", "kind": "open"},
    {"id": "CONTRACT", "name": "Договор", "kind": "open"},
    {"id": "WON", "name": "Успех", "kind": "won"},
    {"id": "LOST", "name": "Отказ", "kind": "lost"}]})";

const char* kCohortsDeals =
    "id,created_at,manager\n"
    "a1,2024-01-05T09:00:00Z,Иванова Анна\n"
    "a2,2024-01-10T09:00:00Z,Петров Сергей\n"
    "a3,2024-01-20T09:00:00Z,Иванова Анна\n"
    "a4,2024-01-31T23:30:00Z,Łukasz Żółć\n"
    "c1,2024-03-01T09:00:00Z,Петров Сергей\n"
    "c2,2024-03-02T09:00:00Z,Иванова Анна\n"
    "c3,2024-03-03T09:00:00Z,Петров Сергей\n";

const char* kCohortsHistory =
    "deal_id,at,stage\n"
    "a1,2024-01-05T09:00:00Z,NEW\n"
    "a1,2024-01-08T09:00:00Z,OFFER\n"
    "a1,2024-01-09T09:00:00Z,LOST\n"
    "a2,2024-01-10T09:00:00Z,NEW\n"
    "a2,2024-01-11T09:00:00Z,OFFER\n"
    "a2,2024-01-12T09:00:00Z,CONTRACT\n"
    "a2,2024-01-20T09:00:00Z,WON\n"
    "a3,2024-01-20T09:00:00Z,NEW\n"
    "a3,2024-01-22T09:00:00Z,CONTRACT\n"
    "a3,2024-01-25T09:00:00Z,NEW\n"
    "c1,2024-03-01T09:00:00Z,NEW\n"
    "c1,2024-03-05T09:00:00Z,WON\n"
    "c2,2024-03-02T09:00:00Z,NEW\n"
    "c2,2024-03-04T09:00:00Z,LOST\n"
    "c3,2024-03-03T09:00:00Z,LOST\n";

std::string cohorts_inputs(const std::string& history = kCohortsHistory) {
  return "--pipeline '" + write_temp("coh_pipeline.json", kCohortsPipeline) + "' --deals '" +
         write_temp("coh_deals.csv", kCohortsDeals) + "' --history '" +
         write_temp("coh_history.csv", history) + "'";
}

TEST(CliCohorts, JsonHasTheHandComputedTable) {
  auto r = run_cli("cohorts " + cohorts_inputs() + " --from 2023-12-01 --to 2024-04-01 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["months"].size(), 4u);
  EXPECT_EQ(j["months"][0]["month"], "2023-12");
  EXPECT_EQ(j["months"][0]["deals"], 0);
  const auto& jan = j["months"][1];
  EXPECT_EQ(jan["deals"], 4);
  EXPECT_EQ(jan["furthest"]["no_stage"]["count"], 1);
  EXPECT_EQ(jan["furthest"]["stages"][2]["stage"], "CONTRACT");
  EXPECT_EQ(jan["furthest"]["stages"][2]["count"], 1);
  EXPECT_EQ(jan["furthest"]["won"]["share"], 0.25);
  EXPECT_EQ(jan["lost"], 1);
  EXPECT_EQ(jan["open"], 2);
  EXPECT_EQ(jan["win_rate"]["value"], 0.5);
  EXPECT_NEAR(jan["win_rate"]["low"].get<double>(), 0.09453120573423074, 1e-12);
  EXPECT_EQ(j["months"][2]["month"], "2024-02");
  EXPECT_TRUE(j["months"][2]["win_rate"]["value"].is_null());
  EXPECT_EQ(j["total"]["deals"], 7);
  EXPECT_EQ(j["definition"]["from"], "2023-12-01T00:00:00Z");
}

TEST(CliCohorts, UtcOffsetMovesALateDealToTheNextMonth) {
  auto r = run_cli("cohorts " + cohorts_inputs() + " --utc-offset +03:00 --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\n2024-01,3,0,0,1,1,1,1,1,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n2024-02,1,1,0,0,0,0,0,1,,,,0.0,sales,"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\ntotal,7,2,1,1,1,2,3,2,0.4,"), std::string::npos) << r.out;
}

TEST(CliCohorts, TableShowsCountsSharesAndTheDefinition) {
  auto r = run_cli("cohorts " + cohorts_inputs());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Предложение"), std::string::npos);
  EXPECT_NE(r.out.find("2024-02"), std::string::npos);
  EXPECT_NE(r.out.find("1 (33.3%)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("definition: win rate = won / (won + lost)"), std::string::npos) << r.out;
}

TEST(CliCohorts, RunsOnTheShippedSample) {
  auto r = run_cli(
      "cohorts --pipeline data/pipelines/bitrix24_default.json --deals data/sample/deals.csv "
      "--history data/sample/history.csv --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_GT(j["months"].size(), 1u);
  std::uint64_t deals = 0;
  for (const auto& m : j["months"]) {
    std::uint64_t parts = m["furthest"]["no_stage"]["count"].get<std::uint64_t>() +
                          m["furthest"]["won"]["count"].get<std::uint64_t>();
    for (const auto& s : m["furthest"]["stages"]) parts += s["count"].get<std::uint64_t>();
    EXPECT_EQ(parts, m["deals"].get<std::uint64_t>()) << m["month"];
    deals += m["deals"].get<std::uint64_t>();
  }
  EXPECT_EQ(deals, j["total"]["deals"].get<std::uint64_t>());
}

// One test per documented usage error (exit 2, "error:" and what was expected).
TEST(CliCohorts, FromNotBeforeTo) {
  auto r = run_cli("cohorts " + cohorts_inputs() + " --from 2024-03-01 --to 2024-03-01");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--from 2024-03-01T00:00:00Z is not before --to 2024-03-01T00:00:00Z"),
            std::string::npos)
      << r.err;
}

TEST(CliCohorts, RangeOfMoreThan1200Months) {
  auto r = run_cli("cohorts " + cohorts_inputs() + " --from 1900-01-01 --to 2024-01-01");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--from/--to span 1488 months; expected at most 1200"), std::string::npos) << r.err;
}

TEST(CliCohorts, BadDate) {
  auto r = run_cli("cohorts " + cohorts_inputs() + " --from yesterday");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--from"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("yesterday"), std::string::npos) << r.err;
}

TEST(CliCohorts, BadFormat) {
  auto r = run_cli("cohorts " + cohorts_inputs() + " --format xml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("expected table, csv or json"), std::string::npos) << r.err;
}

TEST(CliCohorts, BadUtcOffset) {
  auto r = run_cli("cohorts " + cohorts_inputs() + " --utc-offset 3h");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--utc-offset"), std::string::npos) << r.err;
}

TEST(CliCohorts, BadThreads) {
  auto r = run_cli("cohorts " + cohorts_inputs() + " --threads many");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--threads 'many': expected an integer 0..256"), std::string::npos) << r.err;
}

TEST(CliCohorts, UnknownOptionAndStrayArgument) {
  EXPECT_EQ(run_cli("cohorts " + cohorts_inputs() + " --by manager").exit_code, 2);
  auto r = run_cli("cohorts " + cohorts_inputs() + " extra");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unexpected argument 'extra'"), std::string::npos) << r.err;
}

TEST(CliCohorts, MissingInputs) {
  auto r = run_cli("cohorts --pipeline '" + write_temp("coh_pipeline.json", kCohortsPipeline) + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("error:"), std::string::npos);
}

// A data error names the file, line and column (exit 1).
TEST(CliCohorts, BadHistoryRowIsLocated) {
  auto r =
      run_cli("cohorts " + cohorts_inputs(std::string(kCohortsHistory) + "a1,2024-13-01T00:00:00Z,NEW\n"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("coh_history.csv:17:"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace dealflow::testing
