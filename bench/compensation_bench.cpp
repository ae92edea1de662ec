// Compensation benchmark: the four quarterly statements of 2024 for every
// manager of a large department (compensation/statement.h compute_statements)
// against the naive per-deal recomputation in the same binary: for each won
// deal, its owner at closing is found by scanning that deal's field history,
// and the owner's period is re-priced from scratch with every credit up to and
// including the deal (rates.h compute_period), the deal's payout being the
// difference with the re-pricing before it — what a spreadsheet or SQL user
// does. Every naive run must give the engine's total per manager and quarter
// (the benchmark aborts otherwise).
//
// Data: the synthetic sample of the other benches (analytics/sample.h,
// seed 42, 2024), its twelve owners spread over `managers` managers "m-0000"..
// (deal d's owner k becomes manager (d mod ⌈M/12⌉)·12 + k, mod M, in the
// deals table and in the owner history alike, so reassignments stay within
// a deal's group), a team file of teams of 100 and a plan generated into a
// temporary folder: marginal tiers on attainment 2% / 4% / 5% at 0 / 100 /
// 150% of an inline quota per manager (60%..140% of the mean quarterly won
// amount), a decelerator ×0.5 below 50% lifted at 100%, a per-deal cap of
// 150 000.00 RUB and 200 deals split 60/40.
//
//   ./compensation_bench --benchmark_filter='/100000/'        the 100 k-deal sizes only
//   ./compensation_bench --benchmark_filter='Statements'      the engine only
//   (BM_CreditsOnly: the part of BM_Statements spent in compute_credits)
//
// Counters: items_per_second = credit lines per second (the engine's credit
// lines of the four statements, the same count for both, so the ratio of the
// rates is the ratio of the times); lines = that count; managers_paid = the
// (manager, quarter) statements with a credit.
#include <benchmark/benchmark.h>

#include <unistd.h>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/sample.h"
#include "dealflow/compensation/rates.h"
#include "dealflow/compensation/statement.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace {

using namespace dealflow;
using namespace dealflow::analytics;
using namespace dealflow::compensation;
using Key = std::pair<std::string, std::string>;  // (manager, period)
__extension__ typedef __int128 Int128;

constexpr int kSplits = 200;

std::string data_dir() {
  if (const char* d = std::getenv("DEALFLOW_DATA_DIR")) return d;
  return std::string(DEALFLOW_SOURCE_DIR) + "/data";
}

std::string manager_id(std::uint64_t m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "m-%04llu", static_cast<unsigned long long>(m));
  return buf;
}

std::string decimal(std::int64_t minor) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(minor / 100),
                static_cast<long long>(minor % 100));
  return buf;
}

// Deal `deal`'s owner `name` (one of the sample's twelve) as one of `managers`.
class OwnerMap {
 public:
  explicit OwnerMap(std::uint64_t managers) : managers_(managers), groups_((managers + 11) / 12) {
    const auto names = sample_managers();
    for (std::size_t k = 0; k < names.size(); ++k) index_[std::string(names[k])] = k;
  }
  std::string operator()(std::uint64_t deal, std::string_view name) const {
    auto it = index_.find(std::string(name));
    if (it == index_.end()) throw std::runtime_error("unknown sample manager '" + std::string(name) + "'");
    return manager_id(((deal % groups_) * 12 + it->second) % managers_);
  }

 private:
  std::uint64_t managers_, groups_;
  std::map<std::string, std::size_t> index_;
};

// Rewrites column `column` (0-based; no quotes before it in these files) of every data row.
std::string remap_column(const std::string& csv, int column, const OwnerMap& owner) {
  std::string out;
  out.reserve(csv.size() + csv.size() / 8);
  std::size_t pos = csv.find('\n') + 1;
  out.append(csv, 0, pos);
  while (pos < csv.size()) {
    std::size_t eol = csv.find('\n', pos);
    if (eol == std::string::npos) eol = csv.size();
    std::size_t b = pos;
    for (int c = 0; c < column; ++c) b = csv.find(',', b) + 1;
    std::size_t e = std::min(csv.find(',', b), eol);
    const std::uint64_t deal = std::strtoull(csv.c_str() + pos, nullptr, 10);
    const std::string_view cell(csv.data() + b, e - b);
    out.append(csv, pos, b - pos);
    // field_changes.csv: only the manager field is an owner.
    const bool is_owner = column != 3 || std::string_view(csv.data() + pos, b - pos).ends_with(",manager,");
    out += is_owner ? owner(deal, cell) : std::string(cell);
    out.append(csv, e, eol - e);
    out += '\n';
    pos = eol + 1;
  }
  return out;
}

struct Data {
  explicit Data(LoadedPipeline p) : pipeline(std::move(p)) {}
  LoadedPipeline pipeline;
  LoadedLog loaded;
  CompensationPlan plan;
  std::vector<planning::Period> periods;
  std::map<std::string, std::int64_t> quota;  // per manager, minor units
  std::int64_t credit_lines = 0;
  std::int64_t statements = 0;
  std::map<Key, std::int64_t> by_engine;  // paid per (manager, quarter)
};

// Aborts unless the naive totals are the engine's, per manager and quarter.
void check_equal(const Data& d, const std::map<Key, std::int64_t>& by_naive) {
  if (d.by_engine == by_naive) return;
  std::size_t shown = 0;
  for (const auto& [k, v] : d.by_engine) {
    auto it = by_naive.find(k);
    const std::int64_t n = it == by_naive.end() ? -1 : it->second;
    if (n != v && shown++ < 10)
      std::fprintf(stderr, "%s %s: engine %lld, naive %lld\n", k.first.c_str(), k.second.c_str(),
                   static_cast<long long>(v), static_cast<long long>(n));
  }
  std::fprintf(stderr, "compensation_bench: engine and naive totals differ (%zu vs %zu statements)\n",
               d.by_engine.size(), by_naive.size());
  std::abort();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  if (!f) throw std::runtime_error("cannot write " + path.string());
}

// The team file and the plan for `managers` managers, in a fresh temporary folder.
std::string write_plan(std::uint64_t managers, const EventLog& log, const Pipeline& pipeline,
                       std::map<std::string, std::int64_t>& quota) {
  // Mean quarterly won amount per manager (deals whose last stage is won).
  std::int64_t won = 0;
  for (std::uint32_t d = 0; d < log.deal_count(); ++d) {
    const DealId id{d};
    if (log.event_end(id) == log.event_begin(id)) continue;
    const StageId s = log.event_stage(log.event_end(id) - 1);
    if (pipeline.stage(s).kind == StageKind::won)
      if (auto a = log.amount(id)) won += a->minor_units();
  }
  const std::int64_t mean = won / static_cast<std::int64_t>(managers) / 4;
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("dealflow-compensation-bench-" + std::to_string(::getpid()) + "-" + std::to_string(managers));
  std::filesystem::create_directories(dir);
  std::string team = "{\"name\": \"bench\", \"attributes\": [], \"managers\": [\n";
  for (std::uint64_t m = 0; m < managers; ++m)
    team += "  {\"id\": \"" + manager_id(m) + "\", \"name\": \"Менеджер " + std::to_string(m) + "\"}" +
            (m + 1 < managers ? ",\n" : "\n");
  team += "], \"teams\": [{\"id\": \"sales\", \"name\": \"Отдел продаж\"}";
  for (std::uint64_t t = 0; t * 100 < managers; ++t) {
    team += ",\n  {\"id\": \"t-" + std::to_string(t) + "\", \"name\": \"Группа " + std::to_string(t) +
            "\", \"parent\": \"sales\", \"members\": [";
    for (std::uint64_t m = t * 100; m < std::min(managers, (t + 1) * 100); ++m)
      team += (m > t * 100 ? ", \"" : "\"") + manager_id(m) + "\"";
    team += "]}";
  }
  team += "]}\n";
  write_file(dir / "team.json", team);

  std::string plan = R"({"format": "dealflow.compensation/1", "name": "bench", "currency": "RUB",
  "utc_offset": "+03:00", "period": "quarter", "rounding": "half-up", "team_file": "team.json",
  "plans": [{"id": "rep", "components": [{"id": "sales", "measure": "won_amount",
    "rate": {"type": "marginal", "on": "attainment",
             "tiers": [{"from": "0%", "rate": "2%"}, {"from": "100%", "rate": "4%"}, {"from": "150%", "rate": "5%"}],
             "modifiers": [{"from": "0%", "to": "50%", "factor": "0.5", "lifted_at": "100%"}]},
    "caps": {"per_deal": "150000.00"}}]}],
  "participants": [
)";
  for (std::uint64_t m = 0; m < managers; ++m) {
    const std::int64_t q =
        std::max<std::int64_t>(100, mean * static_cast<std::int64_t>(60 + (m * 37) % 81) / 100);
    quota[manager_id(m)] = q;
    plan += "    {\"manager\": \"" + manager_id(m) +
            R"(", "assignments": [{"plan": "rep", "from": "2024-01-01", "quota": ")" + decimal(q) + "\"}]}" +
            (m + 1 < managers ? ",\n" : "\n");
  }
  plan += "  ],\n  \"splits\": [\n";
  const std::uint64_t step = std::max<std::uint64_t>(1, log.deal_count() / kSplits);
  for (int s = 0; s < kSplits; ++s) {
    const std::uint64_t deal = 1 + static_cast<std::uint64_t>(s) * step;
    plan += "    {\"deal\": \"" + std::to_string(deal) + "\", \"shares\": [{\"manager\": \"" +
            manager_id(deal % managers) + "\", \"share\": \"60%\"}, {\"manager\": \"" +
            manager_id((deal + 1) % managers) + "\", \"share\": \"40%\"}]}" +
            (s + 1 < kSplits ? ",\n" : "\n");
  }
  plan += "  ]\n}\n";
  write_file(dir / "plan.json", plan);
  return (dir / "plan.json").string();
}

Result<Statements> engine(const Data& d) {
  const Pipeline* pipelines[] = {&d.pipeline.pipeline};
  return compute_statements(d.loaded.log, pipelines, d.plan, d.periods);
}

// ---- the naive recomputation -------------------------------------------------

struct NaiveCredit {
  Instant at;
  std::string deal;
  Money measure;
};

// Total paid per (manager, period) by per-deal re-pricing.
std::map<Key, std::int64_t> naive(const Data& d) {
  const EventLog& log = d.loaded.log;
  const Pipeline& pipeline = d.pipeline.pipeline;
  const int off = d.plan.utc_offset_minutes;
  const Currency rub = d.plan.currency;
  const DealField owner_field = DealField::dimension(StandardDimension::manager);
  const DimensionColumn& owners = log.dimension(StandardDimension::manager);
  std::map<Key, std::vector<NaiveCredit>> lists;
  std::map<std::string, const Split*, std::less<>> splits;  // the split sheet, looked up by deal
  for (const Split& sp : d.plan.splits) splits.emplace(sp.deal, &sp);
  for (std::uint32_t i = 0; i < log.deal_count(); ++i) {
    const DealId id{i};
    // Closing: the entry into the won stage of a deal that ends won (won is final in the sample).
    std::optional<Instant> closing;
    for (std::size_t e = log.event_begin(id); e < log.event_end(id); ++e) {
      const bool won = pipeline.stage(log.event_stage(e)).kind == StageKind::won;
      if (!won)
        closing.reset();
      else if (!closing)
        closing = log.event_at(e);
    }
    if (!closing) continue;
    const planning::Period period = planning::period_containing(d.plan.period, closing->date(off));
    if (std::none_of(d.periods.begin(), d.periods.end(),
                     [&](const auto& p) { return p.label == period.label; }))
      continue;
    // Owner and amount at closing: scan the deal's field history.
    std::string owner(owners.codes[i] == kNoValue ? std::string_view() : owners.values.at(owners.codes[i]));
    std::optional<Money> amount = log.amount(id);
    for (std::size_t c = log.field_change_begin(id); c < log.field_change_end(id); ++c) {
      if (log.field_change_at(c) > *closing) break;
      if (log.field_change_field(c) == owner_field) {
        const std::uint32_t v = log.field_change_value(c);
        owner = v == kNoValue ? std::string() : std::string(owners.values.at(v));
      } else if (log.field_change_field(c) == DealField::amount()) {
        amount = log.field_change_amount(c);
      }
    }
    const std::string key(log.deal_key(id));
    std::vector<std::pair<std::string, std::int64_t>> shares = {{owner, 10000}};
    if (auto sp = splits.find(key); sp != splits.end()) {
      shares.clear();
      for (const SplitShare& sh : sp->second->shares) shares.push_back({sh.manager, sh.share_bp});
    }
    const std::int64_t whole = amount ? amount->minor_units() : 0;
    for (const auto& [m, bp] : shares) {
      if (!d.quota.contains(m)) continue;
      // half-up, the plan's rule (amounts are non-negative)
      const Int128 n = static_cast<Int128>(whole) * bp;
      const std::int64_t measure = static_cast<std::int64_t>((n + 5000) / 10000);
      lists[{m, period.label}].push_back({*closing, key, Money(measure, rub)});
    }
  }
  std::map<Key, std::int64_t> paid;
  RateSpec spec = d.plan.plans[0].components[0].rate;
  for (auto& [k, credits] : lists) {
    std::sort(credits.begin(), credits.end(), [](const NaiveCredit& a, const NaiveCredit& b) {
      return std::tie(a.at, a.deal) < std::tie(b.at, b.deal);
    });
    spec.quota = Money(d.quota.at(k.first), rub);
    std::vector<Credit> prefix;
    std::int64_t before = 0, total = 0;
    for (const NaiveCredit& c : credits) {
      prefix.push_back({c.deal, c.measure});
      auto st = compute_period(spec, prefix);  // the owner's period from scratch, up to this deal
      if (!st) throw std::runtime_error(st.status().to_string());
      total += st->total.minor_units() - before;  // this deal's payout
      before = st->total.minor_units();
    }
    paid[k] = total;
  }
  return paid;
}

// ---- set-up --------------------------------------------------------------------

// One sample at a time (the sizes run in order; a 1 M-deal log is large).
Data& data(std::uint64_t deals, std::uint64_t managers) {
  static std::tuple<std::uint64_t, std::uint64_t> key;
  static std::unique_ptr<Data> slot;
  if (slot && key == std::tuple(deals, managers)) return *slot;
  slot.reset();
  key = {deals, managers};
  auto p = load_pipeline_file(data_dir() + "/pipelines/bitrix24_default.json");
  if (!p) throw std::runtime_error(p.status().to_string());
  auto out = std::make_unique<Data>(std::move(*p));
  {
    SampleOptions so;
    so.deals = deals;
    auto csv = generate_sample_csv(so);
    if (!csv) throw std::runtime_error(csv.status().to_string());
    const OwnerMap owner(managers);
    csv->deals = remap_column(csv->deals, 5, owner);
    csv->field_changes = remap_column(csv->field_changes, 3, owner);
    CsvLoadOptions options;
    options.default_pipeline = &out->pipeline.pipeline;
    auto loaded = load_deals_csv(csv->deals, "deals.csv", {&out->pipeline.pipeline}, options);
    if (!loaded) throw std::runtime_error(loaded.status().to_string());
    Status st = load_history_csv(csv->history, "history.csv", {&out->pipeline.pipeline}, options, *loaded);
    if (st.ok()) st = load_field_changes_csv(csv->field_changes, "field_changes.csv", options, *loaded);
    if (!st.ok()) throw std::runtime_error(st.to_string());
    loaded->log.seal();
    out->loaded = std::move(*loaded);
  }
  const std::string plan_file = write_plan(managers, out->loaded.log, out->pipeline.pipeline, out->quota);
  auto plan = load_compensation_plan_file(plan_file);
  if (!plan) throw std::runtime_error(plan.status().to_string());
  out->plan = std::move(*plan);
  std::filesystem::remove_all(std::filesystem::path(plan_file).parent_path());
  for (const char* q : {"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"})
    out->periods.push_back(*planning::parse_period(q));

  // The engine once: its totals per manager and quarter (BM_NaivePerDeal checks against them).
  auto st_engine = engine(*out);
  if (!st_engine) throw std::runtime_error(st_engine.status().to_string());
  std::map<Key, std::int64_t> by_engine;
  for (const ParticipantStatement& s : st_engine->statements) {
    by_engine[{s.manager, s.period}] = s.paid.minor_units();
    for (const StatementLine& l : s.lines) out->credit_lines += l.kind == "credit";
  }
  out->statements = static_cast<std::int64_t>(by_engine.size());
  out->by_engine = std::move(by_engine);
  std::fprintf(
      stderr,
      "compensation_bench: %zu deals, %zu events, %zu field changes, %llu managers: %lld statements, "
      "%lld credit lines\n",
      out->loaded.log.deal_count(), out->loaded.log.event_count(), out->loaded.log.field_change_count(),
      static_cast<unsigned long long>(managers), static_cast<long long>(out->statements),
      static_cast<long long>(out->credit_lines));
  slot = std::move(out);
  return *slot;
}

void counters(benchmark::State& state, const Data& d) {
  state.SetItemsProcessed(state.iterations() * d.credit_lines);
  state.counters["lines"] = static_cast<double>(d.credit_lines);
  state.counters["managers_paid"] = static_cast<double>(d.statements);
}

void BM_Statements(benchmark::State& state) {
  const Data& d =
      data(static_cast<std::uint64_t>(state.range(0)), static_cast<std::uint64_t>(state.range(1)));
  for (auto _ : state) {
    auto st = engine(d);
    if (!st) {
      state.SkipWithError(st.status().to_string().c_str());
      break;
    }
    benchmark::DoNotOptimize(st->statements.size());
  }
  counters(state, d);
}

// Of the engine's time: the credit lists alone (compute_credits for each quarter: the won deals
// as of the quarter's end, owners, splits, measures, reversals).
void BM_CreditsOnly(benchmark::State& state) {
  const Data& d =
      data(static_cast<std::uint64_t>(state.range(0)), static_cast<std::uint64_t>(state.range(1)));
  const Pipeline* pipelines[] = {&d.pipeline.pipeline};
  for (auto _ : state) {
    std::size_t lists = 0;
    for (const planning::Period& p : d.periods) {
      auto c = compute_credits(d.loaded.log, pipelines, d.plan, p);
      if (!c) {
        state.SkipWithError(c.status().to_string().c_str());
        return;
      }
      lists += c->lists.size();
    }
    benchmark::DoNotOptimize(lists);
  }
  counters(state, d);
}

void BM_NaivePerDeal(benchmark::State& state) {
  const Data& d =
      data(static_cast<std::uint64_t>(state.range(0)), static_cast<std::uint64_t>(state.range(1)));
  for (auto _ : state) {
    auto paid = naive(d);
    benchmark::DoNotOptimize(paid.size());
    state.PauseTiming();
    check_equal(d, paid);
    state.ResumeTiming();
  }
  counters(state, d);
}

// The growth series; each size's engine run right before its naive one (one sample in memory).
void sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"deals", "managers"});
  b->Unit(benchmark::kMillisecond)->Iterations(1);
}
BENCHMARK(BM_Statements)->Args({100000, 100})->Apply(sizes);
BENCHMARK(BM_CreditsOnly)->Args({100000, 100})->Apply(sizes);
BENCHMARK(BM_NaivePerDeal)->Args({100000, 100})->Apply(sizes);
BENCHMARK(BM_Statements)->Args({100000, 1000})->Apply(sizes);
BENCHMARK(BM_CreditsOnly)->Args({100000, 1000})->Apply(sizes);
BENCHMARK(BM_NaivePerDeal)->Args({100000, 1000})->Apply(sizes);
BENCHMARK(BM_Statements)->Args({1000000, 100})->Apply(sizes);
BENCHMARK(BM_CreditsOnly)->Args({1000000, 100})->Apply(sizes);
BENCHMARK(BM_NaivePerDeal)->Args({1000000, 100})->Apply(sizes);
BENCHMARK(BM_Statements)->Args({1000000, 1000})->Apply(sizes);
BENCHMARK(BM_CreditsOnly)->Args({1000000, 1000})->Apply(sizes);
BENCHMARK(BM_NaivePerDeal)->Args({1000000, 1000})->Apply(sizes);

}  // namespace

BENCHMARK_MAIN();
