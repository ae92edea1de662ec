// FunnelPartial::merge refuses partials of another query even when the counter
// shapes agree (issue 12, section 4): a partial carries its query (counting
// rule, basis, period, report instant, grouping, pipeline) and merge/finish
// compare it, naming the first difference.
#include <gtest/gtest.h>

#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;
using testing::random_log;

// Merging b's partial into a's must fail with invalid_argument naming `what`,
// leave a's partial unchanged, and a's plan must refuse to finish b's partial.
void expect_refused(const EventLog& log, const FunnelQuery& a, const FunnelQuery& b,
                    const std::string& what) {
  auto pa = FunnelPlan::create(log, fixture_pipeline(), a);
  auto pb = FunnelPlan::create(log, fixture_pipeline(), b);
  ASSERT_TRUE(pa.ok() && pb.ok());
  FunnelPartial p = pa->run(0, 10);
  const FunnelPartial before = p;
  const Status s = p.merge(pb->run(10, 30));
  EXPECT_EQ(s.code(), ErrorCode::invalid_argument) << what;
  EXPECT_NE(s.message().find(what), std::string::npos) << s.message();
  EXPECT_EQ(p, before);
  const auto finished = pa->finish(pb->run(0, 30));
  EXPECT_EQ(finished.status().code(), ErrorCode::invalid_argument) << what;
  EXPECT_NE(finished.status().message().find(what), std::string::npos) << finished.status().message();
}

TEST(FunnelMergeQuery, SameQueryMerges) {
  const EventLog log = random_log(11, 30);
  FunnelQuery q;
  q.from = at("2024-01-01");
  auto plan = FunnelPlan::create(log, fixture_pipeline(), q);
  auto again = FunnelPlan::create(log, fixture_pipeline(), q);
  FunnelPartial p = plan->run(0, 10);
  ASSERT_TRUE(p.merge(again->run(10, 30)).ok());
  EXPECT_EQ(p, plan->run(0, 30));
  EXPECT_TRUE(plan->finish(p).ok());
}

TEST(FunnelMergeQuery, RefusesAnotherCountingRuleOfTheSameShape) {
  const EventLog log = random_log(12, 30);
  FunnelQuery a, b;
  b.rule = CountingRule::strict_order;  // high-water and strict share a counter layout
  expect_refused(log, a, b, "counting rule high-water vs strict");
}

TEST(FunnelMergeQuery, RefusesAnotherPeriod) {
  const EventLog log = random_log(13, 30);
  FunnelQuery a, b;
  a.from = at("2024-01-01");
  b.from = at("2024-02-01");
  expect_refused(log, a, b, "from 2024-01-01T00:00:00Z vs 2024-02-01T00:00:00Z");
  FunnelQuery c;
  c.to = at("2024-03-01");
  expect_refused(log, FunnelQuery{}, c, "to (unbounded) vs 2024-03-01T00:00:00Z");
}

TEST(FunnelMergeQuery, RefusesAnotherBasis) {
  const EventLog log = random_log(14, 30);
  FunnelQuery a, b;
  b.basis = FunnelBasis::closed;
  expect_refused(log, a, b, "basis created vs closed");
}

TEST(FunnelMergeQuery, RefusesAnotherReportInstant) {
  const EventLog log = random_log(15, 30);
  FunnelQuery a, b;
  a.as_of = at("2030-01-01");
  b.as_of = at("2030-06-01");
  expect_refused(log, a, b, "report instant 2030-01-01T00:00:00Z vs 2030-06-01T00:00:00Z");
}

TEST(FunnelMergeQuery, RefusesAnotherGroupingOffset) {
  const EventLog log = random_log(16, 30);
  FunnelQuery a, b;
  a.group.kind = b.group.kind = FunnelGrouping::Kind::created_month;
  b.utc_offset_minutes = 180;
  expect_refused(log, a, b, "grouping");
}

TEST(FunnelMergeQuery, ThreadCountIsNotPartOfTheQuery) {
  const EventLog log = random_log(17, 30);
  FunnelQuery a, b;
  b.threads = 4;
  auto pa = FunnelPlan::create(log, fixture_pipeline(), a);
  auto pb = FunnelPlan::create(log, fixture_pipeline(), b);
  FunnelPartial p = pa->run(0, 10);
  EXPECT_TRUE(p.merge(pb->run(10, 30)).ok());
}

}  // namespace
}  // namespace dealflow::analytics
