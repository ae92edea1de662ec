#include "report/section_parts.h"

#include "dealflow/report/svg.h"

namespace dealflow::report::detail {

Result<std::vector<std::string>> definition_lines(const JsonAt& root) {
  std::vector<std::string> out;
  auto definition = root.optional_member("definition");
  if (!definition) return definition.status();
  if (!*definition || !(*definition)->node().is_object()) return out;
  auto lines = (*definition)->optional_member("lines");
  if (!lines) return lines.status();
  if (!*lines) return out;
  auto elements = (*lines)->elements();
  if (!elements) return elements.status();
  for (const auto& line : *elements) {
    auto text = line.as_string();
    if (!text) return text.status();
    out.push_back(std::move(*text));
  }
  return out;
}

std::string joined_lines(const std::vector<std::string>& lines,
                         std::initializer_list<std::string_view> prefixes) {
  std::string out;
  for (const auto& line : lines) {
    for (std::string_view prefix : prefixes) {
      if (std::string_view(line).substr(0, prefix.size()) == prefix) {
        if (!out.empty()) out += "; ";
        out += line;
        break;
      }
    }
  }
  return out;
}

std::string heading(std::string_view text) {
  return "<h3>" + escape_xml(text) + "</h3>\n";
}

std::string definitions_html(std::string_view document, const std::vector<std::string>& lines) {
  if (lines.empty()) return {};
  std::string out =
      "<div class=\"definitions\"><p class=\"note\">Definitions (" + escape_xml(document) + "):</p>\n<ul>\n";
  for (const auto& line : lines) out += "<li>" + escape_xml(line) + "</li>\n";
  return out + "</ul></div>\n";
}

std::string count_text(std::int64_t n) { return format_number(static_cast<double>(n), 0); }

std::string percent_text(const std::optional<double>& fraction) {
  return fraction ? format_percent(*fraction, 1) : "—";
}

}  // namespace dealflow::report::detail
