// Internal: a double in fixed notation with `digits` decimals ("0.174",
// "12.50"), for the planning reports' text and CSV (C locale, round to nearest).
#pragma once

#include <cstdio>
#include <string>

namespace dealflow::planning::detail {

inline std::string fixed_text(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace dealflow::planning::detail
