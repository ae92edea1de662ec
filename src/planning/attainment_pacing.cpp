// Exact fractions and the working-day counts of pacing (attainment_detail.h).
#include <algorithm>

#include "planning/attainment_detail.h"

namespace dealflow::planning::detail {

std::int64_t round_half_even(Int128 num, Int128 den) noexcept {
  if (den < 0) num = -num, den = -den;
  Int128 q = num / den, r = num % den;  // truncates toward zero
  if (r < 0) r += den, q -= 1;          // floor division: 0 <= r < den
  const Int128 twice = 2 * r;
  if (twice > den || (twice == den && (q % 2 != 0))) q += 1;
  return static_cast<std::int64_t>(q);
}

Figure figure(Int128 num, Int128 den) noexcept {
  Figure f;
  f.defined = den != 0;
  if (!f.defined) return f;
  f.units = round_half_even(num, den);
  f.value = static_cast<double>(num) / static_cast<double>(den);
  return f;
}

DayCounts day_counts(const Period& period, Instant as_of, int utc_offset_minutes,
                     const BusinessCalendar& calendar) {
  DayCounts c;
  c.total = period.working_days(calendar);
  const Date today = std::clamp(as_of.date(utc_offset_minutes), period.first, period.end);
  c.elapsed = calendar.count_working_days(period.first, today);
  return c;
}

}  // namespace dealflow::planning::detail
