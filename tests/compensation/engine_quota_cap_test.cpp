// Quotas from the quota plan and the fiscal-year cap_total (statement.h),
// computed by hand.
#include "engine_fixture.h"

namespace dealflow::compensation::engine_test {
namespace {

// Ivanova's Q1 target is 1 000 000.00, changed to 800 000.00 on 2024-03-15
// (fixtures/engine-quota.json, by display name); Smirnova's (by id) 500 000.00
// in Q1 only. Marginal 2% to 100% of quota, 4% above.
CompensationPlan quota_plan() {
  return make_plan(R"(
    "quota_plan": "engine-quota.json",
    "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "marginal", "on": "attainment",
      "tiers": [{"from": "0%", "rate": "2%"}, {"from": "100%", "rate": "4%"}]}}]}],
    "participants": [
      {"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01", "quota": "from_plan"}]},
      {"manager": "m-smirnova", "assignments": [{"plan": "ae", "from": "2024-01-01", "quota": "from_plan"}]}]
  )");
}

EventLog quota_history() {
  EventLog log(at("2023-12-01"));
  DealId d = add_deal(log, "Q1", "m-ivanova", 100'000'000, "2024-01-10T09:00:00Z");
  move(log, d, "2024-02-10T10:00:00Z", "WON");
  d = add_deal(log, "Q2", "m-smirnova", 25'000'000, "2024-01-10T09:00:00Z");
  move(log, d, "2024-02-11T10:00:00Z", "WON");
  d = add_deal(log, "Q3", "m-smirnova", 10'000'000, "2024-04-10T09:00:00Z");
  move(log, d, "2024-05-11T10:00:00Z", "WON");
  log.seal();
  return log;
}

// The version in force at the period's end (800 000.00): 1 000 000.00 won is
// 125%: 800 000 × 2% = 16 000.00 and 200 000 × 4% = 8 000.00.
TEST(EngineQuota, FromThePlanVersionInForceAtThePeriodsEnd) {
  auto st = statements(quota_history(), quota_plan(), {"2024-Q1"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  const ParticipantStatement* s = find(*st, "m-ivanova", "2024-Q1");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->lines.size(), 2u);
  EXPECT_EQ(s->lines[0].amount, rub(1'600'000));
  EXPECT_EQ(s->lines[1].amount, rub(800'000));
  EXPECT_EQ(s->lines[1].tier, 2);
  ASSERT_EQ(s->attainment.size(), 1u);
  EXPECT_EQ(s->attainment[0].quota, rub(80'000'000));
  EXPECT_EQ(s->attainment[0].attainment, Rate::ratio(5, 4));
  EXPECT_EQ(s->attainment[0].tier, 2);
  // Smirnova by manager id: 250 000.00 of 500 000.00 = 50%, 2%: 5 000.00.
  const ParticipantStatement* m = find(*st, "m-smirnova", "2024-Q1");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->paid, rub(500'000));
  EXPECT_EQ(m->attainment[0].attainment, Rate::ratio(1, 2));
}

TEST(EngineQuota, MissingTargetNamesAssignmentManagerAndPeriod) {
  auto st = statements(quota_history(), quota_plan(), {"2024-Q2"});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), ErrorCode::invalid_argument);
  const std::string e = st.status().to_string();
  EXPECT_NE(e.find("at /participants/1/assignments/0/quota"), std::string::npos) << e;
  EXPECT_NE(e.find("m-smirnova"), std::string::npos) << e;
  EXPECT_NE(e.find("2024-Q2"), std::string::npos) << e;
  EXPECT_NE(e.find("engine-quota.json"), std::string::npos) << e;
}

// caps.measure_cap 150% of a 1 000 000.00 quota: of 1 000 000.00 + 800 000.00
// won, 1 500 000.00 is paid at 2%: 20 000.00 + 10 000.00; attainment 180%.
TEST(EngineQuota, MeasureCapStopsTheLines) {
  const CompensationPlan plan = make_plan(R"(
    "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "2%"},
                                           "caps": {"measure_cap": "150%"}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01",
                                                               "quota": "1000000.00"}]}]
  )");
  EventLog log(at("2023-12-01"));
  DealId d = add_deal(log, "M1", "m-ivanova", 100'000'000, "2024-01-10T09:00:00Z");
  move(log, d, "2024-02-10T10:00:00Z", "WON");
  d = add_deal(log, "M2", "m-ivanova", 80'000'000, "2024-01-10T09:00:00Z");
  move(log, d, "2024-03-10T10:00:00Z", "WON");
  log.seal();
  auto st = statements(log, plan, {"2024-Q1"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  const ParticipantStatement* s = find(*st, "m-ivanova", "2024-Q1");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->lines.size(), 2u);
  EXPECT_EQ(s->lines[0].amount, rub(2'000'000));
  EXPECT_EQ(s->lines[1].amount, rub(1'000'000));
  EXPECT_EQ(s->paid, rub(3'000'000));
  EXPECT_EQ(s->attainment[0].value, rub(180'000'000));
  EXPECT_EQ(s->attainment[0].attainment, Rate::ratio(9, 5));
  ASSERT_EQ(s->notes.size(), 1u);
  EXPECT_NE(s->notes[0].find("deal M2"), std::string::npos) << s->notes[0];
}

// cap_total per fiscal year: fixed 10 000.00 on flat 10% (Ivanova), and
// 0.1 × the year's TI (4 quarters × 8 000.00) = 3 200.00 (Smirnova).
CompensationPlan cap_plan() {
  return make_plan(R"(
    "plans": [
      {"id": "fixed", "cap_total": "10000.00",
       "components": [{"id": "sales", "rate": {"type": "flat", "rate": "10%"}}]},
      {"id": "ti", "cap_total": "0.1x target_incentive",
       "components": [{"id": "sales", "rate": {"type": "flat", "rate": "10%"}}]}],
    "participants": [
      {"manager": "m-ivanova", "assignments": [{"plan": "fixed", "from": "2024-01-01"}]},
      {"manager": "m-smirnova", "assignments": [{"plan": "ti", "from": "2024-01-01", "target_incentive": "8000.00"}]}]
  )");
}

EventLog cap_history() {
  EventLog log(at("2023-12-01"));
  const char* wins[][4] = {{"C1", "m-ivanova", "6000000", "2024-02-10T10:00:00Z"},
                           {"C2", "m-ivanova", "5000000", "2024-05-10T10:00:00Z"},
                           {"C3", "m-ivanova", "1000000", "2024-08-10T10:00:00Z"},
                           {"C4", "m-ivanova", "2000000", "2025-02-10T10:00:00Z"},
                           {"C5", "m-smirnova", "5000000", "2024-02-12T10:00:00Z"}};
  for (const auto& w : wins) {
    DealId d = add_deal(log, w[0], w[1], std::stoll(w[2]), "2024-01-05T09:00:00Z");
    move(log, d, w[3], "WON");
  }
  log.seal();
  return log;
}

// Q1 6 000.00; Q2 5 000.00 with 6 000.00 before: capped by 1 000.00 (paid
// 4 000.00); Q3 1 000.00 all capped; FY2025 starts afresh: 2 000.00.
TEST(EngineCapTotal, FixedPerFiscalYear) {
  auto st = statements(cap_history(), cap_plan(), {"2024-Q1", "2024-Q2", "2024-Q3", "2025-Q1"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  const std::vector<std::pair<std::string, std::int64_t>> want = {
      {"2024-Q1", 600'000}, {"2024-Q2", 400'000}, {"2024-Q3", 0}, {"2025-Q1", 200'000}};
  for (const auto& [period, paid] : want) {
    const ParticipantStatement* s = find(*st, "m-ivanova", period);
    ASSERT_NE(s, nullptr) << period;
    EXPECT_EQ(s->paid, rub(paid)) << period;
  }
  const ParticipantStatement* q2 = find(*st, "m-ivanova", "2024-Q2");
  ASSERT_EQ(q2->lines.size(), 2u);
  EXPECT_EQ(q2->lines[1].kind, "cap_total");
  EXPECT_EQ(q2->lines[1].amount, rub(-100'000));
  EXPECT_EQ(q2->caps, rub(-100'000));
  EXPECT_NE(q2->lines[1].reason.find("2024"), std::string::npos) << q2->lines[1].reason;
  EXPECT_EQ(find(*st, "m-ivanova", "2024-Q3")->lines[1].amount, rub(-100'000));
  EXPECT_EQ(find(*st, "m-ivanova", "2025-Q1")->lines.size(), 1u);
  // Q3 alone gives the same statement (the fiscal year is recomputed from its start).
  auto alone = statements(cap_history(), cap_plan(), {"2024-Q3"});
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(find(*alone, "m-ivanova", "2024-Q3")->paid, rub(0));
  EXPECT_EQ(find(*alone, "m-ivanova", "2024-Q3")->caps, rub(-100'000));
}

TEST(EngineCapTotal, TimesTargetIncentive) {
  auto st = statements(cap_history(), cap_plan(), {"2024-Q1"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  const ParticipantStatement* s = find(*st, "m-smirnova", "2024-Q1");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->lines.size(), 2u);
  EXPECT_EQ(s->lines[0].amount, rub(500'000));
  EXPECT_EQ(s->lines[1].kind, "cap_total");
  EXPECT_EQ(s->lines[1].amount, rub(-180'000));  // 5 000.00 earned, 3 200.00 allowed
  EXPECT_EQ(s->paid, rub(320'000));
  EXPECT_NE(s->lines[1].reason.find("32000.00 RUB"), std::string::npos) << s->lines[1].reason;
}

}  // namespace
}  // namespace dealflow::compensation::engine_test
