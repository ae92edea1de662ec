// Hand-computed cases of the rate engine (dealflow/compensation/rates.h): the
// issue's worked examples, each structure, gates, caps, rounding, validation.
#include "dealflow/compensation/rates.h"

#include <gtest/gtest.h>

#include "common_fixture.h"

namespace dealflow::compensation {
namespace {

using common_fixture::kUsd;
using common_fixture::usd;
Money cents(std::int64_t c) {
  return Money(c, kUsd);
}

// Tiers 1/2/3/4% at 0 / 10 000 / 50 000 / 100 000 USD.
RateSpec four_tiers(StructureKind kind) {
  RateSpec s;
  s.currency = kUsd;
  s.kind = kind;
  s.tiers = {{0, Rate::bp(100)},
             {1'000'000, Rate::bp(200)},
             {5'000'000, Rate::bp(300)},
             {10'000'000, Rate::bp(400)}};
  return s;
}

std::vector<Line> lines_of(const Statement& st, LineKind kind) {
  std::vector<Line> out;
  for (const Line& l : st.lines)
    if (l.kind == kind) out.push_back(l);
  return out;
}

TEST(RatesIssueCase, SixtyThousandPaysEighteenHundredRetroactiveAndTwelveHundredMarginal) {
  const std::vector<Credit> deals = {{"D-1", usd(60'000)}};
  auto retro = compute_period(four_tiers(StructureKind::retroactive), deals);
  ASSERT_TRUE(retro.ok()) << retro.status().to_string();
  EXPECT_EQ(retro->total, usd(1'800));
  ASSERT_EQ(retro->lines.size(), 1u);
  EXPECT_EQ(retro->lines[0].tier, 3);
  EXPECT_EQ(retro->lines[0].reason, "tier 3 (50 000–100 000 USD) from 0 USD");

  auto marginal = compute_period(four_tiers(StructureKind::marginal), deals);
  ASSERT_TRUE(marginal.ok()) << marginal.status().to_string();
  EXPECT_EQ(marginal->total, usd(1'200));
  ASSERT_EQ(marginal->lines.size(), 3u);  // 10 000 × 1% + 40 000 × 2% + 10 000 × 3%
  EXPECT_EQ(marginal->lines[0].amount, usd(100));
  EXPECT_EQ(marginal->lines[1].amount, usd(800));
  EXPECT_EQ(marginal->lines[2].amount, usd(300));
  EXPECT_EQ(marginal->lines[1].slice_from, usd(10'000));
  EXPECT_EQ(marginal->lines[1].slice_to, usd(50'000));
  EXPECT_EQ(marginal->lines[2].reason, "tier 3 (50 000–100 000 USD) from 50 000 USD");
}

TEST(RatesIssueCase, RetroactiveDealByDealStatesTheCliff) {
  // 8 000 (tier 1: 80), then 32 000 → 40 000 (tier 2: 640 on the deal + 80 cliff on the
  // earlier 8 000), then 20 000 → 60 000 (tier 3: 600 + 400 cliff on the earlier 40 000).
  const std::vector<Credit> deals = {{"A", usd(8'000)}, {"B", usd(32'000)}, {"C", usd(20'000)}};
  auto st = compute_period(four_tiers(StructureKind::retroactive), deals);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(st->total, usd(1'800));
  auto cliffs = lines_of(*st, LineKind::retro_cliff);
  ASSERT_EQ(cliffs.size(), 2u);
  EXPECT_EQ(cliffs[0].deal, "B");
  EXPECT_EQ(cliffs[0].amount, usd(80));
  EXPECT_EQ(cliffs[1].amount, usd(400));
  EXPECT_EQ(
      cliffs[1].reason,
      "tier 3 (50 000–100 000 USD) reached at 60 000 USD: the cliff pays 3.00% on the earlier 40 000 USD");
  EXPECT_EQ(st->deals[2].paid, usd(1'000));
}

TEST(RatesIssueCase, DealCrossingATierBoundaryShowsItsBlendedRate) {
  // 6 000 then 8 000: the second deal has 4 000 at 1% and 4 000 at 2% = 120, blended 1.5%.
  const std::vector<Credit> deals = {{"A", usd(6'000)}, {"B", usd(8'000)}};
  auto st = compute_period(four_tiers(StructureKind::marginal), deals);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  ASSERT_EQ(st->deals.size(), 2u);
  EXPECT_FALSE(st->deals[0].crosses_boundary);
  EXPECT_TRUE(st->deals[1].crosses_boundary);
  EXPECT_EQ(st->deals[1].earned, usd(120));
  EXPECT_EQ(st->deals[1].blended, Rate::bp(150));
  EXPECT_EQ(st->deals[1].blended.to_percent(), "1.50%");
  EXPECT_EQ(st->lines[1].rate, Rate::bp(100));
  EXPECT_EQ(st->lines[2].rate, Rate::bp(200));
  EXPECT_EQ(st->lines[2].slice_from, usd(10'000));
}

// Flat 10% on a 100 000 USD quota.
RateSpec flat_ten() {
  RateSpec s;
  s.currency = kUsd;
  s.kind = StructureKind::flat;
  s.tiers = {{0, Rate::bp(1000)}};
  s.quota = usd(100'000);
  return s;
}

TEST(RatesIssueCase, DeceleratorLiftedRetroactivelyOnceQuotaIsReached) {
  // ×0.5 below 50% of quota, lifted at 100%: 40 000 pays 2 000; 30 000 → 70 000 pays 500 + 2 000;
  // 40 000 → 110 000 lifts it: top-up 2 000 + 500, and the deal pays 4 000. 11 000 = 10% of 110 000.
  RateSpec s = flat_ten();
  s.modifiers = {{0, 5000, Rate::ratio(1, 2), 10000}};
  const std::vector<Credit> deals = {{"A", usd(40'000)}, {"B", usd(30'000)}, {"C", usd(40'000)}};
  auto st = compute_period(s, deals);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(st->deals[0].paid, usd(2'000));
  EXPECT_EQ(st->deals[1].paid, usd(2'500));
  EXPECT_EQ(st->deals[1].blended, Rate::ratio(1, 12));  // 2 500 / 30 000
  auto lifts = lines_of(*st, LineKind::lift_topup);
  ASSERT_EQ(lifts.size(), 1u);
  EXPECT_EQ(lifts[0].deal, "C");
  EXPECT_EQ(lifts[0].amount, usd(2'500));
  EXPECT_EQ(
      lifts[0].reason,
      "×0.5 decelerator (0–50% of quota) lifted at 100% of quota: earlier slices topped up to the full rate");
  EXPECT_EQ(st->deals[2].paid, usd(6'500));
  EXPECT_EQ(st->total, usd(11'000));
  EXPECT_EQ(st->lines[0].rate, Rate::ratio(1, 20));
  EXPECT_EQ(st->lines[0].reason, "flat 10.00% from 0 USD, ×0.5 decelerator (0–50% of quota)");
}

TEST(RatesStructure, AcceleratorAboveQuota) {
  RateSpec s = flat_ten();
  s.modifiers = {{10000, std::nullopt, Rate::ratio(3, 2), std::nullopt}};
  const std::vector<Credit> deals = {{"A", usd(120'000)}};
  auto st = compute_period(s, deals);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  ASSERT_EQ(st->lines.size(), 2u);
  EXPECT_EQ(st->lines[0].amount, usd(10'000));
  EXPECT_EQ(st->lines[1].amount, usd(3'000));  // 20 000 × 15%
  EXPECT_EQ(st->lines[1].rate, Rate::bp(1500));
  EXPECT_EQ(st->lines[1].reason, "flat 10.00% from 100 000 USD, ×1.5 accelerator (100%+ of quota)");
  EXPECT_EQ(st->deals[0].blended, Rate::ratio(13, 120));
}

TEST(RatesStructure, AttainmentTiersNameTheQuotaShare) {
  const Currency rub = Currency::of("RUB");
  RateSpec s;
  s.currency = rub;
  s.kind = StructureKind::marginal;
  s.basis = TierBasis::attainment;
  s.quota = Money(100'000'000, rub);  // 1 000 000 RUB
  s.tiers = {{0, Rate::bp(500)}, {10000, Rate::bp(800)}, {15000, Rate::bp(1000)}};
  const std::vector<Credit> deals = {{"Сделка-1", Money(120'000'000, rub)}};
  auto st = compute_period(s, deals);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  ASSERT_EQ(st->lines.size(), 2u);
  EXPECT_EQ(st->lines[0].amount, Money(5'000'000, rub));
  EXPECT_EQ(st->lines[1].amount, Money(1'600'000, rub));
  EXPECT_EQ(st->lines[1].reason, "tier 2 (100–150% of quota) from 1 000 000 RUB");
  EXPECT_EQ(st->lines[0].deal, "Сделка-1");
}

TEST(RatesStructure, InterpolatedIntegratesTheLinearRate) {
  RateSpec s;
  s.currency = kUsd;
  s.kind = StructureKind::interpolated;
  s.tiers = {{0, Rate::bp(100)}, {1'000'000, Rate::bp(300)}};  // 1% at 0 rising to 3% at 10 000
  const std::vector<Credit> deals = {{"A", usd(10'000)}, {"B", usd(10'000)}};
  auto st = compute_period(s, deals);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(st->deals[0].earned, usd(200));  // the average rate 2% over 0..10 000
  EXPECT_EQ(st->lines[0].rate, Rate::bp(200));
  EXPECT_EQ(st->deals[1].earned, usd(300));  // 3% beyond the last point
  EXPECT_EQ(st->total, usd(500));
}

// docs/compensation.md "interpolated": 2% up to 50% of a 1 000 000 RUB quota,
// rising linearly to 4% at 100% and 6% at 150%; deals of 700 000 and 500 000.
// Deal 1: 500 000 × 2% = 10 000 + 200 000 at the average 2.4% = 4 800;
// deal 2: 300 000 at the average 3.4% = 10 200 + 200 000 at 4.4% = 8 800.
TEST(RatesStructure, InterpolatedOnAttainmentTheDocumentedExample) {
  const Currency rub = Currency::of("RUB");
  RateSpec s;
  s.currency = rub;
  s.kind = StructureKind::interpolated;
  s.basis = TierBasis::attainment;
  s.quota = Money(100'000'000, rub);
  s.tiers = {{0, Rate::bp(200)}, {5000, Rate::bp(200)}, {10000, Rate::bp(400)}, {15000, Rate::bp(600)}};
  const std::vector<Credit> deals = {{"1", Money(70'000'000, rub)}, {"2", Money(50'000'000, rub)}};
  auto st = compute_period(s, deals);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  ASSERT_EQ(st->lines.size(), 4u);
  EXPECT_EQ(st->lines[0].amount, Money(1'000'000, rub));
  EXPECT_EQ(st->lines[1].amount, Money(480'000, rub));
  EXPECT_EQ(st->lines[1].rate, Rate::bp(240));
  EXPECT_EQ(st->lines[2].amount, Money(1'020'000, rub));
  EXPECT_EQ(st->lines[3].amount, Money(880'000, rub));
  EXPECT_EQ(st->deals[0].earned, Money(1'480'000, rub));
  EXPECT_EQ(st->deals[1].earned, Money(1'900'000, rub));
  EXPECT_EQ(st->total, Money(3'380'000, rub));
}

TEST(RatesStructure, PerDealAmount) {
  RateSpec s;
  s.currency = kUsd;
  s.kind = StructureKind::per_deal;
  s.per_deal_amount = usd(50);
  const std::vector<Credit> deals = {{"A", usd(1)}, {"B", usd(0)}, {"C", usd(9'999)}};
  auto st = compute_period(s, deals);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(st->total, usd(150));
  EXPECT_EQ(st->lines[1].reason, "per deal: 50 USD");
}

TEST(RatesGate, HardGateForfeitsBelowTheThreshold) {
  RateSpec s = flat_ten();
  s.gate = Gate{5000, false};
  const std::vector<Credit> deals = {{"A", usd(30'000)}, {"B", usd(40'000)}};
  auto st = compute_period(s, deals);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  auto gates = lines_of(*st, LineKind::gate);
  ASSERT_EQ(gates.size(), 2u);
  EXPECT_EQ(gates[0].amount, usd(-3'000));
  EXPECT_EQ(gates[1].amount, usd(-2'000));  // the slice 30 000..50 000 of deal B
  EXPECT_EQ(gates[0].reason, "gate: nothing below 50% of quota (50 000 USD)");
  EXPECT_EQ(st->total, usd(2'000));
}

TEST(RatesGate, ReleasedGatePaysTheWithheldAmountWhenReached) {
  RateSpec s = flat_ten();
  s.gate = Gate{5000, true};
  const std::vector<Credit> deals = {{"A", usd(30'000)}, {"B", usd(40'000)}};
  auto st = compute_period(s, deals);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(st->deals[0].paid, usd(0));
  auto release = lines_of(*st, LineKind::gate_release);
  ASSERT_EQ(release.size(), 1u);
  EXPECT_EQ(release[0].amount, usd(3'000));
  EXPECT_EQ(st->total, usd(7'000));
}

TEST(RatesCap, PerDealPerPeriodAndTotal) {
  RateSpec s = flat_ten();
  s.cap_per_deal = usd(1'000);
  s.cap_per_period = usd(2'000);
  const std::vector<Credit> deals = {{"A", usd(15'000)}, {"B", usd(10'000)}, {"C", usd(5'000)}};
  auto st = compute_period(s, deals);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(lines_of(*st, LineKind::cap_deal).at(0).amount, usd(-500));
  auto period = lines_of(*st, LineKind::cap_period);
  ASSERT_EQ(period.size(), 1u);  // A pays 1 000 after its cap, B 1 000, C's 500 is over the period cap
  EXPECT_EQ(period[0].deal, "C");
  EXPECT_EQ(period[0].amount, usd(-500));
  EXPECT_EQ(st->total, usd(2'000));
  EXPECT_EQ(period[0].reason, "cap per period 2 000 USD");

  RateSpec t = flat_ten();
  t.cap_total = usd(10'000);
  auto capped = compute_period(t, std::vector<Credit>{{"D", usd(10'000)}}, usd(9'500));
  ASSERT_TRUE(capped.ok()) << capped.status().to_string();
  EXPECT_EQ(lines_of(*capped, LineKind::cap_total).at(0).amount, usd(-500));
  EXPECT_EQ(capped->total, usd(500));
}

TEST(RatesRounding, PerLineRoundingDiffersFromRoundingTheTotal) {
  // 0.5% of 1.00 USD is half a cent on each of three lines; the exact total is 1.5 cents.
  RateSpec s;
  s.currency = kUsd;
  s.kind = StructureKind::flat;
  s.tiers = {{0, Rate::bp(50)}};
  const std::vector<Credit> deals = {{"A", cents(100)}, {"B", cents(100)}, {"C", cents(100)}};
  s.rounding = Rounding::half_up;
  auto up = compute_period(s, deals);
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->total, cents(3));  // 1 + 1 + 1, not round(1.5) = 2
  s.rounding = Rounding::half_even;
  auto even = compute_period(s, deals);
  ASSERT_TRUE(even.ok());
  EXPECT_EQ(even->total, cents(0));  // 0 + 0 + 0
  for (const Line& l : even->lines) EXPECT_EQ(l.amount, cents(0));
}

}  // namespace
}  // namespace dealflow::compensation
