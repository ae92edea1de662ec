// The forecast methods' per-deal layer: see dealflow/planning/forecast.h.
#include "dealflow/planning/forecast.h"

#include <algorithm>
#include <limits>
#include <string>

namespace dealflow::planning {

std::string_view to_string(ForecastMethod m) noexcept {
  switch (m) {
    case ForecastMethod::weighted:
      return "weighted";
    case ForecastMethod::categories:
      return "categories";
    case ForecastMethod::markov:
      return "markov";
    case ForecastMethod::timing:
      return "timing";
    case ForecastMethod::monte_carlo:
      return "monte-carlo";
  }
  return "weighted";
}

std::optional<ForecastMethod> parse_forecast_method(std::string_view text) noexcept {
  for (ForecastMethod m : kForecastMethods)
    if (text == to_string(m)) return m;
  if (text == "monte_carlo") return ForecastMethod::monte_carlo;
  return std::nullopt;
}

Result<ForecastModels> fit_models(const analytics::EventLog& log, const Pipeline& pipeline, Instant as_of,
                                  const FitOptions& options) {
  if (!log.sealed()) return Status(ErrorCode::invalid_argument, "forecast: the event log is not sealed");
  if (options.training_window.count() < 0)
    return Status(ErrorCode::invalid_argument, "forecast: the training window must not be negative, got " +
                                                   std::to_string(options.training_window.count()) + " s");
  const Instant from = as_of - options.training_window;
  auto timing = TimingModel::fit(log, pipeline, from, as_of);
  if (!timing) return timing.status();
  ForecastModels models{as_of, std::nullopt, std::move(*timing), {}};
  auto chain = fit_markov(log, pipeline, from, as_of, options.markov);
  if (chain) {
    models.markov = std::move(*chain);
  } else {
    models.notes.push_back("markov: no chain (" + chain.status().message() +
                           "); its forecast counts no open deal");
  }
  return models;
}

namespace {

// The close-date rule of weighted, categories and markov: the expected close
// date lies in the period, [first date, end date) (`first` is the smallest
// Date when the caller gives no period begin: then only the end bounds it).
bool closes_in(const OpenDeal& d, Date first, Date end) noexcept {
  return d.close_date && *d.close_date < end && *d.close_date >= first;
}

}  // namespace

OutcomeProbabilities timing_window_probabilities(const TimingModel& model, const OpenDeal& deal,
                                                 Instant as_of, Instant from, Instant to) noexcept {
  if (to <= as_of || to <= from) return {};
  const std::int64_t age = (as_of - deal.stage_entered).count();
  const OutcomeProbabilities by_end = model.probabilities(deal.stage, age, (to - as_of).count());
  if (from <= as_of) return by_end;
  const OutcomeProbabilities by_begin = model.probabilities(deal.stage, age, (from - as_of).count());
  return {std::max(0.0, by_end.won - by_begin.won), by_end.lost};
}

std::vector<double> deal_win_probabilities(ForecastMethod method, const ForecastModels& models,
                                           const Pipeline& pipeline, const PipelineState& state,
                                           Instant period_end, int utc_offset_minutes,
                                           std::optional<Instant> period_begin) {
  std::vector<double> p(state.open.size(), 0.0);
  // The period's dates: the local dates of its instants (local midnights).
  const Date end_date = period_end.date(utc_offset_minutes);
  const bool ahead = period_begin && *period_begin > state.as_of;
  const Date first_date =
      period_begin ? period_begin->date(utc_offset_minutes) : Date(std::numeric_limits<std::int32_t>::min());
  const Instant from = ahead ? *period_begin : state.as_of;
  for (std::size_t i = 0; i < state.open.size(); ++i) {
    const OpenDeal& d = state.open[i];
    switch (method) {
      case ForecastMethod::weighted:
        if (closes_in(d, first_date, end_date))
          p[i] = effective_probability(pipeline, d) / static_cast<double>(analytics::kProbabilityScale);
        break;
      case ForecastMethod::categories:
        // The commit roll-up counts open commit deals expected to close in the period (the report's rule).
        p[i] = d.category == ForecastCategory::commit && closes_in(d, first_date, end_date) ? 1.0 : 0.0;
        break;
      case ForecastMethod::markov:
        if (models.markov && closes_in(d, first_date, end_date)) p[i] = models.markov->p_won(d.stage);
        break;
      case ForecastMethod::timing:
      case ForecastMethod::monte_carlo:
        p[i] = timing_window_probabilities(models.timing, d, state.as_of, from, period_end).won;
        break;
    }
  }
  return p;
}

}  // namespace dealflow::planning
