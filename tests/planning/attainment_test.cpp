// Attainment, pacing and coverage on the hand-built June 2024 log (plan_fixture.h), by hand.
#include "dealflow/planning/attainment.h"

#include "planning/plan_fixture.h"

namespace dealflow::planning {
namespace {

using plan_testing::at;
using plan_testing::plan_or_throw;

const char* kJunePlan = R"({"name": "Июнь", "currency": "RUB", "targets": [
  {"period": "2024-06", "scope": "company", "metric": "won_amount", "target": "1000000.00"},
  {"period": "2024-06", "scope": "manager", "scope_value": "Иванова Анна", "metric": "won_amount", "target": "600000.00"},
  {"period": "2024-06", "scope": "manager", "scope_value": "Иванова Анна", "metric": "won_amount", "target": "700000.00",
   "effective_from": "2024-06-14"},
  {"period": "2024-06", "scope": "manager", "scope_value": "Петров Пётр", "metric": "won_amount", "target": "300000.00"},
  {"period": "2024-06", "scope": "company", "metric": "won_count", "target": 3},
  {"period": "2024-06", "scope": "company", "metric": "created_count", "target": 10}]})";

struct Fixture {
  analytics::EventLog log = plan_testing::june_log();
  BusinessCalendar calendar = plan_testing::june_calendar();
  Plan plan = plan_or_throw(kJunePlan);
  AttainmentReport run(Instant as_of, AttainmentQuery q = {}) {
    q.as_of = as_of;
    q.calendar = &calendar;
    auto r = compute_attainment(plan, log, {&plan_testing::sales_pipeline()}, q);
    if (!r) throw std::runtime_error(r.status().to_string());
    return std::move(*r);
  }
};

const AttainmentRow& row(const AttainmentReport& r, PlanScope scope, const std::string& value,
                         PlanMetric metric, std::uint32_t version = 0, bool any_version = true) {
  for (const auto& x : r.rows)
    if (x.scope == scope && x.scope_value == value && x.metric == metric &&
        (any_version || x.version == version))
      return x;
  throw std::runtime_error("no row " + value);
}

TEST(Attainment, CompanyAmountByHand) {
  Fixture f;
  const auto r = f.run(at("2024-06-15T10:00:00Z"));
  ASSERT_EQ(r.periods, (std::vector<std::uint32_t>{0}));
  EXPECT_EQ(r.calendar, "Россия июнь 2024");
  const auto& c = row(r, PlanScope::company, "", PlanMetric::won_amount);
  EXPECT_EQ(c.plan, 100000000);
  EXPECT_EQ(c.fact, 35000000);  // d1 200 000 + d2 150 000; d3 closed in May (UTC), d8 after as-of
  EXPECT_EQ(c.deals, 2);
  EXPECT_EQ(c.other_currency, 1);  // d9 in USD, no --fx
  EXPECT_DOUBLE_EQ(*c.attainment, 0.35);
  // June 2024 on the calendar: 20 weekdays - 12 June + Saturday 8 June = 20; elapsed [1, 15) = 10.
  EXPECT_EQ(c.total_days, 20);
  EXPECT_EQ(c.elapsed_days, 10);
  EXPECT_EQ(c.remaining_days, 10);
  EXPECT_EQ(c.expected_by_now.units, 50000000);  // 1 000 000 x 10 / 20
  EXPECT_EQ(c.projection.units, 70000000);       // 350 000 / 10 x 20
  EXPECT_EQ(c.required_per_day.units, 6500000);  // 650 000 / 10
  // Coverage: d4 300 000 at p 0.6 and d5 100 000 at its own 35.55% close in June.
  EXPECT_EQ(c.open_deals, 2);
  EXPECT_EQ(c.pipeline, 40000000);
  EXPECT_EQ(c.weighted.units, 21555000);  // 180 000 + 35 550
  EXPECT_FALSE(c.covered);
  EXPECT_DOUBLE_EQ(*c.coverage, 400000.0 / 650000.0);
  EXPECT_DOUBLE_EQ(*c.weighted_coverage, 215550.0 / 650000.0);
  EXPECT_EQ(r.notes.size(), 1u);
}

TEST(Attainment, ManagersAreCreditedAsOfTheClosingInstant) {
  Fixture f;
  const auto r = f.run(at("2024-06-15T10:00:00Z"));
  const auto& iv = row(r, PlanScope::manager, plan_testing::kIvanova, PlanMetric::won_amount);
  EXPECT_EQ(iv.plan, 70000000);  // the version from 2024-06-14
  EXPECT_EQ(iv.version, 1u);
  EXPECT_EQ(iv.fact, 20000000);  // d1 only: d2 was reassigned to her after it was won
  EXPECT_EQ(iv.expected_by_now.units, 35000000);
  EXPECT_EQ(iv.projection.units, 40000000);
  EXPECT_EQ(iv.required_per_day.units, 5000000);
  EXPECT_EQ(iv.pipeline, 30000000);
  EXPECT_EQ(iv.weighted.units, 18000000);
  EXPECT_DOUBLE_EQ(*iv.coverage, 0.6);
  EXPECT_DOUBLE_EQ(*iv.weighted_coverage, 0.36);
  const auto& pe = row(r, PlanScope::manager, plan_testing::kPetrov, PlanMetric::won_amount);
  EXPECT_EQ(pe.fact, 15000000);  // d2
  EXPECT_EQ(pe.other_currency, 1);
  EXPECT_DOUBLE_EQ(*pe.attainment, 0.5);
  EXPECT_EQ(pe.required_per_day.units, 1500000);
  EXPECT_EQ(pe.weighted.units, 3555000);
  EXPECT_DOUBLE_EQ(*pe.weighted_coverage, 35550.0 / 150000.0);
}

TEST(Attainment, CountsAreExactFractions) {
  Fixture f;
  const auto r = f.run(at("2024-06-15T10:00:00Z"));
  const auto& won = row(r, PlanScope::company, "", PlanMetric::won_count);
  EXPECT_EQ(won.fact, 3);  // d1, d2, d9: counts do not care about currency
  EXPECT_DOUBLE_EQ(*won.attainment, 1.0);
  EXPECT_DOUBLE_EQ(won.expected_by_now.value, 1.5);
  EXPECT_EQ(won.expected_by_now.units, 2);  // half to even
  EXPECT_DOUBLE_EQ(won.projection.value, 6.0);
  EXPECT_TRUE(won.required_per_day.defined);
  EXPECT_EQ(won.required_per_day.units, 0);
  EXPECT_TRUE(won.covered);
  EXPECT_FALSE(won.coverage.has_value());
  EXPECT_EQ(won.pipeline, 2);
  EXPECT_DOUBLE_EQ(won.weighted.value, 0.9555);
  const auto& created = row(r, PlanScope::company, "", PlanMetric::created_count);
  EXPECT_EQ(created.fact, 6);  // d2, d5, d6, d7, d8, d9
  EXPECT_DOUBLE_EQ(created.required_per_day.value, 0.4);
  EXPECT_EQ(created.required_per_day.units, 0);
  EXPECT_DOUBLE_EQ(created.projection.value, 12.0);
}

TEST(Attainment, PeriodsAreLocalDatesAtTheOffset) {
  Fixture f;
  AttainmentQuery q;
  q.utc_offset_minutes = 180;
  const auto r = f.run(at("2024-06-15T10:00:00Z"), q);
  // d3, won 2024-05-31T23:00Z, is 1 June 02:00 at +03:00.
  EXPECT_EQ(row(r, PlanScope::company, "", PlanMetric::won_amount).fact, 45000000);
  EXPECT_EQ(row(r, PlanScope::manager, plan_testing::kIvanova, PlanMetric::won_amount).fact, 30000000);
}

TEST(Attainment, VersionsBeforeAndAfterTheEffectiveDate) {
  Fixture f;
  const auto before = f.run(at("2024-06-13T23:59:59Z"));
  const auto& iv = row(before, PlanScope::manager, plan_testing::kIvanova, PlanMetric::won_amount);
  EXPECT_EQ(iv.plan, 60000000);
  EXPECT_EQ(iv.version, 0u);
  EXPECT_EQ(iv.version_count, 2u);
  EXPECT_EQ(iv.elapsed_days, 8);                  // 3–7, Saturday 8, 10, 11 (12 is a holiday)
  EXPECT_EQ(iv.expected_by_now.units, 24000000);  // 600 000 x 8 / 20
  AttainmentQuery all;
  all.all_versions = true;
  const auto every = f.run(at("2024-06-15T10:00:00Z"), all);
  std::vector<std::pair<std::int64_t, bool>> versions;
  for (const auto& x : every.rows)
    if (x.scope == PlanScope::manager && x.scope_value == plan_testing::kIvanova)
      versions.push_back({x.plan, x.in_force});
  EXPECT_EQ(versions, (std::vector<std::pair<std::int64_t, bool>>{{60000000, false}, {70000000, true}}));
}

TEST(Attainment, FxConvertsEveryWonAmount) {
  Fixture f;
  FxTable rates;
  ASSERT_TRUE(
      rates.add(plan_testing::day("2024-06-01"), Currency::of("USD"), Currency::of("RUB"), *parse_fx_rate("90"))
          .ok());
  AttainmentQuery q;
  q.fx = FxConversion{&rates, Currency::of("RUB"), FxPolicy::rate_at_close};
  const auto r = f.run(at("2024-06-15T10:00:00Z"), q);
  const auto& c = row(r, PlanScope::company, "", PlanMetric::won_amount);
  EXPECT_EQ(c.fact, 44000000);  // + 1 000.00 USD x 90
  EXPECT_EQ(c.other_currency, 0);
  EXPECT_EQ(row(r, PlanScope::manager, plan_testing::kPetrov, PlanMetric::won_amount).fact, 24000000);
  EXPECT_TRUE(r.notes.empty());
}

TEST(Attainment, AMissingRateIsAnError) {
  Fixture f;
  FxTable rates;
  AttainmentQuery q;
  q.fx = FxConversion{&rates, Currency::of("RUB"), FxPolicy::rate_at_close};
  q.as_of = at("2024-06-15T10:00:00Z");
  auto r = compute_attainment(f.plan, f.log, {&plan_testing::sales_pipeline()}, q);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::not_found);
}

TEST(Attainment, ScopeFilterAndDefaultPeriods) {
  Fixture f;
  AttainmentQuery q;
  q.scope = PlanScope::manager;
  const auto r = f.run(at("2024-06-15T10:00:00Z"), q);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].scope_value, plan_testing::kIvanova);
  EXPECT_EQ(r.rows[1].scope_value, plan_testing::kPetrov);
  // At midnight after the month the finished month is reported, fully elapsed.
  const auto july = f.run(at("2024-07-01T00:00:00Z"));
  ASSERT_EQ(july.periods, (std::vector<std::uint32_t>{0}));
  const auto& c = row(july, PlanScope::company, "", PlanMetric::won_amount);
  EXPECT_EQ(c.elapsed_days, 20);
  EXPECT_EQ(c.remaining_days, 0);
  EXPECT_EQ(c.fact, 43000000);               // d8 won on 20 June
  EXPECT_FALSE(c.required_per_day.defined);  // behind plan with no working day left
  EXPECT_EQ(c.projection.units, c.fact);
}

TEST(Attainment, NothingElapsedYet) {
  Fixture f;
  const auto r = f.run(at("2024-06-01T08:00:00Z"));
  const auto& c = row(r, PlanScope::company, "", PlanMetric::won_amount);
  EXPECT_EQ(c.elapsed_days, 0);
  EXPECT_FALSE(c.projection.defined);
  EXPECT_EQ(c.expected_by_now.units, 0);
  EXPECT_EQ(c.required_per_day.units, 5000000);  // 1 000 000 / 20
}

TEST(Attainment, TeamTargetsNeedTheTeamModel) {
  Fixture f;
  f.plan = plan_or_throw(
      R"({"targets": [{"period": "2024-06", "scope": "team", "scope_value": "smb", "metric": "won_count", "target": 1}]})");
  AttainmentQuery q;
  q.as_of = at("2024-06-15T10:00:00Z");
  auto r = compute_attainment(f.plan, f.log, {&plan_testing::sales_pipeline()}, q);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("needs the team file"), std::string::npos);
}

}  // namespace
}  // namespace dealflow::planning
