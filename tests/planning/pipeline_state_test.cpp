// The pipeline at an instant: open deals with their fields as of T, closed
// deals with their closing instant and the owner who closed them.
#include "dealflow/planning/pipeline_state.h"

#include <gtest/gtest.h>

#include "analytics/funnel_fixture.h"
#include "planning/instant_fixture.h"

namespace dealflow::planning {
namespace {

using analytics::EventLog;
using analytics::StandardDimension;
using analytics::testing::fixture_pipeline;
using instant_testing::at;

// A stage of the analytics fixture pipeline (the planning fixtures have their own stage()).
StageId funnel_stage(const char* id) {
  return analytics::testing::stage(id);
}

const Currency kRub = Currency::of("RUB");

// A: NEW 03-01, QUAL 03-05, QUAL 03-07 (same stage again), OFFER 03-10; amount 1000 -> 1500 (03-08);
//    owner Иванов -> Петрова (03-09); close date 04-15 -> 05-01 (03-20); probability 30 % (03-06);
//    forecast category "Commit" from 03-11.
// B: NEW 03-01, WON 03-15; owner Сидоров -> Иванов (03-20, after closing).
// C: NEW 03-02, LOST 03-04, reopened NEW 03-06.
// D: created 03-30.
struct StateFixture {
  EventLog log;
  DealId a, b, c, dd;
  StateFixture() {
    const PipelineId p = log.intern_pipeline("sales");
    a = *log.add_deal("A", p, at("2024-03-01"), Money(100000, kRub));
    b = *log.add_deal("B", p, at("2024-03-01"), Money(50000, kRub));
    c = *log.add_deal("C", p, at("2024-03-02"));
    dd = *log.add_deal("D", p, at("2024-03-30"));
    const auto manager = analytics::to_dimension_id(StandardDimension::manager);
    const auto category = log.add_dimension("forecast_category");
    log.set_dimension(a, StandardDimension::manager, "Иванов");
    log.set_dimension(b, StandardDimension::manager, "Сидоров");
    log.set_close_date(a, *Date::parse("2024-04-15"));
    for (auto [deal, when, st] : std::vector<std::tuple<DealId, const char*, const char*>>{
             {a, "2024-03-01", "NEW"},
             {a, "2024-03-05", "QUAL"},
             {a, "2024-03-07", "QUAL"},
             {a, "2024-03-10", "OFFER"},
             {b, "2024-03-01", "NEW"},
             {b, "2024-03-15", "WON"},
             {c, "2024-03-02", "NEW"},
             {c, "2024-03-04", "LOST"},
             {c, "2024-03-06", "NEW"},
             {dd, "2024-03-30", "NEW"}}) {
      EXPECT_TRUE(log.append_event(deal, at(when), funnel_stage(st)).ok());
    }
    EXPECT_TRUE(log.add_amount_change(a, at("2024-03-08"), Money(150000, kRub)).ok());
    EXPECT_TRUE(log.add_dimension_change(a, at("2024-03-09"), manager, "Петрова").ok());
    EXPECT_TRUE(log.add_close_date_change(a, at("2024-03-20"), *Date::parse("2024-05-01")).ok());
    EXPECT_TRUE(log.add_probability_change(a, at("2024-03-06"), 3000).ok());
    EXPECT_TRUE(log.add_dimension_change(a, at("2024-03-11"), category, "Commit").ok());
    EXPECT_TRUE(log.add_dimension_change(b, at("2024-03-20"), manager, "Иванов").ok());
    log.seal();
  }
  std::string owner(std::uint32_t code) const {
    return code == kNoValue ? "" : std::string(log.dimension(StandardDimension::manager).values.at(code));
  }
};

TEST(PipelineState, OpenDealsCarryTheirFieldsAsOfTheInstant) {
  StateFixture f;
  auto s = pipeline_state_as_of(f.log, fixture_pipeline(), at("2024-03-07T12:00:00Z"));
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  ASSERT_EQ(s->open.size(), 3u);  // A, B (not won yet), C (reopened on 03-06)
  const OpenDeal& a = s->open[0];
  EXPECT_EQ(a.deal, f.a);
  EXPECT_EQ(a.stage, funnel_stage("QUAL"));
  EXPECT_EQ(a.stage_entered, at("2024-03-05"));  // the run of QUAL began on 03-05, not 03-07
  EXPECT_EQ(a.amount, Money(100000, kRub));
  EXPECT_EQ(a.close_date, *Date::parse("2024-04-15"));
  EXPECT_EQ(a.probability, 3000u);
  EXPECT_EQ(f.owner(a.owner), "Иванов");
  EXPECT_EQ(a.category, ForecastCategory::pipeline);  // QUAL's default (probability 0.2)
  const OpenDeal& c = s->open[2];
  EXPECT_EQ(c.deal, f.c);
  EXPECT_EQ(c.stage, funnel_stage("NEW"));
  EXPECT_EQ(c.stage_entered, at("2024-03-06"));
  EXPECT_FALSE(c.amount.has_value());
  EXPECT_FALSE(c.probability.has_value());
  EXPECT_EQ(effective_probability(fixture_pipeline(), c), 1000u);  // NEW's default 0.1
  EXPECT_TRUE(s->closed.empty());
}

TEST(PipelineState, LaterValuesAndTheDealsOwnCategory) {
  StateFixture f;
  auto s = pipeline_state_as_of(f.log, fixture_pipeline(), at("2024-03-25"));
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->open.size(), 2u);  // A and C; D does not exist yet
  const OpenDeal& a = s->open[0];
  EXPECT_EQ(a.stage, funnel_stage("OFFER"));
  EXPECT_EQ(a.amount, Money(150000, kRub));
  EXPECT_EQ(a.close_date, *Date::parse("2024-05-01"));
  EXPECT_EQ(f.owner(a.owner), "Петрова");
  EXPECT_EQ(a.category, ForecastCategory::commit);
  ASSERT_EQ(s->closed.size(), 1u);
  const ClosedDeal& b = s->closed[0];
  EXPECT_EQ(b.deal, f.b);
  EXPECT_TRUE(b.won);
  EXPECT_EQ(b.closed_at, at("2024-03-15"));
  EXPECT_EQ(f.owner(b.owner), "Сидоров");  // the owner who closed it, not the later one
  EXPECT_EQ(b.amount, Money(50000, kRub));
}

TEST(PipelineState, ReopenedDealIsClosedBetweenLossAndReopen) {
  StateFixture f;
  auto s = pipeline_state_as_of(f.log, fixture_pipeline(), at("2024-03-05"));
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->closed.size(), 1u);
  EXPECT_EQ(s->closed[0].deal, f.c);
  EXPECT_FALSE(s->closed[0].won);
  EXPECT_EQ(s->closed[0].closed_at, at("2024-03-04"));
  // Only closings from a given instant on.
  StateOptions later;
  later.closed_from = at("2024-03-04T00:00:01Z");
  EXPECT_TRUE(pipeline_state_as_of(f.log, fixture_pipeline(), at("2024-03-05"), later)->closed.empty());
  StateOptions none;
  none.include_closed = false;
  EXPECT_TRUE(pipeline_state_as_of(f.log, fixture_pipeline(), at("2024-03-25"), none)->closed.empty());
}

TEST(PipelineState, ExactlyAtAnEventTheEventCounts) {
  StateFixture f;
  auto s = pipeline_state_as_of(f.log, fixture_pipeline(), at("2024-03-15"));
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->closed.size(), 1u);
  EXPECT_EQ(s->closed[0].deal, f.b);
  auto before = pipeline_state_as_of(f.log, fixture_pipeline(), at("2024-03-14T23:59:59Z"));
  EXPECT_TRUE(before->closed.empty());
}

TEST(PipelineState, Errors) {
  StateFixture f;
  EventLog unsealed;
  const PipelineId p = unsealed.intern_pipeline("sales");
  auto d = unsealed.add_deal("X", p, at("2024-03-01"));
  ASSERT_TRUE(unsealed.append_event(*d, at("2024-03-01"), funnel_stage("NEW")).ok());
  auto s = pipeline_state_as_of(unsealed, fixture_pipeline(), at("2024-03-05"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::invalid_argument);
  const auto other = analytics::testing::small_pipeline("service");
  auto missing = pipeline_state_as_of(f.log, other.pipeline, at("2024-03-05"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::not_found);
  EXPECT_NE(missing.status().message().find("service"), std::string::npos);
}

TEST(PipelineState, StageProbabilityRoundsToHundredthsOfAPercent) {
  EXPECT_EQ(stage_probability(fixture_pipeline(), funnel_stage("OFFER")), 5000u);
  EXPECT_EQ(stage_probability(fixture_pipeline(), funnel_stage("WON")), 10000u);
  EXPECT_EQ(stage_probability(fixture_pipeline(), StageId{99}), 0u);
}

}  // namespace
}  // namespace dealflow::planning
