// The one-sweep pipeline states equal pipeline_state_as_of at every instant
// (the definition), on hand-made and random histories.
#include "dealflow/planning/pipeline_sweep.h"

#include <gtest/gtest.h>

#include "backtest_fixture.h"

namespace dealflow::planning {
namespace {

using testing::at;
using testing::random_log;
using testing::sales_pipeline;
using testing::sales_stage;

// The sweep's states at `points`, in order.
std::vector<PipelineState> sweep(const analytics::EventLog& log, const Pipeline& p,
                                 const std::vector<SweepPoint>& points, SweepStats* stats = nullptr) {
  std::vector<PipelineState> out;
  const Status st = sweep_pipeline_states(
      log, p, points,
      [&](std::size_t i, const PipelineState& s) -> Status {
        EXPECT_EQ(i, out.size());
        out.push_back(s);
        return {};
      },
      stats);
  EXPECT_TRUE(st.ok()) << st.to_string();
  return out;
}

void expect_same(const PipelineState& a, const PipelineState& b, const std::string& where) {
  EXPECT_EQ(a.as_of, b.as_of) << where;
  EXPECT_EQ(a.pipeline, b.pipeline) << where;
  ASSERT_EQ(a.open.size(), b.open.size()) << where;
  for (std::size_t i = 0; i < a.open.size(); ++i) EXPECT_EQ(a.open[i], b.open[i]) << where << " open " << i;
  ASSERT_EQ(a.closed.size(), b.closed.size()) << where;
  for (std::size_t i = 0; i < a.closed.size(); ++i)
    EXPECT_EQ(a.closed[i], b.closed[i]) << where << " closed " << i;
}

TEST(PipelineSweep, HandMadeHistoryReopenAndAmountCorrection) {
  analytics::EventLog log;
  const PipelineId sales = log.intern_pipeline("sales");
  const Currency rub = Currency::of("RUB");
  auto d0 = *log.add_deal("A", sales, at("2024-01-01T00:00:00Z"), Money(1000, rub));
  auto d1 = *log.add_deal("B", sales, at("2024-01-02T00:00:00Z"), Money(2000, rub));
  ASSERT_TRUE(log.append_event(d0, at("2024-01-01T00:00:00Z"), sales_stage("NEW")).ok());
  ASSERT_TRUE(log.append_event(d0, at("2024-01-05T00:00:00Z"), sales_stage("WON")).ok());
  ASSERT_TRUE(log.append_event(d0, at("2024-01-07T00:00:00Z"), sales_stage("QUAL")).ok());  // reopened
  ASSERT_TRUE(log.append_event(d1, at("2024-01-03T00:00:00Z"), sales_stage("OFFER")).ok());
  ASSERT_TRUE(log.append_event(d1, at("2024-01-04T00:00:00Z"), sales_stage("LOST")).ok());
  ASSERT_TRUE(log.add_amount_change(d1, at("2024-01-10T00:00:00Z"), Money(2500, rub)).ok());
  log.seal();
  const std::vector<SweepPoint> points = {{at("2023-12-31T00:00:00Z"), {}},
                                          {at("2024-01-04T00:00:00Z"), {}},
                                          {at("2024-01-06T00:00:00Z"), {}},
                                          {at("2024-01-07T00:00:00Z"), {}},
                                          {at("2024-01-10T00:00:00Z"), {}}};
  const auto states = sweep(log, sales_pipeline(), points);
  ASSERT_EQ(states.size(), 5u);
  EXPECT_TRUE(states[0].open.empty() && states[0].closed.empty());
  // 01-04: A open at NEW; B lost at 01-04 with its amount then (2000).
  ASSERT_EQ(states[1].open.size(), 1u);
  EXPECT_EQ(states[1].open[0].deal, d0);
  ASSERT_EQ(states[1].closed.size(), 1u);
  EXPECT_FALSE(states[1].closed[0].won);
  EXPECT_EQ(states[1].closed[0].amount->minor_units(), 2000);
  // 01-06: A won at 01-05.
  ASSERT_EQ(states[2].closed.size(), 2u);
  EXPECT_TRUE(states[2].closed[0].won);
  EXPECT_EQ(states[2].closed[0].closed_at, at("2024-01-05T00:00:00Z"));
  // 01-07: A reopened at QUAL, entered 01-07.
  ASSERT_EQ(states[3].open.size(), 1u);
  EXPECT_EQ(states[3].open[0].stage, sales_stage("QUAL"));
  EXPECT_EQ(states[3].open[0].stage_entered, at("2024-01-07T00:00:00Z"));
  // 01-10: B's corrected amount counts (as of the instant).
  ASSERT_EQ(states[4].closed.size(), 1u);
  EXPECT_EQ(states[4].closed[0].amount->minor_units(), 2500);
  for (std::size_t i = 0; i < points.size(); ++i) {
    auto ref = pipeline_state_as_of(log, sales_pipeline(), points[i].as_of);
    ASSERT_TRUE(ref.ok());
    expect_same(states[i], *ref, "point " + std::to_string(i));
  }
}

TEST(PipelineSweep, EqualsTheDefinitionAtEveryInstantOnRandomHistories) {
  for (std::uint32_t seed = 1; seed <= 12; ++seed) {
    const analytics::EventLog log = random_log(seed);
    const std::vector<Instant> instants = testing::interesting_instants(log);
    std::mt19937 rng(seed);
    std::vector<SweepPoint> points;
    points.push_back({log.time_base() - Duration(5), {}});
    for (const Instant t : instants) {
      if (rng() % 3 != 0) continue;
      SweepPoint p{t, {}};
      switch (rng() % 4) {
        case 0:
          p.options.closed_from = t - std::chrono::days(rng() % 30);
          break;
        case 1:
          p.options.include_closed = false;
          break;
        default:
          break;
      }
      points.push_back(p);
      if (rng() % 10 == 0) points.push_back(p);  // the same instant twice
    }
    points.push_back({log.latest_instant() + std::chrono::days(400), {}});
    SweepStats stats;
    const auto states = sweep(log, sales_pipeline(), points, &stats);
    ASSERT_EQ(states.size(), points.size());
    EXPECT_EQ(stats.late_reads, 0u);
    std::size_t open_seen = 0, closed_seen = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
      auto ref = pipeline_state_as_of(log, sales_pipeline(), points[i].as_of, points[i].options);
      ASSERT_TRUE(ref.ok()) << ref.status().to_string();
      expect_same(states[i], *ref, "seed " + std::to_string(seed) + " point " + std::to_string(i));
      open_seen += ref->open.size();
      closed_seen += ref->closed.size();
      if (::testing::Test::HasFailure()) return;
    }
    EXPECT_GT(open_seen, 0u);
    EXPECT_GT(closed_seen, 0u);
  }
}

// More deals than one word of the sweep's change bits (64) and than one word
// of their summary (4096 deals), points every two days and random windows:
// still the definition at every point, without reading past any instant.
TEST(PipelineSweep, EqualsTheDefinitionOnALargerLogAtRegularPoints) {
  testing::RandomLogOptions o;
  o.deals = 5000;
  o.days = 200;
  const analytics::EventLog log = random_log(7, o);
  std::mt19937 rng(7);
  std::vector<SweepPoint> points;
  for (int day = 0; day < 320; day += 2) {
    SweepPoint p{at("2024-01-01T12:00:00Z") + std::chrono::days(day), {}};
    if (rng() % 2 == 0) p.options.closed_from = p.as_of - std::chrono::days(rng() % 40);
    points.push_back(p);
  }
  SweepStats stats;
  const auto states = sweep(log, sales_pipeline(), points, &stats);
  ASSERT_EQ(states.size(), points.size());
  EXPECT_EQ(stats.late_reads, 0u);
  EXPECT_GT(stats.max_active, 64u);
  std::size_t open_seen = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    auto ref = pipeline_state_as_of(log, sales_pipeline(), points[i].as_of, points[i].options);
    ASSERT_TRUE(ref.ok()) << ref.status().to_string();
    expect_same(states[i], *ref, "point " + std::to_string(i));
    open_seen += ref->open.size();
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(open_seen, 4096u);
  // Windows that only narrow (each point's closed deals from its month's first
  // day, as the backtest asks): kept by filtering, without the closed store.
  for (SweepPoint& p : points) {
    const Date d = p.as_of.date();
    p.options.closed_from = Instant::at_midnight(d - (d.day() - 1));
  }
  const auto narrowing = sweep(log, sales_pipeline(), points);
  ASSERT_EQ(narrowing.size(), points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    auto ref = pipeline_state_as_of(log, sales_pipeline(), points[i].as_of, points[i].options);
    ASSERT_TRUE(ref.ok()) << ref.status().to_string();
    expect_same(narrowing[i], *ref, "narrowing point " + std::to_string(i));
    if (::testing::Test::HasFailure()) return;
  }
}

// The owner of a closed deal is the owner at its closing instant: a change
// after closing does not move it; a reopen and a second closing does.
TEST(PipelineSweep, ClosedOwnerIsTheOwnerAtClosingAcrossReopens) {
  analytics::EventLog log;
  const PipelineId sales = log.intern_pipeline("sales");
  const auto manager = analytics::to_dimension_id(analytics::StandardDimension::manager);
  auto d = *log.add_deal("A", sales, at("2024-01-01T00:00:00Z"), Money(1000, Currency::of("RUB")));
  log.set_dimension(d, manager, "Иванов");
  ASSERT_TRUE(log.append_event(d, at("2024-01-01T00:00:00Z"), sales_stage("NEW")).ok());
  ASSERT_TRUE(log.append_event(d, at("2024-01-05T00:00:00Z"), sales_stage("WON")).ok());
  ASSERT_TRUE(log.add_dimension_change(d, at("2024-01-08T00:00:00Z"), manager, "Petrova").ok());
  ASSERT_TRUE(log.append_event(d, at("2024-01-10T00:00:00Z"), sales_stage("QUAL")).ok());  // reopened
  ASSERT_TRUE(log.append_event(d, at("2024-01-12T00:00:00Z"), sales_stage("LOST")).ok());
  ASSERT_TRUE(log.add_dimension_change(d, at("2024-01-15T00:00:00Z"), manager, "Ng").ok());
  log.seal();
  const std::uint32_t ivanov = *log.dimension(manager).values.find("Иванов");
  const std::uint32_t petrova = *log.dimension(manager).values.find("Petrova");
  const std::vector<SweepPoint> points = {{at("2024-01-06T00:00:00Z"), {}},
                                          {at("2024-01-09T00:00:00Z"), {}},
                                          {at("2024-01-11T00:00:00Z"), {}},
                                          {at("2024-01-13T00:00:00Z"), {}},
                                          {at("2024-01-16T00:00:00Z"), {}}};
  const auto states = sweep(log, sales_pipeline(), points);
  ASSERT_EQ(states.size(), 5u);
  for (const std::size_t i : {0, 1}) {
    ASSERT_EQ(states[i].closed.size(), 1u) << i;
    EXPECT_TRUE(states[i].closed[0].won);
    EXPECT_EQ(states[i].closed[0].owner, ivanov) << i;  // Petrova from 01-08, after the closing
  }
  ASSERT_EQ(states[2].open.size(), 1u);
  EXPECT_EQ(states[2].open[0].owner, petrova);
  for (const std::size_t i : {3, 4}) {
    ASSERT_EQ(states[i].closed.size(), 1u) << i;
    EXPECT_FALSE(states[i].closed[0].won);
    EXPECT_EQ(states[i].closed[0].closed_at, at("2024-01-12T00:00:00Z"));
    EXPECT_EQ(states[i].closed[0].owner, petrova) << i;  // Ng from 01-15, after the second closing
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    auto ref = pipeline_state_as_of(log, sales_pipeline(), points[i].as_of);
    ASSERT_TRUE(ref.ok());
    expect_same(states[i], *ref, "point " + std::to_string(i));
  }
}

TEST(PipelineSweep, TheOtherPipelineOfMovedDeals) {
  const analytics::EventLog log = random_log(99);
  const std::vector<Instant> instants = testing::interesting_instants(log);
  std::vector<SweepPoint> points;
  for (const Instant t : instants) points.push_back({t, {}});
  const auto states = sweep(log, testing::service_pipeline(), points);
  ASSERT_EQ(states.size(), points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    auto ref = pipeline_state_as_of(log, testing::service_pipeline(), points[i].as_of);
    ASSERT_TRUE(ref.ok());
    expect_same(states[i], *ref, "point " + std::to_string(i));
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(PipelineSweep, Errors) {
  analytics::EventLog log = random_log(3);
  std::vector<SweepPoint> points = {{at("2024-02-01T00:00:00Z"), {}}, {at("2024-01-01T00:00:00Z"), {}}};
  const auto none = [](std::size_t, const PipelineState&) -> Status { return {}; };
  Status st = sweep_pipeline_states(log, sales_pipeline(), points, none);
  EXPECT_EQ(st.code(), ErrorCode::invalid_argument);
  EXPECT_NE(st.message().find("instant 1 (2024-01-01T00:00:00Z) is before instant 0"), std::string::npos)
      << st.message();
  points.pop_back();
  // A pipeline the log has no deals of.
  const LoadedPipeline other = testing::make_pipeline(
      R"({"id": "other", "name": "X", "stages": [{"id": "A", "name": "A", "kind": "open"},
          {"id": "W", "name": "W", "kind": "won"}, {"id": "L", "name": "L", "kind": "lost"}]})");
  st = sweep_pipeline_states(log, other.pipeline, points, none);
  EXPECT_EQ(st.code(), ErrorCode::not_found);
  // The visitor's error stops the sweep.
  st = sweep_pipeline_states(log, sales_pipeline(), points, [](std::size_t, const PipelineState&) {
    return Status(ErrorCode::refused, "stop");
  });
  EXPECT_EQ(st.message(), "stop");
  // An unsealed log.
  ASSERT_TRUE(log.append_event(DealId{0}, at("2024-03-01T00:00:00Z"), StageId{0}).ok());
  st = sweep_pipeline_states(log, sales_pipeline(), points, none);
  EXPECT_EQ(st.code(), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace dealflow::planning
