// The default report instant: every report (funnel, durations) uses the
// latest event or creation instant of the log, states it, and counts the
// deals created after the last event.
#include <gtest/gtest.h>

#include "dealflow/analytics/durations.h"
#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;
using testing::stage;

// A: created 01-01, NEW 01-02, WON 01-05. B: created 01-10, no history.
EventLog created_after_last_event() {
  EventLog log;
  const PipelineId p = log.intern_pipeline(fixture_pipeline().id());
  const DealId a = *log.add_deal("A", p, at("2024-01-01"));
  (void)log.add_deal("B", p, at("2024-01-10"));
  EXPECT_TRUE(log.append_event(a, at("2024-01-02"), stage("NEW")).ok());
  EXPECT_TRUE(log.append_event(a, at("2024-01-05"), stage("WON")).ok());
  log.seal();
  return log;
}

TEST(ReportInstant, LatestInstantIsTheLastEventOrCreation) {
  EventLog empty;
  EXPECT_EQ(empty.latest_instant(), empty.time_base());
  const EventLog log = created_after_last_event();
  EXPECT_EQ(log.last_event_at(), at("2024-01-05"));
  EXPECT_EQ(log.latest_instant(), at("2024-01-10"));
  EventLog later;
  const PipelineId p = later.intern_pipeline("sales");
  const DealId a = *later.add_deal("A", p, at("2024-01-01"));
  ASSERT_TRUE(later.append_event(a, at("2024-02-01T12:00:00Z"), stage("NEW")).ok());
  later.seal();
  EXPECT_EQ(later.latest_instant(), at("2024-02-01T12:00:00Z"));
}

TEST(ReportInstant, FunnelAndDurationsShareTheDefault) {
  const EventLog log = created_after_last_event();
  auto funnel = compute_funnel(log, fixture_pipeline(), {});
  ASSERT_TRUE(funnel.ok()) << funnel.status().to_string();
  auto durations = compute_durations(log, fixture_pipeline(), {});
  ASSERT_TRUE(durations.ok()) << durations.status().to_string();
  EXPECT_EQ(funnel->definition.as_of, at("2024-01-10"));
  EXPECT_EQ(durations->definition.as_of, at("2024-01-10"));
  // B (created after the last event) is in both: open, without history.
  EXPECT_EQ(funnel->total.deals, 2u);
  EXPECT_EQ(funnel->total.won, 1u);
  EXPECT_EQ(funnel->total.open, 1u);
  EXPECT_EQ(funnel->total.without_history, 1u);
  EXPECT_EQ(durations->total.deals, 2u);
  EXPECT_EQ(durations->total.without_history, 1u);
  EXPECT_NE(funnel->definition.summary().find("as of 2024-01-10T00:00:00Z"), std::string::npos)
      << funnel->definition.summary();

  // An explicit instant before B's creation leaves B out of both.
  FunnelQuery fq;
  fq.as_of = at("2024-01-09");
  DurationQuery dq;
  dq.as_of = at("2024-01-09");
  EXPECT_EQ(compute_funnel(log, fixture_pipeline(), fq)->total.deals, 1u);
  EXPECT_EQ(compute_durations(log, fixture_pipeline(), dq)->total.deals, 1u);
}

}  // namespace
}  // namespace dealflow::analytics
