// Lint and Erlang C benchmarks.
//
//   BM_Lint_1000Rules            lint_rules on 1,000 seeded rules over 6 attributes of
//                                100 values each (10^12 combinations)
//   BM_Lint_Scattered            lint_rules on 100 rules of random value sets (the hard shape)
//   BM_Lint_BruteForceSize       lint_rules on the instance the brute force can do
//                                (100 rules with random single values, 6 attributes of 10 values = 10^6 combinations)
//   BM_Baseline_BruteForceGaps   the same gap count by enumerating every combination
//                                and testing it against per-attribute rule bitsets
//   BM_Erlang_ManagersFor        managers for SL 80% / 20 s at A = 1,000 Erlangs (N ≈ 1,000)
//   BM_Erlang_C                  metrics for N = 1,000 at A = 1,000·0.98
//
// Ratio: BM_Baseline_BruteForceGaps / BM_Lint_BruteForceSize. Bigger lint inputs:
// DEALFLOW_LINT_RULES=5000 (rules) and DEALFLOW_LINT_VALUES=200 (values per attribute).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "dealflow/routing/erlang.h"
#include "dealflow/routing/lint.h"

namespace {

using namespace dealflow;
using namespace dealflow::routing;

std::size_t env_size(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  return static_cast<std::size_t>(std::strtoull(v, nullptr, 10));
}

struct Instance {
  std::unique_ptr<TeamModel> team;
  std::unique_ptr<RuleSet> rules;
};

enum class Shape {
  territory,  // conditions are unions of value groups (like hierarchy parents), a few single-value overrides
  scattered,  // conditions are random value sets: the worst case (see docs/lint.md)
};

// A seeded rule set. Rules constrain one to three attributes (20/50/30%),
// mostly the first three (region-, product- and tier-like); a later condition
// is sometimes not_in; priorities 1..20; targets are single managers or pools
// of 2-5 out of 50 managers, every fifth of whom has a skill on attribute 0.
// `territory` conditions take 1-3 of ~11 consecutive value groups per
// attribute (3-15 values each) and 5% are a single value; `scattered` ones
// take 1..values/10 random values.
Instance make_instance(std::size_t attributes, std::size_t values, std::size_t rule_count, std::uint32_t seed,
                       Shape shape) {
  std::mt19937 rng(seed);
  auto pick = [&](std::size_t lo, std::size_t hi) {
    return std::uniform_int_distribution<std::size_t>(lo, hi)(rng);
  };
  AttributeSchema schema;
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> groups(attributes);  // [first, last)
  for (std::size_t a = 0; a < attributes; ++a) {
    std::vector<std::string> vs;
    for (std::size_t v = 0; v < values; ++v) vs.push_back("a" + std::to_string(a) + "_" + std::to_string(v));
    (void)schema.add_categorical("attr" + std::to_string(a), vs);
    for (std::size_t first = 0; first < values;) {
      const std::size_t last = std::min(values, first + pick(3, 15));
      groups[a].push_back({first, last});
      first = last;
    }
  }
  TeamBuilder tb(std::move(schema));
  for (int m = 0; m < 50; ++m) {
    ManagerSpec spec;
    spec.key = "m" + std::to_string(m);
    spec.name = spec.key;
    spec.skills.by_attribute.resize(attributes);
    if (m % 5 == 0) {
      const auto& g = groups[0][pick(0, groups[0].size() - 1)];
      for (std::size_t v = g.first; v < g.second; ++v) spec.skills.by_attribute[0].push_back(static_cast<ValueCode>(v));
    }
    (void)tb.add_manager(std::move(spec));
  }
  Instance inst;
  inst.team = std::make_unique<TeamModel>(std::move(*std::move(tb).build()));
  RuleSetBuilder rb(*inst.team);
  std::discrete_distribution<std::size_t> attribute_weight({4, 4, 3, 1, 1, 1});
  for (std::size_t r = 0; r < rule_count; ++r) {
    RuleSpec spec;
    spec.key = "r" + std::to_string(r);
    spec.priority = static_cast<int>(pick(1, 20));
    const std::size_t roll = pick(0, 9);
    const std::size_t constrained = std::min(attributes, roll < 3 ? std::size_t{2} : std::size_t{3});
    std::vector<std::size_t> attrs;
    while (attrs.size() < constrained) {
      const std::size_t a = attributes == 6 ? attribute_weight(rng) : pick(0, attributes - 1);
      if (std::find(attrs.begin(), attrs.end(), a) == attrs.end()) attrs.push_back(a);
    }
    for (std::size_t k = 0; k < attrs.size(); ++k) {
      CategoricalCondition c;
      c.attribute = AttributeId(static_cast<std::uint16_t>(attrs[k]));
      c.kind = k > 0 && pick(0, 39) == 0 ? ConditionKind::not_in_set : ConditionKind::in_set;
      if (shape == Shape::scattered) {
        const std::size_t n = pick(1, std::max<std::size_t>(1, values / 10));
        for (std::size_t i = 0; i < n; ++i) c.values.push_back(static_cast<ValueCode>(pick(0, values - 1)));
      } else if (pick(0, 19) == 0) {
        c.values.push_back(static_cast<ValueCode>(pick(0, values - 1)));
      } else {
        const auto& g = groups[attrs[k]];
        const std::size_t n = pick(0, 3) == 0 ? 2 : 1;
        for (std::size_t i = 0; i < n; ++i) {
          const auto& [first, last] = g[pick(0, g.size() - 1)];
          for (std::size_t v = first; v < last; ++v) c.values.push_back(static_cast<ValueCode>(v));
        }
      }
      std::sort(c.values.begin(), c.values.end());
      c.values.erase(std::unique(c.values.begin(), c.values.end()), c.values.end());
      spec.conditions.push_back(std::move(c));
    }
    if (pick(0, 2) == 0) {
      spec.target = TargetSpec::single(ManagerId(static_cast<std::uint32_t>(pick(0, 49))));
    } else {
      PoolSpec p;
      const std::size_t first = pick(0, 45);
      const std::size_t size = pick(2, 5);
      for (std::size_t i = 0; i < size; ++i) p.managers.push_back(ManagerId(static_cast<std::uint32_t>(first + i)));
      spec.target = TargetSpec::of_pool(std::move(p));
    }
    (void)rb.add_rule(std::move(spec));
  }
  inst.rules = std::make_unique<RuleSet>(std::move(*std::move(rb).build()));
  return inst;
}

const Instance& large_instance() {
  static const Instance inst = make_instance(6, env_size("DEALFLOW_LINT_VALUES", 100),
                                             env_size("DEALFLOW_LINT_RULES", 1000), 20240611, Shape::territory);
  return inst;
}

const Instance& small_instance() {
  static const Instance inst = make_instance(6, 10, 100, 7, Shape::scattered);
  return inst;
}

void BM_Lint_1000Rules(benchmark::State& state) {
  const Instance& inst = large_instance();
  std::size_t gaps = 0;
  for (auto _ : state) {
    Result<LintReport> r = lint_rules(*inst.team, *inst.rules);
    if (!r.ok()) {
      state.SkipWithError(r.status().to_string().c_str());
      return;
    }
    gaps = r->gaps.cubes.size();
    benchmark::DoNotOptimize(r->gaps.uncovered);
    state.counters["uncovered"] = static_cast<double>(r->gaps.uncovered.to_u64().value_or(0));
    state.counters["shadowed"] = static_cast<double>(r->shadowed.size());
    state.counters["overlaps"] = static_cast<double>(r->overlaps_total);
    state.counters["cube_operations"] = static_cast<double>(r->cube_operations);
  }
  state.counters["rules"] = static_cast<double>(inst.rules->rules().size());
  state.counters["gap_cubes"] = static_cast<double>(gaps);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(inst.rules->rules().size()));
}
BENCHMARK(BM_Lint_1000Rules)->Unit(benchmark::kMillisecond);

// The hard shape (random value sets, docs/lint.md): cost grows steeply with
// the rule count, so it runs at 100 rules; DEALFLOW_LINT_SCATTERED=200 for more.
void BM_Lint_Scattered(benchmark::State& state) {
  static const Instance inst = make_instance(6, 100, env_size("DEALFLOW_LINT_SCATTERED", 100), 99, Shape::scattered);
  for (auto _ : state) {
    Result<LintReport> r = lint_rules(*inst.team, *inst.rules);
    benchmark::DoNotOptimize(r->gaps.uncovered);
    state.counters["gaps_complete"] = r->gaps.complete ? 1 : 0;
    state.counters["cube_operations"] = static_cast<double>(r->cube_operations);
  }
  state.counters["rules"] = static_cast<double>(inst.rules->rules().size());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(inst.rules->rules().size()));
}
BENCHMARK(BM_Lint_Scattered)->Unit(benchmark::kMillisecond);

void BM_Lint_BruteForceSize(benchmark::State& state) {
  const Instance& inst = small_instance();
  for (auto _ : state) {
    Result<LintReport> r = lint_rules(*inst.team, *inst.rules);
    benchmark::DoNotOptimize(r->gaps.uncovered);
    state.counters["uncovered"] = static_cast<double>(r->gaps.uncovered.to_u64().value_or(0));
  }
  state.SetItemsProcessed(state.iterations() * 1'000'000);  // combinations answered
}
BENCHMARK(BM_Lint_BruteForceSize)->Unit(benchmark::kMillisecond);

// The baseline: every combination, tested with per-attribute bitsets of the
// rules that accept each value (the router's own index shape), so a
// combination costs 6 ANDs of ceil(rules/64) words.
void BM_Baseline_BruteForceGaps(benchmark::State& state) {
  const Instance& inst = small_instance();
  const auto& rules = inst.rules->rules();
  const std::size_t attrs = inst.team->schema().categorical_count();
  const std::size_t words = (rules.size() + 63) / 64;
  std::vector<std::vector<std::vector<std::uint64_t>>> index(attrs);
  std::vector<std::size_t> sizes(attrs);
  for (std::size_t a = 0; a < attrs; ++a) {
    sizes[a] = inst.team->schema().categorical(AttributeId(static_cast<std::uint16_t>(a))).size();
    index[a].assign(sizes[a], std::vector<std::uint64_t>(words, 0));
    for (std::size_t v = 0; v < sizes[a]; ++v) {
      for (std::size_t r = 0; r < rules.size(); ++r) {
        if (rules[r].accepts(AttributeId(static_cast<std::uint16_t>(a)), static_cast<ValueCode>(v))) {
          index[a][v][r / 64] |= std::uint64_t{1} << (r % 64);
        }
      }
    }
  }
  std::uint64_t combinations = 0;
  for (auto _ : state) {
    std::uint64_t uncovered = 0;
    combinations = 0;
    std::vector<std::size_t> idx(attrs, 0);
    std::vector<std::uint64_t> acc(words);
    while (true) {
      ++combinations;
      std::fill(acc.begin(), acc.end(), ~std::uint64_t{0});
      for (std::size_t a = 0; a < attrs; ++a) {
        const auto& row = index[a][idx[a]];
        for (std::size_t w = 0; w < words; ++w) acc[w] &= row[w];
      }
      bool any = false;
      for (std::size_t w = 0; w < words; ++w) any |= acc[w] != 0;
      uncovered += any ? 0 : 1;
      std::size_t a = 0;
      while (a < attrs && ++idx[a] == sizes[a]) idx[a++] = 0;
      if (a == attrs) break;
    }
    benchmark::DoNotOptimize(uncovered);
    state.counters["uncovered"] = static_cast<double>(uncovered);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(combinations));
}
BENCHMARK(BM_Baseline_BruteForceGaps)->Unit(benchmark::kMillisecond);

void BM_Erlang_ManagersFor(benchmark::State& state) {
  // A = 20,000 leads/h × 180 s = 1,000 Erlangs.
  const InboundQueue q{20000, 180, 20};
  std::uint32_t needed = 0;
  for (auto _ : state) {
    Result<StaffingPlan> p = managers_for(q, StaffingTarget{0.8, std::nullopt, 0.3});
    needed = p->needed;
    benchmark::DoNotOptimize(needed);
  }
  state.counters["managers"] = needed;
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Erlang_ManagersFor)->Unit(benchmark::kMicrosecond);

void BM_Erlang_C(benchmark::State& state) {
  const InboundQueue q{19600, 180, 20};  // A = 980 Erlangs
  for (auto _ : state) {
    Result<QueueMetrics> m = erlang_c(q, 1000);
    benchmark::DoNotOptimize(m->wait_probability);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Erlang_C)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
