// Properties of draws over random earnings (dealflow/compensation/draws.h):
// paid = earned + Σ lines, the balance never goes positive, a recoverable
// draw's payouts over a run equal the earnings plus the final owed balance,
// and a non-recoverable draw pays exactly max(draw, earned).
#include <gtest/gtest.h>

#include <random>

#include "dealflow/compensation/draws.h"

namespace dealflow::compensation {
namespace {

const Currency kRub = Currency::of("RUB");

TEST(DrawsProperty, PaidIsEarnedPlusLinesAndTheBalanceIsConserved) {
  std::mt19937_64 rng(20241205);
  for (int run = 0; run < 300; ++run) {
    const DrawType type = run % 2 == 0 ? DrawType::recoverable : DrawType::non_recoverable;
    DrawSpec spec{type, Money(std::uniform_int_distribution<std::int64_t>(1, 5'000'000)(rng), kRub)};
    spec.rounding = run % 3 == 0 ? Rounding::half_up : Rounding::half_even;
    std::vector<DrawPeriod> periods;
    const int n = std::uniform_int_distribution<int>(1, 12)(rng);
    for (int i = 0; i < n; ++i) {
      DrawPeriod p{"P" + std::to_string(i),
                   Money(std::uniform_int_distribution<std::int64_t>(-2'000'000, 10'000'000)(rng), kRub)};
      if (rng() % 4 == 0)
        p.proration = Rate::ratio(std::uniform_int_distribution<std::int64_t>(1, 30)(rng), 30);
      periods.push_back(p);
    }
    auto r = run_draws(spec, periods);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    std::int64_t paid = 0, earned = 0;
    Money carried(0, kRub);
    for (const DrawResult& d : *r) {
      std::int64_t lines = 0;
      for (const DrawLine& l : d.lines) lines += l.amount.minor_units();
      EXPECT_LE(d.lines.size(), 1u);
      EXPECT_EQ(d.paid.minor_units(), d.earned.minor_units() + lines);
      EXPECT_GE(d.paid.minor_units(), d.draw.minor_units());
      EXPECT_LE(d.balance_after.minor_units(), 0);
      EXPECT_EQ(d.balance_before, carried);
      if (type == DrawType::non_recoverable) {
        EXPECT_EQ(d.paid.minor_units(), std::max(d.draw.minor_units(), d.earned.minor_units()));
        EXPECT_EQ(d.balance_after.minor_units(), 0);
      }
      carried = d.balance_after;
      paid += d.paid.minor_units();
      earned += d.earned.minor_units();
    }
    if (type == DrawType::recoverable) {
      EXPECT_EQ(paid, earned - r->back().balance_after.minor_units());
    }
    // Recomputation is identical.
    auto again = run_draws(spec, periods);
    ASSERT_TRUE(again.ok());
    for (std::size_t i = 0; i < r->size(); ++i) {
      EXPECT_EQ((*again)[i].paid, (*r)[i].paid);
      EXPECT_EQ((*again)[i].balance_after, (*r)[i].balance_after);
    }
  }
}

}  // namespace
}  // namespace dealflow::compensation
