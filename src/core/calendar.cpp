#include "dealflow/core/calendar.h"

#include <algorithm>
#include <bit>

namespace dealflow {
namespace {

bool contains(const std::vector<Date>& sorted, Date d) {
  return std::binary_search(sorted.begin(), sorted.end(), d);
}

void insert_sorted(std::vector<Date>& sorted, Date d) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), d);
  if (it == sorted.end() || *it != d) sorted.insert(it, d);
}

}  // namespace

BusinessCalendar::BusinessCalendar() { (void)set_hours({{9 * 3600, 18 * 3600}}); }

BusinessCalendar BusinessCalendar::always_open() {
  BusinessCalendar c;
  c.weekmask_ = 0x7F;
  (void)c.set_hours({{0, 86400}});
  c.name_ = "24/7";
  return c;
}

Status BusinessCalendar::set_weekmask(std::uint8_t weekmask) {
  if (weekmask > 0x7F) return Status(ErrorCode::invalid_argument, "weekmask has bits beyond Sunday");
  weekmask_ = weekmask;
  return {};
}

Status BusinessCalendar::set_hours(std::vector<Interval> hours) {
  int total = 0;
  int previous_end = 0;
  for (const Interval& i : hours) {
    if (i.start_seconds < 0 || i.end_seconds > 86400 || i.start_seconds >= i.end_seconds) {
      return Status(ErrorCode::invalid_argument, "working-hours interval must satisfy 00:00 <= start < end <= 24:00");
    }
    if (i.start_seconds < previous_end) {
      return Status(ErrorCode::invalid_argument, "working-hours intervals must be sorted and must not overlap");
    }
    previous_end = i.end_seconds;
    total += i.end_seconds - i.start_seconds;
  }
  hours_ = std::move(hours);
  seconds_per_day_ = total;
  return {};
}

Status BusinessCalendar::set_utc_offset_minutes(int minutes) {
  if (minutes < -18 * 60 || minutes > 18 * 60) {
    return Status(ErrorCode::invalid_argument, "UTC offset must be within ±18:00");
  }
  offset_minutes_ = minutes;
  return {};
}

Status BusinessCalendar::add_holiday(Date d) {
  if (contains(working_days_, d)) {
    return Status(ErrorCode::invalid_argument, d.to_string() + " is already a declared working day");
  }
  insert_sorted(holidays_, d);
  return {};
}

Status BusinessCalendar::add_working_day(Date d) {
  if (contains(holidays_, d)) {
    return Status(ErrorCode::invalid_argument, d.to_string() + " is already a declared holiday");
  }
  insert_sorted(working_days_, d);
  return {};
}

bool BusinessCalendar::is_working_day(Date d) const noexcept {
  if (contains(working_days_, d)) return true;
  if (contains(holidays_, d)) return false;
  return (weekmask_ >> (d.iso_weekday() - 1)) & 1;
}

bool BusinessCalendar::is_working_time(Instant t) const noexcept {
  if (!is_working_day(t.date(offset_minutes_))) return false;
  const int s = t.seconds_of_day(offset_minutes_);
  for (const Interval& i : hours_) {
    if (s >= i.start_seconds && s < i.end_seconds) return true;
  }
  return false;
}

int BusinessCalendar::working_seconds_before(int s) const noexcept {
  int total = 0;
  for (const Interval& i : hours_) {
    if (s <= i.start_seconds) break;
    total += std::min(s, i.end_seconds) - i.start_seconds;
  }
  return total;
}

std::int64_t BusinessCalendar::count_working_days(Date first, Date last) const noexcept {
  if (last <= first) return 0;
  const std::int64_t n = last - first;
  std::int64_t count = n / 7 * std::popcount(static_cast<unsigned>(weekmask_));
  for (Date d = first + static_cast<int>(n / 7 * 7); d < last; d = d + 1) {
    count += (weekmask_ >> (d.iso_weekday() - 1)) & 1;
  }
  // Exceptions: holidays on mask days are off; working days off the mask are on.
  for (auto it = std::lower_bound(holidays_.begin(), holidays_.end(), first);
       it != holidays_.end() && *it < last; ++it) {
    count -= (weekmask_ >> (it->iso_weekday() - 1)) & 1;
  }
  for (auto it = std::lower_bound(working_days_.begin(), working_days_.end(), first);
       it != working_days_.end() && *it < last; ++it) {
    count += !((weekmask_ >> (it->iso_weekday() - 1)) & 1);
  }
  return count;
}

Duration BusinessCalendar::business_duration(Instant from, Instant to) const noexcept {
  if (to <= from) return Duration(0);
  const std::int64_t shift = static_cast<std::int64_t>(offset_minutes_) * 60;
  const std::int64_t lf = from.unix_seconds() + shift;
  const std::int64_t lt = to.unix_seconds() + shift;
  const Date day_from(static_cast<std::int32_t>(floor_div(lf, 86400)));
  const Date day_to(static_cast<std::int32_t>(floor_div(lt, 86400)));
  const int sod_from = static_cast<int>(lf - static_cast<std::int64_t>(day_from.days_since_epoch()) * 86400);
  const int sod_to = static_cast<int>(lt - static_cast<std::int64_t>(day_to.days_since_epoch()) * 86400);
  if (day_from == day_to) {
    if (!is_working_day(day_from)) return Duration(0);
    return Duration(working_seconds_before(sod_to) - working_seconds_before(sod_from));
  }
  std::int64_t total = 0;
  if (is_working_day(day_from)) total += seconds_per_day_ - working_seconds_before(sod_from);
  total += count_working_days(day_from + 1, day_to) * seconds_per_day_;
  if (is_working_day(day_to)) total += working_seconds_before(sod_to);
  return Duration(total);
}

Result<Instant> BusinessCalendar::add_business_time(Instant from, Duration amount) const {
  if (amount.count() < 0) return Status(ErrorCode::invalid_argument, "business time to add must not be negative");
  if (amount.count() == 0) return from;
  if (seconds_per_day_ == 0 || (weekmask_ == 0 && working_days_.empty())) {
    return Status(ErrorCode::invalid_argument, "calendar '" + name_ + "' has no working time");
  }
  const std::int64_t shift = static_cast<std::int64_t>(offset_minutes_) * 60;
  const std::int64_t local = from.unix_seconds() + shift;
  Date day(static_cast<std::int32_t>(floor_div(local, 86400)));
  int sod = static_cast<int>(local - static_cast<std::int64_t>(day.days_since_epoch()) * 86400);
  std::int64_t remaining = amount.count();
  // Whole days are skipped one at a time; at most ~100 years of days.
  for (int guard = 0; guard < 36600 * 2; ++guard) {
    if (is_working_day(day)) {
      const int available = seconds_per_day_ - working_seconds_before(sod);
      if (remaining <= available) {
        for (const Interval& i : hours_) {
          const int start = std::max(i.start_seconds, sod);
          if (start >= i.end_seconds) continue;
          if (remaining <= i.end_seconds - start) {
            const std::int64_t at = static_cast<std::int64_t>(day.days_since_epoch()) * 86400 + start + remaining;
            return Instant::from_unix_seconds(at - shift);
          }
          remaining -= i.end_seconds - start;
        }
      }
      remaining -= available;
    }
    day = day + 1;
    sod = 0;
  }
  return Status(ErrorCode::invalid_argument, "business time to add reaches beyond the calendar's range");
}

}  // namespace dealflow
