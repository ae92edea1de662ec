// The reverse funnel on a hand-computed history: conversions, Wilson bounds,
// the average won amount, the by-dates, scopes, "cannot" and every error.
#include <gtest/gtest.h>

#include <cmath>

#include "analytics/durations_fixture.h"
#include "dealflow/planning/reverse_funnel.h"

namespace dealflow::planning {
namespace {

using analytics::testing::day;
using analytics::testing::LogBuilder;
using analytics::testing::small_pipeline;

// Reference 2024-01 (day 0 = 2024-01-01), report instant day 50, target period 2024-03.
//   d1 A@0 B@2 C@4 WON@10 (100 RUB)   d2 A@1 B@3 WON@9 (300 RUB, skips C)
//   d3 A@2 B@5 LOST@6                 d4 A@3 LOST@4
//   d5 A@5 (open)                     d6 A@6 B@7 C@8 (open)
//   d7 created in December, A@-10 WON@20 (200 RUB): won in January, not in the cohort
// High-water reached: A 6, B 4 (d1 d2 d3 d6), C 3 (d1, d2 as won, d6); won 2.
// Average won amount in January: (100 + 300 + 200) / 3 = 200 RUB.
class ReverseFunnelHand : public ::testing::Test {
 protected:
  void SetUp() override {
    const DealId d1 = b_.deal("d1", 0, "Иванов", 100), d2 = b_.deal("d2", 1, "Иванов", 300),
                 d3 = b_.deal("d3", 2, "Иванов", 50), d4 = b_.deal("d4", 3, "Петров", 70),
                 d5 = b_.deal("d5", 5, "Петров", 80), d6 = b_.deal("d6", 6, "Петров", 90),
                 d7 = b_.deal("d7", -10, "Иванов", 200);
    b_.event(d1, 0, "A").event(d1, 2, "B").event(d1, 4, "C").event(d1, 10, "WON");
    b_.event(d2, 1, "A").event(d2, 3, "B").event(d2, 9, "WON");
    b_.event(d3, 2, "A").event(d3, 5, "B").event(d3, 6, "LOST");
    b_.event(d4, 3, "A").event(d4, 4, "LOST");
    b_.event(d5, 5, "A");
    b_.event(d6, 6, "A").event(d6, 7, "B").event(d6, 8, "C");
    b_.event(d7, -10, "A").event(d7, 20, "WON");
  }
  ReverseFunnelQuery query() const {
    ReverseFunnelQuery q;
    q.period = *parse_period("2024-03");
    q.reference = *parse_period("2024-01");
    q.target_amount = Money(1000 * 100, Currency::of("RUB"));
    q.as_of = day(50);
    return q;
  }
  LogBuilder b_;
};

TEST_F(ReverseFunnelHand, EntriesRangesAndDates) {
  auto r = compute_reverse_funnel(b_.log(), small_pipeline(), query());
  ASSERT_TRUE(r) << r.status().to_string();
  ASSERT_EQ(r->scopes.size(), 1u);
  const ReverseFunnelScope& s = r->scopes[0];
  EXPECT_FALSE(s.cannot);
  EXPECT_EQ(s.reference_deals, 6u);
  EXPECT_EQ(s.reference_won, 2u);
  EXPECT_EQ(s.won_in_reference, 3u);
  EXPECT_EQ(s.average_won, Money(200 * 100, Currency::of("RUB")));
  EXPECT_EQ(s.won_needed, 5u);  // ceil(1000 / 200)
  ASSERT_EQ(s.stages.size(), 3u);
  // A: 2/6, needed ceil(5 * 6 / 2) = 15. Wilson(2, 6) = [0.0968, 0.7000]:
  // ceil(5 / 0.7000) = ceil(7.14) = 8, ceil(5 / 0.0968) = ceil(51.7) = 52.
  EXPECT_EQ(s.stages[0].reached, 6u);
  EXPECT_EQ(s.stages[0].needed, 15u);
  EXPECT_EQ(s.stages[0].needed_low, 8u);
  EXPECT_EQ(s.stages[0].needed_high, 52u);
  const auto wilson = analytics::wilson_interval(2, 6);
  EXPECT_NEAR(s.stages[0].conversion.interval->low, wilson->low, 1e-15);
  EXPECT_NEAR(wilson->low, 0.0968, 5e-5);
  EXPECT_NEAR(wilson->high, 0.7000, 5e-5);
  // B: 2/4 -> 10; C: 2/3 -> ceil(15 / 2) = 8.
  EXPECT_EQ(s.stages[1].needed, 10u);
  EXPECT_EQ(s.stages[2].needed, 8u);
  // Timing from A: lost at 1 and 4 days, won at 8 and 10, censored at 44, 45.
  //   S: 5/6 after 1, 4/6 after 4; CIF_won(8) = 4/6 * 1/4 = 1/6, CIF_won(10) = 1/6 + 1/2 * 1/3 = 1/3.
  //   Median among winners: first t with CIF >= 0.5 * 1/3 = 1/6: 8 days.
  //   By-date: 2024-04-01T00:00Z - 8 days - 1 s = 2024-03-23T23:59:59Z.
  EXPECT_EQ(s.stages[0].timing_deals, 6u);
  EXPECT_EQ(s.stages[0].timing_won, 2u);
  EXPECT_EQ(s.stages[0].time_to_won_seconds, 8 * 86400);
  EXPECT_EQ(s.stages[0].by_date->to_string(), "2024-03-23");
  // B: lost 1, won 6 and 8, censored 43: CIF 1/4 at 6, 1/2 at 8; median among winners: 6 days.
  EXPECT_EQ(s.stages[1].time_to_won_seconds, 6 * 86400);
  EXPECT_EQ(s.stages[1].by_date->to_string(), "2024-03-25");
  // C: d1 won after 6 days, d6 censored; d2 never entered C.
  EXPECT_EQ(s.stages[2].timing_deals, 2u);
  EXPECT_EQ(s.stages[2].time_to_won_seconds, 6 * 86400);
  EXPECT_EQ(reverse_headline(*r, s),
            "to win 1 000 RUB in 2024-03: 5 won deals; 8 at C by 2024-03-25; 10 at B by 2024-03-25; "
            "15 new deals by 2024-03-23");
}

TEST_F(ReverseFunnelHand, QuantileAndUtcOffset) {
  auto q = query();
  q.quantile = 0.75;  // A: first t with CIF >= 0.75 / 3 = 1/4: 10 days
  q.utc_offset_minutes = 180;
  auto r = compute_reverse_funnel(b_.log(), small_pipeline(), q);
  ASSERT_TRUE(r) << r.status().to_string();
  // Period end 2024-04-01T00:00+03:00 = 2024-03-31T21:00Z; - 10 days - 1 s = 2024-03-21T20:59:59Z,
  // 23:59:59 local: 2024-03-21.
  EXPECT_EQ(r->scopes[0].stages[0].time_to_won_seconds, 10 * 86400);
  EXPECT_EQ(r->scopes[0].stages[0].by_date->to_string(), "2024-03-21");
}

TEST_F(ReverseFunnelHand, DealTarget) {
  auto q = query();
  q.target_amount.reset();
  q.target_deals = 3;
  auto r = compute_reverse_funnel(b_.log(), small_pipeline(), q);
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_EQ(r->scopes[0].won_needed, 3u);
  EXPECT_EQ(r->scopes[0].stages[0].needed, 9u);  // ceil(3 * 6 / 2)
  EXPECT_FALSE(r->scopes[0].average_won);
  EXPECT_EQ(reverse_headline(*r, r->scopes[0]).substr(0, 39), "to win 3 deals in 2024-03: 3 won deals;");
}

// By manager (as of the report instant): Иванов d1 d2 d3 (+ d7 won in January), Петров d4 d5 d6.
//   Иванов: won 2 of 3; average (100 + 300 + 200) / 3 = 200 -> W = 5; A 3 -> ceil(15/2) = 8,
//   B 3 -> 8, C 2 -> 5.  Петров: nothing won: cannot.
TEST_F(ReverseFunnelHand, ByManagerWithCannot) {
  auto q = query();
  q.by = "manager";
  auto r = compute_reverse_funnel(b_.log(), small_pipeline(), q);
  ASSERT_TRUE(r) << r.status().to_string();
  ASSERT_EQ(r->scopes.size(), 2u);
  EXPECT_EQ(r->scopes[0].key, "Иванов");
  EXPECT_EQ(r->scopes[0].won_needed, 5u);
  EXPECT_EQ(r->scopes[0].stages[0].needed, 8u);
  EXPECT_EQ(r->scopes[0].stages[1].needed, 8u);
  EXPECT_EQ(r->scopes[0].stages[2].needed, 5u);
  EXPECT_EQ(r->scopes[1].key, "Петров");
  ASSERT_TRUE(r->scopes[1].cannot);
  EXPECT_EQ(
      reverse_headline(*r, r->scopes[1]),
      "manager Петров: to win 1 000 RUB in 2024-03: cannot: no deal won in the reference period 2024-01 "
      "with an amount in RUB: no average won amount");
  EXPECT_FALSE(r->scopes[1].stages[0].needed);
}

TEST_F(ReverseFunnelHand, EmptyReferenceCannot) {
  auto q = query();
  q.reference = *parse_period("2024-02");
  auto r = compute_reverse_funnel(b_.log(), small_pipeline(), q);
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_EQ(*r->scopes[0].cannot,
            "no deal won in the reference period 2024-02 with an amount in RUB: no average won amount");
  q.target_amount.reset();
  q.target_deals = 2;
  r = compute_reverse_funnel(b_.log(), small_pipeline(), q);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r->scopes[0].cannot, "no deal created in the reference period 2024-02 is won: no conversion");
}

TEST_F(ReverseFunnelHand, OtherCurrenciesAreNoted) {
  const DealId d8 =
      b_.raw()
          .add_deal("d8", b_.raw().intern_pipeline("small"), day(1), Money(999, Currency::of("USD")))
          .value();
  b_.event(d8, 1, "A").event(d8, 11, "WON");
  auto r = compute_reverse_funnel(b_.log(), small_pipeline(), query());
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_EQ(r->scopes[0].won_in_reference, 3u);
  ASSERT_FALSE(r->scopes[0].notes.empty());
  EXPECT_EQ(r->scopes[0].notes[0],
            "1 won deal(s) of the reference in USD left out of the average (convert with --fx)");
}

TEST_F(ReverseFunnelHand, Errors) {
  const auto message = [&](const ReverseFunnelQuery& q) {
    auto r = compute_reverse_funnel(b_.log(), small_pipeline(), q);
    return r ? std::string("ok") : r.status().message();
  };
  auto q = query();
  q.target_deals = 2;
  EXPECT_EQ(message(q), "reverse funnel: give exactly one target: an amount or a number of won deals");
  q = query();
  q.target_amount = Money(0, Currency::of("RUB"));
  EXPECT_EQ(message(q), "reverse funnel: target 0.00 RUB: expected a positive amount");
  q = query();
  q.target_amount.reset();
  q.target_deals = 0;
  EXPECT_EQ(message(q), "reverse funnel: target 0 won deals: expected at least 1");
  q = query();
  q.quantile = 1.0;
  EXPECT_EQ(message(q), "reverse funnel: quantile 1.000000: expected a number in (0, 1)");
  q = query();
  q.fx = FxConversion{nullptr, Currency::of("USD"), FxPolicy::rate_at_close};
  EXPECT_EQ(message(q), "reverse funnel: amounts are converted to USD but the target is in RUB");
  q = query();
  q.by = "planet";
  auto r = compute_reverse_funnel(b_.log(), small_pipeline(), q);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), ErrorCode::not_found);
  q.by = "created_month";
  EXPECT_EQ(message(q), "reverse funnel: --by created_month: expected company or a dimension of the log");
}

}  // namespace
}  // namespace dealflow::planning
