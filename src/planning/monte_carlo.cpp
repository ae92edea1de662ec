// Monte Carlo of the won amount: see dealflow/planning/monte_carlo.h.
#include "dealflow/planning/monte_carlo.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <thread>

namespace dealflow::planning {

namespace {

constexpr std::uint64_t kGamma = 0x9E3779B97F4A7C15ull;

inline std::uint64_t mix(std::uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

inline std::uint64_t trial_key(std::uint64_t seed, std::uint64_t trial) noexcept {
  return mix(seed + trial * kGamma);
}

// Deals ordered by group, with their per-deal keys (deal + 1) * γ.
struct Columns {
  std::vector<std::uint64_t> key, won_below, lost_below;
  std::vector<std::int64_t> amount;
  std::vector<std::size_t> group_begin;  // group_count + 1
};

void run_trials(const Columns& c, std::size_t groups, std::uint64_t seed, std::uint64_t first,
                std::uint64_t last, std::uint64_t trials, Simulation& out) {
  for (std::uint64_t t = first; t < last; ++t) {
    const std::uint64_t base = trial_key(seed, t);
    for (std::size_t g = 0; g < groups; ++g) {
      std::int64_t sum = 0;
      std::uint32_t won = 0, lost = 0;
      for (std::size_t k = c.group_begin[g]; k < c.group_begin[g + 1]; ++k) {
        const std::uint64_t u = mix(base + c.key[k]);
        const std::uint64_t w = u < c.won_below[k];
        const std::uint64_t l = (u < c.lost_below[k]) - w;
        sum += static_cast<std::int64_t>(static_cast<std::uint64_t>(c.amount[k]) & (0 - w));
        won += static_cast<std::uint32_t>(w);
        lost += static_cast<std::uint32_t>(l);
      }
      out.won_amount[g * trials + t] = sum;
      out.won_deals[g * trials + t] = won;
      out.lost_deals[g * trials + t] = lost;
    }
  }
}

}  // namespace

std::uint64_t probability_threshold(double p) noexcept {
  if (!(p > 0.0)) return 0;
  if (p >= 1.0) return std::numeric_limits<std::uint64_t>::max();
  const double scaled = std::ldexp(p, 64);
  if (scaled >= 18446744073709551615.0) return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(scaled);
}

SimDeal make_sim_deal(double p_won, double p_lost, std::int64_t amount, std::uint32_t group,
                      std::uint64_t id) noexcept {
  SimDeal d;
  d.won_below = probability_threshold(p_won);
  d.lost_below = std::max(d.won_below, probability_threshold(p_won + p_lost));
  d.amount = amount;
  d.group = group;
  d.id = id;
  return d;
}

std::uint64_t monte_carlo_draw(std::uint64_t seed, std::uint64_t trial, std::uint64_t deal) noexcept {
  return mix(trial_key(seed, trial) + (deal + 1) * kGamma);
}

Result<Simulation> simulate(std::span<const SimDeal> deals, std::size_t group_count,
                            const SimulationOptions& options) {
  if (options.trials == 0)
    return Status(ErrorCode::invalid_argument, "monte carlo: trials must be at least 1");
  // 16 bytes are kept per (group, trial): at most 2^27 results (2 GiB).
  std::size_t results = 0;
  if (__builtin_mul_overflow(group_count, options.trials, &results) || results > (std::size_t{1} << 27))
    return Status(ErrorCode::invalid_argument, "monte carlo: " + std::to_string(group_count) + " groups x " +
                                                   std::to_string(options.trials) +
                                                   " trials is too many results to keep (at most 2^27 = "
                                                   "134217728, 16 bytes each): expected fewer trials or groups");
  std::vector<std::int64_t> cap(group_count, 0);
  std::vector<std::size_t> count(group_count + 1, 0);
  for (std::size_t i = 0; i < deals.size(); ++i) {
    const SimDeal& d = deals[i];
    if (d.group >= group_count)
      return Status(ErrorCode::invalid_argument, "monte carlo: deal " + std::to_string(i) + " has group " +
                                                     std::to_string(d.group) + ", expected below " +
                                                     std::to_string(group_count));
    if (d.amount < 0)
      return Status(ErrorCode::invalid_argument, "monte carlo: deal " + std::to_string(i) +
                                                     " has a negative amount " + std::to_string(d.amount));
    if (__builtin_add_overflow(cap[d.group], d.amount, &cap[d.group]))
      return Status(ErrorCode::overflow, "monte carlo: the amounts of group " + std::to_string(d.group) +
                                             " exceed the int64 range of minor units");
    ++count[d.group + 1];
  }
  Columns c;
  c.group_begin.assign(group_count + 1, 0);
  for (std::size_t g = 0; g < group_count; ++g) c.group_begin[g + 1] = c.group_begin[g] + count[g + 1];
  c.key.resize(deals.size());
  c.won_below.resize(deals.size());
  c.lost_below.resize(deals.size());
  c.amount.resize(deals.size());
  std::vector<std::size_t> next(c.group_begin.begin(), c.group_begin.end() - 1);
  for (std::size_t i = 0; i < deals.size(); ++i) {
    const std::size_t k = next[deals[i].group]++;
    const std::uint64_t id = deals[i].id == SimDeal::kPositionKey ? i : deals[i].id;
    c.key[k] = (id + 1) * kGamma;
    c.won_below[k] = deals[i].won_below;
    c.lost_below[k] = std::max(deals[i].won_below, deals[i].lost_below);
    c.amount[k] = deals[i].amount;
  }
  Simulation sim;
  sim.groups = group_count;
  sim.trials = options.trials;
  sim.won_amount.assign(group_count * options.trials, 0);
  sim.won_deals.assign(group_count * options.trials, 0);
  sim.lost_deals.assign(group_count * options.trials, 0);
  unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::uint64_t>(threads, options.trials));
  if (threads <= 1) {
    run_trials(c, group_count, options.seed, 0, options.trials, options.trials, sim);
    return sim;
  }
  std::vector<std::thread> pool;
  const std::uint64_t per = (options.trials + threads - 1) / threads;
  for (unsigned t = 0; t < threads; ++t) {
    const std::uint64_t first = t * per, last = std::min(options.trials, first + per);
    if (first >= last) break;
    pool.emplace_back(
        [&, first, last] { run_trials(c, group_count, options.seed, first, last, options.trials, sim); });
  }
  for (auto& th : pool) th.join();
  return sim;
}

DistributionSummary summarize(const Simulation& sim, std::size_t group, std::int64_t fact,
                              std::optional<std::int64_t> target) {
  DistributionSummary s;
  const std::uint64_t n = sim.trials;
  if (group >= sim.groups || n == 0) return s;
  std::vector<std::int64_t> totals(sim.won_amount.begin() + static_cast<std::ptrdiff_t>(group * n),
                                   sim.won_amount.begin() + static_cast<std::ptrdiff_t>((group + 1) * n));
  long double sum = 0, won = 0, lost = 0;
  std::uint64_t reached = 0;
  for (std::uint64_t t = 0; t < n; ++t) {
    totals[t] += fact;
    sum += static_cast<long double>(totals[t]);
    won += sim.won_deals[group * n + t];
    lost += sim.lost_deals[group * n + t];
    if (target) reached += totals[t] >= *target;
  }
  s.mean = static_cast<double>(sum / static_cast<long double>(n));
  s.mean_won_deals = static_cast<double>(won / static_cast<long double>(n));
  s.mean_lost_deals = static_cast<double>(lost / static_cast<long double>(n));
  if (target) s.p_reach_target = static_cast<double>(reached) / static_cast<double>(n);
  std::sort(totals.begin(), totals.end());
  auto rank = [&](std::uint64_t q_percent) {
    const std::uint64_t k = (q_percent * n + 99) / 100;  // ⌈q n⌉
    return totals[std::max<std::uint64_t>(k, 1) - 1];
  };
  s.p10 = rank(10);
  s.p50 = rank(50);
  s.p90 = rank(90);
  return s;
}

namespace {
__extension__ typedef __int128 Wide;  // edges: range × i does not fit int64
}  // namespace

Histogram histogram(const Simulation& sim, std::size_t group, std::int64_t fact, std::size_t bins) {
  Histogram h;
  const std::uint64_t n = sim.trials;
  if (group >= sim.groups || n == 0 || bins == 0) return h;
  const auto begin = sim.won_amount.begin() + static_cast<std::ptrdiff_t>(group * n);
  const auto [lo_it, hi_it] = std::minmax_element(begin, begin + static_cast<std::ptrdiff_t>(n));
  // The totals fit int64 (simulate checked the group's sum; the forecast adds
  // fact as summarize does); the edges are computed in 128 bits.
  const Wide lo = static_cast<Wide>(*lo_it) + fact, hi = static_cast<Wide>(*hi_it) + fact;
  const Wide range = hi - lo;
  if (range == 0) {
    h.edges = {static_cast<std::int64_t>(lo), static_cast<std::int64_t>(lo + 1)};
    h.counts = {n};
    return h;
  }
  const std::size_t b = range < static_cast<Wide>(bins) ? static_cast<std::size_t>(range) : bins;
  h.edges.resize(b + 1);
  for (std::size_t i = 0; i <= b; ++i)
    h.edges[i] = static_cast<std::int64_t>(lo + range * static_cast<Wide>(i) / static_cast<Wide>(b));
  h.counts.assign(b, 0);
  for (std::uint64_t t = 0; t < n; ++t) {
    const std::int64_t total = begin[static_cast<std::ptrdiff_t>(t)] + fact;  // lo <= total <= hi
    // The bin of the last edge <= total; the maximum goes to the last bin.
    const auto it = std::upper_bound(h.edges.begin(), h.edges.end(), total);
    const std::size_t k = static_cast<std::size_t>(it - h.edges.begin()) - 1;
    ++h.counts[std::min(k, b - 1)];
  }
  return h;
}

}  // namespace dealflow::planning
