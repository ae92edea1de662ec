// Deal engine throughput on the Bitrix24 default pipeline, against a
// hand-written switch-based state machine of the same pipeline (the baseline),
// in one binary so the ratio comes from one run.
//
// Workload (identical for every variant): the pipeline of
// data/pipelines/bitrix24_default.json (free policy, reopen LOSE -> NEW) with
// three guards added: PREPARATION requires the field "product", PREPAYMENT_INVOICE
// requires amount > 0, FINAL_INVOICE requires the actor to hold role "manager"
// or "head". 16384 deals cycle NEW -> PREPARATION -> PREPAYMENT_INVOICE ->
// EXECUTING -> FINAL_INVOICE -> LOSE -> NEW (reopen): six moves per cycle,
// three of them guarded, every one appended to the history. Deals are visited
// round-robin, one move per deal per pass, time advancing 60 s per pass.
// One benchmark iteration = 262144 moves; every variant runs a fixed number of
// iterations (DEALFLOW_BENCH_SCALE multiplies it) with the history reserved.
//
// Counters: items_per_second = applied moves per second (wall time for the
// threaded variants); event_size = sizeof(HistoryEvent); the history's memory,
// as its logs count it (allocated segments, the reserved tail included, plus
// 8 B of directory per segment; not the allocator's own bookkeeping):
//   bytes_per_event         stage-event log bytes / stage events (creations + moves)
//   field_events            FieldEvents written: the initial values at creation
//                           (amount, owner, product, region: 4 per deal); moves write none
//   field_bytes_per_event   field-event log bytes / field events
//   money_bytes             the money table (16 B per amount, 64 KiB segments)
//   history_bytes_per_event all of the history's bytes / stage events
// After the run, the ratio engine / baseline (time per move) and the history
// figures are printed.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dealflow/pipeline/engine.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/pipeline/pipeline_spec.h"

namespace {

using namespace dealflow;

constexpr std::uint32_t kDeals = 16384;
constexpr std::size_t kMovesPerIteration = 262144;
constexpr const char* kCycle[] = {"NEW", "PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING", "FINAL_INVOICE", "LOSE"};
constexpr std::size_t kCycleLength = 6;
const Instant kStart = Instant::from_unix_seconds(1704067200);  // 2024-01-01T00:00:00Z
const ManagerId kActor{1};

int scale() {
  const char* s = std::getenv("DEALFLOW_BENCH_SCALE");
  const int v = s ? std::atoi(s) : 1;
  return v > 0 ? v : 1;
}
int iterations() { return 24 * scale(); }

// data/ of the source tree (this file is bench/pipeline_bench.cpp), or $DEALFLOW_DATA_DIR.
std::string data_dir() {
  if (const char* d = std::getenv("DEALFLOW_DATA_DIR")) return d;
  const std::string here = __FILE__;
  const std::size_t cut = here.rfind("/bench/");
  return (cut == std::string::npos ? std::string(".") : here.substr(0, cut)) + "/data";
}

std::shared_ptr<const Workspace> bitrix24_with_guards() {
  static std::shared_ptr<const Workspace> ws = [] {
    PipelineCheck check = check_pipeline_file(data_dir() + "/pipelines/bitrix24_default.json");
    if (!check.ok()) {
      std::fprintf(stderr, "cannot load the Bitrix24 pipeline: %s\n",
                   check.syntax ? check.syntax->to_string().c_str() : check.report.to_status().to_string().c_str());
      std::exit(1);
    }
    PipelineSpec spec = check.spec;
    for (StageSpec& s : spec.stages) {
      if (s.id == "PREPARATION") s.required_fields = {"product"};
      if (s.id == "PREPAYMENT_INVOICE") s.guards.push_back(GuardSpec{GuardKind::amount_positive, {}, {}, {}, {}});
      if (s.id == "FINAL_INVOICE") s.guards.push_back(GuardSpec{GuardKind::actor_role, {}, {"manager", "head"}, {}, {}});
    }
    CompiledPipeline compiled = compile_pipeline(spec);
    if (!compiled.pipeline) {
      std::fprintf(stderr, "cannot compile: %s\n", compiled.report.to_status().to_string().c_str());
      std::exit(1);
    }
    std::vector<Pipeline> one;
    one.push_back(std::move(*compiled.pipeline));
    return std::make_shared<const Workspace>(std::move(*Workspace::create(std::move(one))));
  }();
  return ws;
}

template <class E>
std::unique_ptr<E> engine_with_deals(std::size_t expected_events) {
  EngineOptions o;
  o.actor_roles = {{kActor, {"manager"}}};
  o.expected_deals = kDeals;
  o.expected_events = expected_events + kDeals;
  auto e = E::make(bitrix24_with_guards(), std::move(o));
  if (!e) {
    std::fprintf(stderr, "%s\n", e.status().to_string().c_str());
    std::exit(1);
  }
  auto engine = std::make_unique<E>(std::move(*e));
  for (std::uint32_t i = 0; i < kDeals; ++i) {
    NewDeal d;
    d.created_at = kStart;
    d.amount = Money(100000 + i, Currency::of("RUB"));
    d.owner = kActor;
    d.actor = kActor;
    d.attributes = {{"product", i % 2 ? "Лицензии" : "Внедрение"}, {"region", "Москва"}};
    if (!engine->create(d)) std::exit(1);
  }
  return engine;
}

std::vector<StageId> cycle_stages(const Workspace& ws) {
  std::vector<StageId> out;
  for (const char* id : kCycle) out.push_back(*ws.pipeline(PipelineId{0}).find_stage(id));
  return out;
}

// Runs `moves` moves over deals [first, first + count), continuing from `pass`.
template <class E>
std::size_t run_moves(E& engine, const std::vector<StageId>& cycle, std::uint32_t first, std::uint32_t count,
                      std::size_t moves, std::size_t& pass, std::uint32_t& next) {
  std::size_t applied = 0;
  for (std::size_t i = 0; i < moves; ++i) {
    const StageId to = cycle[(pass + 1) % kCycleLength];
    const Instant at = kStart + Duration(60 * static_cast<std::int64_t>(pass + 1));
    applied += engine.move(DealId{first + next}, to, at, kActor).applied();
    if (++next == count) {
      next = 0;
      ++pass;
    }
  }
  return applied;
}

template <class E>
void report_history(benchmark::State& state, const E& engine) {
  const History& h = engine.history();
  const auto stage_events = static_cast<double>(h.size());
  const auto field_events = static_cast<double>(h.field_event_count());
  state.counters["bytes_per_event"] = static_cast<double>(h.event_memory_bytes()) / stage_events;
  state.counters["field_events"] = field_events;
  state.counters["field_bytes_per_event"] = static_cast<double>(h.field_memory_bytes()) / field_events;
  state.counters["money_bytes"] = static_cast<double>(h.money_memory_bytes());
  state.counters["history_bytes_per_event"] = static_cast<double>(h.memory_bytes()) / stage_events;
  state.counters["event_size"] = sizeof(HistoryEvent);
}

template <class E>
void engine_single_thread(benchmark::State& state) {
  const std::size_t total = kMovesPerIteration * static_cast<std::size_t>(iterations());
  auto engine = engine_with_deals<E>(total);
  const auto cycle = cycle_stages(engine->workspace());
  std::size_t pass = 0, applied = 0;
  std::uint32_t next = 0;
  for (auto _ : state) applied += run_moves(*engine, cycle, 0, kDeals, kMovesPerIteration, pass, next);
  if (applied != kMovesPerIteration * state.iterations()) state.SkipWithError("a move was refused");
  state.SetItemsProcessed(static_cast<std::int64_t>(applied));
  report_history(state, *engine);
}

void BM_Engine_MoveSingleWriter(benchmark::State& state) { engine_single_thread<Engine>(state); }
void BM_Engine_MoveThreadSafe(benchmark::State& state) {
  if (state.threads() == 1) return engine_single_thread<ConcurrentEngine>(state);
  // Several threads share one engine; thread k owns an equal slice of the deals.
  static std::unique_ptr<ConcurrentEngine> shared;
  static std::vector<StageId> cycle;
  if (state.thread_index() == 0) {
    shared = engine_with_deals<ConcurrentEngine>(kMovesPerIteration * static_cast<std::size_t>(iterations()) *
                                                 static_cast<std::size_t>(state.threads()));
    cycle = cycle_stages(shared->workspace());
  }
  const std::uint32_t slice = kDeals / static_cast<std::uint32_t>(state.threads());
  const std::uint32_t first = slice * static_cast<std::uint32_t>(state.thread_index());
  std::size_t pass = 0, applied = 0;
  std::uint32_t next = 0;
  for (auto _ : state) applied += run_moves(*shared, cycle, first, slice, kMovesPerIteration, pass, next);
  if (applied != kMovesPerIteration * state.iterations()) state.SkipWithError("a move was refused");
  state.SetItemsProcessed(static_cast<std::int64_t>(applied));
  if (state.thread_index() == 0) {  // the loop ends with a barrier: the other threads are done moving
    report_history(state, *shared);
    shared.reset();
  }
}

// ---------------------------------------------------------------------------
// The baseline: the same pipeline and checks written by hand as a switch.
namespace baseline {

enum class Stage : std::uint8_t { NEW, PREPARATION, PREPAYMENT_INVOICE, EXECUTING, FINAL_INVOICE, WON, LOSE, APOLOGY };
constexpr std::uint8_t kStageCount = 8;
constexpr std::uint32_t kNoValue = 0xFFFFFFFF;
constexpr std::uint64_t kManagerOrHead = 0b11;

struct Deal {
  Stage stage;
  std::uint32_t entered_at;
  std::uint32_t last_at;
  std::int64_t amount;
  std::uint32_t product;
};

enum class Outcome : std::uint8_t { applied, unknown_deal, unknown_stage, time, actor, same, not_allowed, guard };

class SwitchMachine {
 public:
  explicit SwitchMachine(std::size_t expected_events) { history_.reserve(expected_events); }

  void add_deal(std::int64_t amount, std::uint32_t product, std::uint32_t at) {
    deals_.push_back({Stage::NEW, at, at, amount, product});
    history_.push_back({static_cast<std::uint32_t>(deals_.size() - 1), at, 0xFFFF, 0, 1, EventCause::created, 0});
  }
  void grant(std::uint16_t actor, std::uint64_t roles) {
    if (roles_.size() <= actor) roles_.resize(actor + 1u, 0);
    roles_[actor] = roles;
  }

  Outcome move(std::uint32_t id, Stage to, std::uint32_t at, std::uint32_t actor) {
    if (id >= deals_.size()) return Outcome::unknown_deal;
    Deal& d = deals_[id];
    if (static_cast<std::uint8_t>(to) >= kStageCount) return Outcome::unknown_stage;
    if (at < d.last_at) return Outcome::time;
    if (actor >= 0xFFFF) return Outcome::actor;
    if (d.stage == to) return Outcome::same;
    bool reopen = false;
    switch (d.stage) {
      case Stage::NEW:
      case Stage::PREPARATION:
      case Stage::PREPAYMENT_INVOICE:
      case Stage::EXECUTING:
      case Stage::FINAL_INVOICE:
        break;  // free policy: an open stage may move anywhere
      case Stage::LOSE:
        if (to != Stage::NEW) return Outcome::not_allowed;
        reopen = true;
        break;
      case Stage::WON:
      case Stage::APOLOGY:
        return Outcome::not_allowed;
    }
    switch (to) {
      case Stage::PREPARATION:
        if (d.product == kNoValue) return Outcome::guard;
        break;
      case Stage::PREPAYMENT_INVOICE:
        if (d.amount <= 0) return Outcome::guard;
        break;
      case Stage::FINAL_INVOICE:
        if (actor >= roles_.size() || !(roles_[actor] & kManagerOrHead)) return Outcome::guard;
        break;
      default:
        break;
    }
    history_.push_back({id, at, static_cast<std::uint16_t>(d.stage), static_cast<std::uint16_t>(to),
                        static_cast<std::uint16_t>(actor), reopen ? EventCause::reopened : EventCause::moved, 0});
    d.stage = to;
    d.entered_at = at;
    d.last_at = at;
    return Outcome::applied;
  }
  std::size_t history_size() const { return history_.size(); }
  std::size_t history_bytes() const { return history_.capacity() * sizeof(HistoryEvent); }

 private:
  std::vector<Deal> deals_;
  std::vector<HistoryEvent> history_;
  std::vector<std::uint64_t> roles_;
};

}  // namespace baseline

void BM_Baseline_SwitchStateMachine(benchmark::State& state) {
  const std::size_t total = kMovesPerIteration * static_cast<std::size_t>(iterations());
  baseline::SwitchMachine m(total + kDeals);
  m.grant(static_cast<std::uint16_t>(kActor.value()), 0b01);
  const std::uint32_t start = static_cast<std::uint32_t>(kStart.unix_seconds() - History::kDefaultEpoch.unix_seconds());
  for (std::uint32_t i = 0; i < kDeals; ++i) m.add_deal(100000 + i, i % 2, start);
  constexpr baseline::Stage cycle[] = {baseline::Stage::NEW, baseline::Stage::PREPARATION,
                                       baseline::Stage::PREPAYMENT_INVOICE, baseline::Stage::EXECUTING,
                                       baseline::Stage::FINAL_INVOICE, baseline::Stage::LOSE};
  std::size_t pass = 0, applied = 0;
  std::uint32_t next = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < kMovesPerIteration; ++i) {
      const baseline::Stage to = cycle[(pass + 1) % kCycleLength];
      const std::uint32_t at = start + 60 * static_cast<std::uint32_t>(pass + 1);
      applied += m.move(next, to, at, kActor.value()) == baseline::Outcome::applied;
      if (++next == kDeals) {
        next = 0;
        ++pass;
      }
    }
  }
  if (applied != kMovesPerIteration * state.iterations()) state.SkipWithError("a move was refused");
  state.SetItemsProcessed(static_cast<std::int64_t>(applied));
  state.counters["bytes_per_event"] = static_cast<double>(m.history_bytes()) / static_cast<double>(m.history_size());
  state.counters["event_size"] = sizeof(HistoryEvent);
}

BENCHMARK(BM_Baseline_SwitchStateMachine)->Iterations(iterations())->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Engine_MoveSingleWriter)->Iterations(iterations())->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Engine_MoveThreadSafe)->Iterations(iterations())->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Engine_MoveThreadSafe)->Iterations(iterations())->Threads(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// Prints the ratios once every benchmark ran.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      auto it = r.counters.find("items_per_second");
      if (it != r.counters.end()) rate_[r.benchmark_name()] = it->second.value;
      auto counter = [&](const char* name) {
        auto c = r.counters.find(name);
        return c == r.counters.end() ? 0.0 : c->second.value;
      };
      if (counter("history_bytes_per_event") > 0)
        memory_[r.benchmark_name()] = {counter("bytes_per_event"), counter("field_events"),
                                       counter("field_bytes_per_event"), counter("money_bytes"),
                                       counter("history_bytes_per_event")};
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    const double base = find("BM_Baseline_SwitchStateMachine");
    if (base <= 0) return;
    std::printf("\nmoves/s and time per move relative to the hand-written switch (baseline = 1.00x):\n");
    for (const auto& [name, rate] : rate_)
      std::printf("  %-62s %12.0f moves/s  %6.2f ns/move  %5.2fx\n", name.c_str(), rate, 1e9 / rate, base / rate);
    std::printf("\nhistory memory (heap bytes the logs allocated, reserved tail included):\n");
    for (const auto& [name, m] : memory_)
      std::printf(
          "  %-62s stage events %.4f B/event; %.0f field events %.4f B/event; money table %.0f B; "
          "all logs %.4f B per stage event\n",
          name.c_str(), m.stage_bytes, m.field_events, m.field_bytes, m.money_bytes, m.all_bytes);
  }

 private:
  double find(const std::string& prefix) const {
    for (const auto& [name, rate] : rate_)
      if (name.rfind(prefix, 0) == 0) return rate;
    return 0;
  }
  struct Memory {
    double stage_bytes, field_events, field_bytes, money_bytes, all_bytes;
  };
  std::map<std::string, double> rate_;
  std::map<std::string, Memory> memory_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
