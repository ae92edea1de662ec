// dealflow/planning/markov.h: the pipeline as an absorbing Markov chain.
//
// Open stages are transient states, won and lost stages absorbing. From the
// direct transition counts n_ij of a training window (analytics/transitions.h)
// the one-step probabilities are P_ij = (n_ij + a·[i->j allowed]) / Σ_j (...),
// with `a` = MarkovOptions::smoothing (additive pseudo-count on every move the
// pipeline allows out of an open stage; 0 = none). In canonical form
//   Q = P restricted to transient x transient,  R = transient x absorbing,
//   N = (I − Q)^-1   (fundamental matrix: N_ij = expected visits to j from i),
//   B = N·R          (absorption probabilities: B_ik = P(end in k | start i)),
//   expected_steps = N·1,  expected_seconds_to_absorption = N·τ,
// with τ_j the mean sojourn (time per visit) of stage j. N is solved with a
// rank-revealing full-pivot LU (Eigen::FullPivLU).
//
// Rows without data (docs/forecasting.md "Markov"): an open stage no deal
// left (and, with smoothing 0, nothing to smooth) has an undefined row. It
// and every open stage that cannot reach a won or lost stage through
// observed moves (a closed class: I − Q would be singular) are treated as
// "no data": their row is replaced by an imputed one-step absorption with
// the stage's default probability (Stage::probability) into the first won
// stage and the rest into the first lost stage (a pipeline without a lost
// stage imputes p_won = 1; stated in notes). Upstream
// stages flowing into such a stage inherit that default. Every such
// decision is listed in `notes`, naming the stages.
//
// Sojourn τ: from a TransitionMatrix only the naive mean of completed visits
// is available (running visits are excluded: biased low; stated in notes);
// the log fit is censoring-aware: per stage, the Kaplan–Meier restricted mean
// of the time per visit, running visits censored at as_of, integrated up to
// the longest observed visit. A stage with no visit at all has τ = 0 (noted).
//
// Reopen moves out of a won or lost stage are ignored (absorbing states;
// counted in notes). Moves into or out of stages of other pipelines are not
// in the counts.
//
// Ownership: a self-contained value (Eigen matrices). Thread-safety: reentrant;
// a fitted chain is immutable and its const methods may be called from any thread.
//
// Example:
//   auto chain = dealflow::planning::fit_markov(log, pipeline, from, as_of, {.smoothing = 0.5});
//   if (!chain) return chain.status();
//   double p = chain->p_won(*pipeline.find_stage("PREPARATION"));
//   for (const std::string& note : chain->notes) std::cout << "note: " << note << "\n";
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "dealflow/analytics/event_log.h"
#include "dealflow/analytics/transitions.h"
#include "dealflow/core/ids.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::planning {

struct MarkovOptions {
  double smoothing = 0.0;  // additive pseudo-count per allowed transition (named in output); >= 0, finite
};

struct MarkovChain {
  std::vector<StageId> transient;        // open stages (rows of Q, N, B), pipeline order
  std::vector<StageId> absorbing;        // won and lost stages (columns of R, B), pipeline order
  Eigen::MatrixXd Q, R, N, B;            // N = (I - Q)^-1, B = N R
  Eigen::VectorXd expected_steps;        // N 1
  Eigen::VectorXd mean_sojourn_seconds;  // censoring-aware mean time per visit of each transient stage
  Eigen::VectorXd expected_seconds_to_absorption;  // N tau
  std::vector<std::string> notes;                  // how singular / empty rows were handled, smoothing, ...

  // Added members.
  double smoothing = 0.0;                // the pseudo-count used
  std::vector<StageId> no_data;          // transient stages whose row was imputed (empty or closed class)
  std::vector<StageId> closed_class;     // the subset of no_data that could not reach absorption
  std::vector<bool> absorbing_won;       // per column of R and B: a won stage
  std::vector<std::size_t> row_exits;    // observed exits (counts) of each transient stage
  bool censoring_aware_sojourn = false;  // true for the log fit (Kaplan–Meier), false from counts
  Instant as_of;                         // the counts' as_of

  // Sum of B over won columns; 1 for a won stage, 0 for a lost stage or a
  // stage not in the chain.
  double p_won(StageId s) const noexcept;
  // The row of a transient stage in Q, N, B; nullopt for other stages.
  std::optional<std::size_t> transient_index(StageId s) const noexcept;
  // Expected steps / seconds to absorption from a stage (0 for terminal stages).
  double steps_from(StageId s) const noexcept;
  double seconds_from(StageId s) const noexcept;
};

// Errors: invalid_argument when the matrix does not have the pipeline's stage
// count, or the smoothing is negative or not finite; refused for a pipeline
// without a won stage, and when I − Q is numerically singular after the
// no-data rows were imputed (should not happen: every row then reaches absorption).
Result<MarkovChain> fit_markov(const analytics::TransitionMatrix& counts, const Pipeline& pipeline,
                               const MarkovOptions& options = {});
// Counts the transitions of deals created in [train_from, as_of), only events at or before as_of.
// Errors: those of count_transitions (unsealed log, pipeline not in the log,
// train_from >= as_of) and of the fit above.
Result<MarkovChain> fit_markov(const analytics::EventLog& log, const Pipeline& pipeline, Instant train_from,
                               Instant as_of, const MarkovOptions& options = {});

}  // namespace dealflow::planning
