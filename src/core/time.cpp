#include "dealflow/core/time.h"

#include <cstdio>

namespace dealflow {
namespace {

struct Civil {
  int year;
  unsigned month;
  unsigned day;
};

constexpr Civil civil_from_days(std::int32_t z) noexcept {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

constexpr bool is_leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr unsigned days_in_month(int y, unsigned m) noexcept {
  constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

Status time_error(std::string_view text, std::string_view what) {
  return Status(ErrorCode::parse_error,
                "invalid timestamp '" + std::string(text) + "': " + std::string(what));
}

// Reads exactly n ASCII digits at s[pos]; false when they are not there.
bool read_digits(std::string_view s, std::size_t pos, std::size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

constexpr std::string_view kExpected =
    "expected ISO 8601 like 2024-03-01, 2024-03-01T10:00:00Z or 2024-03-01T10:00:00+03:00";

}  // namespace

Result<Date> Date::from_ymd(int year, int month, int day) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month))) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return Status(ErrorCode::invalid_argument, std::string("no such date ") + buf);
  }
  return Date(days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)));
}

Result<Date> Date::parse(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || !read_digits(text, 0, 4, &y) || text[4] != '-' ||
      !read_digits(text, 5, 2, &m) || text[7] != '-' || !read_digits(text, 8, 2, &d)) {
    return Status(ErrorCode::parse_error,
                  "invalid date '" + std::string(text) + "': expected YYYY-MM-DD");
  }
  auto date = from_ymd(y, m, d);
  if (!date) {
    return Status(ErrorCode::parse_error, "invalid date '" + std::string(text) + "': " + date.status().message());
  }
  return date;
}

Date Date::from_gregorian(const boost::gregorian::date& d) {
  return Date(days_from_civil(d.year(), d.month(), d.day()));
}

int Date::year() const noexcept { return civil_from_days(days_).year; }
int Date::month() const noexcept { return static_cast<int>(civil_from_days(days_).month); }
int Date::day() const noexcept { return static_cast<int>(civil_from_days(days_).day); }
int Date::iso_weekday() const noexcept {
  // 1970-01-01 was a Thursday (ISO 4).
  const std::int64_t shifted = static_cast<std::int64_t>(days_) + 3;  // Monday-based
  return static_cast<int>(shifted - floor_div(shifted, 7) * 7) + 1;
}
boost::gregorian::date Date::to_gregorian() const {
  const Civil c = civil_from_days(days_);
  return boost::gregorian::date(static_cast<unsigned short>(c.year), static_cast<unsigned short>(c.month),
                                static_cast<unsigned short>(c.day));
}
std::string Date::to_string() const {
  const Civil c = civil_from_days(days_);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.year, c.month, c.day);
  return buf;
}

Instant Instant::from_ptime(const boost::posix_time::ptime& t) {
  const Date d = Date::from_gregorian(t.date());
  return Instant(static_cast<std::int64_t>(d.days_since_epoch()) * 86400 + t.time_of_day().total_seconds());
}

Instant Instant::at_midnight(Date d, int utc_offset_minutes) noexcept {
  return Instant(static_cast<std::int64_t>(d.days_since_epoch()) * 86400 -
                 static_cast<std::int64_t>(utc_offset_minutes) * 60);
}

boost::posix_time::ptime Instant::to_ptime() const {
  const Date d = date(0);
  return boost::posix_time::ptime(d.to_gregorian(), boost::posix_time::seconds(seconds_of_day(0)));
}

Date Instant::date(int utc_offset_minutes) const noexcept {
  const std::int64_t local = s_ + static_cast<std::int64_t>(utc_offset_minutes) * 60;
  return Date(static_cast<std::int32_t>(floor_div(local, 86400)));
}

int Instant::seconds_of_day(int utc_offset_minutes) const noexcept {
  const std::int64_t local = s_ + static_cast<std::int64_t>(utc_offset_minutes) * 60;
  return static_cast<int>(local - floor_div(local, 86400) * 86400);
}

Result<int> parse_utc_offset(std::string_view s) {
  if (s == "Z" || s == "z") return 0;
  int h = 0, m = 0;
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-') || !read_digits(s, 1, 2, &h)) {
    return Status(ErrorCode::parse_error, "invalid UTC offset '" + std::string(s) + "': expected Z, +HH:MM, +HHMM or +HH");
  }
  if (s.size() == 6 && s[3] == ':' && read_digits(s, 4, 2, &m)) {
  } else if (s.size() == 5 && read_digits(s, 3, 2, &m)) {
  } else if (s.size() != 3) {
    return Status(ErrorCode::parse_error, "invalid UTC offset '" + std::string(s) + "': expected Z, +HH:MM, +HHMM or +HH");
  }
  if (h > 18 || m > 59) {
    return Status(ErrorCode::parse_error, "invalid UTC offset '" + std::string(s) + "': out of range");
  }
  const int minutes = h * 60 + m;
  return s[0] == '-' ? -minutes : minutes;
}

Result<Instant> parse_instant(std::string_view text, int default_offset_minutes) {
  int y = 0, mo = 0, d = 0;
  if (text.size() < 10 || !read_digits(text, 0, 4, &y) || text[4] != '-' ||
      !read_digits(text, 5, 2, &mo) || text[7] != '-' || !read_digits(text, 8, 2, &d)) {
    return time_error(text, kExpected);
  }
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(mo))) {
    return time_error(text, "no such date");
  }
  std::int64_t seconds = 0;
  int offset = default_offset_minutes;
  if (text.size() > 10) {
    if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') return time_error(text, kExpected);
    int hh = 0, mm = 0, ss = 0;
    if (!read_digits(text, 11, 2, &hh) || text.size() < 16 || text[13] != ':' || !read_digits(text, 14, 2, &mm)) {
      return time_error(text, kExpected);
    }
    std::size_t pos = 16;
    if (pos < text.size() && text[pos] == ':') {
      if (!read_digits(text, pos + 1, 2, &ss)) return time_error(text, kExpected);
      pos += 3;
      if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
        ++pos;
        const std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
        if (pos == start) return time_error(text, "a fraction of a second needs digits");
      }
    }
    if (hh > 23 || mm > 59 || ss > 59) {
      if (!(hh == 24 && mm == 0 && ss == 0)) return time_error(text, "time of day out of range");
    }
    seconds = hh * 3600 + mm * 60 + ss;
    if (pos < text.size()) {
      auto parsed = parse_utc_offset(text.substr(pos));
      if (!parsed) return time_error(text, parsed.status().message());
      offset = *parsed;
    }
  }
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return Instant::from_unix_seconds(days * 86400 + seconds - static_cast<std::int64_t>(offset) * 60);
}

std::string format_utc_offset(int minutes) {
  if (minutes == 0) return "Z";
  char buf[16];
  const int a = minutes < 0 ? -minutes : minutes;
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", minutes < 0 ? '-' : '+', a / 60, a % 60);
  return buf;
}

std::string format_iso(Instant t) { return format_iso(t, 0); }

std::string format_iso(Instant t, int utc_offset_minutes) {
  const Date d = t.date(utc_offset_minutes);
  const int sod = t.seconds_of_day(utc_offset_minutes);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d", d.to_string().c_str(), sod / 3600, sod / 60 % 60, sod % 60);
  return buf + format_utc_offset(utc_offset_minutes);
}

}  // namespace dealflow
