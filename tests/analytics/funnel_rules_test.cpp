// Hand-computed funnels on tests/analytics/fixtures/funnel_*.{json,csv}.
//
// Open stages NEW(1) QUAL(2) OFFER(3) CONTRACT(4). Deals created in
// [2024-01-01, 2024-03-01): D1 D2 D3 D4 D5 D6 D7 D10 (D8 created in December,
// D9 in March are outside).
//   D1  100  NEW QUAL OFFER CONTRACT WON                 straight, won
//   D2  200  NEW OFFER WON                               skips QUAL, won
//   D3  300  NEW QUAL OFFER QUAL LOST (Дорого)           backward, lost from QUAL
//   D4  400  NEW QUAL LOST NEW QUAL OFFER CONTRACT WON   lost, reopened, won
//   D5  500  NEW JUNK (Спам)                             lost into JUNK from NEW
//   D6  600  NEW QUAL OFFER                              open
//   D7   -   NEW                                         open, no amount
//   D10 1000 NEW CONTRACT OFFER LOST                     skip + backward, lost from OFFER, no manager
#include <gtest/gtest.h>

#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::amounts;
using testing::at;
using testing::fixture_pipeline;
using testing::load_fixture;
using testing::reached;

FunnelQuery cohort(CountingRule rule) {
  FunnelQuery q;
  q.rule = rule;
  q.from = at("2024-01-01");
  q.to = at("2024-03-01");
  return q;
}

FunnelReport run(const EventLog& log, const FunnelQuery& q) {
  auto r = compute_funnel(log, fixture_pipeline(), q);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return *r;
}

TEST(FunnelRules, HighWaterMark) {
  const auto loaded = load_fixture();
  const auto r = run(loaded.log, cohort(CountingRule::high_water));
  // Levels: D1 won, D2 won, D4 won -> all; D10 lost at CONTRACT -> 4; D3 (OFFER), D6 (OFFER) -> 3; D5, D7 -> 1.
  EXPECT_EQ(reached(r.total), (std::vector<std::uint64_t>{8, 6, 6, 4}));
  EXPECT_EQ(amounts(r.total), (std::vector<std::int64_t>{310000, 260000, 260000, 170000}));
  EXPECT_EQ(r.total.deals, 8u);
  EXPECT_EQ(r.total.won, 3u);
  EXPECT_EQ(r.total.lost, 3u);
  EXPECT_EQ(r.total.open, 2u);
  EXPECT_DOUBLE_EQ(*r.total.win_rate.value, 0.5);
  EXPECT_EQ(r.total.win_rate.denominator, 6u);
  ASSERT_TRUE(r.total.won_of_created.has_value());
  EXPECT_DOUBLE_EQ(*r.total.won_of_created->value, 3.0 / 8.0);
  EXPECT_EQ(r.total.won_of_created->numerator, 3u);
  EXPECT_EQ(r.total.won_of_created->denominator, 8u);
  // By amount: won 700.00 of won + lost 700.00 + 1800.00.
  ASSERT_EQ(r.total.win_rate_by_amount.size(), 1u);
  EXPECT_EQ(r.total.win_rate_by_amount[0].numerator, Money(70000, Currency::of("RUB")));
  EXPECT_EQ(r.total.win_rate_by_amount[0].denominator, Money(250000, Currency::of("RUB")));
  EXPECT_DOUBLE_EQ(*r.total.win_rate_by_amount[0].value, 0.28);
  ASSERT_EQ(r.total.won_amount.size(), 1u);
  EXPECT_EQ(r.total.won_amount[0], Money(70000, Currency::of("RUB")));
  EXPECT_EQ(r.total.lost_amount[0], Money(180000, Currency::of("RUB")));
  EXPECT_EQ(r.total.open_amount[0], Money(60000, Currency::of("RUB")));
  // Conversions.
  EXPECT_FALSE(r.total.stages[0].step_conversion.value.has_value());
  EXPECT_DOUBLE_EQ(*r.total.stages[1].step_conversion.value, 6.0 / 8.0);
  EXPECT_DOUBLE_EQ(*r.total.stages[2].step_conversion.value, 1.0);
  EXPECT_DOUBLE_EQ(*r.total.stages[3].step_conversion.value, 4.0 / 6.0);
  EXPECT_DOUBLE_EQ(*r.total.stages[3].cumulative_conversion.value, 0.5);
  EXPECT_DOUBLE_EQ(*r.total.stages[0].cumulative_conversion.value, 1.0);
}

TEST(FunnelRules, HighWaterLossesByStageAndReason) {
  const auto loaded = load_fixture();
  const auto r = run(loaded.log, cohort(CountingRule::high_water));
  // D5 lost from NEW (Спам), D3 from QUAL (Дорого: the backward move counts), D10 from OFFER (no reason).
  ASSERT_EQ(r.total.lost_from.size(), 3u);
  EXPECT_EQ(r.total.lost_from[0].id, "NEW");
  EXPECT_EQ(r.total.lost_from[0].count, 1u);
  EXPECT_EQ(r.total.lost_from[0].reasons, (std::vector<std::pair<std::string, std::uint64_t>>{{"Спам", 1}}));
  EXPECT_EQ(r.total.lost_from[1].id, "QUAL");
  EXPECT_EQ(r.total.lost_from[1].reasons, (std::vector<std::pair<std::string, std::uint64_t>>{{"Дорого", 1}}));
  EXPECT_EQ(r.total.lost_from[1].amount[0].minor_units(), 30000);
  EXPECT_EQ(r.total.lost_from[2].id, "OFFER");
  EXPECT_EQ(r.total.lost_from[2].reasons, (std::vector<std::pair<std::string, std::uint64_t>>{{"", 1}}));
  // Lost into LOST (D3, D10) and JUNK (D5).
  ASSERT_EQ(r.total.lost_to.size(), 2u);
  EXPECT_EQ(r.total.lost_to[0].id, "LOST");
  EXPECT_EQ(r.total.lost_to[0].count, 2u);
  EXPECT_EQ(r.total.lost_to[1].id, "JUNK");
  EXPECT_EQ(r.total.lost_to[1].count, 1u);
}

TEST(FunnelRules, Touched) {
  const auto loaded = load_fixture();
  const auto r = run(loaded.log, cohort(CountingRule::touched));
  // QUAL entered by D1 D3 D4 D6; OFFER by D1 D2 D3 D4 D6 D10; CONTRACT by D1 D4 D10.
  EXPECT_EQ(reached(r.total), (std::vector<std::uint64_t>{8, 4, 6, 3}));
  EXPECT_EQ(amounts(r.total), (std::vector<std::int64_t>{310000, 140000, 260000, 150000}));
  // Skipping makes OFFER exceed QUAL: the rate is > 1 and has no Wilson interval.
  EXPECT_DOUBLE_EQ(*r.total.stages[2].step_conversion.value, 1.5);
  EXPECT_FALSE(r.total.stages[2].step_conversion.interval.has_value());
  EXPECT_EQ(r.total.won, 3u);
  EXPECT_EQ(r.total.lost, 3u);
}

TEST(FunnelRules, StrictOrder) {
  const auto loaded = load_fixture();
  const auto r = run(loaded.log, cohort(CountingRule::strict_order));
  // D2 skipped QUAL (1), D10 jumped to CONTRACT (1), D4 regains its order after the reopen (4).
  EXPECT_EQ(reached(r.total), (std::vector<std::uint64_t>{8, 4, 4, 2}));
  EXPECT_EQ(amounts(r.total), (std::vector<std::int64_t>{310000, 140000, 140000, 50000}));
}

TEST(FunnelRules, Snapshot) {
  const auto loaded = load_fixture();
  auto q = cohort(CountingRule::snapshot);
  const auto r = run(loaded.log, q);
  // At the end: D6 in OFFER (600.00), D7 in NEW (no amount).
  EXPECT_EQ(reached(r.total), (std::vector<std::uint64_t>{1, 0, 1, 0}));
  EXPECT_TRUE(r.total.stages[0].amount.empty());
  EXPECT_EQ(r.total.stages[2].amount[0].minor_units(), 60000);
  EXPECT_FALSE(r.total.stages[1].cumulative_conversion.value.has_value());

  // As of 2024-02-04: D4 is in QUAL (reopened), D5 in JUNK, D6/D7 not created yet.
  q.as_of = at("2024-02-04T00:00:00Z");
  const auto r2 = run(loaded.log, q);
  EXPECT_EQ(reached(r2.total), (std::vector<std::uint64_t>{0, 1, 0, 0}));
  EXPECT_EQ(r2.total.deals, 5u);
  EXPECT_EQ(r2.total.open, 1u);
  EXPECT_EQ(r2.total.won, 2u);
  EXPECT_EQ(r2.total.lost, 2u);
}

TEST(FunnelRules, ReportInstantDecidesReopenedDeals) {
  const auto loaded = load_fixture();
  auto q = cohort(CountingRule::high_water);
  // 2024-01-28: D4 is lost (reopened only on 02-01); D5.. not created yet.
  q.as_of = at("2024-01-28T00:00:00Z");
  const auto r = run(loaded.log, q);
  EXPECT_EQ(r.total.deals, 4u);
  EXPECT_EQ(r.total.won, 2u);
  EXPECT_EQ(r.total.lost, 2u);
  EXPECT_EQ(reached(r.total), (std::vector<std::uint64_t>{4, 4, 3, 2}));
  // Later, D4 counts as won at every stage.
  q.as_of = at("2024-02-11T00:00:00Z");
  const auto r2 = run(loaded.log, q);
  EXPECT_EQ(r2.total.won, 3u);
  EXPECT_EQ(r2.total.stages[3].reached, 3u);  // D1 D2 D4 (D10 reaches CONTRACT on 02-17)
}

TEST(FunnelRules, ClosedInPeriodBasis) {
  const auto loaded = load_fixture();
  FunnelQuery q;
  q.basis = FunnelBasis::closed;
  q.from = at("2024-01-01");
  q.to = at("2024-02-01");
  const auto r = run(loaded.log, q);
  // Closed in January: D8 (won 01-03, created in December), D1, D2 (won), D3 (lost). D4 closes in February.
  EXPECT_EQ(r.total.deals, 4u);
  EXPECT_EQ(r.total.won, 3u);
  EXPECT_EQ(r.total.lost, 1u);
  EXPECT_EQ(r.total.open, 0u);
  EXPECT_EQ(reached(r.total), (std::vector<std::uint64_t>{4, 4, 4, 3}));
  EXPECT_DOUBLE_EQ(*r.total.win_rate.value, 0.75);
  // By amount: D8 800 + D1 100 + D2 200 won of 1100 + D3 300 lost.
  ASSERT_EQ(r.total.win_rate_by_amount.size(), 1u);
  EXPECT_EQ(r.total.win_rate_by_amount[0].numerator, Money(110000, Currency::of("RUB")));
  EXPECT_EQ(r.total.win_rate_by_amount[0].denominator, Money(140000, Currency::of("RUB")));
  EXPECT_DOUBLE_EQ(*r.total.win_rate_by_amount[0].value, 11.0 / 14.0);
  // deals = won + lost here: no separate "won of created".
  EXPECT_FALSE(r.total.won_of_created.has_value());
  EXPECT_NE(r.definition.denominator_text.find("no won_of_created on the closed basis"), std::string::npos);
}

TEST(FunnelRules, DealsOutsideThePeriodAreNotCounted) {
  const auto loaded = load_fixture();
  FunnelQuery all;
  const auto r = run(loaded.log, all);
  EXPECT_EQ(r.total.deals, 10u);  // unbounded period: D8 and D9 too
  EXPECT_EQ(r.total.won, 4u);
  EXPECT_EQ(r.total.lost, 4u);
  FunnelQuery march;
  march.from = at("2024-03-01");
  const auto m = run(loaded.log, march);
  EXPECT_EQ(m.total.deals, 1u);  // D9
  EXPECT_EQ(reached(m.total), (std::vector<std::uint64_t>{1, 0, 0, 0}));
}

TEST(FunnelRules, ByManager) {
  const auto loaded = load_fixture();
  auto q = cohort(CountingRule::high_water);
  q.group = *resolve_grouping(loaded.log, "manager");
  const auto r = run(loaded.log, q);
  ASSERT_EQ(r.groups.size(), 4u);
  EXPECT_EQ(r.groups[0].key, std::optional<std::string>("Иванов"));   // D1 D2 D5
  EXPECT_EQ(reached(r.groups[0].figures), (std::vector<std::uint64_t>{3, 2, 2, 2}));
  EXPECT_EQ(r.groups[0].figures.won, 2u);
  EXPECT_EQ(r.groups[0].figures.lost, 1u);
  EXPECT_DOUBLE_EQ(*r.groups[0].figures.win_rate.value, 2.0 / 3.0);
  EXPECT_EQ(r.groups[1].key, std::optional<std::string>("Петрова"));  // D3 D4
  EXPECT_EQ(reached(r.groups[1].figures), (std::vector<std::uint64_t>{2, 2, 2, 1}));
  EXPECT_EQ(r.groups[2].key, std::optional<std::string>("Сидоров"));  // D6 D7
  EXPECT_EQ(reached(r.groups[2].figures), (std::vector<std::uint64_t>{2, 1, 1, 0}));
  EXPECT_EQ(r.groups[2].figures.open, 2u);
  EXPECT_FALSE(r.groups[2].figures.win_rate.value.has_value());  // nothing closed
  EXPECT_FALSE(r.groups[3].key.has_value());                       // D10: no manager
  EXPECT_EQ(reached(r.groups[3].figures), (std::vector<std::uint64_t>{1, 1, 1, 1}));
  // The totals are the same as without grouping.
  EXPECT_EQ(reached(r.total), (std::vector<std::uint64_t>{8, 6, 6, 4}));
  EXPECT_EQ(r.definition.group_by, "manager");
  // Win rate by amount per group: Иванов 300/800 (D5 500 lost), Петрова 400/700,
  // Сидоров nothing closed, (none) D10 0/1000.
  EXPECT_DOUBLE_EQ(*r.groups[0].figures.win_rate_by_amount.at(0).value, 0.375);
  EXPECT_DOUBLE_EQ(*r.groups[1].figures.win_rate_by_amount.at(0).value, 4.0 / 7.0);
  EXPECT_TRUE(r.groups[2].figures.win_rate_by_amount.empty());
  EXPECT_EQ(r.groups[3].figures.win_rate_by_amount.at(0).numerator, Money(0, Currency::of("RUB")));
  EXPECT_EQ(r.groups[3].figures.win_rate_by_amount.at(0).denominator, Money(100000, Currency::of("RUB")));
  EXPECT_DOUBLE_EQ(*r.groups[3].figures.win_rate_by_amount.at(0).value, 0.0);
}

// Win rate by amount is per currency, exact in minor units, never converted;
// deals without an amount count in the win rate by count only.
TEST(FunnelRules, WinRateByAmountPerCurrency) {
  EventLog log;
  const PipelineId p = log.intern_pipeline(fixture_pipeline().id());
  struct Deal {
    const char* id;
    std::optional<Money> amount;
    const char* final_stage;
  };
  const Deal deals[] = {{"A", Money(10000, Currency::of("RUB")), "WON"},
                        {"B", Money(30000, Currency::of("RUB")), "LOST"},
                        {"C", Money(5000, Currency::of("USD")), "WON"},
                        {"D", std::nullopt, "LOST"},
                        {"E", Money(99900, Currency::of("USD")), "NEW"}};  // open: in neither
  for (const Deal& d : deals) {
    const DealId id = *log.add_deal(d.id, p, at("2024-01-01"), d.amount);
    ASSERT_TRUE(log.append_event(id, at("2024-01-02"), testing::stage(d.final_stage)).ok());
  }
  log.seal();
  const auto r = run(log, FunnelQuery{});
  EXPECT_DOUBLE_EQ(*r.total.win_rate.value, 0.5);  // 2 of 4 closed deals
  ASSERT_EQ(r.total.win_rate_by_amount.size(), 2u);
  EXPECT_EQ(r.total.win_rate_by_amount[0].numerator, Money(10000, Currency::of("RUB")));
  EXPECT_EQ(r.total.win_rate_by_amount[0].denominator, Money(40000, Currency::of("RUB")));
  EXPECT_DOUBLE_EQ(*r.total.win_rate_by_amount[0].value, 0.25);
  EXPECT_EQ(r.total.win_rate_by_amount[1].numerator, Money(5000, Currency::of("USD")));
  EXPECT_EQ(r.total.win_rate_by_amount[1].denominator, Money(5000, Currency::of("USD")));
  EXPECT_DOUBLE_EQ(*r.total.win_rate_by_amount[1].value, 1.0);
}

TEST(FunnelRules, ByCreatedMonthAndCustomDimension) {
  const auto loaded = load_fixture();
  FunnelQuery q;
  q.group = *resolve_grouping(loaded.log, "created_month");
  const auto r = run(loaded.log, q);
  ASSERT_EQ(r.groups.size(), 4u);
  EXPECT_EQ(*r.groups[0].key, "2023-12");
  EXPECT_EQ(*r.groups[1].key, "2024-01");
  EXPECT_EQ(r.groups[1].figures.deals, 4u);  // D1..D4
  EXPECT_EQ(*r.groups[2].key, "2024-02");
  EXPECT_EQ(r.groups[2].figures.deals, 4u);  // D5 D6 D7 D10
  EXPECT_EQ(*r.groups[3].key, "2024-03");

  q.group = *resolve_grouping(loaded.log, "segment");  // not a standard column
  const auto s = run(loaded.log, q);
  ASSERT_EQ(s.groups.size(), 3u);
  EXPECT_EQ(*s.groups[0].key, "A");
  EXPECT_EQ(s.groups[0].figures.deals, 5u);  // D1 D2 D5 D8 D10
  EXPECT_EQ(*s.groups[1].key, "B");
  EXPECT_EQ(s.groups[1].figures.deals, 4u);
  EXPECT_FALSE(s.groups[2].key.has_value());  // D7

  EXPECT_EQ(resolve_grouping(loaded.log, "colour").status().code(), ErrorCode::not_found);
}

TEST(FunnelRules, WilsonInterval) {
  // 3 of 6: p = .5, z = 1.96: center .5, half-width 0.3249...
  auto i = wilson_interval(3, 6);
  ASSERT_TRUE(i.has_value());
  EXPECT_NEAR(i->low, 0.18761, 1e-5);
  EXPECT_NEAR(i->high, 0.81239, 1e-5);
  auto zero = wilson_interval(0, 10);
  EXPECT_NEAR(zero->low, 0.0, 1e-12);
  EXPECT_NEAR(zero->high, 0.27753, 1e-5);
  EXPECT_FALSE(wilson_interval(1, 0).has_value());
  EXPECT_FALSE(wilson_interval(3, 2).has_value());
}

TEST(FunnelRules, PlanErrors) {
  const auto loaded = load_fixture();
  FunnelQuery q;
  q.from = at("2024-03-01");
  q.to = at("2024-01-01");
  EXPECT_EQ(FunnelPlan::create(loaded.log, fixture_pipeline(), q).status().code(), ErrorCode::invalid_argument);
  auto other = parse_pipeline_text(R"({"id":"other","name":"x","stages":[{"id":"A","name":"a","kind":"open"},
      {"id":"W","name":"w","kind":"won"},{"id":"L","name":"l","kind":"lost"}]})");
  ASSERT_TRUE(other.ok()) << other.status().to_string();
  EXPECT_EQ(FunnelPlan::create(loaded.log, other->pipeline, {}).status().code(), ErrorCode::not_found);
  EventLog unsealed;
  auto d = unsealed.add_deal("x", unsealed.intern_pipeline("sales"), at("2024-01-01"));
  ASSERT_TRUE(unsealed.append_event(*d, at("2024-01-02"), StageId{0}).ok());
  EXPECT_EQ(FunnelPlan::create(unsealed, fixture_pipeline(), {}).status().code(), ErrorCode::invalid_argument);
}

TEST(FunnelRules, RuleAndBasisNames) {
  for (auto rule : {CountingRule::high_water, CountingRule::touched, CountingRule::strict_order, CountingRule::snapshot}) {
    EXPECT_EQ(parse_counting_rule(to_string(rule)), rule);
  }
  EXPECT_FALSE(parse_counting_rule("furthest").has_value());
  EXPECT_EQ(parse_funnel_basis("closed"), FunnelBasis::closed);
  EXPECT_FALSE(parse_funnel_basis("won").has_value());
}

}  // namespace
}  // namespace dealflow::analytics
