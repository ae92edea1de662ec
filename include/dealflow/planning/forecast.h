// dealflow/planning/forecast.h: forecasts of a period's won amount, per
// scope, by five named estimators (docs/forecasting.md gives every formula
// with a worked example):
//   * weighted:    fact + Σ amount × probability (the deal's own, else its
//                  stage default) over open deals expected to close in the
//                  period; exact (__int128), rounded half to even once per total;
//   * categories:  cumulative forecast-category roll-ups (closed; commit =
//                  commit + closed; best case = best case + commit + closed;
//                  open pipeline = pipeline + best case + commit) with manager
//                  adjustments (adjustments.h) beside the unadjusted amounts;
//                  the point forecast is the (adjusted) commit roll-up;
//   * markov:      fact + Σ amount × P(won | stage) of an absorbing Markov
//                  chain (markov.h) fitted on the training window, same
//                  close-date rule as weighted;
//   * timing:      fact + Σ amount × P(won before the period end | stage, age
//                  in stage) from Aalen–Johansen curves (timing.h);
//   * monte_carlo: draws of won / lost / open per deal from the timing
//                  probabilities: mean, P10 / P50 / P90, P(fact + won >= target)
//                  (monte_carlo.h).
// The fact is the won amount with closing instant in [period begin, as_of],
// amounts as of as_of, credited to the owner as of closing.
//
// Two layers: the per-deal API (fit_models, deal_win_probabilities) that the
// backtest drives at every snapshot, and `forecast`, the report of the CLI.
// Fitted models read only events at or before their `as_of`.
//
// Ownership: plain values (a query may point at an FxTable that must outlive
// the call). Thread-safety: reentrant; concurrent calls on one sealed log are
// safe.
//
// Example:
//   auto models = dealflow::planning::fit_models(log, pipeline, as_of);
//   auto state = dealflow::planning::pipeline_state_as_of(log, pipeline, as_of);
//   auto p = dealflow::planning::deal_win_probabilities(dealflow::planning::ForecastMethod::timing, *models,
//                                                      pipeline, *state, q3.end_instant(180), 180);
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/core/fx.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"
#include "dealflow/planning/adjustments.h"
#include "dealflow/planning/markov.h"
#include "dealflow/planning/monte_carlo.h"
#include "dealflow/planning/period.h"
#include "dealflow/planning/pipeline_state.h"
#include "dealflow/planning/timing.h"

namespace dealflow::planning {

enum class ForecastMethod : std::uint8_t { weighted, categories, markov, timing, monte_carlo };
// "weighted", "categories", "markov", "timing", "monte-carlo"
std::string_view to_string(ForecastMethod m) noexcept;
// The names above ("monte_carlo" is accepted too); nullopt otherwise.
std::optional<ForecastMethod> parse_forecast_method(std::string_view text) noexcept;
inline constexpr std::array<ForecastMethod, 5> kForecastMethods = {
    ForecastMethod::weighted, ForecastMethod::categories, ForecastMethod::markov, ForecastMethod::timing,
    ForecastMethod::monte_carlo};

struct FitOptions {
  Duration training_window = std::chrono::days(365);  // fitted methods learn from [as_of - window, as_of]
  MarkovOptions markov;
};

// Everything a fitted method learned from data at or before `as_of` (never after).
struct ForecastModels {
  Instant as_of;
  std::optional<MarkovChain> markov;  // nullopt + a note when it cannot be fitted
  TimingModel timing;                 // per open stage: Aalen–Johansen of stage entry -> won / lost
  std::vector<std::string> notes;
};

// Errors: invalid_argument for an unsealed log or a negative window; a
// Markov chain that cannot be fitted is a note, not an error.
Result<ForecastModels> fit_models(const analytics::EventLog& log, const Pipeline& pipeline, Instant as_of,
                                  const FitOptions& options = {});

// For each open deal of `state` (same order), the probability that it is won in
// [state.as_of, period_end):
//   weighted:    effective_probability / 10000 when its expected close date
//                (local date at the UTC offset) lies in the period — before
//                the period end date and, when `period_begin` is given, on or
//                after its first date — else 0 (a missing close date: 0);
//   categories:  1 for a commit deal under the same close-date rule, else 0
//                (the "commit" roll-up as a point forecast; closed deals are
//                in the fact);
//   markov:      chain.p_won(stage) under the same close-date rule (0 without a chain);
//   timing:      P(won within [age, age + (period_end - as_of)] | stage, alive
//                at age), no close-date rule;
//   monte_carlo: same as timing (its point forecast is the distribution's
//                mean; P50 etc. from simulate()).
// With `period_begin` after state.as_of (a period not begun yet) the window is
// [period_begin, period_end): the close date must also be on or after the
// period's first date, and timing is P(won by the end) - P(won by the begin).
std::vector<double> deal_win_probabilities(ForecastMethod method, const ForecastModels& models,
                                           const Pipeline& pipeline, const PipelineState& state,
                                           Instant period_end, int utc_offset_minutes = 0,
                                           std::optional<Instant> period_begin = std::nullopt);

// The timing probabilities of one open deal for the window [max(from, as_of), to):
// won in the window, lost by `to` (the Monte Carlo draws use both).
OutcomeProbabilities timing_window_probabilities(const TimingModel& model, const OpenDeal& deal,
                                                 Instant as_of, Instant from, Instant to) noexcept;

// ---- the report ------------------------------------------------------------

// What a forecast is grouped by (--by).
struct ForecastScope {
  enum class Kind : std::uint8_t { company, dimension, pipeline, team };
  Kind kind = Kind::company;
  analytics::DimensionId dimension;  // Kind::dimension (manager: the owner rule of pipeline_state.h)
  std::string name;                  // "company", "manager", "region", "pipeline", "team"
  // Kind::team: manager name -> team name (routing team file); managers not in it: "(none)".
  std::map<std::string, std::string, std::less<>> team_of_manager;
};

struct ForecastQuery {
  Period period;
  std::optional<Instant> as_of;  // default: the log's latest_instant()
  int utc_offset_minutes = 0;
  ForecastScope scope;
  std::vector<ForecastMethod> methods{kForecastMethods.begin(), kForecastMethods.end()};
  FitOptions fit;
  std::vector<Adjustment> adjustments;  // categories
  std::uint64_t trials = 10000;         // monte_carlo
  std::uint64_t seed = 1;
  unsigned threads = 1;
  std::optional<Money> target;  // company-scope target for P(fact + won >= target)
  // Per-scope targets (scope key -> target, e.g. from a plan): P(fact + won >= target) for the rows of that
  // scope key in the target's currency; the key "(none)" is the empty group.
  std::map<std::string, Money, std::less<>> scope_targets;
  std::optional<FxConversion> fx;  // convert every amount into one currency
};

// The cumulative category roll-ups of one scope and currency (minor units).
struct CategoryRollups {
  std::int64_t closed = 0;         // the fact
  std::int64_t commit = 0;         // commit + closed
  std::int64_t best_case = 0;      // best case + commit + closed
  std::int64_t open_pipeline = 0;  // pipeline + best case + commit (open deals only)
  // The adjustment in force for commit, best_case, open_pipeline (that order).
  std::array<std::optional<Adjustment>, 3> adjusted;
};

// The Monte Carlo distribution of fact + won amount (minor units, rounded once).
struct WonDistribution {
  std::int64_t mean = 0;
  std::int64_t p10 = 0, p50 = 0, p90 = 0;
  double mean_won_deals = 0.0;
  double mean_lost_deals = 0.0;
  std::optional<double> p_reach_target;  // with a target in this currency (company scope)
  Histogram histogram;                   // of fact + won amount over the trials (monte_carlo.h)
};

struct ForecastRow {
  ForecastMethod method = ForecastMethod::weighted;
  std::optional<std::string> scope;  // nullopt: the "(none)" group; "company" without --by
  Currency currency;
  std::int64_t fact = 0;  // won in [period begin, as_of]
  std::int64_t fact_deals = 0;
  std::int64_t expected = 0;    // from open deals
  std::int64_t forecast = 0;    // fact + expected (categories: the adjusted commit roll-up)
  std::int64_t open_deals = 0;  // open deals with an amount in this scope and currency
  std::optional<CategoryRollups> categories;
  std::optional<WonDistribution> distribution;
};

// One open stage of the fitted Markov chain, for the report (markov method).
struct MarkovStageRow {
  std::string stage;                          // stage id
  double p_won = 0, p_lost = 0;               // absorption probabilities (B summed over won / lost stages)
  double expected_steps = 0;                  // expected stage changes until won or lost (N 1)
  double mean_sojourn_seconds = 0;            // censoring-aware mean time per visit (tau)
  double expected_seconds_to_absorption = 0;  // N tau
  std::size_t exits = 0;                      // observed direct transitions out of the stage
  bool no_data = false;                       // row imputed from the stage default probability
};

// One open stage of the timing model, for the report (timing and monte-carlo
// methods): P(won by the period end | in the stage for `age` days), the
// horizon being period end - as_of. Falling with age is "rotting" in numbers.
inline constexpr std::array<int, 6> kTimingAgesDays = {0, 7, 14, 30, 60, 90};
struct TimingStageRow {
  std::string stage;
  std::size_t visits = 0, won = 0, lost = 0;  // the fit's subjects and their outcomes
  std::array<double, kTimingAgesDays.size()> p_won_by_age{};
};

struct ForecastReport {
  Period period;
  Instant as_of;
  Instant period_begin, period_end;  // instants at the UTC offset
  int utc_offset_minutes = 0;
  std::string scope;  // "company", "manager", ...
  std::vector<ForecastMethod> methods;
  FitOptions fit;
  std::uint64_t trials = 0, seed = 0;
  std::optional<Money> target;
  bool converted = false;         // amounts converted by an FxConversion
  std::vector<ForecastRow> rows;  // scope order (the empty scope last), then method, then currency
  // With the markov method: the chain it used, open stages in order.
  std::vector<MarkovStageRow> markov_chain;
  // With timing or monte-carlo: the curves they used, by age in the stage.
  std::vector<TimingStageRow> timing_by_age;
  std::vector<std::string> notes;
};

// An as_of before the period forecasts a period ahead (fact 0; see the
// per-deal rules), after it gives the fact for every method (a note).
// Errors: those of pipeline_state_as_of and fit_models; invalid_argument for
// no method, 0 trials, a scope dimension the log does not have; a missing FX
// rate (not_found naming the deal); overflow of a sum.
Result<ForecastReport> forecast(const analytics::EventLog& log, const Pipeline& pipeline,
                                const ForecastQuery& query);

}  // namespace dealflow::planning
