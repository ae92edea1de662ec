// The cycle curves of `dealflow durations --curves` (survival_curves.h):
// exact Kaplan–Meier and Aalen–Johansen values on a hand-computed case,
// downsampling, and won + lost + survival = 1 over random inputs.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "dealflow/analytics/survival_curves.h"

namespace dealflow::analytics {
namespace {

constexpr std::uint8_t W = 1, L = 2;

// Five deals: won at 2, censored at 3, lost at 5, won at 5, censored at 8.
//   t=2: n=5, d=1          S = 4/5            CIF_won = 1/5
//   t=5: n=3, d=2 (W, L)   S = 4/5 * 1/3 = 4/15
//        CIF_won += S(2) * 1/3 = 4/15 -> 1/5 + 4/15 = 7/15; CIF_lost = 4/15
TEST(SurvivalCurves, FiveDealsWithCensoring) {
  const std::vector<SurvivalObservation> obs = {{2, W}, {3, kCensored}, {5, L}, {5, W}, {8, kCensored}};
  auto c = cycle_curves(obs);
  ASSERT_TRUE(c) << c.status().to_string();
  ASSERT_EQ(c->to_close.size(), 2u);
  EXPECT_EQ(c->to_close[0].time, 2);
  EXPECT_EQ(c->to_close[0].at_risk, 5u);
  EXPECT_EQ(c->to_close[0].events, 1u);
  EXPECT_EQ(c->to_close[0].censored, 0u);
  EXPECT_DOUBLE_EQ(c->to_close[0].survival, 4.0 / 5.0);
  EXPECT_EQ(c->to_close[1].time, 5);
  EXPECT_EQ(c->to_close[1].at_risk, 3u);
  EXPECT_EQ(c->to_close[1].events, 2u);
  EXPECT_DOUBLE_EQ(c->to_close[1].survival, 4.0 / 15.0);
  EXPECT_EQ(c->censor_times, (std::vector<std::int64_t>{3, 8}));
  ASSERT_EQ(c->incidence.size(), 2u);
  EXPECT_DOUBLE_EQ(c->incidence[0].won, 1.0 / 5.0);
  EXPECT_DOUBLE_EQ(c->incidence[0].lost, 0.0);
  EXPECT_DOUBLE_EQ(c->incidence[1].won, 7.0 / 15.0);
  EXPECT_DOUBLE_EQ(c->incidence[1].lost, 4.0 / 15.0);
  EXPECT_DOUBLE_EQ(c->incidence[1].survival, 4.0 / 15.0);
  EXPECT_EQ(c->event_times, 2u);
  EXPECT_EQ(c->stride, 1u);
}

TEST(SurvivalCurves, CensoredAtAnEventTimeIsCountedThere) {
  // Censored at 4 together with an event at 4: still at risk at 4.
  const std::vector<SurvivalObservation> obs = {{4, W}, {4, kCensored}, {6, L}};
  auto c = cycle_curves(obs);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->to_close.size(), 2u);
  EXPECT_EQ(c->to_close[0].at_risk, 3u);
  EXPECT_EQ(c->to_close[0].censored, 1u);
  EXPECT_DOUBLE_EQ(c->to_close[0].survival, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(c->to_close[1].survival, 0.0);
  EXPECT_EQ(c->censor_times, (std::vector<std::int64_t>{4}));
}

TEST(SurvivalCurves, EmptyAndAllCensored) {
  auto empty = cycle_curves({});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->to_close.empty());
  EXPECT_TRUE(empty->incidence.empty());
  const std::vector<SurvivalObservation> open = {{1, kCensored}, {1, kCensored}, {9, kCensored}};
  auto c = cycle_curves(open);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->to_close.empty());
  EXPECT_EQ(c->censor_times, (std::vector<std::int64_t>{1, 9}));
}

TEST(SurvivalCurves, Errors) {
  const std::vector<SurvivalObservation> bad_cause = {{1, 3}};
  EXPECT_EQ(cycle_curves(bad_cause).status().code(), ErrorCode::invalid_argument);
  const std::vector<SurvivalObservation> negative = {{-1, W}};
  EXPECT_EQ(cycle_curves(negative).status().code(), ErrorCode::invalid_argument);
  const std::vector<SurvivalObservation> ok = {{1, W}};
  EXPECT_EQ(cycle_curves(ok, 0).status().code(), ErrorCode::invalid_argument);
}

// 10 distinct event times, at most 4 points: runs of 3 (the last run 1 point),
// each at its last time with that time's S, events and censorings summed.
TEST(SurvivalCurves, DownsamplingMergesRunsExactly) {
  std::vector<SurvivalObservation> obs;
  for (int t = 1; t <= 10; ++t) obs.push_back({t, W});
  for (int t = 1; t <= 10; ++t) obs.push_back({t, kCensored});  // censored at each event time, and 100..104
  for (int t = 100; t < 105; ++t) obs.push_back({t, kCensored});
  auto full = cycle_curves(obs);
  auto c = cycle_curves(obs, 4);
  ASSERT_TRUE(full && c);
  EXPECT_EQ(c->event_times, 10u);
  EXPECT_EQ(c->stride, 3u);
  ASSERT_EQ(c->to_close.size(), 4u);
  const std::int64_t times[4] = {3, 6, 9, 10};
  std::uint64_t events = 0, censored = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(c->to_close[i].time, times[i]);
    EXPECT_DOUBLE_EQ(c->to_close[i].survival,
                     full->to_close[static_cast<std::size_t>(times[i] - 1)].survival);
    EXPECT_EQ(c->to_close[i].at_risk, full->to_close[i * 3].at_risk);
    events += c->to_close[i].events;
    censored += c->to_close[i].censored;
    EXPECT_EQ(c->incidence[i].time, times[i]);
  }
  EXPECT_EQ(events, 10u);
  EXPECT_EQ(censored, 10u);
  // 15 distinct censor times (1..10, 100..104), at most 4: every 4th (1, 5, 9, 102) and the last.
  EXPECT_EQ(c->censor_count, 15u);
  EXPECT_EQ(c->censor_stride, 4u);
  EXPECT_EQ(c->censor_times, (std::vector<std::int64_t>{1, 5, 9, 102, 104}));
}

// Property: at every point, CIF_won + CIF_lost + S = 1; S does not increase and
// the incidences do not decrease; events sum to the closed observations.
TEST(SurvivalCurves, IncidenceAndSurvivalSumToOne) {
  std::mt19937_64 rng(2026);
  for (int round = 0; round < 200; ++round) {
    std::vector<SurvivalObservation> obs(1 + rng() % 300);
    std::uint64_t closed = 0;
    for (auto& o : obs) {
      o.time = static_cast<std::int64_t>(rng() % 50);
      o.cause = static_cast<std::uint8_t>(rng() % 3);
      closed += o.cause != kCensored;
    }
    auto c = cycle_curves(obs, 1 + rng() % 60);
    ASSERT_TRUE(c);
    std::uint64_t events = 0;
    for (std::size_t i = 0; i < c->incidence.size(); ++i) {
      const IncidencePoint& p = c->incidence[i];
      EXPECT_NEAR(p.won + p.lost + p.survival, 1.0, 1e-12) << round << " " << i;
      EXPECT_NEAR(p.survival, c->to_close[i].survival, 1e-12);
      if (i > 0) {
        EXPECT_LE(p.survival, c->incidence[i - 1].survival);
        EXPECT_GE(p.won, c->incidence[i - 1].won);
        EXPECT_GE(p.lost, c->incidence[i - 1].lost);
        EXPECT_LT(c->to_close[i - 1].time, c->to_close[i].time);
      }
      events += c->to_close[i].events;
    }
    EXPECT_EQ(events, closed);
  }
}

}  // namespace
}  // namespace dealflow::analytics
