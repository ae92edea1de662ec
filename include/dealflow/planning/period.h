// dealflow/planning/period.h: the periods plans and forecasts are about.
//
// A `Period` is a half-open range of local calendar dates [first, end): a
// month, a quarter, a half-year, a year (calendar or fiscal), or an explicit
// range. Its instants are local midnights at the team's UTC offset
// (`begin_instant`, `end_instant`): a deal won at 23:30 Moscow time on
// 30 June belongs to Q2 for a team at +03:00 even though it is 20:30 UTC.
//
// Text forms (parse_period), with the fiscal year starting in month m
// (1 = January, the default; 4 = April; 10 = October):
//   "2026-07"                  the month July 2026 (always a calendar month)
//   "2026"     / "FY2026"      the (fiscal) year 2026
//   "2026-Q3"  / "FY2026-Q3"   its third quarter
//   "2026-H2"  / "FY2026-H2"   its second half
//   "2026-07-01..2026-09-30"   an explicit range, both days included
// A fiscal year is named by the calendar year it starts in: with m = 4,
// FY2026 is 2026-04-01 .. 2027-03-31 and FY2026-Q1 is April–June 2026. With
// m = 1 the "FY" prefix is optional and changes nothing.
//
// Ownership: plain values. Thread-safety: pure functions, reentrant.
//
// Example:
//   auto q3 = dealflow::planning::parse_period("2026-Q3");          // 2026-07-01 .. 2026-10-01
//   auto fy = dealflow::planning::parse_period("FY2026-Q1", 4);     // 2026-04-01 .. 2026-07-01
//   dealflow::Instant from = q3->begin_instant(180);                 // 2026-06-30T21:00:00Z
//   std::int64_t days = q3->working_days(calendar);                  // 66 on a Mon–Fri calendar
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/core/calendar.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"

namespace dealflow::planning {

enum class PeriodKind : std::uint8_t { month, quarter, half_year, year, range };
std::string_view to_string(PeriodKind kind) noexcept;  // "month" | "quarter" | "half_year" | "year" | "range"
std::optional<PeriodKind> parse_period_kind(std::string_view text) noexcept;

struct Period {
  PeriodKind kind = PeriodKind::range;
  Date first;         // first local date in the period
  Date end;           // first local date after it (end > first)
  std::string label;  // "2026-Q3", "FY2026-H1", "2026-07", "2026-07-01..2026-09-30"

  bool contains(Date d) const noexcept { return first <= d && d < end; }
  int days() const noexcept { return end - first; }
  // Local midnight of `first` / `end` at the UTC offset.
  Instant begin_instant(int utc_offset_minutes = 0) const noexcept {
    return Instant::at_midnight(first, utc_offset_minutes);
  }
  Instant end_instant(int utc_offset_minutes = 0) const noexcept {
    return Instant::at_midnight(end, utc_offset_minutes);
  }
  // Working days of the calendar in [first, end).
  std::int64_t working_days(const BusinessCalendar& calendar) const noexcept {
    return calendar.count_working_days(first, end);
  }
  friend bool operator==(const Period&, const Period&) = default;
};

// Parses the text forms above. invalid_argument naming the text and the
// expected forms for anything else (a month 13, a quarter Q5, a range whose
// last day is before its first, a fiscal_start_month outside 1..12).
Result<Period> parse_period(std::string_view text, int fiscal_start_month = 1);

// The period of `kind` (not range) containing local date `d`.
Period period_containing(PeriodKind kind, Date d, int fiscal_start_month = 1);
// The period of the same kind right after / before `p` (range: shifted by its length).
Period next_period(const Period& p, int fiscal_start_month = 1);
Period previous_period(const Period& p, int fiscal_start_month = 1);

}  // namespace dealflow::planning
