// `dealflow snapshot` and `--snapshot` on every report command: the same
// output as from the CSV files; `dealflow import --snapshot`; usage and data
// errors (docs/snapshot.md).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "cli/cli_runner.h"

namespace {

using dealflow::testing::run_cli;
using dealflow::testing::slurp;
using dealflow::testing::write_temp;

// Per process: ctest runs the tests of this file in parallel processes, each
// making its own sample and snapshot.
const std::string kSnapshotDir =
    std::string(DEALFLOW_TEST_TMP) + "/snapshot_cli_" + std::to_string(::getpid());
const std::string kSnapshotPipeline = "--pipeline data/pipelines/bitrix24_default.json";

// A sample (with field changes) and its snapshot, made once.
const std::string& snapshot_sample_dir() {
  static const std::string dir = [] {
    const std::string d = kSnapshotDir + "/sample";
    auto r = run_cli("sample --deals 300 --seed 7 --out '" + d + "'");
    if (r.exit_code != 0) throw std::runtime_error(r.err);
    return d;
  }();
  return dir;
}

std::string csv_inputs() {
  const std::string& d = snapshot_sample_dir();
  return kSnapshotPipeline + " --deals '" + d + "/deals.csv' --history '" + d +
         "/history.csv' --field-changes '" + d + "/field_changes.csv'";
}

const std::string& snapshot_path() {
  static const std::string path = [] {
    const std::string p = kSnapshotDir + "/sample.dflog";
    auto r = run_cli("snapshot " + csv_inputs() + " --out '" + p + "'");
    if (r.exit_code != 0) throw std::runtime_error(r.err);
    return p;
  }();
  return path;
}

TEST(CliSnapshot, WritesTheFileAndSaysWhatItHolds) {
  const std::string p = kSnapshotDir + "/summary.dflog";
  auto r = run_cli("snapshot " + csv_inputs() + " --out '" + p + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("wrote " + p + ": 300 deals, ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find(" field changes, 1 pipeline, "), std::string::npos) << r.out;
  EXPECT_EQ(slurp(p).substr(0, 5), "DFLOG");
  EXPECT_EQ(r.err, "");
}

TEST(CliSnapshot, EveryReportPrintsTheSameFromTheSnapshot) {
  const std::string snap = kSnapshotPipeline + " --snapshot '" + snapshot_path() + "'";
  const std::vector<std::string> reports = {
      "funnel",
      "funnel --mode touched --by manager --format csv",
      "funnel --mode strict --by region --format json",
      "funnel --mode snapshot --as-of 2024-07-01 --by client",
      "funnel --basis closed --from 2024-03-01 --to 2024-09-01 --format json --lenient",
      "durations --by manager",
      "durations --format json",
      "scorecard --from 2024-04-01 --to 2024-07-01",
      "scorecard --from 2024-04-01 --to 2024-07-01 --format csv",
      "pipeline-changes --from 2024-02-01 --to 2024-06-01 --by manager",
      "pipeline-changes --format json",
      "movement --from 2024-04-01 --to 2024-07-01 --format json",
  };
  for (const std::string& report : reports) {
    const auto from_csv = run_cli(report + " " + csv_inputs());
    const auto from_snapshot = run_cli(report + " " + snap);
    ASSERT_EQ(from_csv.exit_code, 0) << report << ": " << from_csv.err;
    EXPECT_EQ(from_snapshot.exit_code, 0) << report << ": " << from_snapshot.err;
    EXPECT_EQ(from_snapshot.out, from_csv.out) << report;
    EXPECT_EQ(from_snapshot.err, from_csv.err) << report;
    EXPECT_GT(from_csv.out.size(), 100u) << report;
  }
}

TEST(CliSnapshot, LenientLoadReportIsKeptInTheSnapshot) {
  const std::string& d = snapshot_sample_dir();
  // Two bad rows appended to the history: the reports print the same warning from the snapshot.
  const std::string history = write_temp("snap_history.csv", slurp(d + "/history.csv") +
                                                                 "999999,2024-01-01T00:00:00Z,NEW,,\n"
                                                                 "1,not-a-date,NEW,,\n");
  const std::string inputs = kSnapshotPipeline + " --deals '" + d + "/deals.csv' --history '" + history + "'";
  const std::string p = kSnapshotDir + "/lenient.dflog";
  ASSERT_EQ(run_cli("snapshot " + inputs + " --lenient --out '" + p + "'").exit_code, 0);
  const auto from_csv = run_cli("funnel --format json --lenient " + inputs);
  const auto from_snapshot =
      run_cli("funnel --format json --lenient " + kSnapshotPipeline + " --snapshot '" + p + "'");
  ASSERT_EQ(from_csv.exit_code, 0) << from_csv.err;
  EXPECT_EQ(from_snapshot.out, from_csv.out);
  EXPECT_EQ(from_snapshot.err, from_csv.err);
  EXPECT_NE(from_csv.err.find("warning: skipped 2 bad row(s)"), std::string::npos) << from_csv.err;
  EXPECT_NE(from_csv.out.find("\"load_report\""), std::string::npos);
}

TEST(CliSnapshot, ImportWritesASnapshotBesideTheCanonicalFiles) {
  const std::string out = kSnapshotDir + "/sf";
  const std::string p = kSnapshotDir + "/sf.dflog";
  auto r = run_cli(
      "import --from salesforce --out '" + out + "' --snapshot '" + p +
      "' tests/import/fixtures/salesforce/Opportunity.csv "
      "tests/import/fixtures/salesforce/OpportunityHistory.csv "
      "tests/import/fixtures/salesforce/OpportunityFieldHistory.csv "
      "tests/import/fixtures/salesforce/OpportunityStage.csv tests/import/fixtures/salesforce/User.csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("wrote snapshot " + p + " (read it with --snapshot " + p + " --pipeline " + out +
                       "/pipelines)"),
            std::string::npos)
      << r.out;
  const std::string pipelines = " --pipeline '" + out + "/pipelines'";
  const auto from_csv =
      run_cli("funnel --by manager" + pipelines + " --deals '" + out + "/deals.csv' --history '" + out +
              "/history.csv' --field-changes '" + out + "/field_changes.csv'");
  const auto from_snapshot = run_cli("funnel --by manager" + pipelines + " --snapshot '" + p + "'");
  ASSERT_EQ(from_csv.exit_code, 0) << from_csv.err;
  EXPECT_EQ(from_snapshot.out, from_csv.out);
  EXPECT_EQ(from_snapshot.err, from_csv.err);
}

TEST(CliSnapshot, UsageErrors) {
  const std::string snap = " --snapshot '" + snapshot_path() + "'";
  auto r = run_cli("funnel " + csv_inputs() + snap);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.err,
      "error: --deals: not used with --snapshot (the snapshot holds the loaded data; give it to `dealflow "
      "snapshot` when writing one)\n");
  r = run_cli("durations " + kSnapshotPipeline + snap + " --check-policy");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.err,
      "error: --check-policy: not used with --snapshot (give it to `dealflow snapshot` when writing one)\n");
  r = run_cli("funnel " + kSnapshotPipeline);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--deals"), std::string::npos) << r.err;
  r = run_cli("snapshot " + csv_inputs());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
}

TEST(CliSnapshot, DataErrors) {
  auto r = run_cli("funnel " + kSnapshotPipeline + " --snapshot '" + kSnapshotDir + "/none.dflog'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "error: " + kSnapshotDir + "/none.dflog: cannot open the snapshot: No such file or directory\n");
  std::string bytes = slurp(snapshot_path());
  const std::string truncated = write_temp("trunc.dflog", bytes.substr(0, 4096));
  r = run_cli("scorecard --from 2024-01-01 --to 2024-02-01 " + kSnapshotPipeline + " --snapshot '" +
              truncated + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "error: " + truncated + ": truncated: the header says " + std::to_string(bytes.size()) +
                       " bytes but the file has 4096\n");
  bytes[bytes.size() - 3] ^= 4;
  const std::string flipped = write_temp("flip.dflog", bytes);
  r = run_cli("funnel " + kSnapshotPipeline + " --snapshot '" + flipped + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("error: " + flipped + ": checksum mismatch in section '", 0), 0u) << r.err;
  // Another pipeline config than the one the snapshot was written with.
  r = run_cli("funnel --pipeline tests/analytics/fixtures/funnel_pipeline.json --snapshot '" +
              snapshot_path() + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("error: " + snapshot_path() +
                            ": pipeline 'sales' (tests/analytics/fixtures/funnel_pipeline.json) "
                            "is not in the snapshot, which was written with the pipelines bitrix24_default",
                        0),
            0u)
      << r.err;
}

}  // namespace
