// `dealflow pipeline-changes` and `--field-changes` on funnel, durations and
// scorecard: hand-computed numbers, formats, usage and located data errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_runner.h"

namespace dealflow::testing {
namespace {

const char* kChangesPipeline = R"({"id": "small", "name": "Малая воронка",
  "stages": [
    {"id": "A", "name": "Новая", "kind": "open"},
    {"id": "WON", "name": "Успех", "kind": "won"},
    {"id": "LOST", "name": "Провал", "kind": "lost"}]})";

// D1 is Иванова's until 2024-03-12, then Козлов's (today's owner in deals.csv).
const char* kChangesDeals =
    "id,created_at,amount,currency,manager,close_date\n"
    "D1,2024-01-05T09:00:00Z,100.00,RUB,Козлов,2024-05-15\n"
    "D2,2024-01-06T09:00:00Z,1200.00,RUB,Петрова,\n";
const char* kChangesHistory =
    "deal_id,at,stage\n"
    "D1,2024-01-05T09:00:00Z,A\nD1,2024-02-25T09:00:00Z,WON\n"
    "D2,2024-01-06T09:00:00Z,A\n";
const char* kChanges =
    "deal_id,at,field,value\n"
    "D1,2024-01-05T09:00:00Z,manager,Иванова\n"
    "D1,2024-01-05T09:00:00Z,close_date,2024-03-31\n"
    "D1,2024-02-20T10:00:00Z,close_date,2024-04-30\n"
    "D1,2024-03-10T10:00:00Z,close_date,2024-05-15\n"
    "D1,2024-03-12T10:00:00Z,manager,Козлов\n"
    "D2,2024-01-06T09:00:00Z,amount,1000.00\n"
    "D2,2024-02-10T10:00:00Z,amount,1500.00\n";

std::string changes_inputs(const std::string& changes = kChanges) {
  return "--pipeline '" + write_temp("pc_pipeline.json", kChangesPipeline) + "' --deals '" +
         write_temp("pc_deals.csv", kChangesDeals) + "' --history '" +
         write_temp("pc_history.csv", kChangesHistory) + "' --field-changes '" +
         write_temp("pc_changes.csv", changes) + "'";
}

TEST(CliPipelineChanges, HandComputedNumbers) {
  auto r =
      run_cli("pipeline-changes " + changes_inputs() + " --from 2024-02-01 --to 2024-04-01 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["deals"].size(), 2u);
  EXPECT_EQ(j["deals"][0]["deal"], "D1");
  EXPECT_EQ(j["deals"][0]["owner"], "Козлов");
  EXPECT_EQ(j["deals"][0]["changes"]["close_date_pushes"], 2);
  EXPECT_EQ(j["deals"][0]["changes"]["days_pushed"], 45);
  EXPECT_EQ(j["deals"][0]["changes"]["owner_changes"], 1);
  EXPECT_EQ(j["deals"][1]["changes"]["amount_delta"][0]["amount"], "500.00");
  EXPECT_EQ(j["total"]["deals_pushed"], 1);
  EXPECT_EQ(j["definition"]["as_of"], "2024-03-31T23:59:59Z");

  r = run_cli("pipeline-changes " + changes_inputs() + " --from 2024-02-01 --to 2024-03-01 --by manager");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Иванова"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Козлов"), std::string::npos) << r.out;  // reassigned after the period
  EXPECT_NE(r.out.find("definition: push = a change of the expected close date to a later date"),
            std::string::npos);

  r = run_cli("pipeline-changes " + changes_inputs() + " --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("total,,,,,2,1,2,45,0,0,1,+500.00 RUB,1\n"), std::string::npos) << r.out;
}

TEST(CliPipelineChanges, UsageAndDataErrors) {
  auto r = run_cli("pipeline-changes --pipeline '" + write_temp("pc_pipeline.json", kChangesPipeline) +
                   "' --deals '" + write_temp("pc_deals.csv", kChangesDeals) + "' --history '" +
                   write_temp("pc_history.csv", kChangesHistory) + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("field-changes"), std::string::npos) << r.err;
  r = run_cli("pipeline-changes " + changes_inputs() + " --by nothing");
  EXPECT_EQ(r.exit_code, 2);
  r = run_cli("pipeline-changes " +
              changes_inputs("deal_id,at,field,value\nD1,2024-02-01,probability,140\n"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("pc_changes.csv:2:27: column 'value': invalid probability '140'"), std::string::npos)
      << r.err;
  r = run_cli("funnel " + changes_inputs("deal_id,at,field,value\nXX,2024-02-01,manager,A\n"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("pc_changes.csv:2:1: column 'deal_id': unknown deal 'XX'"), std::string::npos)
      << r.err;
  r = run_cli("funnel " + changes_inputs("deal_id,at,field,value\nXX,2024-02-01,manager,A\n") + " --lenient");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("unknown_deal: 1 row skipped"), std::string::npos) << r.err;
}

TEST(CliFieldChanges, ReportsGroupByTheOwnerAtTheInstant) {
  // Funnel as of 2024-03-01: D1 (won) is still Иванова's.
  auto r = run_cli("funnel " + changes_inputs() + " --by manager --as-of 2024-03-01 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["groups"].size(), 2u);
  EXPECT_EQ(j["groups"][0]["key"], "Иванова");
  EXPECT_EQ(j["groups"][0]["won"], 1);
  // Without the field changes: today's owner.
  r = run_cli("funnel --pipeline '" + write_temp("pc_pipeline.json", kChangesPipeline) + "' --deals '" +
              write_temp("pc_deals.csv", kChangesDeals) + "' --history '" +
              write_temp("pc_history.csv", kChangesHistory) +
              "' --by manager --as-of 2024-03-01 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["groups"][0]["key"], "Козлов");
  // Durations and scorecard.
  r = run_cli("durations " + changes_inputs() + " --by manager --as-of 2024-03-01 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["groups"][0]["key"], "Иванова");
  r = run_cli("scorecard " + changes_inputs() + " --from 2024-02-01 --to 2024-03-01 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["managers"][0]["manager"], "Иванова");
  EXPECT_EQ(j["managers"][0]["current"]["won"], 1);
}

}  // namespace
}  // namespace dealflow::testing
