// Sales velocity: each input and the exact result on a hand-computed case.
#include <gtest/gtest.h>

#include "analytics/durations_fixture.h"
#include "dealflow/analytics/velocity.h"

namespace dealflow::analytics {
namespace {

using namespace testing;

// v1 won (10 days), v2 won (4 days), v3 lost: closed in [day 0, day 20).
// v4, v5 open at day 30. v6 won at day 25: outside the period, not open.
class VelocityHandComputed : public ::testing::Test {
 protected:
  void SetUp() override {
    const DealId v1 = b_.deal("v1", 0, "", 100000), v2 = b_.deal("v2", 0, "", 50001),
                 v3 = b_.deal("v3", 1, "", 9000), v4 = b_.deal("v4", 2, "", 1), v5 = b_.deal("v5", 3),
                 v6 = b_.deal("v6", 5, "", 70000);
    b_.event(v1, 0, "A").event(v1, 10, "WON");
    b_.event(v2, 0, "A").event(v2, 2, "C").event(v2, 4, "WON");
    b_.event(v3, 1, "A").event(v3, 3, "JUNK");
    b_.event(v4, 2, "A");
    b_.event(v5, 3, "A").event(v5, 4, "B");
    b_.event(v6, 5, "A").event(v6, 25, "WON");
    q_.from = day(0);
    q_.to = day(20);
    q_.as_of = day(30);
  }
  LogBuilder b_;
  VelocityQuery q_;
};

TEST_F(VelocityHandComputed, InputsAndExactResult) {
  auto v = compute_velocity(b_.log(), small_pipeline(), q_);
  ASSERT_TRUE(v) << v.status().to_string();
  EXPECT_EQ(v->open_deals, 2u);
  EXPECT_EQ(v->won, 2u);
  EXPECT_EQ(v->lost, 1u);
  EXPECT_DOUBLE_EQ(*v->win_rate, 2.0 / 3);
  EXPECT_EQ(v->won_with_amount, 2u);
  EXPECT_EQ(v->won_amount->to_string(), "150001.00 RUB");
  EXPECT_EQ(v->average_won_amount->to_string(), "75000.50 RUB");
  EXPECT_EQ(v->median_won_cycle_seconds, 4 * kDay);  // lower middle of {4, 10} days
  // 2 x 2/3 x 75000.50 / 4 days = 25000.1666... -> 25000.17 RUB per day.
  ASSERT_TRUE(v->per_day);
  EXPECT_EQ(v->per_day->to_string(), "25000.17 RUB");
  EXPECT_TRUE(v->missing.empty());
  EXPECT_NE(SalesVelocity::definition().find("won/(won+lost)"), std::string::npos);
}

TEST_F(VelocityHandComputed, MissingInputsAreExplained) {
  q_.from = day(26);
  q_.to = day(27);
  auto v = compute_velocity(b_.log(), small_pipeline(), q_);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->won + v->lost, 0u);
  EXPECT_FALSE(v->per_day);
  EXPECT_NE(v->missing.find("no deal closed"), std::string::npos);
}

TEST_F(VelocityHandComputed, AsOfTurnsLaterWinsIntoOpenDeals) {
  q_.as_of = day(9);  // v1 not yet won
  auto v = compute_velocity(b_.log(), small_pipeline(), q_);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->open_deals, 4u);  // v1, v4, v5, v6
  EXPECT_EQ(v->won, 1u);
  EXPECT_EQ(v->average_won_amount->to_string(), "50001.00 RUB");
}

TEST(Velocity, MixedCurrenciesAreSummedPerCurrency) {
  LogBuilder b;
  EventLog& log = b.raw();
  const DealId r = *log.add_deal("rub", PipelineId{0}, day(0), Money(100, Currency::of("RUB")));
  const DealId u = *log.add_deal("usd", PipelineId{0}, day(0), Money(100, Currency::of("USD")));
  ASSERT_TRUE(log.append_event(r, day(1), *small_pipeline().find_stage("WON")).ok());
  ASSERT_TRUE(log.append_event(u, day(2), *small_pipeline().find_stage("WON")).ok());
  log.seal();
  auto v = compute_velocity(log, small_pipeline(), {});
  ASSERT_TRUE(v) << v.status().to_string();
  ASSERT_EQ(v->by_currency.size(), 2u);
  EXPECT_EQ(v->by_currency[0].won_amount.to_string(), "1.00 RUB");
  EXPECT_EQ(v->by_currency[1].won_amount.to_string(), "1.00 USD");
  EXPECT_FALSE(v->won_amount);
  EXPECT_FALSE(v->per_day);
  EXPECT_NE(v->missing.find("several currencies (RUB, USD)"), std::string::npos) << v->missing;
}

}  // namespace
}  // namespace dealflow::analytics
