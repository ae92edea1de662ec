// The funnel from a reopened Store equals the funnel from the Department that made it (issue 12: "the
// same funnel from the store as from memory"): the engine-derived event log (analytics/engine_log.h) of
// both, every counting rule, ungrouped and by manager, for both pipelines of b2b_sales + onboarding
// (won / lost, reopens, timed moves, a hand-off). Here and not in tests/store because it needs analytics.
#include <gtest/gtest.h>

#include "dealflow/analytics/engine_log.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/analytics/funnel_output.h"
#include "dealflow/store/store.h"
#include "store/random_ops.h"
#include "store/store_test_util.h"

namespace dealflow::store {
namespace {

using namespace dealflow::store::testing;

// Every funnel of the engine's history, as JSON text.
std::vector<std::string> funnels(const Engine& engine) {
  auto log = analytics::event_log_from_engine(engine);
  EXPECT_TRUE(log.ok()) << log.status().to_string();
  if (!log) return {};
  EXPECT_GT(log->deal_count(), 20u);
  std::vector<std::string> out;
  for (const Pipeline& p : engine.workspace().pipelines()) {
    for (auto rule : {analytics::CountingRule::high_water, analytics::CountingRule::touched,
                      analytics::CountingRule::strict_order, analytics::CountingRule::snapshot}) {
      for (bool by_manager : {false, true}) {
        analytics::FunnelQuery q;
        q.rule = rule;
        q.threads = 1;
        if (by_manager) {
          auto g = analytics::resolve_grouping(*log, "manager");
          EXPECT_TRUE(g.ok()) << g.status().to_string();
          if (g) q.group = *g;
        }
        auto report = analytics::compute_funnel(*log, p, q);
        EXPECT_TRUE(report.ok()) << report.status().to_string();
        if (report) out.push_back(analytics::funnel_to_json(*report, p).dump());
      }
    }
  }
  return out;
}

TEST(StoreFunnel, TheReopenedStoreGivesTheFunnelsOfMemory) {
  const DepartmentConfig config = b2b_config();
  const auto path = store_file("funnel");
  Department memory = make_department(config);
  RandomOps a(77, at("2024-03-04T06:00:00Z"));
  RandomOps b(77, at("2024-03-04T06:00:00Z"));
  {
    Store store = open_store(path, config, {.synchronous = Synchronous::normal});
    for (int i = 0; i < 300; ++i) {
      ASSERT_TRUE(a.step(memory).ok());
      ASSERT_TRUE(b.step(store.department()).ok());
    }
  }
  Store store = open_store(path, config);
  const std::vector<std::string> expected = funnels(memory.engine());
  ASSERT_EQ(expected.size(), 16u);  // 2 pipelines x 4 rules x (ungrouped, by manager)
  EXPECT_EQ(funnels(store.department().engine()), expected);
  const Counts counts = count_events(memory);
  EXPECT_GT(counts.handoffs, 0u);
  EXPECT_GT(counts.won + counts.lost, 0u);
}

}  // namespace
}  // namespace dealflow::store
