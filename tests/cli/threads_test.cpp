// `--threads N` on the report commands: the CSV files are parsed by N threads,
// and every report is the same for every N (issue 9); a bad N is a usage error.
#include <gtest/gtest.h>

#include <unistd.h>

#include <string>

#include "cli/cli_runner.h"

namespace {

using dealflow::testing::run_cli;

// A 40 000-deal sample (9 MB of deals, 12 MB of history: 2-3 chunks of at
// least 4 MB per file with --threads 4 or more).
const std::string& threads_sample_dir() {
  static const std::string dir = [] {
    // Per process: ctest runs the tests of this file in parallel processes.
    const std::string d = std::string(DEALFLOW_TEST_TMP) + "/threads_sample_" + std::to_string(::getpid());
    auto r = run_cli("sample --deals 40000 --seed 11 --out " + d);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return d;
  }();
  return dir;
}

std::string threads_inputs() {
  return " --pipeline " + std::string(DEALFLOW_SOURCE_DIR) +
         "/data/pipelines/bitrix24_default.json --deals " + threads_sample_dir() + "/deals.csv --history " +
         threads_sample_dir() + "/history.csv";
}

TEST(CliThreads, EveryReportIsTheSameForEveryThreadCount) {
  for (const std::string report :
       {"funnel --by manager", "funnel --by client --format csv", "durations --format json",
        "scorecard --from 2024-10-01 --to 2025-01-01"}) {
    const auto one = run_cli(report + threads_inputs() + " --threads 1");
    ASSERT_EQ(one.exit_code, 0) << report << ": " << one.err;
    for (const char* n : {"0", "2", "4", "16"}) {
      const auto many = run_cli(report + threads_inputs() + " --threads " + n);
      ASSERT_EQ(many.exit_code, 0) << report << ": " << many.err;
      EXPECT_EQ(many.out, one.out) << report << " --threads " << n;
      EXPECT_EQ(many.err, one.err) << report << " --threads " << n;
    }
  }
}

TEST(CliThreads, ABadThreadCountIsAUsageError) {
  for (const char* bad : {"257", "two", "-1", "2x"}) {
    const auto r = run_cli("funnel" + threads_inputs() + " --threads " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("--threads '" + std::string(bad) + "': expected an integer 0..256"),
              std::string::npos)
        << r.err;
  }
}

}  // namespace
