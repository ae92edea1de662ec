// dealflow/planning/attainment_output.h: an AttainmentReport as an aligned
// text table (with "definition:" lines), CSV (the defining inputs as leading
// columns of every row, data only) or JSON (with a "definition" object).
//
// Money is printed exactly: "1 500 000.00 RUB" in tables, "1500000.00" plus a
// currency column in CSV, minor units and the currency in JSON. Derived money
// figures (expected by now, projection, required per day, weighted pipeline)
// were rounded once, half to even; ratios have six decimals in CSV and JSON.
// `check_only` prints the roll-up check alone (`dealflow plan --check`).
//
// Ownership: returns owned strings / values. Thread-safety: pure functions.
//
// Example:
//   auto report = dealflow::planning::compute_attainment(plan, log, {&pipeline}, query);
//   std::cout << dealflow::planning::attainment_to_table(*report, plan);
#pragma once

#include <string>

#include "dealflow/io/json.h"
#include "dealflow/planning/attainment.h"
#include "dealflow/planning/plan.h"

namespace dealflow::planning {

struct AttainmentOutputOptions {
  bool check_only = false;  // the roll-up check alone
  std::string fx;           // FxConversion::describe() when amounts were converted
};

std::string attainment_to_table(const AttainmentReport& report, const Plan& plan,
                                const AttainmentOutputOptions& options = {});
std::string attainment_to_csv(const AttainmentReport& report, const Plan& plan,
                              const AttainmentOutputOptions& options = {});
Json attainment_to_json(const AttainmentReport& report, const Plan& plan,
                        const AttainmentOutputOptions& options = {});

}  // namespace dealflow::planning
