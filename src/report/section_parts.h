// src/report/section_parts.h (private to the report module): pieces the
// report's sections share: the definition lines of an input document, headings
// and lists of definitions as well-formed XHTML, and the unit names of amounts.
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

#include <initializer_list>
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

}  // namespace dealflow::report::detail
