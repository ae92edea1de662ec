// Money: exact decimal parsing, single-currency arithmetic, formatting.
#include "dealflow/core/money.h"

#include <gtest/gtest.h>

namespace dealflow {
namespace {

const Currency kRub = Currency::of("RUB");

TEST(MoneyParse, AcceptsCommonDecimalForms) {
  EXPECT_EQ(Money::parse("1234.56", kRub)->minor_units(), 123456);
  EXPECT_EQ(Money::parse("1234,56", kRub)->minor_units(), 123456);
  EXPECT_EQ(Money::parse("1 234,56", kRub)->minor_units(), 123456);
  EXPECT_EQ(Money::parse("1,234.56", kRub)->minor_units(), 123456);
  EXPECT_EQ(Money::parse("1.234,56", kRub)->minor_units(), 123456);
  EXPECT_EQ(Money::parse("1\xC2\xA0" "234,5", kRub)->minor_units(), 123450);
  EXPECT_EQ(Money::parse("1,234,567", kRub)->minor_units(), 123456700);
  EXPECT_EQ(Money::parse("-12", kRub)->minor_units(), -1200);
  EXPECT_EQ(Money::parse("+7.5", kRub)->minor_units(), 750);
  EXPECT_EQ(Money::parse("0.01", kRub)->minor_units(), 1);
}

TEST(MoneyParse, UsesTheCurrencyMinorDigits) {
  EXPECT_EQ(Money::parse("1500", Currency::of("JPY"))->minor_units(), 1500);
  EXPECT_EQ(Money::parse("1.250", Currency::of("KWD"))->minor_units(), 1250);
  EXPECT_FALSE(Money::parse("1.5", Currency::of("JPY")).ok());
}

TEST(MoneyParse, RejectsWhatIsNotAnExactAmount) {
  for (const char* bad : {"", "-", "abc", "1.234", "12.3.4", "1..2", "1 ,5", " ,5", "1e5", "0x10",
                          "12.", "99999999999999999999", "1 23a", "1 23", "12 3456,00"}) {
    auto m = Money::parse(bad, kRub);
    EXPECT_FALSE(m.ok()) << bad;
    if (!m.ok()) {
      EXPECT_EQ(m.status().code(), ErrorCode::parse_error);
    }
  }
  EXPECT_NE(Money::parse("1.234", kRub).status().message().find("more fraction digits than RUB"), std::string::npos);
}

TEST(MoneyParse, WithCode) {
  auto m = Money::parse_with_code("1234.56 RUB");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->minor_units(), 123456);
  EXPECT_EQ(m->currency(), kRub);
  EXPECT_EQ(Money::parse_with_code("USD 10")->minor_units(), 1000);
  EXPECT_FALSE(Money::parse_with_code("10").ok());
}

TEST(MoneyArithmetic, SameCurrencyAddsExactly) {
  Money a(123456, kRub);
  Money b(44, kRub);
  EXPECT_EQ((a + b).minor_units(), 123500);
  EXPECT_EQ((a - b).minor_units(), 123412);
  EXPECT_EQ((-b).minor_units(), -44);
  EXPECT_TRUE(b < a);
  EXPECT_EQ(a.try_multiply(3)->minor_units(), 370368);
}

TEST(MoneyArithmetic, MixingCurrenciesIsAnError) {
  Money rub(100, kRub);
  Money usd(100, Currency::of("USD"));
  EXPECT_EQ(rub.try_add(usd).status().code(), ErrorCode::currency_mismatch);
  EXPECT_EQ(rub.try_subtract(usd).status().code(), ErrorCode::currency_mismatch);
  EXPECT_EQ(rub.try_compare(usd).status().code(), ErrorCode::currency_mismatch);
  EXPECT_THROW((void)(rub + usd), std::invalid_argument);
  EXPECT_FALSE(rub == usd);
}

TEST(MoneyArithmetic, OverflowIsDetected) {
  Money big(INT64_MAX, kRub);
  EXPECT_EQ(big.try_add(Money(1, kRub)).status().code(), ErrorCode::overflow);
  EXPECT_EQ(Money(INT64_MIN, kRub).try_subtract(Money(1, kRub)).status().code(), ErrorCode::overflow);
  EXPECT_EQ(big.try_multiply(2).status().code(), ErrorCode::overflow);
}

TEST(MoneyFormat, PrintsMinorUnitsExactly) {
  EXPECT_EQ(Money(123456, kRub).to_string(), "1234.56 RUB");
  EXPECT_EQ(Money(-5, Currency::of("USD")).to_string(), "-0.05 USD");
  EXPECT_EQ(Money(100, Currency::of("JPY")).to_string(), "100 JPY");
  EXPECT_EQ(Money(123456789, kRub).format_amount(" ", ','), "1 234 567,89");
  EXPECT_EQ(Money(INT64_MIN, kRub).format_amount(), "-92233720368547758.08");
}

TEST(MoneyFormat, RoundTripsThroughParse) {
  for (std::int64_t v : {0LL, 1LL, -1LL, 99LL, 100LL, 123456789LL, -987654321LL}) {
    Money m(v, kRub);
    EXPECT_EQ(Money::parse(m.format_amount(), kRub)->minor_units(), v);
    EXPECT_EQ(Money::parse(m.format_amount("\xC2\xA0", ','), kRub)->minor_units(), v);
  }
}

TEST(Currency, ValidatesCodes) {
  EXPECT_EQ(Currency::parse("rub")->code(), "RUB");
  EXPECT_FALSE(Currency::parse("RU").ok());
  EXPECT_FALSE(Currency::parse("R1B").ok());
  EXPECT_EQ(Currency::of("JPY").minor_digits(), 0);
  EXPECT_EQ(Currency::of("EUR").minor_digits(), 2);
}

}  // namespace
}  // namespace dealflow
