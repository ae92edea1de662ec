// Kaplan–Meier: the textbook 6-MP leukemia remission data (Freireich et al.
// 1963, as tabulated in Kleinbaum & Klein, "Survival Analysis"), exact
// fractions, Greenwood's variance, quantile conventions and properties.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "dealflow/analytics/survival.h"

namespace dealflow::analytics {
namespace {

constexpr std::uint8_t E = 1;          // event (relapse)
constexpr std::uint8_t C = kCensored;  // censored

// Weeks in remission of the 21 patients on 6-MP; C = still in remission.
const std::vector<SurvivalObservation> kSixMp = {
    {6, E},  {6, E},  {6, E},  {6, C},  {7, E},  {9, C},  {10, E}, {10, C}, {11, C}, {13, E}, {16, E},
    {17, C}, {19, C}, {20, C}, {22, E}, {23, E}, {25, C}, {32, C}, {32, C}, {34, C}, {35, C}};

TEST(KaplanMeier, SixMpTableMatchesTheTextbook) {
  auto km = KaplanMeier::fit(kSixMp);
  ASSERT_TRUE(km);
  EXPECT_EQ(km->subjects(), 21u);
  EXPECT_EQ(km->events(), 9u);
  EXPECT_EQ(km->censored(), 12u);
  const auto steps = km->steps();
  ASSERT_EQ(steps.size(), 7u);
  // time, at risk, events, censored at that time
  const std::int64_t expected[7][4] = {{6, 21, 3, 1},  {7, 17, 1, 0}, {10, 15, 1, 1}, {13, 12, 1, 0},
                                       {16, 11, 1, 0}, {22, 7, 1, 0}, {23, 6, 1, 0}};
  for (std::size_t j = 0; j < 7; ++j) {
    EXPECT_EQ(steps[j].time, expected[j][0]) << j;
    EXPECT_EQ(steps[j].at_risk, static_cast<std::uint64_t>(expected[j][1])) << j;
    EXPECT_EQ(steps[j].events, static_cast<std::uint64_t>(expected[j][2])) << j;
    EXPECT_EQ(steps[j].censored, static_cast<std::uint64_t>(expected[j][3])) << j;
  }
  // Exact products of (n_j - d_j) / n_j.
  const double s6 = 18.0 / 21, s7 = s6 * 16 / 17, s10 = s7 * 14 / 15, s13 = s10 * 11 / 12,
               s16 = s13 * 10 / 11, s22 = s16 * 6 / 7, s23 = s22 * 5 / 6;
  EXPECT_DOUBLE_EQ(km->survival(6), s6);
  EXPECT_DOUBLE_EQ(km->survival(7), s7);
  EXPECT_DOUBLE_EQ(km->survival(10), s10);
  EXPECT_DOUBLE_EQ(km->survival(13), s13);
  EXPECT_DOUBLE_EQ(km->survival(16), s16);
  EXPECT_DOUBLE_EQ(km->survival(22), s22);
  EXPECT_DOUBLE_EQ(km->survival(23), s23);
  // The published three-decimal values.
  EXPECT_NEAR(km->survival(6), 0.857, 5e-4);
  EXPECT_NEAR(km->survival(7), 0.807, 5e-4);
  EXPECT_NEAR(km->survival(10), 0.753, 5e-4);
  EXPECT_NEAR(km->survival(13), 0.690, 5e-4);
  EXPECT_NEAR(km->survival(16), 0.627, 5e-4);
  EXPECT_NEAR(km->survival(22), 0.538, 5e-4);
  EXPECT_NEAR(km->survival(23), 0.448, 5e-4);
  // A step function, right-continuous: flat between event times, 1 before the first.
  EXPECT_DOUBLE_EQ(km->survival(0), 1.0);
  EXPECT_DOUBLE_EQ(km->survival(5), 1.0);
  EXPECT_DOUBLE_EQ(km->survival(9), s7);
  EXPECT_DOUBLE_EQ(km->survival(21), s16);
  EXPECT_DOUBLE_EQ(km->survival(1000), s23);
}

TEST(KaplanMeier, SixMpGreenwoodVariance) {
  auto km = KaplanMeier::fit(kSixMp);
  ASSERT_TRUE(km);
  const double s6 = 18.0 / 21, s7 = s6 * 16 / 17;
  const double g6 = 3.0 / (21 * 18), g7 = g6 + 1.0 / (17 * 16);
  EXPECT_DOUBLE_EQ(km->variance(6), s6 * s6 * g6);
  EXPECT_DOUBLE_EQ(km->variance(7), s7 * s7 * g7);
  // Published standard errors: 0.076 at 6 weeks, 0.087 at 7 weeks.
  EXPECT_NEAR(std::sqrt(km->variance(6)), 0.076, 5e-4);
  EXPECT_NEAR(std::sqrt(km->variance(7)), 0.087, 5e-4);
  EXPECT_DOUBLE_EQ(km->variance(3), 0.0);
}

TEST(KaplanMeier, SixMpMedianAndQuantiles) {
  auto km = KaplanMeier::fit(kSixMp);
  ASSERT_TRUE(km);
  EXPECT_EQ(km->median(), 23);                 // S(22) = 0.538 > 0.5, S(23) = 0.448 <= 0.5
  EXPECT_EQ(km->quantile(0.25), 13);           // S(10) = 0.753 > 0.75, S(13) = 0.690
  EXPECT_EQ(km->quantile(0.1), 6);             // S(6) = 0.857 <= 0.9
  EXPECT_EQ(km->quantile(0.6), std::nullopt);  // S never reaches 0.4: not reached
  EXPECT_EQ(km->quantile(0.0), std::nullopt);
  EXPECT_EQ(km->quantile(1.0), std::nullopt);
}

TEST(KaplanMeier, QuantileAtAnExactBoundaryUsesTheSmallestTime) {
  // S(2) = 1/2 exactly: the median is 2, not the midpoint between 2 and 3.
  const std::vector<SurvivalObservation> obs = {{1, E}, {2, E}, {3, E}, {3, C}};
  auto km = KaplanMeier::fit(obs);
  ASSERT_TRUE(km);
  EXPECT_DOUBLE_EQ(km->survival(1), 0.75);
  EXPECT_DOUBLE_EQ(km->survival(2), 0.5);
  EXPECT_EQ(km->median(), 2);
  // 1/3 computed as a running product lands within rounding of 1 - 2/3.
  const std::vector<SurvivalObservation> thirds = {{1, E}, {2, E}, {3, E}};
  auto k3 = KaplanMeier::fit(thirds);
  EXPECT_EQ(k3->quantile(2.0 / 3.0), 2);
}

TEST(KaplanMeier, EventsPrecedeCensoringsAtTheSameTime) {
  // Censored at 5 is still at risk at 5: n = 2 at t = 5, S(5) = 1/2.
  const std::vector<SurvivalObservation> obs = {{5, C}, {5, E}};
  auto km = KaplanMeier::fit(obs);
  ASSERT_TRUE(km);
  ASSERT_EQ(km->steps().size(), 1u);
  EXPECT_EQ(km->steps()[0].at_risk, 2u);
  EXPECT_DOUBLE_EQ(km->survival(5), 0.5);
}

TEST(KaplanMeier, EverybodyDiesGivesZeroAndZeroVariance) {
  const std::vector<SurvivalObservation> obs = {{1, E}, {2, E}};
  auto km = KaplanMeier::fit(obs);
  ASSERT_TRUE(km);
  EXPECT_DOUBLE_EQ(km->survival(2), 0.0);
  EXPECT_DOUBLE_EQ(km->variance(2), 0.0);
  EXPECT_EQ(km->quantile(0.99), 2);
}

TEST(KaplanMeier, EmptyAndAllCensored) {
  auto empty = KaplanMeier::fit({});
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->subjects(), 0u);
  EXPECT_DOUBLE_EQ(empty->survival(10), 1.0);
  EXPECT_EQ(empty->median(), std::nullopt);
  const std::vector<SurvivalObservation> obs = {{3, C}, {4, C}};
  auto km = KaplanMeier::fit(obs);
  EXPECT_TRUE(km->steps().empty());
  EXPECT_EQ(km->median(), std::nullopt);
}

TEST(KaplanMeier, TimeOutOfRangeIsRefusedNamingTheObservation) {
  const std::vector<SurvivalObservation> obs = {{3, E}, {-1, E}};
  auto km = KaplanMeier::fit(obs);
  ASSERT_FALSE(km);
  EXPECT_EQ(km.status().code(), ErrorCode::invalid_argument);
  EXPECT_NE(km.status().message().find("observation 1 has time -1: expected a duration in 0 .. 2^55-1"),
            std::string::npos);
  const std::vector<SurvivalObservation> huge = {{std::int64_t{1} << 55, E}};
  EXPECT_FALSE(KaplanMeier::fit(huge));
}

TEST(KaplanMeier, CauseSpecificCurveCensorsOtherCauses) {
  const std::vector<SurvivalObservation> obs = {{1, 1}, {2, 2}, {3, 1}, {4, C}};
  auto km = KaplanMeier::fit_cause(obs, 1);
  ASSERT_TRUE(km);
  EXPECT_EQ(km->events(), 2u);
  EXPECT_DOUBLE_EQ(km->survival(1), 0.75);
  EXPECT_DOUBLE_EQ(km->survival(3), 0.75 * 1 / 2);  // at 3: n = 2 (cause 2 left at 2)
}

// Without censoring the estimate is the empirical survival function.
TEST(KaplanMeier, PropertyNoCensoringEqualsEmpiricalSurvival) {
  std::mt19937_64 rng(11);
  for (int iter = 0; iter < 200; ++iter) {
    std::vector<SurvivalObservation> obs(1 + rng() % 40);
    for (auto& o : obs) o = {static_cast<std::int64_t>(rng() % 20), E};
    auto km = KaplanMeier::fit(obs);
    ASSERT_TRUE(km);
    for (std::int64_t t = -1; t <= 21; ++t) {
      const auto alive = std::count_if(obs.begin(), obs.end(), [t](const auto& o) { return o.time > t; });
      EXPECT_NEAR(km->survival(t), static_cast<double>(alive) / static_cast<double>(obs.size()), 1e-12);
    }
  }
}

// Survival never increases, stays in [0, 1], and the input order does not matter.
TEST(KaplanMeier, PropertyMonotoneAndOrderIndependent) {
  std::mt19937_64 rng(12);
  for (int iter = 0; iter < 200; ++iter) {
    std::vector<SurvivalObservation> obs(1 + rng() % 60);
    for (auto& o : obs)
      o = {static_cast<std::int64_t>(rng() % 30), static_cast<std::uint8_t>(rng() % 3 == 0 ? C : E)};
    auto a = KaplanMeier::fit(obs);
    std::shuffle(obs.begin(), obs.end(), rng);
    auto b = KaplanMeier::fit(obs);
    ASSERT_TRUE(a && b);
    double prev = 1.0;
    for (const auto& s : a->steps()) {
      EXPECT_LE(s.survival, prev);
      EXPECT_GE(s.survival, 0.0);
      EXPECT_GE(s.variance, 0.0);
      prev = s.survival;
    }
    ASSERT_EQ(a->steps().size(), b->steps().size());
    for (std::size_t j = 0; j < a->steps().size(); ++j)
      EXPECT_EQ(a->steps()[j].survival, b->steps()[j].survival);
    // The median, when reached, is the first event time at which S <= 1/2.
    if (auto m = a->median()) {
      EXPECT_LE(a->survival(*m), 0.5 + 1e-12);
      EXPECT_GT(a->survival(*m - 1), 0.5);
    } else {
      EXPECT_GT(a->survival(1'000'000), 0.5);
    }
  }
}

// Large inputs take the radix-sort path: the first steps agree with a brute
// force count of subjects at risk and events at each distinct event time.
TEST(KaplanMeier, PropertyLargeInputMatchesBruteForce) {
  std::mt19937_64 rng(13);
  std::vector<SurvivalObservation> obs(20000);
  for (auto& o : obs) {
    o = {static_cast<std::int64_t>(rng() % 5'000'000'000ull),
         static_cast<std::uint8_t>(rng() % 4 == 0 ? C : E)};
  }
  for (std::size_t i = 0; i < 2000; ++i) obs[i].time = static_cast<std::int64_t>(i % 50);  // many ties
  auto km = KaplanMeier::fit(obs);
  ASSERT_TRUE(km);
  std::vector<std::int64_t> times;
  for (const auto& o : obs) {
    if (o.cause != C) times.push_back(o.time);
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  ASSERT_EQ(km->steps().size(), times.size());
  double s = 1.0;
  for (std::size_t j = 0; j < 300; ++j) {
    std::uint64_t n = 0, d = 0;
    for (const auto& o : obs) {
      n += o.time >= times[j];
      d += o.time == times[j] && o.cause != C;
    }
    s = s * static_cast<double>(n - d) / static_cast<double>(n);
    const KaplanMeierStep& step = km->steps()[j];
    EXPECT_EQ(step.time, times[j]);
    EXPECT_EQ(step.at_risk, n);
    EXPECT_EQ(step.events, d);
    EXPECT_DOUBLE_EQ(step.survival, s);
  }
}

}  // namespace
}  // namespace dealflow::analytics
