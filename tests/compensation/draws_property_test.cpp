// Properties of draws over random earnings (dealflow/compensation/draws.h):
// paid = earned + Σ lines, the balance never goes positive, a recoverable
// draw's payouts over a run equal the earnings plus the final owed balance,
// a non-recoverable draw pays exactly max(draw, earned), and a whole period
// (rate, SPIF and clawback lines, then the draw) pays the sum of its lines.
#include <gtest/gtest.h>

#include <random>

#include "common_fixture.h"
#include "dealflow/compensation/clawback.h"
#include "dealflow/compensation/draws.h"
#include "dealflow/compensation/spif.h"

namespace dealflow::compensation {
namespace {

using common_fixture::kRub;

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

namespace dealflow::compensation {
namespace {

// A whole period: rate lines + SPIF lines + a clawback of last period's deal,
// then the draw. Paid always equals the sum of every line of the period.
TEST(DrawsProperty, APeriodsPaidIsTheSumOfAllItsLines) {
  std::mt19937_64 rng(42);
  RateSpec rates;
  rates.currency = kRub;
  rates.kind = StructureKind::retroactive;
  rates.tiers = {{0, Rate::bp(200)}, {100'000'000, Rate::bp(300)}};
  SpifSpec spif;
  spif.id = "s";
  spif.amount = Money(123'457, kRub);
  const Date first = *Date::parse("2024-04-01");
  for (int run = 0; run < 100; ++run) {
    std::vector<Credit> q1, q2;
    std::vector<SpifDeal> spif_deals;
    for (int i = 0; i < 6; ++i) {
      q1.push_back({"a" + std::to_string(i),
                    Money(std::uniform_int_distribution<std::int64_t>(1, 50'000'000)(rng), kRub)});
      q2.push_back({"b" + std::to_string(i),
                    Money(std::uniform_int_distribution<std::int64_t>(1, 50'000'000)(rng), kRub)});
      spif_deals.push_back({q2.back().deal, "m", first + i, q2.back().measure, "",
                            Rate::ratio(std::uniform_int_distribution<std::int64_t>(1, 3)(rng), 3)});
    }
    auto st1 = compute_period(rates, q1);
    auto st2 = compute_period(rates, q2);
    auto sp = compute_spif(spif, spif_deals);
    ASSERT_TRUE(st1.ok() && st2.ok() && sp.ok());
    const Reversal rev{q1[rng() % q1.size()].deal, ReversalKind::cancelled,
                       *parse_instant("2024-03-30T10:00:00Z"), *parse_instant("2024-04-02T10:00:00Z"),
                       "2024-Q1"};
    const ClawbackSpec cs{90, run % 2 ? ClawbackPolicy::historic_rate : ClawbackPolicy::recompute_period};
    auto cb = cs.policy == ClawbackPolicy::historic_rate ? clawback_historic(cs, rev, *st1)
                                                         : clawback_recompute(cs, rev, rates, q1, *st1);
    ASSERT_TRUE(cb.ok()) << cb.status().to_string();
    std::int64_t lines = 0;
    for (const Line& l : st2->lines) lines += l.amount.minor_units();
    for (const SpifLine& l : sp->lines) lines += l.amount.minor_units();
    for (const ClawbackLine& l : cb->lines) lines += l.amount.minor_units();
    const Money earned = st2->total + sp->total + cb->total;
    EXPECT_EQ(earned.minor_units(), lines);
    auto d = apply_draw({DrawType::recoverable, Money(60'000'000, kRub)}, {"2024-Q2", earned},
                        Money(std::uniform_int_distribution<std::int64_t>(0, 3'000'000)(rng), kRub));
    ASSERT_TRUE(d.ok());
    for (const DrawLine& l : d->lines) lines += l.amount.minor_units();
    EXPECT_EQ(d->paid.minor_units(), lines);
  }
}

}  // namespace
}  // namespace dealflow::compensation
