// Parallel ingest: a file read by several threads (split at record
// boundaries) gives the same log, the same report and the same first error
// as one thread.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/analytics/sample.h"
#include "sample_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::bitrix24_pipeline;

CsvLoadOptions options_with(unsigned threads, LoadMode mode = LoadMode::strict) {
  CsvLoadOptions o;
  o.default_pipeline = &bitrix24_pipeline();
  o.mode = mode;
  o.threads = threads;
  o.min_chunk_bytes = 1;  // split even small files
  return o;
}

Result<LoadedLog> load_parallel(const std::string& deals, const std::string& history,
                                const CsvLoadOptions& o) {
  auto loaded = load_deals_csv(deals, "deals.csv", {&bitrix24_pipeline()}, o);
  if (!loaded) return loaded.status();
  Status st = load_history_csv(history, "history.csv", {&bitrix24_pipeline()}, o, *loaded);
  if (!st.ok()) return st;
  return loaded;
}

// Every event of every deal, with actor names: equal logs give equal strings.
std::string dump_events(const EventLog& log) {
  std::string out;
  for (std::uint32_t d = 0; d < log.deal_count(); ++d) {
    out += log.deal_key(DealId{d});
    out += ':';
    for (std::size_t e = log.event_begin(DealId{d}); e < log.event_end(DealId{d}); ++e) {
      out += ' ' + std::to_string(log.event_at(e).unix_seconds()) + '/' +
             std::to_string(log.event_stage(e).value()) + '/' +
             std::string(log.actor_name(log.event_actor(e)));
    }
    out += '\n';
  }
  return out;
}

SampleCsv sample(std::uint64_t deals, std::uint64_t seed) {
  SampleOptions o;
  o.deals = deals;
  o.seed = seed;
  auto csv = generate_sample_csv(o);
  EXPECT_TRUE(csv.ok());
  return std::move(*csv);
}

TEST(ParallelLoad, SameLogAsOneThreadOnSeveralSeeds) {
  for (std::uint64_t seed : {1u, 7u, 42u}) {
    const SampleCsv csv = sample(3000, seed);
    auto one = load_parallel(csv.deals, csv.history, options_with(1));
    ASSERT_TRUE(one.ok()) << one.status().to_string();
    const std::string expected = dump_events(one->log);
    for (unsigned threads : {2u, 3u, 7u}) {
      auto many = load_parallel(csv.deals, csv.history, options_with(threads));
      ASSERT_TRUE(many.ok()) << many.status().to_string();
      EXPECT_EQ(dump_events(many->log), expected) << "seed " << seed << ", " << threads << " threads";
      EXPECT_EQ(many->log.actors().size(), one->log.actors().size());
      for (std::uint32_t a = 0; a < one->log.actors().size(); ++a) {
        EXPECT_EQ(many->log.actors().at(a), one->log.actors().at(a)) << "actor code " << a;
      }
      EXPECT_EQ(many->report.events_loaded, one->report.events_loaded);
      EXPECT_EQ(many->report.history_rows, one->report.history_rows);
      EXPECT_EQ(many->report.to_text(), one->report.to_text());
    }
  }
}

// Cuts `history` after its line `line` (1-based) and inserts `row`.
std::string insert_row(const std::string& history, int line, const std::string& row) {
  std::size_t pos = 0;
  for (int l = 0; l < line; ++l) pos = history.find('\n', pos) + 1;
  return history.substr(0, pos) + row + "\n" + history.substr(pos);
}

int count_lines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

TEST(ParallelLoad, StrictModeReportsTheSmallestBadLineInTheSecondHalf) {
  const SampleCsv csv = sample(2000, 3);
  const int lines = count_lines(csv.history);
  // Two bad rows, both in the second half: the earlier one is reported.
  std::string history = insert_row(csv.history, lines * 3 / 4, "1,2024-02-01T00:00:00Z,NO_SUCH_STAGE,,");
  history = insert_row(history, lines * 2 / 3, "999999999,2024-02-01T00:00:00Z,NEW,,");
  const int expected_line = lines * 2 / 3 + 1;
  auto one = load_parallel(csv.deals, history, options_with(1));
  ASSERT_FALSE(one.ok());
  EXPECT_EQ(one.status().location().line, expected_line) << one.status().to_string();
  EXPECT_NE(one.status().message().find("unknown deal '999999999'"), std::string::npos);
  for (unsigned threads : {2u, 4u, 16u}) {
    auto many = load_parallel(csv.deals, history, options_with(threads));
    ASSERT_FALSE(many.ok());
    EXPECT_EQ(many.status().to_string(), one.status().to_string()) << threads << " threads";
  }
}

TEST(ParallelLoad, LenientReportCountsAndExamplesMatchOneThread) {
  const SampleCsv csv = sample(2000, 5);
  const int lines = count_lines(csv.history);
  std::string history = csv.history;
  // Bad rows spread over the file (every chunk gets some), inserted from the end.
  for (int k = 12; k >= 1; --k) {
    history =
        insert_row(history, lines * k / 13, "deal-" + std::to_string(k) + ",2024-02-01T00:00:00Z,NEW,,");
  }
  auto one = load_parallel(csv.deals, history, options_with(1, LoadMode::lenient));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->report.count(IssueKind::unknown_deal), 12u);
  for (unsigned threads : {2u, 5u}) {
    auto many = load_parallel(csv.deals, history, options_with(threads, LoadMode::lenient));
    ASSERT_TRUE(many.ok());
    EXPECT_EQ(many->report.to_text(), one->report.to_text()) << threads << " threads";
    EXPECT_EQ(dump_events(many->log), dump_events(one->log));
  }
}

TEST(ParallelLoad, QuotedLineBreakAcrossASplitPoint) {
  // One deal, many rows; actors with line breaks in quotes everywhere, so that
  // split points fall inside quoted fields: the chunk after is read again.
  std::string deals = "id,created_at\nD1,2024-01-01T00:00:00Z\n";
  std::string history = "deal_id,at,stage,actor\n";
  for (int i = 0; i < 400; ++i) {
    history += "D1,2024-01-01T" + std::string(i / 60 < 10 ? "0" : "") + std::to_string(i / 60) + ":" +
               (i % 60 < 10 ? "0" : "") + std::to_string(i % 60) + ":00Z," + (i % 2 ? "NEW" : "PREPARATION") +
               ",\"Иванов\nстрока " + std::to_string(i) + "\"\n";
  }
  auto one = load_parallel(deals, history, options_with(1));
  ASSERT_TRUE(one.ok()) << one.status().to_string();
  EXPECT_EQ(one->report.events_loaded, 400u);
  for (unsigned threads : {2u, 3u, 9u, 31u}) {
    auto many = load_parallel(deals, history, options_with(threads));
    ASSERT_TRUE(many.ok()) << many.status().to_string();
    EXPECT_EQ(dump_events(many->log), dump_events(one->log)) << threads << " threads";
  }
  // A bad row late in the file keeps its line number (lines of quoted breaks count).
  std::string bad = history + "D1,2024-01-02,NOPE,x\n";
  auto e1 = load_parallel(deals, bad, options_with(1));
  auto e9 = load_parallel(deals, bad, options_with(9));
  ASSERT_FALSE(e1.ok());
  ASSERT_FALSE(e9.ok());
  EXPECT_EQ(e1.status().location().line, 1 + 400 * 2 + 1);
  EXPECT_EQ(e9.status().to_string(), e1.status().to_string());
}

TEST(ParallelLoad, ManyRowsOfOneDealAtOneInstantAreDuplicatesFoundInOnePass) {
  // 20 000 rows of one deal at one instant alternating two stages: all but
  // the first two are duplicates (lenient: skipped and counted).
  std::string deals = "id,created_at\nD1,2024-01-01T00:00:00Z\n";
  std::string history = "deal_id,at,stage\n";
  for (int i = 0; i < 20000; ++i)
    history += std::string("D1,2024-01-02T00:00:00Z,") + (i % 2 ? "NEW\n" : "PREPARATION\n");
  auto loaded = load_parallel(deals, history, options_with(2, LoadMode::lenient));
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->report.events_loaded, 2u);
  EXPECT_EQ(loaded->report.count(IssueKind::duplicate_event), 19998u);
  // The first duplicate names the row it repeats.
  const auto& examples = loaded->report.examples(IssueKind::duplicate_event);
  ASSERT_FALSE(examples.empty());
  EXPECT_EQ(examples[0].location().line, 4);
  EXPECT_NE(examples[0].message().find("(first on line 2)"), std::string::npos) << examples[0].message();
}

}  // namespace
}  // namespace dealflow::analytics
