// Payout on a field (docs/compensation.md "Payout timing", decision 8): held
// deals, late lines at the historic amounts, a held deal reversed before its
// payout dropped. Computed by hand.
#include "engine_fixture.h"

namespace dealflow::compensation::engine_test {
namespace {

// Flat 3% paid when invoice_paid is set; clawback within 60 days.
CompensationPlan payout_plan() {
  return make_plan(R"(
    "payout": {"on": "field", "field": "invoice_paid"},
    "clawback": {"window_days": 60},
    "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "3%"}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]}]
  )");
}

// P1 100 000.00 won 02-10, invoiced 03-05 (paid in Q1); P2 200 000.00 won
// 03-20, invoiced 04-10 (held in Q1, late in Q2); P3 50 000.00 won 03-25,
// never invoiced, reopened 04-15 (dropped, never clawed back).
EventLog payout_history() {
  EventLog log(at("2023-12-01"));
  const analytics::DimensionId paid = log.add_dimension("invoice_paid");
  DealId d = add_deal(log, "P1", "m-ivanova", 10'000'000, "2024-01-10T09:00:00Z");
  move(log, d, "2024-02-10T10:00:00Z", "WON");
  EXPECT_TRUE(log.add_dimension_change(d, at("2024-03-05T09:00:00Z"), paid, "2024-03-05").ok());
  d = add_deal(log, "P2", "m-ivanova", 20'000'000, "2024-01-10T09:00:00Z");
  move(log, d, "2024-03-20T10:00:00Z", "WON");
  EXPECT_TRUE(log.add_dimension_change(d, at("2024-04-10T09:00:00Z"), paid, "2024-04-10").ok());
  d = add_deal(log, "P3", "m-ivanova", 5'000'000, "2024-01-10T09:00:00Z");
  move(log, d, "2024-03-25T10:00:00Z", "WON");
  move(log, d, "2024-04-15T10:00:00Z", "B");
  log.seal();
  return log;
}

TEST(EnginePayout, HeldInTheClosingPeriodLateInTheNext) {
  auto st = statements(payout_history(), payout_plan(), {"2024-Q1", "2024-Q2"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  const ParticipantStatement* q1 = find(*st, "m-ivanova", "2024-Q1");
  ASSERT_NE(q1, nullptr);
  // Attainment stays in the closing period: 350 000.00 credited, 3 000.00 paid.
  ASSERT_EQ(q1->attainment.size(), 1u);
  EXPECT_EQ(q1->attainment[0].value, rub(35'000'000));
  ASSERT_EQ(q1->lines.size(), 1u);
  EXPECT_EQ(q1->lines[0].deal, "P1");
  EXPECT_EQ(q1->paid, rub(300'000));
  ASSERT_EQ(q1->held.size(), 2u);
  EXPECT_EQ(q1->held[0].deal, "P2");
  EXPECT_EQ(q1->held[0].amount, rub(600'000));
  EXPECT_EQ(q1->held[0].reason, "invoice_paid not set as of 2024-03-31");
  EXPECT_EQ(q1->held[1].deal, "P3");
  EXPECT_EQ(q1->held[1].amount, rub(150'000));

  const ParticipantStatement* q2 = find(*st, "m-ivanova", "2024-Q2");
  ASSERT_NE(q2, nullptr);
  ASSERT_EQ(q2->lines.size(), 1u);
  EXPECT_EQ(q2->lines[0].kind, "late");
  EXPECT_EQ(q2->lines[0].deal, "P2");
  EXPECT_EQ(q2->lines[0].amount, rub(600'000));
  EXPECT_EQ(q2->lines[0].source_period, "2024-Q1");
  EXPECT_EQ(q2->earned, rub(600'000));
  EXPECT_EQ(q2->paid, rub(600'000));
  EXPECT_TRUE(q2->held.empty());
  bool dropped = false;
  for (const std::string& n : q2->notes) dropped = dropped || n.find("P3") != std::string::npos;
  EXPECT_TRUE(dropped);
  // Q2 alone: the same late line.
  auto alone = statements(payout_history(), payout_plan(), {"2024-Q2"});
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(find(*alone, "m-ivanova", "2024-Q2")->paid, rub(600'000));
}

// As of 2024-04-05 the invoice of P2 is not read: nothing paid in Q2 yet.
TEST(EnginePayout, LateLineWaitsForAsOf) {
  StatementOptions o;
  o.as_of = at("2024-04-05T00:00:00Z");
  auto st = statements(payout_history(), payout_plan(), {"2024-Q2"}, o);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(find(*st, "m-ivanova", "2024-Q2"), nullptr);
}

TEST(EnginePayout, PayoutFieldNotADateIsLocated) {
  EventLog log(at("2023-12-01"));
  const analytics::DimensionId paid = log.add_dimension("invoice_paid");
  DealId d = add_deal(log, "X1", "m-ivanova", 10'000'000, "2024-01-10T09:00:00Z");
  move(log, d, "2024-02-10T10:00:00Z", "WON");
  EXPECT_TRUE(log.add_dimension_change(d, at("2024-03-05T09:00:00Z"), paid, "оплачено").ok());
  log.seal();
  auto st = statements(log, payout_plan(), {"2024-Q1"});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.status().to_string().find("deal X1: field 'invoice_paid' is 'оплачено'"), std::string::npos)
      << st.status().to_string();
}

}  // namespace
}  // namespace dealflow::compensation::engine_test
