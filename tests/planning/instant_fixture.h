// The instant parser of the planning test fixtures (plan_fixture.h,
// forecast_fixture.h, backtest_fixture.h re-export it): one function, so that
// test files using different fixtures also compile together (unity batches).
#pragma once

#include <stdexcept>

#include "dealflow/core/time.h"

namespace dealflow::planning::instant_testing {

inline Instant at(const char* iso) {
  auto t = parse_instant(iso);
  if (!t) throw std::runtime_error(t.status().to_string());
  return *t;
}

}  // namespace dealflow::planning::instant_testing
