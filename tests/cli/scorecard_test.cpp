// `dealflow scorecard`: exact numbers on the hand-checked fixture of
// tests/analytics/scorecard_manager_test.cpp, formats and errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_runner.h"
#include "dealflow/io/table.h"

namespace dealflow::testing {
namespace {

const char* kScorecardPipeline = R"({"id": "small", "name": "Малая воронка",
  "stages": [
    {"id": "A", "name": "Новая", "kind": "open", "probability": 0.1},
    {"id": "B", "name": "Счёт", "kind": "open", "probability": 0.5},
    {"id": "WON", "name": "Успех", "kind": "won"},
    {"id": "LOST", "name": "Провал", "kind": "lost"}],
  "reopens": [{"from": "LOST", "to": "A"}]})";

const char* kScorecardDeals =
    "id,created_at,amount,currency,manager,business,channel\n"
    "k1,2024-01-02,100000,RUB,Иванова Анна,new,inbound\n"
    "k2,2024-01-03,40000,RUB,Иванова Анна,new,outbound\n"
    "k3,2024-01-12,60000,RUB,Иванова Анна,repeat,inbound\n"
    "k4,2024-01-13,30000,RUB,Иванова Анна,new,inbound\n"
    "k5,2024-01-04,200000,RUB,Петров Сергей,new,outbound\n"
    "k6,2024-01-15,90000,RUB,Петров Сергей,new,outbound\n"
    "k7,2024-01-16,100000,RUB,Петров Сергей,repeat,inbound\n"
    "k8,2024-01-17,5000,RUB,,new,inbound\n"
    "k9,2024-01-06,10000,RUB,Иванова Анна,new,inbound\n"
    "k10,2024-01-22,1,RUB,Петров Сергей,new,inbound\n"
    "k11,2024-01-14,20001,RUB,Иванова Анна,new,inbound\n";

const char* kScorecardHistory =
    "deal_id,at,stage\n"
    "k1,2024-01-02,A\nk1,2024-01-06,WON\n"
    "k2,2024-01-03,A\nk2,2024-01-09,B\nk2,2024-01-13,WON\n"
    "k3,2024-01-12,A\nk3,2024-01-16,WON\n"
    "k4,2024-01-13,A\nk4,2024-01-14,LOST\nk4,2024-01-17,A\nk4,2024-01-20,WON\n"
    "k5,2024-01-04,A\nk5,2024-01-10,LOST\n"
    "k6,2024-01-15,A\nk6,2024-01-16,B\n"
    "k7,2024-01-16,A\nk7,2024-01-19,WON\n"
    "k8,2024-01-17,A\nk8,2024-01-18,LOST\n"
    "k9,2024-01-06,A\nk9,2024-01-13,LOST\n"
    "k10,2024-01-22,A\n"
    "k11,2024-01-14,A\nk11,2024-01-15,WON\n";

constexpr std::int64_t kScorecardDay = 86400;

std::string scorecard_inputs(const std::string& deals = kScorecardDeals,
                             const std::string& history = kScorecardHistory) {
  return "--pipeline '" + write_temp("card_pipeline.json", kScorecardPipeline) + "' --deals '" +
         write_temp("card_deals.csv", deals) + "' --history '" + write_temp("card_history.csv", history) +
         "'";
}

const std::string kScorecardPeriod = " --from 2024-01-11 --to 2024-01-21";

TEST(CliScorecard, JsonHasTheHandComputedNumbers) {
  auto r = run_cli("scorecard " + scorecard_inputs() + kScorecardPeriod + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["definition"]["from"], "2024-01-11T00:00:00Z");
  EXPECT_EQ(j["definition"]["previous_from"], "2024-01-01T00:00:00Z");
  EXPECT_EQ(j["definition"]["business"], "column");  // the fixture has a business column
  ASSERT_EQ(j["managers"].size(), 3u);
  const auto& anna = j["managers"][0];
  EXPECT_EQ(anna["manager"], "Иванова Анна");
  EXPECT_EQ(anna["rank"], 1);
  EXPECT_EQ(anna["current"]["taken"], 3);
  EXPECT_EQ(anna["current"]["won"], 4);
  EXPECT_EQ(anna["current"]["lost"], 1);
  EXPECT_EQ(anna["current"]["open"], 0);
  EXPECT_DOUBLE_EQ(anna["current"]["win_rate"].get<double>(), 0.8);
  EXPECT_EQ(anna["current"]["won_amount"]["amount"], "150001.00");
  EXPECT_EQ(anna["current"]["average_won_amount"]["amount"], "37500.25");
  EXPECT_EQ(anna["current"]["median_won_amount"]["amount"], "30000.00");
  EXPECT_EQ(anna["current"]["median_cycle_seconds"], 4 * kScorecardDay);
  EXPECT_EQ(anna["previous"]["taken"], 3);
  EXPECT_EQ(anna["previous"]["open"], 2);
  EXPECT_EQ(anna["by_business"][1]["key"], "repeat");
  EXPECT_EQ(anna["by_business"][1]["current"]["won_amount"]["amount"], "60000.00");
  EXPECT_EQ(j["managers"][1]["manager"], "Петров Сергей");
  EXPECT_EQ(j["managers"][1]["current"]["open"], 1);
  EXPECT_TRUE(j["managers"][2]["manager"].is_null());
  EXPECT_TRUE(j["managers"][2]["rank"].is_null());
  EXPECT_EQ(j["team"]["current"]["taken"], 6);
  EXPECT_EQ(j["team"]["current"]["won_amount"]["amount"], "250001.00");
  EXPECT_EQ(j["team"]["previous"]["won"], 1);
  EXPECT_NE(j["definition"]["text"].get<std::string>().find("won/(won+lost)"), std::string::npos);
}

TEST(CliScorecard, TableAlignsCyrillicAndEndsWithDefinitions) {
  auto r = run_cli("scorecard " + scorecard_inputs() + kScorecardPeriod);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("team total"), std::string::npos);
  EXPECT_NE(r.out.find("150 001,00 RUB"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(no manager)"), std::string::npos);
  EXPECT_NE(r.out.find("By business (new vs repeat)"), std::string::npos);
  EXPECT_NE(r.out.rfind("\ndefinition: "), std::string::npos);
  // The period table's rows are exactly as wide as its rule.
  const auto start = r.out.find("rank  manager");
  const auto rule_start = r.out.find('\n', start) + 1;
  const auto rule_end = r.out.find('\n', rule_start);
  std::size_t pos = rule_end + 1;
  for (int row = 0; row < 4; ++row) {
    const auto end = r.out.find('\n', pos);
    EXPECT_EQ(dealflow::display_width(r.out.substr(pos, end - pos)), rule_end - rule_start)
        << r.out.substr(pos, end - pos);
    pos = end + 1;
  }
}

TEST(CliScorecard, CsvRowsCarryThePeriod) {
  auto r = run_cli("scorecard " + scorecard_inputs() + kScorecardPeriod + " --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')),
            "row,manager,rank,period,period_from,period_to,split,split_key,taken,won,lost,open,win_rate,"
            "won_with_amount,won_amount,average_won_amount,median_won_amount,currency,median_cycle_seconds");
  EXPECT_NE(
      r.out.find("\nmanager,Иванова Анна,1,current,2024-01-11T00:00:00Z,2024-01-21T00:00:00Z,all,,3,4,1,0,"
                 "0.800000,4,150001.00,37500.25,30000.00,RUB,345600\n"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\nteam,,,previous,2024-01-01T00:00:00Z,2024-01-11T00:00:00Z,all,,4,1,1,2,"),
            std::string::npos)
      << r.out;
}

TEST(CliScorecard, RunsOnTheShippedSample) {
  auto r = run_cli(
      "scorecard --pipeline data/pipelines/bitrix24_default.json --deals data/sample/deals.csv "
      "--history data/sample/history.csv --from 2024-10-01 --to 2025-01-01");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Иванова Анна"), std::string::npos);
  EXPECT_NE(r.out.find("repeat"), std::string::npos);
}

TEST(CliScorecard, UsageErrorsExitTwo) {
  const std::string in = scorecard_inputs();
  for (const std::string& args : {"scorecard " + in + " --from 2024-01-11",                  // --to missing
                                  "scorecard " + in + " --from 2024-01-21 --to 2024-01-11",  // empty period
                                  "scorecard " + in + " --from soon --to 2024-01-11",        // bad date
                                  "scorecard " + in + kScorecardPeriod + " --format xml"}) {
    auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find("error:"), std::string::npos) << args;
  }
}

TEST(CliScorecard, DataErrorsExitOne) {
  auto missing = run_cli("scorecard " + scorecard_inputs("id,amount\nk1,5\n") + kScorecardPeriod);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("created_at"), std::string::npos) << missing.err;
  auto bad_amount = run_cli(
      "scorecard " + scorecard_inputs(std::string(kScorecardDeals) + "k12,2024-01-12,12.345,RUB,,,\n") +
      kScorecardPeriod);
  EXPECT_EQ(bad_amount.exit_code, 1);
  EXPECT_NE(bad_amount.err.find("card_deals.csv:13:"), std::string::npos) << bad_amount.err;
  // A deal won in USD among RUB deals: sums per currency, not an error (tests/cli/currencies_test.cpp).
  auto mixed = run_cli(
      "scorecard " +
      scorecard_inputs(std::string(kScorecardDeals) + "k12,2024-01-12,12,USD,Иванова Анна,new,inbound\n",
                       std::string(kScorecardHistory) + "k12,2024-01-12,A\nk12,2024-01-13,WON\n") +
      kScorecardPeriod);
  EXPECT_EQ(mixed.exit_code, 0) << mixed.err;
}

}  // namespace
}  // namespace dealflow::testing
