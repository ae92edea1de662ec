// Periods are half-open, [from, to), in every report: a deal created (or
// closed) exactly at `from` is in, exactly at `to` is out. The scorecard reads
// a period as of its end: an event exactly at `to` is not seen (events are
// whole seconds, so the cut-off is to - 1 s).
#include <gtest/gtest.h>

#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/scorecard.h"
#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;
using testing::stage;

constexpr const char* kFrom = "2024-02-01T00:00:00Z";
constexpr const char* kTo = "2024-03-01T00:00:00Z";

// Period [2024-02-01, 2024-03-01). Every deal is the manager M's.
//   F  created at from       NEW at from, WON 02-10       in the cohort; closed in the period
//   L  created at to - 1 s   NEW then                     in the cohort, open
//   T  created at to         NEW at to                    after the period
//   B  created at from - 1 s NEW then, LOST exactly at from: closed in the period
//   C  created 01-15         NEW then, WON exactly at to: closed after the period
EventLog boundary_log() {
  EventLog log;
  const PipelineId p = log.intern_pipeline(fixture_pipeline().id());
  auto deal = [&](const char* id, const char* created,
                  std::initializer_list<std::pair<const char*, const char*>> events) {
    const DealId d = *log.add_deal(id, p, at(created), Money(100, Currency::of("RUB")));
    log.set_dimension(d, StandardDimension::manager, "M");
    for (const auto& [when, s] : events) EXPECT_TRUE(log.append_event(d, at(when), stage(s)).ok());
  };
  deal("F", kFrom, {{kFrom, "NEW"}, {"2024-02-10T00:00:00Z", "WON"}});
  deal("L", "2024-02-29T23:59:59Z", {{"2024-02-29T23:59:59Z", "NEW"}});
  deal("T", kTo, {{kTo, "NEW"}});
  deal("B", "2024-01-31T23:59:59Z", {{"2024-01-31T23:59:59Z", "NEW"}, {kFrom, "LOST"}});
  deal("C", "2024-01-15T00:00:00Z", {{"2024-01-15T00:00:00Z", "NEW"}, {kTo, "WON"}});
  log.seal();
  return log;
}

// The report of the boundary log for the period [kFrom, kTo).
template <class Query, class Report>
Report period_report(Result<Report> (*compute)(const EventLog&, const Pipeline&, const Query&),
                     Query q = {}) {
  const EventLog log = boundary_log();
  q.from = at(kFrom);
  q.to = at(kTo);
  auto r = compute(log, fixture_pipeline(), q);
  if (!r.ok()) throw std::runtime_error(r.status().to_string());
  return *r;
}

TEST(PeriodBoundaries, FunnelCreatedBasis) {
  const FunnelFigures f = period_report(&compute_funnel).total;
  EXPECT_EQ(f.deals, 2u);  // F, L
  EXPECT_EQ(f.won, 1u);    // F
  EXPECT_EQ(f.open, 1u);   // L
  EXPECT_EQ(f.lost, 0u);
}

TEST(PeriodBoundaries, FunnelClosedBasis) {
  FunnelQuery closed;
  closed.basis = FunnelBasis::closed;
  const FunnelFigures f = period_report(&compute_funnel, closed).total;
  EXPECT_EQ(f.deals, 2u);  // B (lost exactly at from), F; not C (won exactly at to)
  EXPECT_EQ(f.won, 1u);
  EXPECT_EQ(f.lost, 1u);
  EXPECT_EQ(f.open, 0u);
}

TEST(PeriodBoundaries, DurationsCohort) {
  const DurationReport r = period_report(&compute_durations);
  EXPECT_EQ(r.definition.as_of, at(kTo));  // the latest event or creation (T, C)
  EXPECT_EQ(r.total.deals, 2u);            // F, L
  EXPECT_EQ(r.total.won, 1u);
  EXPECT_EQ(r.total.open, 1u);
  const DurationStats& cycle = r.total.cycle.to_close;
  EXPECT_EQ(cycle.subjects, 2u);
  EXPECT_EQ(cycle.events, 1u);    // F: 9 days
  EXPECT_EQ(cycle.censored, 1u);  // L: censored after 1 s
}

TEST(PeriodBoundaries, ScorecardReadsEachPeriodBeforeItsEnd) {
  const ScorecardReport r = period_report(&compute_scorecard);
  const ScorecardFigures& now = r.team.current;
  EXPECT_EQ(now.taken, 2u);  // F (created at from), L (at to - 1 s); not T (at to)
  EXPECT_EQ(now.won, 1u);    // F; C's WON exactly at to is not seen
  EXPECT_EQ(now.lost, 1u);   // B, lost exactly at from
  EXPECT_EQ(now.open, 2u);   // L, and C (still NEW as of to - 1 s); T does not exist yet
  EXPECT_EQ(now.median_cycle_seconds, 9 * 86400);
  // The previous period [2024-01-01, 2024-02-01), read as of 01-31T23:59:59:
  // B (created at its last second) and C taken and open; B's loss at 02-01 unseen.
  const ScorecardFigures& before = r.team.previous;
  EXPECT_EQ(before.taken, 2u);
  EXPECT_EQ(before.won, 0u);
  EXPECT_EQ(before.lost, 0u);
  EXPECT_EQ(before.open, 2u);
  ASSERT_EQ(r.managers.size(), 1u);
  EXPECT_EQ(r.managers[0].current.taken, 2u);
}

}  // namespace
}  // namespace dealflow::analytics
