// `dealflow movement`: hand-computed bars in every format, several pipelines,
// and one test per documented usage and data error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_runner.h"

namespace dealflow::testing {
namespace {

const char* kMovementPipeline = R"({"id": "small", "name": "Малая воронка",
  "stages": [
    {"id": "A", "name": "Новая", "kind": "open"},
    {"id": "WON", "name": "Успех", "kind": "won"},
    {"id": "LOST", "name": "Провал", "kind": "lost"}]})";

// Period [2024-04-01, 2024-07-01):
//   Д1 in at start (1000.00, close 05-15); amount 1200.00 on 04-10; won 05-20
//   Д2 in at start (500.00, close 06-10); pushed to 08-01 on 05-01
//   Д3 close 09-01 at start; pulled to 06-20 on 04-15 (700.00)
//   Д4 created 04-05 (300.00, close 06-30), still open at the end
const char* kMovementDeals =
    "id,created_at,amount,currency,manager,close_date\n"
    "Д1,2024-03-01T09:00:00Z,1200.00,RUB,Иванова,2024-05-15\n"
    "Д2,2024-03-02T09:00:00Z,500.00,RUB,Петрова,2024-08-01\n"
    "Д3,2024-03-03T09:00:00Z,700.00,RUB,Иванова,2024-06-20\n"
    "Д4,2024-04-05T09:00:00Z,300.00,RUB,Козлов,2024-06-30\n";
const char* kMovementHistory =
    "deal_id,at,stage\n"
    "Д1,2024-03-01T09:00:00Z,A\nД1,2024-05-20T10:00:00Z,WON\n"
    "Д2,2024-03-02T09:00:00Z,A\nД3,2024-03-03T09:00:00Z,A\nД4,2024-04-05T09:00:00Z,A\n";
const char* kMovementChanges =
    "deal_id,at,field,value\n"
    "Д1,2024-03-01T09:00:00Z,amount,1000.00\n"
    "Д1,2024-04-10T10:00:00Z,amount,1200.00\n"
    "Д2,2024-03-02T09:00:00Z,close_date,2024-06-10\n"
    "Д2,2024-05-01T10:00:00Z,close_date,2024-08-01\n"
    "Д3,2024-03-03T09:00:00Z,close_date,2024-09-01\n"
    "Д3,2024-04-15T10:00:00Z,close_date,2024-06-20\n";

std::string movement_inputs(const std::string& history = kMovementHistory) {
  return "--pipeline '" + write_temp("mv_pipeline.json", kMovementPipeline) + "' --deals '" +
         write_temp("mv_deals.csv", kMovementDeals) + "' --history '" +
         write_temp("mv_history.csv", history) + "' --field-changes '" +
         write_temp("mv_changes.csv", kMovementChanges) + "'";
}

const char* kQ2 = " --from 2024-04-01 --to 2024-07-01";

const nlohmann::json& bar(const nlohmann::json& section, const std::string& name) {
  for (const auto& b : section["bars"])
    if (b["bar"] == name) return b;
  static const nlohmann::json none;
  return none;
}

TEST(CliMovement, HandComputedJson) {
  auto r = run_cli("movement " + movement_inputs() + kQ2 + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["definition"]["pipeline"], "small");
  EXPECT_EQ(j["definition"]["scope"], "close_in_period");
  EXPECT_EQ(j["definition"]["start_as_of"], "2024-03-31T23:59:59Z");
  EXPECT_TRUE(j["definition"]["as_of"].is_null());
  EXPECT_EQ(j["definition"]["bars"].size(), 16u);
  ASSERT_EQ(j["currencies"].size(), 1u);
  const auto& rub = j["currencies"][0];
  EXPECT_EQ(rub["currency"], "RUB");
  ASSERT_EQ(rub["bars"].size(), 16u);
  EXPECT_EQ(rub["bars"][0]["bar"], "start");
  EXPECT_EQ(rub["bars"][15]["bar"], "end");
  EXPECT_EQ(bar(rub, "start")["count"], 2);
  EXPECT_EQ(bar(rub, "start")["amount"], "1500.00");
  EXPECT_EQ(bar(rub, "start")["deals"], nlohmann::json::array({"Д1", "Д2"}));
  EXPECT_EQ(bar(rub, "created")["amount"], "300.00");
  EXPECT_EQ(bar(rub, "pulled_in")["deals"], nlohmann::json::array({"Д3"}));
  EXPECT_EQ(bar(rub, "amount_changed")["amount"], "200.00");
  EXPECT_EQ(bar(rub, "amount_changed")["count"], 0);
  EXPECT_EQ(bar(rub, "won")["count"], -1);
  EXPECT_EQ(bar(rub, "won")["amount"], "-1200.00");
  EXPECT_EQ(bar(rub, "won")["kind"], "exit");
  EXPECT_EQ(bar(rub, "slipped_out")["amount"], "-500.00");
  EXPECT_EQ(bar(rub, "end")["count"], 2);
  EXPECT_EQ(bar(rub, "end")["amount"], "1000.00");  // Д3 700.00 + Д4 300.00
  EXPECT_EQ(rub["identity"]["amount"]["flows"], "-500.00");
  EXPECT_TRUE(rub["identity"]["amount"]["holds"].get<bool>());
  EXPECT_TRUE(rub["identity"]["count"]["holds"].get<bool>());
}

TEST(CliMovement, TableCsvAndScope) {
  auto r = run_cli("movement " + movement_inputs() + kQ2);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("slipped out"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("identity: 2 + 0 = 2 deals; 1500.00 - 500.00 = 1000.00: holds"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("definition: pipeline of the period = open deals whose expected close date"),
            std::string::npos);

  r = run_cli("movement " + movement_inputs() + kQ2 + " --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("currency,bar,kind,count,amount,deals\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("RUB,start,level,2,1500.00,Д1; Д2\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("RUB,won,exit,-1,-1200.00,Д1\n"), std::string::npos) << r.out;

  // Every open deal: Д3 is in from the start and nothing slips.
  r = run_cli("movement " + movement_inputs() + kQ2 + " --scope open --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["definition"]["scope"], "all_open");
  EXPECT_EQ(bar(j["currencies"][0], "start")["count"], 3);
  EXPECT_EQ(bar(j["currencies"][0], "slipped_out")["count"], 0);
  EXPECT_EQ(bar(j["currencies"][0], "end")["deals"], nlohmann::json::array({"Д2", "Д3", "Д4"}));
}

// Quarter to date as of 2024-05-15: Д1 is won on 05-20, after as_of, so it
// is still open at the end (1200.00); Д2's push on 05-01 counts.
TEST(CliMovement, QuarterToDate) {
  auto r = run_cli("movement " + movement_inputs() + kQ2 + " --as-of 2024-05-15 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["definition"]["as_of"], "2024-05-15T00:00:00Z");
  EXPECT_EQ(j["definition"]["to"], "2024-07-01T00:00:00Z");
  EXPECT_EQ(j["definition"]["end_as_of"], "2024-05-14T23:59:59Z");
  EXPECT_EQ(j["definition"]["bars"][15]["definition"],
            "deals open with its expected close date in [from, to) as of as_of - 1 s");
  const auto& rub = j["currencies"][0];
  EXPECT_EQ(bar(rub, "start")["amount"], "1500.00");
  EXPECT_EQ(bar(rub, "created")["deals"], nlohmann::json::array({"Д4"}));
  EXPECT_EQ(bar(rub, "pulled_in")["deals"], nlohmann::json::array({"Д3"}));
  EXPECT_EQ(bar(rub, "amount_changed")["amount"], "200.00");
  EXPECT_EQ(bar(rub, "won")["count"], 0);
  EXPECT_EQ(bar(rub, "slipped_out")["amount"], "-500.00");
  EXPECT_EQ(bar(rub, "end")["count"], 3);
  EXPECT_EQ(bar(rub, "end")["amount"], "2200.00");  // Д1 1200.00 + Д3 700.00 + Д4 300.00
  EXPECT_EQ(bar(rub, "end")["deals"], nlohmann::json::array({"Д1", "Д3", "Д4"}));
  EXPECT_TRUE(rub["identity"]["amount"]["holds"].get<bool>());

  // As of 04-12: Д3's pull-in (04-15) and Д2's push (05-01) have not happened.
  r = run_cli("movement " + movement_inputs() + kQ2 + " --as-of 2024-04-12");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("identity: 2 + 1 = 3 deals; 1500.00 + 500.00 = 2000.00: holds"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("pulled in"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("slipped out"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("; changes to as_of 2024-04-12T00:00:00Z;"), std::string::npos) << r.out;
}

TEST(CliMovement, AsOfOutsideThePeriodOrBad) {
  for (const char* as_of : {"2024-04-01", "2024-03-15", "2024-07-01T00:00:01Z"}) {
    auto r = run_cli("movement " + movement_inputs() + kQ2 + " --as-of " + as_of);
    EXPECT_EQ(r.exit_code, 2) << as_of;
    EXPECT_NE(r.err.find("is not in (--from 2024-04-01T00:00:00Z, --to 2024-07-01T00:00:00Z]"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("--as-of 20"), std::string::npos) << r.err;
  }
  auto r =
      run_cli("movement " + movement_inputs() + kQ2 + " --as-of 2024-07-01");  // = --to: the whole quarter
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = run_cli("movement " + movement_inputs() + kQ2 + " --as-of 2024-02-30");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--as-of"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2024-02-30"), std::string::npos) << r.err;
}

TEST(CliMovement, Help) {
  auto r = run_cli("movement --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("- slipped out  close date pushed past the period"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--scope S"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--as-of DATE           period to date"), std::string::npos) << r.out;
}

TEST(CliMovement, MissingFromOrTo) {
  auto r = run_cli("movement " + movement_inputs() + " --to 2024-07-01");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("from"), std::string::npos) << r.err;
  r = run_cli("movement " + movement_inputs() + " --from 2024-04-01");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("to"), std::string::npos) << r.err;
}

TEST(CliMovement, BadDate) {
  auto r = run_cli("movement " + movement_inputs() + " --from 2024-13-01 --to 2024-07-01");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--from"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2024-13-01"), std::string::npos) << r.err;
}

TEST(CliMovement, FromNotBeforeTo) {
  auto r = run_cli("movement " + movement_inputs() + " --from 2024-07-01 --to 2024-07-01");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--from 2024-07-01T00:00:00Z is not before --to 2024-07-01T00:00:00Z"),
            std::string::npos)
      << r.err;
}

TEST(CliMovement, BadScopeFormatOrArgument) {
  auto r = run_cli("movement " + movement_inputs() + kQ2 + " --scope week");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--scope 'week': expected period or open"), std::string::npos) << r.err;
  r = run_cli("movement " + movement_inputs() + kQ2 + " --format xml");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("xml"), std::string::npos) << r.err;
  r = run_cli("movement " + movement_inputs() + kQ2 + " extra");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unexpected argument 'extra'"), std::string::npos) << r.err;
}

TEST(CliMovement, DataErrorIsLocatedAndLenientSkips) {
  const std::string bad = std::string(kMovementHistory) + "Д4,2024-05-01T10:00:00Z,NOPE\n";
  auto r = run_cli("movement " + movement_inputs(bad) + kQ2);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("mv_history.csv:7:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("NOPE"), std::string::npos) << r.err;
  r = run_cli("movement " + movement_inputs(bad) + kQ2 + " --lenient --format json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("skipped"), std::string::npos) << r.err;
}

TEST(CliMovement, OneSectionPerPipeline) {
  const std::string service = write_temp("mv_service.json", R"({"id": "service", "name": "Сервис",
    "stages": [{"id": "OPEN", "name": "Открыта", "kind": "open"},
               {"id": "DONE", "name": "Готово", "kind": "won"},
               {"id": "FAIL", "name": "Отказ", "kind": "lost"}]})");
  const std::string deals = write_temp("mv_deals2.csv",
                                       "id,created_at,pipeline,amount,currency,close_date\n"
                                       "S1,2024-03-01T09:00:00Z,small,10.00,RUB,2024-05-01\n"
                                       "T1,2024-04-02T09:00:00Z,service,20.00,EUR,2024-05-01\n");
  const std::string history = write_temp("mv_history2.csv",
                                         "deal_id,at,stage\nS1,2024-03-01T09:00:00Z,A\n"
                                         "T1,2024-04-02T09:00:00Z,OPEN\n");
  auto r =
      run_cli("movement --pipeline '" + write_temp("mv_pipeline.json", kMovementPipeline) + "' --pipeline '" +
              service + "' --deals '" + deals + "' --history '" + history + "'" + kQ2 + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["pipelines"].size(), 2u);
  EXPECT_EQ(j["pipelines"][0]["pipeline"], "service");
  EXPECT_EQ(j["pipelines"][0]["currencies"][0]["currency"], "EUR");
  EXPECT_EQ(bar(j["pipelines"][0]["currencies"][0], "created")["amount"], "20.00");
  EXPECT_EQ(j["pipelines"][1]["pipeline"], "small");
  EXPECT_EQ(bar(j["pipelines"][1]["currencies"][0], "end")["deals"], nlohmann::json::array({"S1"}));
}

}  // namespace
}  // namespace dealflow::testing
