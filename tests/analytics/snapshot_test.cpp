// Snapshot round trip: a log loaded from CSV, written and opened again, has
// the same columns, the same load report and gives byte-identical reports.
#include <gtest/gtest.h>

#include "dealflow/analytics/sample.h"
#include "snapshot_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::fixture_pipeline;
using testing::log_digest;
using testing::report_digest;
using testing::reports_digest;
using testing::RichLog;
using testing::temp_path;

Snapshot round_trip(const LoadedLog& loaded, const std::vector<const Pipeline*>& pipelines,
                    const std::string& name) {
  const std::string path = temp_path(name);
  Status st = write_snapshot(loaded, pipelines, path);
  EXPECT_TRUE(st.ok()) << st.to_string();
  auto snap = open_snapshot(path);
  EXPECT_TRUE(snap.ok()) << snap.status().to_string();
  std::remove(path.c_str());
  return std::move(*snap);
}

TEST(Snapshot, RichLogRoundTripsEveryColumnAndReport) {
  const RichLog rich;
  const EventLog& log = rich.loaded.log;
  // The hand-built log has what it claims: two pipelines, a move, four deal currencies, field changes.
  ASSERT_EQ(log.pipelines().size(), 2u);
  ASSERT_EQ(log.pipeline_moves().size(), 1u);
  ASSERT_EQ(log.currencies().size(), 5u);  // RUB, USD, KWD, JPY + EUR from a field change
  ASSERT_EQ(log.field_change_count(), 9u);
  ASSERT_EQ(rich.loaded.report.total(), 2u);  // A-6 bad timestamp, A-9 unknown deal
  ASSERT_EQ(rich.loaded.report.noted(), 1u);  // A-2 WON -> QUAL, an undeclared reopen
  ASSERT_EQ(log.dimension(StandardDimension::manager).values.at(0), "Иванов");

  const Snapshot snap = round_trip(rich.loaded, rich.pipelines, "rich.dflog");
  EXPECT_EQ(log_digest(snap.loaded.log), log_digest(log));
  EXPECT_EQ(report_digest(snap.loaded.report), report_digest(rich.loaded.report));
  EXPECT_EQ(reports_digest(snap.loaded.log, rich.pipelines), reports_digest(log, rich.pipelines));
  EXPECT_TRUE(snap.loaded.log.sealed());
  EXPECT_EQ(snap.loaded.log.find_deal("A-4"), DealId{3});
  EXPECT_EQ(snap.loaded.log.find_deal("A-6"), std::nullopt);
  ASSERT_EQ(snap.pipelines.size(), 2u);
  EXPECT_EQ(snap.pipelines[0].id, "sales");
  EXPECT_EQ(snap.pipelines[0].stage_ids.size(), 7u);
  EXPECT_EQ(snap.pipelines[1].stage_kinds[1], StageKind::won);
  EXPECT_TRUE(check_snapshot_pipelines(snap, rich.pipelines, "x.dflog").ok());
}

TEST(Snapshot, OpenedLogAcceptsAppendsLikeALoadedOne) {
  const RichLog rich;
  Snapshot snap = round_trip(rich.loaded, rich.pipelines, "append.dflog");
  EventLog& log = snap.loaded.log;
  auto d = log.add_deal("A-7", PipelineId{0}, *parse_instant("2024-02-01"));
  ASSERT_TRUE(d.ok()) << d.status().to_string();
  EXPECT_EQ(log.find_deal("A-7"), *d);
  EXPECT_EQ(log.find_deal("A-1"), DealId{0});
  log.set_dimension(*d, StandardDimension::manager, "Новиков");
  ASSERT_TRUE(log.append_event(*d, *parse_instant("2024-02-02"), StageId{1}, "Новиков").ok());
  log.seal();
  EXPECT_EQ(log.dimension_value(*d, to_dimension_id(StandardDimension::manager)), "Новиков");
  EXPECT_EQ(log.event_end(*d) - log.event_begin(*d), 1u);
}

TEST(Snapshot, SampleSeedsRoundTripWithIdenticalReports) {
  auto bitrix =
      load_pipeline_file(std::string(DEALFLOW_SOURCE_DIR) + "/data/pipelines/bitrix24_default.json");
  ASSERT_TRUE(bitrix.ok()) << bitrix.status().to_string();
  const std::vector<const Pipeline*> pipelines{&bitrix->pipeline};
  for (std::uint64_t seed : {1u, 7u, 42u}) {
    SampleOptions o;
    o.deals = 400;
    o.seed = seed;
    o.deal_field_columns = true;
    auto csv = generate_sample_csv(o);
    ASSERT_TRUE(csv.ok()) << csv.status().to_string();
    CsvLoadOptions options;
    options.default_pipeline = &bitrix->pipeline;
    auto loaded = load_deals_csv(csv->deals, "deals.csv", pipelines, options);
    ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
    ASSERT_TRUE(load_history_csv(csv->history, "history.csv", pipelines, options, *loaded).ok());
    ASSERT_TRUE(load_field_changes_csv(csv->field_changes, "field_changes.csv", options, *loaded).ok());
    ASSERT_GT(loaded->log.field_change_count(), 0u);
    const Snapshot snap = round_trip(*loaded, pipelines, "sample.dflog");
    EXPECT_EQ(log_digest(snap.loaded.log), log_digest(loaded->log)) << "seed " << seed;
    EXPECT_EQ(report_digest(snap.loaded.report), report_digest(loaded->report)) << "seed " << seed;
    EXPECT_EQ(reports_digest(snap.loaded.log, pipelines), reports_digest(loaded->log, pipelines))
        << "seed " << seed;
  }
}

TEST(Snapshot, EmptyLogRoundTrips) {
  LoadedLog empty;
  (void)empty.log.intern_pipeline("sales");
  const Snapshot snap = round_trip(empty, {&fixture_pipeline()}, "empty_log.dflog");
  EXPECT_EQ(snap.loaded.log.deal_count(), 0u);
  EXPECT_EQ(snap.loaded.log.event_count(), 0u);
  EXPECT_EQ(log_digest(snap.loaded.log), log_digest(empty.log));
  EXPECT_EQ(snap.loaded.log.find_deal("x"), std::nullopt);
}

TEST(Snapshot, WriteRefusesAnUnsealedLogAndAMissingPipeline) {
  const RichLog rich;
  Status st = write_snapshot(rich.loaded, {&fixture_pipeline()}, temp_path("missing.dflog"));
  EXPECT_EQ(st.code(), ErrorCode::invalid_argument);
  EXPECT_EQ(
      st.message(),
      "write_snapshot: the log's pipeline 'service' is not among the given pipeline configs: expected the "
      "configs it was loaded with");
  LoadedLog unsealed;
  auto d = unsealed.log.add_deal("X", unsealed.log.intern_pipeline("sales"), *parse_instant("2024-01-01"));
  ASSERT_TRUE(unsealed.log.append_event(*d, *parse_instant("2024-01-02"), StageId{0}).ok());
  st = write_snapshot(unsealed, {&fixture_pipeline()}, temp_path("unsealed.dflog"));
  EXPECT_EQ(st.message(), "write_snapshot: the log is not sealed");
  st = write_snapshot(rich.loaded, rich.pipelines, "/nonexistent-dir/x.dflog");
  EXPECT_EQ(st.code(), ErrorCode::io_error);
  EXPECT_EQ(st.to_string(), "/nonexistent-dir/x.dflog.tmp: cannot create the snapshot file");
}

TEST(Snapshot, CheckPipelinesNamesTheDifference) {
  const RichLog rich;
  const Snapshot snap = round_trip(rich.loaded, rich.pipelines, "check.dflog");
  Status st = check_snapshot_pipelines(snap, {&fixture_pipeline()}, "d.dflog");
  EXPECT_EQ(st.code(), ErrorCode::validation_failed);
  EXPECT_EQ(
      st.to_string(),
      "d.dflog: the snapshot's pipeline 'service' is not among the --pipeline configs: expected the configs "
      "the snapshot was written with");
  const LoadedPipeline other = testing::small_pipeline("other");
  st = check_snapshot_pipelines(snap, {&fixture_pipeline(), &rich.service.pipeline, &other.pipeline},
                                "d.dflog");
  EXPECT_EQ(
      st.to_string(),
      "d.dflog: pipeline 'other' (<memory>) is not in the snapshot, which was written with the pipelines "
      "sales, service: expected the configs the snapshot was written with");
  // A config with the same id but other stages: stage ids would mean other stages.
  const LoadedPipeline fake_sales = testing::small_pipeline("sales");
  st = check_snapshot_pipelines(snap, {&fake_sales.pipeline, &rich.service.pipeline}, "d.dflog");
  EXPECT_EQ(st.to_string(),
            "d.dflog: pipeline 'sales' differs from the one the snapshot was written with: stage 0 is OPEN "
            "(open) in "
            "<memory> but NEW (open) in the snapshot");
}

}  // namespace
}  // namespace dealflow::analytics
