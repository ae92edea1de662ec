// dealflow/planning/timing.h: when an open deal will close, from how long
// deals of its stage took to be won or lost.
//
// `TimingModel` holds, per open stage of a pipeline, the Aalen–Johansen
// cumulative incidence (analytics/survival.h CompetingRisks) of the time from
// entering the stage to the deal's outcome: won (cause 1) or lost (cause 2),
// censored at the fit instant while the deal is still open. The subjects are
// the first visit of each deal to the stage (a deal that comes back to a
// stage is one subject, not several: the observations stay independent),
// for visits that started in the training window [train_from, as_of]; only
// events at or before as_of are read.
//
// The conditional probabilities for a deal that has been in the stage for
// `age` seconds and must close within `horizon` seconds:
//   P(won  in (age, age + h] | alive at age) = (CIF_won(age + h)  - CIF_won(age))  / S(age)
//   P(lost in (age, age + h] | alive at age) = (CIF_lost(age + h) - CIF_lost(age)) / S(age)
// with S the all-cause survival; times are whole minutes (ages and horizons
// are floored to minutes; the estimate is a step function anyway). Fallbacks (stated in `notes` of the
// report): a stage without any visit in the window, or an age at which S(age) = 0 (no visit lasted that
// long), gives 0 and 0: the deal is expected to stay open.
//
// Ownership: a self-contained value. Thread-safety: immutable after fit;
// const methods may be called from any number of threads.
//
// Example:
//   auto model = dealflow::planning::TimingModel::fit(log, pipeline, as_of - std::chrono::days(365), as_of);
//   auto p = model->probabilities(stage, age_seconds, horizon_seconds);   // p.won, p.lost
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/analytics/survival.h"
#include "dealflow/core/ids.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::planning {

// The outcome probabilities of one open deal over a horizon.
struct OutcomeProbabilities {
  double won = 0.0;
  double lost = 0.0;
  double open() const noexcept { return 1.0 - won - lost; }
};

// One open stage's curve.
struct StageTiming {
  StageId stage;
  std::size_t visits = 0;                          // subjects (first visits in the window)
  std::size_t won = 0;                             // of them, won by the fit instant
  std::size_t lost = 0;                            // lost by the fit instant
  std::optional<analytics::CompetingRisks> curve;  // nullopt: no visit in the window
};

class TimingModel {
 public:
  // Fits every open stage of `pipeline` on the deals of that pipeline (their
  // stay at as_of). invalid_argument for an unsealed log or train_from > as_of.
  static Result<TimingModel> fit(const analytics::EventLog& log, const Pipeline& pipeline, Instant train_from,
                                 Instant as_of);

  Instant train_from() const noexcept { return train_from_; }
  Instant as_of() const noexcept { return as_of_; }
  // Indexed by StageId (terminal stages have no curve).
  const std::vector<StageTiming>& stages() const noexcept { return stages_; }
  const StageTiming* stage(StageId s) const noexcept {
    return s.value() < stages_.size() ? &stages_[s.value()] : nullptr;
  }
  // The formula above; ages and horizons in seconds (negative ones count as 0).
  OutcomeProbabilities probabilities(StageId stage, std::int64_t age_seconds,
                                     std::int64_t horizon_seconds) const noexcept;

 private:
  Instant train_from_, as_of_;
  std::vector<StageTiming> stages_;
};

}  // namespace dealflow::planning
