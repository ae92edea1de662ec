// Shared helpers of the engine tests (tests/compensation/engine_*_test.cpp):
// a four-stage pipeline, a tiny EventLog builder and plan parsing.
#pragma once

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "dealflow/compensation/statement.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "four_stage.h"

namespace dealflow::compensation::engine_test {

using analytics::EventLog;
using analytics::StandardDimension;

inline const std::string kFixtures = std::string(DEALFLOW_SOURCE_DIR) + "/tests/compensation/fixtures";
inline const Currency kRub = Currency::of("RUB");

using four_stage::at;
using four_stage::four;

inline StageId stage(const char* id) {
  return *four().find_stage(id);
}
inline Money rub(std::int64_t minor) {
  return Money(minor, kRub);
}

// The plan's JSON between the common header (RUB, +03:00, half-up, the sample
// team file) and the closing brace; relative files resolve in the fixtures.
inline CompensationPlan make_plan(const std::string& body) {
  auto p = parse_compensation_plan_text(R"({"format": "dealflow.compensation/1", "name": "Движок",
    "currency": "RUB", "utc_offset": "+03:00", "rounding": "half-up",
    "team_file": "../../../data/plans/sample-team.json", )" +
                                            body + "}",
                                        "engine.json", kFixtures);
  if (!p) throw std::runtime_error(p.status().to_string());
  return std::move(*p);
}

// A deal created in stage A; returns its id.
inline DealId add_deal(EventLog& log, const char* key, const char* owner, std::int64_t amount,
                       const char* created) {
  DealId d = *log.add_deal(key, log.intern_pipeline("four"), at(created), Money(amount, kRub));
  log.set_dimension(d, StandardDimension::manager, owner);
  EXPECT_TRUE(log.append_event(d, at(created), stage("A")).ok());
  return d;
}

inline void move(EventLog& log, DealId d, const char* when, const char* to) {
  EXPECT_TRUE(log.append_event(d, at(when), stage(to)).ok());
}

inline Result<Statements> statements(const EventLog& log, const CompensationPlan& plan,
                                     const std::vector<std::string>& periods, StatementOptions options = {}) {
  std::vector<planning::Period> ps;
  for (const std::string& p : periods) ps.push_back(*planning::parse_period(p));
  const std::vector<const Pipeline*> pipes = {&four()};
  return compute_statements(log, pipes, plan, ps, options);
}

inline const ParticipantStatement* find(const Statements& s, const std::string& manager,
                                        const std::string& period) {
  for (const ParticipantStatement& p : s.statements)
    if (p.manager == manager && p.period == period) return &p;
  return nullptr;
}

inline const SummaryRow* row(const TeamSummary& s, const std::string& team, const std::string& participant) {
  for (const SummaryRow& r : s.rows)
    if (r.team == team && r.participant == participant) return &r;
  return nullptr;
}

}  // namespace dealflow::compensation::engine_test
