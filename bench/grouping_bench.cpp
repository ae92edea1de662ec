// Grouping benchmark (issue 9): the funnel by client on an in-memory log with
// 1 k, 10 k, 100 k and 720 k clients (720,000 deals, about 2.9 events each, so
// the per-deal work is the same in every run and only the group count grows),
// from the plan to the last byte of the table written to a null stream; with
// its baselines in the same binary:
//   BM_FunnelByClient             FunnelResult, groups made one at a time while
//                                 the table is written (what `dealflow funnel` does);
//   BM_FunnelByClientMaterialized the previous path: a FunnelReport with one
//                                 FunnelGroup object per group, then funnel_to_table
//                                 into one string;
//   BM_FunnelByClientHashMap      a plain std::unordered_map<std::string, counters>
//                                 keyed by the client name (high-water levels,
//                                 won/lost/open only; no output).
// Complexity: oN in the group count (the fitted coefficient is the cost per group
// on top of the fixed per-deal work). Plus durations and the scorecard on a
// 100,000-deal sample (DEALFLOW_BENCH_DEALS overrides), as `dealflow durations`
// and `dealflow scorecard` compute them after the load.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <ostream>
#include <random>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <unordered_map>

#include "bench_options.h"
#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/analytics/funnel_output.h"
#include "dealflow/analytics/sample.h"
#include "dealflow/analytics/scorecard.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace {

using namespace dealflow;
using namespace dealflow::analytics;

constexpr std::size_t kGroupedDeals = 720'000;

std::string data_dir() {
  if (const char* d = std::getenv("DEALFLOW_DATA_DIR")) return d;
  const std::string here = __FILE__;
  const std::size_t cut = here.rfind("/bench/");
  return (cut == std::string::npos ? std::string(".") : here.substr(0, cut)) + "/data";
}

const Pipeline& pipeline() {
  static const LoadedPipeline* p = [] {
    auto loaded = load_pipeline_file(data_dir() + "/pipelines/bitrix24_default.json");
    if (!loaded) throw std::runtime_error(loaded.status().to_string());
    return new LoadedPipeline(std::move(*loaded));
  }();
  return p->pipeline;
}

// Bytes written, nothing kept.
class NullBuffer : public std::streambuf {
 public:
  std::size_t bytes = 0;

 protected:
  std::streamsize xsputn(const char*, std::streamsize n) override {
    bytes += static_cast<std::size_t>(n);
    return n;
  }
  int overflow(int c) override {
    ++bytes;
    return c;
  }
};

// kGroupedDeals deals, client "Клиент <d % groups>", a walk through the open
// stages ending won, lost or open. Seeded; one log per group count.
const EventLog& grouped_log(std::size_t groups) {
  static std::map<std::size_t, std::unique_ptr<EventLog>> logs;
  auto& slot = logs[groups];
  if (slot) return *slot;
  const Pipeline& p = pipeline();
  auto log = std::make_unique<EventLog>();
  const PipelineId pid = log->intern_pipeline(p.id());
  std::mt19937_64 rng(7);
  const std::int64_t t0 = 1704067200;  // 2024-01-01
  const auto open = p.open_stages();
  log->reserve(kGroupedDeals, kGroupedDeals * 3);
  for (std::size_t d = 0; d < kGroupedDeals; ++d) {
    const std::int64_t created = t0 + static_cast<std::int64_t>(rng() % (365 * 86400));
    auto id = log->add_deal(std::to_string(d + 1), pid, Instant::from_unix_seconds(created),
                            Money(static_cast<std::int64_t>(rng() % 10'000'000), Currency::of("RUB")));
    log->set_dimension(*id, StandardDimension::client, "Клиент " + std::to_string(d % groups));
    std::int64_t t = created;
    const std::size_t depth = 1 + rng() % open.size();
    for (std::size_t k = 0; k < depth; ++k) {
      (void)log->append_event(*id, Instant::from_unix_seconds(t), open[k]);
      t += static_cast<std::int64_t>(rng() % (7 * 86400));
    }
    const auto end = rng() % 3;
    if (end == 0) (void)log->append_event(*id, Instant::from_unix_seconds(t), p.won_stages()[0]);
    if (end == 1) (void)log->append_event(*id, Instant::from_unix_seconds(t), p.lost_stages()[0]);
  }
  log->seal();
  slot = std::move(log);
  return *slot;
}

FunnelQuery by_client(const EventLog& log) {
  FunnelQuery q;
  q.group = *resolve_grouping(log, "client");
  q.threads = 1;
  return q;
}

void BM_FunnelByClient(benchmark::State& state) {
  const auto groups = static_cast<std::size_t>(state.range(0));
  const EventLog& log = grouped_log(groups);
  const FunnelQuery q = by_client(log);
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto result = compute_funnel_result(log, pipeline(), q);
    if (!result) throw std::runtime_error(result.status().to_string());
    NullBuffer sink;
    std::ostream out(&sink);
    write_funnel_table(out, *result, pipeline());
    bytes = sink.bytes;
  }
  state.SetComplexityN(state.range(0));
  state.counters["groups"] = static_cast<double>(groups);
  state.counters["output_bytes"] = static_cast<double>(bytes);
}

void BM_FunnelByClientMaterialized(benchmark::State& state) {
  const auto groups = static_cast<std::size_t>(state.range(0));
  const EventLog& log = grouped_log(groups);
  const FunnelQuery q = by_client(log);
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto report = compute_funnel(log, pipeline(), q);
    if (!report) throw std::runtime_error(report.status().to_string());
    const std::string text = funnel_to_table(*report, pipeline());
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.SetComplexityN(state.range(0));
  state.counters["output_bytes"] = static_cast<double>(bytes);
}

void BM_FunnelByClientHashMap(benchmark::State& state) {
  const auto groups = static_cast<std::size_t>(state.range(0));
  const EventLog& log = grouped_log(groups);
  const Pipeline& p = pipeline();
  struct Counters {
    std::int64_t deals = 0, won = 0, lost = 0, open = 0;
    std::int64_t level[16] = {};
  };
  const auto& client = log.dimension(StandardDimension::client);
  for (auto _ : state) {
    std::unordered_map<std::string, Counters> by_key;
    for (std::size_t d = 0; d < log.deal_count(); ++d) {
      Counters& c = by_key[std::string(client.values.at(client.codes[d]))];
      ++c.deals;
      int hw = -1;
      StageId last;
      for (std::size_t e = log.event_begin(DealId{static_cast<std::uint32_t>(d)});
           e < log.event_end(DealId{static_cast<std::uint32_t>(d)}); ++e) {
        last = log.stage_column()[e];
        hw = std::max(hw, p.stage(last).funnel_position);
      }
      const bool won = last.valid() && p.stage(last).kind == StageKind::won;
      const bool lost = last.valid() && p.stage(last).kind == StageKind::lost;
      ++c.level[won ? 15 : hw + 1];
      (won ? c.won : lost ? c.lost : c.open) += 1;
    }
    benchmark::DoNotOptimize(by_key.size());
  }
  state.SetComplexityN(state.range(0));
}

BENCHMARK(BM_FunnelByClient)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(720'000)
    ->Complexity(benchmark::oN)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FunnelByClientMaterialized)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(720'000)
    ->Complexity(benchmark::oN)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FunnelByClientHashMap)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(720'000)
    ->Complexity(benchmark::oN)
    ->Unit(benchmark::kMillisecond);

// ---- durations and scorecard on a loaded sample

const LoadedLog& sample_log() {
  static const LoadedLog* loaded = [] {
    SampleOptions so;
    so.deals = dealflow::bench::deals_from_env(100'000);
    so.seed = 7;
    auto csv = generate_sample_csv(so);
    if (!csv) throw std::runtime_error(csv.status().to_string());
    CsvLoadOptions options;
    options.default_pipeline = &pipeline();
    auto l = load_deals_csv(csv->deals, "deals.csv", {&pipeline()}, options);
    if (!l) throw std::runtime_error(l.status().to_string());
    Status st = load_history_csv(csv->history, "history.csv", {&pipeline()}, options, *l);
    if (!st.ok()) throw std::runtime_error(st.to_string());
    return new LoadedLog(std::move(*l));
  }();
  return *loaded;
}

void BM_Durations(benchmark::State& state) {
  const EventLog& log = sample_log().log;
  for (auto _ : state) {
    auto r = compute_durations(log, pipeline(), {});
    if (!r) throw std::runtime_error(r.status().to_string());
    benchmark::DoNotOptimize(r->total.deals);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * log.deal_count()));
}

void BM_Scorecard(benchmark::State& state) {
  const EventLog& log = sample_log().log;
  ScorecardQuery q{Instant::from_unix_seconds(1727740800),
                   Instant::from_unix_seconds(1735689600)};  // Q4 2024
  for (auto _ : state) {
    auto r = compute_scorecard(log, pipeline(), q);
    if (!r) throw std::runtime_error(r.status().to_string());
    benchmark::DoNotOptimize(r->managers.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * log.deal_count()));
}

BENCHMARK(BM_Durations)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Scorecard)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
