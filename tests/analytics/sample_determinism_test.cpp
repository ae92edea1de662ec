// The sample generator gives the same bytes for the same options, and the
// shipped data set in data/sample/ is exactly what the tool generates.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/sample.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::analytics {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(SampleDeterminism, ShippedSampleRegeneratesByteForByte) {
  SampleOptions options;  // the defaults are the shipped set: 2,000 deals, seed 42, 2024
  auto csv = generate_sample_csv(options);
  ASSERT_TRUE(csv) << csv.status().to_string();
  const std::string deals = slurp(DEALFLOW_SOURCE_DIR "/data/sample/deals.csv");
  const std::string history = slurp(DEALFLOW_SOURCE_DIR "/data/sample/history.csv");
  ASSERT_FALSE(deals.empty());
  EXPECT_TRUE(csv->deals == deals)
      << "data/sample/deals.csv differs from `dealflow sample --deals 2000 --seed 42`";
  EXPECT_TRUE(csv->history == history) << "data/sample/history.csv differs from the generator's output";
  EXPECT_EQ(csv->summary.deals_bytes, deals.size());
  EXPECT_EQ(csv->summary.history_bytes, history.size());
}

TEST(SampleDeterminism, SameSeedSameBytesOtherSeedOtherBytes) {
  SampleOptions options;
  options.deals = 500;
  options.seed = 7;
  options.months = 3;
  auto a = generate_sample_csv(options);
  auto b = generate_sample_csv(options);
  options.seed = 8;
  auto c = generate_sample_csv(options);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->deals, b->deals);
  EXPECT_EQ(a->history, b->history);
  EXPECT_NE(a->deals, c->deals);
  EXPECT_NE(a->history, c->history);
}

TEST(SampleDeterminism, ChunkedStreamEqualsInMemoryText) {
  SampleOptions options;
  options.deals = 6000;  // ~1.8 MB of history: it arrives in several chunks
  std::string deals, history;
  int chunks = 0;
  auto summary = generate_sample(
      options,
      [&](std::string_view c) {
        deals.append(c);
        return Status();
      },
      [&](std::string_view c) {
        ++chunks;
        history.append(c);
        return Status();
      });
  ASSERT_TRUE(summary);
  EXPECT_GT(chunks, 1);
  auto whole = generate_sample_csv(options);
  ASSERT_TRUE(whole);
  EXPECT_EQ(deals, whole->deals);
  EXPECT_EQ(history, whole->history);
}

TEST(SampleDeterminism, SinkErrorStopsGeneration) {
  SampleOptions options;
  options.deals = 20'000;
  int calls = 0;
  auto summary = generate_sample(
      options, [](std::string_view) { return Status(); },
      [&](std::string_view) {
        ++calls;
        return Status(ErrorCode::io_error, "disk full");
      });
  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.status().code(), ErrorCode::io_error);
  EXPECT_EQ(calls, 1);
}

TEST(SampleDeterminism, OptionsOutOfRangeAreRefused) {
  SampleOptions options;
  options.deals = 0;
  EXPECT_EQ(validate_sample_options(options).code(), ErrorCode::invalid_argument);
  EXPECT_FALSE(generate_sample_csv(options));
  options.deals = 10;
  options.months = 0;
  EXPECT_NE(validate_sample_options(options).message().find("months 0"), std::string::npos);
  options.months = 121;
  EXPECT_FALSE(validate_sample_options(options).ok());
  options.months = 12;
  options.pipeline_id = "";
  EXPECT_FALSE(validate_sample_options(options).ok());
  options.pipeline_id = "a\nb";
  EXPECT_FALSE(validate_sample_options(options).ok());
  options.pipeline_id = "sales";
  EXPECT_TRUE(validate_sample_options(options).ok());
}

// The period must fit the event log (instants up to 2106-02-07T06:28:15Z), so
// that every generated sample loads.
TEST(SampleDeterminism, PeriodMustEndWithinTheLoadableRange) {
  SampleOptions options;
  options.deals = 20;
  options.pipeline_id = "bitrix24_default";
  options.from = Date(days_from_civil(2106, 1, 1));
  options.months = 1;  // ends 2106-02-01: the last whole month that loads
  EXPECT_TRUE(validate_sample_options(options).ok());
  options.months = 2;
  const Status late = validate_sample_options(options);
  EXPECT_EQ(late.code(), ErrorCode::invalid_argument);
  EXPECT_EQ(late.message(),
            "from 2106-01-01 and months 2 end the period at 2106-03-01: expected it to end by 2106-02-07 (the "
            "event log holds instants up to 2106-02-07T06:28:15Z)");
  options.from = Date(days_from_civil(9000, 1, 1));
  options.months = 1;
  EXPECT_EQ(validate_sample_options(options).message(),
            "from 9000-01-01 out of range: expected a date in 1971-01-01 .. 2106-02-07 (what the event log can hold)");
  options.from = Date(days_from_civil(1970, 12, 31));
  EXPECT_FALSE(validate_sample_options(options).ok());

  // The last accepted period generates and loads.
  options.from = Date(days_from_civil(2106, 1, 1));
  auto csv = generate_sample_csv(options);
  ASSERT_TRUE(csv.ok()) << csv.status().to_string();
  auto pipeline = load_pipeline_file(std::string(DEALFLOW_SOURCE_DIR) + "/data/pipelines/bitrix24_default.json");
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().to_string();
  CsvLoadOptions load;
  load.default_pipeline = &pipeline->pipeline;
  auto loaded = load_deals_csv(csv->deals, "deals.csv", {&pipeline->pipeline}, load);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const Status history = load_history_csv(csv->history, "history.csv", {&pipeline->pipeline}, load, *loaded);
  ASSERT_TRUE(history.ok()) << history.to_string();
  EXPECT_EQ(loaded->log.event_count(), csv->summary.events);
}

TEST(SampleDeterminism, WriteFilesRefusesAnUnwritableDirectory) {
  SampleOptions options;
  options.deals = 10;
  auto r = write_sample_files(options, "/proc/dealflow-cannot-write-here");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), ErrorCode::io_error);
}

}  // namespace
}  // namespace dealflow::analytics
