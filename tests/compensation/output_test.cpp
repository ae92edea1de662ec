// Statement outputs (dealflow/compensation/statement_output.h): Statements,
// team summaries and what-if results built by hand, every format byte for byte.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "common_fixture.h"
#include "dealflow/compensation/statement_output.h"
#include "four_stage.h"

namespace dealflow::compensation {
namespace {

using common_fixture::kDir;
using common_fixture::kRub;
using common_fixture::rub;
using four_stage::at;

// Flat 3% (component "sales"), a count component "deals" (per deal 5 000.00),
// clawback historic-rate within 90 days; plan "lead" overrides it.
CompensationPlan output_plan(
    const char* clawback = R"("clawback": {"window_days": 90, "policy": "historic-rate"},)") {
  auto p = parse_compensation_plan_text(std::string(R"({
    "format": "dealflow.compensation/1", "name": "Мотивация", "currency": "RUB", "utc_offset": "+03:00",
    "team_file": "../plans/sample-team.json", "rounding": "half-up",)") +
                                            clawback + R"(
    "plans": [
      {"id": "flat-3", "components": [
        {"id": "sales", "rate": {"type": "flat", "rate": "3%"}},
        {"id": "deals", "measure": "won_count", "rate": {"type": "per_deal", "amount": "5000.00"}}]},
      {"id": "lead", "clawback_policy": "recompute-period",
       "components": [{"id": "team", "rate": {"type": "flat", "rate": "1%"}}]}],
    "participants": [
      {"manager": "m-ivanova", "assignments": [{"plan": "flat-3", "from": "2024-01-01",
                                                "target_incentive": "150000.00"}]},
      {"manager": "m-smirnova", "assignments": [{"plan": "flat-3", "from": "2024-01-01"}]},
      {"manager": "m-volkova", "role": "head", "assignments": [{"plan": "lead", "from": "2024-01-01"}]}]
  })",
                                        "plan.json", kDir);
  if (!p) throw std::runtime_error(p.status().to_string());
  return std::move(*p);
}

// Иванова, 2024-Q3: deal 1042 split 60% (1 200 000.00 at 3% = 36 000.00) and
// its per-deal line (0.6 deal × 5 000.00 = 3 000.00), a clawback of deal 17
// from Q2 (−15 000.00), a draw top-up; as of 2024-09-15 (provisional).
Statements one() {
  Statements st;
  st.currency = kRub;
  st.rounding = Rounding::half_up;
  st.as_of = at("2024-09-15T12:00:00+03:00");
  ParticipantStatement s;
  s.manager = "m-ivanova";
  s.manager_name = "Иванова Анна";
  s.plan = "flat-3";
  s.period = "2024-Q3";
  s.period_first = *Date::parse("2024-07-01");
  s.period_last = *Date::parse("2024-09-30");
  s.as_of = *st.as_of;
  s.provisional = true;
  s.target_incentive = rub(15'000'000);
  s.attainment.push_back(
      {"sales", Measure::won_amount, rub(120'000'000), rub(650'000'000), Rate{12, 65}, 1, ""});
  StatementLine a;
  a.line = 1;
  a.kind = "credit";
  a.component = "sales";
  a.deal = "1042";
  a.credit = CreditSource::split;
  a.share_bp = 6000;
  a.measure = rub(120'000'000);
  a.slice_from = rub(0);
  a.slice_to = rub(120'000'000);
  a.tier = 1;
  a.rate = Rate::bp(300);
  a.amount = rub(3'600'000);
  a.reason = "flat 3% on won amount";
  a.credit_instant = at("2024-08-05T10:00:00Z");
  a.blended_rate = Rate::bp(300);
  StatementLine b;
  b.line = 2;
  b.kind = "credit";
  b.component = "deals";
  b.deal = "1042";
  b.credit = CreditSource::split;
  b.share_bp = 6000;
  b.measure = Money(6000, Currency{});  // 0.6 deal
  b.amount = rub(300'000);
  b.reason = "per deal: 5000.00 RUB, \"split\"";
  b.credit_instant = a.credit_instant;
  StatementLine c;
  c.line = 3;
  c.kind = "clawback";
  c.component = "sales";
  c.deal = "17";
  c.credit = CreditSource::owner;
  c.share_bp = 10000;
  c.measure = rub(50'000'000);
  c.rate = Rate::bp(300);
  c.amount = rub(-1'500'000);
  c.source_period = "2024-Q2";
  c.reason = "clawback: deal 17 reopened 2024-07-10";
  StatementLine d;
  d.line = 4;
  d.kind = "draw";
  d.amount = rub(100'000);
  d.factor = Rate{1, 2};
  d.reason = "draw top-up";
  s.lines = {a, b, c, d};
  s.earned = rub(3'900'000);
  s.adjustments = rub(-1'500'000);
  s.draw = rub(100'000);
  s.caps = rub(0);
  s.gate = rub(0);
  s.paid = rub(2'500'000);
  s.balance_before = rub(0);
  s.balance_after = rub(-100'000);
  s.won_amount = rub(120'000'000);
  s.overlay_paid = rub(0);
  s.held.push_back({"1100", "sales", rub(450'000), "invoice_paid not set as of 2024-09-30"});
  s.notes = {"deal 9 credits nobody"};
  st.statements.push_back(s);
  return st;
}

// The split + overlay case of docs/compensation.md "Team summary": deal 2 000 000.00,
// Иванова 60% and Смирнова 40% at 3%, Волкова's overlay 1% = 20 000.00.
Statements summary() {
  Statements st;
  st.currency = kRub;
  st.rounding = Rounding::half_up;
  TeamSummary t;
  t.period = "2024-Q3";
  t.won_amount = rub(200'000'000);
  t.paid = rub(8'000'000);
  t.overlay_paid = rub(2'000'000);
  t.clawbacks = rub(0);
  t.draws = rub(0);
  t.cost_of_sales = Rate{8'000'000, 200'000'000};
  t.notes = {"deal 9 credits nobody: its owner 'Гость' is not a manager of the team file"};
  auto row = [](std::string team, std::string who, std::optional<Role> role, std::int64_t won,
                std::int64_t paid, std::int64_t overlay) {
    SummaryRow r;
    r.team = std::move(team);
    r.participant = std::move(who);
    r.role = role;
    r.won_amount = rub(won);
    r.paid = rub(paid);
    r.overlay_paid = rub(overlay);
    r.clawbacks = rub(0);
    r.draw = rub(0);
    r.draw_balance = rub(0);
    r.cost_of_sales = won ? Rate{paid, won} : Rate{0, 1};
    r.uncredited = rub(0);
    return r;
  };
  t.rows.push_back(row("smb-inbound", "m-ivanova", Role::rep, 120'000'000, 3'600'000, 0));
  t.rows.push_back(row("smb-inbound", "m-smirnova", Role::rep, 80'000'000, 2'400'000, 0));
  t.rows.push_back(row("accounts", "m-volkova", Role::head, 0, 2'000'000, 2'000'000));
  t.rows.push_back(row("smb-inbound", "", std::nullopt, 200'000'000, 6'000'000, 0));
  SummaryRow company = row("", "", std::nullopt, 200'000'000, 8'000'000, 2'000'000);
  company.uncredited = rub(5'000'000);
  t.rows.push_back(company);
  st.summary.push_back(t);
  return st;
}

// Closing deal C (15 000.00) under retroactive tiers: 900.00 -> 1 800.00.
WhatIfResult what() {
  WhatIfResult w;
  w.manager = "m-ivanova";
  w.period = "2024-Q3";
  w.as_of = at("2024-09-20T12:00:00+03:00");
  w.what_if = "close deal C (15 000.00 RUB)";
  ParticipantStatement base = one().statements[0];
  base.lines.clear();
  base.notes.clear();
  base.held.clear();
  base.attainment.clear();
  base.target_incentive.reset();
  base.as_of = w.as_of;
  w.current = base;
  w.current.paid = rub(90'000);
  w.changed = base;
  w.changed.paid = rub(180'000);
  w.difference = rub(90'000);
  StatementLine l;
  l.line = 3;
  l.kind = "credit";
  l.component = "sales";
  l.deal = "C";
  l.credit = CreditSource::owner;
  l.share_bp = 10000;
  l.measure = rub(1'500'000);
  l.slice_from = rub(4'500'000);
  l.slice_to = rub(6'000'000);
  l.tier = 3;
  l.rate = Rate::bp(300);
  l.amount = rub(45'000);
  l.reason = "tier 3 reached at 60 000.00 RUB";
  l.credit_instant = w.as_of;
  w.changed_lines.push_back(l);
  return w;
}

std::string before_definitions(const std::string& text) {
  return text.substr(0, text.find("\ndefinition:") + 1);
}

std::string definition_text(const Statements& st, const CompensationPlan& p,
                            const StatementOutputOptions& o = {}) {
  std::string out;
  for (const std::string& line : statement_definitions(st, p, o)) out += "definition: " + line + "\n";
  return out;
}

TEST(StatementOutput, TableIsTheStatementThenItsDefinition) {
  const std::string text = statements_to_table(one(), output_plan());
  EXPECT_EQ(
      before_definitions(text),
      R"(Иванова Анна (m-ivanova, rep) — plan flat-3, 2024-Q3 (2024-07-01 .. 2024-09-30, +03:00), as of 2024-09-15T12:00:00+03:00 (provisional: the period is not closed)
target incentive 150 000.00 RUB
attainment sales: won_amount 1 200 000.00 of quota 6 500 000.00 = 18.46%, tier 1 reached
line  kind      component  deal  credit    share       measure                slice  tier   rate  factor      amount  blended  reason
------------------------------------------------------------------------------------------------------------------------------------------------------------------------------
   1  credit    sales      1042  split    60.00%  1 200 000.00  0.00 – 1 200 000.00     1  3.00%           36 000.00  3.0000%  flat 3% on won amount
   2  credit    deals      1042  split    60.00%           0.6                                              3 000.00           per deal: 5000.00 RUB, "split"
   3  clawback  sales      17    owner   100.00%    500 000.00                             3.00%          -15 000.00           clawback: deal 17 reopened 2024-07-10 [2024-Q2]
   4  draw                                                                                        0.5000    1 000.00           draw top-up
total paid 25 000.00 RUB (earned 39 000.00; adjustments -15 000.00; caps 0.00; gate 0.00; draw 1 000.00)
draw balance 0.00 before, -1 000.00 after (negative: owed by the participant)
held: deal 1100 (sales) 4 500.00 RUB: invoice_paid not set as of 2024-09-30
note: deal 9 credits nobody

)");
  EXPECT_EQ(text.substr(before_definitions(text).size()), definition_text(one(), output_plan()));
}

TEST(StatementOutput, CsvHasOneRowPerLineWithTheDefiningColumns) {
  EXPECT_EQ(
      statements_to_csv(one(), output_plan()),
      R"(plan,participant,period,period_first,period_last,as_of,provisional,currency,rounding,line,kind,component,deal_id,credit_instant,credit,share,measure,measure_value,slice_from,slice_to,tier,rate,factor,amount,blended_rate,source_period,reason
flat-3,m-ivanova,2024-Q3,2024-07-01,2024-09-30,2024-09-15T12:00:00+03:00,true,RUB,half-up,1,credit,sales,1042,2024-08-05T13:00:00+03:00,split,60.0000,won_amount,1200000.00,0.00,1200000.00,1,3.0000,,36000.00,3.0000,,flat 3% on won amount
flat-3,m-ivanova,2024-Q3,2024-07-01,2024-09-30,2024-09-15T12:00:00+03:00,true,RUB,half-up,2,credit,deals,1042,2024-08-05T13:00:00+03:00,split,60.0000,won_count,0.6,,,,,,3000.00,,,"per deal: 5000.00 RUB, ""split"""
flat-3,m-ivanova,2024-Q3,2024-07-01,2024-09-30,2024-09-15T12:00:00+03:00,true,RUB,half-up,3,clawback,sales,17,,owner,100.0000,won_amount,500000.00,,,,3.0000,,-15000.00,,2024-Q2,clawback: deal 17 reopened 2024-07-10
flat-3,m-ivanova,2024-Q3,2024-07-01,2024-09-30,2024-09-15T12:00:00+03:00,true,RUB,half-up,4,draw,,,,,,,,,,,,0.5000,1000.00,,,draw top-up
)");
}

TEST(StatementOutput, JsonMoneyInMinorUnitsRatesAsPercentages) {
  const Json j = statements_to_json(one(), output_plan());
  ASSERT_EQ(j["statements"].size(), 1u);
  const Json& s = j["statements"][0];
  EXPECT_EQ(s["participant"], "m-ivanova");
  EXPECT_EQ(s["name"], "Иванова Анна");
  EXPECT_EQ(s["provisional"], true);
  EXPECT_EQ(s["currency"], "RUB");
  EXPECT_EQ(s["target_incentive"], 15000000);
  EXPECT_EQ(s["attainment"][0]["attainment"], "18.4615");  // 12/65 = 18.461538...%
  EXPECT_EQ(s["totals"], Json::parse(R"({"earned": 3900000, "adjustments": -1500000, "caps": 0, "gate": 0,
                                         "draw": 100000, "paid": 2500000})"));
  EXPECT_EQ(s["draw_balance"], Json::parse(R"({"before": 0, "after": -100000})"));
  EXPECT_EQ(s["lines"][0],
            Json::parse(R"({"line": 1, "kind": "credit", "component": "sales", "deal_id": "1042",
    "credit_instant": "2024-08-05T13:00:00+03:00", "credit": "split", "share": "60.0000", "measure": "won_amount",
    "measure_value": 120000000, "slice_from": 0, "slice_to": 120000000, "tier": 1, "rate": "3.0000",
    "factor": null, "amount": 3600000, "blended_rate": "3.0000", "source_period": null,
    "reason": "flat 3% on won amount"})"));
  EXPECT_EQ(s["lines"][1]["measure_value"], 6000);  // 0.6 deal in basis points of a deal
  EXPECT_EQ(s["lines"][2]["source_period"], "2024-Q2");
  EXPECT_EQ(s["lines"][3]["deal_id"], nullptr);
  EXPECT_EQ(s["held"][0]["amount"], 450000);
  EXPECT_EQ(j["definition"]["rounding"], "half-up");
  EXPECT_EQ(j["definition"]["clawback_policy"], "historic-rate");
  EXPECT_EQ(j["definition"]["lines"], Json(statement_definitions(one(), output_plan())));
  std::int64_t sum = 0;
  for (const Json& l : s["lines"]) sum += l["amount"].get<std::int64_t>();
  EXPECT_EQ(sum, s["totals"]["paid"].get<std::int64_t>());
}

TEST(StatementOutput, DefinitionsStateRoundingCreditClawbackPayoutAndAsOf) {
  const auto d = statement_definitions(one(), output_plan());
  ASSERT_EQ(d.size(), 6u);
  EXPECT_EQ(
      d[1],
      "money: exact minor units of RUB; each line rounded once, half-up; every total is a sum of rounded "
      "lines (paid = earned + adjustments + caps + gate + draw)");
  EXPECT_EQ(
      d[3],
      "clawback: a credited deal lost or reopened within 90 days of closing is reversed in the period of "
      "the reversal; policy historic-rate (plan lead: recompute-period); SPIFs are clawed back too");
  EXPECT_EQ(
      d[5],
      "as of 2024-09-15T12:00:00+03:00: nothing later is read; a period ending after it is provisional");
  const auto none = statement_definitions(one(), output_plan(""), {"RUB->RUB"});
  ASSERT_EQ(none.size(), 7u);
  EXPECT_EQ(none[3], "clawback: none (a credited deal is never reversed)");
  EXPECT_EQ(none[6], "fx: RUB->RUB");
}

TEST(StatementOutput, ExactFractionsArePrintedHalfUpForDisplayOnly) {
  Statements st = one();
  StatementLine& l = st.statements[0].lines[0];
  l.rate = Rate{1, 3};          // 33.333...%
  l.blended_rate = Rate{2, 3};  // 66.666...%
  l.factor = Rate{3, 2};        // 1.5
  l.share_bp = 3333;            // 33.33%
  l.amount = rub(-5);           // -0.05: amounts are printed as they are
  const std::string csv = statements_to_csv(st, output_plan());
  EXPECT_NE(csv.find(",split,33.3300,won_amount,1200000.00,0.00,1200000.00,1,33.3333,1.5000,-0.05,66.6667,,"),
            std::string::npos)
      << csv;
  const std::string table = statements_to_table(st, output_plan());
  EXPECT_NE(table.find("33.33%"), std::string::npos);
  EXPECT_NE(table.find("66.6667%"), std::string::npos);
  EXPECT_NE(table.find("-0.05"), std::string::npos);
}

TEST(StatementOutput, NoStatements) {
  Statements st = one();
  st.statements.clear();
  EXPECT_EQ(
      statements_to_csv(st, output_plan()),
      "plan,participant,period,period_first,period_last,as_of,provisional,currency,rounding,line,kind,"
      "component,deal_id,credit_instant,credit,share,measure,measure_value,slice_from,slice_to,tier,rate,"
      "factor,amount,blended_rate,source_period,reason\n");
  EXPECT_EQ(before_definitions(statements_to_table(st, output_plan())),
            "(no statements: no participant had credit, a clawback or a draw)\n\n");
  EXPECT_EQ(statements_to_json(st, output_plan())["statements"], Json::array());
}

TEST(SummaryOutput, TableRowsThenTotalsNotesAndDefinition) {
  const std::string text = summary_to_table(summary(), output_plan());
  EXPECT_EQ(before_definitions(text), R"(team summary 2024-Q3, as of 2024-10-01T00:00:00+03:00 (RUB)
team         participant  role    won amount       paid  overlay paid  clawbacks  draw  draw balance  cost of sales  uncredited
-------------------------------------------------------------------------------------------------------------------------------
smb-inbound  m-ivanova    rep   1 200 000.00  36 000.00          0.00       0.00  0.00          0.00        3.0000%
smb-inbound  m-smirnova   rep     800 000.00  24 000.00          0.00       0.00  0.00          0.00        3.0000%
accounts     m-volkova    head          0.00  20 000.00     20 000.00       0.00  0.00          0.00        0.0000%
smb-inbound                     2 000 000.00  60 000.00          0.00       0.00  0.00          0.00        3.0000%
(company)                       2 000 000.00  80 000.00     20 000.00       0.00  0.00          0.00        4.0000%   50 000.00
total: won amount 2 000 000.00 RUB; paid 80 000.00 RUB; cost of sales 4.0000%
note: deal 9 credits nobody: its owner 'Гость' is not a manager of the team file

)");
  EXPECT_EQ(text.substr(text.rfind("definition: ") + 12, 8), "summary:");
}

TEST(SummaryOutput, CsvCostOfSalesWithFourDecimals) {
  EXPECT_EQ(
      summary_to_csv(summary(), output_plan()),
      R"(plan,period,as_of,currency,team,participant,role,won_amount,paid,overlay_paid,clawbacks,draw,draw_balance,cost_of_sales,uncredited
Мотивация,2024-Q3,2024-10-01T00:00:00+03:00,RUB,smb-inbound,m-ivanova,rep,1200000.00,36000.00,0.00,0.00,0.00,0.00,3.0000,
Мотивация,2024-Q3,2024-10-01T00:00:00+03:00,RUB,smb-inbound,m-smirnova,rep,800000.00,24000.00,0.00,0.00,0.00,0.00,3.0000,
Мотивация,2024-Q3,2024-10-01T00:00:00+03:00,RUB,accounts,m-volkova,head,0.00,20000.00,20000.00,0.00,0.00,0.00,0.0000,
Мотивация,2024-Q3,2024-10-01T00:00:00+03:00,RUB,smb-inbound,,,2000000.00,60000.00,0.00,0.00,0.00,0.00,3.0000,
Мотивация,2024-Q3,2024-10-01T00:00:00+03:00,RUB,,,,2000000.00,80000.00,20000.00,0.00,0.00,0.00,4.0000,50000.00
)");
}

TEST(SummaryOutput, Json) {
  const Json j = summary_to_json(summary(), output_plan());
  ASSERT_EQ(j["summary"].size(), 1u);
  const Json& s = j["summary"][0];
  EXPECT_EQ(s["as_of"], "2024-10-01T00:00:00+03:00");  // the period's end: no as-of given
  EXPECT_EQ(s["won_amount"], 200000000);
  EXPECT_EQ(s["cost_of_sales"], "4.0000");
  ASSERT_EQ(s["rows"].size(), 5u);
  EXPECT_EQ(s["rows"][4],
            Json::parse(R"({"team": null, "participant": null, "role": null, "won_amount": 200000000,
    "paid": 8000000, "overlay_paid": 2000000, "clawbacks": 0, "draw": 0, "draw_balance": 0,
    "cost_of_sales": "4.0000", "uncredited": 5000000})"));
  EXPECT_EQ(s["rows"][0]["uncredited"], nullptr);
  EXPECT_EQ(j["definition"]["lines"].back().get<std::string>().substr(0, 8), "summary:");
}

TEST(WhatIfOutput, Table) {
  const std::string text = what_if_to_table(what(), output_plan());
  EXPECT_EQ(before_definitions(text), R"(what if: close deal C (15 000.00 RUB)
Иванова Анна (m-ivanova, rep) — plan flat-3, 2024-Q3 (2024-07-01 .. 2024-09-30, +03:00), as of 2024-09-20T12:00:00+03:00 (provisional: the period is not closed)
current total 900.00 RUB; new total 1 800.00 RUB; difference +900.00 RUB
changed lines:
line  kind    component  deal  credit    share    measure                  slice  tier   rate  factor  amount  blended  reason
-------------------------------------------------------------------------------------------------------------------------------------------------------
   3  credit  sales      C     owner   100.00%  15 000.00  45 000.00 – 60 000.00     3  3.00%          450.00           tier 3 reached at 60 000.00 RUB

)");
  EXPECT_EQ(text.substr(text.rfind("definition: ") + 12, 8), "what-if:");
}

TEST(WhatIfOutput, CsvOneRowPerChangedLine) {
  EXPECT_EQ(
      what_if_to_csv(what(), output_plan()),
      R"(participant,period,as_of,what_if,current_total,new_total,difference,line,kind,component,deal_id,credit_instant,credit,share,measure,measure_value,slice_from,slice_to,tier,rate,factor,amount,blended_rate,source_period,reason
m-ivanova,2024-Q3,2024-09-20T12:00:00+03:00,close deal C (15 000.00 RUB),900.00,1800.00,900.00,3,credit,sales,C,2024-09-20T12:00:00+03:00,owner,100.0000,won_amount,15000.00,45000.00,60000.00,3,3.0000,,450.00,,,tier 3 reached at 60 000.00 RUB
)");
  WhatIfResult w = what();
  w.changed_lines.clear();
  w.difference = rub(0);
  const std::string csv = what_if_to_csv(w, output_plan());
  const std::string row = csv.substr(csv.find('\n') + 1);
  EXPECT_EQ(row,
            "m-ivanova,2024-Q3,2024-09-20T12:00:00+03:00,close deal C (15 000.00 RUB),900.00,1800.00,0.00" +
                std::string(18, ',') + "\n");
}

TEST(WhatIfOutput, Json) {
  const Json j = what_if_to_json(what(), output_plan());
  EXPECT_EQ(j["current_total"], 90000);
  EXPECT_EQ(j["new_total"], 180000);
  EXPECT_EQ(j["difference"], 90000);
  EXPECT_EQ(j["what_if"], "close deal C (15 000.00 RUB)");
  ASSERT_EQ(j["changed_lines"].size(), 1u);
  EXPECT_EQ(j["changed_lines"][0]["slice_from"], 4500000);
  EXPECT_EQ(j["changed_lines"][0]["tier"], 3);
  EXPECT_EQ(j["changed"]["totals"]["paid"], 180000);
  EXPECT_EQ(j["current"]["totals"]["paid"], 90000);
}

}  // namespace
}  // namespace dealflow::compensation
