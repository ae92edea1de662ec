// The worked examples of docs/compensation.md that no other test reproduces,
// each named after its section and asserting the document's exact numbers
// (the others name their test in the document). Computed by hand.
#include <gtest/gtest.h>

#include <sstream>

#include "dealflow/compensation/rates.h"
#include "dealflow/compensation/statement_output.h"
#include "engine_fixture.h"

namespace dealflow::compensation::engine_test {
namespace {

const Currency kUsd = Currency::of("USD");
Money usd(std::int64_t units) {
  return Money(units * 100, kUsd);
}
Money rub_units(std::int64_t units) {
  return rub(units * 100);
}

// Every line of a statement, for failure messages.
std::string dump(const ParticipantStatement& s) {
  std::ostringstream out;
  for (const StatementLine& l : s.lines)
    out << l.line << ' ' << l.kind << ' ' << l.deal << ' ' << l.amount.to_string() << ' ' << l.reason << '\n';
  return out.str();
}

// "Rate structures": tiers 1/2/3/4% from 0 / 10 000 / 50 000 / 100 000 USD on
// amount; deals A 20 000, B 25 000, C 15 000.
RateSpec four_tiers(StructureKind kind) {
  RateSpec s;
  s.currency = kUsd;
  s.kind = kind;
  s.tiers = {{0, Rate::bp(100)},
             {usd(10'000).minor_units(), Rate::bp(200)},
             {usd(50'000).minor_units(), Rate::bp(300)},
             {usd(100'000).minor_units(), Rate::bp(400)}};
  return s;
}
const std::vector<Credit> kAbc = {{"A", usd(20'000)}, {"B", usd(25'000)}, {"C", usd(15'000)}};

// flat: 1 200 000.00 RUB at 3% = 36 000.00 RUB.
TEST(DocFlat, ThreePercentOfOneMillionTwoHundredThousand) {
  RateSpec s;
  s.currency = kRub;
  s.kind = StructureKind::flat;
  s.tiers = {{0, Rate::bp(300)}};
  auto st = compute_period(s, std::vector<Credit>{{"1", rub_units(1'200'000)}});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  ASSERT_EQ(st->lines.size(), 1u);
  EXPECT_EQ(st->lines[0].amount, rub_units(36'000));
  EXPECT_EQ(st->total, rub_units(36'000));
}

// marginal: A 100 + 200 (blended 1.5%), B 500, C 100 + 300 (blended 2.6667%) = 1 200.00 USD.
TEST(DocMarginal, ThreeDealsPayTwelveHundred) {
  auto st = compute_period(four_tiers(StructureKind::marginal), kAbc);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  ASSERT_EQ(st->lines.size(), 5u);
  const struct {
    const char* deal;
    std::int64_t from, to;
    int tier;
    std::int64_t amount;
  } want[] = {{"A", 0, 10'000, 1, 100},
              {"A", 10'000, 20'000, 2, 200},
              {"B", 20'000, 45'000, 2, 500},
              {"C", 45'000, 50'000, 2, 100},
              {"C", 50'000, 60'000, 3, 300}};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(st->lines[i].deal, want[i].deal) << i;
    EXPECT_EQ(st->lines[i].slice_from, usd(want[i].from)) << i;
    EXPECT_EQ(st->lines[i].slice_to, usd(want[i].to)) << i;
    EXPECT_EQ(st->lines[i].tier, want[i].tier) << i;
    EXPECT_EQ(st->lines[i].amount, usd(want[i].amount)) << i;
  }
  EXPECT_EQ(st->lines[4].reason, "tier 3 (50 000–100 000 USD) from 50 000 USD");
  EXPECT_EQ(st->deals[0].blended.to_percent(4), "1.5000%");
  EXPECT_EQ(st->deals[2].blended.to_percent(4), "2.6667%");
  EXPECT_EQ(st->total, usd(1'200));
}

// retroactive: A and B price at tier 2 (400 + 500); C reaches tier 3 at 60 000: its own 450 and a
// cliff of 1% on the earlier 45 000 (450) = 1 800.00 USD, as if every deal were paid 3%.
TEST(DocRetroactive, ThreeDealsPayEighteenHundredWithTheCliff) {
  auto st = compute_period(four_tiers(StructureKind::retroactive), kAbc);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  ASSERT_EQ(st->lines.size(), 4u);
  EXPECT_EQ(st->lines[0].amount, usd(400));
  EXPECT_EQ(st->lines[0].tier, 2);
  EXPECT_EQ(st->lines[1].amount, usd(500));
  EXPECT_EQ(st->lines[2].deal, "C");
  EXPECT_EQ(st->lines[2].kind, LineKind::retro_cliff);
  EXPECT_EQ(st->lines[2].amount, usd(450));
  EXPECT_EQ(
      st->lines[2].reason,
      "tier 3 (50 000–100 000 USD) reached at 60 000 USD: the cliff pays 3.00% on the earlier 45 000 USD");
  EXPECT_EQ(st->lines[3].deal, "C");
  EXPECT_EQ(st->lines[3].amount, usd(450));
  EXPECT_EQ(st->lines[3].reason, "tier 3 (50 000–100 000 USD) from 45 000 USD");
  EXPECT_EQ(st->total, usd(1'800));
}

// Base 5% on a 1 000 000.00 RUB quota, ×0.5 below 50% lifted at 100%, ×1.5 above 100%.
CompensationPlan modifier_plan() {
  return make_plan(R"(
    "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "5%",
      "modifiers": [{"from": "0%", "to": "50%", "factor": "0.5", "lifted_at": "100%"},
                    {"from": "100%", "factor": "1.5"}]}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01",
                                                               "quota": "1000000.00"}]}]
  )");
}

EventLog three_deals(std::int64_t a, std::int64_t b, std::int64_t c) {
  EventLog log(at("2023-12-01"));
  const std::int64_t amounts[] = {a, b, c};
  const char* won[] = {"2024-02-01T10:00:00Z", "2024-02-10T10:00:00Z", "2024-02-20T10:00:00Z"};
  const char* keys[] = {"1", "2", "3"};
  for (int i = 0; i < 3; ++i) {
    DealId d = add_deal(log, keys[i], "m-ivanova", amounts[i] * 100, "2024-01-10T09:00:00Z");
    move(log, d, won[i], "WON");
  }
  log.seal();
  return log;
}

// 300 000, 400 000, 500 000: 7 500 | 5 000 + 10 000 | 15 000, the lift of 12 500 (the two
// decelerated slices at +0.5), 15 000 above quota at 7.5% = 65 000.00; with 900 000 no lift: 32 500.00.
TEST(DocAccelerators, DeceleratorLiftedAtQuotaAndAcceleratorAbove) {
  auto st = statements(three_deals(300'000, 400'000, 500'000), modifier_plan(), {"2024-Q1"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  const ParticipantStatement* s = find(*st, "m-ivanova", "2024-Q1");
  ASSERT_NE(s, nullptr);
  const struct {
    const char* kind;
    const char* deal;
    std::int64_t amount;
  } want[] = {{"credit", "1", 7'500}, {"credit", "2", 5'000},  {"credit", "2", 10'000},
              {"lift", "3", 12'500},  {"credit", "3", 15'000}, {"credit", "3", 15'000}};
  ASSERT_EQ(s->lines.size(), 6u) << dump(*s);
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(s->lines[i].kind, want[i].kind) << dump(*s);
    EXPECT_EQ(s->lines[i].deal, want[i].deal) << dump(*s);
    EXPECT_EQ(s->lines[i].amount, rub_units(want[i].amount)) << dump(*s);
  }
  EXPECT_EQ(s->lines[5].rate, Rate::ratio(3, 40));  // 7.5%
  EXPECT_EQ(
      s->lines[3].reason,
      "×0.5 decelerator (0–50% of quota) lifted at 100% of quota: earlier slices topped up to the full rate");
  EXPECT_EQ(s->paid, rub_units(65'000));
  EXPECT_EQ(s->lines[3].factor, Rate::ratio(1, 2));    // the factor lifted from
  EXPECT_EQ(s->lines[5].blended_rate, Rate::bp(600));  // deal 3: 30 000 / 500 000, the lift not in it

  auto low = statements(three_deals(300'000, 400'000, 200'000), modifier_plan(), {"2024-Q1"});
  ASSERT_TRUE(low.ok()) << low.status().to_string();
  EXPECT_EQ(find(*low, "m-ivanova", "2024-Q1")->paid, rub_units(32'500));
}

// Flat 3% gated at 50% of a 1 000 000.00 quota: 450 000 pays 13 500.00 withheld by a gate line of
// −13 500.00 (total 0.00); 500 000 pays 15 000.00.
TEST(DocGates, NothingBelowTheGateEverythingAtIt) {
  const CompensationPlan plan = make_plan(R"(
    "plans": [{"id": "ae", "components": [{"id": "sales", "gate": "50%",
                                           "rate": {"type": "flat", "rate": "3%"}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01",
                                                               "quota": "1000000.00"}]}]
  )");
  for (const std::int64_t sales : {450'000, 500'000}) {
    EventLog log(at("2023-12-01"));
    DealId d = add_deal(log, "1", "m-ivanova", sales * 100, "2024-01-10T09:00:00Z");
    move(log, d, "2024-02-01T10:00:00Z", "WON");
    log.seal();
    auto st = statements(log, plan, {"2024-Q1"});
    ASSERT_TRUE(st.ok()) << st.status().to_string();
    const ParticipantStatement* s = find(*st, "m-ivanova", "2024-Q1");
    ASSERT_NE(s, nullptr);
    if (sales == 450'000) {
      ASSERT_EQ(s->lines.size(), 2u) << dump(*s);
      EXPECT_EQ(s->lines[0].amount, rub_units(13'500));
      EXPECT_EQ(s->lines[1].kind, "gate");
      EXPECT_EQ(s->lines[1].amount, rub_units(-13'500));
      EXPECT_EQ(s->lines[1].reason, "gate: nothing below 50% of quota (500 000 RUB), withheld until reached");
      EXPECT_EQ(s->paid, rub(0));
    } else {
      ASSERT_EQ(s->lines.size(), 1u) << dump(*s);
      EXPECT_EQ(s->paid, rub_units(15'000));
    }
  }
}

// Flat 5%, cap per deal 50 000.00, per period 120 000.00: 75 000 − 25 000, 40 000, 70 000 − 20 000,
// then cap_period −20 000 = 120 000.00 RUB.
TEST(DocCaps, PerDealThenPerPeriod) {
  const CompensationPlan plan = make_plan(R"(
    "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "5%"},
               "caps": {"per_deal": "50000.00", "per_period": "120000.00"}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]}]
  )");
  auto st = statements(three_deals(1'500'000, 800'000, 1'400'000), plan, {"2024-Q1"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  const ParticipantStatement* s = find(*st, "m-ivanova", "2024-Q1");
  ASSERT_NE(s, nullptr);
  const struct {
    const char* kind;
    std::int64_t amount;
  } want[] = {{"credit", 75'000}, {"cap_deal", -25'000}, {"credit", 40'000},
              {"credit", 70'000}, {"cap_deal", -20'000}, {"cap_period", -20'000}};
  ASSERT_EQ(s->lines.size(), 6u) << dump(*s);
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(s->lines[i].kind, want[i].kind) << dump(*s);
    EXPECT_EQ(s->lines[i].amount, rub_units(want[i].amount)) << dump(*s);
  }
  EXPECT_EQ(s->paid, rub_units(120'000));
}

// cap_total 2× a target incentive of 100 000.00 per quarter = 800 000.00 over the year; flat 10%:
// Q1–Q3 pay 200 000.00 each, Q4 230 000.00 would bring the year to 830 000.00: cap_total −30 000.00.
TEST(DocCaps, TotalCapTwiceTheTargetIncentiveOfTheYear) {
  const CompensationPlan plan = make_plan(R"(
    "plans": [{"id": "ae", "cap_total": "2x target_incentive",
               "components": [{"id": "sales", "rate": {"type": "flat", "rate": "10%"}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01",
                                                               "target_incentive": "100000.00"}]}]
  )");
  EventLog log(at("2023-12-01"));
  const char* won[][2] = {{"Q1", "2024-02-10T10:00:00Z"},
                          {"Q2", "2024-05-10T10:00:00Z"},
                          {"Q3", "2024-08-10T10:00:00Z"},
                          {"Q4", "2024-11-10T10:00:00Z"}};
  for (const auto& w : won) {
    const std::int64_t amount = std::string(w[0]) == "Q4" ? 2'300'000 : 2'000'000;
    DealId d = add_deal(log, w[0], "m-ivanova", amount * 100, "2024-01-05T09:00:00Z");
    move(log, d, w[1], "WON");
  }
  log.seal();
  auto st = statements(log, plan, {"2024-Q3", "2024-Q4"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(find(*st, "m-ivanova", "2024-Q3")->paid, rub_units(200'000));
  const ParticipantStatement* q4 = find(*st, "m-ivanova", "2024-Q4");
  ASSERT_NE(q4, nullptr);
  ASSERT_EQ(q4->lines.size(), 2u) << dump(*q4);
  EXPECT_EQ(q4->lines[1].kind, "cap_total");
  EXPECT_EQ(q4->lines[1].amount, rub_units(-30'000));
  EXPECT_EQ(q4->paid, rub_units(200'000));
}

// Rounding: flat 2.5% on three deals of 10.10 RUB: each line 0.2525 → 0.25 under either rule, the
// total 0.75 (rounding the exact total 0.7575 would give 0.76).
TEST(DocRounding, EachLineRoundedOnceTotalIsTheirSum) {
  const CompensationPlan plan = make_plan(R"(
    "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "2.5%"}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]}]
  )");
  EventLog log(at("2023-12-01"));
  for (const char* key : {"1", "2", "3"}) {
    DealId d = add_deal(log, key, "m-ivanova", 1'010, "2024-01-10T09:00:00Z");
    move(log, d, "2024-02-01T10:00:00Z", "WON");
  }
  log.seal();
  for (const Rounding rule : {Rounding::half_up, Rounding::half_even}) {
    CompensationPlan p = plan;
    p.rounding = rule;
    auto r = statements(log, p, {"2024-Q1"});
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    const ParticipantStatement* s = find(*r, "m-ivanova", "2024-Q1");
    ASSERT_NE(s, nullptr);
    ASSERT_EQ(s->lines.size(), 3u) << dump(*s);
    for (const StatementLine& l : s->lines) EXPECT_EQ(l.amount, rub(25));
    EXPECT_EQ(s->paid, rub(75));
  }
}

// Statements: 1 200 000.00 under marginal 2% to 1 000 000, 3% above pays 20 000.00 + 6 000.00,
// blended 26 000 / 1 200 000 = 2.1667%.
TEST(DocStatements, BlendedRateOfADealCrossingATier) {
  const CompensationPlan plan = make_plan(R"(
    "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "marginal", "on": "amount",
               "tiers": [{"from": "0.00", "rate": "2%"}, {"from": "1000000.00", "rate": "3%"}]}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]}]
  )");
  EventLog log(at("2023-12-01"));
  DealId d = add_deal(log, "1", "m-ivanova", 120'000'000, "2024-01-10T09:00:00Z");
  move(log, d, "2024-02-01T10:00:00Z", "WON");
  log.seal();
  auto st = statements(log, plan, {"2024-Q1"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  const ParticipantStatement* s = find(*st, "m-ivanova", "2024-Q1");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->lines.size(), 2u) << dump(*s);
  EXPECT_EQ(s->lines[0].amount, rub_units(20'000));
  EXPECT_EQ(s->lines[1].amount, rub_units(6'000));
  EXPECT_FALSE(s->lines[0].blended_rate.has_value());
  ASSERT_TRUE(s->lines[1].blended_rate.has_value());
  EXPECT_EQ(s->lines[1].blended_rate->to_percent(4), "2.1667%");
}

// Statements, the table form: deal 1042 of 2 000 000.00 RUB split Иванова 60% / Смирнова 40%,
// a flat 3% plan `flat-3`, quota 6 500 000.00, target incentive 150 000.00: Иванова's 2024-Q3 has
// one line of 1 200 000.00 × 3% = 36 000.00 at 18.46% of quota.
TEST(DocStatements, TheTableExample) {
  const CompensationPlan plan = make_plan(R"(
    "clawback": {"window_days": 90},
    "plans": [{"id": "flat-3", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "3%"}}]}],
    "participants": [
      {"manager": "m-ivanova", "assignments": [{"plan": "flat-3", "from": "2024-01-01",
        "target_incentive": "150000.00", "quota": "6500000.00"}]},
      {"manager": "m-smirnova", "assignments": [{"plan": "flat-3", "from": "2024-01-01"}]}],
    "splits": [{"deal": "1042", "shares": [{"manager": "m-ivanova", "share": "60%"},
                                           {"manager": "m-smirnova", "share": "40%"}]}]
  )");
  EventLog log(at("2024-01-01"));
  DealId d = add_deal(log, "1042", "m-ivanova", 200'000'000, "2024-07-01T09:00:00Z");
  move(log, d, "2024-08-05T10:00:00Z", "WON");
  log.seal();
  StatementOptions o;
  o.managers = {"m-ivanova"};
  auto st = statements(log, plan, {"2024-Q3"}, o);
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  const std::string text = statements_to_table(*st, plan);
  // A flat rate reads no quota (decision 14), so the attainment line shows none.
  EXPECT_EQ(
      text.substr(0, text.find("\ndefinition:") + 1),
      R"(Иванова Анна (m-ivanova, rep) — plan flat-3, 2024-Q3 (2024-07-01 .. 2024-09-30, +03:00), as of 2024-10-01T00:00:00+03:00
target incentive 150 000.00 RUB
attainment sales: won_amount 1 200 000.00, tier 1 reached
line  kind    component  deal  credit   share       measure                slice  tier   rate  factor     amount  blended  reason
------------------------------------------------------------------------------------------------------------------------------------------------
   1  credit  sales      1042  split   60.00%  1 200 000.00  0.00 – 1 200 000.00     1  3.00%          36 000.00  3.0000%  flat 3.00% from 0 RUB
total paid 36 000.00 RUB (earned 36 000.00; adjustments 0.00; caps 0.00; gate 0.00; draw 0.00)

)");
  EXPECT_NE(
      text.find(
          "definition: money: exact minor units of RUB; each line rounded once, half-up; every total is "
          "a sum of rounded lines"),
      std::string::npos);
  EXPECT_NE(text.find("definition: clawback: a credited deal lost or reopened within 90 days of closing is "
                      "reversed in the period of the reversal; policy historic-rate"),
            std::string::npos);
}

// Gates with several deals: each deal below the gate is withheld by its own gate line; the deal that
// reaches the gate brings one gate_release line paying everything withheld (flat 3%, gate 50%).
TEST(DocGates, WithheldPerDealAndReleasedWhenReached) {
  const CompensationPlan plan = make_plan(R"(
    "plans": [{"id": "ae", "components": [{"id": "sales", "gate": "50%",
                                           "rate": {"type": "flat", "rate": "3%"}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01",
                                                               "quota": "1000000.00"}]}]
  )");
  auto st = statements(three_deals(200'000, 150'000, 250'000), plan, {"2024-Q1"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  const ParticipantStatement* s = find(*st, "m-ivanova", "2024-Q1");
  ASSERT_NE(s, nullptr);
  // 200 000 pays 6 000.00, withheld; 150 000 pays 4 500.00, withheld; 250 000 crosses the gate at
  // 500 000 (4 500.00 + 3 000.00) and releases the 10 500.00 withheld: 18 000.00 = 3% of 600 000.
  EXPECT_EQ(dump(*s),
            "1 credit 1 6000.00 RUB flat 3.00% from 0 RUB\n"
            "2 gate 1 -6000.00 RUB gate: nothing below 50% of quota (500 000 RUB), withheld until reached\n"
            "3 credit 2 4500.00 RUB flat 3.00% from 200 000 RUB\n"
            "4 gate 2 -4500.00 RUB gate: nothing below 50% of quota (500 000 RUB), withheld until reached\n"
            "5 credit 3 4500.00 RUB flat 3.00% from 350 000 RUB\n"
            "6 credit 3 3000.00 RUB flat 3.00% from 500 000 RUB\n"
            "7 gate_release 3 10500.00 RUB gate reached at 50% of quota: withheld amount paid\n");
  EXPECT_EQ(s->paid, rub_units(18'000));
}

// Clawback, historic-rate: deal 17 (500 000.00) won 2024-03-20 pays 15 000.00 at 3% in Q1; reopened
// 2024-04-10 (21 days, window 90) it is reversed in Q2 by −15 000.00 at the historic rate.
TEST(DocClawback, ReopenedDealReversedInTheNextPeriodAtTheHistoricRate) {
  const CompensationPlan plan = make_plan(R"(
    "clawback": {"window_days": 90, "policy": "historic-rate"},
    "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "3%"}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]}]
  )");
  EventLog log(at("2023-12-01"));
  DealId d = add_deal(log, "17", "m-ivanova", 50'000'000, "2024-01-10T09:00:00Z");
  move(log, d, "2024-03-20T09:00:00Z", "WON");
  move(log, d, "2024-04-10T09:00:00Z", "B");
  log.seal();
  auto st = statements(log, plan, {"2024-Q1", "2024-Q2"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(find(*st, "m-ivanova", "2024-Q1")->paid, rub_units(15'000));
  const ParticipantStatement* q2 = find(*st, "m-ivanova", "2024-Q2");
  ASSERT_NE(q2, nullptr);
  EXPECT_EQ(dump(*q2),
            "1 clawback 17 -15000.00 RUB clawback: deal 17 reopened 2024-04-10, 21 days after winning "
            "2024-03-20 (window 90 days), at the historic rate 3% (2024-Q1)\n");
  EXPECT_EQ(q2->lines[0].source_period, "2024-Q1");
  EXPECT_EQ(q2->paid, rub_units(-15'000));
}

// Clawback under retroactive tiers 2% from 0 / 3% from 1 000 000: Q1 deals 9 (600 000) and 17
// (500 000) pay 33 000.00; deal 17 reopened in Q2: recompute-period claws back 33 000 − 12 000 =
// −21 000.00; historic-rate only deal 17's own 15 000.00.
TEST(DocClawback, BothPoliciesUnderRetroactiveTiers) {
  for (const char* policy : {"recompute-period", "historic-rate"}) {
    const CompensationPlan plan =
        make_plan(std::string(R"("clawback": {"window_days": 90, "policy": ")") + policy + R"("},
      "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "retroactive", "on": "amount",
                 "tiers": [{"from": "0.00", "rate": "2%"}, {"from": "1000000.00", "rate": "3%"}]}}]}],
      "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]}]
    )");
    EventLog log(at("2023-12-01"));
    DealId d9 = add_deal(log, "9", "m-ivanova", 60'000'000, "2024-01-10T09:00:00Z");
    move(log, d9, "2024-02-20T09:00:00Z", "WON");
    DealId d17 = add_deal(log, "17", "m-ivanova", 50'000'000, "2024-01-10T09:00:00Z");
    move(log, d17, "2024-03-20T09:00:00Z", "WON");
    move(log, d17, "2024-04-10T09:00:00Z", "B");
    log.seal();
    auto st = statements(log, plan, {"2024-Q1", "2024-Q2"});
    ASSERT_TRUE(st.ok()) << st.status().to_string();
    EXPECT_EQ(find(*st, "m-ivanova", "2024-Q1")->paid, rub_units(33'000)) << policy;
    const ParticipantStatement* q2 = find(*st, "m-ivanova", "2024-Q2");
    ASSERT_NE(q2, nullptr);
    ASSERT_EQ(q2->lines.size(), 1u) << dump(*q2);
    EXPECT_EQ(q2->lines[0].kind, "clawback");
    if (std::string(policy) == "recompute-period") {
      EXPECT_EQ(q2->paid, rub_units(-21'000));
      EXPECT_EQ(q2->lines[0].reason,
                "clawback: deal 17 reopened 2024-04-10, 21 days after winning 2024-03-20 (window 90 days), "
                "2024-Q1 recomputed without it: 12 000 RUB instead of 33 000 RUB paid (recompute-period)");
    } else {
      EXPECT_EQ(q2->paid, rub_units(-15'000));
    }
  }
}

// Draws: a draw of 1 500.00 per quarter, flat 10%; earned 500.00 in Q1 (5 000 won) and then
// 3 000.00 (30 000 won) or 2 000.00 (20 000 won) in Q2.
struct DrawCase {
  const char* type;
  std::int64_t q2_sales;
  std::int64_t q1_paid, q1_balance, q2_paid, q2_balance;
};

TEST(DocDraws, RecoverableCarriedAndNonRecoverableMinimum) {
  const DrawCase cases[] = {{"recoverable", 30'000, 1'500, -1'000, 2'000, 0},
                            {"recoverable", 20'000, 1'500, -1'000, 1'500, -500},
                            {"non_recoverable", 30'000, 1'500, 0, 3'000, 0}};
  for (const DrawCase& c : cases) {
    const CompensationPlan plan = make_plan(std::string(R"(
      "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "10%"}}]}],
      "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01",
        "draw": {"type": ")") + c.type + R"(", "amount": "1500.00"}}]}])");
    EventLog log(at("2023-12-01"));
    DealId d = add_deal(log, "1", "m-ivanova", 500'000, "2024-01-10T09:00:00Z");
    move(log, d, "2024-02-10T09:00:00Z", "WON");
    d = add_deal(log, "2", "m-ivanova", c.q2_sales * 100, "2024-01-10T09:00:00Z");
    move(log, d, "2024-05-10T09:00:00Z", "WON");
    log.seal();
    auto st = statements(log, plan, {"2024-Q1", "2024-Q2"});
    ASSERT_TRUE(st.ok()) << st.status().to_string();
    const ParticipantStatement* q1 = find(*st, "m-ivanova", "2024-Q1");
    const ParticipantStatement* q2 = find(*st, "m-ivanova", "2024-Q2");
    ASSERT_TRUE(q1 != nullptr && q2 != nullptr);
    const std::string what =
        std::string(c.type) + " " + std::to_string(c.q2_sales) + "\n" + dump(*q1) + dump(*q2);
    EXPECT_EQ(q1->paid, rub_units(c.q1_paid)) << what;
    EXPECT_EQ(q1->balance_after, rub_units(c.q1_balance)) << what;
    EXPECT_EQ(q2->paid, rub_units(c.q2_paid)) << what;
    EXPECT_EQ(q2->balance_after, rub_units(c.q2_balance)) << what;
    ASSERT_EQ(q1->lines.size(), 2u) << what;
    EXPECT_EQ(q1->lines[1].kind, "draw");
    EXPECT_EQ(q1->lines[1].amount, rub_units(1'000));
    if (c.q2_paid != 3'000) {
      ASSERT_EQ(q2->lines.size(), 2u) << what;
      EXPECT_EQ(q2->lines[1].kind, "recovery");
      EXPECT_EQ(q2->lines[1].amount, rub_units(c.q2_paid - c.q2_sales / 10));
    } else {
      EXPECT_EQ(q2->lines.size(), 1u) << what;
    }
  }
}

// SPIFs: 10 000.00 per deal of product Обучение won 2024-07-01 .. 2024-09-30 with at least
// 100 000.00; deal 1042 split 60/40, won 2024-08-05: 6 000.00 and 4 000.00.
TEST(DocSpifs, SplitDealPaysEachItsShare) {
  const CompensationPlan plan = make_plan(R"(
    "plans": [{"id": "ae", "components": [{"id": "training-q3", "kind": "spif",
      "filter": {"product": ["Обучение"]},
      "spif": {"amount": "10000.00", "per": "deal", "from": "2024-07-01", "to": "2024-09-30",
               "min_amount": "100000.00"}}]}],
    "participants": [
      {"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]},
      {"manager": "m-smirnova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]}],
    "splits": [{"deal": "1042", "shares": [{"manager": "m-ivanova", "share": "60%"},
                                           {"manager": "m-smirnova", "share": "40%"}]}]
  )");
  EventLog log(at("2024-01-01"));
  DealId d = add_deal(log, "1042", "m-ivanova", 200'000'000, "2024-07-01T09:00:00Z");
  log.set_dimension(d, StandardDimension::product, "Обучение");
  move(log, d, "2024-08-05T10:00:00Z", "WON");
  log.seal();
  auto st = statements(log, plan, {"2024-Q3"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  const ParticipantStatement* iv = find(*st, "m-ivanova", "2024-Q3");
  const ParticipantStatement* sm = find(*st, "m-smirnova", "2024-Q3");
  ASSERT_TRUE(iv != nullptr && sm != nullptr);
  ASSERT_EQ(iv->lines.size(), 1u) << dump(*iv);
  EXPECT_EQ(iv->lines[0].kind, "spif");
  EXPECT_EQ(iv->paid, rub_units(6'000));
  EXPECT_EQ(sm->paid, rub_units(4'000));
}

// Interpolated, the plan's JSON form: 2% / 4% / 6% at 50 / 100 / 150% of a 1 000 000.00 quota; deals
// of 700 000 (10 000.00 + 4 800.00) and 500 000 (10 200.00 + 8 800.00) = 33 800.00 RUB. Below the
// first point the first rate (decision 15): the loader adds the flat point at 0, so the plan loads
// with an inline quota and prices as the rate engine does.
TEST(DocInterpolated, ThePlansPointsPriceTheDocumentedExample) {
  const CompensationPlan plan = make_plan(R"(
    "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "interpolated", "on": "attainment",
      "points": [{"at": "50%", "rate": "2%"}, {"at": "100%", "rate": "4%"}, {"at": "150%", "rate": "6%"}],
      "pays": "rate"}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01",
                                                               "quota": "1000000.00"}]}]
  )");
  EventLog log(at("2023-12-01"));
  DealId d = add_deal(log, "1", "m-ivanova", 70'000'000, "2024-01-10T09:00:00Z");
  move(log, d, "2024-02-01T10:00:00Z", "WON");
  d = add_deal(log, "2", "m-ivanova", 50'000'000, "2024-01-10T09:00:00Z");
  move(log, d, "2024-02-10T10:00:00Z", "WON");
  log.seal();
  auto st = statements(log, plan, {"2024-Q1"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  const ParticipantStatement* s = find(*st, "m-ivanova", "2024-Q1");
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->lines.size(), 4u) << dump(*s);
  const std::int64_t want[] = {10'000, 4'800, 10'200, 8'800};
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(s->lines[i].amount, rub_units(want[i])) << dump(*s);
  EXPECT_EQ(s->lines[1].rate, Rate::bp(240));  // the average of 2% and 2.8% over 50–70%
  EXPECT_EQ(s->paid, rub_units(33'800));
}

// Clawback, one payment per deal (decision 5): deal 17 won 2024-03-20 and reopened 2024-04-25 (36
// days, window 30: not clawed back), re-won 2024-05-05, is not credited again.
TEST(DocClawback, ReWonAfterTheWindowIsNotPaidTwice) {
  const CompensationPlan plan = make_plan(R"(
    "clawback": {"window_days": 30},
    "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "3%"}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]}]
  )");
  EventLog log(at("2023-12-01"));
  DealId d = add_deal(log, "17", "m-ivanova", 50'000'000, "2024-01-10T09:00:00Z");
  move(log, d, "2024-03-20T09:00:00Z", "WON");
  move(log, d, "2024-04-25T09:00:00Z", "B");
  move(log, d, "2024-05-05T09:00:00Z", "WON");
  log.seal();
  auto st = statements(log, plan, {"2024-Q1", "2024-Q2"});
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(find(*st, "m-ivanova", "2024-Q1")->paid, rub_units(15'000));
  const ParticipantStatement* q2 = find(*st, "m-ivanova", "2024-Q2");
  if (q2 != nullptr) {
    EXPECT_EQ(q2->paid, rub(0)) << dump(*q2);
  }
  const std::string note =
      "deal 17 re-won on 2024-05-05: its credit of 2024-Q1 was not clawed back, so it is not credited again "
      "(one payment per deal)";
  bool noted = false;
  for (const TeamSummary& sum : st->summary)
    for (const std::string& n : sum.notes) noted = noted || n == note;
  EXPECT_TRUE(noted);
}

}  // namespace
}  // namespace dealflow::compensation::engine_test
