// dealflow/analytics/stale.h: deals that have not moved for too long.
//
// A deal open at `as_of` is stale when the time since it entered its current
// stage (the start of its current visit: "no move since") exceeds
//   * the stage's SLA (pipeline Stage::sla, measured in the SLA's own basis:
//     calendar time, or the business time of the query's calendar), or
//   * the stage's Kaplan–Meier 90th percentile of time in stage (latest
//     visit, running visits censored; durations.h) over the same cohort, in
//     the query's basis. Strictly longer: idle > threshold.
// A stage with neither an SLA nor a reached 90th percentile flags nothing.
// Deals without any event are not listed (they are in no stage).
//
// Output order: open stages in funnel order, then idle time descending, then
// deal id (bytes).
//
// Thread-safety: reentrant.
//
// Example:
//   dealflow::analytics::StaleQuery q;
//   q.as_of = *dealflow::parse_instant("2025-01-01");
//   auto stale = dealflow::analytics::find_stale_deals(log, pipeline, q);
//   for (const auto& s : stale->deals) std::cout << s.deal_key << " " << s.stage_id << "\n";
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/event_log.h"
#include "dealflow/core/calendar.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics {

struct StaleQuery {
  std::optional<Instant> from;            // cohort: created at or after
  std::optional<Instant> to;              // cohort: created before
  std::optional<Instant> as_of;           // absent: the latest event or creation in the log
  TimeBasis basis = TimeBasis::calendar;  // of `idle` and the 90th percentile
  // Required for the business basis; also measures business-time SLAs. When
  // absent a business SLA uses BusinessCalendar() (Mon–Fri 09:00–18:00 UTC)
  // and the report says so.
  const BusinessCalendar* calendar = nullptr;
  bool use_sla = true;
  bool use_p90 = true;
};

struct StaleThreshold {
  StageId stage;
  std::string stage_id;
  std::optional<Sla> sla;
  std::optional<std::int64_t> p90;  // seconds of the query's basis; nullopt when not reached
  std::uint64_t open_deals = 0;     // deals in the stage at as_of
  std::uint64_t stale_deals = 0;
};

struct StaleDeal {
  DealId deal;
  std::string deal_key;
  std::string manager;  // "" when none
  StageId stage;
  std::string stage_id;
  Instant since;                         // entry into the current stage
  std::int64_t idle = 0;                 // since -> as_of, query basis (seconds)
  std::optional<std::int64_t> sla_idle;  // since -> as_of in the SLA's basis, when the stage has one
  bool over_sla = false;
  bool over_p90 = false;
};

struct StaleReport {
  Instant as_of;
  TimeBasis basis = TimeBasis::calendar;
  bool default_sla_calendar = false;   // a business SLA was measured with BusinessCalendar()
  std::vector<StaleThreshold> stages;  // open stages in funnel order
  std::vector<StaleDeal> deals;
  static std::string definition();
};

// Errors: as compute_durations.
Result<StaleReport> find_stale_deals(const EventLog& log, const Pipeline& pipeline, const StaleQuery& query);

// The same with the 90th percentiles taken from `durations`, a report already
// computed with the same cohort, report instant and basis (saves computing it
// again). invalid_argument when it is of another pipeline, instant or basis.
Result<StaleReport> find_stale_deals(const EventLog& log, const Pipeline& pipeline, const StaleQuery& query,
                                     const DurationReport& durations);

}  // namespace dealflow::analytics
