// dealflow/analytics/transitions.h: the direct-transition count matrix between
// stages, for Markov forecasting of the pipeline.
//
// For the deals of one pipeline created in [from, to) and as of `as_of` (only
// events at or before it count), n_ij counts the moves from stage i directly
// to stage j: consecutive events of one deal whose stages differ (a repeated
// event in the same stage is no move). Rows and columns are the pipeline's
// stages by StageId (pipeline order: open, won and lost stages as configured).
// `probabilities` is the row-normalised matrix P_ij = n_ij / sum_j n_ij, with
// all-zero rows for stages no deal left (absorbing won/lost stages, unless
// reopened). `entries` counts the stage of each deal's first event and
// `current` the stage of each deal at as_of. `sojourn_seconds` and
// `completed_visits` give the naive mean time per completed visit of each
// stage (calendar seconds, running visits excluded) for the τ of the
// Markov model; durations.h has the censoring-aware figures.
//
// Ownership: a self-contained value (Eigen matrices).
// Thread-safety: reentrant.
//
// Example:
//   auto m = dealflow::analytics::count_transitions(log, pipeline, {});
//   Eigen::MatrixXd P = m->probabilities;                  // rows sum to 1 or 0
//   std::int64_t new_to_won = m->counts(new_stage.value(), won_stage.value());
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "dealflow/analytics/event_log.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics {

struct TransitionQuery {
  std::optional<Instant> from;   // cohort: created at or after
  std::optional<Instant> to;     // cohort: created before
  std::optional<Instant> as_of;  // absent: the latest event or creation in the log
};

using CountMatrix = Eigen::Matrix<std::int64_t, Eigen::Dynamic, Eigen::Dynamic>;
using CountVector = Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>;

struct TransitionMatrix {
  std::vector<std::string> stage_ids;  // index = StageId value
  CountMatrix counts;                  // counts(i, j) = moves i -> j
  Eigen::MatrixXd probabilities;       // row-normalised counts; zero rows stay zero
  CountVector entries;                 // deals whose first event is in stage i
  CountVector current;                 // deals in stage i at as_of
  CountVector sojourn_seconds;         // sum of completed visits of stage i (calendar seconds)
  CountVector completed_visits;        // completed visits of stage i
  std::uint64_t deals = 0;             // deals in the cohort
  std::uint64_t moves = 0;             // sum of counts
  Instant as_of;
};

// Errors: as compute_durations (unsealed log, pipeline not in the log, from >= to).
Result<TransitionMatrix> count_transitions(const EventLog& log, const Pipeline& pipeline,
                                           const TransitionQuery& query);

}  // namespace dealflow::analytics
