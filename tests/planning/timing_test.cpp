// The timing model (Aalen–Johansen per stage) on a tiny hand-computed history.
#include <gtest/gtest.h>

#include "dealflow/planning/forecast.h"
#include "dealflow/planning/timing.h"
#include "forecast_fixture.h"

namespace dealflow::planning {
namespace {

using forecast_testing::add;
using forecast_testing::at;
using forecast_testing::forecast_pipeline;
using forecast_testing::rub;

constexpr std::int64_t kTimingDay = 86400;

// Four deals enter OFFER on 2026-03-01: won after 10 days, lost after 20,
// won after 30, still open at as_of = 2026-04-10 (censored at 40 days).
//   t = 10 d: n = 4, one won:  S = 3/4, CIF_won = 1/4
//   t = 20 d: n = 3, one lost: S = 1/2, CIF_lost = 3/4 * 1/3 = 1/4
//   t = 30 d: n = 2, one won:  S = 1/4, CIF_won = 1/4 + 1/2 * 1/2 = 1/2
// Also: a deal that entered OFFER before the window (excluded) and a deal
// that visits OFFER twice (its first visit only: won 5 days after it).
analytics::EventLog timing_log() {
  analytics::EventLog log;
  add(log, {"W10",
            "2026-02-01",
            rub(100),
            "m",
            {{"NEW", "2026-02-01T00:00:00Z"},
             {"OFFER", "2026-03-01T00:00:00Z"},
             {"WON", "2026-03-11T00:00:00Z"}}});
  add(log, {"L20",
            "2026-02-01",
            rub(100),
            "m",
            {{"OFFER", "2026-03-01T00:00:00Z"}, {"LOST", "2026-03-21T00:00:00Z"}}});
  add(log, {"W30",
            "2026-02-01",
            rub(100),
            "m",
            {{"OFFER", "2026-03-01T00:00:00Z"},
             {"COMMIT", "2026-03-15T00:00:00Z"},
             {"WON", "2026-03-31T00:00:00Z"}}});
  add(log, {"OPEN", "2026-02-01", rub(100), "m", {{"OFFER", "2026-03-01T00:00:00Z"}}});
  add(log, {"OLD",
            "2025-01-01",
            rub(100),
            "m",
            {{"OFFER", "2025-01-01T00:00:00Z"}, {"WON", "2025-01-02T00:00:00Z"}}});
  log.seal();
  return log;
}

TEST(Timing, AalenJohansenConditionalOnAgeByHand) {
  const auto log = timing_log();
  const Instant as_of = at("2026-04-10T00:00:00Z");
  auto m = TimingModel::fit(log, forecast_pipeline(), at("2026-02-15T00:00:00Z"), as_of);
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  const StageTiming* offer = m->stage(forecast_testing::stage("OFFER"));
  ASSERT_NE(offer, nullptr);
  EXPECT_EQ(offer->visits, 4u);  // OLD is before the window
  EXPECT_EQ(offer->won, 2u);
  EXPECT_EQ(offer->lost, 1u);
  // Age 0, horizon 10 days: CIF_won(10 d) = 1/4.
  auto p = m->probabilities(forecast_testing::stage("OFFER"), 0, 10 * kTimingDay);
  EXPECT_DOUBLE_EQ(p.won, 0.25);
  EXPECT_DOUBLE_EQ(p.lost, 0.0);
  // Age 15 days, horizon 20: (1/2 - 1/4) / (3/4) = 1/3 won, (1/4 - 0) / (3/4) = 1/3 lost.
  p = m->probabilities(forecast_testing::stage("OFFER"), 15 * kTimingDay, 20 * kTimingDay);
  EXPECT_NEAR(p.won, 1.0 / 3, 1e-12);
  EXPECT_NEAR(p.lost, 1.0 / 3, 1e-12);
  EXPECT_NEAR(p.open(), 1.0 / 3, 1e-12);
  // Older deals are less likely to close: at 31 days nothing more is observed.
  p = m->probabilities(forecast_testing::stage("OFFER"), 31 * kTimingDay, 100 * kTimingDay);
  EXPECT_EQ(p.won, 0.0);
  EXPECT_EQ(p.lost, 0.0);
  // COMMIT: one visit (W30, won 16 days after entering).
  p = m->probabilities(forecast_testing::stage("COMMIT"), 0, 16 * kTimingDay);
  EXPECT_DOUBLE_EQ(p.won, 1.0);
  // Past the last event S = 0: the stated fallback (stays open).
  p = m->probabilities(forecast_testing::stage("COMMIT"), 17 * kTimingDay, kTimingDay);
  EXPECT_EQ(p.won, 0.0);
  // Terminal stages have no curve.
  EXPECT_EQ(m->probabilities(forecast_testing::stage("WON"), 0, kTimingDay).won, 0.0);
}

TEST(Timing, FirstVisitOnlyAndNoLookAhead) {
  analytics::EventLog log;
  add(log, {"TWICE",
            "2026-03-01",
            rub(100),
            "m",
            {{"OFFER", "2026-03-01T00:00:00Z"},
             {"NEW", "2026-03-02T00:00:00Z"},
             {"OFFER", "2026-03-04T00:00:00Z"},
             {"WON", "2026-03-06T00:00:00Z"},
             {"LOST", "2026-05-01T00:00:00Z"}}});
  log.seal();
  auto m = TimingModel::fit(log, forecast_pipeline(), at("2026-01-01"), at("2026-04-01"));
  ASSERT_TRUE(m.ok());
  const StageTiming* offer = m->stage(forecast_testing::stage("OFFER"));
  EXPECT_EQ(offer->visits, 1u);  // one subject, from the first visit: won after 5 days
  EXPECT_EQ(offer->won, 1u);
  EXPECT_EQ(offer->lost, 0u);  // the later loss is after as_of
  EXPECT_DOUBLE_EQ(m->probabilities(forecast_testing::stage("OFFER"), 0, 5 * kTimingDay).won, 1.0);
  EXPECT_DOUBLE_EQ(m->probabilities(forecast_testing::stage("OFFER"), 0, 5 * kTimingDay - 1).won, 0.0);
}

TEST(Timing, PerDealUsesTheAgeInStage) {
  const Instant as_of = at("2026-04-10T00:00:00Z");
  auto t = timing_log();
  auto state = pipeline_state_as_of(t, forecast_pipeline(), as_of);
  ASSERT_TRUE(state.ok());
  ASSERT_EQ(state->open.size(), 1u);  // OPEN, in OFFER for 40 days
  FitOptions fo;
  fo.training_window = std::chrono::days(54);  // from 2026-02-15
  auto models = fit_models(t, forecast_pipeline(), as_of, fo);
  ASSERT_TRUE(models.ok()) << models.status().to_string();
  // Age 40 days > every observed time with S(40 d) = 1/4: nothing more happens.
  const auto p = deal_win_probabilities(ForecastMethod::timing, *models, forecast_pipeline(), *state,
                                        at("2026-07-01T00:00:00Z"));
  EXPECT_EQ(p, std::vector<double>{0.0});
}

TEST(Timing, WindowAheadOfAsOf) {
  const auto log = timing_log();
  const Instant as_of = at("2026-04-10T00:00:00Z");
  auto m = TimingModel::fit(log, forecast_pipeline(), at("2026-02-15T00:00:00Z"), as_of);
  ASSERT_TRUE(m.ok());
  OpenDeal d;
  d.stage = forecast_testing::stage("OFFER");
  d.stage_entered = as_of;  // age 0
  // Won in (10 d, 35 d]: CIF_won(35 d) - CIF_won(10 d) = 1/2 - 1/4; lost by 35 d: 1/4.
  auto p =
      timing_window_probabilities(*m, d, as_of, as_of + std::chrono::days(10), as_of + std::chrono::days(35));
  EXPECT_DOUBLE_EQ(p.won, 0.25);
  EXPECT_DOUBLE_EQ(p.lost, 0.25);
  // A window starting at or before as_of is the plain horizon.
  p = timing_window_probabilities(*m, d, as_of, as_of - std::chrono::days(5), as_of + std::chrono::days(10));
  EXPECT_DOUBLE_EQ(p.won, 0.25);
  // An empty or past window: nothing.
  EXPECT_EQ(timing_window_probabilities(*m, d, as_of, as_of - std::chrono::days(9), as_of).won, 0.0);
}

TEST(Timing, Errors) {
  const auto log = timing_log();
  EXPECT_EQ(TimingModel::fit(log, forecast_pipeline(), at("2026-05-01"), at("2026-04-01")).status().code(),
            ErrorCode::invalid_argument);
  analytics::EventLog unsealed;
  add(unsealed, {"X", "2026-02-01", rub(1), "m", {{"NEW", "2026-02-01T00:00:00Z"}}});
  EXPECT_FALSE(TimingModel::fit(unsealed, forecast_pipeline(), at("2026-01-01"), at("2026-04-01")).ok());
}

}  // namespace
}  // namespace dealflow::planning
