// The sample generator gives the same bytes for the same options, and the
// shipped data set in data/sample/ is exactly what the tool generates.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "dealflow/analytics/sample.h"

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

TEST(SampleDeterminism, WriteFilesRefusesAnUnwritableDirectory) {
  SampleOptions options;
  options.deals = 10;
  auto r = write_sample_files(options, "/proc/dealflow-cannot-write-here");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), ErrorCode::io_error);
}

}  // namespace
}  // namespace dealflow::analytics
