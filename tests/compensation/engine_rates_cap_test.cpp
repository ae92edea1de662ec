// A retroactive cliff's top-up is limited by each earlier deal's per-deal cap
// (rates.cpp; docs/compensation.md "Decisions"). Computed by hand.
#include <gtest/gtest.h>

#include <vector>

#include "common_fixture.h"
#include "dealflow/compensation/rates.h"

namespace dealflow::compensation {
namespace {

using common_fixture::usd;

// Retroactive 2% from 0, 4% from 100 000; cap per deal 3 000. A (90 000)
// earns 1 800; B (60 000) reaches tier 2: the cliff re-rates A to 3 600
// (+1 800), but A may pay at most 3 000: a cap_deal line of −600; B earns
// 60 000 × 4% = 2 400. Total 5 400 = A 3 000 + B 2 400 (6 000 without the cap).
TEST(EngineRatesCap, CliffTopUpLimitedByTheEarlierDealsCap) {
  RateSpec s;
  s.currency = Currency::of("USD");
  s.kind = StructureKind::retroactive;
  s.tiers = {{0, Rate::bp(200)}, {usd(100'000).minor_units(), Rate::bp(400)}};
  s.cap_per_deal = usd(3'000);
  const std::vector<Credit> deals = {{"A", usd(90'000)}, {"B", usd(60'000)}};
  auto st = compute_period(s, deals);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  ASSERT_EQ(st->lines.size(), 4u);
  EXPECT_EQ(st->lines[0].amount, usd(1'800));
  EXPECT_EQ(st->lines[1].kind, LineKind::retro_cliff);
  EXPECT_EQ(st->lines[1].amount, usd(1'800));
  EXPECT_EQ(st->lines[2].kind, LineKind::cap_deal);
  EXPECT_EQ(st->lines[2].amount, usd(-600));
  EXPECT_EQ(st->lines[2].deal, "B");
  EXPECT_EQ(st->lines[3].amount, usd(2'400));
  EXPECT_EQ(st->total, usd(5'400));
}

// Without a cap nothing changes: 1 800 + 1 800 + 2 400.
TEST(EngineRatesCap, NoCapNoCut) {
  RateSpec s;
  s.currency = Currency::of("USD");
  s.kind = StructureKind::retroactive;
  s.tiers = {{0, Rate::bp(200)}, {usd(100'000).minor_units(), Rate::bp(400)}};
  const std::vector<Credit> deals = {{"A", usd(90'000)}, {"B", usd(60'000)}};
  auto st = compute_period(s, deals);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(st->total, usd(6'000));
}

}  // namespace
}  // namespace dealflow::compensation
