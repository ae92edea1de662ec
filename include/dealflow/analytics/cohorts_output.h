// dealflow/analytics/cohorts_output.h: a CohortReport as JSON, CSV or an
// aligned text table (what `dealflow cohorts --format` prints; the JSON layout
// is documented in docs/cohorts.md).
//
// Every output carries its definition: JSON a `definition` object, tables end
// with "definition:" lines, CSV rows the pipeline and as_of. Shares and rates
// are fractions in [0, 1], null (JSON) or empty (CSV) or "-" (table) for a
// month without deals / without closed deals; intervals are 95% Wilson.
//
// Thread-safety: pure functions.
//
// Example:
//   auto report = dealflow::analytics::compute_cohorts(log, pipeline, {});
//   std::cout << dealflow::analytics::cohorts_to_table(*report);
#pragma once

#include <string>

#include "dealflow/analytics/cohorts.h"
#include "dealflow/io/json.h"

namespace dealflow::analytics {

Json cohorts_to_json(const CohortReport& report);
// One row per month, then a "total" row; header row first. Columns: month,
// deals, no_stage, one per open stage (its id), won, lost, open, win_rate,
// win_rate_low, win_rate_high, won_of_created, pipeline, as_of. Counts only
// (shares are count / deals).
std::string cohorts_to_csv(const CohortReport& report);
// Month rows "count (share)" per category, outcomes, win rate and interval,
// the total row, then the definition lines.
std::string cohorts_to_table(const CohortReport& report);

}  // namespace dealflow::analytics
