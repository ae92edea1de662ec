// Forecast a quarter: load a CRM export (deals.csv + history.csv), stand at an
// instant inside the quarter and forecast its won amount per manager with the
// five methods, then look at one open deal the way each method sees it.
//
//   ./example_forecast_quarter [pipeline.json] [deals.csv] [history.csv] [field_changes.csv] [period] [as_of]
//
// Defaults: the bundled sample (data/sample, with its field changes: owners,
// amounts, close dates and probabilities as of any instant), 2024-Q4 seen on 2024-11-15.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/planning/forecast.h"
#include "dealflow/planning/forecast_output.h"

using namespace dealflow;
using namespace dealflow::planning;

int main(int argc, char** argv) {
  auto arg = [&](int i, const char* fallback) { return std::string(argc > i ? argv[i] : fallback); };
  auto pipeline = load_pipeline_file(arg(1, "data/pipelines/bitrix24_default.json"));
  if (!pipeline) return std::cerr << pipeline.status().to_string() << "\n", 1;
  analytics::CsvLoadOptions options;
  options.default_pipeline = &pipeline->pipeline;
  auto loaded = analytics::load_csv_files(arg(2, "data/sample/deals.csv"), arg(3, "data/sample/history.csv"),
                                          {&pipeline->pipeline}, options);
  if (!loaded) return std::cerr << loaded.status().to_string() << "\n", 1;
  std::ifstream changes_file(arg(4, "data/sample/field_changes.csv"), std::ios::binary);
  std::ostringstream changes;
  changes << changes_file.rdbuf();
  if (Status s = analytics::load_field_changes_csv(changes.str(), arg(4, "data/sample/field_changes.csv"),
                                                   options, *loaded);
      !s.ok())
    return std::cerr << s.to_string() << "\n", 1;
  const analytics::EventLog& log = loaded->log;

  ForecastQuery query;
  auto period = parse_period(arg(5, "2024-Q4"));
  auto as_of = parse_instant(arg(6, "2024-11-15"));
  if (!period || !as_of) return std::cerr << "period / as_of: expected e.g. 2024-Q4 and 2024-11-15\n", 2;
  query.period = *period;
  query.as_of = *as_of;
  query.scope = {ForecastScope::Kind::dimension,
                 analytics::to_dimension_id(analytics::StandardDimension::manager),
                 "manager",
                 {}};
  query.trials = 5000;
  query.seed = 2024;
  auto report = forecast(log, pipeline->pipeline, query);
  if (!report) return std::cerr << report.status().to_string() << "\n", 1;
  std::cout << forecast_to_table(*report);

  // The per-deal layer (what `dealflow backtest` drives at every snapshot).
  auto models = fit_models(log, pipeline->pipeline, *as_of);
  auto state = pipeline_state_as_of(log, pipeline->pipeline, *as_of);
  if (!models || !state) return std::cerr << "fit or state failed\n", 1;
  if (state->open.empty()) return 0;
  std::cout << "\nopen deal " << log.deal_key(state->open.front().deal) << ", P(won in " << period->label
            << "):";
  for (ForecastMethod m : kForecastMethods) {
    const auto p = deal_win_probabilities(m, *models, pipeline->pipeline, *state, period->end_instant());
    std::cout << " " << to_string(m) << " " << p.front();
  }
  std::cout << "\n";
  return 0;
}
