// `dealflow backtest` on a hand-computed January (the library test's history,
// tests/planning/backtest_test.cpp), its three formats, usage and data errors,
// and the bundled sample's ranked table.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"

namespace {

using dealflow::testing::run_cli;
using dealflow::testing::write_temp;
using nlohmann::json;

std::string backtest_inputs() {
  static const std::string pipeline =
      write_temp("bt_pipeline.json", R"({"id": "sales", "name": "Продажи", "stages": [
    {"id": "NEW", "name": "Новая", "kind": "open", "probability": 0.1},
    {"id": "QUAL", "name": "Квалификация", "kind": "open", "probability": 0.3},
    {"id": "OFFER", "name": "Предложение", "kind": "open", "probability": 0.6},
    {"id": "CONTRACT", "name": "Договор", "kind": "open", "probability": 0.9},
    {"id": "WON", "name": "Успех", "kind": "won", "probability": 1.0},
    {"id": "LOST", "name": "Провал", "kind": "lost", "probability": 0.0}]})");
  static const std::string deals = write_temp("bt_deals.csv",
                                              "id,created_at,amount,currency,manager,close_date\n"
                                              "A,2024-01-01T00:00:00Z,10.00,RUB,Иванов,2024-01-20\n"
                                              "B,2024-01-02T00:00:00Z,20.00,RUB,Петрова,2024-01-25\n"
                                              "C,2024-01-03T00:00:00Z,5.00,RUB,Иванов,\n"
                                              "D,2024-02-15T00:00:00Z,7.00,RUB,Иванов,\n"
                                              "E,2024-01-02T00:00:00Z,3.00,RUB,Петрова,2024-03-10\n");
  static const std::string history = write_temp("bt_history.csv",
                                                "deal_id,at,stage\n"
                                                "A,2024-01-01T00:00:00Z,NEW\n"
                                                "A,2024-01-10T00:00:00Z,WON\n"
                                                "B,2024-01-02T00:00:00Z,CONTRACT\n"
                                                "B,2024-01-20T00:00:00Z,LOST\n"
                                                "C,2024-01-03T00:00:00Z,NEW\n"
                                                "C,2024-01-05T00:00:00Z,WON\n"
                                                "D,2024-02-20T00:00:00Z,NEW\n"
                                                "E,2024-01-02T00:00:00Z,QUAL\n");
  static const std::string changes = write_temp("bt_changes.csv",
                                                "deal_id,at,field,value\n"
                                                "A,2024-01-12T00:00:00Z,manager,Петрова\n");
  return " --pipeline " + pipeline + " --deals " + deals + " --history " + history + " --field-changes " +
         changes;
}

const std::string kJanuary =
    " --period-kind month --from 2024-01-08 --to 2024-01-15 --methods weighted,categories";

TEST(CliBacktest, HandComputedJson) {
  auto r = run_cli("backtest" + backtest_inputs() + kJanuary + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["definition"]["period_kind"], "month");
  EXPECT_EQ(j["definition"]["currency"], "RUB");
  ASSERT_EQ(j["ranking"].size(), 2u);
  EXPECT_EQ(j["ranking"][0]["method"], "weighted");
  EXPECT_DOUBLE_EQ(j["ranking"][0]["wape"].get<double>(), 0.9);
  EXPECT_DOUBLE_EQ(j["ranking"][0]["bias"].get<double>(), 0.9);
  EXPECT_EQ(j["ranking"][0]["sum_actual"], 3000);  // 2 x 15.00 RUB in kopecks
  EXPECT_EQ(j["ranking"][1]["method"], "categories");
  EXPECT_DOUBLE_EQ(j["ranking"][1]["wape"].get<double>(), 1.0);
  ASSERT_EQ(j["snapshots"].size(), 2u);
  EXPECT_EQ(j["snapshots"][0]["at"], "2024-01-08T00:00:00Z");
  EXPECT_EQ(j["snapshots"][0]["points"][0]["method"], "weighted");
  EXPECT_EQ(j["snapshots"][0]["points"][0]["forecast"], 2400);
  EXPECT_EQ(j["snapshots"][0]["points"][1]["forecast"], 2500);
}

TEST(CliBacktest, TableRanksAndDefines) {
  auto r = run_cli("backtest" + backtest_inputs() + kJanuary + " --by manager");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1     weighted     90.0%"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2     categories   100.0%"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Иванов"), std::string::npos);
  EXPECT_NE(r.out.find("definition: snapshots: 2 (every monday"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("definition: MAPE = "), std::string::npos);
  EXPECT_NE(r.out.find("owner at closing"), std::string::npos);
}

TEST(CliBacktest, CsvHasTheDefiningColumns) {
  auto r = run_cli("backtest" + backtest_inputs() + kJanuary + " --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')),
            "every,period_kind,utc_offset_minutes,training_window,data_end,currency,snapshots,evaluated,"
            "scope_kind,scope,method,rank,pairs,mape,wape,bias,brier,predictions,sum_actual,sum_abs_error,"
            "sum_error");
  EXPECT_NE(
      r.out.find("monday,month,0,365d,2024-02-20T00:00:00Z,RUB,2,2,company,(total),weighted,1,2,0.900000,"
                 "0.900000,0.900000,0.486000,5,3000,2700,2700\n"),
      std::string::npos)
      << r.out;
}

TEST(CliBacktest, UnevaluatedSnapshotsAreSaid) {
  auto r = run_cli("backtest" + backtest_inputs() + " --period-kind month --from 2024-01-08 --to 2024-02-19");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("note: 3 of 7 snapshots are not evaluated"), std::string::npos) << r.out;
}

TEST(CliBacktest, UsageErrors) {
  for (const std::string& bad :
       {std::string(" --every tuesday"), std::string(" --period-kind week"),
        std::string(" --methods weighted,magic"), std::string(" --training-window -3d"),
        std::string(" --training-window 0d"), std::string(" --training-window 5"),
        std::string(" --snapshots 0"), std::string(" --from 2024-02-01 --to 2024-01-01"),
        std::string(" --by nonexistent"), std::string(" --by team"), std::string(" --format xml"),
        std::string(" --from 2030-01-01 --to 2030-01-02"), std::string(" --snapshots 3 --from 2024-01-01")}) {
    auto r = run_cli("backtest" + backtest_inputs() + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find("error: "), std::string::npos) << bad;
  }
  auto r = run_cli("backtest" + backtest_inputs() + " --methods weighted,magic");
  EXPECT_NE(r.err.find("unknown method 'magic'"), std::string::npos) << r.err;
}

TEST(CliBacktest, ByTeamFromTheRoutingTeamFile) {
  const std::string team = write_temp("bt_team.json",
                                      R"({"attributes": [], "managers": [{"id": "Иванов"}, {"id": "Петрова"}],
          "teams": [{"id": "north", "name": "Север", "members": ["Иванов"]}]})");
  auto r =
      run_cli("backtest" + backtest_inputs() + kJanuary + " --by team --team '" + team + "' --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  // north = Иванов (A, C; A credited to Иванов who closed it); Петрова (B, E) is in no team: (none), last.
  ASSERT_EQ(j["scopes"].size(), 4u);
  EXPECT_EQ(j["scopes"][0]["scope"], "north");
  EXPECT_EQ(j["scopes"][0]["method"], "weighted");
  EXPECT_EQ(j["scopes"][0]["sum_actual"], 3000);
  EXPECT_EQ(j["scopes"][0]["sum_abs_error"], 900);  // 600 vs 1500, then 1500 vs 1500
  EXPECT_TRUE(j["scopes"][3]["scope"].is_null());
  EXPECT_EQ(j["definition"]["scope"], "team");
  EXPECT_EQ(run_cli("backtest" + backtest_inputs() + " --by team --team /nonexistent/team.json").exit_code,
            1);
}

TEST(CliBacktest, DataErrors) {
  const std::string usd = write_temp("bt_usd_deals.csv",
                                     "id,created_at,amount,currency\n"
                                     "A,2024-01-01T00:00:00Z,10.00,RUB\n"
                                     "B,2024-01-01T00:00:00Z,10.00,USD\n");
  const std::string history =
      write_temp("bt_usd_history.csv",
                 "deal_id,at,stage\nA,2024-01-01T00:00:00Z,WON\nB,2024-01-02T00:00:00Z,WON\n"
                 "B,2024-05-02T00:00:00Z,WON\n");
  auto r = run_cli("backtest --pipeline data/pipelines/bitrix24_default.json --deals " + usd + " --history " +
                   history + " --period-kind month --from 2024-01-01 --to 2024-01-31");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("amounts in several currencies"), std::string::npos) << r.err;
  // A bad row is located.
  const std::string bad = write_temp("bt_bad_history.csv", "deal_id,at,stage\nA,not-a-time,NEW\n");
  r = run_cli("backtest --pipeline data/pipelines/bitrix24_default.json --deals " + usd + " --history " +
              bad);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bt_bad_history.csv:2:"), std::string::npos) << r.err;
}

TEST(CliBacktest, SampleRanksMethodsThatDiffer) {
  auto r = run_cli(
      "backtest --pipeline data/pipelines/bitrix24_default.json --deals data/sample/deals.csv"
      " --history data/sample/history.csv --field-changes data/sample/field_changes.csv --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_EQ(j["ranking"].size(), 5u);
  EXPECT_GT(j["snapshots"].size(), 30u);
  std::set<double> wapes;
  for (const auto& m : j["ranking"]) wapes.insert(m["wape"].get<double>());
  EXPECT_GE(wapes.size(), 4u);  // timing and monte-carlo share their point forecast
  EXPECT_LT(j["ranking"][0]["wape"].get<double>(), j["ranking"][4]["wape"].get<double>());
}

}  // namespace
