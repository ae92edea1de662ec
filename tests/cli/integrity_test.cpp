// Input integrity through the CLI (issue 8 §4): every reproducer in
// tests/integrity/ exits 1 with a located message, in every output format;
// exit code 3 ("internal error") never happens on bad input.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_runner.h"
#include "support/sanitized.h"

namespace dealflow {
namespace {

using testing::run_cli;

const std::string kI = "tests/integrity/";
const std::string kIntegrityPipeline = " --pipeline data/pipelines/bitrix24_default.json";
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
  for (const std::string& args : {"funnel" + kIntegrityPipeline + " --deals " + kI +
                                      "valid_deals.csv --history " + kI + "valid_history.csv",
                                  "durations" + kIntegrityPipeline + " --deals " + kI +
                                      "valid_deals.csv --history " + kI + "valid_history.csv",
                                  "route" + kRouting + " --leads data/routing/leads.csv --format json"}) {
    const auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  }
}

TEST(IntegrityCli, JsonNumberOutsideADoubleInEveryKindOfFile) {
  const std::string range = " is out of range: expected a number a double can hold";
  const std::string csvs = " --deals " + kI + "valid_deals.csv --history " + kI + "valid_history.csv";
  const std::string state =
      testing::write_temp("integrity_state_1e400.json", testing::slurp(std::string(DEALFLOW_SOURCE_DIR) + "/" + kI + "state_1e400.json"));
  const Case cases[] = {
      {"validate " + kI + "pipeline_1e400.json", kI + "pipeline_1e400.json:9:73: number 1e400" + range},
      {"funnel --pipeline " + kI + "pipeline_1e400.json" + csvs,
       kI + "pipeline_1e400.json:9:73: number 1e400" + range},
      {"route --team " + kI +
           "team_1e400.json --rules data/routing/rules.json --leads data/routing/leads.csv",
       kI + "team_1e400.json:43:37: number 1e400" + range},
      {"lint --team data/routing/team.json --rules " + kI + "rules_1e400.json",
       kI + "rules_1e400.json:8:79: number -1e400" + range},
      // A copy in the temporary folder: `--state` takes a lock file beside the state file.
      {"route" + kRouting + " --leads data/routing/leads.csv --state " + state,
       state + ":3:44: number 1e400" + range},
      {"durations" + kIntegrityPipeline + csvs + " --calendar " + kI + "calendar_1e400.json",
       kI + "calendar_1e400.json:3:17: number 1E+400" + range},
      {"advise --volumes " + kI + "volumes_1e400.json", kI + "volumes_1e400.json:8:15: number 1e400" + range},
  };
  for (const Case& c : cases) expect_located_failure(c);
}

TEST(IntegrityCli, DealsAndHistoryThatAreNotUtf8) {
  auto funnel = [](const std::string& deals, const std::string& history) {
    return "funnel" + kIntegrityPipeline + " --deals " + kI + deals + " --history " + kI + history;
  };
  auto durations = [](const std::string& deals, const std::string& history) {
    return "durations" + kIntegrityPipeline + " --deals " + kI + deals + " --history " + kI + history +
           " --lenient";
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

// ---------------------------------------------------------------------------
// The limits of docs/limits.md through the CLI: exit 1 with a located message,
// fast, and with heap memory bounded whatever the size of the bad input.

// Runs `dealflow <args>` with the data segment (heap: brk and private writable
// mappings; not the read-only mapping of an input file) limited to `data_kib`.
// Under AddressSanitizer / ThreadSanitizer the tool reserves its shadow memory (hundreds of MB of
// address space, counted by `ulimit -d`) before main: the heap limit cannot apply there, so the
// sanitized run checks the located error only and the Release run also checks the memory bound.
using testing::kSanitized;

testing::CliResult run_cli_with_heap_limit(const std::string& args, long data_kib) {
  const std::string base = std::string(DEALFLOW_TEST_TMP) + "/limits_" + std::to_string(::getpid());
  const std::string limit = kSanitized ? std::string() : "ulimit -d " + std::to_string(data_kib) + " && ";
  const std::string command = limit + "cd '" DEALFLOW_SOURCE_DIR "' && '" + std::string(DEALFLOW_CLI) + "' " +
                              args + " >'" + base + ".out' 2>'" + base + ".err'";
  const int status = std::system(command.c_str());
  testing::CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = testing::slurp(base + ".out");
  r.err = testing::slurp(base + ".err");
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  return r;
}

// Writes `head`, `fill` bytes of 'x', then `tail` to a file of the test's
// per-pid temporary folder; returns its path.
std::string write_big_file(const std::string& name, const std::string& head, std::size_t fill,
                           const std::string& tail) {
  const std::string path = std::string(DEALFLOW_TEST_TMP) + "/" + std::to_string(::getpid()) + "_" + name;
  std::ofstream out(path, std::ios::binary);
  out << head;
  const std::string chunk(std::size_t{1} << 20, 'x');
  for (std::size_t left = fill; left > 0;) {
    const std::size_t n = std::min(left, chunk.size());
    out.write(chunk.data(), static_cast<std::streamsize>(n));
    left -= n;
  }
  out << tail;
  return path;
}

constexpr std::size_t k200MB = 200u * 1000u * 1000u;
constexpr long kHeapKib = 96 * 1024;  // far below the 200 MB of the field

TEST(IntegrityCli, A200MbCsvFieldFailsFastWithBoundedMemory) {
  struct BigCase {
    std::string name, head, tail, args_before, args_after, where;
  };
  const BigCase cases[] = {
      // The analytics loader (mapped file, SIMD scanner): an unquoted manager name.
      {"deals_200mb.csv", "id,created_at,amount,currency,manager\n1,2024-01-02T09:00:00Z,1.00,RUB,", "\n",
       "funnel" + kIntegrityPipeline + " --deals ", " --history " + kI + "valid_history.csv", ":2:33"},
      // The leads reader (io::CsvReader): a quoted client name that never ends.
      {"leads_200mb.csv",
       "id,created_at,region,product,tier,channel,business,sale_type,amount,client_size,client\n"
       "L01,2024-03-04T10:00:00+03:00,Москва,CRM,SMB,inbound,new,transactional,1,1,\"",
       "\"\n", "route" + kRouting + " --leads ", "", ":2:76"},
  };
  for (const BigCase& c : cases) {
    const std::string path = write_big_file(c.name, c.head, k200MB, c.tail);
    const auto r = run_cli_with_heap_limit(c.args_before + path + c.args_after, kHeapKib);
    std::remove(path.c_str());
    EXPECT_EQ(r.exit_code, 1) << c.name << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("error: " + path + c.where + ": field is longer than 1048576 bytes (1 MiB)", 0), 0u)
        << r.err;
    EXPECT_EQ(r.out, "");
  }
}

TEST(IntegrityCli, DeepJsonAndTooManyRulesAreLocated) {
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  const std::string path = testing::write_temp("deep.json", deep);
  const Case cases[] = {
      {"validate " + path, path + ":1:513: JSON nests deeper than 512 levels of arrays and objects"},
      {"route --team " + path + " --rules data/routing/rules.json --leads data/routing/leads.csv",
       path + ":1:513: JSON nests deeper than 512 levels"},
      {"lint --team data/routing/team.json --rules " + path,
       path + ":1:513: JSON nests deeper than 512 levels"},
  };
  for (const Case& c : cases) expect_located_failure(c);
  std::remove(path.c_str());

  std::string rules = R"({"rules": [)";
  for (int i = 0; i <= 100000; ++i) {
    rules += (i ? "," : "") + std::string(R"({"id": "r)") + std::to_string(i) +
             R"(", "target": {"team": "smb-inbound", "strategy": "round_robin"}})";
  }
  rules += "]}";
  const std::string rules_path = testing::write_temp("rules_100001.json", rules);
  expect_located_failure(
      {"lint --team data/routing/team.json --rules " + rules_path,
       rules_path + ": at /rules: too many rules: more than 100000, expected at most 100000"});
  std::remove(rules_path.c_str());
}

}  // namespace
}  // namespace dealflow
