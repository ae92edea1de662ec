// The team summary rows (decision 9) and one payment per deal (decision 5),
// computed by hand.
#include "engine_fixture.h"

namespace dealflow::compensation::engine_test {
namespace {

// The design's case: deal 1042 of 2 000 000.00 split Иванова 60% / Смирнова
// 40% at 3%, Волкова holds a 1% overlay on smb-inbound; deal 77 of
// 100 000.00 belongs to nobody of the team file.
TEST(EngineSummary, SplitSixtyFortyPlusOverlay) {
  const CompensationPlan plan = make_plan(R"(
    "plans": [
      {"id": "ae", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "3%"}}]},
      {"id": "head", "components": [{"id": "team", "credit": "overlay", "rate": {"type": "flat", "rate": "1%"}}]}],
    "participants": [
      {"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]},
      {"manager": "m-smirnova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]},
      {"manager": "m-volkova", "role": "head", "assignments": [{"plan": "head", "from": "2024-01-01"}]}],
    "splits": [{"deal": "1042", "shares": [{"manager": "m-ivanova", "share": "60%"},
                                           {"manager": "m-smirnova", "share": "40%"}]}],
    "overlays": [{"manager": "m-volkova", "team": "smb-inbound"}]
  )");
  EventLog log(at("2024-01-01"));
  DealId d = add_deal(log, "1042", "m-ivanova", 200'000'000, "2024-07-01T09:00:00Z");
  move(log, d, "2024-08-10T10:00:00Z", "WON");
  d = add_deal(log, "77", "Незнакомец", 10'000'000, "2024-07-01T09:00:00Z");
  move(log, d, "2024-08-11T10:00:00Z", "WON");
  log.seal();
  auto st = statements(log, plan, {"2024-Q3"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  ASSERT_EQ(st->summary.size(), 1u);
  const TeamSummary& sum = st->summary[0];
  // Participants by id, then the teams in file order, then the company.
  ASSERT_EQ(sum.rows.size(), 3u + 5u + 1u);
  EXPECT_EQ(sum.rows[0].participant, "m-ivanova");
  EXPECT_EQ(sum.rows[3].team, "sales");
  EXPECT_TRUE(sum.rows.back().team.empty() && sum.rows.back().participant.empty());

  const SummaryRow* iv = row(sum, "", "m-ivanova");
  ASSERT_NE(iv, nullptr);
  EXPECT_EQ(iv->role, Role::rep);
  EXPECT_EQ(iv->won_amount, rub(120'000'000));
  EXPECT_EQ(iv->paid, rub(3'600'000));
  EXPECT_EQ(iv->cost_of_sales.to_percent(4), "3.0000%");
  EXPECT_EQ(row(sum, "", "m-smirnova")->paid, rub(2'400'000));
  const SummaryRow* vo = row(sum, "", "m-volkova");
  EXPECT_EQ(vo->role, Role::head);
  EXPECT_EQ(vo->won_amount, rub(0));
  EXPECT_EQ(vo->paid, rub(2'000'000));
  EXPECT_EQ(vo->overlay_paid, rub(2'000'000));
  EXPECT_EQ(vo->cost_of_sales, Rate::ratio(0, 1));

  // The team: won 2 000 000.00 (not 4 000 000.00), payouts 80 000.00, 4.0000%.
  const SummaryRow* team = row(sum, "smb-inbound", "");
  ASSERT_NE(team, nullptr);
  EXPECT_EQ(team->won_amount, rub(200'000'000));
  EXPECT_EQ(team->paid, rub(8'000'000));
  EXPECT_EQ(team->overlay_paid, rub(2'000'000));
  EXPECT_EQ(team->cost_of_sales.to_percent(4), "4.0000%");
  EXPECT_EQ(row(sum, "sales", "")->paid, rub(8'000'000));     // the parent: same people once
  EXPECT_EQ(row(sum, "accounts", "")->paid, rub(2'000'000));  // Волкова is a member there
  EXPECT_EQ(row(sum, "accounts", "")->won_amount, rub(0));
  EXPECT_EQ(row(sum, "enterprise", "")->paid, rub(0));

  const SummaryRow& company = sum.rows.back();
  EXPECT_EQ(company.won_amount, rub(200'000'000));
  EXPECT_EQ(company.paid, rub(8'000'000));
  EXPECT_EQ(company.uncredited, rub(10'000'000));
  EXPECT_EQ(company.cost_of_sales.to_percent(4), "4.0000%");
  EXPECT_EQ(sum.cost_of_sales, company.cost_of_sales);
}

// Decision 5: R reopened 101 days after winning (window 30: not clawed back)
// and re-won is not credited again; C reopened within the window (clawed
// back) and re-won is credited again.
TEST(EngineOnePayment, ReWonAfterAReopenOutsideTheWindowIsNotPaidTwice) {
  const CompensationPlan plan = make_plan(R"(
    "clawback": {"window_days": 30},
    "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "3%"}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]}]
  )");
  EventLog log(at("2023-12-01"));
  DealId r = add_deal(log, "R", "m-ivanova", 10'000'000, "2024-01-02T09:00:00Z");
  move(log, r, "2024-01-10T10:00:00Z", "WON");
  move(log, r, "2024-04-20T10:00:00Z", "B");
  move(log, r, "2024-05-05T10:00:00Z", "WON");
  DealId c = add_deal(log, "C", "m-ivanova", 20'000'000, "2024-01-02T09:00:00Z");
  move(log, c, "2024-03-20T10:00:00Z", "WON");
  move(log, c, "2024-04-05T10:00:00Z", "B");
  move(log, c, "2024-05-10T10:00:00Z", "WON");
  log.seal();
  auto st = statements(log, plan, {"2024-Q1", "2024-Q2"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(find(*st, "m-ivanova", "2024-Q1")->paid, rub(900'000));  // 3 000.00 + 6 000.00
  const ParticipantStatement* q2 = find(*st, "m-ivanova", "2024-Q2");
  ASSERT_NE(q2, nullptr);
  ASSERT_EQ(q2->lines.size(), 2u);
  EXPECT_EQ(q2->lines[0].kind, "credit");
  EXPECT_EQ(q2->lines[0].deal, "C");
  EXPECT_EQ(q2->lines[0].amount, rub(600'000));
  EXPECT_EQ(q2->lines[1].kind, "clawback");
  EXPECT_EQ(q2->lines[1].deal, "C");
  EXPECT_EQ(q2->lines[1].amount, rub(-600'000));
  EXPECT_EQ(q2->paid, rub(0));
  bool noted = false;
  for (const std::string& n : st->summary[1].notes)
    noted = noted || (n.find("deal R re-won") != std::string::npos && n.find("2024-Q1") != std::string::npos);
  EXPECT_TRUE(noted);
}

}  // namespace
}  // namespace dealflow::compensation::engine_test
