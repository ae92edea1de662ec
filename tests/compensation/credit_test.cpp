// Credit lines from the deal history (dealflow/compensation/credit.h): a tiny
// EventLog built here, every number computed by hand.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "common_fixture.h"
#include "dealflow/compensation/credit.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "four_stage.h"

namespace dealflow::compensation {
namespace {

using analytics::EventLog;
using analytics::StandardDimension;

using common_fixture::kDir;
using common_fixture::kRub;

using four_stage::at;
using four_stage::four;
using four_stage::st;


// Sokolova and Fedorov (team enterprise) split deal 476 60/40; Volkova holds
// an overlay on enterprise; Ivanova (smb-inbound) is a rep without overlay.
CompensationPlan credit_plan() {
  auto p = parse_compensation_plan_text(R"({
    "format": "dealflow.compensation/1", "name": "Тест", "currency": "RUB", "utc_offset": "+03:00",
    "team_file": "../plans/sample-team.json", "rounding": "half-up",
    "clawback": {"window_days": 90},
    "plans": [
      {"id": "ae", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "3%"}},
                                  {"id": "count", "measure": "won_count", "rate": {"type": "per_deal", "amount": "1000.00"}}]},
      {"id": "head", "components": [{"id": "team", "credit": "overlay", "rate": {"type": "flat", "rate": "1%"}}]}],
    "participants": [
      {"manager": "m-sokolova", "assignments": [{"plan": "ae", "from": "2023-01-01"}]},
      {"manager": "m-fedorov", "assignments": [{"plan": "ae", "from": "2023-01-01"}]},
      {"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2023-01-01"}]},
      {"manager": "m-volkova", "role": "head", "assignments": [{"plan": "head", "from": "2023-01-01"}]}],
    "splits": [{"deal": "476", "shares": [{"manager": "m-sokolova", "share": "60%"},
                                          {"manager": "m-fedorov", "share": "40%"}]}],
    "overlays": [{"manager": "m-volkova", "team": "enterprise"}]
  })",
                                        "plan.json", kDir);
  if (!p) throw std::runtime_error(p.status().to_string());
  return std::move(*p);
}

DealId credit_deal(EventLog& log, const char* key, const char* owner, std::int64_t amount,
                   const char* created) {
  DealId d = *log.add_deal(key, log.intern_pipeline("four"), at(created), Money(amount, kRub));
  log.set_dimension(d, StandardDimension::manager, owner);
  EXPECT_TRUE(log.append_event(d, at(created), st("A")).ok());
  return d;
}

EventLog credit_history() {
  EventLog log(at("2023-01-01"));
  // 476: 1 200 000.00 RUB won 2024-02-15, split 60/40.
  DealId d = credit_deal(log, "476", "m-sokolova", 120'000'000, "2024-01-10T09:00:00Z");
  EXPECT_TRUE(log.append_event(d, at("2024-02-15T10:00:00Z"), st("WON")).ok());
  // 2: 100 000.00 won by Ivanova 2024-03-01, reassigned to Popov on 03-10: stays with Ivanova.
  d = credit_deal(log, "2", "Иванова Анна", 10'000'000, "2024-02-01T09:00:00Z");
  EXPECT_TRUE(log.append_event(d, at("2024-03-01T12:00:00Z"), st("WON")).ok());
  EXPECT_TRUE(log.add_dimension_change(d, at("2024-03-10T08:00:00Z"),
                                       analytics::to_dimension_id(StandardDimension::manager), "m-popov")
                  .ok());
  // 3: won 2023-12-20 (Q4), reopened 2024-02-10: 52 days, within the 90-day window.
  d = credit_deal(log, "3", "m-fedorov", 5'000'000, "2023-12-01T09:00:00Z");
  EXPECT_TRUE(log.append_event(d, at("2023-12-20T10:00:00Z"), st("WON")).ok());
  EXPECT_TRUE(log.append_event(d, at("2024-02-10T10:00:00Z"), st("B")).ok());
  // 4: won 2024-03-31T21:30Z = 2024-04-01 00:30 at +03:00: Q2, outside Q1.
  d = credit_deal(log, "4", "m-ivanova", 7'000'000, "2024-03-01T09:00:00Z");
  EXPECT_TRUE(log.append_event(d, at("2024-03-31T21:30:00Z"), st("WON")).ok());
  // 5: won 2023-06-01, lost 2024-01-15: 228 days, after the window.
  d = credit_deal(log, "5", "m-fedorov", 1'000'000, "2023-05-01T09:00:00Z");
  EXPECT_TRUE(log.append_event(d, at("2023-06-01T10:00:00Z"), st("WON")).ok());
  EXPECT_TRUE(log.append_event(d, at("2024-01-15T10:00:00Z"), st("LOST")).ok());
  log.seal();
  return log;
}

const CreditList* find(const Credits& c, const std::string& manager, const std::string& component,
                       const CompensationPlan& p) {
  for (const CreditList& l : c.lists)
    if (l.manager == manager && p.plans[l.plan].components[l.component].id == component) return &l;
  return nullptr;
}

TEST(CompensationCredit, SplitOverlayOwnerAsOfClosingReversalAndPeriod) {
  const CompensationPlan p = credit_plan();
  const EventLog log = credit_history();
  const std::vector<const Pipeline*> pipes = {&four()};
  auto c = compute_credits(log, pipes, p, *planning::parse_period("2024-Q1"));
  ASSERT_TRUE(c.ok()) << c.status().to_string();

  // Direct: 476 at 60% and 40%, 2 at 100% to Ivanova (the closer); 4 is in Q2, 3 and 5 are not won.
  ASSERT_EQ(c->direct.size(), 3u);
  EXPECT_EQ(c->direct[0].deal, "476");
  EXPECT_EQ(c->direct[0].manager, "m-sokolova");
  EXPECT_EQ(c->direct[0].share_bp, 6000);
  EXPECT_EQ(c->direct[0].source, CreditSource::split);
  EXPECT_EQ(c->direct[1].manager, "m-fedorov");
  EXPECT_EQ(c->direct[1].share_bp, 4000);
  EXPECT_EQ(c->direct[2].deal, "2");
  EXPECT_EQ(c->direct[2].manager, "m-ivanova");
  EXPECT_EQ(c->direct[2].source, CreditSource::owner);

  // Overlay: Volkova on 476 at 100% (60% + 40% of enterprise members), outside the 100%; none on 2.
  ASSERT_EQ(c->overlay.size(), 1u);
  EXPECT_EQ(c->overlay[0].manager, "m-volkova");
  EXPECT_EQ(c->overlay[0].deal, "476");
  EXPECT_EQ(c->overlay[0].share_bp, 10000);

  const CreditList* s = find(*c, "m-sokolova", "sales", p);
  ASSERT_NE(s, nullptr);
  ASSERT_EQ(s->lines.size(), 1u);
  EXPECT_EQ(s->lines[0].measure, Money(72'000'000, kRub));  // 60% of 1 200 000.00
  EXPECT_EQ(s->lines[0].reason, "split 60% of 1200000.00 RUB won amount");
  EXPECT_EQ(s->lines[0].payout_date, Date::parse("2024-02-15").value());  // payout on close
  const CreditList* f = find(*c, "m-fedorov", "sales", p);
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->lines.size(), 1u);
  EXPECT_EQ(f->lines[0].measure, Money(48'000'000, kRub));
  const CreditList* fc = find(*c, "m-fedorov", "count", p);
  ASSERT_NE(fc, nullptr);
  EXPECT_EQ(fc->lines[0].measure.minor_units(), 4000);  // 0.4 deal
  const CreditList* v = find(*c, "m-volkova", "team", p);
  ASSERT_NE(v, nullptr);
  ASSERT_EQ(v->lines.size(), 1u);
  EXPECT_EQ(v->lines[0].measure, Money(120'000'000, kRub));
  EXPECT_EQ(v->lines[0].source, CreditSource::overlay);
  const CreditList* i = find(*c, "m-ivanova", "sales", p);
  ASSERT_NE(i, nullptr);
  ASSERT_EQ(i->lines.size(), 1u);  // deal 4 (Q2 at +03:00) is not in Q1
  EXPECT_EQ(i->lines[0].deal, "2");
  EXPECT_EQ(i->lines[0].measure, Money(10'000'000, kRub));
  EXPECT_EQ(find(*c, "m-popov", "sales", p), nullptr);

  // Priced by rates.h: 3% of 720 000.00 = 21 600.00.
  auto stmt = compute_period(p.plans[s->plan].components[s->component].rate, s->rate_credits());
  ASSERT_TRUE(stmt.ok()) << stmt.status().to_string();
  EXPECT_EQ(stmt->total, Money(2'160'000, kRub));

  // Reversals: 3 reopened 52 days after winning (source 2023-Q4); 5 lost after the window: a note.
  ASSERT_EQ(c->reversals.size(), 1u);
  EXPECT_EQ(c->reversals[0].deal, "3");
  EXPECT_EQ(c->reversals[0].kind, ReversalKind::reopened);
  EXPECT_EQ(c->reversals[0].won, at("2023-12-20T10:00:00Z"));
  EXPECT_EQ(c->reversals[0].reversed, at("2024-02-10T10:00:00Z"));
  EXPECT_EQ(c->reversals[0].source_period, "2023-Q4");
  bool noted = false;
  for (const std::string& n : c->notes) noted = noted || n.find("deal 5 reversed after") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(CompensationCredit, Q2HasTheDealClosedAtLocalMidnight) {
  const CompensationPlan p = credit_plan();
  const EventLog log = credit_history();
  const std::vector<const Pipeline*> pipes = {&four()};
  auto c = compute_credits(log, pipes, p, *planning::parse_period("2024-Q2"));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  ASSERT_EQ(c->direct.size(), 1u);
  EXPECT_EQ(c->direct[0].deal, "4");
  EXPECT_TRUE(c->reversals.empty());
}

// The overlay covers only the shares of its team's members, at its own share:
// 476 split 60% Sokolova (enterprise) / 40% Ivanova (smb-inbound), overlay
// 50% on enterprise: 50% × 60% = 30% of 1 200 000.00 = 360 000.00.
TEST(CompensationCredit, OverlayCoversOnlyItsTeamsShareAtItsOwnShare) {
  CompensationPlan p = credit_plan();
  p.splits[0].shares[1].manager = "m-ivanova";
  p.overlays[0].share_bp = 5000;
  const EventLog log = credit_history();
  const std::vector<const Pipeline*> pipes = {&four()};
  auto c = compute_credits(log, pipes, p, *planning::parse_period("2024-Q1"));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  ASSERT_EQ(c->overlay.size(), 1u);
  EXPECT_EQ(c->overlay[0].share_bp, 3000);
  const CreditList* v = find(*c, "m-volkova", "team", p);
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->lines[0].measure, Money(36'000'000, kRub));
  EXPECT_EQ(v->lines[0].reason, "overlay 30% of 1200000.00 RUB won amount");
  // Roll-ups read direct credit only: 476's direct shares still sum to 100%.
  std::int64_t direct = 0;
  for (const DealCredit& d : c->direct)
    if (d.deal == "476") direct += d.share_bp;
  EXPECT_EQ(direct, 10000);
}

// A deal lost 10 days after winning is cancelled; a deal in another currency is uncredited (a note).
TEST(CompensationCredit, CancelledReversalAndAnotherCurrency) {
  const CompensationPlan p = credit_plan();
  EventLog log(at("2023-01-01"));
  DealId d = credit_deal(log, "9", "m-fedorov", 100, "2024-03-01T09:00:00Z");
  ASSERT_TRUE(log.append_event(d, at("2024-03-25T10:00:00Z"), st("WON")).ok());
  ASSERT_TRUE(log.append_event(d, at("2024-04-04T10:00:00Z"), st("LOST")).ok());
  DealId usd =
      *log.add_deal("10", log.intern_pipeline("four"), at("2024-04-01"), Money(500, Currency::of("USD")));
  log.set_dimension(usd, StandardDimension::manager, "m-fedorov");
  ASSERT_TRUE(log.append_event(usd, at("2024-04-10T10:00:00Z"), st("WON")).ok());
  log.seal();
  const std::vector<const Pipeline*> pipes = {&four()};
  auto c = compute_credits(log, pipes, p, *planning::parse_period("2024-Q2"));
  ASSERT_TRUE(c.ok()) << c.status().to_string();
  ASSERT_EQ(c->reversals.size(), 1u);
  EXPECT_EQ(c->reversals[0].deal, "9");
  EXPECT_EQ(c->reversals[0].kind, ReversalKind::cancelled);
  EXPECT_EQ(c->reversals[0].source_period, "2024-Q1");
  EXPECT_EQ(find(*c, "m-fedorov", "sales", p), nullptr);
  const CreditList* count = find(*c, "m-fedorov", "count", p);  // a count has no currency
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->lines[0].measure.minor_units(), kCountUnit);
  ASSERT_FALSE(c->notes.empty());
  EXPECT_EQ(c->notes[0], "deal 10 (owner 100% to m-fedorov): amount in USD, not RUB, uncredited for sales");
}

TEST(CompensationCredit, UnsealedLogIsAnError) {
  const CompensationPlan p = credit_plan();
  EventLog log(at("2023-01-01"));
  DealId d = *log.add_deal("1", log.intern_pipeline("four"), at("2024-01-01"), Money(100, kRub));
  ASSERT_TRUE(log.append_event(d, at("2024-01-02"), st("WON")).ok());
  const std::vector<const Pipeline*> pipes = {&four()};
  auto c = compute_credits(log, pipes, p, *planning::parse_period("2024-Q1"));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace dealflow::compensation
