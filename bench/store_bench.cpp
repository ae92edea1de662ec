// Durable deal moves per second: a real dealflow::Engine move plus its change line appended through
// store::SqliteLog (WAL; synchronous FULL, NORMAL, and FULL with group commit flushed every 1000 moves),
// against a naive baseline in the same binary: the same engine move, then a plain sqlite3 autocommit
// "INSERT INTO moves VALUES(...)" built as text per move on a connection with SQLite's default settings
// (rollback journal, synchronous FULL, no WAL, no prepared statement).
//
// Workload (identical for every variant): the pipeline of data/pipelines/bitrix24_default.json (free
// policy, reopen LOSE -> NEW); 1024 deals cycle NEW -> PREPARATION -> PREPAYMENT_INVOICE -> EXECUTING ->
// FINAL_INVOICE -> LOSE -> NEW, visited round-robin, time advancing 60 s per pass. One benchmark
// iteration = one move made durable. The change line is JSON of ~110 bytes ({"v":1,"seq":..,"kind":"move",
// "deal":..,"stage":"..","at":..,"actor":1}); a move into LOSE or out of it (reopen) also writes the
// owner's open-deal count (one open_deals row), as the Department does.
//
// BM_Department_*: the same moves through a store::Store (docs/store.md "The Store"): Department::move
// (engine move, router open-deal bookkeeping with the data/routing team, the change line written by
// to_json_line) appended by the Store's sink in one SQLite transaction; the 1024 deals are created and
// the store reopened before the timing (so the reopen's replay is not counted).
//
// Files: a fresh folder under std::filesystem::temp_directory_path() ($TMPDIR, else /tmp), one database per
// variant, removed afterwards. Counters: items_per_second = durable moves per second. The ratios against the
// baseline are printed after the run.
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dealflow/pipeline/engine.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/pipeline/pipeline_spec.h"
#include "dealflow/routing/routing_json.h"
#include "dealflow/store/sqlite_log.h"
#include "dealflow/store/store.h"

namespace {

using namespace dealflow;
namespace fs = std::filesystem;

constexpr std::uint32_t kDeals = 1024;
constexpr const char* kCycle[] = {"NEW",       "PREPARATION",   "PREPAYMENT_INVOICE",
                                  "EXECUTING", "FINAL_INVOICE", "LOSE"};
constexpr std::size_t kCycleLength = 6;
constexpr std::size_t kGroup = 1000;
const Instant kStart = Instant::from_unix_seconds(1704067200);  // 2024-01-01T00:00:00Z
const ManagerId kOwner{1};

// data/ of the source tree (DEALFLOW_SOURCE_DIR, set by bench/CMakeLists.txt), or $DEALFLOW_DATA_DIR.
std::string data_dir() {
  if (const char* d = std::getenv("DEALFLOW_DATA_DIR")) return d;
  return std::string(DEALFLOW_SOURCE_DIR) + "/data";
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "store_bench: %s\n", what.c_str());
  std::exit(1);
}

std::shared_ptr<const Workspace> workspace() {
  static std::shared_ptr<const Workspace> ws = [] {
    PipelineCheck check = check_pipeline_file(data_dir() + "/pipelines/bitrix24_default.json");
    if (!check.ok()) die("cannot load the Bitrix24 pipeline");
    CompiledPipeline compiled = compile_pipeline(check.spec);
    if (!compiled.pipeline) die("cannot compile: " + compiled.report.to_status().to_string());
    std::vector<Pipeline> one;
    one.push_back(std::move(*compiled.pipeline));
    return std::make_shared<const Workspace>(std::move(*Workspace::create(std::move(one))));
  }();
  return ws;
}

fs::path bench_folder() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("dealflow_store_bench_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

fs::path fresh_file(const std::string& name) {
  const fs::path p = bench_folder() / name;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(p.string() + suffix);
  return p;
}

// The engine with kDeals open deals in NEW, and the deal cycle; moves are generated in a fixed order.
struct Mover {
  std::unique_ptr<Engine> engine;
  std::vector<StageId> cycle;
  std::size_t pass = 0;
  std::uint32_t next = 0;
  std::uint64_t sequence = 0;
  std::uint32_t open = kDeals;  // the owner's open deals
  std::string line;

  Mover() {
    EngineOptions o;
    o.expected_deals = kDeals;
    auto e = Engine::make(workspace(), std::move(o));
    if (!e) die(e.status().to_string());
    engine = std::make_unique<Engine>(std::move(*e));
    for (std::uint32_t i = 0; i < kDeals; ++i) {
      NewDeal d;
      d.created_at = kStart;
      d.amount = Money(100000 + i, Currency::of("RUB"));
      d.owner = kOwner;
      d.actor = kOwner;
      if (!engine->create(d)) die("cannot create a deal");
    }
    for (const char* id : kCycle)
      cycle.push_back(*engine->workspace().pipeline(PipelineId{0}).find_stage(id));
  }

  // Applies the next move; fills `line` and tells whether the owner's open count changed.
  bool step() {
    const std::size_t to_index = (pass + 1) % kCycleLength;
    const Instant at = kStart + Duration(60 * static_cast<std::int64_t>(pass + 1));
    const DealId deal{next};
    if (!engine->move(deal, cycle[to_index], at, kOwner).applied()) die("a move was refused");
    ++sequence;
    line.clear();
    line += "{\"v\":1,\"seq\":" + std::to_string(sequence) +
            ",\"kind\":\"move\",\"deal\":" + std::to_string(deal.value()) + ",\"stage\":\"" +
            kCycle[to_index] + "\",\"at\":" + std::to_string(at.unix_seconds()) + ",\"actor\":1}";
    const bool counted = to_index == kCycleLength - 1 || to_index == 0;
    if (to_index == kCycleLength - 1) --open;  // into LOSE: closed
    if (to_index == 0) ++open;                 // reopened
    if (++next == kDeals) {
      next = 0;
      ++pass;
    }
    return counted;
  }
};

void run_log(benchmark::State& state, store::SqliteLogOptions options, const std::string& name) {
  Mover mover;
  const fs::path path = fresh_file(name + ".dealflow");
  auto log = store::SqliteLog::open(path, options);
  if (!log) die(log.status().to_string());
  for (auto _ : state) {
    const bool counted = mover.step();
    const store::OpenDealCount row[] = {{kOwner.value(), mover.open}};
    Status s = log->append({mover.sequence, mover.line}, counted ? std::span<const store::OpenDealCount>(row)
                                                                 : std::span<const store::OpenDealCount>());
    if (!s.ok()) die(s.to_string());
    if (options.group_commit && mover.sequence % kGroup == 0) {
      if (Status f = log->flush(); !f.ok()) die(f.to_string());
    }
  }
  // The last group (< 1000 moves) is flushed outside the timed loop: one fsync, not counted.
  if (Status f = log->flush(); !f.ok()) die(f.to_string());
  state.SetItemsProcessed(state.iterations());
}

void BM_Store_Full(benchmark::State& state) {
  run_log(state, {.synchronous = store::Synchronous::full}, "full");
}
void BM_Store_Normal(benchmark::State& state) {
  run_log(state, {.synchronous = store::Synchronous::normal}, "normal");
}
void BM_Store_FullGroupCommit1000(benchmark::State& state) {
  run_log(state, {.synchronous = store::Synchronous::full, .group_commit = true}, "group");
}

// ---- The Store: a Department move (engine + router open-deal counts + change line + one SQLite
// transaction), the whole durable path a host takes. The Department has the routing team of
// data/routing/ (the owner, manager 1, is a team member, so moves into and out of LOSE move its count).
store::DepartmentConfig department_config() {
  static const store::DepartmentConfig config = [] {
    store::DepartmentConfig c;
    c.workspace = workspace();
    c.engine_options.expected_deals = kDeals;
    auto files =
        routing::load_routing_files(data_dir() + "/routing/team.json", data_dir() + "/routing/rules.json");
    if (!files) die(files.status().to_string());
    auto router = routing::Router::compile(std::move(files->team), std::move(files->rules));
    if (!router) die(router.status().to_string());
    c.router = std::make_shared<const routing::Router>(std::move(*router));
    c.initial_router_state = c.router->initial_state();
    return c;
  }();
  return config;
}

// A store holding kDeals deals in NEW (created with NORMAL, outside the timing), reopened with `options`.
store::Store department_store(const std::string& name, store::StoreOptions options) {
  const fs::path path = fresh_file(name + ".dealflow");
  {
    auto seeded = store::Store::open(path, department_config(), {.synchronous = store::Synchronous::normal});
    if (!seeded) die(seeded.status().to_string());
    for (std::uint32_t i = 0; i < kDeals; ++i) {
      NewDeal d;
      d.created_at = kStart;
      d.amount = Money(100000 + i, Currency::of("RUB"));
      d.owner = kOwner;
      d.actor = kOwner;
      auto r = seeded->department().create(d);
      if (!r || !r->applied()) die("cannot create a deal");
    }
  }
  auto store = store::Store::open(path, department_config(), options);
  if (!store) die(store.status().to_string());
  return std::move(*store);
}

void run_store(benchmark::State& state, store::StoreOptions options, const std::string& name) {
  store::Store store = department_store(name, options);
  store::Department& dept = store.department();
  std::vector<StageId> cycle;
  for (const char* id : kCycle) cycle.push_back(*dept.workspace().pipeline(PipelineId{0}).find_stage(id));
  std::size_t pass = 0;
  std::uint32_t next = 0;
  for (auto _ : state) {
    const std::size_t to_index = (pass + 1) % kCycleLength;
    const Instant at = kStart + Duration(60 * static_cast<std::int64_t>(pass + 1));
    auto r = dept.move(DealId{next}, cycle[to_index], at, kOwner);
    if (!r) die(r.status().to_string());
    if (!r->applied()) die("a move was refused: " + r->message);
    if (options.group_commit && dept.sequence() % kGroup == 0) {
      if (Status f = store.flush(); !f.ok()) die(f.to_string());
    }
    if (++next == kDeals) {
      next = 0;
      ++pass;
    }
  }
  if (Status f = store.flush(); !f.ok()) die(f.to_string());  // the last group, outside the timing
  state.SetItemsProcessed(state.iterations());
}

void BM_Department_Full(benchmark::State& state) {
  run_store(state, {.synchronous = store::Synchronous::full}, "dept_full");
}
void BM_Department_Normal(benchmark::State& state) {
  run_store(state, {.synchronous = store::Synchronous::normal}, "dept_normal");
}
void BM_Department_FullGroupCommit1000(benchmark::State& state) {
  run_store(state, {.synchronous = store::Synchronous::full, .group_commit = true}, "dept_group");
}

// Reopening = replaying: Store::open of a store holding kDeals creations and 9 * kDeals moves (each
// record parsed, the operation applied again and compared, the open_deals table checked). Counter:
// items_per_second = changes replayed per second.
void BM_Department_Reopen(benchmark::State& state) {
  const fs::path path = bench_folder() / "dept_reopen.dealflow";
  std::uint64_t changes = 0;
  {
    store::Store store = department_store("dept_reopen", {.synchronous = store::Synchronous::normal});
    store::Department& dept = store.department();
    std::vector<StageId> cycle;
    for (const char* id : kCycle) cycle.push_back(*dept.workspace().pipeline(PipelineId{0}).find_stage(id));
    for (std::size_t pass = 0; pass < 9; ++pass) {
      for (std::uint32_t deal = 0; deal < kDeals; ++deal) {
        const Instant at = kStart + Duration(60 * static_cast<std::int64_t>(pass + 1));
        auto r = dept.move(DealId{deal}, cycle[(pass + 1) % kCycleLength], at, kOwner);
        if (!r || !r->applied()) die("a move was refused");
      }
    }
    changes = dept.sequence();
  }
  for (auto _ : state) {
    auto store = store::Store::open(path, department_config());
    if (!store) die(store.status().to_string());
    if (store->department().sequence() != changes) die("the reopened store lost changes");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(changes));
  state.counters["changes"] = static_cast<double>(changes);
}

void BM_Baseline_NaiveInsert(benchmark::State& state) {
  Mover mover;
  const fs::path path = fresh_file("naive.db");
  sqlite3* db = nullptr;
  if (sqlite3_open(path.string().c_str(), &db) != SQLITE_OK) die("cannot open the baseline database");
  auto exec = [&](const std::string& sql) {
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) die(sqlite3_errmsg(db));
  };
  exec("CREATE TABLE moves(seq INTEGER, payload TEXT)");
  exec("CREATE TABLE open_deals(manager INTEGER PRIMARY KEY, count INTEGER)");
  std::string sql;
  for (auto _ : state) {
    const bool counted = mover.step();
    sql = "INSERT INTO moves VALUES(" + std::to_string(mover.sequence) + ", '" + mover.line + "')";
    exec(sql);
    if (counted) exec("INSERT OR REPLACE INTO open_deals VALUES(1, " + std::to_string(mover.open) + ")");
  }
  sqlite3_close(db);
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Baseline_NaiveInsert)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Store_Full)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Store_Normal)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Store_FullGroupCommit1000)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Department_Full)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Department_Normal)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Department_FullGroupCommit1000)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Department_Reopen)->Unit(benchmark::kMillisecond)->UseRealTime();

// Prints durable moves per second and the ratio of each store variant to the baseline.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.error_occurred || r.iterations == 0) continue;
      if (r.benchmark_name().find("Reopen") != std::string::npos) continue;  // not moves: see its counter
      rates_[r.benchmark_name()] = static_cast<double>(r.iterations) / r.real_accumulated_time;
    }
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const auto base = rates_.find("BM_Baseline_NaiveInsert/real_time");
    for (const auto& [name, rate] : rates_) {
      std::printf("%-40s %12.0f durable moves/s", name.c_str(), rate);
      if (base != rates_.end() && base->second > 0)
        std::printf("  (%.2fx the naive baseline)", rate / base->second);
      std::printf("\n");
    }
  }

 private:
  std::map<std::string, double> rates_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  fs::remove_all(bench_folder());
  return 0;
}
