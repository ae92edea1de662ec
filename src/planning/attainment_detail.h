// Internal: exact arithmetic and day counts shared by attainment, pacing and coverage.
#pragma once

#include <cstdint>

#include "dealflow/core/calendar.h"
#include "dealflow/planning/attainment.h"
#include "dealflow/planning/period.h"

namespace dealflow::planning::detail {

__extension__ typedef __int128 Int128;

// Probabilities are hundredths of a percent: p = hundredths / 10000.
inline constexpr std::int64_t kHundredthsScale = 10000;

// num / den rounded to the nearest integer, halves to even (den > 0).
std::int64_t round_half_even(Int128 num, Int128 den) noexcept;

// The exact fraction num / den as a Figure (den > 0).
Figure figure(Int128 num, Int128 den) noexcept;

struct DayCounts {
  std::int64_t total = 0;  // working days in [period.first, period.end)
  std::int64_t elapsed =
      0;  // working days in [period.first, D), D = as_of's local date clamped to the period
};
// Pacing's day counts: a day has elapsed once it has ended (the as_of day does not count).
DayCounts day_counts(const Period& period, Instant as_of, int utc_offset_minutes,
                     const BusinessCalendar& calendar);

}  // namespace dealflow::planning::detail
