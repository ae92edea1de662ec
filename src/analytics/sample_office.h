// Internal: the sample office's calendar and skewed draws, shared by the stage
// walk (sample.cpp) and the field history (sample_fields.cpp).
#pragma once

#include <algorithm>
#include <cstdint>

#include "analytics/sample_catalog.h"
#include "analytics/sample_random.h"
#include "analytics/sample_text.h"
#include "dealflow/core/time.h"

namespace dealflow::analytics::detail {

// The sample office's working days: Monday–Friday except fixed Russian public
// holidays (1–8 January, 23 February, 8 March, 1 and 9 May, 12 June, 4 November).
inline bool is_office_day(std::int64_t days) {
  const std::int64_t iso_weekday = ((days % 7 + 7) % 7 + 3) % 7 + 1;
  if (iso_weekday >= 6) return false;
  const Date d(static_cast<std::int32_t>(days));
  const int m = d.month(), day = d.day();
  switch (m) {
    case 1:
      return day > 8;
    case 2:
      return day != 23;
    case 3:
      return day != 8;
    case 5:
      return day != 1 && day != 9;
    case 6:
      return day != 12;
    case 11:
      return day != 4;
    default:
      return true;
  }
}

// The instant itself when it falls in office hours; otherwise the next office
// morning plus up to two hours (people move deals when they come in).
inline std::int64_t snap_to_office(std::int64_t t, SampleRandom& rng) {
  namespace s = sample;
  const std::int64_t local = t + s::kOfficeOffsetSeconds;
  std::int64_t day = floor_div(local, 86400);
  const std::int64_t sod = local - day * 86400;
  if (is_office_day(day)) {
    if (sod >= s::kWorkStartSeconds && sod < s::kWorkEndSeconds) return t;
    if (sod < s::kWorkStartSeconds)
      return day * 86400 + s::kWorkStartSeconds + rng.below(7200) - s::kOfficeOffsetSeconds;
  }
  do {
    ++day;
  } while (!is_office_day(day));
  return day * 86400 + s::kWorkStartSeconds + rng.below(7200) - s::kOfficeOffsetSeconds;
}

// The office's local date (UTC+3) of an instant, days since 1970-01-01.
inline std::int64_t office_date(std::int64_t t) {
  return floor_div(t + sample::kOfficeOffsetSeconds, 86400);
}

// A skewed positive multiplier per mille (log-normal shaped, median 1000).
inline std::int64_t draw_skew(SampleRandom& rng) {
  const std::uint32_t u = rng.below(64 * 1024);
  const std::uint32_t i = u >> 10, frac = u & 1023;
  const std::int64_t lo = sample::kSkewPerMille[i], hi = sample::kSkewPerMille[i + 1];
  return lo + (hi - lo) * frac / 1024;
}

}  // namespace dealflow::analytics::detail
