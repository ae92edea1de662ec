// dealflow/planning/monte_carlo.h: the distribution of a period's won amount
// by simulation of every open deal.
//
// Each open deal has a probability of being won and of being lost by the
// period end (timing.h); a trial draws, for every deal, won / lost / still
// open from one uniform 64-bit number u: won when u < ⌊p_won·2^64⌋, lost when
// u < ⌊(p_won + p_lost)·2^64⌋ otherwise, else open. The won amounts are summed
// per group (scope × currency) in exact int64.
//
// The random numbers are counter-based: u = mix(mix(seed + trial·γ) +
// (deal + 1)·γ) with the splitmix64 finaliser `mix`, γ = 0x9E3779B97F4A7C15
// and `deal` the SimDeal's id (the report uses the DealId; by default its
// position), so a deal's draw depends only on (seed, trial, deal): the result
// is the same for any number of threads, any order of work, and deals can be
// filtered without changing the others' draws. No branch depends on the draw.
//
// Quantiles are nearest-rank: Pq is the smallest simulated total t with at
// least q·trials totals <= t (index ⌈q·n⌉ − 1 of the sorted totals).
//
// Ownership: plain values. Thread-safety: reentrant.
//
// Example:
//   std::vector<dealflow::planning::SimDeal> deals = {dealflow::planning::make_sim_deal(0.3, 0.1, 50000, 0)};
//   auto sim = dealflow::planning::simulate(deals, 1, {.trials = 10000, .seed = 7, .threads = 4});
//   auto dist = dealflow::planning::summarize(*sim, 0, /*fact=*/0, std::nullopt);   // dist.mean ~ 15000
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "dealflow/core/status.h"

namespace dealflow::planning {

struct SimDeal {
  std::uint64_t won_below = 0;   // ⌊p_won · 2^64⌋ (saturated)
  std::uint64_t lost_below = 0;  // ⌊(p_won + p_lost) · 2^64⌋ (saturated), >= won_below
  std::int64_t amount = 0;       // minor units, >= 0
  std::uint32_t group = 0;       // < group_count
  // The deal's key in the draws; kPositionKey: its index in the span given to simulate().
  std::uint64_t id = kPositionKey;
  static constexpr std::uint64_t kPositionKey = ~std::uint64_t{0};
};

// ⌊p · 2^64⌋ for p in [0, 1] (p >= 1: 2^64 − 1; NaN or p <= 0: 0).
std::uint64_t probability_threshold(double p) noexcept;
SimDeal make_sim_deal(double p_won, double p_lost, std::int64_t amount, std::uint32_t group,
                      std::uint64_t id = SimDeal::kPositionKey) noexcept;

// The draw of one deal in one trial (the formula above).
std::uint64_t monte_carlo_draw(std::uint64_t seed, std::uint64_t trial, std::uint64_t deal) noexcept;

struct SimulationOptions {
  std::uint64_t trials = 10000;
  std::uint64_t seed = 1;
  unsigned threads = 1;  // 0: one per core
};

// Per group and trial: the won amount, the won and lost deal counts.
struct Simulation {
  std::size_t groups = 0;
  std::uint64_t trials = 0;
  std::vector<std::int64_t> won_amount;  // [group * trials + trial]
  std::vector<std::uint32_t> won_deals;
  std::vector<std::uint32_t> lost_deals;
};

// invalid_argument for 0 trials, a group >= group_count, a negative amount;
// overflow when a group's amounts could exceed int64.
Result<Simulation> simulate(std::span<const SimDeal> deals, std::size_t group_count,
                            const SimulationOptions& options);

struct DistributionSummary {
  double mean = 0.0;  // of fact + won amount
  std::int64_t p10 = 0, p50 = 0, p90 = 0;
  double mean_won_deals = 0.0, mean_lost_deals = 0.0;
  std::optional<double> p_reach_target;  // share of trials with fact + won >= target
};
DistributionSummary summarize(const Simulation& sim, std::size_t group, std::int64_t fact,
                              std::optional<std::int64_t> target);

// The trials' totals (fact + won amount) of one group counted in equal bins
// from the smallest to the largest total (docs/forecasting.md, "Histogram"):
// edges[i] = min + ⌊i·(max − min)/bins⌋ in minor units (edges[0] = min,
// edges[bins] = max, so the edges are exact amounts, not rounded widths). Bin i
// holds the totals t with edges[i] <= t < edges[i + 1]; the last bin also
// holds max. When max − min < bins there are max − min bins of one minor
// unit; when every trial has the same total, one bin [min, min + 1).
// Counts sum to the trials. Empty edges and counts for an unknown group or
// no trials.
struct Histogram {
  std::vector<std::int64_t> edges;    // bins + 1, strictly increasing
  std::vector<std::uint64_t> counts;  // bins
};
inline constexpr std::size_t kHistogramBins = 20;
Histogram histogram(const Simulation& sim, std::size_t group, std::int64_t fact,
                    std::size_t bins = kHistogramBins);

}  // namespace dealflow::planning
