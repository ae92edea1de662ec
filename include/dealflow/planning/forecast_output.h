// dealflow/planning/forecast_output.h: the forecast report as a text table,
// CSV and JSON, each carrying its definition (method, inputs, formula).
//
//   * table: one row per scope, method and currency (fact, expected from open
//     deals, forecast, Monte Carlo quantiles), the category roll-ups with the
//     adjustments in force beside the unadjusted amounts (author, instant,
//     note), then lines starting with "definition:" and "note:";
//   * csv: data only, the defining inputs (method, as_of, period, scope kind,
//     training window, trials, seed) as the leading columns of every row;
//   * json: {"definition": {...}, "rows": [...], "notes": [...]}.
// Amounts print in major units with the currency's minor digits.
//
// Ownership: returns strings / values. Thread-safety: reentrant.
//
// Example:
//   auto r = dealflow::planning::forecast(log, pipeline, query);
//   std::cout << dealflow::planning::forecast_to_table(*r);
#pragma once

#include <string>

#include "dealflow/io/json.h"
#include "dealflow/planning/forecast.h"

namespace dealflow::planning {

std::string forecast_to_table(const ForecastReport& report);
std::string forecast_to_csv(const ForecastReport& report);
Json forecast_to_json(const ForecastReport& report);

// The definition lines of the table (without the "definition: " prefix).
std::vector<std::string> forecast_definitions(const ForecastReport& report);

}  // namespace dealflow::planning
