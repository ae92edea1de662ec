// Grouped funnels made one group at a time (FunnelResult) and written
// streaming: the same figures and bytes as the materialized report, and a
// group's figures equal the funnel of that group's deals alone, on seeded
// random logs with many clients (dense and sparse loss-reason counters).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <sstream>

#include "dealflow/analytics/funnel_output.h"
#include "dealflow/io/json.h"
#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;
using testing::stage;

// `deals` deals of the fixture pipeline; client "Клиент k" for k < clients
// (about one deal in ten without a client), a manager, a loss reason, an
// amount in RUB or USD (some none), 0..6 events: random stages, reopen after
// a loss. Seeded.
EventLog client_log(std::uint64_t seed, std::size_t deals, std::size_t clients) {
  std::mt19937_64 rng(seed);
  const Pipeline& p = fixture_pipeline();
  EventLog log;
  const PipelineId pid = log.intern_pipeline(p.id());
  const char* managers[] = {"Иванов", "Petrova", ""};
  const char* reasons[] = {"Дорого", "Спам", "Timing, \"later\"", ""};
  const std::int64_t t0 = at("2024-01-01T00:00:00Z").unix_seconds();
  for (std::size_t d = 0; d < deals; ++d) {
    const std::int64_t created = t0 + static_cast<std::int64_t>(rng() % (120 * 86400));
    std::optional<Money> amount;
    if (rng() % 6 != 0) {
      amount = Money(static_cast<std::int64_t>(rng() % 1000000), Currency::of(rng() % 4 ? "RUB" : "USD"));
    }
    auto id = log.add_deal("G" + std::to_string(d), pid, Instant::from_unix_seconds(created), amount);
    EXPECT_TRUE(id.ok());
    const std::size_t client = rng() % (clients + clients / 9 + 1);
    log.set_dimension(*id, StandardDimension::client,
                      client < clients ? "Клиент " + std::to_string(client) : "");
    log.set_dimension(*id, StandardDimension::manager, managers[rng() % 3]);
    log.set_dimension(*id, StandardDimension::lost_reason, reasons[rng() % 4]);
    const int n = static_cast<int>(rng() % 7);
    std::int64_t t = created;
    StageId current;
    for (int k = 0; k < n; ++k) {
      StageId next;
      if (current.valid() && p.is_terminal(current)) {
        if (p.stage(current).id != "LOST" || rng() % 2) break;
        next = stage("NEW");
      } else {
        next = StageId{static_cast<std::uint16_t>(rng() % p.stage_count())};
      }
      t += static_cast<std::int64_t>(rng() % (5 * 86400));
      EXPECT_TRUE(log.append_event(*id, Instant::from_unix_seconds(t), next, "bot").ok());
      current = next;
    }
  }
  log.seal();
  return log;
}

FunnelQuery query_by(const EventLog& log, const char* by, CountingRule rule, FunnelBasis basis) {
  FunnelQuery q;
  q.rule = rule;
  q.basis = basis;
  q.group = *resolve_grouping(log, by);
  q.threads = 1;
  return q;
}

std::string table_of(const FunnelResult& r) {
  std::ostringstream out;
  write_funnel_table(out, r, fixture_pipeline());
  return out.str();
}
std::string csv_of(const FunnelResult& r, const FunnelCsvPrefix& prefix = {}) {
  std::ostringstream out;
  write_funnel_csv(out, r, prefix);
  return out.str();
}
std::string json_of(const FunnelResult& r) {
  std::ostringstream out;
  const FunnelResult* sections[] = {&r};
  write_funnel_json(out, funnel_to_json(r, fixture_pipeline()), sections);
  return out.str();
}

TEST(FunnelGrouping, StreamedOutputEqualsTheMaterializedReport) {
  const CountingRule rules[] = {CountingRule::high_water, CountingRule::touched, CountingRule::strict_order,
                                CountingRule::snapshot};
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const EventLog log = client_log(seed, 400, 60);
    for (const char* by : {"client", "manager", "created_month"}) {
      for (CountingRule rule : rules) {
        for (FunnelBasis basis : {FunnelBasis::created, FunnelBasis::closed}) {
          const FunnelQuery q = query_by(log, by, rule, basis);
          auto report = compute_funnel(log, fixture_pipeline(), q);
          auto result = compute_funnel_result(log, fixture_pipeline(), q);
          ASSERT_TRUE(report.ok() && result.ok());
          ASSERT_FALSE(report->groups.empty());
          EXPECT_TRUE(result->report().groups.empty());
          const std::string where =
              "seed " + std::to_string(seed) + " by " + by + " rule " + std::string(to_string(rule));
          EXPECT_EQ(table_of(*result), funnel_to_table(*report, fixture_pipeline())) << where;
          EXPECT_EQ(csv_of(*result), funnel_to_csv(*report)) << where;
          EXPECT_EQ(json_of(*result), dump_json(funnel_to_json(*report, fixture_pipeline())) + "\n") << where;
        }
      }
    }
  }
}

TEST(FunnelGrouping, UngroupedStreamedOutputEqualsTheReport) {
  const EventLog log = client_log(11, 300, 20);
  FunnelQuery q;
  q.threads = 1;
  auto report = compute_funnel(log, fixture_pipeline(), q);
  auto result = compute_funnel_result(log, fixture_pipeline(), q);
  ASSERT_TRUE(report.ok() && result.ok());
  EXPECT_EQ(result->group_count(), 0u);
  EXPECT_EQ(table_of(*result), funnel_to_table(*report, fixture_pipeline()));
  EXPECT_EQ(csv_of(*result), funnel_to_csv(*report));
  EXPECT_EQ(json_of(*result), dump_json(funnel_to_json(*report, fixture_pipeline())) + "\n");
  EXPECT_EQ(json_of(*result).find("groups"), std::string::npos);
}

TEST(FunnelGrouping, SparseLossReasonsStreamTheSameBytes) {
  // 5000 clients x 5 open positions x 5 reasons > FunnelPlan::kDenseReasonCounters.
  const EventLog log = client_log(3, 9000, 5000);
  const FunnelQuery q = query_by(log, "client", CountingRule::high_water, FunnelBasis::created);
  auto plan = FunnelPlan::create(log, fixture_pipeline(), q);
  ASSERT_TRUE(plan.ok());
  ASSERT_TRUE(plan->sparse_reasons());
  auto report = compute_funnel(log, fixture_pipeline(), q);
  auto result = compute_funnel_result(log, fixture_pipeline(), q);
  ASSERT_TRUE(report.ok() && result.ok());
  EXPECT_GT(result->group_count(), 4000u);
  EXPECT_EQ(table_of(*result), funnel_to_table(*report, fixture_pipeline()));
  EXPECT_EQ(csv_of(*result), funnel_to_csv(*report));
  EXPECT_EQ(json_of(*result), dump_json(funnel_to_json(*report, fixture_pipeline())) + "\n");
}

TEST(FunnelGrouping, CsvPrefixesEveryRowAndTheHeader) {
  const EventLog log = client_log(5, 50, 4);
  auto result = compute_funnel_result(
      log, fixture_pipeline(), query_by(log, "manager", CountingRule::high_water, FunnelBasis::created));
  ASSERT_TRUE(result.ok());
  const std::string plain = csv_of(*result);
  const std::string with = csv_of(*result, {"pipeline,", "funnel,", true});
  const std::string without = csv_of(*result, {"pipeline,", "funnel,", false});
  std::string expected;
  std::istringstream lines(plain);
  std::string line;
  bool header = true;
  while (std::getline(lines, line)) {
    expected += (header ? "pipeline," : "funnel,") + line + "\n";
    header = false;
  }
  EXPECT_EQ(with, expected);
  EXPECT_EQ(without, expected.substr(expected.find('\n') + 1));
}

// A log of the deals of `log` whose client (code) is `client` (kNoValue: no
// client), events and amounts copied.
EventLog deals_of_client(const EventLog& log, std::uint32_t client) {
  EventLog sub;
  const PipelineId pid = sub.intern_pipeline(fixture_pipeline().id());
  const auto& clients = log.dimension(StandardDimension::client);
  const auto& reasons = log.dimension(StandardDimension::lost_reason);
  for (std::size_t i = 0; i < log.deal_count(); ++i) {
    if (clients.codes[i] != client) continue;
    const DealId d{static_cast<std::uint32_t>(i)};
    auto id = sub.add_deal(log.deal_key(d), pid, log.created_at(d), log.amount(d));
    EXPECT_TRUE(id.ok());
    if (reasons.codes[i] != kNoValue)
      sub.set_dimension(*id, StandardDimension::lost_reason, reasons.values.at(reasons.codes[i]));
    for (std::size_t e = log.event_begin(d); e < log.event_end(d); ++e) {
      EXPECT_TRUE(sub.append_event(*id, log.event_at(e), log.stage_column()[e]).ok());
    }
  }
  sub.seal();
  return sub;
}

// The figures as JSON without the definition (what is compared).
Json figures_of(const FunnelFigures& f) {
  FunnelReport r;
  r.total = f;
  Json j = funnel_to_json(r, fixture_pipeline());
  j.erase("definition");
  return j;
}

TEST(FunnelGrouping, EachGroupEqualsTheFunnelOfItsDealsAlone) {
  for (std::uint64_t seed = 20; seed < 26; ++seed) {
    const EventLog log = client_log(seed, 500, 25);
    for (CountingRule rule : {CountingRule::high_water, CountingRule::touched, CountingRule::strict_order,
                              CountingRule::snapshot}) {
      for (FunnelBasis basis : {FunnelBasis::created, FunnelBasis::closed}) {
        FunnelQuery q = query_by(log, "client", rule, basis);
        q.from = at("2024-01-15T00:00:00Z");
        q.to = at("2024-04-01T00:00:00Z");
        q.as_of = at("2024-04-20T00:00:00Z");  // cuts some histories
        auto result = compute_funnel_result(log, fixture_pipeline(), q);
        ASSERT_TRUE(result.ok());
        const auto& values = log.dimension(StandardDimension::client).values;
        FunnelGroup g;
        std::uint64_t deals = 0;
        for (std::size_t i = 0; i < result->group_count(); ++i) {
          result->group(i, g);
          const std::uint32_t code = g.key ? *values.find(*g.key) : kNoValue;
          const EventLog sub = deals_of_client(log, code);
          FunnelQuery alone = q;
          alone.group = {};
          auto expected = compute_funnel(sub, fixture_pipeline(), alone);
          ASSERT_TRUE(expected.ok());
          ASSERT_EQ(figures_of(g.figures), figures_of(expected->total))
              << "seed " << seed << " rule " << to_string(rule) << " group " << (g.key ? *g.key : "(none)");
          deals += g.figures.deals;
        }
        EXPECT_EQ(deals, result->report().total.deals);
      }
    }
  }
}

TEST(FunnelGrouping, GroupsComeInKeyByteOrderWithTheEmptyKeyLast) {
  const EventLog log = client_log(9, 800, 120);
  auto result = compute_funnel_result(
      log, fixture_pipeline(), query_by(log, "client", CountingRule::high_water, FunnelBasis::created));
  ASSERT_TRUE(result.ok());
  FunnelGroup g;
  std::optional<std::string> previous;
  for (std::size_t i = 0; i < result->group_count(); ++i) {
    result->group(i, g);
    if (i + 1 == result->group_count()) {
      EXPECT_FALSE(g.key.has_value());  // one deal in ten has no client
    } else {
      ASSERT_TRUE(g.key.has_value());
      if (previous) {
        EXPECT_LT(*previous, *g.key);
      }
      previous = g.key;
    }
    EXPECT_GT(g.figures.deals, 0u);
  }
}

}  // namespace
}  // namespace dealflow::analytics
