// Loading compensation plan files (dealflow/compensation/plan.h): the bundled
// sample plan, the value syntax and what each structure compiles into.
#include <gtest/gtest.h>

#include <string>

#include "common_fixture.h"
#include "dealflow/compensation/plan.h"

namespace dealflow::compensation {
namespace {

using common_fixture::kDir;
using common_fixture::kRub;

Result<CompensationPlan> load(const Json& j) {
  return parse_compensation_plan_text(j.dump(), "plan.json", kDir);
}

// A small valid plan on the sample team file (shared with plan_errors_test.cpp by copy).
Json plan_minimal() {
  return Json::parse(R"({
    "format": "dealflow.compensation/1", "name": "Тест", "currency": "RUB", "utc_offset": "+03:00",
    "team_file": "../plans/sample-team.json",
    "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "marginal", "on": "amount",
      "tiers": [{"from": "0.00", "rate": "1%"}, {"from": "10000.00", "rate": "2%"}]}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]}]
  })");
}

TEST(CompensationPlan, TheSamplePlanLoads) {
  auto plan = load_compensation_plan_file(kDir + "/sample-plan.json");
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  EXPECT_EQ(plan->currency, kRub);
  EXPECT_EQ(plan->utc_offset_minutes, 180);
  EXPECT_EQ(plan->period, planning::PeriodKind::quarter);
  EXPECT_EQ(plan->rounding, Rounding::half_up);
  ASSERT_EQ(plan->plans.size(), 4u);
  EXPECT_EQ(plan->participants.size(), 12u);
  ASSERT_TRUE(plan->quota_plan.has_value());
  ASSERT_TRUE(plan->clawback.has_value());
  EXPECT_EQ(plan->clawback->window_days, 90);
  EXPECT_EQ(plan->clawback_policy(plan->plans[0]), ClawbackPolicy::historic_rate);
  EXPECT_EQ(plan->clawback_policy(plan->plans[1]), ClawbackPolicy::recompute_period);

  // smb: marginal tiers 2/4/5% at 0/100/150% with a decelerator ×0.5 below 50% lifted at 100%.
  const Component& nb = plan->plans[0].components[0];
  EXPECT_EQ(nb.rate.kind, StructureKind::marginal);
  EXPECT_EQ(nb.rate.basis, TierBasis::attainment);
  ASSERT_EQ(nb.rate.tiers.size(), 3u);
  EXPECT_EQ(nb.rate.tiers[1].from, 10000);
  EXPECT_EQ(nb.rate.tiers[1].rate, Rate::bp(400));
  ASSERT_EQ(nb.rate.modifiers.size(), 1u);
  EXPECT_EQ(nb.rate.modifiers[0].to_bp, 5000);
  EXPECT_EQ(nb.rate.modifiers[0].multiplier, Rate::ratio(1, 2));
  EXPECT_EQ(nb.rate.modifiers[0].lift_at_bp, 10000);
  EXPECT_EQ(nb.rate.cap_per_deal, Money(15'000'000, kRub));
  EXPECT_EQ(nb.measure_cap_bp, 25000);
  ASSERT_EQ(nb.filters.size(), 1u);
  EXPECT_EQ(nb.filters[0].dimension, "business");
  EXPECT_EQ(plan->plans[0].cap_total_ti_factor, Rate::ratio(2, 1));
  // The SPIF.
  const Component& spif = plan->plans[0].components[2];
  EXPECT_EQ(spif.kind, ComponentKind::spif);
  ASSERT_TRUE(spif.spif.has_value());
  EXPECT_EQ(spif.spif->amount, Money(1'000'000, kRub));
  EXPECT_EQ(spif.spif->from->to_string(), "2024-07-01");
  EXPECT_EQ(spif.spif->to->to_string(), "2024-09-30");
  // enterprise: retroactive on amount, a 40% gate, per-deal bonus on won_count.
  const Component& ent = plan->plans[1].components[0];
  EXPECT_EQ(ent.rate.kind, StructureKind::retroactive);
  EXPECT_EQ(ent.rate.basis, TierBasis::amount);
  EXPECT_EQ(ent.rate.tiers[2].from, 1'000'000'000);
  ASSERT_TRUE(ent.rate.gate.has_value());
  EXPECT_EQ(ent.rate.gate->threshold_bp, 4000);
  EXPECT_EQ(plan->plans[1].components[1].rate.per_deal_amount, Money(1'000'000, kRub));
  // accounts: interpolated points 1% / 2.5% / 3.5% at 50 / 100 / 150%, and the flat point at 0
  // that prices below the first one (decision 15).
  const RateSpec& acc = plan->plans[2].components[0].rate;
  EXPECT_EQ(acc.kind, StructureKind::interpolated);
  ASSERT_EQ(acc.tiers.size(), 4u);
  EXPECT_EQ(acc.tiers[0].from, 0);
  EXPECT_EQ(acc.tiers[0].rate, Rate::bp(100));
  EXPECT_EQ(acc.tiers[1].from, 5000);
  EXPECT_EQ(acc.tiers[2].rate, Rate::bp(250));

  // Участники: Попов's two assignments, Морозов's inline quotas and draw, Волкова's overlay.
  const Participant* popov = plan->find_participant("m-popov");
  ASSERT_NE(popov, nullptr);
  ASSERT_EQ(popov->assignments.size(), 2u);
  EXPECT_EQ(popov->in_force(*Date::parse("2024-06-30")), &popov->assignments[0]);
  EXPECT_EQ(popov->in_force(*Date::parse("2024-07-01")), &popov->assignments[1]);
  EXPECT_EQ(popov->in_force(*Date::parse("2023-12-31")), nullptr);
  EXPECT_EQ(popov->assignments[1].target_incentive, Money(13'000'000, kRub));
  const Participant* morozov = plan->find_participant("m-morozov");
  ASSERT_NE(morozov, nullptr);
  EXPECT_EQ(morozov->assignments[0].quota.kind, Quota::Kind::per_period);
  EXPECT_EQ(morozov->assignments[0].quota.per_period.at("2024-Q3"), 330'000'000);
  ASSERT_TRUE(morozov->assignments[0].draw.has_value());
  EXPECT_EQ(morozov->assignments[0].draw->type, DrawType::non_recoverable);
  const Participant* volkova = plan->find_participant("m-volkova");
  ASSERT_NE(volkova, nullptr);
  EXPECT_EQ(volkova->role, Role::head);
  EXPECT_EQ(volkova->in_force(*Date::parse("2024-03-31"))->plan, 2u);
  EXPECT_EQ(volkova->in_force(*Date::parse("2024-04-01"))->plan, 3u);
  ASSERT_EQ(plan->splits.size(), 2u);
  ASSERT_NE(plan->find_split("476"), nullptr);
  EXPECT_EQ(plan->find_split("476")->shares[0].share_bp, 6000);
  ASSERT_EQ(plan->overlays.size(), 1u);
  EXPECT_EQ(plan->overlays[0].team, "accounts");
  EXPECT_EQ(plan->overlays[0].from->to_string(), "2024-04-01");
}

TEST(CompensationPlan, MinimalPlanAndDefaults) {
  auto plan = load(plan_minimal());
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  EXPECT_EQ(plan->rounding, Rounding::half_even);
  EXPECT_EQ(plan->payout.on, PayoutOn::close);
  EXPECT_FALSE(plan->clawback.has_value());
  EXPECT_EQ(plan->plans[0].name, "ae");
  EXPECT_EQ(plan->plans[0].components[0].measure, Measure::won_amount);
  EXPECT_EQ(plan->plans[0].components[0].credit, CreditBasis::direct);
  EXPECT_EQ(plan->participants[0].role, Role::rep);
  EXPECT_EQ(plan->new_business_values, std::vector<std::string>{"new"});
}

TEST(CompensationPlan, ValueSyntax) {
  Json j = plan_minimal();
  // Grouped money with a comma, an explicit currency suffix equal to the plan's, a rate with 4 decimals.
  j["plans"][0]["components"][0]["rate"]["tiers"][1] = {{"from", "10 000,00"}, {"rate", "2.5125%"}};
  j["participants"][0]["assignments"][0]["target_incentive"] = "150000 RUB";
  auto plan = load(j);
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  const auto& tiers = plan->plans[0].components[0].rate.tiers;
  EXPECT_EQ(tiers[1].from, 1'000'000);
  EXPECT_EQ(tiers[1].rate, Rate::ratio(25125, 1'000'000));
  EXPECT_EQ(tiers[1].rate.to_percent(4), "2.5125%");
  EXPECT_EQ(plan->participants[0].assignments[0].target_incentive, Money(15'000'000, kRub));
}

TEST(CompensationPlan, DisplayNameResolvesToId) {
  Json j = plan_minimal();
  j["participants"][0]["manager"] = "Иванова Анна";
  auto plan = load(j);
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  EXPECT_EQ(plan->participants[0].manager, "m-ivanova");
}

TEST(CompensationPlan, CountTiersAreInDealUnits) {
  Json j = plan_minimal();
  j["plans"][0]["components"][0] =
      Json::parse(R"({"id": "n", "measure": "won_count", "rate": {"type": "marginal",
      "on": "count", "tiers": [{"from": 0, "rate": "1%"}, {"from": 12, "rate": "2%"}]}})");
  auto plan = load(j);
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  EXPECT_EQ(plan->plans[0].components[0].rate.tiers[1].from, 12 * kCountUnit);
}

TEST(CompensationPlan, FixedQuotaAndTiFactor) {
  Json j = plan_minimal();
  j["plans"][0]["cap_total"] = "1.5x target_incentive";
  j["participants"][0]["assignments"][0]["target_incentive"] = "100000.00";
  j["participants"][0]["assignments"][0]["quota"] = "1000000.00";
  auto plan = load(j);
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  EXPECT_EQ(plan->plans[0].cap_total_ti_factor, Rate::ratio(3, 2));
  EXPECT_EQ(plan->participants[0].assignments[0].quota.kind, Quota::Kind::fixed);
  EXPECT_EQ(plan->participants[0].assignments[0].quota.value, 100'000'000);
}

TEST(CompensationPlan, SplitsCsv) {
  Json j = plan_minimal();
  j["splits_csv"] = "../../tests/compensation/fixtures/splits.csv";
  auto plan = load(j);
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  ASSERT_EQ(plan->splits.size(), 2u);
  EXPECT_EQ(plan->splits[0].deal, "476");
  EXPECT_EQ(plan->splits[0].shares[1].manager, "m-fedorov");
  EXPECT_EQ(plan->splits[1].shares[0].share_bp, 10000);
}

}  // namespace
}  // namespace dealflow::compensation
