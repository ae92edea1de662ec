// Import benchmark: `dealflow import` throughput per source on the synthetic
// sample (dealflow/analytics/sample.h, seed 7) written in each CRM's export
// format (dealflow/analytics/sample_export.h), against the baseline in the same
// binary: the analytics CSV loaders on the canonical files of the same data set
// (what a user loads without any conversion).
//
// Each export is generated once into a temporary folder ($TMPDIR or /tmp,
// removed at exit), at two sizes: DEALFLOW_BENCH_DEALS (default 100,000) and a
// tenth of it, so that the cost growth with deals and events shows in one run.
//
//   DEALFLOW_BENCH_DEALS=20000 ./import_bench --benchmark_counters_tabular=true
//
// Benchmarks (Arg = deals):
//   BM_Import_<Source>              import_<source>(files) -> CanonicalExport: reading,
//                                   decoding, parsing, building the canonical tables
//   BM_Import_<Source>_ToEventLog   to_event_log on that export (the canonical
//                                   loaders on its text + pipeline compilation)
//   BM_Import_<Source>_Total        both, as a library user loads an export
//   BM_Import_Canonical             read the three canonical files and run
//                                   load_deals_csv + load_history_csv +
//                                   load_field_changes_csv (the baseline)
// Counters (rates use CPU time; the machine may be shared): bytes_per_second =
// input MB/s (bytes of every input file), deals/s, events/s (stage events of
// the result), changes/s (field changes of the result), input_MB; and, after
// to_event_log, fc_bytes_per_change = EventLog::memory_usage().field_change_bytes
// per field change, log_bytes_per_deal = the whole log (dictionaries included)
// per deal.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "bench_options.h"
#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/sample.h"
#include "dealflow/analytics/sample_export.h"
#include "dealflow/import/bitrix24.h"
#include "dealflow/import/canonical.h"
#include "dealflow/import/hubspot.h"
#include "dealflow/import/mapped.h"
#include "dealflow/import/pipedrive.h"
#include "dealflow/import/salesforce.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace {

namespace fs = std::filesystem;
using namespace dealflow;
using namespace dealflow::analytics;

std::int64_t bench_deals() {
  return static_cast<std::int64_t>(dealflow::bench::deals_from_env(100'000));
}
std::int64_t small_deals() {
  return std::max<std::int64_t>(1, bench_deals() / 10);
}

// data/ of the source tree: $DEALFLOW_DATA_DIR, else beside this file (bench/import_bench.cpp;
// __FILE__ may be relative to the build folder under ccache), else ./data or ../../data.
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

// The temporary root, removed at exit.
const fs::path& temp_root() {
  struct Root {
    fs::path path;
    Root() {
      const char* tmp = std::getenv("TMPDIR");
      path = fs::path(tmp && *tmp ? tmp : "/tmp") / ("dealflow-import-bench-" + std::to_string(::getpid()));
      fs::create_directories(path);
    }
    ~Root() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  };
  static const Root root;
  return root.path;
}

// One generated export on disk: its input files (sorted names) and their bytes.
struct Export {
  std::vector<std::string> inputs;  // what the importer is given (mapped: the CSV only)
  std::string mapping;              // mapped only
  std::uint64_t bytes = 0;          // bytes of every input file (the mapping included)
  SampleExportSummary summary;
};

const Export& export_for(SampleFormat format, std::int64_t deals) {
  static std::map<std::pair<SampleFormat, std::int64_t>, std::unique_ptr<Export>> cache;
  auto& slot = cache[{format, deals}];
  if (slot) return *slot;
  const fs::path dir = temp_root() / (std::string(to_string(format)) + "-" + std::to_string(deals));
  SampleOptions sample;
  sample.deals = static_cast<std::uint64_t>(deals);
  sample.seed = 7;
  SampleExportOptions options;
  options.format = format;
  auto summary = write_sample_export(sample, options, dir.string());
  if (!summary) throw std::runtime_error(summary.status().to_string());
  auto out = std::make_unique<Export>();
  out->summary = *summary;
  for (const auto& [name, size] : summary->files) {
    const std::string path = (dir / name).string();
    out->bytes += size;
    if (format == SampleFormat::mapped && name.ends_with(".json")) {
      out->mapping = path;
    } else {
      out->inputs.push_back(path);
    }
  }
  std::fprintf(stderr,
               "import_bench: %s, %lld deals: %zu files, %.1f MB, %llu stage events, %llu field changes\n",
               std::string(to_string(format)).c_str(), static_cast<long long>(deals), summary->files.size(),
               static_cast<double>(out->bytes) / 1e6, static_cast<unsigned long long>(summary->stage_changes),
               static_cast<unsigned long long>(summary->field_changes));
  slot = std::move(out);
  return *slot;
}

Result<import::CanonicalExport> run_import(SampleFormat format, const Export& e) {
  const import::ImportOptions options;
  switch (format) {
    case SampleFormat::salesforce:
      return import::import_salesforce(e.inputs, options);
    case SampleFormat::bitrix24:
      return import::import_bitrix24(e.inputs, options);
    case SampleFormat::hubspot:
      return import::import_hubspot(e.inputs, options);
    case SampleFormat::pipedrive:
      return import::import_pipedrive(e.inputs, options);
    case SampleFormat::mapped:
      return import::import_mapped(e.mapping, e.inputs, options);
    case SampleFormat::canonical:
      break;
  }
  return Status(ErrorCode::invalid_argument, "no importer for the canonical format");
}

// One imported export kept for the _ToEventLog benchmarks (the latest only:
// a 100,000-deal export holds over a GB of strings). Dropped after the last
// _ToEventLog run of a source: a later benchmark run beside a fragmented heap
// of that size was measured up to twice as slow (Bitrix24: 17.3 s instead of
// 5.8 s CPU for 100,000 deals).
std::optional<std::pair<SampleFormat, std::int64_t>> imported_key;
std::optional<import::CanonicalExport> imported_value;

const import::CanonicalExport& imported(SampleFormat format, std::int64_t deals) {
  if (!imported_key || *imported_key != std::make_pair(format, deals)) {
    imported_value.reset();
    auto r = run_import(format, export_for(format, deals));
    if (!r) throw std::runtime_error(r.status().to_string());
    imported_value = std::move(*r);
    imported_key = std::make_pair(format, deals);
  }
  return *imported_value;
}

// Frees what earlier benchmarks left (the cached export, glibc's free lists)
// so that each benchmark starts from a compact heap.
void release_memory() {
  imported_value.reset();
  imported_key.reset();
  ::malloc_trim(0);
}

void set_rates(benchmark::State& state, const Export& e, std::size_t deals, std::size_t events,
               std::size_t changes) {
  const auto it = static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(e.bytes));
  state.counters["deals/s"] =
      benchmark::Counter(it * static_cast<double>(deals), benchmark::Counter::kIsRate);
  state.counters["events/s"] =
      benchmark::Counter(it * static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["changes/s"] =
      benchmark::Counter(it * static_cast<double>(changes), benchmark::Counter::kIsRate);
  state.counters["input_MB"] = static_cast<double>(e.bytes) / 1e6;
}

void set_memory(benchmark::State& state, const EventLog& log) {
  const EventLogMemory m = log.memory_usage();
  const double changes = static_cast<double>(log.field_change_count());
  state.counters["fc_bytes_per_change"] =
      changes > 0 ? static_cast<double>(m.field_change_bytes) / changes : 0.0;
  state.counters["log_bytes_per_deal"] =
      static_cast<double>(m.total()) / static_cast<double>(std::max<std::size_t>(1, log.deal_count()));
}

// ---------------------------------------------------------------------------
// Importers

void import_only(benchmark::State& state, SampleFormat format) {
  release_memory();
  const Export& e = export_for(format, state.range(0));
  std::size_t deals = 0, events = 0, changes = 0;
  for (auto _ : state) {
    auto r = run_import(format, e);
    if (!r) {
      state.SkipWithError(r.status().to_string().c_str());
      return;
    }
    deals = r->report.deals;
    events = r->report.events;
    changes = r->report.field_changes;
    benchmark::DoNotOptimize(r->deals.rows.data());
    state.PauseTiming();
    { auto discard = std::move(*r); }
    state.ResumeTiming();
  }
  set_rates(state, e, deals, events, changes);
}

void to_log_only(benchmark::State& state, SampleFormat format) {
  const Export& e = export_for(format, state.range(0));
  const import::CanonicalExport& data = imported(format, state.range(0));
  std::optional<import::ImportedLog> last;
  for (auto _ : state) {
    auto log = import::to_event_log(data);
    if (!log) {
      state.SkipWithError(log.status().to_string().c_str());
      return;
    }
    benchmark::DoNotOptimize(log->loaded.log.event_count());
    state.PauseTiming();
    last = std::move(*log);
    state.ResumeTiming();
  }
  const EventLog& log = last->loaded.log;
  set_rates(state, e, log.deal_count(), log.event_count(), log.field_change_count());
  set_memory(state, log);
}

void import_total(benchmark::State& state, SampleFormat format) {
  release_memory();
  const Export& e = export_for(format, state.range(0));
  std::size_t deals = 0, events = 0, changes = 0;
  for (auto _ : state) {
    auto r = run_import(format, e);
    if (!r) {
      state.SkipWithError(r.status().to_string().c_str());
      return;
    }
    auto log = import::to_event_log(*r);
    if (!log) {
      state.SkipWithError(log.status().to_string().c_str());
      return;
    }
    deals = log->loaded.log.deal_count();
    events = log->loaded.log.event_count();
    changes = log->loaded.log.field_change_count();
    state.PauseTiming();
    {
      auto discard_export = std::move(*r);
      auto discard_log = std::move(*log);
    }
    state.ResumeTiming();
  }
  set_rates(state, e, deals, events, changes);
}

#define DEALFLOW_IMPORT_BENCH(Name, format)                                                           \
  void BM_Import_##Name(benchmark::State& state) {                                                    \
    import_only(state, SampleFormat::format);                                                         \
  }                                                                                                   \
  BENCHMARK(BM_Import_##Name)->Arg(small_deals())->Arg(bench_deals())->Unit(benchmark::kMillisecond); \
  void BM_Import_##Name##_ToEventLog(benchmark::State& state) {                                       \
    to_log_only(state, SampleFormat::format);                                                         \
  }                                                                                                   \
  BENCHMARK(BM_Import_##Name##_ToEventLog)                                                            \
      ->Arg(small_deals())                                                                            \
      ->Arg(bench_deals())                                                                            \
      ->Unit(benchmark::kMillisecond);                                                                \
  void BM_Import_##Name##_Total(benchmark::State& state) {                                            \
    import_total(state, SampleFormat::format);                                                        \
  }                                                                                                   \
  BENCHMARK(BM_Import_##Name##_Total)->Arg(bench_deals())->Unit(benchmark::kMillisecond);

DEALFLOW_IMPORT_BENCH(Salesforce, salesforce)
DEALFLOW_IMPORT_BENCH(Bitrix24, bitrix24)
DEALFLOW_IMPORT_BENCH(Hubspot, hubspot)
DEALFLOW_IMPORT_BENCH(Pipedrive, pipedrive)
DEALFLOW_IMPORT_BENCH(Mapped, mapped)

// ---------------------------------------------------------------------------
// Baseline: the canonical files of the same data set, read from disk and
// loaded by the analytics loaders (as `dealflow funnel --deals --history
// --field-changes` does).

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

const LoadedPipeline& sample_pipeline() {
  static const LoadedPipeline p = [] {
    auto r = load_pipeline_file(data_dir() + "/pipelines/bitrix24_default.json");
    if (!r) throw std::runtime_error(r.status().to_string());
    return std::move(*r);
  }();
  return p;
}

void BM_Import_Canonical(benchmark::State& state) {
  release_memory();
  const Export& e = export_for(SampleFormat::canonical, state.range(0));
  const Pipeline* pipeline = &sample_pipeline().pipeline;
  CsvLoadOptions options;
  options.default_pipeline = pipeline;
  std::string deals_path, history_path, changes_path;
  for (const std::string& p : e.inputs) {
    if (p.ends_with("/deals.csv")) deals_path = p;
    if (p.ends_with("/history.csv")) history_path = p;
    if (p.ends_with("/field_changes.csv")) changes_path = p;
  }
  std::optional<LoadedLog> last;
  for (auto _ : state) {
    const std::string deals_text = read_file(deals_path);
    const std::string history_text = read_file(history_path);
    const std::string changes_text = read_file(changes_path);
    auto loaded = load_deals_csv(deals_text, "deals.csv", {pipeline}, options);
    if (!loaded) {
      state.SkipWithError(loaded.status().to_string().c_str());
      return;
    }
    Status st = load_history_csv(history_text, "history.csv", {pipeline}, options, *loaded);
    if (st.ok()) st = load_field_changes_csv(changes_text, "field_changes.csv", options, *loaded);
    if (!st.ok()) {
      state.SkipWithError(st.to_string().c_str());
      return;
    }
    benchmark::DoNotOptimize(loaded->log.event_count());
    state.PauseTiming();
    last = std::move(*loaded);
    state.ResumeTiming();
  }
  const EventLog& log = last->log;
  set_rates(state, e, log.deal_count(), log.event_count(), log.field_change_count());
  set_memory(state, log);
}
BENCHMARK(BM_Import_Canonical)->Arg(small_deals())->Arg(bench_deals())->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
