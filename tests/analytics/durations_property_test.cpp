// Properties of the duration, transition and velocity reports over generated
// data sets (fixed seeds), loaded through the strict CSV loader.
#include <gtest/gtest.h>

#include <algorithm>

#include "analytics/sample_fixture.h"
#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/transitions.h"
#include "dealflow/analytics/velocity.h"

namespace dealflow::analytics {
namespace {

using namespace testing;

void expect_ordered(const DurationStats& s, const std::string& what) {
  const std::optional<std::int64_t> q[4] = {s.p25, s.median, s.p75, s.p90};
  for (int i = 0; i + 1 < 4; ++i) {
    if (q[i] && q[i + 1]) {
      EXPECT_LE(*q[i], *q[i + 1]) << what;
    }
    if (!q[i]) {
      EXPECT_FALSE(q[i + 1]) << what << ": a higher quantile reached when a lower one is not";
    }
  }
  EXPECT_EQ(s.subjects, s.events + s.censored + s.competing) << what;
}

TEST(DurationsProperty, CountsAddUpAndQuantilesAreOrdered) {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    const LoadedSample sample = load_sample(150 + seed * 10, seed, static_cast<int>(1 + seed % 12));
    DurationQuery q;
    q.group = *resolve_grouping(sample.log, "manager");
    auto r = compute_durations(sample.log, bitrix24_pipeline(), q);
    ASSERT_TRUE(r) << r.status().to_string();
    const DurationFigures& f = r->total;
    EXPECT_EQ(f.deals, sample.summary.deals);
    EXPECT_EQ(f.won, sample.summary.won);
    EXPECT_EQ(f.lost, sample.summary.lost);
    EXPECT_EQ(f.open, sample.summary.open);
    EXPECT_EQ(f.cycle.to_close.subjects, f.deals);
    EXPECT_EQ(f.cycle.to_close.events, f.won + f.lost);
    EXPECT_EQ(f.cycle.to_won.events, f.won);
    EXPECT_EQ(f.cycle.to_won.competing, f.lost);
    if (f.cycle.won_incidence) {
      EXPECT_LE(*f.cycle.won_incidence + *f.cycle.lost_incidence, 1.0 + 1e-12);
    }
    expect_ordered(f.cycle.to_close, "to_close");
    expect_ordered(f.cycle.to_won, "to_won");
    expect_ordered(f.cycle.to_lost, "to_lost");
    std::uint64_t open_now = 0;
    for (const auto& s : f.stages) {
      EXPECT_EQ(s.first_visit.subjects, s.latest_visit.subjects) << s.id;
      EXPECT_EQ(s.first_visit.subjects, s.cumulative.subjects) << s.id;
      EXPECT_GE(s.visits, s.first_visit.subjects) << s.id;
      EXPECT_EQ(s.latest_visit.censored, s.in_stage_now) << s.id;
      EXPECT_EQ(s.cumulative.censored, s.in_stage_now) << s.id;
      EXPECT_LE(s.first_visit.censored, s.in_stage_now) << s.id;
      expect_ordered(s.first_visit, s.id);
      expect_ordered(s.latest_visit, s.id);
      expect_ordered(s.cumulative, s.id);
      open_now += s.in_stage_now;
    }
    EXPECT_EQ(open_now, f.open - f.without_history);
    // Groups partition the deals.
    std::uint64_t deals = 0, won = 0, visits = 0;
    for (const auto& g : r->groups) {
      deals += g.figures.deals;
      won += g.figures.won;
      for (const auto& s : g.figures.stages) visits += s.visits;
    }
    std::uint64_t total_visits = 0;
    for (const auto& s : f.stages) total_visits += s.visits;
    EXPECT_EQ(deals, f.deals);
    EXPECT_EQ(won, f.won);
    EXPECT_EQ(visits, total_visits);
  }
}

// With every deal closed there is no censoring: the Kaplan–Meier median is
// the empirical one, the ceil(n/2)-th smallest cycle.
TEST(DurationsProperty, WithoutCensoringTheMedianIsTheEmpiricalOne) {
  for (std::uint64_t seed = 20; seed < 30; ++seed) {
    const LoadedSample sample = load_sample(120, seed, 3);
    // A log of the sample's closed deals only, and their cycles.
    EventLog closed;
    const PipelineId pid = closed.intern_pipeline("bitrix24_default");
    std::vector<std::int64_t> cycles;
    for (std::size_t d = 0; d < sample.log.deal_count(); ++d) {
      const DealId id{static_cast<std::uint32_t>(d)};
      const std::size_t b = sample.log.event_begin(id), e = sample.log.event_end(id);
      if (!bitrix24_pipeline().is_terminal(sample.log.event_stage(e - 1))) continue;
      const DealId c = *closed.add_deal(sample.log.deal_key(id), pid, sample.log.created_at(id));
      for (std::size_t i = b; i < e; ++i) {
        ASSERT_TRUE(closed.append_event(c, sample.log.event_at(i), sample.log.event_stage(i)).ok());
      }
      std::size_t k = e - 1;
      while (k > b && bitrix24_pipeline().is_terminal(sample.log.event_stage(k - 1))) --k;
      cycles.push_back((sample.log.event_at(k) - sample.log.created_at(id)).count());
    }
    closed.seal();
    auto r = compute_durations(closed, bitrix24_pipeline(), {});
    ASSERT_TRUE(r);
    std::sort(cycles.begin(), cycles.end());
    const std::size_t n = cycles.size();
    EXPECT_EQ(r->total.cycle.to_close.censored, 0u);
    EXPECT_EQ(r->total.cycle.to_close.median, cycles[(n + 1) / 2 - 1]) << "seed " << seed;
    EXPECT_EQ(r->total.cycle.to_close.p90, cycles[(9 * n + 9) / 10 - 1]) << "seed " << seed;
  }
}

// Flow conservation of the transition matrix: every visit of a stage starts
// by entering it (first event or a move in), every completed visit leaves it.
TEST(TransitionsProperty, FlowIsConserved) {
  for (std::uint64_t seed = 40; seed < 50; ++seed) {
    const LoadedSample sample = load_sample(200, seed);
    auto m = count_transitions(sample.log, bitrix24_pipeline(), {});
    auto d = compute_durations(sample.log, bitrix24_pipeline(), {});
    ASSERT_TRUE(m && d);
    EXPECT_EQ(m->entries.sum(), static_cast<std::int64_t>(sample.summary.deals));
    EXPECT_EQ(m->moves, sample.summary.events - sample.summary.deals);
    for (Eigen::Index i = 0; i < m->counts.rows(); ++i) {
      EXPECT_EQ(m->counts.row(i).sum(), m->completed_visits(i)) << i;
      const std::int64_t visits = m->entries(i) + m->counts.col(i).sum();
      EXPECT_EQ(visits, m->completed_visits(i) + m->current(i)) << i;
      const int pos = bitrix24_pipeline().stage(StageId{static_cast<std::uint16_t>(i)}).funnel_position;
      if (pos >= 0) {
        EXPECT_EQ(static_cast<std::uint64_t>(visits), d->total.stages[static_cast<std::size_t>(pos)].visits)
            << i;
      }
    }
  }
}

TEST(VelocityProperty, InputsMatchTheDurationCounts) {
  for (std::uint64_t seed = 60; seed < 66; ++seed) {
    const LoadedSample sample = load_sample(200, seed);
    auto v = compute_velocity(sample.log, bitrix24_pipeline(), {});
    ASSERT_TRUE(v) << v.status().to_string();
    EXPECT_EQ(v->open_deals, sample.summary.open);
    EXPECT_EQ(v->won, sample.summary.won);
    EXPECT_EQ(v->lost, sample.summary.lost);
    ASSERT_TRUE(v->per_day);
    // velocity x cycle days / open = win rate x average won amount (within rounding).
    const double lhs = static_cast<double>(v->per_day->minor_units()) *
                       (static_cast<double>(*v->median_won_cycle_seconds) / 86400.0) /
                       static_cast<double>(v->open_deals);
    const double rhs = *v->win_rate * static_cast<double>(v->average_won_amount->minor_units());
    EXPECT_NEAR(lhs, rhs, rhs * 1e-6 + 1.0);
  }
}

}  // namespace
}  // namespace dealflow::analytics
