// Commission statements (dealflow/compensation/statement.h): a tiny EventLog
// built here, two quarters, every number computed by hand.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "common_fixture.h"
#include "dealflow/compensation/statement.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "four_stage.h"

namespace dealflow::compensation {
namespace {

using analytics::EventLog;
using analytics::StandardDimension;

using common_fixture::kDir;
using common_fixture::kRub;
using common_fixture::rub;

using four_stage::at;
using four_stage::four;
using four_stage::st;

// Marginal 2% to 1 000 000.00, 3% above; a SPIF of 10 000.00 per deal of at
// least 200 000.00 in H1 2024; Volkova holds a 1% overlay on enterprise
// (Sokolova, Fedorov); Ivanova has a recoverable draw of 1 500.00 from 2024.
CompensationPlan statement_plan() {
  auto p = parse_compensation_plan_text(R"({
    "format": "dealflow.compensation/1", "name": "Тест", "currency": "RUB", "utc_offset": "+03:00",
    "team_file": "../plans/sample-team.json", "rounding": "half-up",
    "clawback": {"window_days": 90, "policy": "historic-rate", "spifs": true},
    "plans": [
      {"id": "ae", "components": [
        {"id": "sales", "rate": {"type": "marginal", "on": "amount", "tiers": [{"from": "0.00", "rate": "2%"},
                                                             {"from": "1000000.00", "rate": "3%"}]}},
        {"id": "h1", "kind": "spif", "spif": {"amount": "10000.00", "per": "deal", "from": "2024-01-01",
                                             "to": "2024-06-30", "min_amount": "200000.00"}}]},
      {"id": "head", "components": [{"id": "team", "credit": "overlay", "rate": {"type": "flat", "rate": "1%"}}]}],
    "participants": [
      {"manager": "m-sokolova", "assignments": [{"plan": "ae", "from": "2023-01-01"}]},
      {"manager": "m-fedorov", "assignments": [{"plan": "ae", "from": "2023-01-01"}]},
      {"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01",
                                                "draw": {"type": "recoverable", "amount": "1500.00"}}]},
      {"manager": "m-volkova", "role": "head", "assignments": [{"plan": "head", "from": "2023-01-01"}]}],
    "splits": [{"deal": "476", "shares": [{"manager": "m-sokolova", "share": "60%"},
                                          {"manager": "m-fedorov", "share": "40%"}]}],
    "overlays": [{"manager": "m-volkova", "team": "enterprise"}]
  })",
                                        "plan.json", kDir);
  if (!p) throw std::runtime_error(p.status().to_string());
  return std::move(*p);
}

DealId statement_deal(EventLog& log, const char* key, const char* owner, std::int64_t amount,
                      const char* created) {
  DealId d = *log.add_deal(key, log.intern_pipeline("four"), at(created), Money(amount, kRub));
  log.set_dimension(d, StandardDimension::manager, owner);
  EXPECT_TRUE(log.append_event(d, at(created), st("A")).ok());
  return d;
}

EventLog statement_history() {
  EventLog log(at("2023-01-01"));
  // 476: 1 200 000.00 won 2024-02-15, split Sokolova 60% / Fedorov 40%.
  DealId d = statement_deal(log, "476", "m-sokolova", 120'000'000, "2024-01-10T09:00:00Z");
  EXPECT_TRUE(log.append_event(d, at("2024-02-15T10:00:00Z"), st("WON")).ok());
  // 10: 500 000.00 Sokolova won 2024-03-20, reopened 2024-04-10 (21 days): clawed back in Q2.
  d = statement_deal(log, "10", "m-sokolova", 50'000'000, "2024-02-01T09:00:00Z");
  EXPECT_TRUE(log.append_event(d, at("2024-03-20T10:00:00Z"), st("WON")).ok());
  EXPECT_TRUE(log.append_event(d, at("2024-04-10T10:00:00Z"), st("B")).ok());
  // 20: 25 000.00 Ivanova won 2024-03-01 (below the SPIF minimum).
  d = statement_deal(log, "20", "m-ivanova", 2'500'000, "2024-02-01T09:00:00Z");
  EXPECT_TRUE(log.append_event(d, at("2024-03-01T10:00:00Z"), st("WON")).ok());
  // 31: 150 000.00 Ivanova won 2024-05-05 (Q2; below the SPIF minimum).
  d = statement_deal(log, "31", "m-ivanova", 15'000'000, "2024-05-01T09:00:00Z");
  EXPECT_TRUE(log.append_event(d, at("2024-05-05T10:00:00Z"), st("WON")).ok());
  log.seal();
  return log;
}

const ParticipantStatement* find(const Statements& s, const std::string& manager, const std::string& period) {
  for (const ParticipantStatement& p : s.statements)
    if (p.manager == manager && p.period == period) return &p;
  return nullptr;
}

std::vector<planning::Period> quarters() {
  return {*planning::parse_period("2024-Q1"), *planning::parse_period("2024-Q2")};
}

struct Expect {
  std::string kind, component, deal;
  std::int64_t share_bp;
  int tier;
  Rate rate;
  std::int64_t amount;
};

void expect_lines(const ParticipantStatement* s, const std::vector<Expect>& want) {
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->lines.size(), want.size()) << s->manager << " " << s->period;
  Money sum = rub(0);
  for (std::size_t i = 0; i < want.size(); ++i) {
    const StatementLine& l = s->lines[i];
    SCOPED_TRACE(s->manager + " " + s->period + " line " + std::to_string(i + 1) + ": " + l.reason);
    EXPECT_EQ(l.line, static_cast<int>(i + 1));
    EXPECT_EQ(l.kind, want[i].kind);
    EXPECT_EQ(l.component, want[i].component);
    EXPECT_EQ(l.deal, want[i].deal);
    EXPECT_EQ(l.share_bp, want[i].share_bp);
    EXPECT_EQ(l.tier, want[i].tier);
    EXPECT_EQ(l.rate, want[i].rate);
    EXPECT_EQ(l.amount, rub(want[i].amount));
    EXPECT_FALSE(l.reason.empty());
    sum += l.amount;
  }
  EXPECT_EQ(s->paid, sum);
}

class CompensationStatement : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::vector<const Pipeline*> pipes = {&four()};
    auto s = compute_statements(log_, pipes, plan_, quarters());
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    st_ = std::move(*s);
  }
  const CompensationPlan plan_ = statement_plan();
  const EventLog log_ = statement_history();
  Statements st_;
};

// Q1: 476 split 60/40 (720 000 / 480 000 at 2%), 10 crosses the tier
// (280 000 × 2% + 220 000 × 3%), SPIF 10 000 × share on 476 and 10, the
// overlay 1% of both deals, Ivanova's 500.00 topped up to the 1 500.00 draw.
TEST_F(CompensationStatement, FirstQuarterTieredSplitOverlaySpifDraw) {
  const Rate two = Rate::bp(200), three = Rate::bp(300), one = Rate::bp(100);
  expect_lines(find(st_, "m-sokolova", "2024-Q1"),
               {{"credit", "sales", "476", 6000, 1, two, 1'440'000},
                {"credit", "sales", "10", 10000, 1, two, 560'000},
                {"credit", "sales", "10", 10000, 2, three, 660'000},
                {"spif", "h1", "476", 6000, 0, Rate::bp(6000), 600'000},
                {"spif", "h1", "10", 10000, 0, Rate::bp(10000), 1'000'000}});
  expect_lines(find(st_, "m-fedorov", "2024-Q1"), {{"credit", "sales", "476", 4000, 1, two, 960'000},
                                                   {"spif", "h1", "476", 4000, 0, Rate::bp(4000), 400'000}});
  const ParticipantStatement* v = find(st_, "m-volkova", "2024-Q1");
  expect_lines(v, {{"credit", "team", "476", 10000, 1, one, 1'200'000},
                   {"credit", "team", "10", 10000, 1, one, 500'000}});
  EXPECT_EQ(v->lines[0].credit, CreditSource::overlay);
  EXPECT_EQ(v->overlay_paid, rub(1'700'000));
  EXPECT_EQ(find(st_, "m-sokolova", "2024-Q1")->paid, rub(4'260'000));
  EXPECT_EQ(find(st_, "m-sokolova", "2024-Q1")->lines[0].measure, rub(72'000'000));
  const ParticipantStatement* i = find(st_, "m-ivanova", "2024-Q1");
  expect_lines(i,
               {{"credit", "sales", "20", 10000, 1, two, 50'000}, {"draw", "", "", 0, 0, Rate{}, 100'000}});
  EXPECT_EQ(i->earned, rub(50'000));
  EXPECT_EQ(i->draw, rub(100'000));
  EXPECT_EQ(i->paid, rub(150'000));
  EXPECT_EQ(i->balance_before, rub(0));
  EXPECT_EQ(i->balance_after, rub(-100'000));
  // Team: won 1 200 000 + 500 000 + 25 000 (476 once, not per share); paid 42 600 + 13 600 + 17 000 + 1 500.
  ASSERT_EQ(st_.summary.size(), 2u);
  EXPECT_EQ(st_.summary[0].won_amount, rub(172'500'000));
  EXPECT_EQ(st_.summary[0].paid, rub(7'470'000));
  EXPECT_EQ(st_.summary[0].overlay_paid, rub(1'700'000));
  EXPECT_EQ(st_.summary[0].cost_of_sales, Rate::ratio(7'470'000, 172'500'000));
  EXPECT_EQ(st_.summary[0].cost_of_sales.to_percent(4), "4.3304%");
}

// Q2: deal 10 reopened 21 days after winning: its Q1 lines clawed back at the
// historic rates (slices, SPIF, overlay); Ivanova earns 3 000.00, 1 000.00
// recovered: paid 2 000.00, balance 0.
TEST_F(CompensationStatement, SecondQuarterClawbackAndDrawRecovery) {
  const Rate two = Rate::bp(200), three = Rate::bp(300);
  const ParticipantStatement* s = find(st_, "m-sokolova", "2024-Q2");
  expect_lines(s, {{"clawback", "sales", "10", 10000, 1, two, -560'000},
                   {"clawback", "sales", "10", 10000, 2, three, -660'000},
                   {"clawback", "h1", "10", 10000, 0, Rate::bp(10000), -1'000'000}});
  EXPECT_EQ(s->lines[0].source_period, "2024-Q1");
  EXPECT_EQ(s->adjustments, rub(-2'220'000));
  EXPECT_EQ(s->paid, rub(-2'220'000));
  expect_lines(find(st_, "m-volkova", "2024-Q2"),
               {{"clawback", "team", "10", 10000, 1, Rate::bp(100), -500'000}});
  EXPECT_EQ(find(st_, "m-fedorov", "2024-Q2"), nullptr);
  const ParticipantStatement* i = find(st_, "m-ivanova", "2024-Q2");
  expect_lines(
      i, {{"credit", "sales", "31", 10000, 1, two, 300'000}, {"recovery", "", "", 0, 0, Rate{}, -100'000}});
  EXPECT_EQ(i->paid, rub(200'000));
  EXPECT_EQ(i->balance_before, rub(-100'000));
  EXPECT_EQ(i->balance_after, rub(0));
  EXPECT_EQ(st_.summary[1].won_amount, rub(15'000'000));
  EXPECT_EQ(st_.summary[1].paid, rub(-2'520'000));
  EXPECT_EQ(st_.summary[1].clawbacks, rub(-2'720'000));
}

// Recomputing Q2 alone gives the same statements: the draw balance is carried
// from the first period with a draw, whatever periods are asked for.
TEST_F(CompensationStatement, PastPeriodRecomputedAloneIsIdentical) {
  const std::vector<const Pipeline*> pipes = {&four()};
  const std::vector<planning::Period> q2 = {quarters()[1]};
  auto alone = compute_statements(log_, pipes, plan_, q2);
  ASSERT_TRUE(alone.ok()) << alone.status().to_string();
  std::vector<const ParticipantStatement*> both;
  for (const ParticipantStatement& s : st_.statements)
    if (s.period == "2024-Q2") both.push_back(&s);
  ASSERT_EQ(alone->statements.size(), both.size());
  for (std::size_t k = 0; k < both.size(); ++k) {
    EXPECT_EQ(alone->statements[k].manager, both[k]->manager);
    EXPECT_EQ(alone->statements[k].paid, both[k]->paid);
    EXPECT_EQ(alone->statements[k].balance_after, both[k]->balance_after);
    ASSERT_EQ(alone->statements[k].lines.size(), both[k]->lines.size());
    for (std::size_t j = 0; j < both[k]->lines.size(); ++j)
      EXPECT_EQ(alone->statements[k].lines[j].reason, both[k]->lines[j].reason);
  }
}

TEST(CompensationStatementErrors, PeriodOfAnotherKind) {
  const CompensationPlan p = statement_plan();
  const EventLog log = statement_history();
  const std::vector<const Pipeline*> pipes = {&four()};
  const std::vector<planning::Period> month = {*planning::parse_period("2024-03")};
  auto s = compute_statements(log, pipes, p, month);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::invalid_argument);
  EXPECT_NE(s.status().to_string().find("2024-03"), std::string::npos);
}

// A plan built in memory with a quota from a quota plan it does not name (the
// loader refuses it): located at the assignment, naming manager and period.
TEST(CompensationStatementErrors, QuotaFromThePlanWithoutAQuotaPlan) {
  const EventLog log = statement_history();
  const std::vector<const Pipeline*> pipes = {&four()};
  CompensationPlan p = statement_plan();
  for (int k = 0; k < 3; ++k) p.participants[k].assignments[0].quota.kind = Quota::Kind::from_plan;
  p.plans[0].components[0].rate.gate = Gate{5000, true};  // the component reads the quota
  auto s = compute_statements(log, pipes, p, quarters());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), ErrorCode::invalid_argument);
  const std::string e = s.status().to_string();
  // The first list priced is m-fedorov's (lists by manager id).
  EXPECT_NE(e.find("at /participants/1/assignments/0/quota"), std::string::npos) << e;
  EXPECT_NE(e.find("m-fedorov in 2024-Q1"), std::string::npos) << e;
  EXPECT_NE(e.find("names no quota plan"), std::string::npos) << e;
}

}  // namespace
}  // namespace dealflow::compensation
