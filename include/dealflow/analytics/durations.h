// dealflow/analytics/durations.h: how long deals stay in each stage and how
// long the sales cycle is, with open deals right-censored.
//
// For the deals of one pipeline created in [from, to) (all deals when
// unbounded) and as of a report instant `as_of` (only events at or before it
// count, deals created after it do not exist yet):
//   * time in stage, per open stage, in three variants (docs/durations.md):
//       first_visit   the first visit of the stage;
//       latest_visit  the latest visit (as of as_of);
//       cumulative    the sum over all visits.
//     A visit is a run of consecutive events in the same stage, from the first
//     event of the run to the next event with another stage. A visit still
//     running at as_of is censored there (cumulative: censored when the deal
//     is in the stage at as_of).
//   * cycle length from created_at: to close (won or lost, Kaplan–Meier with
//     open deals censored at as_of), to won and to lost (Aalen–Johansen with
//     the other outcome competing; quantiles among the deals that end that way
//     as far as observed). A reopened deal counts by its outcome at as_of and
//     closes when it entered its final won/lost stage.
// Every distribution reports subjects, events, censored and the quantiles
// p25, median, p75, p90 as integer seconds of the basis (calendar time, or
// the working time of a BusinessCalendar); a quantile the curve never reaches
// is nullopt ("not reached"). The naive mean over closed observations only is
// computed only when asked, and is biased low by construction.
//
// Ownership: the report is a self-contained value; the log, pipeline and
// calendar are borrowed for the call only.
// Thread-safety: reentrant; concurrent calls on one sealed log are safe.
//
// Example:
//   dealflow::analytics::DurationQuery q;
//   q.as_of = *dealflow::parse_instant("2025-01-01");
//   q.basis = dealflow::TimeBasis::business;
//   q.calendar = &calendar;                          // dealflow::load_calendar_file(...)
//   auto report = dealflow::analytics::compute_durations(log, pipeline, q);
//   for (const auto& s : report->total.stages)
//     if (s.latest_visit.median) std::cout << s.name << " " << *s.latest_visit.median << " s\n";
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/analytics/survival_curves.h"
#include "dealflow/core/calendar.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics {

struct DurationQuery {
  std::optional<Instant> from;   // cohort: created at or after; unbounded when absent
  std::optional<Instant> to;     // cohort: created before; unbounded when absent
  std::optional<Instant> as_of;  // absent: the latest event or creation in the log
  TimeBasis basis = TimeBasis::calendar;
  // Required when basis is business (invalid_argument otherwise).
  const BusinessCalendar* calendar = nullptr;
  FunnelGrouping group;        // resolve_grouping(log, "manager"), ...
  int utc_offset_minutes = 0;  // for created_month groups
  bool naive_mean = false;     // also compute the (biased) mean over closed observations
  bool curves = false;         // also the cycle's curves of all deals (DurationReport::curves)
};

// One distribution of durations (seconds of the report's basis).
struct DurationStats {
  std::uint64_t subjects = 0;   // observations
  std::uint64_t events = 0;     // observations that ended (visit left, deal closed...)
  std::uint64_t censored = 0;   // still running at as_of
  std::uint64_t competing = 0;  // to_won / to_lost: ended by the other outcome
  std::optional<std::int64_t> p25;
  std::optional<std::int64_t> median;
  std::optional<std::int64_t> p75;
  std::optional<std::int64_t> p90;
  // Mean over the observations that ended, rounded to the second; only with
  // DurationQuery::naive_mean. Biased low: it ignores everything censored.
  std::optional<std::int64_t> naive_mean_closed;
};

struct StageDurationRow {
  StageId stage;
  std::string id;
  std::string name;
  std::uint64_t visits = 0;        // runs of the stage, all deals, all visits
  std::uint64_t in_stage_now = 0;  // deals in the stage at as_of
  DurationStats first_visit;
  DurationStats latest_visit;
  DurationStats cumulative;
};

struct CycleDurations {
  DurationStats to_close;  // created -> won or lost; open deals censored
  DurationStats to_won;    // events = won; lost deals compete, open deals censored
  DurationStats to_lost;   // events = lost; won deals compete
  // Aalen–Johansen cumulative incidence at the last closing time: the share of
  // deals that end won / lost as far as observed (absent when no deal closed).
  std::optional<double> won_incidence;
  std::optional<double> lost_incidence;
};

struct DurationFigures {
  std::uint64_t deals = 0;
  std::uint64_t won = 0;
  std::uint64_t lost = 0;
  std::uint64_t open = 0;                // open at as_of, including deals without history
  std::uint64_t without_history = 0;     // no event at or before as_of: censored in the cycle, no visits
  std::vector<StageDurationRow> stages;  // open stages in funnel order
  CycleDurations cycle;
};

struct DurationGroup {
  std::optional<std::string> key;  // nullopt: deals with an empty cell
  DurationFigures figures;
};

struct DurationDefinition {
  std::optional<Instant> from;
  std::optional<Instant> to;
  Instant as_of;
  TimeBasis basis = TimeBasis::calendar;
  std::string calendar_name;  // business basis: the calendar's name ("" when unnamed)
  std::string pipeline_id;
  std::string group_by;  // "" when not grouped
  // One line for table footers, and the longer texts of docs/durations.md.
  std::string summary() const;
  static std::string visit_text();
  static std::string cycle_text();
  static std::string quantile_text();
};

struct DurationReport {
  DurationDefinition definition;
  DurationFigures total;
  std::vector<DurationGroup> groups;  // key order (bytes), the empty key last; groups with deals only
  // With DurationQuery::curves: Kaplan–Meier time to close and Aalen–Johansen
  // won / lost incidence of all deals in the cohort (not per group).
  std::optional<CycleCurves> curves;
};

// Errors: the log is not sealed; the pipeline has no deals in the log
// (not_found); from >= to; business basis without a calendar
// (invalid_argument).
Result<DurationReport> compute_durations(const EventLog& log, const Pipeline& pipeline,
                                         const DurationQuery& query);

}  // namespace dealflow::analytics
