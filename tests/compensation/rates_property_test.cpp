// Properties of the rate engine over random specs and deals: a statement's total
// is the sum of its lines (and of its deals), marginal payout never falls when
// sales grow, recomputation is identical.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "common_fixture.h"
#include "dealflow/compensation/rates.h"

namespace dealflow::compensation {
namespace {

using common_fixture::kUsd;

RateSpec random_spec(std::mt19937& rng, StructureKind kind) {
  auto uniform = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
  };
  RateSpec s;
  s.currency = kUsd;
  s.kind = kind;
  s.rounding = uniform(0, 1) ? Rounding::half_up : Rounding::half_even;
  std::int64_t from = 0;
  const int tiers = kind == StructureKind::flat ? 1 : static_cast<int>(uniform(1, 5));
  for (int i = 0; i < tiers; ++i) {
    s.tiers.push_back({from, Rate::ratio(uniform(0, 700), uniform(1, 3) == 1 ? 10000 : 3 * 10000 + 7)});
    from += uniform(1, 5'000'000);
  }
  s.quota = Money(uniform(1'000'000, 20'000'000), kUsd);
  if (uniform(0, 1))
    s.modifiers.push_back({0, uniform(1, 9000), Rate::ratio(uniform(0, 9), 10), std::nullopt});
  if (uniform(0, 1))
    s.modifiers.push_back({10000, std::nullopt, Rate::ratio(uniform(10, 30), 10), std::nullopt});
  if (!s.modifiers.empty() && s.modifiers[0].from_bp == 0 && uniform(0, 1))
    s.modifiers[0].lift_at_bp = uniform(5000, 15000);
  if (uniform(0, 2) == 0) s.gate = Gate{uniform(1000, 6000), uniform(0, 1) == 1};
  return s;
}

std::vector<Credit> random_deals(std::mt19937& rng, int n) {
  std::vector<Credit> deals;
  for (int i = 0; i < n; ++i)
    deals.push_back({"D" + std::to_string(i),
                     Money(std::uniform_int_distribution<std::int64_t>(0, 3'000'000)(rng), kUsd)});
  return deals;
}

constexpr StructureKind kKinds[] = {StructureKind::flat, StructureKind::marginal, StructureKind::retroactive,
                                    StructureKind::interpolated};

TEST(RatesProperty, TotalIsTheSumOfLinesAndOfDeals) {
  std::mt19937 rng(11);
  for (int round = 0; round < 300; ++round) {
    RateSpec s = random_spec(rng, kKinds[round % 4]);
    if (round % 3 == 0) s.cap_per_deal = Money(50'000, kUsd);
    ASSERT_TRUE(validate(s).ok()) << validate(s).to_string();
    auto st = compute_period(s, random_deals(rng, 1 + round % 12));
    ASSERT_TRUE(st.ok()) << st.status().to_string();
    std::int64_t lines = 0, deals = 0, measure = 0;
    for (const Line& l : st->lines) lines += l.amount.minor_units();
    for (const DealSummary& d : st->deals) deals += d.paid.minor_units(), measure += d.measure.minor_units();
    EXPECT_EQ(st->total.minor_units(), lines);
    EXPECT_EQ(st->total.minor_units(), deals);
    EXPECT_EQ(st->measure_total.minor_units(), measure);
  }
}

TEST(RatesProperty, MarginalPayoutIsMonotoneInSales) {
  std::mt19937 rng(12);
  for (int round = 0; round < 300; ++round) {
    RateSpec s = random_spec(rng, StructureKind::marginal);
    s.gate.reset();
    std::vector<Credit> deals = random_deals(rng, 1 + round % 8);
    auto base = compute_period(s, deals);
    ASSERT_TRUE(base.ok());
    std::vector<Credit> more = deals;
    more.back().measure = Money(more.back().measure.minor_units() + 1 + round * 997, kUsd);
    auto grown = compute_period(s, more);
    more.push_back({"extra", Money(round * 1013, kUsd)});
    auto appended = compute_period(s, more);
    ASSERT_TRUE(grown.ok() && appended.ok());
    EXPECT_GE(grown->total.minor_units(), base->total.minor_units());
    EXPECT_GE(appended->total.minor_units(), grown->total.minor_units());
  }
}

// Cutting the period's sales into deals changes the payout only by rounding:
// every structure (gates, lifts and cliffs included, no caps) pays the exact
// cumulative amount, each line rounded once.
TEST(RatesProperty, SplittingSalesIntoDealsChangesOnlyTheRounding) {
  std::mt19937 rng(14);
  for (int round = 0; round < 300; ++round) {
    const RateSpec s = random_spec(rng, kKinds[round % 4]);
    const std::vector<Credit> deals = random_deals(rng, 1 + round % 10);
    auto split = compute_period(s, deals);
    ASSERT_TRUE(split.ok()) << split.status().to_string();
    const std::vector<Credit> one = {{"all", split->measure_total}};
    auto whole = compute_period(s, one);
    ASSERT_TRUE(whole.ok()) << whole.status().to_string();
    const std::int64_t tolerance = static_cast<std::int64_t>(split->lines.size() + whole->lines.size());
    EXPECT_LE(std::abs(split->total.minor_units() - whole->total.minor_units()), tolerance)
        << "round " << round << " kind " << to_string(s.kind);
  }
}

TEST(RatesProperty, RecomputationIsIdentical) {
  std::mt19937 rng(13);
  for (int round = 0; round < 100; ++round) {
    const RateSpec s = random_spec(rng, kKinds[round % 4]);
    const std::vector<Credit> deals = random_deals(rng, 10);
    auto a = compute_period(s, deals);
    auto b = compute_period(s, deals);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->lines.size(), b->lines.size());
    for (std::size_t i = 0; i < a->lines.size(); ++i) {
      EXPECT_EQ(a->lines[i].amount, b->lines[i].amount);
      EXPECT_EQ(a->lines[i].reason, b->lines[i].reason);
      EXPECT_EQ(a->lines[i].rate, b->lines[i].rate);
      EXPECT_EQ(a->lines[i].slice_from, b->lines[i].slice_from);
    }
    EXPECT_EQ(a->total, b->total);
  }
}

}  // namespace
}  // namespace dealflow::compensation
