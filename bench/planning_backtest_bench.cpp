// Backtest benchmark: the pipeline states at 52 weekly snapshots (every Monday
// of 2024) on the synthetic sample (dealflow sample: Bitrix24 default
// pipeline, seed 42, with its field changes), computed in one sweep
// (planning/pipeline_sweep.h) against two baselines in the same binary (the
// issue's target: >= 10x):
//   * BM_Rebuilt52: the "52 independent reconstructions": at each
//     snapshot T the log is rebuilt with only what was known at T (deals
//     created at or before T, their events, field changes and pipeline moves
//     at or before T; the rebuild of tests/planning/backtest_fixture.h
//     cut_log, done with codes instead of strings), then pipeline_state_as_of;
//   * BM_Independent52: 52 pipeline_state_as_of on the one shared sealed log
//     (as-of queries, no rebuild: the stronger baseline);
// and the whole backtest (all five methods fitted at every snapshot).
//
//   ./planning_backtest_bench --benchmark_filter='/100000$'    the 100 k-deal size only
//   DEALFLOW_BENCH_DEALS=300000 ./planning_backtest_bench     another large size (default 1 M)
//
// Counters: states_per_second; open_deals = Σ open and closed deals over the 52 states
// (the same in all three, a check that they do the same work).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include "bench_options.h"
#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/sample.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/planning/backtest.h"
#include "dealflow/planning/pipeline_sweep.h"

namespace {

using namespace dealflow;
using namespace dealflow::analytics;
using namespace dealflow::planning;

std::string data_dir() {
  if (const char* d = std::getenv("DEALFLOW_DATA_DIR")) return d;
  return std::string(DEALFLOW_SOURCE_DIR) + "/data";
}

struct Data {
  explicit Data(LoadedPipeline p) : pipeline(std::move(p)) {}
  LoadedPipeline pipeline;
  LoadedLog loaded;
};

// The sample of `deals` deals, generated and loaded once per size.
Data& data(std::uint64_t deals) {
  static std::map<std::uint64_t, std::unique_ptr<Data>> cache;
  auto& slot = cache[deals];
  if (slot) return *slot;
  auto p = load_pipeline_file(data_dir() + "/pipelines/bitrix24_default.json");
  if (!p) throw std::runtime_error(p.status().to_string());
  slot = std::make_unique<Data>(std::move(*p));
  SampleOptions so;
  so.deals = deals;
  auto csv = generate_sample_csv(so);
  if (!csv) throw std::runtime_error(csv.status().to_string());
  CsvLoadOptions options;
  options.default_pipeline = &slot->pipeline.pipeline;
  auto loaded = load_deals_csv(csv->deals, "deals.csv", {&slot->pipeline.pipeline}, options);
  if (!loaded) throw std::runtime_error(loaded.status().to_string());
  Status st = load_history_csv(csv->history, "history.csv", {&slot->pipeline.pipeline}, options, *loaded);
  if (st.ok()) st = load_field_changes_csv(csv->field_changes, "field_changes.csv", options, *loaded);
  if (!st.ok()) throw std::runtime_error(st.to_string());
  loaded->log.seal();
  slot->loaded = std::move(*loaded);
  std::fprintf(stderr, "planning_backtest_bench: %zu deals, %zu events, %zu field changes\n",
               slot->loaded.log.deal_count(), slot->loaded.log.event_count(),
               slot->loaded.log.field_change_count());
  return *slot;
}

// The log as it would have been exported at `t` (the reconstruction):
// deals created at or before t with their deals-table values, their events,
// pipeline moves and field changes at or before t. Dictionaries are copied in
// code order first, so codes carry over without string lookups; actors are
// not copied (no state reads them).
EventLog rebuild_log(const EventLog& log, Instant t) {
  EventLog out(log.time_base());
  for (std::size_t p = 0; p < log.pipelines().size(); ++p)
    out.intern_pipeline(log.pipelines().at(static_cast<Dictionary::Code>(p)));
  std::vector<DimensionId> dims;
  for (std::size_t k = 0; k < log.dimension_count(); ++k) {
    const DimensionId dim{static_cast<std::uint16_t>(k)};
    const DimensionColumn& column = log.dimension(dim);
    dims.push_back(out.add_dimension(column.name));
    for (std::size_t c = 0; c < column.values.size(); ++c)
      out.intern_dimension_value(dims.back(), column.values.at(static_cast<Dictionary::Code>(c)));
  }
  const std::uint32_t tl = log.to_log_seconds(t);
  const auto created = log.created_column();
  const auto at = log.at_column();
  std::size_t deals = 0, events = 0;
  for (std::uint32_t i = 0; i < log.deal_count(); ++i) {
    if (created[i] > t.unix_seconds()) continue;
    ++deals;
    events += log.event_end(DealId{i}) - log.event_begin(DealId{i});
  }
  out.reserve(deals, events);
  for (std::uint32_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{i};
    if (created[i] > t.unix_seconds()) continue;
    auto n = out.add_deal(log.deal_key(d), log.pipeline(d), log.created_at(d), log.amount(d));
    if (!n) throw std::runtime_error(n.status().to_string());
    for (std::size_t k = 0; k < dims.size(); ++k) {
      const std::uint32_t code = log.dimension(DimensionId{static_cast<std::uint16_t>(k)}).codes[i];
      if (code != kNoValue) out.set_dimension_code(*n, dims[k], code);
    }
    if (const auto date = log.close_date(d)) out.set_close_date(*n, date);
    if (const auto p = log.probability(d)) (void)out.set_probability(*n, p);
    for (std::size_t e = log.event_begin(d); e < log.event_end(d) && at[e] <= tl; ++e)
      (void)out.append_event(*n, log.event_at(e), log.event_stage(e));
    for (const auto& m : log.pipeline_moves(d))
      if (m.at <= tl)
        (void)out.add_pipeline_move(*n, log.time_base() + Duration(m.at), PipelineId{m.pipeline});
    for (std::size_t c = log.field_change_begin(d); c < log.field_change_end(d); ++c) {
      const Instant ct = log.field_change_at(c);
      if (ct > t) break;  // by time within the deal
      const DealField f = log.field_change_field(c);
      const std::uint32_t v = log.field_change_value(c);
      if (f == DealField::amount()) {
        (void)out.add_amount_change(*n, ct, log.field_change_amount(c));
      } else if (f == DealField::close_date()) {
        (void)out.add_close_date_change(*n, ct, log.field_change_date(c));
      } else if (f == DealField::probability()) {
        (void)out.add_probability_change(*n, ct,
                                         v == kNoValue ? std::nullopt : std::optional<std::uint32_t>(v));
      } else {
        (void)out.add_dimension_change_code(*n, ct, f.dimension_id(), v);
      }
    }
  }
  out.seal();
  return out;
}

// Every Monday of 2024 (52), each with its quarter's closed deals (as the backtest asks).
std::vector<SweepPoint> mondays() {
  std::vector<SweepPoint> out;
  const auto from = *parse_instant("2024-01-01T00:00:00Z");
  const auto to = *parse_instant("2024-12-30T00:00:00Z");
  for (const Instant t : snapshot_instants(SnapshotEvery::monday, from, to)) {
    StateOptions o;
    o.closed_from = period_containing(PeriodKind::quarter, t.date()).begin_instant();
    out.push_back({t, o});
  }
  return out;
}

void BM_Sweep52(benchmark::State& state) {
  Data& d = data(static_cast<std::uint64_t>(state.range(0)));
  const auto points = mondays();
  std::uint64_t open = 0;
  SweepStats stats;
  for (auto _ : state) {
    open = 0;
    stats = {};
    Status st = sweep_pipeline_states(
        d.loaded.log, d.pipeline.pipeline, points,
        [&](std::size_t, const PipelineState& s) -> Status {
          open += s.open.size() + s.closed.size();
          return {};
        },
        &stats);
    if (!st.ok()) state.SkipWithError(st.to_string().c_str());
  }
  state.counters["open_deals"] = static_cast<double>(open);
  state.counters["evaluations"] = static_cast<double>(stats.evaluations);
  state.counters["max_active"] = static_cast<double>(stats.max_active);
  state.counters["states_per_second"] =
      benchmark::Counter(static_cast<double>(points.size()), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Independent52(benchmark::State& state) {
  Data& d = data(static_cast<std::uint64_t>(state.range(0)));
  const auto points = mondays();
  std::uint64_t open = 0;
  for (auto _ : state) {
    open = 0;
    for (const SweepPoint& p : points) {
      auto s = pipeline_state_as_of(d.loaded.log, d.pipeline.pipeline, p.as_of, p.options);
      if (!s) {
        state.SkipWithError(s.status().to_string().c_str());
        return;  // s holds no state to count
      }
      open += s->open.size() + s->closed.size();
    }
  }
  state.counters["open_deals"] = static_cast<double>(open);
  state.counters["states_per_second"] =
      benchmark::Counter(static_cast<double>(points.size()), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Rebuilt52(benchmark::State& state) {
  Data& d = data(static_cast<std::uint64_t>(state.range(0)));
  const auto points = mondays();
  std::uint64_t open = 0;
  for (auto _ : state) {
    open = 0;
    for (const SweepPoint& p : points) {
      const EventLog cut = rebuild_log(d.loaded.log, p.as_of);
      auto s = pipeline_state_as_of(cut, d.pipeline.pipeline, p.as_of, p.options);
      if (!s) {
        state.SkipWithError(s.status().to_string().c_str());
        return;  // s holds no state to count
      }
      open += s->open.size() + s->closed.size();
    }
  }
  state.counters["open_deals"] = static_cast<double>(open);
  state.counters["states_per_second"] =
      benchmark::Counter(static_cast<double>(points.size()), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Backtest52(benchmark::State& state) {
  Data& d = data(static_cast<std::uint64_t>(state.range(0)));
  BacktestQuery q;
  for (const SweepPoint& p : mondays()) q.snapshots.push_back(p.as_of);
  q.data_end = *parse_instant("2025-01-01T00:00:00Z");
  for (auto _ : state) {
    auto r = backtest(d.loaded.log, d.pipeline.pipeline, q);
    if (!r) state.SkipWithError(r.status().to_string().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.counters["snapshots_per_second"] = benchmark::Counter(static_cast<double>(q.snapshots.size()),
                                                              benchmark::Counter::kIsIterationInvariantRate);
}

const std::int64_t kLarge = static_cast<std::int64_t>(dealflow::bench::deals_from_env(1'000'000));

BENCHMARK(BM_Sweep52)->Arg(100'000)->Arg(kLarge)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Independent52)->Arg(100'000)->Arg(kLarge)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_Rebuilt52)->Arg(100'000)->Arg(kLarge)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK(BM_Backtest52)->Arg(100'000)->Arg(kLarge)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
