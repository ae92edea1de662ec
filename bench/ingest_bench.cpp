// bench/ingest_bench.cpp: CSV ingest of the canonical deals and stage-history
// files (dealflow/analytics/csv_load.h), 1 and 2 threads, in MB/s, against
// baselines in the same binary:
//   * MemoryPass      one memchr pass over the same bytes: the memory-bandwidth
//                     ceiling an ingest cannot beat;
//   * SqliteInsert    what a user without dealflow does: split the rows and
//                     INSERT them into an in-memory SQLite table (prepared
//                     statement, one transaction);
//   * ScalarUtf8      the byte-at-a-time UTF-8 check the loaders used before
//                     (io::detail::scan_utf8) vs the SIMD check they use now.
// And the growth of the history checks: N rows of one deal at one instant
// (all duplicates of two rows) load in time linear in N.
//
// Size: DEALFLOW_BENCH_DEALS (default 200 000 deals; the e2e sample
// is 1 000 000). Run: ./build/release/bench/ingest_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_options.h"
#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/sample.h"
#include "dealflow/io/encoding.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "io/utf8_detail.h"

namespace {

using namespace dealflow;
using namespace dealflow::analytics;

const LoadedPipeline& pipeline() {
  static const LoadedPipeline p = [] {
    auto loaded =
        load_pipeline_file(std::string(DEALFLOW_SOURCE_DIR) + "/data/pipelines/bitrix24_default.json");
    if (!loaded) throw std::runtime_error(loaded.status().to_string());
    return std::move(*loaded);
  }();
  return p;
}

const SampleCsv& sample() {
  static const SampleCsv csv = [] {
    SampleOptions o;
    o.deals = dealflow::bench::deals_from_env(200'000);
    o.seed = 7;
    auto generated = generate_sample_csv(o);
    if (!generated) throw std::runtime_error(generated.status().to_string());
    return std::move(*generated);
  }();
  return csv;
}

CsvLoadOptions load_options(unsigned threads) {
  CsvLoadOptions o;
  o.default_pipeline = &pipeline().pipeline;
  o.threads = threads;
  o.min_chunk_bytes = 1 << 20;
  return o;
}

void BM_Ingest_Deals(benchmark::State& state) {
  const auto& csv = sample();
  const auto options = load_options(static_cast<unsigned>(state.range(0)));
  for (auto _ : state) {
    auto loaded = load_deals_csv(csv.deals, "deals.csv", {&pipeline().pipeline}, options);
    if (!loaded) state.SkipWithError(loaded.status().to_string().c_str());
    benchmark::DoNotOptimize(loaded->log.deal_count());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * csv.deals.size()));
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(csv.summary.deals) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Ingest_Deals)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Ingest_History(benchmark::State& state) {
  const auto& csv = sample();
  const auto options = load_options(static_cast<unsigned>(state.range(0)));
  auto deals = load_deals_csv(csv.deals, "deals.csv", {&pipeline().pipeline}, options);
  if (!deals) throw std::runtime_error(deals.status().to_string());
  for (auto _ : state) {
    state.PauseTiming();
    LoadedLog copy = *deals;
    state.ResumeTiming();
    Status st = load_history_csv(csv.history, "history.csv", {&pipeline().pipeline}, options, copy);
    if (!st.ok()) state.SkipWithError(st.to_string().c_str());
    benchmark::DoNotOptimize(copy.log.event_count());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * csv.history.size()));
  state.counters["rows/s"] =
      benchmark::Counter(static_cast<double>(csv.summary.events) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  // Memory of the loaded log per event, with its deal tables and dictionaries.
  LoadedLog full = *deals;
  if (load_history_csv(csv.history, "history.csv", {&pipeline().pipeline}, options, full).ok()) {
    const auto m = full.log.memory_usage();
    const double events = static_cast<double>(full.log.event_count());
    state.counters["log_B/event"] = static_cast<double>(m.total()) / events;
    state.counters["events_B/event"] = static_cast<double>(m.event_bytes) / events;
    state.counters["dict_B/event"] = static_cast<double>(m.dictionary_bytes) / events;
  }
}
BENCHMARK(BM_Ingest_History)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// Baseline: the memory-bandwidth ceiling (one pass that looks at every byte).
void BM_Baseline_MemoryPass(benchmark::State& state) {
  const std::string& text = state.range(0) == 0 ? sample().deals : sample().history;
  for (auto _ : state) {
    std::size_t lines = 0;
    const char* p = text.data();
    const char* end = p + text.size();
    while (const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p))) {
      ++lines;
      p = static_cast<const char*>(nl) + 1;
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetLabel(state.range(0) == 0 ? "deals.csv" : "history.csv");
}
BENCHMARK(BM_Baseline_MemoryPass)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Baseline: split every row (no quotes in the history file) and INSERT it
// into an in-memory SQLite table, as a user loading the export into SQLite does.
void BM_Baseline_SqliteInsertHistory(benchmark::State& state) {
  const std::string& text = sample().history;
  for (auto _ : state) {
    sqlite3* db = nullptr;
    sqlite3_open(":memory:", &db);
    sqlite3_exec(db, "CREATE TABLE h(deal_id TEXT, at TEXT, stage TEXT, pipeline TEXT, actor TEXT); BEGIN",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO h VALUES(?,?,?,?,?)", -1, &st, nullptr);
    std::size_t pos = text.find('\n') + 1;
    while (pos < text.size()) {
      std::size_t eol = text.find('\n', pos);
      if (eol == std::string::npos) eol = text.size();
      int col = 1;
      std::size_t start = pos;
      for (std::size_t i = pos; i <= eol; ++i) {
        if (i == eol || text[i] == ',') {
          sqlite3_bind_text(st, col++, text.data() + start, static_cast<int>(i - start), SQLITE_STATIC);
          start = i + 1;
        }
      }
      sqlite3_step(st);
      sqlite3_reset(st);
      pos = eol + 1;
    }
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    sqlite3_close(db);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Baseline_SqliteInsertHistory)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_Utf8_Simd(benchmark::State& state) {
  const std::string& text = sample().deals;
  for (auto _ : state) benchmark::DoNotOptimize(io::is_valid_utf8_without_nul(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Utf8_Simd)->Unit(benchmark::kMillisecond);

void BM_Baseline_Utf8_Scalar(benchmark::State& state) {
  const std::string& text = sample().deals;
  for (auto _ : state) benchmark::DoNotOptimize(io::detail::scan_utf8(text).offset);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_Baseline_Utf8_Scalar)->Unit(benchmark::kMillisecond);

// N history rows of one deal at one instant: the duplicate check is one pass.
void BM_History_OneDealOneInstant(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::string deals = "id,created_at\nD1,2024-01-01T00:00:00Z\n";
  std::string history = "deal_id,at,stage\n";
  for (std::size_t i = 0; i < n; ++i)
    history += i % 2 ? "D1,2024-01-02T00:00:00Z,NEW\n" : "D1,2024-01-02T00:00:00Z,PREPARATION\n";
  auto options = load_options(1);
  options.mode = LoadMode::lenient;
  for (auto _ : state) {
    auto loaded = load_deals_csv(deals, "deals.csv", {&pipeline().pipeline}, options);
    Status st = load_history_csv(history, "history.csv", {&pipeline().pipeline}, options, *loaded);
    benchmark::DoNotOptimize(st.ok());
  }
  state.SetComplexityN(static_cast<std::int64_t>(n));
}
BENCHMARK(BM_History_OneDealOneInstant)
    ->Arg(20'000)
    ->Arg(200'000)
    ->Arg(2'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity(benchmark::oN);

}  // namespace

BENCHMARK_MAIN();
