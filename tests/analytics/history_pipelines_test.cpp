// Deals moved between pipelines (Bitrix24 categories, TYPE_ID 5): one deal id,
// one history, reported in the pipeline of its stay at the report instant; a
// loaded pipeline without deals gives an empty report; and a property test
// over random histories with reopens and moves.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/scorecard.h"
#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;

struct TwoPipelines {
  LoadedPipeline service = testing::small_pipeline("service");
  LoadedPipeline empty = testing::small_pipeline("empty");
  std::vector<const Pipeline*> all() const {
    return {&fixture_pipeline(), &service.pipeline, &empty.pipeline};
  }
};

Result<LoadedLog> pipelines_load(const TwoPipelines& p, const std::string& deals, const std::string& history,
                                 LoadMode mode = LoadMode::strict) {
  CsvLoadOptions o;
  o.mode = mode;
  auto loaded = load_deals_csv(deals, "deals.csv", p.all(), o);
  if (!loaded) return loaded.status();
  if (Status st = load_history_csv(history, "history.csv", p.all(), o, *loaded); !st.ok()) return st;
  return loaded;
}

constexpr const char* kPipelinesDeals =
    "id,created_at,pipeline,amount,currency,manager\n"
    "A,2024-01-01,sales,100,RUB,Иванов\n"
    "B,2024-01-01,service,50,RUB,Петрова\n"
    "C,2024-01-01,sales,10,RUB,Иванов\n"
    "D,2024-01-01,sales,20,RUB,Петрова\n";
// A: sales NEW, QUAL, then moved to service (OPEN, DONE). D: sales -> service -> sales.
constexpr const char* kPipelinesHistory =
    "deal_id,at,stage,pipeline\n"
    "A,2024-01-02,NEW,sales\n"
    "A,2024-01-03,QUAL,\n"
    "A,2024-01-05,OPEN,service\n"
    "A,2024-01-07,DONE,service\n"
    "B,2024-01-02,OPEN,service\n"
    "C,2024-01-02,NEW,\n"
    "D,2024-01-02,NEW,sales\n"
    "D,2024-01-03,OPEN,service\n"
    "D,2024-01-04T12:00:00Z,QUAL,sales\n";

TEST(HistoryPipelines, AMovedDealKeepsOneIdAndItsHistory) {
  const TwoPipelines p;
  auto loaded = pipelines_load(p, kPipelinesDeals, kPipelinesHistory);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const EventLog& log = loaded->log;
  EXPECT_EQ(log.deal_count(), 4u);
  EXPECT_EQ(log.event_count(), 9u);
  const DealId a = *log.find_deal("A"), d = *log.find_deal("D");
  EXPECT_EQ(log.event_end(a) - log.event_begin(a), 4u);
  EXPECT_EQ(log.pipelines().at(log.pipeline(a).value()), "sales");  // the deals-table pipeline
  const auto service = *log.pipelines().find("service");
  ASSERT_EQ(log.pipeline_moves(a).size(), 1u);
  EXPECT_EQ(log.pipeline_moves(a)[0].pipeline, service);
  EXPECT_EQ(log.time_base() + Duration(log.pipeline_moves(a)[0].at), at("2024-01-05"));
  EXPECT_EQ(log.pipeline_moves(d).size(), 2u);
  EXPECT_TRUE(log.pipeline_moves(*log.find_deal("C")).empty());
  EXPECT_EQ(log.pipeline_moves().size(), 3u);
  // As of 2024-01-06 A is in service since its first event there.
  const auto stay = log.stay_as_of(a, log.to_log_seconds(at("2024-01-06")));
  EXPECT_EQ(stay.pipeline.value(), service);
  EXPECT_EQ(stay.begin, log.event_begin(a) + 2);
  EXPECT_TRUE(loaded->report.clean());
  EXPECT_EQ(loaded->report.noted(), 0u);
}

TEST(HistoryPipelines, ReportsSeeADealInThePipelineOfItsStay) {
  const TwoPipelines p;
  auto loaded = pipelines_load(p, kPipelinesDeals, kPipelinesHistory);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const EventLog& log = loaded->log;
  // At the end: sales has C (NEW) and D (QUAL since its move back); service has A (won) and B.
  auto sales = compute_funnel(log, fixture_pipeline(), {});
  auto service = compute_funnel(log, p.service.pipeline, {});
  ASSERT_TRUE(sales.ok() && service.ok());
  EXPECT_EQ(sales->total.deals, 2u);
  EXPECT_EQ(sales->total.open, 2u);
  // D's stay in sales starts at QUAL: high-water NEW 2 (C, D), QUAL 1 (D).
  EXPECT_EQ(testing::reached(sales->total), (std::vector<std::uint64_t>{2, 1, 0, 0}));
  EXPECT_EQ(service->total.deals, 2u);
  EXPECT_EQ(service->total.won, 1u);
  EXPECT_EQ(service->total.open, 1u);
  // As of 2024-01-04: A (QUAL) and C in sales; B and D in service.
  FunnelQuery then;
  then.as_of = at("2024-01-04");
  auto sales_then = compute_funnel(log, fixture_pipeline(), then);
  auto service_then = compute_funnel(log, p.service.pipeline, then);
  ASSERT_TRUE(sales_then.ok() && service_then.ok());
  EXPECT_EQ(sales_then->total.deals, 2u);
  EXPECT_EQ(testing::reached(sales_then->total), (std::vector<std::uint64_t>{2, 1, 0, 0}));
  EXPECT_EQ(service_then->total.deals, 2u);
  EXPECT_EQ(service_then->total.won, 0u);
  // The same per-deal view in durations and the scorecard.
  auto dur_service = compute_durations(log, p.service.pipeline, {});
  auto dur_sales = compute_durations(log, fixture_pipeline(), {});
  ASSERT_TRUE(dur_service.ok() && dur_sales.ok());
  EXPECT_EQ(dur_service->total.deals, 2u);
  EXPECT_EQ(dur_service->total.won, 1u);
  EXPECT_EQ(dur_sales->total.deals, 2u);
  EXPECT_EQ(dur_sales->total.open, 2u);
  const ScorecardQuery january{at("2024-01-01"), at("2024-02-01")};
  auto card = compute_scorecard(log, p.service.pipeline, january);
  ASSERT_TRUE(card.ok()) << card.status().to_string();
  EXPECT_EQ(card->team.current.taken, 2u);
  EXPECT_EQ(card->team.current.won, 1u);
  ASSERT_TRUE(card->team.current.won_amount.has_value());
  EXPECT_EQ(card->team.current.won_amount->minor_units(), 10000);  // A's 100.00 RUB
}

TEST(HistoryPipelines, APipelineWithoutDealsGivesAnEmptyReport) {
  const TwoPipelines p;
  auto loaded = pipelines_load(p, kPipelinesDeals, kPipelinesHistory);
  ASSERT_TRUE(loaded.ok());
  auto f = compute_funnel(loaded->log, p.empty.pipeline, {});
  ASSERT_TRUE(f.ok()) << f.status().to_string();
  EXPECT_EQ(f->total.deals, 0u);
  EXPECT_EQ(testing::reached(f->total), (std::vector<std::uint64_t>{0}));
  auto d = compute_durations(loaded->log, p.empty.pipeline, {});
  ASSERT_TRUE(d.ok()) << d.status().to_string();
  EXPECT_EQ(d->total.deals, 0u);
  auto s = compute_scorecard(loaded->log, p.empty.pipeline, {at("2024-01-01"), at("2024-02-01")});
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  EXPECT_EQ(s->team.current.taken, 0u);
}

TEST(HistoryPipelines, TwoPipelinesAtOneInstantAreAMismatch) {
  const TwoPipelines p;
  const std::string history =
      "deal_id,at,stage,pipeline\nA,2024-01-02,NEW,sales\nA,2024-01-02,OPEN,service\n";
  auto strict = pipelines_load(p, kPipelinesDeals, history);
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(
      strict.status().to_string(),
      "history.csv:3:19: column 'pipeline': deal 'A' is in pipeline 'service' at 2024-01-02T00:00:00Z and in "
      "pipeline 'sales' at the same instant (line 2): expected one pipeline per instant");
  auto lenient = pipelines_load(p, kPipelinesDeals, history, LoadMode::lenient);
  ASSERT_TRUE(lenient.ok());
  EXPECT_EQ(lenient->report.count(IssueKind::pipeline_mismatch), 1u);
  EXPECT_EQ(lenient->log.event_count(), 1u);
  EXPECT_TRUE(lenient->log.pipeline_moves().empty());
  // An unknown pipeline stays an error.
  auto unknown = pipelines_load(p, kPipelinesDeals, "deal_id,at,stage,pipeline\nA,2024-01-02,NEW,hr\n");
  EXPECT_EQ(
      unknown.status().to_string().rfind("history.csv:2:18: column 'pipeline': unknown pipeline 'hr'", 0), 0u)
      << unknown.status().to_string();
}

// Random histories over two pipelines with reopens (declared LOST -> NEW and
// undeclared ones) and moves: loading never fails without check_policy, the
// notes equal a brute-force count, check_policy skips exactly those rows, and
// each deal is reported in the pipeline of its last row with the outcome of it.
TEST(HistoryPipelines, PropertyRandomHistoriesWithReopensAndMoves) {
  const TwoPipelines p;
  const Pipeline& sales = fixture_pipeline();
  const Pipeline& service = p.service.pipeline;
  for (std::uint32_t seed = 1; seed <= 30; ++seed) {
    std::mt19937 rng(seed);
    const int n_deals = 1 + static_cast<int>(rng() % 40);
    std::string deals = "id,created_at,pipeline\n";
    std::vector<std::string> rows;
    std::size_t undeclared = 0, events = 0;
    std::uint64_t deals_in[2] = {0, 0}, won_in[2] = {0, 0}, lost_in[2] = {0, 0};
    // touched: per pipeline and open position, deals whose last stay entered it.
    std::vector<std::uint64_t> touched_in[2] = {std::vector<std::uint64_t>(sales.open_stages().size(), 0),
                                                std::vector<std::uint64_t>(service.open_stages().size(), 0)};
    for (int i = 0; i < n_deals; ++i) {
      const bool home_service = rng() % 3 == 0;
      deals += "D" + std::to_string(i) + ",2024-01-01," + (home_service ? "service" : "sales") + "\n";
      const int n = static_cast<int>(rng() % 8);
      int prev_pipe = -1;
      StageId prev_stage;
      int pipe = home_service ? 1 : 0;
      std::vector<bool> stay_touched;
      for (int k = 0; k < n; ++k) {
        if (rng() % 5 == 0) pipe = 1 - pipe;  // a move
        const Pipeline& pl = pipe ? service : sales;
        const StageId s{static_cast<std::uint16_t>(rng() % pl.stage_count())};
        if (pipe != prev_pipe) stay_touched.assign(pl.open_stages().size(), false);
        const int pos = pl.stage(s).funnel_position;
        if (pos >= 0) stay_touched[static_cast<std::size_t>(pos)] = true;
        if (prev_pipe == pipe && prev_stage != s && pl.is_terminal(prev_stage) &&
            !pl.is_reopen(prev_stage, s)) {
          ++undeclared;
        }
        char when[32];
        std::snprintf(when, sizeof when, "2024-01-%02dT%02d:00:00Z", 2 + k, static_cast<int>(rng() % 24));
        rows.push_back("D" + std::to_string(i) + "," + when + "," + pl.stage(s).id + "," +
                       (pipe ? "service" : "sales") + "\n");
        prev_pipe = pipe;
        prev_stage = s;
        ++events;
      }
      const int final_pipe = n == 0 ? (home_service ? 1 : 0) : prev_pipe;
      ++deals_in[final_pipe];
      for (std::size_t pos = 0; pos < stay_touched.size(); ++pos)
        touched_in[final_pipe][pos] += stay_touched[pos];
      if (n > 0) {
        const Pipeline& pl = final_pipe ? service : sales;
        won_in[final_pipe] += pl.kind(prev_stage) == StageKind::won;
        lost_in[final_pipe] += pl.kind(prev_stage) == StageKind::lost;
      }
    }
    std::shuffle(rows.begin(), rows.end(), rng);
    std::string history = "deal_id,at,stage,pipeline\n";
    for (const auto& r : rows) history += r;

    auto loaded = pipelines_load(p, deals, history);
    ASSERT_TRUE(loaded.ok()) << "seed " << seed << ": " << loaded.status().to_string();
    EXPECT_EQ(loaded->report.count(IssueKind::undeclared_reopen), undeclared) << "seed " << seed;
    EXPECT_EQ(loaded->log.event_count(), events);
    const Pipeline* by_index[2] = {&sales, &service};
    for (int i = 0; i < 2; ++i) {
      auto f = compute_funnel(loaded->log, *by_index[i], {});
      ASSERT_TRUE(f.ok()) << f.status().to_string();
      EXPECT_EQ(f->total.deals, deals_in[i]) << "seed " << seed << " pipeline " << i;
      EXPECT_EQ(f->total.won, won_in[i]) << "seed " << seed;
      EXPECT_EQ(f->total.lost, lost_in[i]) << "seed " << seed;
      // Shards start their cursor over the moved deals anywhere: same counts.
      FunnelQuery sharded;
      sharded.threads = 3;
      sharded.rule = CountingRule::touched;
      FunnelQuery single = sharded;
      single.threads = 1;
      auto f3 = compute_funnel(loaded->log, *by_index[i], sharded);
      auto f1 = compute_funnel(loaded->log, *by_index[i], single);
      ASSERT_TRUE(f3.ok() && f1.ok());
      EXPECT_EQ(testing::reached(f3->total), touched_in[i]) << "seed " << seed;
      EXPECT_EQ(testing::reached(f1->total), touched_in[i]) << "seed " << seed;
      EXPECT_EQ(f3->total.won, won_in[i]);
      auto d = compute_durations(loaded->log, *by_index[i], {});
      ASSERT_TRUE(d.ok());
      EXPECT_EQ(d->total.deals, deals_in[i]);
      EXPECT_EQ(d->total.won, won_in[i]);
    }

    auto lenient = pipelines_load(p, deals, history, LoadMode::lenient);
    ASSERT_TRUE(lenient.ok());
    EXPECT_EQ(lenient->report.count(IssueKind::undeclared_reopen), undeclared);
    CsvLoadOptions check;
    check.mode = LoadMode::lenient;
    check.check_policy = true;
    auto strict_deals = load_deals_csv(deals, "deals.csv", p.all(), check);
    ASSERT_TRUE(strict_deals.ok());
    ASSERT_TRUE(load_history_csv(history, "history.csv", p.all(), check, *strict_deals).ok());
    EXPECT_EQ(strict_deals->report.count(IssueKind::terminal_exit), undeclared) << "seed " << seed;
    EXPECT_EQ(strict_deals->log.event_count(), events - undeclared);
  }
}

}  // namespace
}  // namespace dealflow::analytics
