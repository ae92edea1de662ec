// Internal: the exact arithmetic every planning report shares: 128-bit
// products of minor units and counts or probabilities, rounded once, half to
// even; and which forecast methods need fitted models.
#pragma once

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <cstdint>
#include <vector>

#include "dealflow/planning/forecast.h"

namespace dealflow::planning::detail {

// GCC's 128-bit integer (__extension__ keeps -pedantic quiet).
__extension__ typedef __int128 Int128;

// num / den rounded to the nearest integer, halves to even (den != 0).
std::int64_t round_half_even(Int128 num, Int128 den) noexcept;

// x rounded to the nearest integer, halves to even.
inline std::int64_t round_half_even(long double x) noexcept {
  const int mode = std::fegetround();
  std::fesetround(FE_TONEAREST);
  const long double r = std::nearbyint(x);
  std::fesetround(mode);
  return static_cast<std::int64_t>(r);
}

// markov, timing and monte-carlo learn from a training window (fit_models).
inline bool uses_models(const std::vector<ForecastMethod>& methods) {
  return std::any_of(methods.begin(), methods.end(), [](ForecastMethod m) {
    return m == ForecastMethod::markov || m == ForecastMethod::timing || m == ForecastMethod::monte_carlo;
  });
}

}  // namespace dealflow::planning::detail
