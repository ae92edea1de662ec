// dealflow/core/calendar.h: business time.
//
// A `BusinessCalendar` says when a sales team works: a week mask (which ISO
// weekdays are working days), holiday dates, transferred working days (a
// Saturday that is worked, as in the Russian production calendar), working
// hours as one or more [start, end) intervals of local time, and the team's
// fixed UTC offset. Durations are measured on half-open intervals [from, to):
// only the seconds that fall inside working hours of working days count.
//
// The holiday file is JSON, loaded by dealflow/io/calendar_json.h
// (docs/calendar.md, data/calendars/ru-2024.json):
//   {"name": "Россия 2024", "utc_offset": "+03:00",
//    "weekdays": ["mon","tue","wed","thu","fri"],
//    "hours": [["09:00","13:00"], ["14:00","18:00"]],
//    "holidays": ["2024-01-01", ...], "working_days": ["2024-04-27"]}
//
// Thread-safety: immutable after construction; const methods may be called
// from any number of threads.
//
// Example:
//   auto cal = dealflow::load_calendar_file("data/calendars/ru-2024.json");
//   Duration worked = cal->business_duration(created, won);
//   Instant due = cal->add_business_time(created, std::chrono::hours(8));
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/core/status.h"
#include "dealflow/core/time.h"

namespace dealflow {

class BusinessCalendar {
 public:
  struct Interval {
    int start_seconds;  // seconds since local midnight, inclusive
    int end_seconds;    // exclusive, <= 86400
  };

  // Monday..Friday, 09:00–18:00, UTC, no holidays.
  BusinessCalendar();
  // Every second of every day counts: business time == calendar time.
  static BusinessCalendar always_open();

  // Builders; each validates and returns invalid_argument on bad input.
  // weekmask: bit (iso_weekday - 1) set for working weekdays.
  Status set_weekmask(std::uint8_t weekmask);
  // Sorted, non-overlapping, non-empty intervals inside one day.
  Status set_hours(std::vector<Interval> hours);
  Status set_utc_offset_minutes(int minutes);
  // A day off even when its weekday is in the mask. invalid_argument when the
  // date is already a declared working day.
  Status add_holiday(Date d);
  // A transferred working day (worked even on a weekend). invalid_argument when
  // the date is already a declared holiday.
  Status add_working_day(Date d);
  void set_name(std::string name) { name_ = std::move(name); }

  const std::string& name() const noexcept { return name_; }
  int utc_offset_minutes() const noexcept { return offset_minutes_; }
  const std::vector<Interval>& hours() const noexcept { return hours_; }
  std::uint8_t weekmask() const noexcept { return weekmask_; }

  bool is_working_day(Date local_date) const noexcept;
  // Inside working hours of a working day.
  bool is_working_time(Instant t) const noexcept;
  // Working seconds in [from, to); zero when to <= from.
  Duration business_duration(Instant from, Instant to) const noexcept;
  // The earliest instant t >= from with business_duration(from, t) == amount.
  // For amount 0 that is `from` itself. Fails (invalid_argument) when the
  // calendar has no working time at all or amount is negative.
  Result<Instant> add_business_time(Instant from, Duration amount) const;
  // Seconds of working time in one working day.
  int working_seconds_per_day() const noexcept { return seconds_per_day_; }
  // Working days among the local dates [first, last); 0 when last <= first.
  std::int64_t count_working_days(Date first, Date last) const noexcept;

 private:
  int working_seconds_before(int second_of_day) const noexcept;
  std::string name_;
  std::uint8_t weekmask_ = 0x1F;
  std::vector<Interval> hours_;
  int seconds_per_day_ = 0;
  int offset_minutes_ = 0;
  std::vector<Date> holidays_;      // sorted, unique
  std::vector<Date> working_days_;  // sorted, unique
};

}  // namespace dealflow
