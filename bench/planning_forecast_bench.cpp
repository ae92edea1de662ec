// Forecast benchmark: the Monte Carlo kernel of `dealflow forecast` (counter-
// based draws, integer thresholds, branch-free accumulation) against the
// textbook baseline in the same binary, std::mt19937 + one
// std::bernoulli_distribution per draw; plus the timing-model fit (Aalen–
// Johansen per stage) and a full fit_models on the synthetic sample.
//
//   DEALFLOW_BENCH_DEALS=100000 ./planning_forecast_bench   smaller sample for the fits (default 1,000,000)
//
// Counters: items_per_second = deal-trials per second (one thread, CPU time)
// for the Monte Carlo pair; deals per second for the fits. The target
// is >= 200 M deal-trials per second per core.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_options.h"
#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/sample.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/planning/forecast.h"
#include "dealflow/planning/monte_carlo.h"

namespace {

using namespace dealflow;
using namespace dealflow::planning;

constexpr std::size_t kDeals = 20000;  // open deals of a large department
constexpr std::size_t kGroups = 12;    // scopes (managers)

struct Deals {
  std::vector<SimDeal> sim;
  std::vector<double> p;
  std::vector<std::int64_t> amount;
  std::vector<std::uint32_t> group;
};

const Deals& deals() {
  static const Deals d = [] {
    Deals out;
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> p(0.0, 0.6);
    std::uniform_int_distribution<std::int64_t> amount(1000, 10'000'000);
    for (std::size_t i = 0; i < kDeals; ++i) {
      const double won = p(rng);
      out.sim.push_back(make_sim_deal(won, 0.2, amount(rng), static_cast<std::uint32_t>(i % kGroups)));
      out.p.push_back(won);
      out.amount.push_back(out.sim.back().amount);
      out.group.push_back(out.sim.back().group);
    }
    return out;
  }();
  return d;
}

void BM_MonteCarlo_CounterBased(benchmark::State& state) {
  const Deals& d = deals();
  const std::uint64_t trials = static_cast<std::uint64_t>(state.range(0));
  std::int64_t sink = 0;
  for (auto _ : state) {
    auto sim = simulate(d.sim, kGroups, {trials, 42, 1});
    if (!sim) throw std::runtime_error(sim.status().to_string());
    sink += sim->won_amount[0];
    benchmark::DoNotOptimize(sink);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trials * kDeals));
}
BENCHMARK(BM_MonteCarlo_CounterBased)->Arg(1000)->Unit(benchmark::kMillisecond);

// The baseline: the same won amounts per group and trial, one Bernoulli draw
// of a std::mt19937 per deal and trial.
void BM_MonteCarlo_Mt19937Bernoulli(benchmark::State& state) {
  const Deals& d = deals();
  const std::uint64_t trials = static_cast<std::uint64_t>(state.range(0));
  std::vector<std::int64_t> won(kGroups * trials);
  std::int64_t sink = 0;
  for (auto _ : state) {
    std::mt19937 rng(42);
    for (std::uint64_t t = 0; t < trials; ++t) {
      for (std::size_t i = 0; i < kDeals; ++i) {
        std::bernoulli_distribution draw(d.p[i]);
        if (draw(rng)) won[d.group[i] * trials + t] += d.amount[i];
      }
    }
    sink += won[0];
    benchmark::DoNotOptimize(sink);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trials * kDeals));
}
BENCHMARK(BM_MonteCarlo_Mt19937Bernoulli)->Arg(1000)->Unit(benchmark::kMillisecond);

// ---- fits on the synthetic sample ------------------------------------------

// data/ of the source tree, or $DEALFLOW_DATA_DIR.
std::string data_dir() {
  if (const char* d = std::getenv("DEALFLOW_DATA_DIR")) return d;
  return std::string(DEALFLOW_SOURCE_DIR) + "/data";
}

struct Sample {
  explicit Sample(LoadedPipeline p) : pipeline(std::move(p)) {}
  LoadedPipeline pipeline;
  analytics::LoadedLog loaded;
};

Sample& sample() {
  static Sample* s = [] {
    auto p = load_pipeline_file(data_dir() + "/pipelines/bitrix24_default.json");
    if (!p) throw std::runtime_error(p.status().to_string());
    auto* out = new Sample(std::move(*p));
    analytics::SampleOptions so;
    so.deals = dealflow::bench::deals_from_env(1'000'000);
    auto csv = analytics::generate_sample_csv(so);
    if (!csv) throw std::runtime_error(csv.status().to_string());
    analytics::CsvLoadOptions options;
    options.default_pipeline = &out->pipeline.pipeline;
    auto loaded = analytics::load_deals_csv(csv->deals, "deals.csv", {&out->pipeline.pipeline}, options);
    if (!loaded) throw std::runtime_error(loaded.status().to_string());
    Status st =
        analytics::load_history_csv(csv->history, "history.csv", {&out->pipeline.pipeline}, options, *loaded);
    if (!st.ok()) throw std::runtime_error(st.to_string());
    out->loaded = std::move(*loaded);
    std::fprintf(stderr, "planning_forecast_bench: %zu deals, %zu events\n", out->loaded.log.deal_count(),
                 out->loaded.log.event_count());
    return out;
  }();
  return *s;
}

void BM_TimingModelFit(benchmark::State& state) {
  Sample& s = sample();
  const analytics::EventLog& log = s.loaded.log;
  const Instant as_of = log.latest_instant() - std::chrono::days(90);
  for (auto _ : state) {
    auto m = TimingModel::fit(log, s.pipeline.pipeline, as_of - std::chrono::days(365), as_of);
    if (!m) throw std::runtime_error(m.status().to_string());
    benchmark::DoNotOptimize(m->stages().size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * log.deal_count()));
}
BENCHMARK(BM_TimingModelFit)->Unit(benchmark::kMillisecond);

void BM_FitModels(benchmark::State& state) {
  Sample& s = sample();
  const analytics::EventLog& log = s.loaded.log;
  const Instant as_of = log.latest_instant() - std::chrono::days(90);
  for (auto _ : state) {
    auto m = fit_models(log, s.pipeline.pipeline, as_of);
    if (!m) throw std::runtime_error(m.status().to_string());
    benchmark::DoNotOptimize(m->notes.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * log.deal_count()));
}
BENCHMARK(BM_FitModels)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
