// Helpers shared by the funnel's translation units (funnel.cpp: plan and
// counting; funnel_finish.cpp: rates and rows). Not API.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace dealflow::analytics::funnel_detail {

// "YYYY-MM" of a month index (year * 12 + month - 1).
inline std::string month_key(std::int32_t index) {
  const int y = index / 12, m = index % 12 + 1;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  return buf;
}

// slot += v, setting `overflow` instead of wrapping.
inline void add_checked(std::int64_t& slot, std::int64_t v, bool& overflow) noexcept {
  if (__builtin_add_overflow(slot, v, &slot)) overflow = true;
}

}  // namespace dealflow::analytics::funnel_detail
