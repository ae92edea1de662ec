// `dealflow funnel` on the hand-checked fixture (tests/analytics/fixtures/):
// exact numbers per counting rule and for --by manager, the three formats, and
// exit codes with file:line:column for malformed CSV.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_runner.h"
#include "dealflow/io/table.h"

namespace {

using dealflow::testing::run_cli;
using dealflow::testing::write_temp;
using nlohmann::json;

const std::string kFunnelInputs =
    " --pipeline tests/analytics/fixtures/funnel_pipeline.json"
    " --deals tests/analytics/fixtures/funnel_deals.csv"
    " --history tests/analytics/fixtures/funnel_history.csv";
const std::string kCohort = " --from 2024-01-01 --to 2024-03-01";

json run_json(const std::string& extra) {
  auto r = run_cli("funnel" + kFunnelInputs + extra + " --format json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

std::vector<std::uint64_t> reached(const json& j) {
  std::vector<std::uint64_t> out;
  for (const auto& s : j["stages"]) out.push_back(s["reached"].get<std::uint64_t>());
  return out;
}

TEST(CliFunnel, HighWaterJson) {
  const json j = run_json(kCohort);
  EXPECT_EQ(j["deals"], 8);
  EXPECT_EQ(j["won"], 3);
  EXPECT_EQ(j["lost"], 3);
  EXPECT_EQ(j["open"], 2);
  EXPECT_DOUBLE_EQ(j["win_rate"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(j["won_of_created"].get<double>(), 0.375);
  // Every rate with its numerator and denominator.
  EXPECT_EQ(j["win_rate_numerator"], 3);
  EXPECT_EQ(j["win_rate_denominator"], 6);
  EXPECT_EQ(j["won_of_created_numerator"], 3);
  EXPECT_EQ(j["won_of_created_denominator"], 8);
  ASSERT_EQ(j["win_rate_by_amount"].size(), 1u);
  EXPECT_EQ(j["win_rate_by_amount"][0]["currency"], "RUB");
  EXPECT_EQ(j["win_rate_by_amount"][0]["numerator"], "700.00");
  EXPECT_EQ(j["win_rate_by_amount"][0]["denominator"], "2500.00");
  EXPECT_DOUBLE_EQ(j["win_rate_by_amount"][0]["value"].get<double>(), 0.28);
  EXPECT_NE(j["definition"]["denominator"].get<std::string>().find("won amount/(won+lost amount) per currency"),
            std::string::npos);
  EXPECT_EQ(j["stages"][1]["step_conversion_numerator"], 6);
  EXPECT_EQ(j["stages"][1]["step_conversion_denominator"], 8);
  EXPECT_EQ(j["stages"][3]["cumulative_conversion_numerator"], 4);
  EXPECT_EQ(j["stages"][3]["cumulative_conversion_denominator"], 8);
  EXPECT_TRUE(j["stages"][0]["step_conversion_numerator"].is_null());
  ASSERT_EQ(j["stages"].size(), 4u);
  EXPECT_EQ(reached(j), (std::vector<std::uint64_t>{8, 6, 6, 4}));
  const json& qual = j["stages"][1];
  EXPECT_EQ(qual["id"], "QUAL");
  EXPECT_EQ(qual["name"], "Квалификация");
  EXPECT_DOUBLE_EQ(qual["step_conversion"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(qual["cumulative_conversion"].get<double>(), 0.75);
  EXPECT_TRUE(qual["step_conversion_interval"].contains("low"));
  EXPECT_TRUE(j["stages"][0]["step_conversion"].is_null());
  EXPECT_EQ(j["stages"][3]["amount"][0]["amount"], "1700.00");
  EXPECT_EQ(j["stages"][3]["amount"][0]["currency"], "RUB");
  EXPECT_EQ(j["won_amount"][0]["amount"], "700.00");
  EXPECT_EQ(j["definition"]["rule"], "high-water");
  EXPECT_EQ(j["definition"]["basis"], "created");
  EXPECT_EQ(j["definition"]["from"], "2024-01-01T00:00:00Z");
  EXPECT_EQ(j["definition"]["to"], "2024-03-01T00:00:00Z");
  EXPECT_NE(j["definition"]["denominator"].get<std::string>().find("won/(won+lost)"), std::string::npos);
  EXPECT_EQ(j["lost_from"].size(), 3u);
  EXPECT_EQ(j["lost_from"][1]["stage"], "QUAL");
  EXPECT_EQ(j["lost_from"][1]["reasons"][0]["reason"], "Дорого");
  EXPECT_FALSE(j.contains("groups"));
}

TEST(CliFunnel, EachCountingRule) {
  EXPECT_EQ(reached(run_json(kCohort + " --mode touched")), (std::vector<std::uint64_t>{8, 4, 6, 3}));
  EXPECT_EQ(reached(run_json(kCohort + " --mode strict")), (std::vector<std::uint64_t>{8, 4, 4, 2}));
  const json snap = run_json(kCohort + " --mode snapshot");
  EXPECT_EQ(reached(snap), (std::vector<std::uint64_t>{1, 0, 1, 0}));
  EXPECT_TRUE(snap["stages"][1]["cumulative_conversion"].is_null());
  const json as_of = run_json(kCohort + " --as-of 2024-01-28");
  EXPECT_EQ(reached(as_of), (std::vector<std::uint64_t>{4, 4, 3, 2}));
  EXPECT_EQ(as_of["definition"]["as_of"], "2024-01-28T00:00:00Z");
  const json closed = run_json(" --basis closed --from 2024-01-01 --to 2024-02-01");
  EXPECT_EQ(closed["deals"], 4);
  EXPECT_EQ(closed["won"], 3);
  EXPECT_EQ(closed["definition"]["basis"], "closed");
  EXPECT_TRUE(closed["won_of_created"].is_null());  // deals = won + lost on this basis
  EXPECT_TRUE(closed["won_of_created_denominator"].is_null());
  EXPECT_EQ(closed["win_rate_by_amount"][0]["numerator"], "1100.00");
  EXPECT_EQ(closed["win_rate_by_amount"][0]["denominator"], "1400.00");
  EXPECT_TRUE(snap["stages"][1]["step_conversion_numerator"].is_null());
}

TEST(CliFunnel, ByManager) {
  const json j = run_json(kCohort + " --by manager");
  ASSERT_EQ(j["groups"].size(), 4u);
  EXPECT_EQ(j["groups"][0]["key"], "Иванов");
  EXPECT_EQ(reached(j["groups"][0]), (std::vector<std::uint64_t>{3, 2, 2, 2}));
  EXPECT_EQ(j["groups"][0]["won"], 2);
  EXPECT_EQ(j["groups"][0]["lost"], 1);
  EXPECT_EQ(j["groups"][1]["key"], "Петрова");
  EXPECT_EQ(reached(j["groups"][1]), (std::vector<std::uint64_t>{2, 2, 2, 1}));
  EXPECT_EQ(j["groups"][2]["key"], "Сидоров");
  EXPECT_EQ(reached(j["groups"][2]), (std::vector<std::uint64_t>{2, 1, 1, 0}));
  EXPECT_TRUE(j["groups"][2]["win_rate"].is_null());
  EXPECT_TRUE(j["groups"][3]["key"].is_null());
  EXPECT_EQ(reached(j["groups"][3]), (std::vector<std::uint64_t>{1, 1, 1, 1}));
  EXPECT_EQ(j["definition"]["group_by"], "manager");
  for (const auto& g : j["groups"]) {
    for (const char* field : {"deals", "won", "lost", "open", "win_rate", "stages", "lost_from", "won_amount"}) {
      EXPECT_TRUE(g.contains(field)) << field;
    }
  }
}

TEST(CliFunnel, TableAlignsCyrillicAndEndsWithTheDefinition) {
  auto r = run_cli("funnel" + kFunnelInputs + kCohort + " --by manager");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(r.out);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  // The stage table: header, rule, four rows of equal display width.
  std::size_t header = 0;
  while (header < lines.size() && lines[header].rfind("stage", 0) != 0) ++header;
  ASSERT_LT(header + 5, lines.size());
  const std::size_t width = dealflow::display_width(lines[header]);
  for (std::size_t i = header + 1; i <= header + 5; ++i) EXPECT_EQ(dealflow::display_width(lines[i]), width) << lines[i];
  EXPECT_NE(lines[header + 3].find("Квалификация"), std::string::npos);
  EXPECT_NE(r.out.find("Петрова"), std::string::npos);
  EXPECT_EQ(lines.back().rfind("definition: rule high-water", 0), 0u) << lines.back();
  EXPECT_NE(lines.back().find("won/(won+lost)"), std::string::npos);
}

TEST(CliFunnel, CsvFormat) {
  auto r = run_cli("funnel" + kFunnelInputs + kCohort + " --mode touched --by manager --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(r.out);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line.rfind("rule,basis,from,to,as_of,group_by,group,stage,name,reached,step_conversion", 0), 0u) << line;
  EXPECT_NE(line.find(",win_rate_high,win_rate_by_amount,won_of_created,won_amount,lost_amount"), std::string::npos)
      << line;
  int rows = 0;
  std::string offer_total;
  const std::string definition =
      "touched,created,2024-01-01T00:00:00Z,2024-03-01T00:00:00Z,2024-03-07T10:00:00Z,manager,";
  while (std::getline(in, line)) {
    ++rows;
    EXPECT_EQ(line.rfind(definition, 0), 0u) << line;
    if (line.rfind(definition + ",OFFER,", 0) == 0) offer_total = line;
  }
  EXPECT_EQ(rows, 4 * 5);  // total + four groups, four stages each
  EXPECT_NE(offer_total.find(",6,1.500000,,,"), std::string::npos) << offer_total;
  // win rate 0.5, by amount 700/2500, won of created 3/8.
  EXPECT_NE(offer_total.find(",0.500000,0.187616,0.812384,RUB:0.280000,0.375000,700.00 RUB,1800.00 RUB"),
            std::string::npos)
      << offer_total;
}

TEST(CliFunnel, MalformedCsvExitsWithLocation) {
  const std::string pipeline = " --pipeline tests/analytics/fixtures/funnel_pipeline.json";
  const std::string history = " --history tests/analytics/fixtures/funnel_history.csv";
  const std::string no_created = write_temp("no_created.csv", "id,amount\nD1,1\n");
  auto r = run_cli("funnel" + pipeline + " --deals " + no_created + history);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(no_created + ":1:1: missing required column 'created_at'"), std::string::npos) << r.err;

  const std::string bad_time = write_temp("bad_time.csv", "id,created_at\nD1,2024-01-05\nD2,05.01.2024\n");
  r = run_cli("funnel" + pipeline + " --deals " + bad_time + history);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad_time + ":3:4: column 'created_at': invalid timestamp '05.01.2024'"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("expected ISO 8601"), std::string::npos) << r.err;

  const std::string deals = " --deals tests/analytics/fixtures/funnel_deals.csv";
  const std::string bad_stage = write_temp("bad_stage.csv", "deal_id,at,stage\nD1,2024-01-05T10:00:00Z,WON\n"
                                                             "D2,2024-01-10T10:00:00Z,ПОДПИСАН\n");
  r = run_cli("funnel" + pipeline + deals + " --history " + bad_stage);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(bad_stage + ":3:25: column 'stage': unknown stage 'ПОДПИСАН' in pipeline 'sales': expected one of NEW"),
            std::string::npos)
      << r.err;
}

TEST(CliFunnel, LenientSkipsAndReports) {
  const std::string bad_stage = write_temp("lenient_history.csv",
                                           "deal_id,at,stage\nD1,2024-01-05T10:00:00Z,NEW\n"
                                           "D1,2024-01-06T10:00:00Z,PAYED\nD2,2024-01-10T10:00:00Z,NEW\nX,2024-01-10,NEW\n");
  auto r = run_cli("funnel --pipeline tests/analytics/fixtures/funnel_pipeline.json --deals "
                   "tests/analytics/fixtures/funnel_deals.csv --history " + bad_stage + " --lenient --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: skipped 2 bad row(s)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("unknown_stage: 1 row skipped (values: PAYED)"), std::string::npos) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["load_report"]["skipped"]["unknown_stage"]["count"], 1);
  EXPECT_EQ(j["load_report"]["skipped"]["unknown_deal"]["values"][0], "X");
  EXPECT_EQ(j["load_report"]["events_loaded"], 2);
  EXPECT_EQ(j["without_history"], 8);
}

TEST(CliFunnel, UsageErrors) {
  EXPECT_EQ(run_cli("funnel --pipeline x.json --deals d.csv").exit_code, 2);
  EXPECT_EQ(run_cli("funnel" + kFunnelInputs + " --mode furthest").exit_code, 2);
  EXPECT_EQ(run_cli("funnel" + kFunnelInputs + " --format xml").exit_code, 2);
  EXPECT_EQ(run_cli("funnel" + kFunnelInputs + " --from yesterday").exit_code, 2);
  auto r = run_cli("funnel" + kFunnelInputs + " --by colour");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown dimension 'colour'"), std::string::npos) << r.err;
  EXPECT_EQ(run_cli("funnel" + kFunnelInputs + " --from 2024-03-01 --to 2024-01-01").exit_code, 2);
  auto help = run_cli("funnel --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("high-water"), std::string::npos);
}

}  // namespace
