// Snapshot benchmark: opening a ".dflog" snapshot (dealflow/analytics/snapshot.h)
// against the baseline in the same binary, the CSV load of the same data
// (load_csv_files + load_field_changes_csv on the canonical files), on the
// synthetic sample (seed 7, DEALFLOW_BENCH_DEALS deals, default 100,000).
//
//   DEALFLOW_BENCH_DEALS=1000000 ./snapshot_bench --benchmark_counters_tabular=true
//
// Benchmarks:
//   BM_Snapshot_CsvLoad   the baseline: read and parse deals.csv, history.csv and
//                         field_changes.csv into a sealed log
//   BM_Snapshot_Open      open_snapshot of the same log: map, verify every
//                         checksum and the consistency checks, bulk-copy the columns
//   BM_Snapshot_Write     write_snapshot of the loaded log
// Counters: bytes_per_second (the CSV input for the load, the snapshot file for
// open and write), input_MB, and on BM_Snapshot_Open `of_csv_load` = its time per
// open / the baseline's time per load (real time; the goal is <= 0.05).
// The files are written once into $TMPDIR (or /tmp) and removed at exit.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "bench_options.h"
#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/sample.h"
#include "dealflow/analytics/snapshot.h"
#include "dealflow/io/json.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace {

namespace fs = std::filesystem;
using namespace dealflow;
using namespace dealflow::analytics;

std::string data_dir() {
  if (const char* d = std::getenv("DEALFLOW_DATA_DIR")) return d;
  const std::string here = __FILE__;
  const std::size_t cut = here.rfind("/bench/");
  const std::string beside = (cut == std::string::npos ? std::string(".") : here.substr(0, cut)) + "/data";
  for (const std::string& dir : {beside, std::string("data"), std::string("../../data")}) {
    if (fs::exists(dir + "/pipelines/bitrix24_default.json")) return dir;
  }
  return beside;
}

struct Files {
  LoadedPipeline pipeline;
  std::string dir, deals, history, changes, snapshot;
  std::uint64_t csv_bytes = 0, snapshot_bytes = 0;
  double csv_seconds = 0;  // real time per CSV load, set by BM_Snapshot_CsvLoad

  Files() : pipeline(*load_pipeline_file(data_dir() + "/pipelines/bitrix24_default.json")) {
    const char* tmp = std::getenv("TMPDIR");
    dir = std::string(tmp ? tmp : "/tmp") + "/dealflow_snapshot_bench_" + std::to_string(::getpid());
    SampleOptions o;
    o.deals = bench::deals_from_env(100'000);
    o.seed = 7;
    auto summary = write_sample_files(o, dir);
    if (!summary) throw std::runtime_error(summary.status().to_string());
    deals = dir + "/deals.csv", history = dir + "/history.csv", changes = dir + "/field_changes.csv";
    snapshot = dir + "/data.dflog";
    csv_bytes = summary->deals_bytes + summary->history_bytes + summary->field_changes_bytes;
    const LoadedLog loaded = load();
    if (Status st = write_snapshot(loaded, {&pipeline.pipeline}, snapshot); !st.ok())
      throw std::runtime_error(st.to_string());
    snapshot_bytes = fs::file_size(snapshot);
  }
  ~Files() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  LoadedLog load() const {
    CsvLoadOptions options;
    options.default_pipeline = &pipeline.pipeline;
    auto loaded = load_csv_files(deals, history, {&pipeline.pipeline}, options);
    if (!loaded) throw std::runtime_error(loaded.status().to_string());
    auto text = read_text_file(changes);
    if (!text) throw std::runtime_error(text.status().to_string());
    if (Status st = load_field_changes_csv(*text, changes, options, *loaded); !st.ok())
      throw std::runtime_error(st.to_string());
    return std::move(*loaded);
  }
};

Files& files() {
  static Files f;
  return f;
}

void BM_Snapshot_CsvLoad(benchmark::State& state) {
  Files& f = files();
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    LoadedLog loaded = f.load();
    benchmark::DoNotOptimize(loaded.log.event_count());
  }
  f.csv_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
                  static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.csv_bytes));
  state.counters["input_MB"] = static_cast<double>(f.csv_bytes) / 1e6;
}
BENCHMARK(BM_Snapshot_CsvLoad)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_Snapshot_Open(benchmark::State& state) {
  Files& f = files();
  const auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    auto snap = open_snapshot(f.snapshot);
    if (!snap) {
      state.SkipWithError(snap.status().to_string().c_str());
      return;
    }
    benchmark::DoNotOptimize(snap->loaded.log.event_count());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() /
                         static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.snapshot_bytes));
  state.counters["input_MB"] = static_cast<double>(f.snapshot_bytes) / 1e6;
  if (f.csv_seconds > 0) state.counters["of_csv_load"] = seconds / f.csv_seconds;
}
BENCHMARK(BM_Snapshot_Open)->Unit(benchmark::kMillisecond)->MinTime(1.0);

void BM_Snapshot_Write(benchmark::State& state) {
  Files& f = files();
  const LoadedLog loaded = f.load();
  const std::string path = f.dir + "/write.dflog";
  for (auto _ : state) {
    if (Status st = write_snapshot(loaded, {&f.pipeline.pipeline}, path); !st.ok()) {
      state.SkipWithError(st.to_string().c_str());
      return;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.snapshot_bytes));
}
BENCHMARK(BM_Snapshot_Write)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
