// dealflow/analytics/cohorts.h: deals grouped by the month they were created
// in, how far each month's deals got and how many were won (`dealflow
// cohorts`, docs/cohorts.md).
//
// For the deals of one pipeline created in [from, to) and as of the report
// instant `as_of`, one row per created month ("YYYY-MM" of created_at at the
// query's UTC offset), every month of the range included (a month without
// deals is a row of zeros):
//   * deals: created in the month (and in [from, to));
//   * furthest stage reached, the funnel's high-water rule (funnel.h): every
//     deal falls in exactly one of
//       no_stage   it entered no open stage (no history as of as_of, or
//                  closed without one);
//       stage k    it is not won and the furthest open stage it entered is k
//                  (lost deals count where they got to, open deals where they
//                  got so far, even after moving back);
//       won        it is won as of as_of;
//     so no_stage + Σ stage + won = deals. share = count / deals (absent for
//     an empty month).
//   * won, lost, open (open includes deals without history) as of as_of;
//   * win_rate = won / (won + lost) with the 95 % Wilson interval (absent when
//     no deal of the month closed). Open deals are left out of the
//     denominator: a young cohort's open deals have not had the time to be
//     lost, so won / deals would rank every recent month low. won_of_created =
//     won / deals is given beside it.
// The counts come from the funnel (compute_funnel grouped by created_month,
// high-water rule, created basis): reached(k) − reached(k+1) for stage k,
// reached(last) − won for the last open stage, deals − reached(first) for
// no_stage. A reopened deal counts by its outcome as of as_of; a deal moved
// to another pipeline counts in the pipeline it is in then.
//
// Ownership: the report is a self-contained value; the log and pipeline are
// borrowed for the call only. Thread-safety: reentrant.
//
// Example:
//   dealflow::analytics::CohortQuery q;
//   q.from = *dealflow::parse_instant("2024-01-01");
//   q.to = *dealflow::parse_instant("2025-01-01");
//   auto report = dealflow::analytics::compute_cohorts(log, pipeline, q);
//   for (const auto& row : report->rows)
//     std::cout << row.month << " " << row.deals << " won " << row.won << "\n";
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics {

struct CohortQuery {
  std::optional<Instant> from;   // created at or after; unbounded when absent
  std::optional<Instant> to;     // created before; unbounded when absent
  std::optional<Instant> as_of;  // absent: the latest event or creation in the log
  int utc_offset_minutes = 0;    // months of created_at at this offset
  unsigned threads = 0;          // as FunnelQuery::threads
};

// A bounded range spans at most this many months (invalid_argument beyond).
inline constexpr std::int64_t kMaxCohortMonths = 1200;

struct CohortRow {
  std::string month;  // "YYYY-MM"; "total" for CohortReport::total
  std::uint64_t deals = 0;
  std::uint64_t no_stage = 0;
  std::vector<std::uint64_t> furthest;  // per open stage in funnel order (not won)
  std::uint64_t won = 0;
  std::uint64_t lost = 0;
  std::uint64_t open = 0;
  Rate win_rate;        // won / (won + lost), Wilson
  Rate won_of_created;  // won / deals, Wilson
  // count / deals; nullopt for a month without deals.
  std::optional<double> share(std::uint64_t count) const noexcept;
};

struct CohortStage {
  StageId stage;
  std::string id;
  std::string name;
};

struct CohortDefinition {
  std::optional<Instant> from;
  std::optional<Instant> to;
  Instant as_of;
  int utc_offset_minutes = 0;
  std::string pipeline_id;
  // The texts of docs/cohorts.md, for JSON and table footers.
  static std::string furthest_text();
  static std::string win_rate_text();
  std::string summary() const;  // one line: pipeline, period, as of, offset
};

struct CohortReport {
  CohortDefinition definition;
  std::vector<CohortStage> stages;  // open stages in funnel order
  std::vector<CohortRow> rows;      // every month of the range, ascending
  CohortRow total;                  // all deals of the range
};

// Errors: as compute_funnel (log not sealed, pipeline not in the log, from >=
// to); invalid_argument when from and to span more than kMaxCohortMonths
// months. Without from (to) the range starts (ends) at the first (last)
// month with a deal; no rows when there are no deals and no bounds.
Result<CohortReport> compute_cohorts(const EventLog& log, const Pipeline& pipeline, const CohortQuery& query);

// "YYYY-MM" of an instant at a UTC offset, and its month index (year × 12 +
// month − 1).
std::int32_t cohort_month_index(Instant t, int utc_offset_minutes) noexcept;
std::string cohort_month_key(std::int32_t index);

}  // namespace dealflow::analytics
