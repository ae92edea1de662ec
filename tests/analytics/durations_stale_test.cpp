// Stale deals: over the stage SLA, or over the stage's Kaplan–Meier 90th
// percentile of time in stage.
#include <gtest/gtest.h>

#include "analytics/durations_fixture.h"
#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/stale.h"

namespace dealflow::analytics {
namespace {

using namespace testing;

// As of day 20. B has a 5-day calendar SLA.
//   q1..q9: A@0, B@1, WON@2          (A and B visits of 1 day)
//   s1: A@0, B@1                     in B since day 1: 19 days > 5-day SLA
//   s2: created 14: A@14, B@15       in B since day 15: exactly 5 days, not over
//   s3: created 5: A@5               in A since day 5: 15 days
// A latest visits: eleven of 1 day + 15 running -> S(1) = 1/12 <= 0.1: p90 = 1 day,
// so s3 is over it. B latest visits: nine of 1 day + 19 and 5 running -> S(1) = 2/11:
// p90 not reached.
class StaleHandComputed : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 1; i <= 9; ++i) {
      const DealId q = b_.deal("q" + std::to_string(i), 0, "Иванова Анна");
      b_.event(q, 0, "A").event(q, 1, "B").event(q, 2, "WON");
    }
    const DealId s1 = b_.deal("s1", 0, "Петров Сергей"), s2 = b_.deal("s2", 14),
                 s3 = b_.deal("s3", 5, "Иванова Анна");
    b_.event(s1, 0, "A").event(s1, 1, "B");
    b_.event(s2, 14, "A").event(s2, 15, "B");
    b_.event(s3, 5, "A");
    q_.as_of = day(20);
  }
  LogBuilder b_;
  StaleQuery q_;
};

TEST_F(StaleHandComputed, SlaAndNinetiethPercentile) {
  auto r = find_stale_deals(b_.log(), small_pipeline(), q_);
  ASSERT_TRUE(r) << r.status().to_string();
  ASSERT_EQ(r->stages.size(), 3u);
  EXPECT_EQ(r->stages[0].stage_id, "A");
  EXPECT_FALSE(r->stages[0].sla);
  EXPECT_EQ(r->stages[0].p90, kDay);
  EXPECT_EQ(r->stages[0].open_deals, 1u);
  EXPECT_EQ(r->stages[0].stale_deals, 1u);
  ASSERT_TRUE(r->stages[1].sla);
  EXPECT_EQ(r->stages[1].sla->limit.count(), 5 * kDay);
  EXPECT_EQ(r->stages[1].p90, std::nullopt);
  EXPECT_EQ(r->stages[1].open_deals, 2u);
  EXPECT_EQ(r->stages[1].stale_deals, 1u);

  ASSERT_EQ(r->deals.size(), 2u);
  const StaleDeal& a = r->deals[0];  // funnel order: A first
  EXPECT_EQ(a.deal_key, "s3");
  EXPECT_EQ(a.manager, "Иванова Анна");
  EXPECT_EQ(a.stage_id, "A");
  EXPECT_EQ(a.since, day(5));
  EXPECT_EQ(a.idle, 15 * kDay);
  EXPECT_TRUE(a.over_p90);
  EXPECT_FALSE(a.over_sla);
  EXPECT_FALSE(a.sla_idle);
  const StaleDeal& b = r->deals[1];
  EXPECT_EQ(b.deal_key, "s1");
  EXPECT_EQ(b.idle, 19 * kDay);
  EXPECT_EQ(b.sla_idle, 19 * kDay);
  EXPECT_TRUE(b.over_sla);
  EXPECT_FALSE(b.over_p90);
  EXPECT_FALSE(r->default_sla_calendar);
}

TEST_F(StaleHandComputed, EachCriterionCanBeSwitchedOff) {
  q_.use_sla = false;
  auto r = find_stale_deals(b_.log(), small_pipeline(), q_);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->deals.size(), 1u);
  EXPECT_EQ(r->deals[0].deal_key, "s3");
  q_.use_sla = true;
  q_.use_p90 = false;
  r = find_stale_deals(b_.log(), small_pipeline(), q_);
  ASSERT_EQ(r->deals.size(), 1u);
  EXPECT_EQ(r->deals[0].deal_key, "s1");
}

TEST_F(StaleHandComputed, OneSecondPastTheSlaIsStale) {
  q_.as_of = Instant::from_unix_seconds(day(20).unix_seconds() + 1);  // s2: 5 days + 1 s in B
  q_.use_p90 = false;
  auto r = find_stale_deals(b_.log(), small_pipeline(), q_);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->deals.size(), 2u);
  EXPECT_EQ(r->deals[0].deal_key, "s1");  // idle descending within B
  EXPECT_EQ(r->deals[1].deal_key, "s2");
}

TEST_F(StaleHandComputed, PrecomputedDurationsGiveTheSameAnswer) {
  DurationQuery dq;
  dq.as_of = q_.as_of;
  auto durations = compute_durations(b_.log(), small_pipeline(), dq);
  ASSERT_TRUE(durations);
  auto with = find_stale_deals(b_.log(), small_pipeline(), q_, *durations);
  auto without = find_stale_deals(b_.log(), small_pipeline(), q_);
  ASSERT_TRUE(with && without);
  ASSERT_EQ(with->deals.size(), without->deals.size());
  for (std::size_t i = 0; i < with->deals.size(); ++i)
    EXPECT_EQ(with->deals[i].deal_key, without->deals[i].deal_key);
  // A report of another instant is refused.
  dq.as_of = day(19);
  durations = compute_durations(b_.log(), small_pipeline(), dq);
  auto mismatch = find_stale_deals(b_.log(), small_pipeline(), q_, *durations);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.status().code(), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace dealflow::analytics
