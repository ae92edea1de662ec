// Properties of the manager scorecard over generated data sets (fixed seeds).
#include <gtest/gtest.h>

#include "analytics/sample_fixture.h"
#include "dealflow/analytics/scorecard.h"

namespace dealflow::analytics {
namespace {

using namespace testing;

void expect_same(const ScorecardFigures& a, const ScorecardFigures& b, const std::string& what) {
  EXPECT_EQ(a.taken, b.taken) << what;
  EXPECT_EQ(a.won, b.won) << what;
  EXPECT_EQ(a.lost, b.lost) << what;
  EXPECT_EQ(a.open, b.open) << what;
  EXPECT_EQ(a.won_amount, b.won_amount) << what;
  EXPECT_EQ(a.median_won_amount, b.median_won_amount) << what;
  EXPECT_EQ(a.median_cycle_seconds, b.median_cycle_seconds) << what;
}

Instant month(int m) {
  return Instant::at_midnight(Date(days_from_civil(2024, static_cast<unsigned>(m), 1)));
}

TEST(ScorecardProperty, RowsAddUpToTheTeamAndRanksFollowWonAmount) {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const LoadedSample sample = load_sample(400, seed);
    const int first = static_cast<int>(2 + seed % 6);
    auto card = compute_scorecard(sample.log, bitrix24_pipeline(), {month(first), month(first + 3)});
    ASSERT_TRUE(card) << card.status().to_string();
    for (bool current : {true, false}) {
      ScorecardFigures sum;
      std::int64_t won_minor = 0;
      for (const auto& row : card->managers) {
        const ScorecardFigures& f = current ? row.current : row.previous;
        sum.taken += f.taken;
        sum.won += f.won;
        sum.lost += f.lost;
        sum.open += f.open;
        if (f.won_amount) won_minor += f.won_amount->minor_units();
        // Splits partition each row.
        for (const auto* splits : {&row.by_business, &row.by_channel}) {
          std::uint64_t taken = 0, won = 0;
          for (const auto& s : *splits) {
            taken += (current ? s.current : s.previous).taken;
            won += (current ? s.current : s.previous).won;
          }
          EXPECT_EQ(taken, f.taken);
          EXPECT_EQ(won, f.won);
        }
      }
      const ScorecardFigures& team = current ? card->team.current : card->team.previous;
      EXPECT_EQ(sum.taken, team.taken);
      EXPECT_EQ(sum.won, team.won);
      EXPECT_EQ(sum.lost, team.lost);
      EXPECT_EQ(sum.open, team.open);
      EXPECT_EQ(won_minor, team.won_amount ? team.won_amount->minor_units() : 0);
    }
    std::int64_t previous_amount = std::numeric_limits<std::int64_t>::max();
    for (std::size_t i = 0; i < card->managers.size(); ++i) {
      const auto& row = card->managers[i];
      if (!row.rank) continue;
      EXPECT_EQ(*row.rank, i + 1);
      const std::int64_t amount = row.current.won_amount ? row.current.won_amount->minor_units() : 0;
      EXPECT_LE(amount, previous_amount);
      previous_amount = amount;
    }
  }
}

// The previous period of [b, 2b - a) is [a, b): the same figures as the
// current period of [a, b).
TEST(ScorecardProperty, PreviousPeriodEqualsTheEarlierCurrentPeriod) {
  for (std::uint64_t seed = 11; seed <= 16; ++seed) {
    const LoadedSample sample = load_sample(300, seed);
    const Instant a = month(3), b = month(5);
    const Instant c = b + (b - a);
    auto earlier = compute_scorecard(sample.log, bitrix24_pipeline(), {a, b});
    auto later = compute_scorecard(sample.log, bitrix24_pipeline(), {b, c});
    ASSERT_TRUE(earlier && later);
    expect_same(earlier->team.current, later->team.previous, "team");
    for (const auto& row : earlier->managers) {
      auto it = std::find_if(later->managers.begin(), later->managers.end(),
                             [&](const ScorecardRow& r) { return r.manager == row.manager; });
      ASSERT_NE(it, later->managers.end());
      expect_same(row.current, it->previous, row.manager.value_or("(none)"));
    }
  }
}

}  // namespace
}  // namespace dealflow::analytics
