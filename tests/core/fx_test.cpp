// Exchange rates: exact decimal rates, the as-of lookup with exact inverses,
// one half-to-even rounding per conversion, and the round-trip bound.
#include "dealflow/core/fx.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <random>

namespace dealflow {
namespace {

const Currency kUsd = Currency::of("USD"), kMxn = Currency::of("MXN"), kCop = Currency::of("COP"),
               kPen = Currency::of("PEN"), kJpy = Currency::of("JPY"), kKwd = Currency::of("KWD"),
               kEur = Currency::of("EUR");

Date day(const char* text) {
  return *Date::parse(text);
}
FxRatio rate(const char* text) {
  return *parse_fx_rate(text);
}

TEST(FxRate, ParsesDecimalsExactlyInLowestTerms) {
  EXPECT_EQ(rate("17.0512"), (FxRatio{10657, 625}));  // 170512/10000, gcd 16
  EXPECT_EQ(rate("0.5"), (FxRatio{1, 2}));
  EXPECT_EQ(rate("1"), (FxRatio{1, 1}));
  EXPECT_EQ(rate("0.000256"), (FxRatio{4, 15625}));  // 256/1000000, gcd 64
  EXPECT_EQ(rate("3.70"), (FxRatio{37, 10}));
  EXPECT_EQ(rate("123456789012345678"), (FxRatio{123456789012345678, 1}));
  EXPECT_EQ(rate("0.000000000000000001"), (FxRatio{1, 1000000000000000000}));
}

TEST(FxRate, RejectsWhatIsNotAPlainPositiveDecimal) {
  for (const char* bad : {"", "0", "0.000", "-1", "+1", "1e3", "1,5", ".5", "5.", "1.2.3", " 1", "1 ", "abc",
                          "1234567890123456789", "0.0000000000000000001"}) {
    auto r = parse_fx_rate(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::parse_error) << bad;
    EXPECT_NE(r.status().message().find("'" + std::string(bad) + "'"), std::string::npos)
        << r.status().message();
  }
}

TEST(FxConvert, MultipliesExactlyWithBothMinorDigits) {
  // 1000.00 USD x 17.0512 = 17051.20 MXN; back with the exact inverse 625/10657.
  EXPECT_EQ(convert_exact(Money(100000, kUsd), rate("17.0512"), kMxn)->to_string(), "17051.20 MXN");
  EXPECT_EQ(convert_exact(Money(1705120, kMxn), rate("17.0512").inverse(), kUsd)->to_string(), "1000.00 USD");
  // 1 000 000.00 COP x 0.000256 = 256.00 USD.
  EXPECT_EQ(convert_exact(Money(100000000, kCop), rate("0.000256"), kUsd)->to_string(), "256.00 USD");
  // 100 JPY (no minor digits) x 0.0067 = 0.67 USD.
  EXPECT_EQ(convert_exact(Money(100, kJpy), rate("0.0067"), kUsd)->to_string(), "0.67 USD");
  // 1.00 USD x 0.3075 = 0.3075 KWD = 307.5 fils -> 308 (half to even).
  EXPECT_EQ(convert_exact(Money(100, kUsd), rate("0.3075"), kKwd)->minor_units(), 308);
}

TEST(FxConvert, RoundsOnceHalfToEven) {
  const FxRatio half = rate("0.5");
  EXPECT_EQ(convert_exact(Money(5, kUsd), half, kEur)->minor_units(), 2);    // 2.5 -> 2
  EXPECT_EQ(convert_exact(Money(7, kUsd), half, kEur)->minor_units(), 4);    // 3.5 -> 4
  EXPECT_EQ(convert_exact(Money(15, kUsd), half, kEur)->minor_units(), 8);   // 7.5 -> 8
  EXPECT_EQ(convert_exact(Money(-5, kUsd), half, kEur)->minor_units(), -2);  // -2.5 -> -2
  EXPECT_EQ(convert_exact(Money(-7, kUsd), half, kEur)->minor_units(), -4);  // -3.5 -> -4
  // 0.01 USD x 0.26 = 0.26 cent -> 0; x 0.51 -> 1.
  EXPECT_EQ(convert_exact(Money(1, kUsd), rate("0.26"), kEur)->minor_units(), 0);
  EXPECT_EQ(convert_exact(Money(1, kUsd), rate("0.51"), kEur)->minor_units(), 1);
  // 10.00 MXN / 3 (inverse of 3): 333.33... cents -> 333, never a rounded 0.3333 first.
  EXPECT_EQ(convert_exact(Money(1000, kMxn), rate("3").inverse(), kUsd)->minor_units(), 333);
}

TEST(FxConvert, OverflowIsAnError) {
  auto r = convert_exact(Money(std::numeric_limits<std::int64_t>::max(), kUsd), rate("2"), kMxn);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::overflow);
  // The intermediate product is far beyond int64 but the result fits.
  EXPECT_EQ(convert_exact(Money(std::numeric_limits<std::int64_t>::max(), kUsd),
                          rate("0.5").inverse().inverse(), kMxn)
                ->minor_units(),
            std::numeric_limits<std::int64_t>::max() / 2 + 1);  // ...807 / 2 = ...403.5 -> ...404 (even)
}

class FxTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(t.add(day("2024-03-01"), kUsd, kMxn, rate("17.0512")).ok());
    ASSERT_TRUE(t.add(day("2024-03-04"), kUsd, kMxn, rate("17.1")).ok());
    ASSERT_TRUE(t.add(day("2024-03-02"), kPen, kUsd, rate("0.27")).ok());
  }
  FxTable t;
};

TEST_F(FxTableTest, UsesTheLatestRateOnOrBeforeTheDate) {
  EXPECT_EQ(t.size(), 3u);
  auto q = t.quote(kUsd, kMxn, day("2024-03-03"));
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->rate, rate("17.0512"));
  EXPECT_EQ(q->date, day("2024-03-01"));
  EXPECT_FALSE(q->inverted);
  EXPECT_EQ(t.quote(kUsd, kMxn, day("2024-03-04"))->rate, rate("17.1"));
  EXPECT_EQ(t.quote(kUsd, kMxn, day("2025-01-01"))->rate, rate("17.1"));
}

TEST_F(FxTableTest, UsesTheOppositePairAsAnExactInverse) {
  auto q = t.quote(kMxn, kUsd, day("2024-03-02"));
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->inverted);
  EXPECT_EQ(q->rate, (FxRatio{625, 10657}));
  EXPECT_EQ(t.convert(Money(1705120, kMxn), kUsd, day("2024-03-02"))->to_string(), "1000.00 USD");
  // USD -> PEN from PEN -> USD 0.27: 100.00 USD = 10000 / 0.27 = 37037.037... -> 370.37 PEN.
  EXPECT_EQ(t.convert(Money(10000, kUsd), kPen, day("2024-03-02"))->to_string(), "370.37 PEN");
}

TEST_F(FxTableTest, TheLaterDatedPairWinsAndTheDirectOneOnATie) {
  ASSERT_TRUE(t.add(day("2024-03-05"), kMxn, kUsd, rate("0.0585")).ok());
  // On 03-06 the MXN->USD rate of 03-05 is newer than USD->MXN of 03-04: 1/0.0585 = 2000/117.
  auto q = t.quote(kUsd, kMxn, day("2024-03-06"));
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->inverted);
  EXPECT_EQ(q->rate, (FxRatio{2000, 117}));
  ASSERT_TRUE(t.add(day("2024-03-05"), kUsd, kMxn, rate("17.2")).ok());
  q = t.quote(kUsd, kMxn, day("2024-03-06"));
  EXPECT_FALSE(q->inverted);
  EXPECT_EQ(q->rate, rate("17.2"));
}

TEST_F(FxTableTest, SameCurrencyIsTheIdentity) {
  auto q = t.quote(kCop, kCop, day("1999-01-01"));
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->identity);
  EXPECT_EQ(t.convert(Money(123, kCop), kCop, day("1999-01-01"))->minor_units(), 123);
}

TEST_F(FxTableTest, AMissingRateNamesThePairAndTheDate) {
  auto early = t.quote(kUsd, kMxn, day("2024-02-29"));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().code(), ErrorCode::not_found);
  EXPECT_EQ(early.status().message(),
            "no exchange rate USD->MXN dated on or before 2024-02-29; the rates start on 2024-03-01");
  auto none = t.convert(Money(100, kCop), kUsd, day("2024-03-10"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().message(),
            "no exchange rate COP->USD dated on or before 2024-03-10; the rates have no COP->USD or USD->COP "
            "pair");
}

TEST_F(FxTableTest, AddRefusesDuplicatesAndSelfPairsAndLeavesTheTableUnchanged) {
  auto dup = t.add(day("2024-03-01"), kUsd, kMxn, rate("18"));
  EXPECT_EQ(dup.code(), ErrorCode::duplicate);
  EXPECT_NE(dup.message().find("USD->MXN rate dated 2024-03-01"), std::string::npos) << dup.message();
  EXPECT_EQ(t.add(day("2024-03-01"), kUsd, kUsd, rate("1")).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(t.add(day("2024-03-01"), Currency(), kUsd, rate("1")).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t.quote(kUsd, kMxn, day("2024-03-01"))->rate, rate("17.0512"));
}

TEST(FxPolicy, NamesRoundTrip) {
  for (FxPolicy p : {FxPolicy::rate_at_close, FxPolicy::rate_at_created, FxPolicy::rate_at_report}) {
    EXPECT_EQ(parse_fx_policy(to_string(p)), p);
  }
  EXPECT_EQ(parse_fx_policy("rate_at_created"), FxPolicy::rate_at_created);
  EXPECT_FALSE(parse_fx_policy("rate-at-open"));
  EXPECT_FALSE(parse_fx_policy(""));
  const FxConversion fx{nullptr, kUsd, FxPolicy::rate_at_close};
  EXPECT_NE(fx.describe().find("rounded once to the minor unit half to even"), std::string::npos);
}

// Converting with r then with 1/r: |back - a| <= 1/2 + 1/(2 r') minor units,
// r' the rate in minor units; within one minor unit whenever r' >= 1.
TEST(FxProperty, RoundTripStaysWithinTheRoundingBound) {
  std::mt19937_64 rng(20240305);
  std::uniform_int_distribution<std::int64_t> amount(-10'000'000'000, 10'000'000'000);  // x rate < 1e8 fits
  std::uniform_int_distribution<std::int64_t> digits(1, 99'999'999);
  std::uniform_int_distribution<int> scale(0, 8);
  int with_large_rate = 0;
  for (int i = 0; i < 20000; ++i) {
    std::int64_t den = 1;
    for (int k = scale(rng); k > 0; --k) den *= 10;
    const std::string text = [&] {
      const std::int64_t n = digits(rng);
      std::string s = std::to_string(n);
      const std::size_t frac = std::to_string(den).size() - 1;
      if (frac == 0) return s;
      if (s.size() <= frac) s.insert(0, frac - s.size() + 1, '0');
      s.insert(s.size() - frac, ".");
      return s;
    }();
    const FxRatio r = rate(text.c_str());
    const Money a(amount(rng), kUsd);
    auto there = convert_exact(a, r, kMxn);
    ASSERT_TRUE(there.ok()) << text;
    auto back = convert_exact(*there, r.inverse(), kUsd);
    ASSERT_TRUE(back.ok()) << text;
    const std::int64_t diff = std::llabs(back->minor_units() - a.minor_units());
    // 2 |diff| num <= num + den (|diff| <= 1e10, num and den <= 1e8: fits int64).
    EXPECT_LE(2 * diff * r.numerator, r.numerator + r.denominator)
        << a.to_string() << " at " << text << " came back as " << back->to_string();
    if (r.numerator >= r.denominator) {
      ++with_large_rate;
      EXPECT_LE(diff, 1) << a.to_string() << " at " << text;
    }
  }
  EXPECT_GT(with_large_rate, 1000);
}

}  // namespace
}  // namespace dealflow
