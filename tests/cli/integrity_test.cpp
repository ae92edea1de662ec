// Input integrity through the CLI (issue 8 §4): every reproducer in
// tests/integrity/ exits 1 with a located message, in every output format;
// exit code 3 ("internal error") never happens on bad input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace dealflow {
namespace {

using testing::run_cli;

const std::string kI = "tests/integrity/";
const std::string kPipeline = " --pipeline data/pipelines/bitrix24_default.json";
const std::string kRouting = " --team data/routing/team.json --rules data/routing/rules.json";

struct Case {
  std::string args;
  std::string error;  // the start of stderr: "error: file:line:column: message"
};

void expect_located_failure(const Case& c) {
  for (const char* format : {"", " --format json"}) {
    const std::string args = c.args + format;
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 1) << args << "\n" << r.err;
    if (c.args.rfind("validate ", 0) == 0 && *format) {
      // `validate --format json` reports every file's errors as JSON on stdout.
      const auto json = nlohmann::json::parse(r.out);
      const auto& e = json.at("files").at(0).at("errors").at(0);
      const std::string located =
          e.at("file").get<std::string>() + ":" + std::to_string(e.at("line").get<int>()) + ":" +
          std::to_string(e.at("column").get<int>()) + ": " + e.at("message").get<std::string>();
      EXPECT_EQ(located.rfind(c.error, 0), 0u) << located;
      EXPECT_FALSE(json.at("valid").get<bool>());
      continue;
    }
    EXPECT_EQ(r.err.rfind("error: " + c.error, 0), 0u) << args << "\n" << r.err;
    EXPECT_EQ(r.err.find("internal"), std::string::npos) << args << "\n" << r.err;
    EXPECT_EQ(r.out, "") << args;  // nothing is printed before the input is known good
  }
}

TEST(IntegrityCli, ControlsSucceed) {
  for (const std::string& args :
       {"funnel" + kPipeline + " --deals " + kI + "valid_deals.csv --history " + kI + "valid_history.csv",
        "durations" + kPipeline + " --deals " + kI + "valid_deals.csv --history " + kI + "valid_history.csv",
        "route" + kRouting + " --leads data/routing/leads.csv --format json"}) {
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  }
}

TEST(IntegrityCli, JsonNumberOutsideADoubleInEveryKindOfFile) {
  const std::string range = " is out of range: expected a number a double can hold";
  const std::string csvs = " --deals " + kI + "valid_deals.csv --history " + kI + "valid_history.csv";
  const Case cases[] = {
      {"validate " + kI + "pipeline_1e400.json", kI + "pipeline_1e400.json:9:73: number 1e400" + range},
      {"funnel --pipeline " + kI + "pipeline_1e400.json" + csvs,
       kI + "pipeline_1e400.json:9:73: number 1e400" + range},
      {"route --team " + kI +
           "team_1e400.json --rules data/routing/rules.json --leads data/routing/leads.csv",
       kI + "team_1e400.json:43:37: number 1e400" + range},
      {"lint --team data/routing/team.json --rules " + kI + "rules_1e400.json",
       kI + "rules_1e400.json:8:79: number -1e400" + range},
      {"route" + kRouting + " --leads data/routing/leads.csv --state " + kI + "state_1e400.json",
       kI + "state_1e400.json:3:44: number 1e400" + range},
      {"durations" + kPipeline + csvs + " --calendar " + kI + "calendar_1e400.json",
       kI + "calendar_1e400.json:3:17: number 1E+400" + range},
      {"advise --volumes " + kI + "volumes_1e400.json", kI + "volumes_1e400.json:8:15: number 1e400" + range},
  };
  for (const Case& c : cases) expect_located_failure(c);
}

TEST(IntegrityCli, DealsAndHistoryThatAreNotUtf8) {
  auto funnel = [](const std::string& deals, const std::string& history) {
    return "funnel" + kPipeline + " --deals " + kI + deals + " --history " + kI + history;
  };
  auto durations = [](const std::string& deals, const std::string& history) {
    return "durations" + kPipeline + " --deals " + kI + deals + " --history " + kI + history + " --lenient";
  };
  const Case cases[] = {
      {funnel("deals_invalid_utf8.csv", "valid_history.csv"),
       kI + "deals_invalid_utf8.csv:3:2: invalid UTF-8 byte 0xFF at byte offset 102"},
      {funnel("deals_windows1252_manager.csv", "valid_history.csv"),
       kI + "deals_windows1252_manager.csv:2:39: invalid UTF-8 byte 0xE9 at byte offset 76"},
      {funnel("deals_nul_byte.csv", "valid_history.csv"),
       kI + "deals_nul_byte.csv:3:40: NUL byte (0x00) at byte offset 144"},
      {durations("deals_cr_only.csv", "valid_history.csv"),
       kI + "deals_cr_only.csv:1:38: line ends with a CR not followed by LF at byte offset 37"},
      {durations("deals_utf16le.csv", "valid_history.csv"),
       kI + "deals_utf16le.csv:1:1: invalid UTF-8 byte 0xFF at byte offset 0"},
      {funnel("valid_deals.csv", "history_windows1251_actor.csv"),
       kI + "history_windows1251_actor.csv:4:28: invalid UTF-8 byte 0xCA at byte offset 168"},
      {durations("valid_deals.csv", "history_truncated_utf8.csv"),
       kI + "history_truncated_utf8.csv:5:46: invalid UTF-8 byte 0xD0 at byte offset 254"},
      {funnel("valid_deals.csv", "history_surrogate.csv"),
       kI + "history_surrogate.csv:3:36: invalid UTF-8 byte 0xED at byte offset 113"},
  };
  for (const Case& c : cases) expect_located_failure(c);
}

TEST(IntegrityCli, LeadsAndOwnersThatAreNotUtf8) {
  const std::string route = "route" + kRouting;
  const Case cases[] = {
      {route + " --leads " + kI + "leads_windows1251_region.csv",
       kI + "leads_windows1251_region.csv:4:31: invalid UTF-8 byte 0xD1 at byte offset 291"},
      {route + " --leads " + kI + "leads_overlong.csv --skip-bad-rows",
       kI + "leads_overlong.csv:3:2: invalid UTF-8 byte 0xC0 at byte offset 176"},
      {route + " --leads " + kI + "leads_cr_only.csv",
       kI + "leads_cr_only.csv:1:87: line ends with a CR not followed by LF at byte offset 86"},
      {route + " --leads " + kI + "leads_utf16le.csv",
       kI + "leads_utf16le.csv:1:1: invalid UTF-8 byte 0xFF at byte offset 0"},
      {route + " --leads data/routing/leads.csv --owners " + kI + "owners_invalid_utf8.csv",
       kI + "owners_invalid_utf8.csv:3:1: invalid UTF-8 byte 0xC0 at byte offset 50"},
  };
  for (const Case& c : cases) expect_located_failure(c);
}

}  // namespace
}  // namespace dealflow
