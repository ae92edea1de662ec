// Internal: the values the analytics outputs share, formatted once for the funnel, cohorts,
// scorecard, durations and slippage outputs: a rate and its Wilson interval as the tables print
// them ("37.5%", "29.0–46.3%", "-" when there is none), an optional amount as table text
// ("1 000,00 RUB") and as JSON ({"amount": "1000.00", "currency": "RUB"} or null), and a report
// bound ("2024-03-01T00:00:00Z" or what an open end is called).
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "dealflow/analytics/funnel.h"
#include "dealflow/core/money.h"
#include "dealflow/core/time.h"
#include "dealflow/io/json.h"

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

inline std::string money_text(const std::optional<Money>& m) {
  if (!m) return "-";
  return m->format_amount(" ", ',') + " " + std::string(m->currency().code());
}

inline Json money_json(const std::optional<Money>& m) {
  if (!m) return nullptr;
  return Json{{"amount", m->format_amount()}, {"currency", m->currency().code()}};
}

// The instant in ISO form, or `open` ("start of history", ...) for an unbounded end.
inline std::string bound(const std::optional<Instant>& t, const char* open) {
  return t ? format_iso(*t) : open;
}

}  // namespace dealflow::analytics::detail
