// Internal: a rate and its Wilson interval as the analytics tables print them
// ("37.5%", "29.0–46.3%", "-" when there is none). One definition for the
// funnel, cohorts, scorecard and durations outputs.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "dealflow/analytics/funnel.h"

namespace dealflow::analytics::detail {

inline std::string percent(const std::optional<double>& v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", *v * 100.0);
  return buf;
}

inline std::string interval_text(const Rate& r) {
  if (!r.interval) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f–%.1f%%", r.interval->low * 100.0, r.interval->high * 100.0);
  return buf;
}

}  // namespace dealflow::analytics::detail
