// Cohorts over random histories: the categories partition each month's deals,
// the months add up to the total, the total agrees with the ungrouped funnel,
// and one month alone (--from/--to around it) is the same row.
#include <gtest/gtest.h>

#include <numeric>

#include "analytics/funnel_fixture.h"
#include "dealflow/analytics/cohorts.h"

namespace dealflow::analytics {
namespace {

using testing::fixture_pipeline;
using testing::random_log;

void expect_same_counts(const CohortRow& a, const CohortRow& b) {
  EXPECT_EQ(a.deals, b.deals);
  EXPECT_EQ(a.no_stage, b.no_stage);
  EXPECT_EQ(a.furthest, b.furthest);
  EXPECT_EQ(a.won, b.won);
  EXPECT_EQ(a.lost, b.lost);
  EXPECT_EQ(a.open, b.open);
}

TEST(CohortsProperty, RowsPartitionAndAgreeWithTheFunnel) {
  for (std::uint64_t seed = 1; seed <= 25; ++seed) {
    SCOPED_TRACE(seed);
    const EventLog log = random_log(seed, 250);
    const Pipeline& p = fixture_pipeline();
    CohortQuery q;
    q.utc_offset_minutes = static_cast<int>(seed % 5) * 180 - 360;
    if (seed % 3 == 0) q.as_of = testing::at("2024-02-15");
    auto r = compute_cohorts(log, p, q);
    ASSERT_TRUE(r) << r.status().to_string();
    const std::size_t m = r->stages.size();
    CohortRow sum;
    sum.furthest.assign(m, 0);
    for (std::size_t i = 0; i < r->rows.size(); ++i) {
      const CohortRow& row = r->rows[i];
      if (i > 0) {
        EXPECT_LT(r->rows[i - 1].month, row.month);
      }
      ASSERT_EQ(row.furthest.size(), m);
      EXPECT_EQ(row.no_stage + std::accumulate(row.furthest.begin(), row.furthest.end(), std::uint64_t{0}) +
                    row.won,
                row.deals);
      EXPECT_EQ(row.won + row.lost + row.open, row.deals);
      EXPECT_EQ(row.win_rate.denominator, row.won + row.lost);
      EXPECT_EQ(row.win_rate.interval.has_value(), row.won + row.lost > 0);
      sum.deals += row.deals;
      sum.no_stage += row.no_stage;
      for (std::size_t k = 0; k < m; ++k) sum.furthest[k] += row.furthest[k];
      sum.won += row.won;
      sum.lost += row.lost;
      sum.open += row.open;
    }
    expect_same_counts(sum, r->total);

    // The ungrouped funnel: reached(k) = deals furthest at k or later, plus won.
    FunnelQuery fq;
    fq.as_of = q.as_of;
    auto f = compute_funnel(log, p, fq);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->total.deals, r->total.deals);
    EXPECT_EQ(f->total.won, r->total.won);
    EXPECT_EQ(f->total.lost, r->total.lost);
    for (std::size_t k = 0; k < m; ++k) {
      std::uint64_t later = r->total.won;
      for (std::size_t j = k; j < m; ++j) later += r->total.furthest[j];
      EXPECT_EQ(f->total.stages[k].reached, later) << k;
    }

    // A month alone, bounded by its first instants at the offset, is the same row.
    if (!r->rows.empty()) {
      const CohortRow& mid = r->rows[r->rows.size() / 2];
      const int y = std::stoi(mid.month.substr(0, 4)), mo = std::stoi(mid.month.substr(5, 2));
      const std::int64_t offset = std::int64_t{q.utc_offset_minutes} * 60;
      const auto month_start = [&](int year, int month) {
        return Instant::from_unix_seconds(
            std::int64_t{days_from_civil(year, static_cast<unsigned>(month), 1)} * 86400 - offset);
      };
      CohortQuery one = q;
      one.from = month_start(y, mo);
      one.to = mo == 12 ? month_start(y + 1, 1) : month_start(y, mo + 1);
      auto alone = compute_cohorts(log, p, one);
      ASSERT_TRUE(alone);
      ASSERT_EQ(alone->rows.size(), 1u);
      EXPECT_EQ(alone->rows[0].month, mid.month);
      expect_same_counts(alone->rows[0], mid);
    }
  }
}

}  // namespace
}  // namespace dealflow::analytics
