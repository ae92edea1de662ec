#include "dealflow/pipeline/duration_text.h"

#include <cstdint>
#include <limits>

namespace dealflow {

namespace {

std::string too_long_text() {
  return "longer than the maximum " + std::to_string(kMaxConfigDuration.count()) +
         "s (about 136 years, the time span of the history)";
}

}  // namespace

Result<Duration> parse_duration_text(std::string_view text, TimeBasis basis) {
  auto fail = [&](std::string why) {
    return Status(ErrorCode::parse_error, "invalid duration '" + std::string(text) + "': " + why);
  };
  if (text.empty()) return fail("expected e.g. \"8h\", \"90m\", \"1h30m\", \"3d\"");
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t n = 0;
    const std::size_t digits_begin = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (n > (std::numeric_limits<std::int64_t>::max() - 9) / 10) return fail(too_long_text());
      n = n * 10 + (text[i] - '0');
      ++i;
    }
    if (i == digits_begin)
      return fail("expected a number at position " + std::to_string(i + 1) +
                  " (e.g. \"8h\", \"90m\", \"1h30m\", \"3d\")");
    if (i == text.size()) return fail("missing unit after " + std::to_string(n) + " (one of w, d, h, m, s)");
    std::int64_t unit = 0;
    switch (text[i]) {
      case 'w':
        unit = 7 * 86400;
        break;
      case 'd':
        unit = 86400;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'm':
        unit = 60;
        break;
      case 's':
        unit = 1;
        break;
      default:
        return fail(std::string("unknown unit '") + text[i] + "' (expected one of w, d, h, m, s)");
    }
    if (basis == TimeBasis::business && unit >= 86400) {
      return fail(
          "days and weeks are not business time (a working day's length depends on the calendar): "
          "give hours, e.g. \"24h\" for three 8-hour working days, or use \"basis\": \"calendar\"");
    }
    ++i;
    if (n > (std::numeric_limits<std::int64_t>::max() - total) / unit) return fail(too_long_text());
    total += n * unit;
  }
  if (total <= 0) return fail("must be greater than zero");
  if (total > kMaxConfigDuration.count()) return fail(too_long_text());
  return Duration(total);
}

std::string format_duration_text(Duration d) {
  std::int64_t s = d.count();
  if (s == 0) return "0s";
  std::string out;
  if (s < 0) {
    out = "-";
    s = -s;
  }
  const std::int64_t units[] = {86400, 3600, 60, 1};
  const char names[] = {'d', 'h', 'm', 's'};
  for (int k = 0; k < 4; ++k) {
    if (s >= units[k]) {
      out += std::to_string(s / units[k]) + names[k];
      s %= units[k];
    }
  }
  return out;
}

}  // namespace dealflow
