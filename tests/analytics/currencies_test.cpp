// Money in several currencies: sums per currency without conversion, and each
// FX policy converting with hand-computed numbers (docs/currencies.md).
//
// Deals (days after 2024-01-01; report instant day 20 = 2024-01-21):
//   m1 MXN 10000.00  created d0  won d10 (2024-01-11)   Иванова
//   m2 MXN  5000.50  created d1  won d4  (2024-01-05)   Иванова
//   c1 COP 4000000   created d2  won d6  (2024-01-07)   García
//   u1 USD  1000.00  created d0  lost d3                 García
//   u2 USD   250.00  created d3  won d8  (2024-01-09)   Núñez
//   p1 PEN   370.00  created d1  open                    Núñez
//   p2 PEN   100.00  created d5  won d12 (2024-01-13)   Núñez
// Rates: USD->MXN 17 from 01-01, 16 from 01-08; COP->USD 0.00025 from 01-01,
// 0.0002 from 01-10; PEN->USD 0.25 from 01-01; USD->PEN 5 from 01-12 (so
// PEN->USD is 1/5 from then on: the later-dated opposite pair).
#include <gtest/gtest.h>

#include "analytics/durations_fixture.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/analytics/scorecard.h"
#include "dealflow/analytics/velocity.h"
#include "dealflow/core/fx.h"

namespace dealflow::analytics {
namespace {

using namespace testing;

const Currency kUsd = Currency::of("USD");

std::string money(const std::optional<Money>& m) {
  return m ? m->to_string() : "none";
}

class Currencies : public ::testing::Test {
 protected:
  void SetUp() override {
    EventLog& log = b_.raw();
    auto add = [&](const char* key, double created, std::int64_t minor, const char* code,
                   const char* manager) {
      const DealId d = *log.add_deal(key, PipelineId{0}, day(created), Money(minor, Currency::of(code)));
      log.set_dimension(d, StandardDimension::manager, manager);
      return d;
    };
    const DealId m1 = add("m1", 0, 1000000, "MXN", "Иванова"), m2 = add("m2", 1, 500050, "MXN", "Иванова"),
                 c1 = add("c1", 2, 400000000, "COP", "García"), u1 = add("u1", 0, 100000, "USD", "García"),
                 u2 = add("u2", 3, 25000, "USD", "Núñez"), p1 = add("p1", 1, 37000, "PEN", "Núñez"),
                 p2 = add("p2", 5, 10000, "PEN", "Núñez");
    b_.event(m1, 0, "A").event(m1, 10, "WON");
    b_.event(m2, 1, "A").event(m2, 4, "WON");
    b_.event(c1, 2, "A").event(c1, 6, "WON");
    b_.event(u1, 0, "A").event(u1, 3, "LOST");
    b_.event(u2, 3, "A").event(u2, 8, "WON");
    b_.event(p1, 1, "A");
    b_.event(p2, 5, "A").event(p2, 12, "WON");
    auto rate = [&](const char* date, const char* from, const char* to, const char* r) {
      ASSERT_TRUE(
          rates_.add(*Date::parse(date), Currency::of(from), Currency::of(to), *parse_fx_rate(r)).ok());
    };
    rate("2024-01-01", "USD", "MXN", "17");
    rate("2024-01-08", "USD", "MXN", "16");
    rate("2024-01-01", "COP", "USD", "0.00025");
    rate("2024-01-10", "COP", "USD", "0.0002");
    rate("2024-01-01", "PEN", "USD", "0.25");
    rate("2024-01-12", "USD", "PEN", "5");
  }
  VelocityQuery velocity(std::optional<FxPolicy> policy = std::nullopt) const {
    VelocityQuery q;
    q.from = day(0);
    q.to = day(20);
    q.as_of = day(20);
    if (policy) q.fx = FxConversion{&rates_, kUsd, *policy};
    return q;
  }
  LogBuilder b_;
  FxTable rates_;
};

TEST_F(Currencies, VelocitySumsPerCurrencyAndExplainsTheMissingRate) {
  auto v = compute_velocity(b_.log(), small_pipeline(), velocity());
  ASSERT_TRUE(v) << v.status().to_string();
  EXPECT_EQ(v->won, 5u);
  EXPECT_EQ(v->lost, 1u);
  EXPECT_EQ(v->open_deals, 1u);
  EXPECT_EQ(v->won_with_amount, 5u);
  EXPECT_EQ(v->median_won_cycle_seconds, 5 * kDay);  // {3, 4, 5, 7, 10} days
  ASSERT_EQ(v->by_currency.size(), 4u);
  const char* expected[4][3] = {{"COP", "4000000.00 COP", "4000000.00 COP"},
                                {"MXN", "15000.50 MXN", "7500.25 MXN"},
                                {"PEN", "100.00 PEN", "100.00 PEN"},
                                {"USD", "250.00 USD", "250.00 USD"}};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(v->by_currency[i].currency.code(), expected[i][0]);
    EXPECT_EQ(v->by_currency[i].won_amount.to_string(), expected[i][1]);
    EXPECT_EQ(v->by_currency[i].average_won_amount.to_string(), expected[i][2]);
  }
  EXPECT_EQ(v->by_currency[1].won_with_amount, 2u);
  EXPECT_FALSE(v->won_amount);
  EXPECT_FALSE(v->per_day);
  EXPECT_NE(v->missing.find("several currencies (COP, MXN, PEN, USD)"), std::string::npos) << v->missing;
  EXPECT_TRUE(v->conversion.empty());
}

TEST_F(Currencies, VelocityRateAtClose) {
  // m1 10000.00/16 = 625.00; m2 5000.50/17 = 294.147... -> 294.15; c1 x 0.00025 = 1000.00;
  // u2 250.00; p2 100.00 x 1/5 = 20.00 (USD->PEN of 01-12 is newer than PEN->USD).
  auto v = compute_velocity(b_.log(), small_pipeline(), velocity(FxPolicy::rate_at_close));
  ASSERT_TRUE(v) << v.status().to_string();
  ASSERT_EQ(v->by_currency.size(), 1u);
  EXPECT_EQ(money(v->won_amount), "2189.15 USD");
  EXPECT_EQ(money(v->average_won_amount), "437.83 USD");
  // 1 open x 5/6 x 437.83 / 5 days, exactly: 218915 x 5 / (6 x 5 x 5) = 7297.17 -> 72.97 USD a day.
  EXPECT_EQ(money(v->per_day), "72.97 USD");
  EXPECT_NE(v->conversion.find("rate-at-close"), std::string::npos);
  EXPECT_NE(v->conversion.find("half to even"), std::string::npos);
}

TEST_F(Currencies, VelocityRateAtCreated) {
  // m1 10000.00/17 = 588.235... -> 588.24; m2 294.15; c1 1000.00; u2 250.00; p2 100.00 x 0.25 = 25.00.
  auto v = compute_velocity(b_.log(), small_pipeline(), velocity(FxPolicy::rate_at_created));
  ASSERT_TRUE(v) << v.status().to_string();
  EXPECT_EQ(money(v->won_amount), "2157.39 USD");
  EXPECT_EQ(money(v->average_won_amount), "431.48 USD");  // 431.478 -> 431.48
}

TEST_F(Currencies, VelocityRateAtReport) {
  // 2024-01-21 for all: m1 625.00; m2 5000.50/16 = 312.53125 -> 312.53; c1 x 0.0002 = 800.00; u2 250.00;
  // p2 20.00.
  auto v = compute_velocity(b_.log(), small_pipeline(), velocity(FxPolicy::rate_at_report));
  ASSERT_TRUE(v) << v.status().to_string();
  EXPECT_EQ(money(v->won_amount), "2007.53 USD");
}

TEST_F(Currencies, AMissingRateNamesTheDealTheDateAndThePair) {
  FxTable no_pen;
  ASSERT_TRUE(no_pen.add(*Date::parse("2024-01-01"), kUsd, Currency::of("MXN"), *parse_fx_rate("17")).ok());
  ASSERT_TRUE(
      no_pen.add(*Date::parse("2024-01-01"), Currency::of("COP"), kUsd, *parse_fx_rate("0.00025")).ok());
  VelocityQuery q = velocity();
  q.fx = FxConversion{&no_pen, kUsd, FxPolicy::rate_at_close};
  auto v = compute_velocity(b_.log(), small_pipeline(), q);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.status().code(), ErrorCode::not_found);
  EXPECT_EQ(v.status().message(),
            "deal 'p2' (rate-at-close, closed 2024-01-13T00:00:00Z, amount 100.00 PEN): no exchange rate "
            "PEN->USD dated on or before 2024-01-13; the rates have no PEN->USD or USD->PEN pair");
  // A rate that starts too late for rate-at-created: COP from 01-05 only, c1 created 01-03.
  FxTable late;
  ASSERT_TRUE(
      late.add(*Date::parse("2024-01-05"), Currency::of("COP"), kUsd, *parse_fx_rate("0.00025")).ok());
  ASSERT_TRUE(late.add(*Date::parse("2024-01-01"), kUsd, Currency::of("MXN"), *parse_fx_rate("17")).ok());
  ASSERT_TRUE(late.add(*Date::parse("2024-01-01"), Currency::of("PEN"), kUsd, *parse_fx_rate("0.25")).ok());
  q.fx = FxConversion{&late, kUsd, FxPolicy::rate_at_created};
  v = compute_velocity(b_.log(), small_pipeline(), q);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.status().message(),
            "deal 'c1' (rate-at-created, created 2024-01-03T00:00:00Z, amount 4000000.00 COP): no exchange "
            "rate COP->USD dated on or before 2024-01-03; the rates start on 2024-01-05");
  // No table: invalid_argument, not a crash.
  q.fx = FxConversion{nullptr, kUsd, FxPolicy::rate_at_close};
  EXPECT_EQ(compute_velocity(b_.log(), small_pipeline(), q).status().code(), ErrorCode::invalid_argument);
}

TEST_F(Currencies, FunnelConvertsOpenDealsAtTheReportInstantUnderRateAtClose) {
  FunnelQuery q;
  q.as_of = day(20);
  auto plain = compute_funnel(b_.log(), small_pipeline(), q);
  ASSERT_TRUE(plain) << plain.status().to_string();
  ASSERT_EQ(plain->total.won_amount.size(), 4u);
  EXPECT_EQ(plain->total.won_amount[0].to_string(), "4000000.00 COP");
  EXPECT_EQ(plain->total.won_amount[1].to_string(), "15000.50 MXN");
  EXPECT_TRUE(plain->definition.conversion.empty());

  q.fx = FxConversion{&rates_, kUsd, FxPolicy::rate_at_close};
  auto r = compute_funnel(b_.log(), small_pipeline(), q);
  ASSERT_TRUE(r) << r.status().to_string();
  ASSERT_EQ(r->total.won_amount.size(), 1u);
  EXPECT_EQ(r->total.won_amount[0].to_string(), "2189.15 USD");
  ASSERT_EQ(r->total.lost_amount.size(), 1u);
  EXPECT_EQ(r->total.lost_amount[0].to_string(), "1000.00 USD");
  // p1 is open: 370.00 PEN at the report instant's rate 1/5 = 74.00 USD.
  ASSERT_EQ(r->total.open_amount.size(), 1u);
  EXPECT_EQ(r->total.open_amount[0].to_string(), "74.00 USD");
  ASSERT_EQ(r->total.win_rate_by_amount.size(), 1u);
  EXPECT_EQ(r->total.win_rate_by_amount[0].denominator.to_string(), "3189.15 USD");
  EXPECT_NE(r->definition.summary().find("amounts converted to USD with rate-at-close"), std::string::npos);
  // Counts do not depend on the conversion.
  EXPECT_EQ(r->total.won, plain->total.won);
  EXPECT_EQ(r->total.stages[0].reached, plain->total.stages[0].reached);
  EXPECT_EQ(r->total.stages[0].amount.size(), 1u);
}

TEST_F(Currencies, FunnelGroupsGetTheConvertedAmountsWhateverTheThreads) {
  FunnelQuery q;
  q.as_of = day(20);
  q.fx = FxConversion{&rates_, kUsd, FxPolicy::rate_at_close};
  q.group = *resolve_grouping(b_.log(), "manager");
  for (unsigned threads : {1u, 3u}) {
    q.threads = threads;
    auto r = compute_funnel(b_.log(), small_pipeline(), q);
    ASSERT_TRUE(r) << r.status().to_string();
    ASSERT_EQ(r->groups.size(), 3u);  // byte order: García, Núñez, Иванова
    EXPECT_EQ(r->groups[0].key, "García");
    EXPECT_EQ(r->groups[0].figures.won_amount[0].to_string(), "1000.00 USD");
    EXPECT_EQ(r->groups[0].figures.lost_amount[0].to_string(), "1000.00 USD");
    EXPECT_EQ(r->groups[1].key, "Núñez");
    EXPECT_EQ(r->groups[1].figures.won_amount[0].to_string(), "270.00 USD");
    EXPECT_EQ(r->groups[1].figures.open_amount[0].to_string(), "74.00 USD");
    EXPECT_EQ(r->groups[2].key, "Иванова");
    EXPECT_EQ(r->groups[2].figures.won_amount[0].to_string(), "919.15 USD");
  }
}

TEST_F(Currencies, FunnelOnTheClosedBasisConvertsOnlyTheDealsInThePeriod) {
  FxTable only_usd_mxn;  // no COP or PEN rate at all
  ASSERT_TRUE(
      only_usd_mxn.add(*Date::parse("2024-01-01"), kUsd, Currency::of("MXN"), *parse_fx_rate("17")).ok());
  FunnelQuery q;
  q.as_of = day(20);
  q.basis = FunnelBasis::closed;
  q.from = day(3);  // u1 lost 01-04, m2 won 01-05
  q.to = day(5);
  q.fx = FxConversion{&only_usd_mxn, kUsd, FxPolicy::rate_at_report};
  auto r = compute_funnel(b_.log(), small_pipeline(), q);
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_EQ(r->total.won_amount[0].to_string(), "294.15 USD");  // 5000.50 / 17
  EXPECT_EQ(r->total.lost_amount[0].to_string(), "1000.00 USD");
}

TEST_F(Currencies, ScorecardSumsPerCurrencyAndRanksByWonDeals) {
  auto card = compute_scorecard(b_.log(), small_pipeline(), {day(0), day(20)});
  ASSERT_TRUE(card) << card.status().to_string();
  EXPECT_EQ(card->definition.rank_by, "won deals");
  ASSERT_EQ(card->managers.size(), 3u);
  // Won deals 2, 2, 1; ties by manager bytes ("N" < "И").
  EXPECT_EQ(card->managers[0].manager, "Núñez");
  EXPECT_EQ(card->managers[1].manager, "Иванова");
  EXPECT_EQ(card->managers[2].manager, "García");
  const ScorecardFigures& nunez = card->managers[0].current;
  ASSERT_EQ(nunez.by_currency.size(), 2u);
  EXPECT_EQ(nunez.by_currency[0].won_amount.to_string(), "100.00 PEN");
  EXPECT_EQ(nunez.by_currency[1].won_amount.to_string(), "250.00 USD");
  EXPECT_FALSE(nunez.won_amount);
  const ScorecardFigures& ivanova = card->managers[1].current;
  ASSERT_EQ(ivanova.by_currency.size(), 1u);
  EXPECT_EQ(money(ivanova.won_amount), "15000.50 MXN");
  EXPECT_EQ(money(ivanova.average_won_amount), "7500.25 MXN");
  EXPECT_EQ(money(ivanova.median_won_amount), "5000.50 MXN");  // lower middle of {5000.50, 10000.00}
  const ScorecardFigures& team = card->team.current;
  ASSERT_EQ(team.by_currency.size(), 4u);
  EXPECT_EQ(team.by_currency[0].won_amount.to_string(), "4000000.00 COP");
  EXPECT_EQ(team.by_currency[1].won_amount.to_string(), "15000.50 MXN");
  EXPECT_EQ(team.by_currency[1].won_with_amount, 2u);
  EXPECT_EQ(team.by_currency[2].won_amount.to_string(), "100.00 PEN");
  EXPECT_EQ(team.by_currency[3].won_amount.to_string(), "250.00 USD");
  EXPECT_EQ(team.won_with_amount, 5u);
  EXPECT_NE(card->definition.summary().find("rank by won deals"), std::string::npos);
}

TEST_F(Currencies, ScorecardRateAtCloseRanksByConvertedAmount) {
  ScorecardQuery q{day(0), day(20), FxConversion{&rates_, kUsd, FxPolicy::rate_at_close}};
  auto card = compute_scorecard(b_.log(), small_pipeline(), q);
  ASSERT_TRUE(card) << card.status().to_string();
  EXPECT_EQ(card->definition.rank_by, "won amount");
  ASSERT_EQ(card->managers.size(), 3u);
  EXPECT_EQ(card->managers[0].manager, "García");  // 1000.00
  EXPECT_EQ(money(card->managers[0].current.won_amount), "1000.00 USD");
  EXPECT_EQ(card->managers[1].manager, "Иванова");  // 625.00 + 294.15
  EXPECT_EQ(money(card->managers[1].current.won_amount), "919.15 USD");
  EXPECT_EQ(money(card->managers[1].current.median_won_amount), "294.15 USD");
  EXPECT_EQ(card->managers[2].manager, "Núñez");  // 250.00 + 20.00
  EXPECT_EQ(money(card->managers[2].current.won_amount), "270.00 USD");
  EXPECT_EQ(money(card->team.current.won_amount), "2189.15 USD");
  EXPECT_NE(card->definition.conversion.find("rate-at-close"), std::string::npos);
}

TEST_F(Currencies, ScorecardRateAtReportUsesThePeriodEnd) {
  // The period ends 2024-01-21T00:00:00Z: the rates of 2024-01-20 (the same as in VelocityRateAtReport).
  ScorecardQuery q{day(0), day(20), FxConversion{&rates_, kUsd, FxPolicy::rate_at_report}};
  auto card = compute_scorecard(b_.log(), small_pipeline(), q);
  ASSERT_TRUE(card) << card.status().to_string();
  EXPECT_EQ(money(card->team.current.won_amount), "2007.53 USD");
}

}  // namespace
}  // namespace dealflow::analytics
