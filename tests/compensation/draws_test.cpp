// Hand-computed draws (dealflow/compensation/draws.h): the issue's recoverable
// draw carried over two periods, a guaranteed minimum, negative earnings,
// proration, the end of an assignment, and every documented error.
#include "dealflow/compensation/draws.h"

#include <gtest/gtest.h>

#include "common_fixture.h"

namespace dealflow::compensation {
namespace {

using common_fixture::kUsd;
using common_fixture::usd;

DrawSpec spec(DrawType type, std::int64_t units = 1'500) {
  return DrawSpec{type, usd(units)};
}

TEST(DrawsIssueCase, RecoverableDrawCarriedOverTwoPeriods) {
  const std::vector<DrawPeriod> periods = {{"2024-Q1", usd(500)}, {"2024-Q2", usd(3'000)}};
  auto r = run_draws(spec(DrawType::recoverable), periods);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->size(), 2u);
  const DrawResult& q1 = (*r)[0];
  EXPECT_EQ(q1.paid, usd(1'500));
  EXPECT_EQ(q1.balance_before, usd(0));
  EXPECT_EQ(q1.balance_after, usd(-1'000));
  ASSERT_EQ(q1.lines.size(), 1u);
  EXPECT_EQ(q1.lines[0].kind, DrawLineKind::draw);
  EXPECT_EQ(q1.lines[0].amount, usd(1'000));
  EXPECT_EQ(q1.lines[0].reason,
            "recoverable draw 1 500 USD: earned 500 USD topped up to 1 500 USD; balance -1 000 USD");
  const DrawResult& q2 = (*r)[1];
  EXPECT_EQ(q2.paid, usd(2'000));
  EXPECT_EQ(q2.balance_before, usd(-1'000));
  EXPECT_EQ(q2.balance_after, usd(0));
  ASSERT_EQ(q2.lines.size(), 1u);
  EXPECT_EQ(q2.lines[0].kind, DrawLineKind::recovery);
  EXPECT_EQ(q2.lines[0].amount, usd(-1'000));
  EXPECT_EQ(q2.lines[0].reason,
            "recovery of the recoverable draw 1 500 USD balance: owed 1 000 USD, recovered 1 000 USD from "
            "earned 3 000 USD; balance 0 USD");
}

TEST(Draws, RecoverablePartlyRecoveredWhenEarningsStayBelowDrawPlusOwed) {
  // Earned 2 000 with 1 000 owed: max(1 500, 1 000) = 1 500 paid, 500 recovered, 500 still owed.
  auto r = apply_draw(spec(DrawType::recoverable), {"2024-Q2", usd(2'000)}, usd(1'000));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->paid, usd(1'500));
  EXPECT_EQ(r->balance_after, usd(-500));
  ASSERT_EQ(r->lines.size(), 1u);
  EXPECT_EQ(r->lines[0].kind, DrawLineKind::recovery);
  EXPECT_EQ(r->lines[0].amount, usd(-500));
}

TEST(Draws, EarningsAboveTheDrawWithNothingOwedGiveNoLine) {
  auto r = apply_draw(spec(DrawType::recoverable), {"2024-Q3", usd(4'000)}, usd(0));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->lines.empty());
  EXPECT_EQ(r->paid, usd(4'000));
  EXPECT_EQ(r->balance_after, usd(0));
}

TEST(Draws, NonRecoverableIsAGuaranteedMinimumWithoutBalance) {
  const std::vector<DrawPeriod> periods = {{"2024-Q1", usd(500)}, {"2024-Q2", usd(3'000)}};
  auto r = run_draws(spec(DrawType::non_recoverable), periods);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].paid, usd(1'500));
  EXPECT_EQ((*r)[0].balance_after, usd(0));
  ASSERT_EQ((*r)[0].lines.size(), 1u);
  EXPECT_EQ((*r)[0].lines[0].amount, usd(1'000));
  EXPECT_EQ((*r)[1].paid, usd(3'000));
  EXPECT_TRUE((*r)[1].lines.empty());
}

TEST(Draws, NegativeEarningsFromAClawbackAreToppedUpAndOwed) {
  // Earned −500 (a clawback larger than the period's credit): paid 1 500, owed 2 000.
  auto r = apply_draw(spec(DrawType::recoverable), {"2024-Q2", usd(-500)}, usd(0));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->paid, usd(1'500));
  EXPECT_EQ(r->lines[0].amount, usd(2'000));
  EXPECT_EQ(r->balance_after, usd(-2'000));
  auto n = apply_draw(spec(DrawType::non_recoverable), {"2024-Q2", usd(-500)}, usd(0));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->paid, usd(1'500));
  EXPECT_EQ(n->balance_after, usd(0));
}

TEST(Draws, ProratedDrawIsRoundedOnceByTheRule) {
  // 1 000.00 × 1/3 = 333.333… → 333.33; 0.05 × 1/2 = 0.025 → 0.02 half-even, 0.03 half-up.
  DrawSpec s = spec(DrawType::non_recoverable, 1'000);
  auto r = apply_draw(s, {"2024-03", usd(0), Rate::ratio(1, 3)}, {});
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->draw, Money(33'333, kUsd));
  EXPECT_EQ(r->paid, Money(33'333, kUsd));
  EXPECT_EQ(r->lines[0].reason.find("non_recoverable draw 333.33 USD (prorated 33.33% of 1 000 USD)"), 0u);
  DrawSpec tiny{DrawType::non_recoverable, Money(5, kUsd)};
  tiny.rounding = Rounding::half_even;
  EXPECT_EQ(apply_draw(tiny, {"p", usd(0), Rate::ratio(1, 2)}, {})->draw, Money(2, kUsd));
  tiny.rounding = Rounding::half_up;
  EXPECT_EQ(apply_draw(tiny, {"p", usd(0), Rate::ratio(1, 2)}, {})->draw, Money(3, kUsd));
}

TEST(Draws, AtEndCarriesOrForgivesTheBalance) {
  auto r = apply_draw(spec(DrawType::recoverable), {"2024-Q4", usd(500)}, usd(0));
  ASSERT_TRUE(r.ok());
  std::string note;
  DrawSpec carry = spec(DrawType::recoverable);
  EXPECT_EQ(finish_draws(carry, *r, &note), usd(1'000));
  EXPECT_EQ(note, "carried: the draw balance -1 000 USD stays owed after the assignment ends (2024-Q4)");
  DrawSpec forgive = carry;
  forgive.at_end = DrawAtEnd::forgive;
  EXPECT_EQ(finish_draws(forgive, *r, &note), usd(0));
  EXPECT_EQ(note, "forgiven: the draw balance -1 000 USD is dropped at the end of the assignment (2024-Q4)");
}

TEST(DrawsErrors, AmountMustBePositiveWithACurrency) {
  Status s = validate(spec(DrawType::recoverable, 0));
  EXPECT_EQ(s.code(), ErrorCode::validation_failed);
  EXPECT_EQ(s.location().json_path, "/draw/amount");
  EXPECT_EQ(s.message(), "'0.00 USD': expected a draw amount > 0");
  EXPECT_EQ(validate(spec(DrawType::recoverable, -1)).code(), ErrorCode::validation_failed);
  DrawSpec none{DrawType::recoverable, Money()};
  EXPECT_EQ(validate(none).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(validate(none).location().json_path, "/draw/amount");
  EXPECT_EQ(apply_draw(none, {"p", usd(1)}, {}).status().code(), ErrorCode::invalid_argument);
}

TEST(DrawsErrors, EarningsOrBalanceInAnotherCurrency) {
  auto r = apply_draw(spec(DrawType::recoverable), {"2024-Q1", Money(100, Currency::of("EUR"))}, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::currency_mismatch);
  EXPECT_EQ(r.status().message(), "period 2024-Q1: earnings in 'EUR': expected USD (the draw's currency)");
  auto b = apply_draw(spec(DrawType::recoverable), {"2024-Q1", usd(1)}, Money(100, Currency::of("EUR")));
  EXPECT_EQ(b.status().code(), ErrorCode::currency_mismatch);
}

TEST(DrawsErrors, NegativeOwedAndBadProrationAreRefused) {
  auto o = apply_draw(spec(DrawType::recoverable), {"2024-Q1", usd(1)}, usd(-1));
  EXPECT_EQ(o.status().code(), ErrorCode::invalid_argument);
  for (const Rate p : {Rate::ratio(0, 1), Rate::ratio(3, 2), Rate::ratio(1, 0), Rate::ratio(-1, 2)}) {
    auto r = apply_draw(spec(DrawType::recoverable), {"2024-Q1", usd(1), p}, {});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::invalid_argument);
  }
  EXPECT_EQ(apply_draw(spec(DrawType::recoverable), {"Q", usd(1), Rate::ratio(3, 2)}, {}).status().message(),
            "period Q: proration 3/2: expected a fraction in (0, 1]");
}

TEST(DrawsErrors, OverflowIsAnErrorValue) {
  const std::int64_t big = std::numeric_limits<std::int64_t>::max() - 10;
  auto r = apply_draw(spec(DrawType::recoverable), {"Q", Money(-big, kUsd)}, Money(big, kUsd));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::overflow);
}

TEST(DrawsErrors, RunStopsAtTheFirstBadPeriodWithItsName) {
  const std::vector<DrawPeriod> periods = {{"2024-Q1", usd(1)}, {"2024-Q2", Money(1, Currency::of("RUB"))}};
  auto r = run_draws(spec(DrawType::recoverable), periods);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("period 2024-Q2"), std::string::npos);
}

}  // namespace
}  // namespace dealflow::compensation
