// `dealflow sample`: options, output files, determinism and usage errors.
#include <gtest/gtest.h>

#include <string>

#include "cli/cli_runner.h"

namespace dealflow::testing {
namespace {

const std::string kSampleTmp = DEALFLOW_TEST_TMP;

TEST(CliSample, RegeneratesTheShippedSampleByteForByte) {
  const std::string dir = kSampleTmp + "/sample_shipped";
  auto r = run_cli("sample --deals 2000 --seed 42 --out '" + dir + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2000 deals"), std::string::npos) << r.out;
  EXPECT_TRUE(slurp(dir + "/deals.csv") ==
              slurp(std::string(DEALFLOW_SOURCE_DIR) + "/data/sample/deals.csv"));
  EXPECT_TRUE(slurp(dir + "/history.csv") ==
              slurp(std::string(DEALFLOW_SOURCE_DIR) + "/data/sample/history.csv"));
}

TEST(CliSample, PeriodAndPipelineOptions) {
  const std::string dir = kSampleTmp + "/sample_options";
  auto r = run_cli("sample --deals 30 --seed 5 --from 2023-04-01 --months 2 --pipeline-id sales --out '" +
                   dir + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("period 2023-04-01 .. 2023-06-01T00:00:00Z"), std::string::npos) << r.out;
  const std::string deals = slurp(dir + "/deals.csv");
  EXPECT_NE(deals.find("\n1,2023-04-"), std::string::npos);
  EXPECT_NE(deals.find(",sales,"), std::string::npos);
  EXPECT_EQ(deals.find("2023-06-"), std::string::npos);
}

TEST(CliSample, UsageErrorsExitTwo) {
  for (const char* args : {"sample --seed 1 --out x",                        // --deals missing
                           "sample --deals 10 --out x",                      // --seed missing
                           "sample --deals 10 --seed 1",                     // --out missing
                           "sample --deals ten --seed 1 --out x",            // not a number
                           "sample --deals 0 --seed 1 --out x",              // out of range
                           "sample --deals 10 --seed 1 --out x --months 0",  // out of range
                           "sample --deals 10 --seed 1 --out x --from 2024-02-30",
                           "sample --deals 10 --seed 1 --out x --colour red"}) {
    auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find("error:"), std::string::npos) << args << ": " << r.err;
  }
  auto r = run_cli("sample --deals 0 --seed 1 --out x");
  EXPECT_NE(r.err.find("deals 0 out of range"), std::string::npos) << r.err;
  auto late = run_cli("sample --deals 10 --seed 1 --out x --from 2106-01-01 --months 2");
  EXPECT_EQ(late.exit_code, 2);
  EXPECT_NE(late.err.find("end the period at 2106-03-01: expected it to end by 2106-02-07"), std::string::npos)
      << late.err;
}

TEST(CliSample, UnwritableDirectoryExitsOne) {
  auto r = run_cli("sample --deals 10 --seed 1 --out /proc/dealflow-no");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/proc/dealflow-no"), std::string::npos) << r.err;
}

TEST(CliSample, HelpDescribesTheOptions) {
  auto r = run_cli("sample --help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* option : {"--deals", "--seed", "--out", "--from", "--months", "--pipeline-id"})
    EXPECT_NE(r.out.find(option), std::string::npos) << option;
}

}  // namespace
}  // namespace dealflow::testing
