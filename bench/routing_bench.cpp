// Routing benchmark: decisions per second of the compiled router (per-attribute
// bitset index + strategy) against a linear scan over the same compiled rules
// with the same strategies and eligibility checks, in the same binary.
//
// Synthetic department (seed 42): 1,000 managers in 100 teams of 10 (5% inactive,
// 10% with an absence, daily caps), 6 attributes: region (100 values: 10 macro
// regions each containing 9), product (60: 6 categories of 9), tier (3),
// channel (2), business (2), sale_type (3); amount in RUB.
//   "territory" (default): 10,000 rules as in territory management: each names
//     a region (a leaf, sometimes a macro region) and a product (leaf or
//     category) plus 1-3 of the small attributes, 15% with an amount range;
//     targets: 70% a team in round robin, 10% least loaded, 10% weighted,
//     10% one manager; random priorities; a default team.
//   "broad": 10,000 rules constraining 2-4 random attributes with wider sets
//     and not_in conditions, so a lead matches many rules and the first match
//     comes early (the case least favourable to the index).
// Leads: 4,096 random leads; each iteration routes the next one, 7 seconds
// after the previous (so daily caps roll over), with one RouterState.
//
//   DEALFLOW_BENCH_RULES=100000 DEALFLOW_BENCH_MANAGERS=5000 ./routing_bench
//
// Counters: items_per_second = routing decisions per second (one core);
// assigned = share of decisions with a manager; first_match = mean position
// (in evaluation order) of the rule that assigned.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "dealflow/routing/router.h"

namespace {

using namespace dealflow;
using namespace dealflow::routing;

std::size_t env_size(const char* name, std::size_t fallback) {
  if (const char* v = std::getenv(name)) {
    const long long n = std::atoll(v);
    if (n > 0) return static_cast<std::size_t>(n);
  }
  return fallback;
}

template <class T>
T check(Result<T> r) {
  if (!r) throw std::runtime_error(r.status().to_string());
  return std::move(*r);
}

enum class Scenario { territory, broad };

struct Fixture {
  std::unique_ptr<Router> router;
  std::vector<Lead> leads;
};

// prefix + n, built by appending (GCC 12 warns falsely on "x" + std::string).
std::string numbered(std::string_view prefix, long long n) {
  std::string out(prefix);
  out += std::to_string(n);
  return out;
}

std::vector<std::string> names(const std::string& prefix, std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(numbered(prefix, static_cast<long long>(i)));
  return out;
}

Fixture build(Scenario scenario) {
  const std::size_t n_rules = env_size("DEALFLOW_BENCH_RULES", 10'000);
  const std::size_t n_managers = env_size("DEALFLOW_BENCH_MANAGERS", 1'000);
  std::mt19937_64 rng(42);
  auto uniform = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };

  // Attributes: hierarchy roots are codes 0..k-1, leaves follow.
  AttributeSchema schema;
  const AttributeId region = check(schema.add_categorical("region", names("r", 100)));
  const AttributeId product = check(schema.add_categorical("product", names("p", 60)));
  const AttributeId tier = check(schema.add_categorical("tier", {"SMB", "Mid", "Enterprise"}));
  const AttributeId channel = check(schema.add_categorical("channel", {"inbound", "outbound"}));
  const AttributeId business = check(schema.add_categorical("business", {"new", "repeat"}));
  const AttributeId sale =
      check(schema.add_categorical("sale_type", {"transactional", "consultative", "strategic"}));
  const NumericAttributeId amount =
      check(schema.add_numeric("amount", NumericKind::money, Currency::of("RUB")));
  for (int m = 0; m < 10; ++m) {
    for (int c = 0; c < 9; ++c) {
      if (!schema
               .add_child(region, numbered("r", static_cast<long long>(m)),
                          numbered("r", static_cast<long long>(10 + m * 9 + c)))
               .ok())
        std::abort();
    }
  }
  for (int m = 0; m < 6; ++m) {
    for (int c = 0; c < 9; ++c) {
      if (!schema
               .add_child(product, numbered("p", static_cast<long long>(m)),
                          numbered("p", static_cast<long long>(6 + m * 9 + c)))
               .ok())
        std::abort();
    }
  }
  const std::size_t sizes[6] = {100, 60, 3, 2, 2, 3};
  const AttributeId attrs[6] = {region, product, tier, channel, business, sale};

  TeamBuilder tb(std::move(schema));
  const Date d0 = *Date::parse("2024-03-01");
  std::vector<ManagerId> managers;
  for (std::size_t i = 0; i < n_managers; ++i) {
    ManagerSpec spec;
    spec.key = numbered("m", static_cast<long long>(100000 + i));
    spec.name = numbered("Менеджер ", static_cast<long long>(i));
    spec.active = uniform(20) != 0;
    if (uniform(10) == 0) {
      const int from = static_cast<int>(uniform(200));
      spec.absences.push_back({d0 + from, d0 + from + static_cast<int>(uniform(14))});
    }
    spec.weight = static_cast<std::uint32_t>(uniform(4));
    spec.capacity.daily = 200;
    managers.push_back(check(tb.add_manager(std::move(spec))));
  }
  const std::size_t team_size = 10;
  std::vector<TeamId> teams;
  for (std::size_t t = 0; t * team_size < n_managers; ++t) {
    TeamSpec spec;
    spec.key = numbered("team", static_cast<long long>(t));
    for (std::size_t k = t * team_size; k < std::min(n_managers, (t + 1) * team_size); ++k)
      spec.members.push_back(managers[k]);
    teams.push_back(check(tb.add_team(std::move(spec))));
  }
  TeamModel team = check(std::move(tb).build());

  RuleSetBuilder rb(team);
  auto region_value = [&]() -> ValueCode {
    return uniform(8) == 0 ? static_cast<ValueCode>(uniform(10)) : static_cast<ValueCode>(10 + uniform(90));
  };
  auto product_value = [&]() -> ValueCode {
    return uniform(8) == 0 ? static_cast<ValueCode>(uniform(6)) : static_cast<ValueCode>(6 + uniform(54));
  };
  for (std::size_t r = 0; r < n_rules; ++r) {
    RuleSpec spec;
    spec.key = numbered("rule", static_cast<long long>(r));
    spec.priority = static_cast<int>(uniform(1000));
    if (scenario == Scenario::territory) {
      spec.conditions.push_back({region, ConditionKind::in_set, {region_value()}});
      spec.conditions.push_back({product, ConditionKind::in_set, {product_value()}});
      const std::size_t extra = 1 + uniform(3);
      std::vector<std::size_t> small = {2, 3, 4, 5};
      std::shuffle(small.begin(), small.end(), rng);
      for (std::size_t k = 0; k < extra; ++k) {
        const std::size_t a = small[k];
        spec.conditions.push_back(
            {attrs[a], ConditionKind::in_set, {static_cast<ValueCode>(uniform(sizes[a]))}});
      }
      if (uniform(100) < 15)
        spec.ranges.push_back(
            {amount, std::int64_t{100'000'00} * static_cast<std::int64_t>(uniform(20)), std::nullopt});
    } else {
      std::vector<std::size_t> order = {0, 1, 2, 3, 4, 5};
      std::shuffle(order.begin(), order.end(), rng);
      const std::size_t n = 2 + uniform(3);
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t a = order[k];
        CategoricalCondition c{
            attrs[a], uniform(4) == 0 ? ConditionKind::not_in_set : ConditionKind::in_set, {}};
        const std::size_t count = sizes[a] <= 3 ? 1 : 1 + uniform(10);
        for (std::size_t v = 0; v < count; ++v) {
          const ValueCode code = a == 0   ? region_value()
                                 : a == 1 ? product_value()
                                          : static_cast<ValueCode>(uniform(sizes[a]));
          if (std::find(c.values.begin(), c.values.end(), code) == c.values.end()) c.values.push_back(code);
        }
        spec.conditions.push_back(std::move(c));
      }
    }
    const std::size_t kind = uniform(10);
    if (kind == 9) {
      spec.target = TargetSpec::single(managers[uniform(managers.size())]);
    } else {
      PoolSpec pool;
      pool.team = teams[uniform(teams.size())];
      pool.strategy = kind < 7    ? Strategy::round_robin
                      : kind == 7 ? Strategy::least_loaded
                                  : Strategy::weighted_round_robin;
      spec.target = TargetSpec::of_pool(std::move(pool));
    }
    check(rb.add_rule(std::move(spec)));
  }
  PoolSpec def;
  def.team = teams[0];
  if (!rb.set_default(def).ok()) std::abort();
  RuleSet rules = check(std::move(rb).build());

  Fixture f;
  f.router = std::make_unique<Router>(check(Router::compile(std::move(team), std::move(rules))));
  for (int i = 0; i < 4096; ++i) {
    Lead l;
    l.set(region, static_cast<ValueCode>(10 + uniform(90)));
    l.set(product, static_cast<ValueCode>(6 + uniform(54)));
    for (std::size_t a = 2; a < 6; ++a) l.set(attrs[a], static_cast<ValueCode>(uniform(sizes[a])));
    l.set_number(amount, static_cast<std::int64_t>(uniform(3'000'000'00)));
    f.leads.push_back(l);
  }
  return f;
}

Fixture& fixture(Scenario s) {
  static Fixture territory = build(Scenario::territory);
  static Fixture broad = build(Scenario::broad);
  return s == Scenario::territory ? territory : broad;
}

template <bool kIndexed>
void run(benchmark::State& bench, Scenario scenario) {
  Fixture& f = fixture(scenario);
  const Router& router = *f.router;
  RouterState state = router.initial_state();
  Decision d;
  Lead lead;
  std::int64_t t = Instant::at_midnight(*Date::parse("2024-03-01")).unix_seconds();
  std::size_t i = 0, assigned = 0;
  double first_match = 0;
  for (auto _ : bench) {
    lead = f.leads[i++ & 4095];
    lead.at = Instant::from_unix_seconds(t += 7);
    if constexpr (kIndexed) {
      router.route(lead, state, d);
    } else {
      router.route_by_linear_scan(lead, state, d);
    }
    benchmark::DoNotOptimize(d.manager);
    if (d.assigned()) {
      ++assigned;
      if (d.rule.valid()) first_match += d.rule.value();
    }
  }
  bench.SetItemsProcessed(static_cast<std::int64_t>(bench.iterations()));
  bench.counters["assigned"] = static_cast<double>(assigned) / static_cast<double>(bench.iterations());
  bench.counters["first_match"] = assigned ? first_match / static_cast<double>(assigned) : 0.0;
  bench.counters["rules"] = static_cast<double>(router.rules().rules().size());
  bench.counters["index_MiB"] = static_cast<double>(router.index_bytes()) / (1024.0 * 1024.0);
}

void BM_Router_Route(benchmark::State& s) {
  run<true>(s, Scenario::territory);
}
void BM_Baseline_LinearScan(benchmark::State& s) {
  run<false>(s, Scenario::territory);
}
void BM_Router_RouteBroad(benchmark::State& s) {
  run<true>(s, Scenario::broad);
}
void BM_Baseline_LinearScanBroad(benchmark::State& s) {
  run<false>(s, Scenario::broad);
}

void BM_Router_Compile(benchmark::State& s) {
  // Index construction alone (rules and team copied in each iteration).
  Fixture& f = fixture(Scenario::territory);
  for (auto _ : s) {
    auto r = Router::compile(f.router->team(), f.router->rules());
    benchmark::DoNotOptimize(r.ok());
  }
  s.SetItemsProcessed(static_cast<std::int64_t>(s.iterations() * f.router->rules().rules().size()));
}

BENCHMARK(BM_Router_Route);
BENCHMARK(BM_Baseline_LinearScan);
BENCHMARK(BM_Router_RouteBroad);
BENCHMARK(BM_Baseline_LinearScanBroad);
BENCHMARK(BM_Router_Compile)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
