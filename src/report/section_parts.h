// src/report/section_parts.h (private to the report module): pieces the
// report's sections share: the definition lines of an input document, headings
// and lists of definitions as well-formed XHTML, the unit names of amounts, and the
// text of a count or a percent in a table.
//
// Thread-safety: pure functions.
//
// Example:
//   auto lines = definition_lines(root);  // root: JsonAt of plan.json
//   if (!lines) return lines.status();
//   html += heading("Plan against fact");
//   html += figure(chart, joined_lines(*lines, {"attainment =", "pacing on"}));
//   html += definitions_html("plan.json", *lines);
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/json_read.h"

namespace dealflow::report::detail {

// The strings of /definition/lines (absent: none; any other shape is an error).
Result<std::vector<std::string>> definition_lines(const JsonAt& root);
// The lines that start with one of `prefixes`, joined with "; " (in line order).
std::string joined_lines(const std::vector<std::string>& lines,
                         std::initializer_list<std::string_view> prefixes);
// <h3> with escaped text.
std::string heading(std::string_view text);
// The definition lines of a document as a list under the charts drawn from it:
// <div class="definitions"><p class="note">From plan.json:</p><ul><li>...</li></ul></div>.
std::string definitions_html(std::string_view document, const std::vector<std::string>& lines);

// A figure the input leaves null: drawn as a gap, shown as "—".
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// A count as the tables show it, digits grouped: "1 234".
std::string count_text(std::int64_t n);
// A fraction as a percent with one decimal ("37.5%"); "—" when null.
std::string percent_text(const std::optional<double>& fraction);

}  // namespace dealflow::report::detail
