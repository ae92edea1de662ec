// What-if (dealflow/compensation/what_if.h): a tiny EventLog built here, the
// design's marginal / retroactive example, a split deal, a cap crossed by an
// extra amount and every documented error; every number computed by hand.
#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "common_fixture.h"
#include "dealflow/compensation/what_if.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "four_stage.h"

namespace dealflow::compensation {
namespace {

using analytics::EventLog;
using analytics::StandardDimension;

using common_fixture::kDir;
using common_fixture::kUsd;

using four_stage::at;
using four_stage::four;
using four_stage::st;

const Pipeline& svc() {
  static const LoadedPipeline loaded = [] {
    auto p = parse_pipeline_text(R"({"id": "svc", "name": "Сервис", "stages": [
      {"id": "NEW", "name": "Новая", "kind": "open", "probability": 0.5},
      {"id": "DONE", "name": "Оплачено", "kind": "won"}, {"id": "NO", "name": "Отказ", "kind": "lost"}]})",
                                 "svc.json");
    if (!p) throw std::runtime_error(p.status().to_string());
    return std::move(*p);
  }();
  return loaded.pipeline;
}

Money usd_minor(std::int64_t minor) {
  return Money(minor, kUsd);
}

// The design's tiers 1/2/3/4% from 0 / 10 000 / 50 000 / 100 000 USD, marginal
// (Ivanova, Sokolova, Fedorov) and retroactive (Smirnova); Kuznetsov a flat 10%
// capped at 5 000.00 per period; Lebedeva 5% of a margin field; Egorov 1% on pipeline svc, 2% on new
// and 5% on repeat business. Deal S is split
// Sokolova 60% / Fedorov 40%.
const char* kPlan = R"({
  "format": "dealflow.compensation/1", "name": "Что если", "currency": "USD", "utc_offset": "+00:00",
  "team_file": "../plans/sample-team.json", "rounding": "half-up", "margin_field": "margin",
  "plans": [
    {"id": "marg", "components": [{"id": "sales", "rate": {"type": "marginal", "on": "amount", "tiers": [
      {"from": "0.00", "rate": "1%"}, {"from": "10000.00", "rate": "2%"},
      {"from": "50000.00", "rate": "3%"}, {"from": "100000.00", "rate": "4%"}]}}]},
    {"id": "retro", "components": [{"id": "sales", "rate": {"type": "retroactive", "on": "amount", "tiers": [
      {"from": "0.00", "rate": "1%"}, {"from": "10000.00", "rate": "2%"},
      {"from": "50000.00", "rate": "3%"}, {"from": "100000.00", "rate": "4%"}]}}]},
    {"id": "capped", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "10%"},
                                     "caps": {"per_period": "5000.00"}}]},
    {"id": "svc", "components": [
      {"id": "svc", "filter": {"pipeline": ["svc"]}, "rate": {"type": "flat", "rate": "1%"}},
      {"id": "new", "filter": {"business": "new"}, "rate": {"type": "flat", "rate": "2%"}},
      {"id": "repeat", "filter": {"business": "repeat"}, "rate": {"type": "flat", "rate": "5%"}}]},
    {"id": "margin", "components": [{"id": "margin", "measure": "margin",
                                     "rate": {"type": "flat", "rate": "5%"}}]}],
  "participants": [
    {"manager": "m-ivanova", "assignments": [{"plan": "marg", "from": "2024-01-01"}]},
    {"manager": "m-smirnova", "assignments": [{"plan": "retro", "from": "2024-01-01"}]},
    {"manager": "m-sokolova", "assignments": [{"plan": "marg", "from": "2024-01-01"}]},
    {"manager": "m-fedorov", "assignments": [{"plan": "marg", "from": "2024-01-01"}]},
    {"manager": "m-kuznetsov", "assignments": [{"plan": "capped", "from": "2024-01-01"}]},
    {"manager": "m-lebedeva", "assignments": [{"plan": "margin", "from": "2024-01-01"}]},
    {"manager": "m-egorov", "assignments": [{"plan": "svc", "from": "2024-01-01"}]}],
  "splits": [{"deal": "S", "shares": [{"manager": "m-sokolova", "share": "60%"},
                                      {"manager": "m-fedorov", "share": "40%"}]}]
})";

CompensationPlan what_if_plan() {
  auto p = parse_compensation_plan_text(kPlan, "what-if.json", kDir);
  if (!p) throw std::runtime_error(p.status().to_string());
  return std::move(*p);
}

DealId what_if_deal(EventLog& log, const char* key, const char* owner, std::int64_t amount,
                    const char* created) {
  DealId d = *log.add_deal(key, log.intern_pipeline("four"), at(created), Money(amount, kUsd));
  log.set_dimension(d, StandardDimension::manager, owner);
  EXPECT_TRUE(log.append_event(d, at(created), st("A")).ok());
  return d;
}

void won(EventLog& log, DealId d, const char* when) {
  EXPECT_TRUE(log.append_event(d, at(when), st("WON")).ok());
}

// Everything happens in 2024-Q1 and before 2024-03-20T12:00Z (the default as-of).
EventLog what_if_history() {
  EventLog log(at("2023-01-01"));
  // Ivanova: A 20 000 (5 Mar) and B 25 000 (12 Mar) won, C 15 000 open.
  won(log, what_if_deal(log, "A", "m-ivanova", 2'000'000, "2024-03-01T09:00:00Z"), "2024-03-05T10:00:00Z");
  won(log, what_if_deal(log, "B", "m-ivanova", 2'500'000, "2024-03-01T09:00:00Z"), "2024-03-12T10:00:00Z");
  what_if_deal(log, "C", "m-ivanova", 1'500'000, "2024-03-01T09:00:00Z");
  // Smirnova (retroactive): the same three deals.
  won(log, what_if_deal(log, "A2", "m-smirnova", 2'000'000, "2024-03-01T09:00:00Z"), "2024-03-05T10:00:00Z");
  won(log, what_if_deal(log, "B2", "m-smirnova", 2'500'000, "2024-03-01T09:00:00Z"), "2024-03-12T10:00:00Z");
  what_if_deal(log, "C2", "Смирнова Ольга", 1'500'000, "2024-03-01T09:00:00Z");  // owner by display name
  // S 10 000 open, split 60/40; L lost.
  what_if_deal(log, "S", "m-sokolova", 1'000'000, "2024-03-02T09:00:00Z");
  DealId l = what_if_deal(log, "L", "m-sokolova", 500'000, "2024-03-02T09:00:00Z");
  EXPECT_TRUE(log.append_event(l, at("2024-03-10T10:00:00Z"), st("LOST")).ok());
  // Kuznetsov: K 40 000 won (4 000.00 at 10%, under the 5 000.00 cap).
  won(log, what_if_deal(log, "K", "m-kuznetsov", 4'000'000, "2024-02-01T09:00:00Z"), "2024-02-10T10:00:00Z");
  // Lebedeva: M open with a margin that is not money.
  DealId m = what_if_deal(log, "M", "m-lebedeva", 1'000'000, "2024-03-03T09:00:00Z");
  log.set_dimension(m, log.add_dimension("margin"), "много");
  log.seal();
  return log;
}

const Instant kAsOf = at("2024-03-20T12:00:00Z");

WhatIf close(const std::string& deal) {
  return WhatIf{deal, std::nullopt};
}
WhatIf more(Money extra) {
  return WhatIf{"", extra};
}

class WhatIfTest : public ::testing::Test {
 protected:
  Result<WhatIfResult> run(const std::string& manager, const WhatIf& change, Instant as_of = kAsOf,
                           const char* period = "2024-Q1") {
    const std::vector<const Pipeline*> pipes = {&four()};
    return what_if(log_, pipes, plan_, *planning::parse_period(period), manager, change, as_of);
  }
  void expect_error(const Result<WhatIfResult>& r, const std::string& part) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::invalid_argument) << r.status().to_string();
    EXPECT_NE(r.status().to_string().find(part), std::string::npos) << r.status().to_string();
  }
  const CompensationPlan plan_ = what_if_plan();
  const EventLog log_ = what_if_history();
};

struct Want {
  std::string deal;
  std::int64_t from, to;
  int tier;
  Rate rate;
  std::int64_t amount;
};

void expect_lines(const std::vector<StatementLine>& lines, const std::vector<Want>& want) {
  ASSERT_EQ(lines.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE("line " + std::to_string(i + 1) + ": " + lines[i].reason);
    EXPECT_EQ(lines[i].kind, "credit");
    EXPECT_EQ(lines[i].deal, want[i].deal);
    EXPECT_EQ(lines[i].slice_from, usd_minor(want[i].from));
    EXPECT_EQ(lines[i].slice_to, usd_minor(want[i].to));
    EXPECT_EQ(lines[i].tier, want[i].tier);
    EXPECT_EQ(lines[i].rate, want[i].rate);
    EXPECT_EQ(lines[i].amount, usd_minor(want[i].amount));
  }
}

// The design's example, marginal: A and B won (45 000): 100 + 200 + 500 = 800.00; closing C (15 000)
// adds its slices 45 000–50 000 at 2% (100.00) and 50 000–60 000 at 3% (300.00): +400.00.
TEST_F(WhatIfTest, MarginalClosingDealAddsItsSlices) {
  auto r = run("m-ivanova", close("C"));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->manager, "m-ivanova");
  EXPECT_EQ(r->period, "2024-Q1");
  EXPECT_EQ(r->as_of, kAsOf);
  EXPECT_EQ(r->what_if, "close deal C (15 000.00 USD)");
  EXPECT_EQ(r->current.paid, usd_minor(80'000));
  EXPECT_EQ(r->changed.paid, usd_minor(120'000));
  EXPECT_EQ(r->difference, usd_minor(40'000));
  EXPECT_EQ(r->current.lines.size(), 3u);
  EXPECT_EQ(r->changed.lines.size(), 5u);
  expect_lines(r->changed_lines, {{"C", 4'500'000, 5'000'000, 2, Rate::bp(200), 10'000},
                                  {"C", 5'000'000, 6'000'000, 3, Rate::bp(300), 30'000}});
}

// Retroactive: 45 000 reached tier 2 (2% on all: 400 + 500 = 900.00); with C, 60 000 reaches tier 3:
// 3% on all, A 600 + B 750 + C 450 = 1 800.00, +900.00 (A and B re-rated by one cliff line).
TEST_F(WhatIfTest, RetroactiveClosingDealReRatesThePeriod) {
  auto r = run("m-smirnova", close("C2"));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->current.paid, usd_minor(90'000));
  EXPECT_EQ(r->changed.paid, usd_minor(180'000));
  EXPECT_EQ(r->difference, usd_minor(90'000));
  // A2 400.00 and B2 500.00 stay; C2 brings the cliff (+1% on the earlier 45 000 = 450.00) and its
  // own 15 000 at 3% = 450.00.
  ASSERT_EQ(r->changed_lines.size(), 2u);
  EXPECT_EQ(r->changed_lines[0].kind, "cliff");
  EXPECT_EQ(r->changed_lines[0].deal, "C2");
  EXPECT_EQ(r->changed_lines[0].amount, usd_minor(45'000));
  expect_lines({r->changed_lines[1]}, {{"C2", 4'500'000, 6'000'000, 3, Rate::bp(300), 45'000}});
}

// A split deal credits the asking manager's share only: 60% of 10 000 = 6 000 at 1% = 60.00 for
// Sokolova, 40% = 4 000 at 1% = 40.00 for Fedorov.
TEST_F(WhatIfTest, SplitDealCreditsTheManagersShareOnly) {
  auto r = run("m-sokolova", close("S"));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->current.paid, usd_minor(0));
  EXPECT_EQ(r->changed.paid, usd_minor(6'000));
  EXPECT_EQ(r->difference, usd_minor(6'000));
  expect_lines(r->changed_lines, {{"S", 0, 600'000, 1, Rate::bp(100), 6'000}});
  EXPECT_EQ(r->changed_lines[0].share_bp, 6000);
  EXPECT_EQ(r->changed_lines[0].measure, usd_minor(600'000));
  EXPECT_EQ(r->current.manager, "m-sokolova");
  EXPECT_EQ(r->current.manager_name, "Соколова Елена");
  EXPECT_EQ(r->current.period, "2024-Q1");

  auto f = run("m-fedorov", close("S"));
  ASSERT_TRUE(f.ok()) << f.status().to_string();
  EXPECT_EQ(f->difference, usd_minor(4'000));
  ASSERT_EQ(f->changed_lines.size(), 1u);
  EXPECT_EQ(f->changed_lines[0].share_bp, 4000);
}

// A deal credited to someone else changes nothing for the asking manager.
TEST_F(WhatIfTest, AnotherManagersDealChangesNothing) {
  auto r = run("m-ivanova", close("S"));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->difference, usd_minor(0));
  EXPECT_TRUE(r->changed_lines.empty());
  EXPECT_EQ(r->current.paid, r->changed.paid);
}

// Kuznetsov earned 4 000.00 (10% of 40 000) under the 5 000.00 period cap: 20 000 more credits
// 2 000.00 and a cap_period line of −1 000.00; paid 5 000.00, +1 000.00.
TEST_F(WhatIfTest, ExtraAmountCrossingThePeriodCap) {
  auto r = run("m-kuznetsov", more(usd_minor(2'000'000)));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->what_if, "+20 000.00 USD");
  EXPECT_EQ(r->current.paid, usd_minor(400'000));
  EXPECT_EQ(r->changed.paid, usd_minor(500'000));
  EXPECT_EQ(r->difference, usd_minor(100'000));
  ASSERT_EQ(r->changed_lines.size(), 2u);
  EXPECT_EQ(r->changed_lines[0].kind, "credit");
  EXPECT_EQ(r->changed_lines[0].deal, "what-if");
  EXPECT_EQ(r->changed_lines[0].share_bp, 10000);
  EXPECT_EQ(r->changed_lines[0].amount, usd_minor(200'000));
  EXPECT_EQ(r->changed_lines[1].kind, "cap_period");
  EXPECT_EQ(r->changed_lines[1].amount, usd_minor(-100'000));
}

// The extra amount on marginal tiers: 45 000 + 10 000 crosses 50 000: 5 000 at 2% + 5 000 at 3%.
// A display name is accepted for the manager and reported as its id.
TEST_F(WhatIfTest, ExtraAmountOnMarginalTiersByDisplayName) {
  auto r = run("Иванова Анна", more(usd_minor(1'000'000)));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->manager, "m-ivanova");
  EXPECT_EQ(r->difference, usd_minor(25'000));
  expect_lines(r->changed_lines, {{"what-if", 4'500'000, 5'000'000, 2, Rate::bp(200), 10'000},
                                  {"what-if", 5'000'000, 5'500'000, 3, Rate::bp(300), 15'000}});
}

// The synthetic deal's id is unique against the history.
TEST_F(WhatIfTest, SyntheticDealIdAvoidsExistingIds) {
  EventLog log = what_if_history();
  won(log, what_if_deal(log, "what-if", "m-kuznetsov", 100'000, "2024-02-01T09:00:00Z"),
      "2024-02-02T10:00:00Z");
  log.seal();
  const std::vector<const Pipeline*> pipes = {&four()};
  auto r = what_if(log, pipes, plan_, *planning::parse_period("2024-Q1"), "m-kuznetsov",
                   more(usd_minor(100'000)), kAsOf);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  // 41 000 × 10% = 4 100.00; + 1 000 × 10% = 100.00.
  EXPECT_EQ(r->current.paid, usd_minor(410'000));
  EXPECT_EQ(r->difference, usd_minor(10'000));
  ASSERT_EQ(r->changed_lines.size(), 1u);
  EXPECT_EQ(r->changed_lines[0].deal, "what-if-2");
}

// The given log is not modified: same deals and events, and its statement is unchanged.
TEST_F(WhatIfTest, TheLogGivenIsNotModified) {
  const std::size_t deals = log_.deal_count(), events = log_.event_count();
  auto before = run("m-ivanova", close("C"));
  ASSERT_TRUE(before.ok()) << before.status().to_string();
  auto extra = run("m-ivanova", more(usd_minor(100)));
  ASSERT_TRUE(extra.ok()) << extra.status().to_string();
  EXPECT_EQ(log_.deal_count(), deals);
  EXPECT_EQ(log_.event_count(), events);
  EXPECT_FALSE(log_.find_deal("what-if").has_value());
  auto again = run("m-ivanova", close("C"));
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(again->current.paid, before->current.paid);
  EXPECT_EQ(again->changed.paid, before->changed.paid);
  EXPECT_EQ(again->changed_lines.size(), before->changed_lines.size());
}

// Needs the engine's StatementOptions::as_of (issue 11 engine helper): deal E is won on 25 March,
// after as_of 15 March, so neither statement may see it; C closed at as_of gives the design's +400.00.
TEST_F(WhatIfTest, EarlierAsOfIgnoresLaterEvents) {
  EventLog log = what_if_history();
  won(log, what_if_deal(log, "E", "m-ivanova", 5'000'000, "2024-03-01T09:00:00Z"), "2024-03-25T10:00:00Z");
  log.seal();
  const std::vector<const Pipeline*> pipes = {&four()};
  const std::vector<planning::Period> q1 = {*planning::parse_period("2024-Q1")};
  const Instant as_of = at("2024-03-15T12:00:00Z");
  auto probe = compute_statements(log, pipes, plan_, q1, {.as_of = as_of, .managers = {"m-ivanova"}});
  ASSERT_TRUE(probe.ok()) << probe.status().to_string();
  for (const ParticipantStatement& s : probe->statements)
    for (const StatementLine& l : s.lines)
      if (l.deal == "E") GTEST_SKIP() << "compute_statements does not honour StatementOptions::as_of yet";
  auto r = what_if(log, pipes, plan_, q1[0], "m-ivanova", close("C"), as_of);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_TRUE(r->current.provisional);
  EXPECT_EQ(r->current.paid, usd_minor(80'000));
  EXPECT_EQ(r->changed.paid, usd_minor(120'000));
  EXPECT_EQ(r->difference, usd_minor(40'000));
}

// The synthetic deal is new business in the pipeline of the manager's latest deal: Egorov's latest
// deal is in svc, so 1 000 pays svc 1% (10.00) + new 2% (20.00), not repeat. Without a deal of his,
// the first pipeline given: in four, new 2% only.
TEST_F(WhatIfTest, SyntheticDealIsNewBusinessInTheLatestDealsPipeline) {
  EventLog log = what_if_history();
  DealId d = *log.add_deal("G1", log.intern_pipeline("four"), at("2024-01-10T09:00:00Z"), usd_minor(100));
  log.set_dimension(d, StandardDimension::manager, "m-egorov");
  ASSERT_TRUE(log.append_event(d, at("2024-01-10T09:00:00Z"), st("A")).ok());
  d = *log.add_deal("G2", log.intern_pipeline("svc"), at("2024-02-10T09:00:00Z"), usd_minor(100));
  log.set_dimension(d, StandardDimension::manager, "m-egorov");
  ASSERT_TRUE(log.append_event(d, at("2024-02-10T09:00:00Z"), *svc().find_stage("NEW")).ok());
  log.seal();
  const std::vector<const Pipeline*> pipes = {&four(), &svc()};
  const planning::Period q1 = *planning::parse_period("2024-Q1");
  auto r = what_if(log, pipes, plan_, q1, "m-egorov", more(usd_minor(100'000)), kAsOf);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->difference, usd_minor(3'000));
  ASSERT_EQ(r->changed_lines.size(), 2u);
  EXPECT_EQ(r->changed_lines[0].component, "svc");
  EXPECT_EQ(r->changed_lines[1].component, "new");

  auto none = what_if(log_, pipes, plan_, q1, "m-egorov", more(usd_minor(100'000)), kAsOf);
  ASSERT_TRUE(none.ok()) << none.status().to_string();
  EXPECT_EQ(none->difference, usd_minor(2'000));
  ASSERT_EQ(none->changed_lines.size(), 1u);
  EXPECT_EQ(none->changed_lines[0].component, "new");
}

// Random marginal histories: the difference is changed − current, never negative and non-decreasing
// in the extra amount; the current statement is compute_statements' own; recomputation is identical.
TEST(WhatIfProperty, MarginalExtraIsMonotoneAndConsistent) {
  const CompensationPlan p = what_if_plan();
  const std::vector<const Pipeline*> pipes = {&four()};
  const planning::Period q1 = *planning::parse_period("2024-Q1");
  for (std::uint32_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    EventLog log(at("2023-01-01"));
    const int n = uniform(0, 8);
    for (int i = 0; i < n; ++i) {
      const Instant created = at("2024-01-02T00:00:00Z") + Duration(uniform(0, 70 * 86400));
      DealId d = *log.add_deal("D" + std::to_string(i), log.intern_pipeline("four"), created,
                               usd_minor(std::int64_t{uniform(1, 3'000'000)}));
      log.set_dimension(d, StandardDimension::manager, "m-ivanova");
      ASSERT_TRUE(log.append_event(d, created, st("A")).ok());
      if (uniform(0, 3) > 0) {
        ASSERT_TRUE(log.append_event(d, created + Duration(3600), st("WON")).ok());
      }
    }
    log.seal();
    std::int64_t x1 = uniform(1, 5'000'000), x2 = uniform(1, 5'000'000);
    if (x1 > x2) std::swap(x1, x2);
    auto a = what_if(log, pipes, p, q1, "m-ivanova", more(usd_minor(x1)), kAsOf);
    auto b = what_if(log, pipes, p, q1, "m-ivanova", more(usd_minor(x2)), kAsOf);
    auto again = what_if(log, pipes, p, q1, "m-ivanova", more(usd_minor(x1)), kAsOf);
    ASSERT_TRUE(a.ok() && b.ok() && again.ok()) << a.status().to_string() << b.status().to_string();
    EXPECT_GE(a->difference, usd_minor(0));
    EXPECT_LE(a->difference, b->difference);
    EXPECT_EQ(a->difference, a->changed.paid - a->current.paid);
    Money sum = usd_minor(0);
    for (const StatementLine& l : a->changed.lines) sum += l.amount;
    EXPECT_EQ(sum, a->changed.paid);
    auto st = compute_statements(log, pipes, p, std::vector<planning::Period>{q1});
    ASSERT_TRUE(st.ok()) << st.status().to_string();
    Money direct = usd_minor(0);
    for (const ParticipantStatement& s : st->statements)
      if (s.manager == "m-ivanova") direct = s.paid;
    EXPECT_EQ(a->current.paid, direct);
    ASSERT_EQ(again->changed_lines.size(), a->changed_lines.size());
    for (std::size_t i = 0; i < a->changed_lines.size(); ++i) {
      EXPECT_EQ(again->changed_lines[i].amount, a->changed_lines[i].amount);
      EXPECT_EQ(again->changed_lines[i].reason, a->changed_lines[i].reason);
    }
  }
}

// ---- every documented error ------------------------------------------------

TEST_F(WhatIfTest, ManagerNotAParticipant) {
  expect_error(run("m-volkova", close("C")), "'m-volkova' is not a participant");
}

TEST_F(WhatIfTest, BothOrNeitherDealAndExtra) {
  expect_error(run("m-ivanova", WhatIf{"", std::nullopt}), "got neither");
  expect_error(run("m-ivanova", WhatIf{"C", usd_minor(100)}), "not both");
}

TEST_F(WhatIfTest, UnknownDeal) {
  expect_error(run("m-ivanova", close("Z-404")), "deal 'Z-404' is not in the history");
}

TEST_F(WhatIfTest, DealAlreadyWonOrClosed) {
  expect_error(run("m-ivanova", close("A")), "deal A is already won as of 2024-03-20T12:00:00Z");
  expect_error(run("m-sokolova", close("L")), "deal L is already lost");
}

TEST_F(WhatIfTest, DealWithoutStageAsOf) {
  // C is created (with its first stage) on 1 March: on 29 February it does not exist yet.
  expect_error(run("m-ivanova", close("C"), at("2024-02-29T12:00:00Z")), "deal C has no stage as of");
}

TEST_F(WhatIfTest, ExtraNotPositiveOrInAnotherCurrency) {
  expect_error(run("m-ivanova", more(usd_minor(0))), "expected a positive amount");
  expect_error(run("m-ivanova", more(usd_minor(-100))), "expected a positive amount");
  expect_error(run("m-ivanova", more(Money(100, Currency::of("RUB")))),
               "expected an amount in the plan's currency USD");
}

TEST_F(WhatIfTest, PeriodNotOfThePlansKindOrNotContainingAsOf) {
  expect_error(run("m-ivanova", close("C"), kAsOf, "2024-03"), "period 2024-03: expected a quarter");
  expect_error(run("m-ivanova", close("C"), kAsOf, "2024-Q2"), "is not in period 2024-Q2");
  // The period's end itself is not in it.
  expect_error(run("m-ivanova", close("C"), at("2024-04-01T00:00:00Z")), "is not in period 2024-Q1");
}

TEST_F(WhatIfTest, DealInAPipelineNotGiven) {
  EventLog log = what_if_history();
  DealId d = *log.add_deal("G2", log.intern_pipeline("svc"), at("2024-02-10T09:00:00Z"), usd_minor(100));
  log.set_dimension(d, StandardDimension::manager, "m-ivanova");
  ASSERT_TRUE(log.append_event(d, at("2024-02-10T09:00:00Z"), *svc().find_stage("NEW")).ok());
  log.seal();
  const planning::Period q1 = *planning::parse_period("2024-Q1");
  const std::vector<const Pipeline*> only_four = {&four()};
  expect_error(what_if(log, only_four, plan_, q1, "m-ivanova", close("G2"), kAsOf),
               "deal G2 is in pipeline 'svc', which is not among the pipelines given");
}

TEST_F(WhatIfTest, UnsealedLog) {
  EventLog log = what_if_history();
  ASSERT_TRUE(log.append_event(*log.find_deal("C"), at("2024-03-18T10:00:00Z"), st("B")).ok());
  const std::vector<const Pipeline*> pipes = {&four()};
  expect_error(what_if(log, pipes, plan_, *planning::parse_period("2024-Q1"), "m-ivanova", close("C"), kAsOf),
               "the event log is not sealed");
}

// compute_statements' errors come through: closing M brings a margin that is not money.
TEST_F(WhatIfTest, StatementErrorsComeThrough) {
  expect_error(run("m-lebedeva", close("M")), "field 'margin' is 'много': expected money");
}

}  // namespace
}  // namespace dealflow::compensation
