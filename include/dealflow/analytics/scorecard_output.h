// dealflow/analytics/scorecard_output.h: what `dealflow scorecard` prints: the
// manager scorecard as JSON, CSV or aligned text tables (Cyrillic aligned).
//
// Every output states its definitions (JSON `definition`, table footer lines,
// CSV period bounds on every row). Amounts are exact decimal strings; win
// rates fractions in [0, 1] (JSON, CSV) or percents (tables); cycles integer
// calendar seconds (JSON, CSV) or days with one decimal (tables).
//
// Thread-safety: pure functions.
//
// Example:
//   auto card = dealflow::analytics::compute_scorecard(log, pipeline, query);
//   std::cout << dealflow::analytics::scorecard_to_table(*card, pipeline);
#pragma once

#include <string>

#include "dealflow/analytics/scorecard.h"
#include "dealflow/io/json.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics {

Json scorecard_to_json(const ScorecardReport& report);
// Header row, then per row (managers by rank, the no-manager row, the team)
// and period (current, previous): the figures overall, by business and by
// channel.
std::string scorecard_to_csv(const ScorecardReport& report);
// The period table with the previous won amount and its change beside, the
// previous period table, splits by business and by channel, definitions.
std::string scorecard_to_table(const ScorecardReport& report, const Pipeline& pipeline);

}  // namespace dealflow::analytics
