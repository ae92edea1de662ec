// The statement engine's contract fields and options (statement.h): names,
// roles, dates, as-of and provisional, target incentive, attainment, credit
// instants, decelerator factors, blended rates; StatementOptions::as_of and
// ::managers. Every number computed by hand.
#include "engine_fixture.h"

namespace dealflow::compensation::engine_test {
namespace {

// ae: marginal 2% to 1 000 000.00, 3% above. dec: 4% on attainment with a
// ×0.5 decelerator below 50% lifted at 100% (quota 1 000 000.00).
CompensationPlan fields_plan() {
  return make_plan(R"(
    "clawback": {"window_days": 60},
    "plans": [
      {"id": "ae", "components": [{"id": "sales", "rate": {"type": "marginal", "on": "amount",
        "tiers": [{"from": "0.00", "rate": "2%"}, {"from": "1000000.00", "rate": "3%"}]}}]},
      {"id": "dec", "components": [{"id": "sales", "rate": {"type": "marginal", "on": "attainment",
        "tiers": [{"from": "0%", "rate": "4%"}],
        "modifiers": [{"from": "0%", "to": "50%", "factor": "0.5", "lifted_at": "100%"}]}}]}],
    "participants": [
      {"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01", "target_incentive": "100000.00"}]},
      {"manager": "m-smirnova", "assignments": [{"plan": "dec", "from": "2024-01-01", "quota": "1000000.00"}]}]
  )");
}

EventLog fields_history() {
  EventLog log(at("2023-12-01"));
  // I1: 1 200 000.00 Ivanova, won 2024-02-15, reopened 2024-04-05 (50 days, within 60: clawed back in Q2).
  DealId d = add_deal(log, "I1", "m-ivanova", 120'000'000, "2024-01-10T09:00:00Z");
  move(log, d, "2024-02-15T10:00:00Z", "WON");
  move(log, d, "2024-04-05T10:00:00Z", "B");
  // S1 300 000.00 and S2 800 000.00 Smirnova: S2 reaches 110% and lifts the decelerator.
  d = add_deal(log, "S1", "m-smirnova", 30'000'000, "2024-01-05T09:00:00Z");
  move(log, d, "2024-01-20T10:00:00Z", "WON");
  d = add_deal(log, "S2", "m-smirnova", 80'000'000, "2024-02-01T09:00:00Z");
  move(log, d, "2024-03-10T10:00:00Z", "WON");
  log.seal();
  return log;
}

TEST(EngineFields, HeaderAttainmentCreditInstantAndBlendedRate) {
  const CompensationPlan plan = fields_plan();
  auto st = statements(fields_history(), plan, {"2024-Q1"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(st->currency, kRub);
  EXPECT_EQ(st->rounding, Rounding::half_up);
  EXPECT_FALSE(st->as_of.has_value());
  const ParticipantStatement* s = find(*st, "m-ivanova", "2024-Q1");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->manager_name, "Иванова Анна");
  EXPECT_EQ(s->role, Role::rep);
  EXPECT_EQ(s->plan, "ae");
  EXPECT_EQ(s->period_first.to_string(), "2024-01-01");
  EXPECT_EQ(s->period_last.to_string(), "2024-03-31");
  EXPECT_EQ(s->as_of, at("2024-03-31T21:00:00Z"));  // local midnight at +03:00
  EXPECT_FALSE(s->provisional);
  EXPECT_EQ(s->target_incentive, rub(10'000'000));
  // 1 000 000 × 2% = 20 000.00, then 200 000 × 3% = 6 000.00; blended 26 000 / 1 200 000 = 2.1667%.
  ASSERT_EQ(s->lines.size(), 2u);
  EXPECT_EQ(s->lines[0].amount, rub(2'000'000));
  EXPECT_EQ(s->lines[1].amount, rub(600'000));
  EXPECT_EQ(s->lines[0].credit_instant, at("2024-02-15T10:00:00Z"));
  EXPECT_FALSE(s->lines[0].blended_rate.has_value());
  ASSERT_TRUE(s->lines[1].blended_rate.has_value());
  EXPECT_EQ(*s->lines[1].blended_rate, Rate::ratio(2'600'000, 120'000'000));
  EXPECT_EQ(s->lines[1].blended_rate->to_percent(4), "2.1667%");
  ASSERT_EQ(s->attainment.size(), 1u);
  EXPECT_EQ(s->attainment[0].component, "sales");
  EXPECT_EQ(s->attainment[0].value, rub(120'000'000));
  EXPECT_FALSE(s->attainment[0].quota.has_value());
  EXPECT_FALSE(s->attainment[0].attainment.has_value());
  EXPECT_EQ(s->attainment[0].tier, 2);
  EXPECT_TRUE(s->attainment[0].cliff.empty());
}

// S1: 300 000 × 4% × 0.5 = 6 000.00 (factor 0.5); S2 reaches 110%: the lift
// tops S1 up by 6 000.00, then S2 pays 200 000 × 4% + 600 000 × 4% at the full
// rate. Blended: S1 2% (its own line), S2 4%.
TEST(EngineFields, DeceleratorFactorAndLift) {
  auto st = statements(fields_history(), fields_plan(), {"2024-Q1"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  const ParticipantStatement* s = find(*st, "m-smirnova", "2024-Q1");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->lines.size(), 4u);
  EXPECT_EQ(s->lines[0].kind, "credit");
  EXPECT_EQ(s->lines[0].amount, rub(600'000));
  EXPECT_EQ(s->lines[0].factor, Rate::ratio(1, 2));
  EXPECT_EQ(s->lines[0].blended_rate, Rate::bp(200));
  EXPECT_EQ(s->lines[1].kind, "lift");
  EXPECT_EQ(s->lines[1].amount, rub(600'000));
  EXPECT_EQ(s->lines[1].factor, Rate::ratio(1, 2));
  EXPECT_EQ(s->lines[2].amount, rub(800'000));
  EXPECT_FALSE(s->lines[2].factor.has_value());
  EXPECT_EQ(s->lines[3].amount, rub(2'400'000));
  EXPECT_EQ(s->lines[3].blended_rate, Rate::bp(400));
  EXPECT_EQ(s->paid, rub(4'400'000));
  ASSERT_EQ(s->attainment.size(), 1u);
  EXPECT_EQ(s->attainment[0].quota, rub(100'000'000));
  EXPECT_EQ(s->attainment[0].attainment, Rate::ratio(11, 10));
  EXPECT_EQ(s->attainment[0].tier, 1);
}

// As of 2024-03-01: S2 (won 03-10) is not read and Q1 is provisional; as of
// 2024-04-02 the reopening of I1 (04-05) is not read either: no clawback yet.
TEST(EngineFields, AsOfReadsNothingLater) {
  const CompensationPlan plan = fields_plan();
  const EventLog log = fields_history();
  StatementOptions o;
  o.as_of = at("2024-03-01T00:00:00Z");
  auto st = statements(log, plan, {"2024-Q1"}, o);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(st->as_of, o.as_of);
  const ParticipantStatement* s = find(*st, "m-smirnova", "2024-Q1");
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->provisional);
  EXPECT_EQ(s->as_of, at("2024-03-01T00:00:00Z"));
  ASSERT_EQ(s->lines.size(), 1u);
  EXPECT_EQ(s->paid, rub(600'000));

  o.as_of = at("2024-04-02T00:00:00Z");
  st = statements(log, plan, {"2024-Q1", "2024-Q2"}, o);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_FALSE(find(*st, "m-ivanova", "2024-Q1")->provisional);
  EXPECT_EQ(find(*st, "m-ivanova", "2024-Q2"), nullptr);  // nothing yet in Q2
  st = statements(log, plan, {"2024-Q2"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  ASSERT_NE(find(*st, "m-ivanova", "2024-Q2"), nullptr);
  EXPECT_EQ(find(*st, "m-ivanova", "2024-Q2")->paid, rub(-2'600'000));  // clawed back at the historic rates
}

TEST(EngineFields, PeriodStartingAfterAsOfIsAnError) {
  StatementOptions o;
  o.as_of = at("2024-03-01T00:00:00Z");
  auto st = statements(fields_history(), fields_plan(), {"2024-Q1", "2024-Q2"}, o);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), ErrorCode::invalid_argument);
  EXPECT_NE(st.status().to_string().find("2024-Q2"), std::string::npos) << st.status().to_string();
  EXPECT_NE(st.status().to_string().find("as-of"), std::string::npos) << st.status().to_string();
}

TEST(EngineFields, ManagersFilterStatementsNotTheSummary) {
  StatementOptions o;
  o.managers = {"m-ivanova"};
  auto st = statements(fields_history(), fields_plan(), {"2024-Q1"}, o);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  ASSERT_EQ(st->statements.size(), 1u);
  EXPECT_EQ(st->statements[0].manager, "m-ivanova");
  ASSERT_EQ(st->summary.size(), 1u);
  EXPECT_EQ(st->summary[0].paid, rub(2'600'000 + 4'400'000));
  o.managers = {"m-nobody"};
  st = statements(fields_history(), fields_plan(), {"2024-Q1"}, o);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.status().to_string().find("m-nobody"), std::string::npos);
}

// Decision 1: the assignment in force on the period's last day governs it
// (rate plan and TI); the statement notes the change.
TEST(EngineFields, MidPeriodAssignmentChangeLastDayGoverns) {
  const CompensationPlan plan = make_plan(R"(
    "plans": [
      {"id": "low", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "1%"}}]},
      {"id": "high", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "5%"}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [
      {"plan": "low", "from": "2024-01-01", "to": "2024-02-14", "target_incentive": "10000.00"},
      {"plan": "high", "from": "2024-02-15", "target_incentive": "20000.00"}]}]
  )");
  EventLog log(at("2023-12-01"));
  DealId d = add_deal(log, "E", "m-ivanova", 10'000'000, "2024-01-02T09:00:00Z");
  move(log, d, "2024-01-20T10:00:00Z", "WON");  // under "low", priced by "high": 5 000.00
  log.seal();
  auto st = statements(log, plan, {"2024-Q1"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  const ParticipantStatement* s = find(*st, "m-ivanova", "2024-Q1");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->plan, "high");
  EXPECT_EQ(s->target_incentive, rub(2'000'000));
  EXPECT_EQ(s->paid, rub(500'000));
  ASSERT_FALSE(s->notes.empty());
  EXPECT_NE(s->notes[0].find("2024-03-31"), std::string::npos) << s->notes[0];
}

}  // namespace
}  // namespace dealflow::compensation::engine_test
