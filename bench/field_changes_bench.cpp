// Field-changes benchmark: loading field_changes.csv into the EventLog's
// columns, and the bulk "manager codes as of T" that the as-of reports use,
// each against a baseline in this binary: a std::map per deal and field
// (field name -> instant -> value string), filled by a plain line splitter and
// queried with upper_bound. Random changes (manager, amount, close_date,
// probability, region) over 100,000 deals (DEALFLOW_BENCH_DEALS), 8 changes a
// deal on average.
//
//   ./field_changes_bench --benchmark_counters_tabular=true
//
// Counters: changes_per_second (items), bytes_per_change = the log's
// field_change_bytes / changes (the baseline's is an estimate from node sizes).
#include <benchmark/benchmark.h>

#include <map>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench_options.h"
#include "dealflow/analytics/csv_load.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace {

using namespace dealflow;
using namespace dealflow::analytics;

struct Data {
  std::optional<LoadedPipeline> pipeline;
  LoadedLog base;  // deals only
  std::string changes;
  std::size_t change_count = 0;
};

const Data& data() {
  static const Data d = [] {
    Data out;
    auto p = parse_pipeline_text(
        R"({"id":"sales","name":"Sales","stages":[{"id":"NEW","name":"New","kind":"open"},)"
        R"({"id":"WON","name":"Won","kind":"won"},{"id":"LOST","name":"Lost","kind":"lost"}]})");
    if (!p) throw std::runtime_error(p.status().to_string());
    out.pipeline = std::move(*p);
    const Pipeline& pipeline = out.pipeline->pipeline;
    const std::uint64_t deals = dealflow::bench::deals_from_env(100'000);
    std::mt19937_64 rng(7);
    std::string deals_csv = "id,created_at,amount,currency,manager\n";
    for (std::uint64_t i = 0; i < deals; ++i) {
      deals_csv += "D" + std::to_string(i) + ",2024-01-01T00:00:00Z," +
                   std::to_string(1000 + rng() % 100000) + ".00,RUB,M" + std::to_string(rng() % 200) + "\n";
    }
    CsvLoadOptions options;
    options.default_pipeline = &pipeline;
    auto loaded = load_deals_csv(deals_csv, "deals.csv", {&pipeline}, options);
    if (!loaded) throw std::runtime_error(loaded.status().to_string());
    out.base = std::move(*loaded);
    out.changes = "deal_id,at,field,value\n";
    static const char* kFields[] = {"manager", "amount", "close_date", "probability", "region"};
    for (std::uint64_t i = 0; i < deals; ++i) {
      const std::uint64_t n = rng() % 17;
      std::int64_t t = 1704067200;  // 2024-01-01
      for (std::uint64_t k = 0; k < n; ++k) {
        t += static_cast<std::int64_t>(rng() % (5 * 86400));
        const char* field = kFields[rng() % 5];
        std::string value;
        if (field == kFields[0]) value = "M" + std::to_string(rng() % 200);
        if (field == kFields[1]) value = std::to_string(1000 + rng() % 100000) + ".00";
        if (field == kFields[2]) value = Date(19800 + static_cast<std::int32_t>(rng() % 400)).to_string();
        if (field == kFields[3]) value = std::to_string(rng() % 101);
        if (field == kFields[4]) value = "R" + std::to_string(rng() % 30);
        out.changes += "D" + std::to_string(i) + "," + format_iso(Instant::from_unix_seconds(t)) + "," +
                       field + "," + value + "\n";
        ++out.change_count;
      }
    }
    return out;
  }();
  return d;
}

LoadedLog loaded_with_changes() {
  const Data& d = data();
  LoadedLog log = d.base;
  const Status st = load_field_changes_csv(d.changes, "field_changes.csv", {}, log);
  if (!st.ok()) throw std::runtime_error(st.to_string());
  return log;
}

// ---- the baseline: maps per deal -------------------------------------------

using FieldHistory = std::map<std::int64_t, std::string>;
using DealHistory = std::map<std::string, FieldHistory>;

std::unordered_map<std::string, DealHistory> load_maps(const std::string& text) {
  std::unordered_map<std::string, DealHistory> out;
  std::size_t pos = text.find('\n') + 1;
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    const std::string_view line(text.data() + pos, end - pos);
    std::string_view parts[4];
    std::size_t start = 0;
    for (int k = 0; k < 4; ++k) {
      const std::size_t comma = k < 3 ? line.find(',', start) : line.size();
      parts[k] = line.substr(start, comma - start);
      start = comma + 1;
    }
    auto at = parse_instant(parts[1]);
    if (!at) throw std::runtime_error(at.status().to_string());
    out[std::string(parts[0])][std::string(parts[2])][at->unix_seconds()] = std::string(parts[3]);
    pos = end + 1;
  }
  return out;
}

void BM_FieldChanges_Load(benchmark::State& state) {
  const Data& d = data();
  std::size_t bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    LoadedLog log = d.base;
    state.ResumeTiming();
    const Status st = load_field_changes_csv(d.changes, "field_changes.csv", {}, log);
    if (!st.ok()) state.SkipWithError(st.to_string().c_str());
    bytes = log.log.memory_usage().field_change_bytes;
    benchmark::DoNotOptimize(log);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.change_count));
  state.counters["changes"] = static_cast<double>(d.change_count);
  state.counters["bytes_per_change"] = static_cast<double>(bytes) / static_cast<double>(d.change_count);
}
BENCHMARK(BM_FieldChanges_Load)->Unit(benchmark::kMillisecond);

void BM_FieldChanges_Load_MapBaseline(benchmark::State& state) {
  const Data& d = data();
  for (auto _ : state) {
    auto maps = load_maps(d.changes);
    benchmark::DoNotOptimize(maps);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.change_count));
  // A map node: three pointers + colour (32 bytes) + key + value; a short value string fits its 32-byte SSO.
  const double node = 32 + sizeof(std::int64_t) + sizeof(std::string);
  state.counters["bytes_per_change"] = node;  // a lower bound: per-deal and per-field nodes come on top
}
BENCHMARK(BM_FieldChanges_Load_MapBaseline)->Unit(benchmark::kMillisecond);

void BM_FieldChanges_AsOf(benchmark::State& state) {
  const LoadedLog loaded = loaded_with_changes();
  const EventLog& log = loaded.log;
  const Instant t = *parse_instant("2024-02-15T00:00:00Z");
  for (auto _ : state) {
    auto codes = log.dimension_codes_as_of(to_dimension_id(StandardDimension::manager), t);
    benchmark::DoNotOptimize(codes.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * log.field_change_count()));
  state.counters["deals"] = static_cast<double>(log.deal_count());
  state.counters["bytes_per_change"] = static_cast<double>(log.memory_usage().field_change_bytes) /
                                       static_cast<double>(log.field_change_count());
}
BENCHMARK(BM_FieldChanges_AsOf)->Unit(benchmark::kMillisecond);

void BM_FieldChanges_AsOf_MapBaseline(benchmark::State& state) {
  const Data& d = data();
  const auto maps = load_maps(d.changes);
  const EventLog& log = d.base.log;
  const std::int64_t t = parse_instant("2024-02-15T00:00:00Z")->unix_seconds();
  std::vector<std::string> keys(log.deal_count());
  for (std::size_t i = 0; i < keys.size(); ++i)
    keys[i] = std::string(log.deal_key(DealId{static_cast<std::uint32_t>(i)}));
  for (auto _ : state) {
    std::vector<std::string_view> owners(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      owners[i] = log.dimension_value(DealId{static_cast<std::uint32_t>(i)},
                                      to_dimension_id(StandardDimension::manager));
      const auto deal = maps.find(keys[i]);
      if (deal == maps.end()) continue;
      const auto field = deal->second.find("manager");
      if (field == deal->second.end()) continue;
      auto it = field->second.upper_bound(t);
      if (it != field->second.begin()) owners[i] = std::prev(it)->second;
    }
    benchmark::DoNotOptimize(owners.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.change_count));
}
BENCHMARK(BM_FieldChanges_AsOf_MapBaseline)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
