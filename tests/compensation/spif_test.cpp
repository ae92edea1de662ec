// Hand-computed SPIFs (dealflow/compensation/spif.h): the design's 60/40 split
// example, the date range, products, the minimum amount, per-line rounding,
// every documented error, and the total = Σ lines property.
#include "dealflow/compensation/spif.h"

#include <gtest/gtest.h>

#include <random>

#include "common_fixture.h"

namespace dealflow::compensation {
namespace {

using common_fixture::kRub;
using common_fixture::rub_units;
Date day(const char* text) {
  return *Date::parse(text);
}

SpifSpec training() {
  SpifSpec s;
  s.id = "training-q3";
  s.amount = rub_units(10'000);
  s.from = day("2024-07-01");
  s.to = day("2024-09-30");
  s.min_amount = rub_units(100'000);
  s.products = {"Обучение"};
  return s;
}

TEST(Spif, SplitDealPaysEachShareOfTheBonus) {
  const std::vector<SpifDeal> deals = {
      {"1042", "m-ivanova", day("2024-08-05"), rub_units(2'000'000), "Обучение", Rate::ratio(3, 5)},
      {"1042", "m-smirnova", day("2024-08-05"), rub_units(2'000'000), "Обучение", Rate::ratio(2, 5)}};
  auto st = compute_spif(training(), deals);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  ASSERT_EQ(st->lines.size(), 2u);
  EXPECT_EQ(st->lines[0].amount, rub_units(6'000));
  EXPECT_EQ(st->lines[0].participant, "m-ivanova");
  EXPECT_EQ(st->lines[0].reason,
            "SPIF training-q3: 10 000 RUB per deal × share 60%, deal 1042 won 2024-08-05 "
            "(2024-07-01 .. 2024-09-30), product Обучение");
  EXPECT_EQ(st->lines[1].amount, rub_units(4'000));
  EXPECT_EQ(st->total, rub_units(10'000));
  EXPECT_TRUE(st->skipped.empty());
}

TEST(Spif, OnlyQualifyingDealsPayAndTheOthersAreListed) {
  const std::vector<SpifDeal> deals = {
      {"1", "m-a", day("2024-06-30"), rub_units(500'000), "Обучение"},  // a day early
      {"2", "m-a", day("2024-07-01"), rub_units(500'000), "Обучение"},  // first day: pays
      {"3", "m-a", day("2024-09-30"), rub_units(100'000), "Обучение"},  // last day, exactly the minimum: pays
      {"4", "m-a", day("2024-10-01"), rub_units(500'000), "Обучение"},  // a day late
      {"5", "m-a", day("2024-08-01"), rub_units(500'000), "Лицензия"},  // another product
      {"6", "m-a", day("2024-08-01"), Money(9'999'999, kRub), "Обучение"}};  // 0.01 below the minimum
  auto st = compute_spif(training(), deals);
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(st->lines.size(), 2u);
  EXPECT_EQ(st->lines[0].deal, "2");
  EXPECT_EQ(st->lines[1].deal, "3");
  EXPECT_EQ(st->total, rub_units(20'000));
  const std::vector<std::string> skipped = {
      "deal 1: won 2024-06-30, before the SPIF's 2024-07-01",
      "deal 4: won 2024-10-01, after the SPIF's 2024-09-30",
      "deal 5: product 'Лицензия' is not among the SPIF's products",
      "deal 6: amount 99 999.99 RUB below the SPIF's minimum 100 000 RUB"};
  EXPECT_EQ(st->skipped, skipped);
}

TEST(Spif, OpenRangeAndAnyProduct) {
  SpifSpec s;
  s.id = "any";
  s.amount = rub_units(500);
  const std::vector<SpifDeal> deals = {{"9", "m-a", day("2019-01-01"), rub_units(1), ""}};
  auto st = compute_spif(s, deals);
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(st->lines.size(), 1u);
  EXPECT_EQ(st->lines[0].reason, "SPIF any: 500 RUB per deal, deal 9 won 2019-01-01");
}

TEST(Spif, PerLineRoundingDiffersFromRoundingTheTotal) {
  // 100.00 split in thirds: each line 33.333… → 33.33, total 99.99 (rounding 100.00 would give 100.00).
  SpifSpec s;
  s.id = "thirds";
  s.amount = rub_units(100);
  std::vector<SpifDeal> deals;
  for (const char* who : {"m-a", "m-b", "m-c"})
    deals.push_back({"7", who, day("2024-01-10"), rub_units(1), "", Rate::ratio(1, 3)});
  auto st = compute_spif(s, deals);
  ASSERT_TRUE(st.ok());
  for (const SpifLine& l : st->lines) EXPECT_EQ(l.amount, Money(3'333, kRub));
  EXPECT_EQ(st->total, Money(9'999, kRub));
  // 0.05 × 1/2 = 0.025: half-even 0.02, half-up 0.03.
  s.amount = Money(5, kRub);
  deals = {{"8", "m-a", day("2024-01-10"), rub_units(1), "", Rate::ratio(1, 2)}};
  s.rounding = Rounding::half_even;
  EXPECT_EQ(compute_spif(s, deals)->total, Money(2, kRub));
  s.rounding = Rounding::half_up;
  EXPECT_EQ(compute_spif(s, deals)->total, Money(3, kRub));
}

TEST(SpifErrors, EachDocumentedErrorIsLocated) {
  SpifSpec s = training();
  s.amount = rub_units(0);
  EXPECT_EQ(validate(s).location().json_path, "/spif/amount");
  EXPECT_EQ(validate(s).message(), "SPIF 'training-q3': '0.00 RUB': expected an amount > 0");
  s = training();
  s.amount = Money();
  EXPECT_EQ(validate(s).code(), ErrorCode::invalid_argument);
  s = training();
  s.min_amount = Money(100, Currency::of("USD"));
  EXPECT_EQ(validate(s).code(), ErrorCode::currency_mismatch);
  EXPECT_EQ(validate(s).location().json_path, "/spif/min_amount");
  s = training();
  s.to = day("2024-06-30");
  EXPECT_EQ(validate(s).location().json_path, "/spif/to");
  EXPECT_EQ(validate(s).message(),
            "SPIF 'training-q3': '2024-06-30': before from 2024-07-01: expected to >= from");
  EXPECT_EQ(compute_spif(s, {}).status().code(), ErrorCode::validation_failed);
}

TEST(SpifErrors, ABadDealIsNamed) {
  const std::vector<SpifDeal> eur = {{"3", "m-a", day("2024-08-01"), Money(1, Currency::of("EUR")), ""}};
  auto a = compute_spif(training(), eur);
  EXPECT_EQ(a.status().code(), ErrorCode::currency_mismatch);
  EXPECT_EQ(a.status().message(), "SPIF 'training-q3': deal 3: amount 0.01 EUR: expected RUB");
  const std::vector<SpifDeal> share = {{"4", "m-a", day("2024-08-01"), rub_units(1), "", Rate::ratio(0, 1)}};
  auto b = compute_spif(training(), share);
  EXPECT_EQ(b.status().code(), ErrorCode::invalid_argument);
  EXPECT_EQ(b.status().message(), "SPIF 'training-q3': deal 4 (m-a): share 0/1: expected a share in (0, 1]");
}

TEST(SpifProperty, TotalIsTheSumOfLinesAndEachLineIsAtMostTheBonus) {
  std::mt19937_64 rng(7);
  for (int run = 0; run < 200; ++run) {
    SpifSpec s = training();
    s.amount = Money(std::uniform_int_distribution<std::int64_t>(1, 10'000'000)(rng), kRub);
    s.rounding = run % 2 ? Rounding::half_up : Rounding::half_even;
    std::vector<SpifDeal> deals;
    const int n = std::uniform_int_distribution<int>(0, 40)(rng);
    for (int i = 0; i < n; ++i) {
      const std::int64_t den = std::uniform_int_distribution<std::int64_t>(1, 7)(rng);
      deals.push_back({std::to_string(i), "m", day("2024-06-15") + static_cast<int>(rng() % 120),
                       Money(std::uniform_int_distribution<std::int64_t>(0, 50'000'000)(rng), kRub),
                       rng() % 3 ? "Обучение" : "Лицензия",
                       Rate::ratio(std::uniform_int_distribution<std::int64_t>(1, den)(rng), den)});
    }
    auto st = compute_spif(s, deals);
    ASSERT_TRUE(st.ok()) << st.status().to_string();
    std::int64_t sum = 0;
    for (const SpifLine& l : st->lines) {
      sum += l.amount.minor_units();
      EXPECT_GE(l.amount.minor_units(), 0);
      EXPECT_LE(l.amount.minor_units(), s.amount.minor_units());
    }
    EXPECT_EQ(st->total.minor_units(), sum);
    EXPECT_EQ(st->lines.size() + st->skipped.size(), deals.size());
  }
}

}  // namespace
}  // namespace dealflow::compensation
