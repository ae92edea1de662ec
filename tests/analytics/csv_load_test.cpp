// The CSV loader on well-formed input: columns, dimensions, amounts,
// timestamps, quoting, pipelines, ordering; the fast timestamp path agrees with
// dealflow::parse_instant.
#include <gtest/gtest.h>

#include <random>

#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;

Result<LoadedLog> load_strings(const std::string& deals, const std::string& history,
                               CsvLoadOptions options = {}) {
  if (!options.default_pipeline) options.default_pipeline = &fixture_pipeline();
  auto loaded = load_deals_csv(deals, "deals.csv", {&fixture_pipeline()}, options);
  if (!loaded) return loaded.status();
  Status st = load_history_csv(history, "history.csv", {&fixture_pipeline()}, options, *loaded);
  if (!st.ok()) return st;
  return loaded;
}

TEST(CsvLoad, Fixture) {
  const auto loaded = testing::load_fixture();
  const EventLog& log = loaded.log;
  EXPECT_TRUE(loaded.report.clean());
  EXPECT_EQ(loaded.report.deals_loaded, 10u);
  EXPECT_EQ(loaded.report.events_loaded, 36u);
  EXPECT_EQ(loaded.report.deals_without_history, 0u);
  ASSERT_EQ(log.deal_count(), 10u);
  ASSERT_EQ(log.event_count(), 36u);
  const DealId d4 = *log.find_deal("D4");
  std::vector<std::string> stages;
  for (std::size_t i = log.event_begin(d4); i < log.event_end(d4); ++i) {
    stages.push_back(fixture_pipeline().stage(log.event_stage(i)).id);
  }
  EXPECT_EQ(stages, (std::vector<std::string>{"NEW", "QUAL", "LOST", "NEW", "QUAL", "OFFER", "CONTRACT", "WON"}));
  EXPECT_EQ(log.event_at(log.event_begin(d4)), at("2024-01-20T09:00:00Z"));
  EXPECT_EQ(log.actor_name(log.event_actor(log.event_begin(d4))), "Петрова");
  const DealId d10 = *log.find_deal("D10");
  EXPECT_EQ(log.event_actor(log.event_begin(d10)), kNoActor);
  EXPECT_EQ(log.dimension_value(d10, to_dimension_id(StandardDimension::manager)), "");
  EXPECT_EQ(log.dimension_value(d4, to_dimension_id(StandardDimension::region)), "Сибирь");
  EXPECT_EQ(log.dimension_value(*log.find_deal("D3"), to_dimension_id(StandardDimension::lost_reason)), "Дорого");
  EXPECT_EQ(log.dimension_value(d4, *log.find_dimension("segment")), "B");
  EXPECT_EQ(log.amount(*log.find_deal("D10")), Money(100000, Currency::of("RUB")));
  EXPECT_FALSE(log.amount(*log.find_deal("D7")).has_value());
  EXPECT_EQ(log.pipelines().at(log.pipeline(d4).value()), "sales");
}

TEST(CsvLoad, QuotingBomCrlfBlankLinesAndAmountForms) {
  const std::string deals =
      "\xEF\xBB\xBFid,created_at,amount,currency,manager,\"note\"\r\n"
      "\"A,1\",2024-02-01,\"1 234,56\",RUB,\"Иванов \"\"Старший\"\"\",\"line one\nline two\"\r\n"
      "\r\n"
      "B,2024-02-01T12:00:00+03:00,-7.5,usd,,\r\n"
      "C,2024-02-01 12:00,99 EUR,,,\r\n";
  const std::string history =
      "deal_id,stage,at\n"
      "\"A,1\",NEW,2024-02-01T10:00:00Z\n"
      "B,NEW,2024-02-01T10:00:00.750Z\n";
  auto loaded = load_strings(deals, history);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const EventLog& log = loaded->log;
  ASSERT_EQ(log.deal_count(), 3u);
  const DealId a = *log.find_deal("A,1");
  EXPECT_EQ(log.amount(a), Money(123456, Currency::of("RUB")));
  EXPECT_EQ(log.dimension_value(a, to_dimension_id(StandardDimension::manager)), "Иванов \"Старший\"");
  EXPECT_EQ(log.dimension_value(a, *log.find_dimension("note")), "line one\nline two");
  EXPECT_EQ(log.created_at(a), at("2024-02-01T00:00:00Z"));
  const DealId b = *log.find_deal("B");
  EXPECT_EQ(log.amount(b), Money(-750, Currency::of("USD")));
  EXPECT_EQ(log.created_at(b), at("2024-02-01T09:00:00Z"));
  const DealId c = *log.find_deal("C");
  EXPECT_EQ(log.amount(c), Money(9900, Currency::of("EUR")));  // code in the amount
  EXPECT_EQ(log.event_at(log.event_begin(b)), at("2024-02-01T10:00:00Z"));  // fraction truncated
  EXPECT_EQ(loaded->report.deals_without_history, 1u);
}

TEST(CsvLoad, DefaultCurrencyAndOffset) {
  CsvLoadOptions options;
  options.default_currency = Currency::of("RUB");
  options.default_utc_offset_minutes = 180;
  auto loaded = load_strings("id,created_at,amount\nX,2024-03-01,10\n",
                             "deal_id,at,stage\nX,2024-03-01T09:00,NEW\n", options);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const DealId x = *loaded->log.find_deal("X");
  EXPECT_EQ(loaded->log.amount(x), Money(1000, Currency::of("RUB")));
  EXPECT_EQ(loaded->log.created_at(x), at("2024-02-29T21:00:00Z"));
  EXPECT_EQ(loaded->log.event_at(0), at("2024-03-01T06:00:00Z"));
}

TEST(CsvLoad, PipelineColumnsAndSeveralPipelines) {
  const LoadedPipeline other = testing::small_pipeline("service");
  const std::vector<const Pipeline*> pipelines = {&fixture_pipeline(), &other.pipeline};
  CsvLoadOptions options;  // no default: every deal names its pipeline
  auto loaded = load_deals_csv("id,created_at,pipeline\nA,2024-01-01,sales\nB,2024-01-01,service\n", "d.csv",
                               pipelines, options);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  ASSERT_TRUE(load_history_csv("deal_id,at,stage,pipeline\nA,2024-01-02,NEW,sales\nB,2024-01-02,OPEN,\n", "h.csv",
                               pipelines, options, *loaded)
                  .ok());
  const EventLog& log = loaded->log;
  EXPECT_EQ(log.pipelines().at(log.pipeline(*log.find_deal("B")).value()), "service");
  EXPECT_EQ(log.event_stage(log.event_begin(*log.find_deal("B"))), *other.pipeline.find_stage("OPEN"));
  // The funnel of each pipeline counts its own deals only.
  auto sales = compute_funnel(log, fixture_pipeline(), {});
  auto service = compute_funnel(log, other.pipeline, {});
  EXPECT_EQ(sales->total.deals, 1u);
  EXPECT_EQ(service->total.deals, 1u);
  EXPECT_EQ(service->total.stages.size(), 1u);
  EXPECT_EQ(service->total.stages[0].reached, 1u);
}

// Quoted fields with doubled quotes are unescaped into the scanner's scratch
// space, which the next record reuses: the loaders' "same as the previous row"
// caches must not keep views into it (regression: the second row's event went to
// the first row's deal, and its actor became the first row's actor).
TEST(CsvLoad, DoubledQuoteFieldsAreNotMistakenForThePreviousRow) {
  struct Case {
    const char* a_cell;
    const char* a_id;
    const char* b_cell;
    const char* b_id;
  };
  // Plain ids first: only the actors are unescaped; then ids and actors.
  for (const Case& c : {Case{"A", "A", "B", "B"}, Case{"\"A\"\"1\"", "A\"1", "\"B\"\"2\"", "B\"2"}}) {
    SCOPED_TRACE(c.a_cell);
    const std::string a_cell = c.a_cell, b_cell = c.b_cell;
    auto loaded = load_strings("id,created_at\n" + a_cell + ",2024-02-01\n" + b_cell + ",2024-02-01\n",
                               "deal_id,at,stage,actor\n" + a_cell + ",2024-02-02,NEW,\"X\"\"1\"\n" + b_cell +
                                   ",2024-02-03,QUAL,\"Y\"\"2\"\n");
    ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
    const EventLog& log = loaded->log;
    const DealId a = *log.find_deal(c.a_id), b = *log.find_deal(c.b_id);
    ASSERT_EQ(log.event_end(a) - log.event_begin(a), 1u);
    ASSERT_EQ(log.event_end(b) - log.event_begin(b), 1u);
    EXPECT_EQ(log.event_stage(log.event_begin(a)), testing::stage("NEW"));
    EXPECT_EQ(log.event_stage(log.event_begin(b)), testing::stage("QUAL"));
    EXPECT_EQ(log.actor_name(log.event_actor(log.event_begin(a))), "X\"1");
    EXPECT_EQ(log.actor_name(log.event_actor(log.event_begin(b))), "Y\"2");
    EXPECT_EQ(log.actors().size(), 2u);
  }
}

TEST(CsvLoad, DoubledQuotePipelineIdsAreNotMistakenForThePreviousRow) {
  const LoadedPipeline p1 = testing::small_pipeline("p\"1");
  const LoadedPipeline p2 = testing::small_pipeline("p\"2");
  auto loaded = load_deals_csv("id,created_at,pipeline\nA,2024-01-01,\"p\"\"1\"\nB,2024-01-01,\"p\"\"2\"\n", "d.csv",
                               {&p1.pipeline, &p2.pipeline}, {});
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const EventLog& log = loaded->log;
  EXPECT_EQ(log.pipelines().at(log.pipeline(*log.find_deal("A")).value()), "p\"1");
  EXPECT_EQ(log.pipelines().at(log.pipeline(*log.find_deal("B")).value()), "p\"2");
}

// CLF and UYW have 4 minor digits: 15 integer digits then make 19 digits of
// minor units, past int64. Such amounts load exactly or fail as out of range,
// never wrap (regression: the fast path overflowed).
TEST(CsvLoad, AmountsNearTheInt64LimitInFourDigitCurrencies) {
  auto loaded = load_strings(
      "id,created_at,amount,currency\n"
      "A,2024-01-01,922337203685477.5807,CLF\n"
      "B,2024-01-01,-922337203685477.5807,UYW\n"
      "C,2024-01-01,99999999999999.9999,CLF\n"
      "D,2024-01-01,12345678901234567.89,RUB\n",
      "deal_id,at,stage\n");
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const EventLog& log = loaded->log;
  EXPECT_EQ(log.amount(*log.find_deal("A")), Money(9223372036854775807, Currency::of("CLF")));
  EXPECT_EQ(log.amount(*log.find_deal("B")), Money(-9223372036854775807, Currency::of("UYW")));
  EXPECT_EQ(log.amount(*log.find_deal("C")), Money(999999999999999999, Currency::of("CLF")));
  EXPECT_EQ(log.amount(*log.find_deal("D")), Money(1234567890123456789, Currency::of("RUB")));
  for (const char* amount : {"999999999999999.9999", "999999999999999", "922337203685477.5808"}) {
    auto over = load_deals_csv("id,created_at,amount,currency\nA,2024-01-01," + std::string(amount) + ",CLF\n",
                               "deals.csv", {&fixture_pipeline()}, {});
    ASSERT_FALSE(over.ok()) << amount;
    EXPECT_EQ(over.status().location().line, 2) << amount;
    EXPECT_NE(over.status().message().find("out of range"), std::string::npos) << over.status().to_string();
  }
}

TEST(CsvLoad, FastTimestampPathAgreesWithParseInstant) {
  std::mt19937_64 rng(2024);
  const char* templates[] = {"%04d-%02d-%02d",           "%04d-%02d-%02dT%02d:%02d:%02dZ",
                             "%04d-%02d-%02d %02d:%02d", "%04d-%02d-%02dT%02d:%02d:%02d+%02d:%02d",
                             "%04d-%02d-%02dT%02d:%02d-%02d%02d", "%04d-%02d-%02dT%02d:%02d:%02d+%02d"};
  for (int i = 0; i < 5000; ++i) {
    char buf[64];
    const int y = 1900 + static_cast<int>(rng() % 300), mo = static_cast<int>(rng() % 14), d = static_cast<int>(rng() % 33);
    const int h = static_cast<int>(rng() % 26), mi = static_cast<int>(rng() % 62), s = static_cast<int>(rng() % 62);
    const int oh = static_cast<int>(rng() % 20), om = static_cast<int>(rng() % 61);
    const int t = static_cast<int>(rng() % 6);
    switch (t) {
      case 0: std::snprintf(buf, sizeof buf, templates[0], y, mo, d); break;
      case 1: std::snprintf(buf, sizeof buf, templates[1], y, mo, d, h, mi, s); break;
      case 2: std::snprintf(buf, sizeof buf, templates[2], y, mo, d, h, mi); break;
      case 3: std::snprintf(buf, sizeof buf, templates[3], y, mo, d, h, mi, s, oh, om); break;
      case 4: std::snprintf(buf, sizeof buf, templates[4], y, mo, d, h, mi, oh, om); break;
      default: std::snprintf(buf, sizeof buf, templates[5], y, mo, d, h, mi, s, oh); break;
    }
    const int offset = static_cast<int>(rng() % 5) * 60 - 120;
    const auto fast = parse_csv_instant(buf, offset);
    const auto slow = parse_instant(buf, offset);
    ASSERT_EQ(fast.ok(), slow.ok()) << buf;
    if (fast.ok()) {
      ASSERT_EQ(*fast, *slow) << buf;
    }
  }
}

TEST(CsvLoad, LoadsFromFilesAndReportsUnreadableFiles) {
  CsvLoadOptions options;
  options.default_pipeline = &fixture_pipeline();
  auto missing = load_csv_files("/nonexistent/deals.csv", testing::fixture_path("funnel_history.csv"),
                                {&fixture_pipeline()}, options);
  EXPECT_EQ(missing.status().code(), ErrorCode::io_error);
  EXPECT_NE(missing.status().to_string().find("/nonexistent/deals.csv"), std::string::npos);
}

}  // namespace
}  // namespace dealflow::analytics
