// Every documented error of a compensation plan file (docs/compensation.md
// "Errors"), each located at its JSON path (or file:line:column) and naming
// the value and what was expected.
#include <gtest/gtest.h>

#include <string>

#include "common_fixture.h"
#include "dealflow/compensation/plan.h"

namespace dealflow::compensation {
namespace {

using common_fixture::kDir;

Json errors_minimal() {
  return Json::parse(R"({
    "format": "dealflow.compensation/1", "name": "Тест", "currency": "RUB", "utc_offset": "+03:00",
    "team_file": "../plans/sample-team.json", "quota_plan": "../plans/sample-2024.json",
    "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "marginal", "on": "amount",
      "tiers": [{"from": "0.00", "rate": "1%"}, {"from": "10000.00", "rate": "2%"},
                {"from": "50000.00", "rate": "3%"}]}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]},
                     {"manager": "m-popov", "assignments": [{"plan": "ae", "from": "2024-01-01"}]}]
  })");
}

// An attainment-based component: marginal 2/4% at 0/100% of quota.
Json attainment_tiers() {
  return Json::parse(R"({"type": "marginal", "on": "attainment",
      "tiers": [{"from": "0%", "rate": "2%"}, {"from": "100%", "rate": "4%"}]})");
}

Json& component(Json& j) {
  return j["plans"][0]["components"][0];
}

void expect_error(const Json& j, const std::string& path, const std::string& text) {
  auto plan = parse_compensation_plan_text(j.dump(), "plan.json", kDir);
  ASSERT_FALSE(plan.ok()) << "expected an error at " << path;
  EXPECT_EQ(plan.status().location().file, "plan.json") << plan.status().to_string();
  EXPECT_EQ(plan.status().location().json_path, path) << plan.status().to_string();
  EXPECT_NE(plan.status().message().find(text), std::string::npos) << plan.status().to_string();
}

TEST(CompensationPlanErrors, TheBasePlanIsValid) {
  auto plan = parse_compensation_plan_text(errors_minimal().dump(), "plan.json", kDir);
  EXPECT_TRUE(plan.ok()) << plan.status().to_string();
}

TEST(CompensationPlanErrors, SyntaxErrorHasLineAndColumn) {
  auto plan = parse_compensation_plan_text("{\n  \"format\": ,\n}", "plan.json", kDir);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().location().line, 2) << plan.status().to_string();
  EXPECT_GT(plan.status().location().column, 0);
}

TEST(CompensationPlanErrors, DuplicateKey) {
  const std::string text = R"({"format": "dealflow.compensation/1", "format": "x"})";
  auto plan = parse_compensation_plan_text(text, "plan.json", kDir);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().location().json_path, "/format");
  EXPECT_EQ(plan.status().code(), ErrorCode::duplicate);
}

TEST(CompensationPlanErrors, UnknownAndMissingKeys) {
  Json j = errors_minimal();
  component(j)["rates"] = 1;
  expect_error(j, "/plans/0/components/0/rates", "unknown key 'rates'");
  j = errors_minimal();
  j.erase("currency");
  expect_error(j, "/currency", "missing");
  j = errors_minimal();
  j["format"] = "dealflow.compensation/2";
  expect_error(j, "/format", "expected dealflow.compensation/1");
}

TEST(CompensationPlanErrors, BadValues) {
  Json j = errors_minimal();
  component(j)["rate"]["tiers"][1]["rate"] = "3,5";
  expect_error(j, "/plans/0/components/0/rate/tiers/1/rate", "'3,5': expected a rate such as 3.5%");
  j = errors_minimal();
  component(j)["rate"]["tiers"][1]["rate"] = "101%";
  expect_error(j, "/plans/0/components/0/rate/tiers/1/rate", "'101%': expected a rate");
  j = errors_minimal();
  j["participants"][1]["assignments"][0]["target_incentive"] = "120000.001";
  expect_error(j, "/participants/1/assignments/0/target_incentive",
               "'120000.001': expected an amount in RUB such as 120000.00");
  j = errors_minimal();
  j["participants"][0]["assignments"][0]["from"] = "2024-02-30";
  expect_error(j, "/participants/0/assignments/0/from", "'2024-02-30': expected a date");
  j = errors_minimal();
  j["splits"] = Json::parse(R"([{"deal": "1", "shares": [{"manager": "m-popov", "share": "0%"}]}])");
  expect_error(j, "/splits/0/shares/0/share", "'0%': expected a share");
}

TEST(CompensationPlanErrors, Rounding) {
  Json j = errors_minimal();
  j["rounding"] = "bankers";
  expect_error(j, "/rounding", "'bankers': expected half-up or half-even");
}

TEST(CompensationPlanErrors, BadPeriod) {
  Json j = errors_minimal();
  j["period"] = "week";
  expect_error(j, "/period", "'week': expected month, quarter, half or year");
  // Inline quota keyed by a period of another length than the plan's.
  j = errors_minimal();
  j["participants"][0]["assignments"][0]["quota"] = Json::parse(R"({"2024-07": "1000000.00"})");
  expect_error(j, "/participants/0/assignments/0/quota/2024-07",
               "expected a period of the plan's length (quarter)");
  j["participants"][0]["assignments"][0]["quota"] = Json::parse(R"({"2024-Q5": "1000000.00"})");
  expect_error(j, "/participants/0/assignments/0/quota/2024-Q5", "'2024-Q5'");
}

TEST(CompensationPlanErrors, OverlappingTiers) {
  Json j = errors_minimal();
  component(j)["rate"]["tiers"][2]["from"] = "5000.00";
  expect_error(
      j, "/plans/0/components/0/rate/tiers/2/from",
      "below the previous tier's from 10 000.00 RUB (at /plans/0/components/0/rate/tiers/1): tiers overlap");
}

TEST(CompensationPlanErrors, FirstTierNotAtZeroAndToGap) {
  Json j = errors_minimal();
  component(j)["rate"]["tiers"][0]["from"] = "100.00";
  expect_error(j, "/plans/0/components/0/rate/tiers/0/from", "expected the first tier from 0");
  j = errors_minimal();
  component(j)["rate"]["tiers"][1]["to"] = "40000.00";
  expect_error(j, "/plans/0/components/0/rate/tiers/1/to",
               "leaves a gap to the next tier from 50 000.00 RUB");
}

TEST(CompensationPlanErrors, TierInAnotherCurrency) {
  Json j = errors_minimal();
  component(j)["rate"]["tiers"][2]["from"] = "50000 USD";
  expect_error(j, "/plans/0/components/0/rate/tiers/2/from",
               "'50000 USD': a tier in USD; the component measures RUB (the plan's currency)");
}

TEST(CompensationPlanErrors, TiersMixingBases) {
  Json j = errors_minimal();
  component(j)["rate"] = attainment_tiers();
  component(j)["rate"]["tiers"][1]["from"] = "10000.00";
  j["participants"][0]["assignments"][0]["quota"] = "from_plan";
  expect_error(j, "/plans/0/components/0/rate/tiers/1/from", "an amount in a table on attainment");
}

TEST(CompensationPlanErrors, Modifiers) {
  Json j = errors_minimal();
  component(j)["rate"]["modifiers"] =
      Json::parse(R"([{"from": "0%", "to": "50%", "factor": "0.5", "lifted_at": "40%"}])");
  expect_error(j, "/plans/0/components/0/rate/modifiers/0/lifted_at",
               "below the decelerator's end 50%: expected lifted_at >= to");
  component(j)["rate"]["modifiers"] =
      Json::parse(R"([{"from": "100%", "factor": "1.5", "lifted_at": "120%"}])");
  expect_error(j, "/plans/0/components/0/rate/modifiers/0/lifted_at", "only a decelerator");
  component(j)["rate"]["modifiers"] =
      Json::parse(R"([{"from": "0%", "to": "60%", "factor": "0.5"}, {"from": "50%", "factor": "1.5"}])");
  expect_error(j, "/plans/0/components/0/rate/modifiers/1", "overlaps the modifier at");
}

TEST(CompensationPlanErrors, SharesNot100) {
  Json j = errors_minimal();
  j["splits"] = Json::parse(R"([{"deal": "1042", "shares": [{"manager": "m-sokolova", "share": "60%"},
      {"manager": "m-fedorov", "share": "30%"}]}])");
  expect_error(j, "/splits/0/shares", "the shares of deal 1042 sum to 90%: expected 100%");
}

TEST(CompensationPlanErrors, SharesNot100InCsv) {
  Json j = errors_minimal();
  j["splits_csv"] = "../../tests/compensation/fixtures/splits_90.csv";
  auto plan = parse_compensation_plan_text(j.dump(), "plan.json", kDir);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().location().line, 2) << plan.status().to_string();
  EXPECT_NE(plan.status().location().file.find("splits_90.csv"), std::string::npos);
  EXPECT_NE(plan.status().message().find("sum to 90%"), std::string::npos) << plan.status().to_string();
}

TEST(CompensationPlanErrors, DealSplitTwiceAndManagerTwice) {
  Json j = errors_minimal();
  j["splits"] = Json::parse(R"([{"deal": "7", "shares": [{"manager": "m-popov", "share": "100%"}]},
      {"deal": "7", "shares": [{"manager": "m-kozlov", "share": "100%"}]}])");
  expect_error(j, "/splits/1/deal", "deal 7 is already split at /splits/0");
  j["splits"] = Json::parse(R"([{"deal": "7", "shares": [{"manager": "m-popov", "share": "50%"},
      {"manager": "m-popov", "share": "50%"}]}])");
  expect_error(j, "/splits/0/shares/1/manager", "a manager twice");
}

TEST(CompensationPlanErrors, UnknownManagerAgainstTheTeamFile) {
  Json j = errors_minimal();
  j["participants"][1]["manager"] = "m-ivanov";
  expect_error(j, "/participants/1/manager", "'m-ivanov': not a manager of");
  j = errors_minimal();
  j["splits"] = Json::parse(R"([{"deal": "1", "shares": [{"manager": "Nobody", "share": "100%"}]}])");
  expect_error(j, "/splits/0/shares/0/manager", "'Nobody': not a manager of");
  j = errors_minimal();
  j["participants"][1]["manager"] = "m-ivanova";
  expect_error(j, "/participants/1/manager", "already a participant at /participants/0");
}

TEST(CompensationPlanErrors, UnknownPlanAndTeam) {
  Json j = errors_minimal();
  j["participants"][0]["assignments"][0]["plan"] = "ae-senor";
  expect_error(j, "/participants/0/assignments/0/plan", "'ae-senor': expected a plan id (ae)");
  j = errors_minimal();
  j["overlays"] = Json::parse(R"([{"team": "salez", "manager": "m-popov"}])");
  expect_error(j, "/overlays/0/team", "'salez': not a team of");
}

TEST(CompensationPlanErrors, OverlappingAssignments) {
  Json j = errors_minimal();
  j["participants"][0]["assignments"] =
      Json::parse(R"([{"plan": "ae", "from": "2024-01-01", "to": "2024-06-30"},
      {"plan": "ae", "from": "2024-03-01"}])");
  expect_error(
      j, "/participants/0/assignments/1/from",
      "in force from 2024-03-01 while the assignment at /participants/0/assignments/0 runs to 2024-06-30");
}

TEST(CompensationPlanErrors, OverlappingOverlaysAndNoHead) {
  Json j = errors_minimal();
  j["overlays"] = Json::parse(R"([{"team": "sales", "manager": "m-volkova"},
      {"team": "smb-inbound", "manager": "m-volkova"}])");
  expect_error(j, "/overlays/1",
               "'smb-inbound', a sub-team of 'sales' (at /overlays/0): expected one overlay per deal");
  j["overlays"] = Json::parse(R"([{"team": "sales"}])");
  expect_error(j, "/overlays/0", "team 'sales' has no head");
}

TEST(CompensationPlanErrors, CapBelowAThreshold) {
  Json j = errors_minimal();
  component(j)["rate"] = attainment_tiers();
  component(j)["caps"] = Json::parse(R"({"measure_cap": "90%"})");
  j["participants"][0]["assignments"][0]["quota"] = "from_plan";
  j["participants"][1]["assignments"][0]["quota"] = "from_plan";
  expect_error(
      j, "/plans/0/components/0/caps/measure_cap",
      "'90%': below the tier from 100% (at /plans/0/components/0/rate/tiers/1): the tier cannot be reached");
  // per_period below per_deal.
  j = errors_minimal();
  component(j)["caps"] = Json::parse(R"({"per_deal": "5000.00", "per_period": "4000.00"})");
  expect_error(j, "/plans/0/components/0/caps/per_period", "below the per-deal cap 5 000.00 RUB");
  // Measure cap at or below the gate.
  j = errors_minimal();
  component(j)["gate"] = "50%";
  component(j)["caps"] = Json::parse(R"({"measure_cap": "50%"})");
  j["participants"][0]["assignments"][0]["quota"] = "from_plan";
  j["participants"][1]["assignments"][0]["quota"] = "from_plan";
  expect_error(j, "/plans/0/components/0/caps/measure_cap", "at or below the gate 50%");
}

TEST(CompensationPlanErrors, PeriodCapBelowTheGatePayoutWithAnInlineQuota) {
  Json j = errors_minimal();
  component(j)["rate"] = Json::parse(R"({"type": "flat", "rate": "3%"})");
  component(j)["gate"] = "50%";
  component(j)["caps"] = Json::parse(R"({"per_period": "10000.00"})");
  j["participants"][0]["assignments"][0]["quota"] = "1000000.00";
  j["participants"][1]["assignments"][0]["quota"] = "1000000.00";
  // At the gate 50% of 1 000 000.00 the flat 3% pays 15 000.00 > the cap 10 000.00.
  expect_error(j, "/plans/0/components/0/caps/per_period",
               "with the quota 1 000 000.00 RUB at /participants/0");
}

TEST(CompensationPlanErrors, TiFactorWithoutTargetIncentive) {
  Json j = errors_minimal();
  j["plans"][0]["cap_total"] = "2x target_incentive";
  j["participants"][0]["assignments"][0]["target_incentive"] = "100000.00";
  expect_error(j, "/plans/0/cap_total",
               "'2x target_incentive': assignment at /participants/1/assignments/0 has no target_incentive");
}

TEST(CompensationPlanErrors, MarginWithoutField) {
  Json j = errors_minimal();
  component(j)["measure"] = "margin";
  expect_error(j, "/plans/0/components/0/measure", "'margin': expected \"margin_field\" in the plan");
}

TEST(CompensationPlanErrors, RateTypeAndMeasureThatDoNotFit) {
  Json j = errors_minimal();
  component(j)["rate"] = Json::parse(R"({"type": "per_deal", "amount": "5000.00"})");
  expect_error(j, "/plans/0/components/0/rate/type",
               "'per_deal': pays per deal: expected measure won_count (the component measures won_amount)");
  j = errors_minimal();
  component(j)["rate"]["type"] = "stepped";
  expect_error(j, "/plans/0/components/0/rate/type",
               "expected flat, per_deal, marginal, retroactive or interpolated");
  j = errors_minimal();
  component(j)["measure"] = "won_count";
  expect_error(j, "/plans/0/components/0/rate/on", "'amount': a table on amount with measure won_count");
}

TEST(CompensationPlanErrors, QuotaFromAMissingPlanAndNoQuota) {
  Json j = errors_minimal();
  j.erase("quota_plan");
  j["participants"][0]["assignments"][0]["quota"] = "from_plan";
  expect_error(j, "/participants/0/assignments/0/quota",
               "'from_plan': expected \"quota_plan\" in the plan file");
  j = errors_minimal();
  component(j)["rate"] = attainment_tiers();
  j["participants"][0]["assignments"][0]["quota"] = "from_plan";
  expect_error(j, "/participants/1/assignments/0", "no quota: plan 'ae' component 'sales' reads attainment");
}

TEST(CompensationPlanErrors, Interpolated) {
  Json j = errors_minimal();
  component(j)["rate"] = Json::parse(R"({"type": "interpolated", "on": "attainment",
      "points": [{"at": "50%", "rate": "2%"}, {"at": "100%", "rate": "1%"}]})");
  j["participants"][0]["assignments"][0]["quota"] = "from_plan";
  j["participants"][1]["assignments"][0]["quota"] = "from_plan";
  expect_error(j, "/plans/0/components/0/rate/points/1/rate", "expected rates non-decreasing in attainment");
  component(j)["rate"]["points"][1] = {{"at", "100%"}, {"share_of_ti", "100%"}};
  expect_error(j, "/plans/0/components/0/rate/points/1/share_of_ti", "expected \"rate\"");
  // A share of the target incentive is not priced by statements (docs/compensation.md "Decisions").
  component(j)["rate"] = Json::parse(R"({"type": "interpolated", "on": "attainment", "pays": "target_incentive",
      "points": [{"at": "0%", "share_of_ti": "0%"}, {"at": "100%", "share_of_ti": "100%"}]})");
  expect_error(j, "/plans/0/components/0/rate/pays", "'target_incentive': not supported");
  component(j)["rate"]["pays"] = "bonus";
  expect_error(j, "/plans/0/components/0/rate/pays", "'bonus': expected rate");
}

TEST(CompensationPlanErrors, ClawbackPayoutDraw) {
  Json j = errors_minimal();
  j["clawback"] = Json::parse(R"({"window_days": 90, "policy": "recompute"})");
  expect_error(j, "/clawback/policy", "'recompute': expected historic-rate or recompute-period");
  j["clawback"] = Json::parse(R"({"window_days": 0})");
  expect_error(j, "/clawback/window_days", "expected a whole number of days >= 1");
  j = errors_minimal();
  j["payout"] = Json::parse(R"({"on": "field", "field": "amount"})");
  expect_error(j, "/payout/field", "'amount': not a date field");
  j = errors_minimal();
  j["participants"][0]["assignments"][0]["draw"] = Json::parse(R"({"type": "loan", "amount": "1500.00"})");
  expect_error(j, "/participants/0/assignments/0/draw/type",
               "'loan': expected recoverable or non_recoverable");
  j["participants"][0]["assignments"][0]["draw"] =
      Json::parse(R"({"type": "recoverable", "amount": "0.00"})");
  expect_error(j, "/participants/0/assignments/0/draw/amount", "expected a draw above 0");
}

TEST(CompensationPlanErrors, SpifAndFilter) {
  Json j = errors_minimal();
  j["plans"][0]["components"].push_back(Json::parse(R"({"id": "s", "kind": "spif",
      "spif": {"amount": "1000.00", "from": "2024-09-30", "to": "2024-07-01"}})"));
  expect_error(j, "/plans/0/components/1/spif/to", "is before from 2024-09-30");
  j = errors_minimal();
  component(j)["filter"] = Json::parse(R"({"product": []})");
  expect_error(j, "/plans/0/components/0/filter/product", "an empty list");
  component(j)["filter"] = Json::parse(R"({"business": "old"})");
  expect_error(j, "/plans/0/components/0/filter/business", "'old': expected new or repeat");
}

TEST(CompensationPlanErrors, QuotaKindMustFitTheMeasure) {
  Json j = errors_minimal();
  component(j)["rate"] = attainment_tiers();
  j["participants"][0]["assignments"][0]["quota"] = 12;
  j["participants"][1]["assignments"][0]["quota"] = "from_plan";
  expect_error(j, "/participants/0/assignments/0/quota",
               "a count: component 'sales' of plan 'ae' measures won_amount: expected an amount");
}

TEST(CompensationPlanErrors, OpenLastTierAndLiftWithoutEnd) {
  Json j = errors_minimal();
  component(j)["rate"]["tiers"][2]["to"] = "90000.00";
  expect_error(j, "/plans/0/components/0/rate/tiers/2/to", "the last tier is open");
  j = errors_minimal();
  component(j)["rate"]["modifiers"] =
      Json::parse(R"([{"from": "0%", "factor": "0.5", "lifted_at": "100%"}])");
  expect_error(j, "/plans/0/components/0/rate/modifiers/0/lifted_at", "needs an end");
}

TEST(CompensationPlanErrors, CapInAnotherCurrency) {
  Json j = errors_minimal();
  component(j)["caps"] = Json::parse(R"({"per_deal": "5000 USD"})");
  expect_error(j, "/plans/0/components/0/caps/per_deal",
               "'5000 USD': a cap in USD; the plan pays and measures in RUB");
}

TEST(CompensationPlanErrors, PayoutFieldOnClose) {
  Json j = errors_minimal();
  j["payout"] = Json::parse(R"({"on": "close", "field": "invoice_paid_date"})");
  expect_error(j, "/payout/field", "expected \"on\": \"field\"");
}

TEST(CompensationPlanErrors, TeamFileMissing) {
  Json j = errors_minimal();
  j["team_file"] = "../plans/no-such-team.json";
  auto plan = parse_compensation_plan_text(j.dump(), "plan.json", kDir);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().to_string().find("\"team_file\" at plan.json: at /team_file"), std::string::npos)
      << plan.status().to_string();
}

}  // namespace
}  // namespace dealflow::compensation
