// `dealflow advise` on the shipped volumes and on bad files.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"

namespace {

using dealflow::testing::run_cli;
using dealflow::testing::write_temp;

TEST(CliAdvise, ShippedVolumesAsJson) {
  auto r = run_cli("advise --volumes data/routing/volumes.json --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  std::map<std::string, std::string> verdicts;
  for (const auto& rec : j["recommendations"]) verdicts[rec["rule"]] = rec["verdict"];
  EXPECT_EQ(verdicts["inbound_outbound_split"], "recommend");
  EXPECT_EQ(verdicts["hunter_account_split"], "recommend");
  EXPECT_EQ(verdicts["new_repeat_small_market"], "not_triggered");
  EXPECT_EQ(verdicts["capacity_headcount"], "recommend");
  EXPECT_EQ(verdicts["tier_specialization"], "not_triggered");
  EXPECT_EQ(verdicts["enterprise_experienced_managers"], "recommend");
  EXPECT_EQ(j["workload"]["managers"], 5);
  EXPECT_DOUBLE_EQ(j["workload"]["hours_per_month"].get<double>(), 530.0);
  EXPECT_EQ(j["thresholds"]["hunter_account_min_per_manager"], 300.0);
  for (const auto& rec : j["recommendations"]) {
    if (rec["rule"] == "hunter_account_split") {
      EXPECT_NEAR(rec["numbers"]["per_manager"].get<double>(), 1880.0 / 6, 1e-9);
      EXPECT_NE(rec["reason"].get<std::string>().find("> 300"), std::string::npos);
    }
  }
}

TEST(CliAdvise, TextStatesEachRuleAndItsNumbers) {
  auto r = run_cli("advise --volumes data/routing/volumes.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("[inbound_outbound_split]"), std::string::npos);
  EXPECT_NE(r.out.find("clients in market 2400 >= 100"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Ведение клиентов"), std::string::npos);
}

TEST(CliAdvise, SmallMarketSaysDoNotSplit) {
  const std::string path = write_temp("small-market.json",
                                      R"({"clients_in_market": 80, "inbound_requests": 700, "new_operations": 200,
                                          "repeat_operations": 400, "managers": 2})");
  auto r = run_cli("advise --volumes '" + path + "' --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  std::map<std::string, std::string> verdicts;
  for (const auto& rec : j["recommendations"]) verdicts[rec["rule"]] = rec["verdict"];
  EXPECT_EQ(verdicts["new_repeat_small_market"], "not_recommended");
  EXPECT_EQ(verdicts["hunter_account_split"], "not_triggered");  // 650 per manager, but a small market
  EXPECT_EQ(verdicts["inbound_outbound_split"], "not_triggered");
}

TEST(CliAdvise, BadFileNamesFileAndJsonPath) {
  const std::string path = write_temp("bad-volumes.json", R"({"clients_in_market": 10, "managers": -2})");
  auto r = run_cli("advise --volumes '" + path + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("bad-volumes.json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/managers"), std::string::npos) << r.err;
  auto missing = run_cli("advise --volumes /nonexistent/v.json");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(run_cli("advise").exit_code, 2);
  EXPECT_EQ(run_cli("advise --volumes data/routing/volumes.json --format yaml").exit_code, 2);
}

}  // namespace
