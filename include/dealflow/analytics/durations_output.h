// dealflow/analytics/durations_output.h: what `dealflow durations` prints:
// the duration report with sales velocity, stale deals and the transition
// matrix, as JSON, CSV or aligned text tables.
//
// Every output states its definitions: JSON has a `definition` object
// (pipeline, cohort, report instant, basis, unit and the texts of each
// metric), tables end with "definition:" lines, CSV rows carry the basis and
// the unit. Durations are integer seconds in JSON and CSV; tables show days
// (calendar basis) or working hours (business basis) with one decimal. A
// quantile the Kaplan–Meier curve never reaches is null in JSON, empty in CSV
// and "not reached" in tables. Amounts are exact decimal strings, per
// currency (`velocity.by_currency`; tables list one per currency), with the
// conversion stated when the velocity query converted them (currencies.md).
//
// Thread-safety: pure functions.
//
// Example:
//   dealflow::analytics::SpeedReport r{*durations, *velocity, *stale, *transitions};
//   std::cout << dealflow::analytics::speed_to_table(r, pipeline);
#pragma once

#include <cstddef>
#include <string>

#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/stale.h"
#include "dealflow/analytics/transitions.h"
#include "dealflow/analytics/velocity.h"
#include "dealflow/io/json.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics {

struct SpeedReport {
  DurationReport durations;
  SalesVelocity velocity;
  StaleReport stale;
  TransitionMatrix transitions;
};

Json speed_to_json(const SpeedReport& report);
// One row per distribution: group, section (stage/cycle), stage, variant,
// subjects, events, censored, competing, p25, median, p75, p90,
// naive_mean_closed, basis, unit. Totals first (group ""), then the groups.
std::string durations_to_csv(const DurationReport& report);
// Time in stage, cycle, velocity, stale deals (at most `stale_rows` listed),
// transitions, per-group summary when grouped, then the definitions.
std::string speed_to_table(const SpeedReport& report, const Pipeline& pipeline, std::size_t stale_rows = 20);

}  // namespace dealflow::analytics
