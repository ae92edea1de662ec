// Funnel partials computed on several threads at once over one plan (run() is
// const and documented as safe to call concurrently), merged in range order,
// equal the one-thread funnel: the partial, the finished report, and run_all.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "analytics/funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;
using testing::random_log;

void partials_from_threads(const FunnelQuery& query, unsigned threads) {
  const EventLog log = random_log(4242 + threads, 3000);
  auto plan = FunnelPlan::create(log, fixture_pipeline(), query);
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  const std::size_t n = log.deal_count();
  std::vector<FunnelPartial> parts(threads);
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] { parts[t] = plan->run(n * t / threads, n * (t + 1) / threads); });
  for (std::thread& th : pool) th.join();
  FunnelPartial merged = parts[0];
  for (unsigned t = 1; t < threads; ++t) ASSERT_TRUE(merged.merge(parts[t]).ok());

  const FunnelPartial serial = plan->run(0, n);
  EXPECT_EQ(merged, serial);
  EXPECT_EQ(plan->run_all(threads), serial);
  auto a = plan->finish(merged);
  auto b = plan->finish(serial);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(testing::reached(a->total), testing::reached(b->total));
  EXPECT_EQ(testing::amounts(a->total), testing::amounts(b->total));
  EXPECT_GT(testing::reached(b->total).front(), 0u);  // the funnel is not empty
}

TEST(FunnelPartialsConcurrency, TwoThreadsHighWaterEqualsOneThread) {
  partials_from_threads(FunnelQuery{}, 2);
}

TEST(FunnelPartialsConcurrency, FourThreadsStrictByManagerEqualsOneThread) {
  const EventLog probe = random_log(1, 1);
  FunnelQuery q;
  q.rule = CountingRule::strict_order;
  q.from = at("2024-01-15T00:00:00Z");
  auto g = resolve_grouping(probe, "manager");
  ASSERT_TRUE(g.ok()) << g.status().to_string();
  q.group = *g;
  partials_from_threads(q, 4);
}

}  // namespace
}  // namespace dealflow::analytics
