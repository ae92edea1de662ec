// The Monte Carlo simulation against exact distributions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "dealflow/planning/monte_carlo.h"

namespace dealflow::planning {
namespace {

constexpr std::uint64_t kTrials = 200000;

// Exact distribution of the sum of independent deals: P(sum = s), amounts small integers.
std::vector<double> exact_sum(const std::vector<double>& p, const std::vector<int>& amount) {
  int total = 0;
  for (int a : amount) total += a;
  std::vector<double> dist(static_cast<std::size_t>(total) + 1, 0.0);
  dist[0] = 1.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    std::vector<double> next(dist.size(), 0.0);
    for (std::size_t s = 0; s < dist.size(); ++s) {
      if (dist[s] == 0.0) continue;
      next[s] += dist[s] * (1 - p[i]);
      next[s + static_cast<std::size_t>(amount[i])] += dist[s] * p[i];
    }
    dist = next;
  }
  return dist;
}

void expect_within_3_se(const std::vector<double>& exact, const std::vector<std::uint64_t>& hits,
                        std::uint64_t n) {
  for (std::size_t s = 0; s < exact.size(); ++s) {
    const double observed = static_cast<double>(hits[s]) / static_cast<double>(n);
    const double se = std::sqrt(exact[s] * (1 - exact[s]) / static_cast<double>(n));
    EXPECT_LE(std::abs(observed - exact[s]), 3 * se + 1e-12) << "value " << s << ": exact " << exact[s];
  }
}

const std::vector<double> kP = {0.05, 0.2, 0.35, 0.5, 0.5, 0.65, 0.8, 0.95, 0.1, 0.3};

TEST(MonteCarlo, WonCountMatchesPoissonBinomial) {
  std::vector<SimDeal> deals;
  for (double p : kP) deals.push_back(make_sim_deal(p, 0.0, 1, 0));
  auto sim = simulate(deals, 1, {kTrials, 42, 2});
  ASSERT_TRUE(sim.ok());
  const auto exact = exact_sum(kP, std::vector<int>(kP.size(), 1));
  std::vector<std::uint64_t> hits(exact.size(), 0);
  for (std::uint64_t t = 0; t < kTrials; ++t) {
    ASSERT_EQ(sim->won_deals[t], static_cast<std::uint32_t>(sim->won_amount[t]));
    ++hits[sim->won_deals[t]];
  }
  expect_within_3_se(exact, hits, kTrials);
}

TEST(MonteCarlo, WonAmountMatchesExactDynamicProgramme) {
  const std::vector<int> amount = {1, 2, 3, 5, 1, 4, 2, 7, 3, 1};
  std::vector<SimDeal> deals;
  for (std::size_t i = 0; i < kP.size(); ++i) deals.push_back(make_sim_deal(kP[i], 0.0, amount[i], 0));
  auto sim = simulate(deals, 1, {kTrials, 7, 1});
  ASSERT_TRUE(sim.ok());
  const auto exact = exact_sum(kP, amount);
  std::vector<std::uint64_t> hits(exact.size(), 0);
  for (std::uint64_t t = 0; t < kTrials; ++t) ++hits[static_cast<std::size_t>(sim->won_amount[t])];
  expect_within_3_se(exact, hits, kTrials);
  // The summary: mean within 3 standard errors, nearest-rank quantiles of the exact CDF (± one step).
  double mean = 0, var = 0;
  for (std::size_t i = 0; i < kP.size(); ++i) {
    mean += kP[i] * amount[i];
    var += kP[i] * (1 - kP[i]) * amount[i] * amount[i];
  }
  const DistributionSummary s = summarize(*sim, 0, 100, 110);
  EXPECT_NEAR(s.mean, 100 + mean, 3 * std::sqrt(var / kTrials));
  double cdf = 0;
  std::int64_t q50 = -1;
  for (std::size_t v = 0; v < exact.size() && q50 < 0; ++v)
    if ((cdf += exact[v]) >= 0.5) q50 = static_cast<std::int64_t>(v);
  EXPECT_LE(std::abs(s.p50 - (100 + q50)), 1);
  double p_reach = 0;  // P(100 + won >= 110)
  for (std::size_t v = 10; v < exact.size(); ++v) p_reach += exact[v];
  ASSERT_TRUE(s.p_reach_target.has_value());
  EXPECT_NEAR(*s.p_reach_target, p_reach, 3 * std::sqrt(p_reach * (1 - p_reach) / kTrials));
}

TEST(MonteCarlo, WonLostOpenSplitFromOneDraw) {
  std::vector<SimDeal> deals(50, make_sim_deal(0.3, 0.5, 10, 0));
  auto sim = simulate(deals, 1, {20000, 3, 1});
  ASSERT_TRUE(sim.ok());
  const auto s = summarize(*sim, 0, 0, std::nullopt);
  EXPECT_NEAR(s.mean_won_deals, 15.0, 3 * std::sqrt(50 * 0.3 * 0.7 / 20000));
  EXPECT_NEAR(s.mean_lost_deals, 25.0, 3 * std::sqrt(50 * 0.5 * 0.5 / 20000));
  EXPECT_FALSE(s.p_reach_target.has_value());
}

TEST(MonteCarlo, IdenticalForAnyThreadCount) {
  std::vector<SimDeal> deals;
  for (std::uint32_t i = 0; i < 300; ++i)
    deals.push_back(make_sim_deal((i % 17) / 17.0, 0.1, 1000 + i, i % 3));
  auto one = simulate(deals, 3, {5001, 99, 1});
  auto four = simulate(deals, 3, {5001, 99, 4});
  ASSERT_TRUE(one.ok() && four.ok());
  EXPECT_EQ(one->won_amount, four->won_amount);
  EXPECT_EQ(one->won_deals, four->won_deals);
  EXPECT_EQ(one->lost_deals, four->lost_deals);
  auto other_seed = simulate(deals, 3, {5001, 100, 4});
  EXPECT_NE(one->won_amount, other_seed->won_amount);
}

TEST(MonteCarlo, DrawsAreKeyedByDealIdSoFilteringKeepsTheOthers) {
  const SimDeal a = make_sim_deal(0.5, 0.0, 1, 0, 5), b = make_sim_deal(0.5, 0.0, 1, 1, 9);
  std::vector<SimDeal> both = {a, b};
  std::vector<SimDeal> only_b = {b};
  only_b[0].group = 0;
  auto s1 = simulate(both, 2, {3000, 11, 1});
  auto s2 = simulate(only_b, 1, {3000, 11, 1});
  ASSERT_TRUE(s1.ok() && s2.ok());
  EXPECT_TRUE(std::equal(s2->won_deals.begin(), s2->won_deals.end(), s1->won_deals.begin() + 3000));
  // The draw itself: won when below the threshold.
  for (std::uint64_t t = 0; t < 3000; ++t)
    EXPECT_EQ(s2->won_deals[t], monte_carlo_draw(11, t, 9) < b.won_below ? 1u : 0u);
}

TEST(MonteCarlo, CertainAndImpossibleDeals) {
  std::vector<SimDeal> deals = {make_sim_deal(1.0, 0.0, 5, 0), make_sim_deal(0.0, 1.0, 7, 0)};
  auto sim = simulate(deals, 1, {1000, 1, 1});
  ASSERT_TRUE(sim.ok());
  const auto s = summarize(*sim, 0, 0, std::nullopt);
  EXPECT_EQ(s.p10, 5);
  EXPECT_EQ(s.p90, 5);
  EXPECT_DOUBLE_EQ(s.mean_lost_deals, 1.0);
  EXPECT_EQ(probability_threshold(0.5), std::uint64_t{1} << 63);
  EXPECT_EQ(probability_threshold(-1), 0u);
  EXPECT_EQ(probability_threshold(std::nan("")), 0u);
}

TEST(MonteCarlo, Errors) {
  std::vector<SimDeal> deals = {make_sim_deal(0.5, 0.0, 5, 1)};
  EXPECT_EQ(simulate(deals, 1, {10, 1, 1}).status().code(), ErrorCode::invalid_argument);  // group 1 of 1
  EXPECT_EQ(simulate(deals, 2, {0, 1, 1}).status().code(), ErrorCode::invalid_argument);   // 0 trials
  deals[0].amount = -1;
  EXPECT_EQ(simulate(deals, 2, {10, 1, 1}).status().code(), ErrorCode::invalid_argument);
  std::vector<SimDeal> huge = {make_sim_deal(0.5, 0, INT64_MAX, 0), make_sim_deal(0.5, 0, 1, 0)};
  EXPECT_EQ(simulate(huge, 1, {10, 1, 1}).status().code(), ErrorCode::overflow);
  // Memory is bounded: at most 2^27 (group, trial) results, and no wrap-around in groups x trials.
  std::vector<SimDeal> one = {make_sim_deal(0.5, 0.0, 5, 0)};
  auto big = simulate(one, 2, {(std::uint64_t{1} << 26) + 1, 1, 1});
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("too many results"), std::string::npos) << big.status().message();
  EXPECT_FALSE(simulate(one, 4, {std::uint64_t{1} << 62, 1, 1}).ok());  // 2^64 wraps to 0 unchecked
}

}  // namespace
}  // namespace dealflow::planning
