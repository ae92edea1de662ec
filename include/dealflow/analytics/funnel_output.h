// dealflow/analytics/funnel_output.h: a FunnelReport as JSON, CSV or an
// aligned text table (what `dealflow funnel --format` prints).
//
// Every output carries the definition of what was counted: JSON has a
// `definition` object (rule, basis, period, report instant, denominators),
// tables end with a "definition: ..." line, CSV rows carry rule, basis, from,
// to and as_of columns. Rates are fractions in [0, 1] (null/empty when the
// denominator is 0), intervals 95% Wilson; JSON gives every rate's numerator
// and denominator beside it. Amounts are exact decimal strings per currency.
// The JSON layout is documented in docs/funnel.md.
//
// Thread-safety: pure functions.
//
// Example:
//   auto report = dealflow::analytics::compute_funnel(log, pipeline, query);
//   std::cout << dealflow::analytics::funnel_to_json(*report, pipeline).dump(2) << "\n";
//   std::cout << dealflow::analytics::funnel_to_table(*report, pipeline);
#pragma once

#include <string>

#include "dealflow/analytics/funnel.h"
#include "dealflow/io/json.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics {

Json funnel_to_json(const FunnelReport& report, const Pipeline& pipeline);
// Stage rows (one per group and open stage, totals first) with the group's
// totals repeated on each row; header row first.
std::string funnel_to_csv(const FunnelReport& report);
// The funnel table, totals and losses, a per-group summary table when grouped,
// then the definition line.
std::string funnel_to_table(const FunnelReport& report, const Pipeline& pipeline);

}  // namespace dealflow::analytics
