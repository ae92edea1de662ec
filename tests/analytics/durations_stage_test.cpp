// Time in stage (first visit, latest visit, cumulative) and cycle length on a
// hand-computed history, with open deals and running visits censored.
#include <gtest/gtest.h>

#include "analytics/durations_fixture.h"
#include "dealflow/analytics/durations.h"

namespace dealflow::analytics {
namespace {

using namespace testing;

// Four deals, report as of day 20:
//   d1: A@0, B@1, A@3 (back), B@4, C@10, WON@12
//   d2: created 2: A@2, B@5                      open in B
//   d3: created 1: A@1, LOST@2, A@6 (reopen), B@7, LOST@9
//   d4: A@0, A@1 (same stage again), B@2, A@5    open in A
// Visits (days):   first          latest          cumulative
//   A  d1           1              1               2
//      d2           3              3               3
//      d3           1              1               2
//      d4           2              15 (running)    17 (running)
//   B  d1           2              6               8
//      d2           15 (running)   15 (running)    15 (running)
//      d3           2              2               2
//      d4           3              3               3
//   C  d1           2              2               2
// Cycles: d1 won 12, d3 lost 8 (final LOST at 9 - created 1), d2 open 18, d4 open 20.
class DurationsHandComputed : public ::testing::Test {
 protected:
  void SetUp() override {
    const DealId d1 = b_.deal("d1", 0, "Иванова Анна");
    const DealId d2 = b_.deal("d2", 2, "Петров Сергей");
    const DealId d3 = b_.deal("d3", 1, "Иванова Анна");
    const DealId d4 = b_.deal("d4", 0);
    b_.event(d1, 0, "A")
        .event(d1, 1, "B")
        .event(d1, 3, "A")
        .event(d1, 4, "B")
        .event(d1, 10, "C")
        .event(d1, 12, "WON");
    b_.event(d2, 2, "A").event(d2, 5, "B");
    b_.event(d3, 1, "A").event(d3, 2, "LOST").event(d3, 6, "A").event(d3, 7, "B").event(d3, 9, "LOST");
    b_.event(d4, 0, "A").event(d4, 1, "A").event(d4, 2, "B").event(d4, 5, "A");
    query_.as_of = day(20);
  }
  Result<DurationReport> run() { return compute_durations(b_.log(), small_pipeline(), query_); }
  LogBuilder b_;
  DurationQuery query_;
};

std::optional<std::int64_t> days(std::int64_t n) {
  return n * kDay;
}

TEST_F(DurationsHandComputed, CountsAndVisits) {
  auto r = run();
  ASSERT_TRUE(r) << r.status().to_string();
  const DurationFigures& f = r->total;
  EXPECT_EQ(f.deals, 4u);
  EXPECT_EQ(f.won, 1u);
  EXPECT_EQ(f.lost, 1u);
  EXPECT_EQ(f.open, 2u);
  ASSERT_EQ(f.stages.size(), 3u);
  EXPECT_EQ(f.stages[0].id, "A");
  EXPECT_EQ(f.stages[0].name, "Новая");
  EXPECT_EQ(f.stages[0].visits, 7u);
  EXPECT_EQ(f.stages[1].visits, 5u);
  EXPECT_EQ(f.stages[2].visits, 1u);
  EXPECT_EQ(f.stages[0].in_stage_now, 1u);
  EXPECT_EQ(f.stages[1].in_stage_now, 1u);
  EXPECT_EQ(f.stages[2].in_stage_now, 0u);
}

TEST_F(DurationsHandComputed, FirstVisit) {
  auto r = run();
  ASSERT_TRUE(r);
  // A: 1, 3, 1, 2 all ended -> S(1) = 1/2, S(2) = 1/4, S(3) = 0.
  const DurationStats& a = r->total.stages[0].first_visit;
  EXPECT_EQ(a.subjects, 4u);
  EXPECT_EQ(a.events, 4u);
  EXPECT_EQ(a.censored, 0u);
  EXPECT_EQ(a.p25, days(1));
  EXPECT_EQ(a.median, days(1));
  EXPECT_EQ(a.p75, days(2));
  EXPECT_EQ(a.p90, days(3));
  // B: 2, 15+, 2, 3 -> S(2) = 1/2, S(3) = 1/4, then only a censored one.
  const DurationStats& b = r->total.stages[1].first_visit;
  EXPECT_EQ(b.censored, 1u);
  EXPECT_EQ(b.median, days(2));
  EXPECT_EQ(b.p75, days(3));
  EXPECT_EQ(b.p90, std::nullopt);  // not reached
  EXPECT_EQ(r->total.stages[2].first_visit.median, days(2));
}

TEST_F(DurationsHandComputed, LatestVisit) {
  auto r = run();
  ASSERT_TRUE(r);
  // A: 1, 3, 1, 15+ -> S(1) = 1/2, S(3) = 1/4.
  const DurationStats& a = r->total.stages[0].latest_visit;
  EXPECT_EQ(a.censored, 1u);
  EXPECT_EQ(a.median, days(1));
  EXPECT_EQ(a.p75, days(3));
  EXPECT_EQ(a.p90, std::nullopt);
  // B: 6, 15+, 2, 3 -> S(2) = 3/4, S(3) = 1/2, S(6) = 1/4.
  const DurationStats& b = r->total.stages[1].latest_visit;
  EXPECT_EQ(b.p25, days(2));
  EXPECT_EQ(b.median, days(3));
  EXPECT_EQ(b.p75, days(6));
  EXPECT_EQ(b.p90, std::nullopt);
}

TEST_F(DurationsHandComputed, Cumulative) {
  auto r = run();
  ASSERT_TRUE(r);
  // A: 2, 3, 2, 17+ -> S(2) = 1/2, S(3) = 1/4.
  const DurationStats& a = r->total.stages[0].cumulative;
  EXPECT_EQ(a.median, days(2));
  EXPECT_EQ(a.p75, days(3));
  EXPECT_EQ(a.censored, 1u);
  // B: 8, 15+, 2, 3 -> S(2) = 3/4, S(3) = 1/2, S(8) = 1/4.
  const DurationStats& b = r->total.stages[1].cumulative;
  EXPECT_EQ(b.median, days(3));
  EXPECT_EQ(b.p75, days(8));
}

TEST_F(DurationsHandComputed, CycleWithCompetingOutcomes) {
  query_.naive_mean = true;
  auto r = run();
  ASSERT_TRUE(r);
  const CycleDurations& c = r->total.cycle;
  // To close: 8 (lost), 12 (won), 18+, 20+ -> S(8) = 3/4, S(12) = 1/2.
  EXPECT_EQ(c.to_close.subjects, 4u);
  EXPECT_EQ(c.to_close.events, 2u);
  EXPECT_EQ(c.to_close.censored, 2u);
  EXPECT_EQ(c.to_close.p25, days(8));
  EXPECT_EQ(c.to_close.median, days(12));
  EXPECT_EQ(c.to_close.p75, std::nullopt);
  EXPECT_EQ(c.to_close.naive_mean_closed, days(10));  // (8 + 12) / 2, ignoring the open deals
  // Aalen–Johansen: CIF_lost(8) = 1/4; CIF_won(12) = 3/4 * 1/3 = 1/4.
  ASSERT_TRUE(c.won_incidence && c.lost_incidence);
  EXPECT_DOUBLE_EQ(*c.won_incidence, 0.25);
  EXPECT_DOUBLE_EQ(*c.lost_incidence, 0.25);
  EXPECT_EQ(c.to_won.events, 1u);
  EXPECT_EQ(c.to_won.competing, 1u);
  EXPECT_EQ(c.to_won.censored, 2u);
  EXPECT_EQ(c.to_won.median, days(12));
  EXPECT_EQ(c.to_won.naive_mean_closed, days(12));
  EXPECT_EQ(c.to_lost.median, days(8));
}

TEST_F(DurationsHandComputed, NaiveMeanOnlyWhenAsked) {
  auto r = run();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->total.cycle.to_close.naive_mean_closed, std::nullopt);
  EXPECT_EQ(r->total.stages[0].first_visit.naive_mean_closed, std::nullopt);
  query_.naive_mean = true;
  r = run();
  // A first visits 1, 3, 1, 2: mean 7/4 days.
  EXPECT_EQ(r->total.stages[0].first_visit.naive_mean_closed, 7 * kDay / 4);
  // A latest: the running 15-day visit is ignored: (1 + 3 + 1) / 3 days, rounded to the second.
  EXPECT_EQ(r->total.stages[0].latest_visit.naive_mean_closed, (5 * kDay + 1) / 3);
}

TEST_F(DurationsHandComputed, AsOfCutsLaterEventsAndCensorsThere) {
  query_.as_of = day(10.5);
  auto r = run();
  ASSERT_TRUE(r);
  // d1 is in C since day 10 (won only at 12): open; d3 closed lost at 9.
  EXPECT_EQ(r->total.won, 0u);
  EXPECT_EQ(r->total.lost, 1u);
  EXPECT_EQ(r->total.open, 3u);
  const DurationStats& c = r->total.stages[2].first_visit;
  EXPECT_EQ(c.subjects, 1u);
  EXPECT_EQ(c.censored, 1u);
  EXPECT_EQ(c.median, std::nullopt);
  // d2's B visit runs from 5 to 10.5.
  EXPECT_EQ(r->total.stages[1].in_stage_now, 1u);
  // A deal created after as_of does not exist yet.
  query_.as_of = day(0.5);
  r = run();
  EXPECT_EQ(r->total.deals, 2u);  // d1, d4
}

TEST_F(DurationsHandComputed, CohortAndGroups) {
  query_.from = day(1);
  query_.to = day(3);
  auto r = run();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->total.deals, 2u);  // d2 (created 2), d3 (created 1)
  query_.from.reset();
  query_.to.reset();
  query_.group = *resolve_grouping(b_.log(), "manager");
  r = run();
  ASSERT_TRUE(r);
  ASSERT_EQ(r->groups.size(), 3u);
  EXPECT_EQ(r->groups[0].key, "Иванова Анна");
  EXPECT_EQ(r->groups[0].figures.deals, 2u);
  EXPECT_EQ(r->groups[0].figures.cycle.to_close.median, days(8));  // d3 lost 8, d1 won 12: S(8) = 1/2
  EXPECT_EQ(r->groups[1].key, "Петров Сергей");
  EXPECT_EQ(r->groups[2].key, std::nullopt);  // d4 has no manager: last
  EXPECT_EQ(r->groups[2].figures.open, 1u);
  EXPECT_EQ(r->definition.group_by, "manager");
  query_.group = *resolve_grouping(b_.log(), "created_month");
  r = run();
  ASSERT_EQ(r->groups.size(), 1u);
  EXPECT_EQ(r->groups[0].key, "2024-01");
}

TEST_F(DurationsHandComputed, DefinitionSaysWhatWasMeasured) {
  auto r = run();
  ASSERT_TRUE(r);
  const std::string s = r->definition.summary();
  EXPECT_NE(s.find("pipeline small"), std::string::npos) << s;
  EXPECT_NE(s.find("as of 2024-01-21T00:00:00Z"), std::string::npos) << s;
  EXPECT_NE(s.find("basis calendar"), std::string::npos) << s;
  EXPECT_NE(s.find("[-inf, +inf)"), std::string::npos) << s;
}

TEST(Durations, DefaultAsOfIsTheLatestEventOrCreation) {
  LogBuilder b;
  const DealId d = b.deal("x", 0);
  b.event(d, 0, "A").event(d, 2, "B");
  b.deal("y", 5);  // created after the last event, no history
  auto r = compute_durations(b.log(), small_pipeline(), {});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->definition.as_of, day(5));
  EXPECT_EQ(r->total.without_history, 1u);
  EXPECT_EQ(r->total.open, 2u);
  // x's B visit is censored at day 5 (3 days); y's cycle is censored at 0.
  EXPECT_EQ(r->total.stages[1].first_visit.censored, 1u);
  EXPECT_EQ(r->total.cycle.to_close.censored, 2u);
}

TEST(Durations, ErrorsNameTheProblem) {
  LogBuilder b;
  b.deal("x", 0);
  const EventLog& log = b.log();
  DurationQuery q;
  q.basis = TimeBasis::business;
  auto r = compute_durations(log, small_pipeline(), q);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), ErrorCode::invalid_argument);
  EXPECT_NE(r.status().message().find("calendar"), std::string::npos);

  q = {};
  q.from = day(3);
  q.to = day(3);
  r = compute_durations(log, small_pipeline(), q);
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("empty period"), std::string::npos);

  EventLog other;
  other.intern_pipeline("sales");
  (void)other.add_deal("z", PipelineId{0}, day(0));
  other.seal();
  r = compute_durations(other, small_pipeline(), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), ErrorCode::not_found);
  EXPECT_NE(r.status().message().find("pipeline 'small' has no deals in the log (log has: sales)"),
            std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace dealflow::analytics
