// The histogram of a simulation's totals (monte_carlo.h, docs/forecasting.md).
#include <gtest/gtest.h>

#include <numeric>
#include <random>

#include "dealflow/planning/monte_carlo.h"

namespace dealflow::planning {
namespace {

Simulation one_group(std::vector<std::int64_t> totals) {
  Simulation s;
  s.groups = 1;
  s.trials = totals.size();
  s.won_amount = std::move(totals);
  s.won_deals.assign(s.trials, 0);
  s.lost_deals.assign(s.trials, 0);
  return s;
}

TEST(MonteCarloHistogram, TwentyBinsFromMinToMaxWithFact) {
  // Totals 0..40 (41 trials) plus fact 100: range 40, width 2, the last bin closed.
  std::vector<std::int64_t> t(41);
  std::iota(t.begin(), t.end(), 0);
  const Histogram h = histogram(one_group(t), 0, 100);
  ASSERT_EQ(h.edges.size(), 21u);
  ASSERT_EQ(h.counts.size(), 20u);
  for (std::size_t i = 0; i <= 20; ++i) EXPECT_EQ(h.edges[i], 100 + 2 * static_cast<std::int64_t>(i));
  for (std::size_t i = 0; i < 19; ++i) EXPECT_EQ(h.counts[i], 2u) << i;
  EXPECT_EQ(h.counts[19], 3u);  // 138, 139 and the maximum 140
}

TEST(MonteCarloHistogram, EdgesAreExactFloorsOfTheRange) {
  // Range 30 over 20 bins: edges floor(i * 30 / 20).
  const Histogram h = histogram(one_group({0, 30, 15, 1, 2}), 0, 0);
  ASSERT_EQ(h.edges.size(), 21u);
  EXPECT_EQ(h.edges[1], 1);
  EXPECT_EQ(h.edges[2], 3);
  EXPECT_EQ(h.edges[3], 4);
  EXPECT_EQ(h.edges[10], 15);
  EXPECT_EQ(h.edges[20], 30);
  EXPECT_EQ(h.counts[0], 1u);   // 0
  EXPECT_EQ(h.counts[1], 2u);   // 1, 2 in [1, 3)
  EXPECT_EQ(h.counts[10], 1u);  // 15
  EXPECT_EQ(h.counts[19], 1u);  // 30
}

TEST(MonteCarloHistogram, NarrowRangeHasOneMinorUnitBins) {
  const Histogram h = histogram(one_group({5, 7, 7, 6}), 0, 0);
  EXPECT_EQ(h.edges, (std::vector<std::int64_t>{5, 6, 7}));
  EXPECT_EQ(h.counts, (std::vector<std::uint64_t>{1, 3}));
}

TEST(MonteCarloHistogram, OneValueIsOneBin) {
  const Histogram h = histogram(one_group({250, 250, 250}), 0, 50);
  EXPECT_EQ(h.edges, (std::vector<std::int64_t>{300, 301}));
  EXPECT_EQ(h.counts, (std::vector<std::uint64_t>{3}));
}

TEST(MonteCarloHistogram, UnknownGroupIsEmpty) {
  const Histogram h = histogram(one_group({1, 2}), 1, 0);
  EXPECT_TRUE(h.edges.empty());
  EXPECT_TRUE(h.counts.empty());
}

TEST(MonteCarloHistogram, ExtremeTotalsDoNotOverflow) {
  const std::int64_t big = std::numeric_limits<std::int64_t>::max() - 10;
  const Histogram h = histogram(one_group({0, big}), 0, 0);
  ASSERT_EQ(h.edges.size(), 21u);
  EXPECT_EQ(h.edges.front(), 0);
  EXPECT_EQ(h.edges.back(), big);
  EXPECT_EQ(h.counts.front(), 1u);
  EXPECT_EQ(h.counts.back(), 1u);
}

// Property: over simulations of random deals, counts sum to the trials, edges
// strictly increase from the smallest to the largest total, and each bin's
// count is the number of totals inside it.
TEST(MonteCarloHistogram, CountsSumToTrialsAndEdgesIncrease) {
  std::mt19937_64 rng(13);
  for (int round = 0; round < 40; ++round) {
    std::vector<SimDeal> deals;
    const int n = 1 + static_cast<int>(rng() % 30);
    for (int i = 0; i < n; ++i) {
      const double p = static_cast<double>(rng() % 1000) / 1000.0;
      deals.push_back(make_sim_deal(p, (1 - p) / 2, static_cast<std::int64_t>(rng() % 100000), 0));
    }
    const std::uint64_t trials = 1 + rng() % 3000;
    auto sim = simulate(deals, 1, {.trials = trials, .seed = rng(), .threads = 1});
    ASSERT_TRUE(sim) << sim.status().to_string();
    const std::int64_t fact = static_cast<std::int64_t>(rng() % 5000);
    const Histogram h = histogram(*sim, 0, fact);
    ASSERT_EQ(h.edges.size(), h.counts.size() + 1);
    ASSERT_LE(h.counts.size(), kHistogramBins);
    EXPECT_EQ(std::accumulate(h.counts.begin(), h.counts.end(), std::uint64_t{0}), trials);
    for (std::size_t i = 1; i < h.edges.size(); ++i) EXPECT_LT(h.edges[i - 1], h.edges[i]);
    const auto [lo, hi] = std::minmax_element(sim->won_amount.begin(), sim->won_amount.end());
    EXPECT_EQ(h.edges.front(), *lo + fact);
    if (*hi > *lo) {
      EXPECT_EQ(h.edges.back(), *hi + fact);
    }
    std::vector<std::uint64_t> recount(h.counts.size(), 0);
    for (const std::int64_t w : sim->won_amount) {
      const std::int64_t t = w + fact;
      for (std::size_t b = 0; b < h.counts.size(); ++b) {
        const bool last = b + 1 == h.counts.size();
        if (t >= h.edges[b] && (t < h.edges[b + 1] || (last && t <= h.edges[b + 1]))) {
          ++recount[b];
          break;
        }
      }
    }
    EXPECT_EQ(recount, h.counts);
  }
}

}  // namespace
}  // namespace dealflow::planning
