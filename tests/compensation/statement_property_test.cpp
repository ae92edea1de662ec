// Properties of statements (dealflow/compensation/statement.h) over random
// histories: every statement's paid is the sum of its lines and of its
// totals, the team summary adds up the statements, draw balances are never
// positive, and recomputing any period alone gives the same statement.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "common_fixture.h"
#include "dealflow/compensation/statement.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::compensation {
namespace {

using analytics::EventLog;
using analytics::StandardDimension;

using common_fixture::kDir;
using common_fixture::kRub;
using common_fixture::one_stage_pipeline;
const std::vector<std::string> kOwners = {"m-ivanova", "m-sokolova", "m-fedorov", "m-popov"};

// rates: the "sales" rate object and its other keys (caps, gate); policy: the
// clawback policy; extra: top-level keys (payout); ae_extra: keys of plan "ae" (cap_total).
CompensationPlan plan(const std::string& rates, const std::string& policy, const std::string& extra = "",
                      const std::string& ae_extra = "") {
  auto p = parse_compensation_plan_text(R"({
    "format": "dealflow.compensation/1", "name": "Свойства", "currency": "RUB", "utc_offset": "+03:00",
    "team_file": "../plans/sample-team.json", "rounding": "half-even", )" +
                                            extra + R"(
    "clawback": {"window_days": 120, "policy": ")" +
                                            policy + R"(", "spifs": true},
    "plans": [
      {"id": "ae", )" + ae_extra + R"( "components": [{"id": "sales", "rate": )" +
                                            rates + R"(},
        {"id": "bonus", "kind": "spif", "spif": {"amount": "777.77", "per": "deal", "min_amount": "50000.00"}}]},
      {"id": "head", "components": [{"id": "team", "credit": "overlay", "rate": {"type": "flat", "rate": "0.7%"}}]}],
    "participants": [
      {"manager": "m-sokolova", "assignments": [{"plan": "ae", "from": "2024-01-01", "quota": "1500000.00"}]},
      {"manager": "m-fedorov", "assignments": [{"plan": "ae", "from": "2024-01-01", "quota": "1500000.00",
                                               "draw": {"type": "non_recoverable", "amount": "9000.00"}}]},
      {"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-02-15", "quota": "1500000.00",
                                                "draw": {"type": "recoverable", "amount": "15000.00"}}]},
      {"manager": "m-volkova", "role": "head", "assignments": [{"plan": "head", "from": "2024-01-01"}]}],
    "splits": [{"deal": "3", "shares": [{"manager": "m-sokolova", "share": "55%"},
                                        {"manager": "m-fedorov", "share": "45%"}]}],
    "overlays": [{"manager": "m-volkova", "team": "enterprise"}]
  })",
                                        "plan.json", kDir);
  if (!p) throw std::runtime_error(p.status().to_string());
  return std::move(*p);
}

EventLog random_history(std::mt19937& rng) {
  EventLog log(*parse_instant("2024-01-01T00:00:00Z"));
  const StageId a = *one_stage_pipeline().find_stage("A"), won = *one_stage_pipeline().find_stage("WON"),
                lost = *one_stage_pipeline().find_stage("LOST");
  const Instant start = *parse_instant("2024-01-01T00:00:00Z");
  const analytics::DimensionId invoice = log.add_dimension("invoice_paid");
  const int n = 5 + static_cast<int>(rng() % 25);
  for (int i = 0; i < n; ++i) {
    const Instant created = start + Duration(static_cast<std::int64_t>(rng() % (300 * 86400)));
    const std::int64_t amount = 100'000 + static_cast<std::int64_t>(rng() % 300'000'000);
    DealId d = *log.add_deal(std::to_string(i), log.intern_pipeline("p"), created, Money(amount, kRub));
    log.set_dimension(d, StandardDimension::manager, kOwners[rng() % kOwners.size()]);
    EXPECT_TRUE(log.append_event(d, created, a).ok());
    if (rng() % 4 == 0) continue;
    Instant t = created + Duration(static_cast<std::int64_t>(1 + rng() % (60 * 86400)));
    EXPECT_TRUE(log.append_event(d, t, won).ok());
    if (rng() % 3 != 0) {  // the invoice paid 0 to 120 days after winning (payout on a field)
      const Instant inv = t + Duration(static_cast<std::int64_t>(rng() % (120 * 86400)));
      EXPECT_TRUE(log.add_dimension_change(d, inv, invoice, inv.date(180).to_string()).ok());
    }
    const unsigned after = rng() % 5;
    if (after == 0 || after == 1) {
      t = t + Duration(static_cast<std::int64_t>(1 + rng() % (150 * 86400)));
      EXPECT_TRUE(log.append_event(d, t, after == 0 ? a : lost).ok());
      if (after == 0 && rng() % 2 == 0) {
        t = t + Duration(static_cast<std::int64_t>(1 + rng() % (30 * 86400)));
        EXPECT_TRUE(log.append_event(d, t, won).ok());
      }
    }
  }
  log.seal();
  return log;
}

std::map<std::string, int> g_kinds;  // line kinds seen, so the histories exercise them

void check(const Statements& s) {
  for (const TeamSummary& t : s.summary) {
    Money paid(0, kRub);
    for (const ParticipantStatement& p : s.statements) {
      if (p.period != t.period) continue;
      Money sum(0, kRub);
      for (const StatementLine& l : p.lines) {
        sum += l.amount;
        ++g_kinds[l.kind];
      }
      EXPECT_EQ(p.paid, sum) << p.manager << " " << p.period;
      EXPECT_EQ(p.earned + p.caps + p.gate + p.adjustments + p.draw, p.paid);
      EXPECT_LE(p.balance_after.minor_units(), 0);
      for (const HeldDeal& h : p.held) EXPECT_GE(h.amount.minor_units(), 0);
      // The blended rate: Σ the deal's credit and cap_deal lines of the component / its measure.
      for (const StatementLine& l : p.lines) {
        if (!l.blended_rate) continue;
        std::int64_t deal_sum = 0;
        for (const StatementLine& m : p.lines)
          if (m.deal == l.deal && m.component == l.component && (m.kind == "credit" || m.kind == "cap_deal"))
            deal_sum += m.amount.minor_units();
        EXPECT_EQ(*l.blended_rate, Rate::ratio(deal_sum, l.measure.minor_units())) << l.deal;
      }
      paid += p.paid;
    }
    EXPECT_EQ(t.paid, paid) << t.period;
    // Summary rows: the company row is the period's total; each participant row its statement.
    ASSERT_FALSE(t.rows.empty());
    EXPECT_EQ(t.rows.back().paid, t.paid);
    EXPECT_EQ(t.rows.back().won_amount, t.won_amount);
    EXPECT_GE(t.rows.back().uncredited.minor_units(), 0);
    Money rows_paid(0, kRub);
    for (const SummaryRow& r : t.rows)
      if (!r.participant.empty()) rows_paid += r.paid;
    EXPECT_EQ(rows_paid, t.paid);
  }
}

void check_alone(const EventLog& log, const CompensationPlan& p, const Statements& all,
                 const std::vector<planning::Period>& periods) {
  const std::vector<const Pipeline*> pipes = {&one_stage_pipeline()};
  for (const planning::Period& q : periods) {
    const std::vector<planning::Period> one = {q};
    auto alone = compute_statements(log, pipes, p, one);
    ASSERT_TRUE(alone.ok()) << alone.status().to_string();
    std::size_t k = 0;
    for (const ParticipantStatement& s : all.statements) {
      if (s.period != q.label) continue;
      ASSERT_LT(k, alone->statements.size());
      const ParticipantStatement& o = alone->statements[k++];
      EXPECT_EQ(o.manager, s.manager);
      EXPECT_EQ(o.paid, s.paid) << s.manager << " " << q.label;
      EXPECT_EQ(o.balance_after, s.balance_after);
      ASSERT_EQ(o.lines.size(), s.lines.size());
      for (std::size_t j = 0; j < s.lines.size(); ++j) {
        EXPECT_EQ(o.lines[j].amount, s.lines[j].amount);
        EXPECT_EQ(o.lines[j].reason, s.lines[j].reason);
      }
    }
    EXPECT_EQ(k, alone->statements.size());
  }
}

TEST(CompensationStatementProperty, TotalsAreSumsAndRecomputationIsIdentical) {
  const std::vector<CompensationPlan> plans = {
      plan(R"({"type": "marginal", "on": "amount", "tiers": [{"from": "0.00", "rate": "2%"},
             {"from": "1000000.00", "rate": "3.5%"}]}, "caps": {"per_deal": "30000.00"})",
           "historic-rate"),
      plan(R"({"type": "retroactive", "on": "attainment", "tiers": [{"from": "0%", "rate": "1.5%"},
             {"from": "100%", "rate": "3%"}]}, "gate": "20%")",
           "recompute-period"),
      plan(R"({"type": "marginal", "on": "amount", "tiers": [{"from": "0.00", "rate": "2%"},
             {"from": "1000000.00", "rate": "3.5%"}]})",
           "historic-rate", R"("payout": {"on": "field", "field": "invoice_paid"},)",
           R"("cap_total": "40000.00",)")};
  std::vector<planning::Period> quarters;
  for (const char* q : {"2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"})
    quarters.push_back(*planning::parse_period(q));
  const std::vector<const Pipeline*> pipes = {&one_stage_pipeline()};
  std::mt19937 rng(20241);
  for (int iter = 0; iter < 60; ++iter) {
    SCOPED_TRACE("iteration " + std::to_string(iter));
    const EventLog log = random_history(rng);
    const CompensationPlan& p = plans[static_cast<std::size_t>(iter) % plans.size()];
    auto s = compute_statements(log, pipes, p, quarters);
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    check(*s);
    auto again = compute_statements(log, pipes, p, quarters);
    ASSERT_TRUE(again.ok());
    ASSERT_EQ(again->statements.size(), s->statements.size());
    for (std::size_t k = 0; k < s->statements.size(); ++k)
      EXPECT_EQ(again->statements[k].paid, s->statements[k].paid);
    check_alone(log, p, *s, quarters);
  }
  for (const char* kind :
       {"credit", "spif", "clawback", "draw", "recovery", "gate", "cap_deal", "late", "cap_total"})
    EXPECT_GT(g_kinds[kind], 0) << kind;
}

}  // namespace
}  // namespace dealflow::compensation
