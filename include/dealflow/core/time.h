// dealflow/core/time.h: UTC instants, calendar dates and ISO 8601 parsing.
//
// `Instant` is a point in time stored as whole seconds since 1970-01-01T00:00:00Z
// (UTC, no leap seconds). `Date` is a proleptic Gregorian calendar date with no
// time zone (days since 1970-01-01). Both interoperate with Boost.Date_Time
// (`to_ptime`, `to_gregorian`). Parsing never yields epoch 0 for bad input: it
// returns a parse_error naming the text and what was expected.
//
// Accepted forms (parse_instant):
//   2024-03-01                      date only: midnight at the default offset
//   2024-03-01T10:15:00Z            UTC
//   2024-03-01T10:15:00+03:00       offset (also +0300, +03)
//   2024-03-01 10:15:00             space instead of T; no offset: the default offset
//   2024-03-01T10:15                seconds omitted
//   2024-03-01T10:15:00.250Z        fraction of a second: truncated to the second
//
// Thread-safety: values; the free functions are pure and reentrant.
//
// Example:
//   auto t = dealflow::parse_instant("2024-03-01T10:00:00+03:00");   // 07:00Z
//   dealflow::Instant later = *t + std::chrono::hours(2);
//   std::cout << dealflow::format_iso(later);                         // 2024-03-01T09:00:00Z
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <boost/date_time/posix_time/posix_time_types.hpp>

#include "dealflow/core/status.h"

namespace dealflow {

using Duration = std::chrono::seconds;

class Date {
 public:
  constexpr Date() noexcept = default;  // 1970-01-01
  constexpr explicit Date(std::int32_t days_since_epoch) noexcept : days_(days_since_epoch) {}
  // Validates the fields; invalid_argument for 2023-02-29 and the like.
  static Result<Date> from_ymd(int year, int month, int day);
  // "YYYY-MM-DD".
  static Result<Date> parse(std::string_view text);
  static Date from_gregorian(const boost::gregorian::date& d);

  constexpr std::int32_t days_since_epoch() const noexcept { return days_; }
  int year() const noexcept;
  int month() const noexcept;  // 1..12
  int day() const noexcept;    // 1..31
  // ISO weekday: 1 = Monday ... 7 = Sunday.
  int iso_weekday() const noexcept;
  // Boost.Date_Time covers the years 1400..9999 and throws std::out_of_range outside them.
  boost::gregorian::date to_gregorian() const;
  std::string to_string() const;  // "YYYY-MM-DD"

  constexpr Date operator+(int days) const noexcept { return Date(days_ + days); }
  constexpr Date operator-(int days) const noexcept { return Date(days_ - days); }
  constexpr int operator-(Date other) const noexcept { return days_ - other.days_; }
  friend constexpr auto operator<=>(Date, Date) noexcept = default;

 private:
  std::int32_t days_ = 0;
};

class Instant {
 public:
  constexpr Instant() noexcept = default;  // the epoch; use only as a placeholder
  static constexpr Instant from_unix_seconds(std::int64_t s) noexcept { return Instant(s); }
  static Instant from_ptime(const boost::posix_time::ptime& t);
  // Midnight UTC of `d` shifted by -offset (local midnight at that UTC offset).
  static Instant at_midnight(Date d, int utc_offset_minutes = 0) noexcept;

  constexpr std::int64_t unix_seconds() const noexcept { return s_; }
  boost::posix_time::ptime to_ptime() const;
  // The calendar date of this instant at the given UTC offset.
  Date date(int utc_offset_minutes = 0) const noexcept;
  // Seconds since local midnight at the given UTC offset, in [0, 86400).
  int seconds_of_day(int utc_offset_minutes = 0) const noexcept;

  constexpr Instant operator+(Duration d) const noexcept { return Instant(s_ + d.count()); }
  constexpr Instant operator-(Duration d) const noexcept { return Instant(s_ - d.count()); }
  constexpr Duration operator-(Instant other) const noexcept { return Duration(s_ - other.s_); }
  friend constexpr auto operator<=>(Instant, Instant) noexcept = default;

 private:
  constexpr explicit Instant(std::int64_t s) noexcept : s_(s) {}
  std::int64_t s_ = 0;
};

// Parses an ISO 8601 timestamp (see the forms above). Text without an offset is
// read at `default_offset_minutes` east of UTC (0 = UTC).
Result<Instant> parse_instant(std::string_view text, int default_offset_minutes = 0);
// Parses "+03:00", "-0530", "+03", "Z" into minutes east of UTC.
Result<int> parse_utc_offset(std::string_view text);

// "2024-03-01T07:00:00Z".
std::string format_iso(Instant t);
// "2024-03-01T10:00:00+03:00" (the same instant shown at an offset).
std::string format_iso(Instant t, int utc_offset_minutes);
// "+03:00".
std::string format_utc_offset(int utc_offset_minutes);

// a / b rounded toward negative infinity (`/` rounds toward zero): floor_div(-1, 86400) == -1, the
// day before the epoch. b must not be 0.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Days since 1970-01-01 for a proleptic Gregorian date; no validation.
constexpr std::int32_t days_from_civil(int y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

}  // namespace dealflow
