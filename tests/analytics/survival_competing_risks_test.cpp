// Aalen–Johansen cumulative incidence: a hand-computed case with exact
// fractions, S + sum CIF = 1, and agreement with Kaplan–Meier.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "dealflow/analytics/survival.h"

namespace dealflow::analytics {
namespace {

constexpr std::uint8_t kWon = 1, kLost = 2;

// Seven deals: won at 1, lost at 2, open (censored) at 3, won at 4, won and
// lost at 5, open at 6.
//   t=1: n=7, won 1:  CIF_won  = 1/7,              S = 6/7
//   t=2: n=6, lost 1: CIF_lost = 6/7 * 1/6 = 1/7,  S = 5/7
//   t=3: censored (n 5 -> 4)
//   t=4: n=4, won 1:  CIF_won += 5/7 * 1/4 = 5/28 -> 9/28,  S = 15/28
//   t=5: n=3, won 1 + lost 1: CIF_won += 15/28 * 1/3 -> 14/28, CIF_lost += 5/28 -> 9/28, S = 5/28
const std::vector<SurvivalObservation> kCompetingDeals = {{1, kWon}, {2, kLost}, {3, kCensored}, {4, kWon},
                                                          {5, kWon}, {5, kLost}, {6, kCensored}};

TEST(CompetingRisks, HandComputedIncidence) {
  auto cr = CompetingRisks::fit(kCompetingDeals, 2);
  ASSERT_TRUE(cr);
  EXPECT_EQ(cr->subjects(), 7u);
  EXPECT_EQ(cr->events(kWon), 3u);
  EXPECT_EQ(cr->events(kLost), 2u);
  EXPECT_EQ(cr->events(3), 0u);
  EXPECT_EQ(std::vector<std::int64_t>(cr->times().begin(), cr->times().end()),
            (std::vector<std::int64_t>{1, 2, 4, 5}));
  EXPECT_DOUBLE_EQ(cr->incidence(kWon, 0), 0.0);
  EXPECT_DOUBLE_EQ(cr->incidence(kWon, 1), 1.0 / 7);
  EXPECT_DOUBLE_EQ(cr->incidence(kLost, 1), 0.0);
  EXPECT_DOUBLE_EQ(cr->incidence(kLost, 2), 1.0 / 7);
  EXPECT_DOUBLE_EQ(cr->incidence(kWon, 3), 1.0 / 7);
  EXPECT_DOUBLE_EQ(cr->incidence(kWon, 4), 9.0 / 28);
  EXPECT_DOUBLE_EQ(cr->incidence(kWon, 5), 14.0 / 28);
  EXPECT_DOUBLE_EQ(cr->incidence(kLost, 5), 9.0 / 28);
  EXPECT_DOUBLE_EQ(cr->survival(4), 15.0 / 28);
  EXPECT_DOUBLE_EQ(cr->survival(5), 5.0 / 28);
  EXPECT_DOUBLE_EQ(cr->survival(100), 5.0 / 28);
  EXPECT_DOUBLE_EQ(cr->final_incidence(kWon), 0.5);
  EXPECT_NEAR(cr->survival(5) + cr->incidence(kWon, 5) + cr->incidence(kLost, 5), 1.0, 1e-15);
}

TEST(CompetingRisks, Quantiles) {
  auto cr = CompetingRisks::fit(kCompetingDeals, 2);
  ASSERT_TRUE(cr);
  EXPECT_EQ(cr->incidence_quantile(kWon, 0.1), 1);
  EXPECT_EQ(cr->incidence_quantile(kWon, 0.3), 4);  // 9/28 = 0.32
  EXPECT_EQ(cr->incidence_quantile(kWon, 0.5), 5);  // exactly 1/2 at 5
  EXPECT_EQ(cr->incidence_quantile(kWon, 0.6), std::nullopt);
  // Among deals that end won (final CIF 1/2): median = first t with CIF >= 1/4 -> 4.
  EXPECT_EQ(cr->conditional_quantile(kWon, 0.5), 4);
  EXPECT_EQ(cr->conditional_quantile(kWon, 1.0), 5);
  EXPECT_EQ(cr->conditional_quantile(kLost, 0.5),
            5);  // final 9/28: CIF_lost(2) = 4/28 < 4.5/28, CIF_lost(5) = 9/28
}

TEST(CompetingRisks, ErrorsNameTheProblem) {
  EXPECT_FALSE(CompetingRisks::fit(kCompetingDeals, 0));
  const std::vector<SurvivalObservation> bad_cause = {{1, 3}};
  auto r = CompetingRisks::fit(bad_cause, 2);
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("observation 0 has cause 3: expected 0 .. 2"), std::string::npos);
  const std::vector<SurvivalObservation> negative = {{-5, 1}};
  EXPECT_FALSE(CompetingRisks::fit(negative, 2));
}

// On random data: S + CIF_won + CIF_lost = 1 at every time, incidences never
// decrease, S equals the all-cause Kaplan–Meier, and with one cause the
// incidence is 1 - S.
TEST(CompetingRisks, PropertySumsToOneAndMatchesKaplanMeier) {
  std::mt19937_64 rng(21);
  for (int iter = 0; iter < 300; ++iter) {
    std::vector<SurvivalObservation> obs(1 + rng() % 50);
    for (auto& o : obs) o = {static_cast<std::int64_t>(rng() % 25), static_cast<std::uint8_t>(rng() % 3)};
    auto cr = CompetingRisks::fit(obs, 2);
    auto km = KaplanMeier::fit(obs);
    ASSERT_TRUE(cr && km);
    double prev_won = 0, prev_lost = 0;
    for (std::int64_t t = 0; t <= 25; ++t) {
      const double won = cr->incidence(kWon, t), lost = cr->incidence(kLost, t), s = cr->survival(t);
      EXPECT_NEAR(s + won + lost, 1.0, 1e-12);
      EXPECT_GE(won, prev_won);
      EXPECT_GE(lost, prev_lost);
      EXPECT_NEAR(s, km->survival(t), 1e-12);
      prev_won = won;
      prev_lost = lost;
    }
    std::vector<SurvivalObservation> single = obs;
    for (auto& o : single) o.cause = o.cause == kCensored ? kCensored : 1;
    auto one = CompetingRisks::fit(single, 1);
    for (std::int64_t t = 0; t <= 25; ++t) EXPECT_NEAR(one->incidence(1, t), 1.0 - km->survival(t), 1e-12);
  }
}

}  // namespace
}  // namespace dealflow::analytics
