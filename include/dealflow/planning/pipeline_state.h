// dealflow/planning/pipeline_state.h: the pipeline as it stood at an instant:
// every open deal with its stage, amount, expected close date, owner,
// probability and forecast category as the CRM showed them then, and every
// deal closed by then with its closing instant and outcome.
//
// This is the input of coverage, forecasts and backtests. It reads only
// events and field changes at or before `as_of` (no look-ahead): a deal
// created later, an event later, a field change later do not exist yet.
//
// Definitions (docs/forecasting.md "The pipeline at an instant"):
//   * a deal exists at T when it has a stage event at or before T; its
//     pipeline is the one of its stay at T (EventLog::stay_as_of) and only
//     deals in the requested pipeline are kept;
//   * its stage is the stage of its latest event at or before T; the stage
//     was entered at the first event of the latest run of that stage;
//   * open: the stage is an open stage; closed: won or lost, and the closing
//     instant is when it entered that final stage (a reopened deal counts by
//     its outcome at T);
//   * amount, expected close date and probability are their values as of T
//     (EventLog::*_as_of); the probability is the deal's own (hundredths of
//     a percent), nullopt when it has none (then the stage default applies);
//   * owner is the manager dimension as of T for open deals and as of the
//     closing instant for closed deals (the owner who closed it gets the
//     credit, even when the deal is reassigned later);
//   * category is the deal's forecast_category dimension as of T when the log
//     has such a column and the cell is set, else its stage's category
//     (Stage::forecast_category).
//
// Ownership: a self-contained value. Thread-safety: reentrant; concurrent
// calls on one sealed log are safe.
//
// Example:
//   auto state = dealflow::planning::pipeline_state_as_of(log, pipeline,
//   *dealflow::parse_instant("2024-07-01")); for (const auto& d : state->open)
//     if (d.close_date && q3.contains(*d.close_date)) ...;   // open deals expected to close in Q3
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/core/ids.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::planning {

using analytics::kNoValue;

// An open deal at the state's instant.
struct OpenDeal {
  DealId deal;
  StageId stage;
  Instant created_at;
  Instant stage_entered;                     // first event of the latest run of `stage`
  std::optional<Money> amount;               // as of the instant
  std::optional<Date> close_date;            // expected close date as of the instant
  std::optional<std::uint32_t> probability;  // the deal's own, hundredths of a percent
  std::uint32_t owner = kNoValue;            // manager dimension code as of the instant
  ForecastCategory category = ForecastCategory::pipeline;
  friend bool operator==(const OpenDeal&, const OpenDeal&) = default;
};

// A deal closed (won or lost) at or before the state's instant.
struct ClosedDeal {
  DealId deal;
  StageId stage;  // its won or lost stage
  bool won = false;
  Instant closed_at;               // it entered `stage`
  std::optional<Money> amount;     // as of the state's instant (corrections after closing count)
  std::uint32_t owner = kNoValue;  // manager dimension code as of closed_at
  friend bool operator==(const ClosedDeal&, const ClosedDeal&) = default;
};

struct StateOptions {
  // Keep only closed deals whose closing instant is at or after this (all when absent).
  std::optional<Instant> closed_from;
  bool include_closed = true;
};

struct PipelineState {
  Instant as_of;
  PipelineId pipeline;
  std::vector<OpenDeal> open;      // by DealId
  std::vector<ClosedDeal> closed;  // by DealId
};

// The stage default probability in hundredths of a percent (Stage::probability rounded).
std::uint32_t stage_probability(const Pipeline& pipeline, StageId stage) noexcept;
// The deal's probability: its own, else its stage's default.
inline std::uint32_t effective_probability(const Pipeline& pipeline, const OpenDeal& d) noexcept {
  return d.probability ? *d.probability : stage_probability(pipeline, d.stage);
}

// Errors: invalid_argument for an unsealed log; not_found when the log has
// no deal in the pipeline (naming the log's pipelines).
Result<PipelineState> pipeline_state_as_of(const analytics::EventLog& log, const Pipeline& pipeline,
                                           Instant as_of, const StateOptions& options = {});

}  // namespace dealflow::planning
