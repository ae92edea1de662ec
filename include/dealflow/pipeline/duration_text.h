// dealflow/pipeline/duration_text.h: durations as written in pipeline configs.
//
// Config durations (SLA limits, timed-move delays, escalation times) are strings
// of one or more "<integer><unit>" parts, units w (7 days), d (24 h), h, m, s:
// "8h", "90m", "1h30m", "3d", "2w". With business time basis only h, m and s
// are accepted, because the length of a business day depends on the calendar
// (write "24h" for three 8-hour working days). The result must be > 0 and at
// most kMaxConfigDuration.
//
// Thread-safety: pure functions.
//
// Example:
//   auto d = dealflow::parse_duration_text("1h30m", dealflow::TimeBasis::business);
//   assert(d && *d == std::chrono::minutes(90));
//   assert(dealflow::format_duration_text(*d) == "1h30m");
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow {

// The longest SLA limit, timed-move delay or escalation time: 2^32 - 1 seconds
// (about 136 years), the span of the history's u32 time offsets. Bounding it
// keeps "entry instant + delay" far from int64 overflow, and a timer due later
// could never be recorded anyway.
inline constexpr Duration kMaxConfigDuration{std::int64_t{0xFFFFFFFF}};

// parse_error naming the text and what was expected.
Result<Duration> parse_duration_text(std::string_view text, TimeBasis basis);
// The shortest form with units d, h, m, s ("3d", "1h30m", "45s"; "0s" for zero).
std::string format_duration_text(Duration d);

}  // namespace dealflow
