// The forecast methods' per-deal layer: see dealflow/planning/forecast.h.
#include "dealflow/planning/forecast.h"

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

// The close-date rule of weighted and markov: expected to close before the period end.
bool closes_by(const OpenDeal& d, Date end_date) noexcept {
  return d.close_date && *d.close_date < end_date;
}

}  // namespace

std::vector<double> deal_win_probabilities(ForecastMethod method, const ForecastModels& models,
                                           const Pipeline& pipeline, const PipelineState& state,
                                           Instant period_end, int utc_offset_minutes) {
  std::vector<double> p(state.open.size(), 0.0);
  // The period's end date: the local date of its end instant (local midnight).
  const Date end_date = period_end.date(utc_offset_minutes);
  const std::int64_t horizon = (period_end - state.as_of).count();
  for (std::size_t i = 0; i < state.open.size(); ++i) {
    const OpenDeal& d = state.open[i];
    switch (method) {
      case ForecastMethod::weighted:
        if (closes_by(d, end_date))
          p[i] = effective_probability(pipeline, d) / static_cast<double>(analytics::kProbabilityScale);
        break;
      case ForecastMethod::categories:
        p[i] = d.category == ForecastCategory::commit ? 1.0 : 0.0;
        break;
      case ForecastMethod::markov:
        if (models.markov && closes_by(d, end_date)) p[i] = models.markov->p_won(d.stage);
        break;
      case ForecastMethod::timing:
      case ForecastMethod::monte_carlo:
        if (horizon > 0)
          p[i] = models.timing.probabilities(d.stage, (state.as_of - d.stage_entered).count(), horizon).won;
        break;
    }
  }
  return p;
}

}  // namespace dealflow::planning
