// Durations benchmark: the sample generator, the Kaplan–Meier fit against a
// straightforward implementation (copy, std::sort of (time, cause) structs,
// sweep) as the baseline, and the whole duration report on a generated data
// set against the naive closed-deals-only median it replaces (which is biased,
// but is what a spreadsheet computes).
//
//   DEALFLOW_BENCH_DEALS=1000000 ./durations_bench    bigger data set (default 200,000)
//
// Counters: items_per_second = deals (generator), observations (fits) or stage
// events (reports).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/sample.h"
#include "dealflow/analytics/survival.h"
#include "bench_options.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace {

using namespace dealflow;
using namespace dealflow::analytics;

std::uint64_t bench_deals() { return dealflow::bench::deals_from_env(200'000); }

std::vector<SurvivalObservation> random_observations(std::size_t n) {
  std::mt19937_64 rng(1);
  std::vector<SurvivalObservation> obs(n);
  for (auto& o : obs) {
    o = {static_cast<std::int64_t>(rng() % (90 * 86400)), static_cast<std::uint8_t>(rng() % 3)};
  }
  return obs;
}

// The baseline: the textbook implementation with a comparison sort, building
// the same table (time, at risk, events, censored, S, Greenwood variance).
std::vector<KaplanMeierStep> kaplan_meier_std_sort(std::span<const SurvivalObservation> in) {
  std::vector<SurvivalObservation> v(in.begin(), in.end());
  std::sort(v.begin(), v.end(), [](const SurvivalObservation& a, const SurvivalObservation& b) {
    return a.time != b.time ? a.time < b.time : a.cause < b.cause;
  });
  std::vector<KaplanMeierStep> steps;
  std::uint64_t at_risk = v.size();
  double s = 1.0, greenwood = 0.0;
  for (std::size_t i = 0; i < v.size();) {
    const std::int64_t t = v[i].time;
    std::uint64_t d = 0, c = 0;
    for (; i < v.size() && v[i].time == t; ++i) (v[i].cause != kCensored ? d : c) += 1;
    if (d > 0) {
      s = s * static_cast<double>(at_risk - d) / static_cast<double>(at_risk);
      if (at_risk > d)
        greenwood +=
            static_cast<double>(d) / (static_cast<double>(at_risk) * static_cast<double>(at_risk - d));
      steps.push_back({t, at_risk, d, c, s, s * s * greenwood});
    }
    at_risk -= d + c;
  }
  return steps;
}

void BM_Survival_KaplanMeierFit(benchmark::State& state) {
  const auto obs = random_observations(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto km = KaplanMeier::fit(obs);
    benchmark::DoNotOptimize(km->median());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Survival_KaplanMeierFit)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_Survival_StdSortBaseline(benchmark::State& state) {
  const auto obs = random_observations(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    auto steps = kaplan_meier_std_sort(obs);
    benchmark::DoNotOptimize(steps.back().survival);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Survival_StdSortBaseline)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_Sample_Generate(benchmark::State& state) {
  SampleOptions options;
  options.deals = bench_deals();
  std::uint64_t bytes = 0;
  for (auto _ : state) {
    auto summary = generate_sample(
        options, [](std::string_view) { return Status(); }, [](std::string_view) { return Status(); });
    bytes = summary->deals_bytes + summary->history_bytes;
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(options.deals));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_Sample_Generate)->Unit(benchmark::kMillisecond);

std::string pipeline_path() {
  if (const char* d = std::getenv("DEALFLOW_DATA_DIR"))
    return std::string(d) + "/pipelines/bitrix24_default.json";
  const std::string here = __FILE__;
  const std::size_t cut = here.rfind("/bench/");
  return (cut == std::string::npos ? std::string(".") : here.substr(0, cut)) +
         "/data/pipelines/bitrix24_default.json";
}

struct Data {
  LoadedPipeline pipeline;
  EventLog log;
};

const Data& data() {
  static const Data d = [] {
    auto p = load_pipeline_file(pipeline_path());
    if (!p) throw std::runtime_error(p.status().to_string());
    SampleOptions options;
    options.deals = bench_deals();
    auto csv = generate_sample_csv(options);
    CsvLoadOptions load;
    load.default_pipeline = &p->pipeline;
    auto loaded = load_deals_csv(csv->deals, "deals.csv", {&p->pipeline}, load);
    if (!loaded) throw std::runtime_error(loaded.status().to_string());
    Status st = load_history_csv(csv->history, "history.csv", {&p->pipeline}, load, *loaded);
    if (!st.ok()) throw std::runtime_error(st.to_string());
    return Data{std::move(*p), std::move(loaded->log)};
  }();
  return d;
}

void BM_Durations_Report(benchmark::State& state) {
  const Data& d = data();
  for (auto _ : state) {
    auto r = compute_durations(d.log, d.pipeline.pipeline, {});
    benchmark::DoNotOptimize(r->total.cycle.to_close.median);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(d.log.event_count()));
}
BENCHMARK(BM_Durations_Report)->Unit(benchmark::kMillisecond);

// Baseline: the median cycle of closed deals only (open deals dropped), by
// nth_element: one figure instead of seventeen censoring-aware distributions.
void BM_Durations_NaiveClosedMedianBaseline(benchmark::State& state) {
  const Data& d = data();
  const Pipeline& p = d.pipeline.pipeline;
  std::vector<std::int64_t> cycles;
  for (auto _ : state) {
    cycles.clear();
    for (std::size_t i = 0; i < d.log.deal_count(); ++i) {
      const DealId id{static_cast<std::uint32_t>(i)};
      const std::size_t e = d.log.event_end(id);
      if (e == d.log.event_begin(id) || !p.is_terminal(d.log.event_stage(e - 1))) continue;
      cycles.push_back((d.log.event_at(e - 1) - d.log.created_at(id)).count());
    }
    auto mid = cycles.begin() + static_cast<std::ptrdiff_t>((cycles.size() - 1) / 2);
    std::nth_element(cycles.begin(), mid, cycles.end());
    benchmark::DoNotOptimize(*mid);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(d.log.event_count()));
}
BENCHMARK(BM_Durations_NaiveClosedMedianBaseline)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
