// Every documented error of validate() / compute_period() (dealflow/compensation/rates.h),
// located at the spec field's JSON path and naming the value.
#include <gtest/gtest.h>

#include "common_fixture.h"
#include "dealflow/compensation/rates.h"

namespace dealflow::compensation {
namespace {

using common_fixture::kUsd;
using common_fixture::usd;

RateSpec tiers() {
  RateSpec s;
  s.currency = kUsd;
  s.kind = StructureKind::retroactive;
  s.tiers = {{0, Rate::bp(100)}, {1'000'000, Rate::bp(200)}, {5'000'000, Rate::bp(300)}};
  return s;
}

void expect_error(const RateSpec& s, ErrorCode code, const std::string& path, const std::string& text) {
  const Status st = validate(s);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), code) << st.to_string();
  EXPECT_EQ(st.location().json_path, path) << st.to_string();
  EXPECT_NE(st.message().find(text), std::string::npos) << st.to_string();
  const std::vector<Credit> none;
  EXPECT_FALSE(compute_period(s, none).ok());
}

TEST(RatesValidation, TheSampleSpecIsValid) {
  EXPECT_TRUE(validate(tiers()).ok());
}

TEST(RatesValidation, OverlappingTiers) {
  RateSpec s = tiers();
  s.tiers[2].from = 1'000'000;
  expect_error(s, ErrorCode::validation_failed, "/tiers/2/from",
               "tiers 2 and 3 overlap: both start at 1000000");
}

TEST(RatesValidation, UnsortedBounds) {
  RateSpec s = tiers();
  s.tiers[2].from = 500'000;
  expect_error(s, ErrorCode::validation_failed, "/tiers/2/from", "not sorted: 500000 after 1000000");
}

TEST(RatesValidation, FirstTierNotAtZero) {
  RateSpec s = tiers();
  s.tiers[0].from = 5;
  expect_error(s, ErrorCode::validation_failed, "/tiers/0/from", "starts at 5; expected 0");
}

TEST(RatesValidation, TierInAnotherCurrency) {
  RateSpec s = tiers();
  s.tiers[1].currency = Currency::of("EUR");
  expect_error(s, ErrorCode::currency_mismatch, "/tiers/1/currency",
               "tier 2 is in EUR; expected the plan's currency USD");
}

TEST(RatesValidation, NegativeRate) {
  RateSpec s = tiers();
  s.tiers[1].rate = Rate::bp(-50);
  expect_error(s, ErrorCode::validation_failed, "/tiers/1/rate", "tier 2 rate -0.50% is negative");
}

TEST(RatesValidation, ZeroDenominator) {
  RateSpec s = tiers();
  s.tiers[0].rate = Rate::ratio(1, 0);
  expect_error(s, ErrorCode::invalid_argument, "/tiers/0/rate", "denominator <= 0");
}

TEST(RatesValidation, CapBelowAThreshold) {
  // Retroactive: reaching 50 000 already pays 3% × 50 000 = 1 500 > the 1 000 cap.
  RateSpec s = tiers();
  s.cap_per_period = usd(1'000);
  expect_error(s, ErrorCode::validation_failed, "/cap_per_period",
               "cap_per_period 1 000 USD is below the 1 500 USD already due at tier 3 (50 000 USD)");
  s.cap_per_period = usd(1'500);
  EXPECT_TRUE(validate(s).ok());
}

TEST(RatesValidation, CapInAnotherCurrencyOrNotPositive) {
  RateSpec s = tiers();
  s.cap_per_deal = Money(100, Currency::of("RUB"));
  expect_error(s, ErrorCode::currency_mismatch, "/cap_per_deal", "1.00 RUB is in another currency");
  s.cap_per_deal = usd(0);
  expect_error(s, ErrorCode::validation_failed, "/cap_per_deal", "is not positive");
}

TEST(RatesValidation, AttainmentNeedsAQuota) {
  RateSpec s = tiers();
  s.basis = TierBasis::attainment;
  expect_error(s, ErrorCode::validation_failed, "/quota", "need a quota");
  s.quota = usd(0);
  expect_error(s, ErrorCode::validation_failed, "/quota", "is not positive");
}

TEST(RatesValidation, OverlappingModifiers) {
  RateSpec s = tiers();
  s.quota = usd(100'000);
  s.modifiers = {{10000, std::nullopt, Rate::ratio(3, 2), std::nullopt},
                 {0, 12000, Rate::ratio(1, 2), std::nullopt}};
  expect_error(s, ErrorCode::validation_failed, "/modifiers/0", "modifier bands 1 and 0 overlap");
}

TEST(RatesValidation, FlatTakesOneTierAndNoCurrencyIsAnError) {
  RateSpec s = tiers();
  s.kind = StructureKind::flat;
  expect_error(s, ErrorCode::validation_failed, "/tiers", "3 tiers in a flat structure");
  RateSpec t = tiers();
  t.currency = Currency();
  expect_error(t, ErrorCode::validation_failed, "/currency", "no currency");
}

TEST(RatesValidation, CreditsInAnotherCurrencyOrNegative) {
  const std::vector<Credit> other = {{"A", usd(1)}, {"B", Money(100, Currency::of("EUR"))}};
  auto a = compute_period(tiers(), other);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), ErrorCode::currency_mismatch);
  EXPECT_EQ(a.status().location().json_path, "/credits/1/measure");
  EXPECT_NE(a.status().message().find("deal 'B': measure 1.00 EUR"), std::string::npos);
  const std::vector<Credit> negative = {{"A", usd(-1)}};
  auto b = compute_period(tiers(), negative);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().location().json_path, "/credits/0/measure");
  EXPECT_NE(b.status().message().find("is negative"), std::string::npos);
}

TEST(RatesValidation, ArithmeticOverflowIsAnErrorNotAWrap) {
  RateSpec s;
  s.currency = kUsd;
  s.kind = StructureKind::flat;
  s.tiers = {{0, Rate::ratio(999'999'999'999'999, 999'999'999)}};
  s.quota = usd(1);
  s.modifiers = {{0, std::nullopt, Rate::ratio(999'999'999'999'999, 999'999'999), std::nullopt}};
  ASSERT_TRUE(validate(s).ok());
  const std::vector<Credit> huge = {{"A", usd(90'000'000'000)}};
  auto st = compute_period(s, huge);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), ErrorCode::overflow);
  EXPECT_EQ(st.status().location().json_path, "/credits/0/measure");
}

}  // namespace
}  // namespace dealflow::compensation
