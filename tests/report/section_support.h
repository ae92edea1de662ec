// Helpers of the section tests: the small hand-made JSON fixtures of
// tests/report/fixtures/ and a section's HTML read back with libxml2.
//
// Example:
//   Json plan = section_support::fixture("plan_small.json");
//   auto section = dealflow::report::planning_section(&plan, nullptr, nullptr);
//   auto page = section_support::parse_section(*section);
//   EXPECT_EQ(section_support::marks(page, 1), 6);           // data marks of the first figure
//   EXPECT_EQ(section_support::row(page, 1, 1)[1], "1 000 000.00");  // its table, row 1
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dealflow/io/json.h"
#include "dealflow/report/document.h"
#include "xml_support.h"

namespace section_support {

inline dealflow::Json fixture(const std::string& name) {
  auto doc = dealflow::load_json_file(std::string(DEALFLOW_SOURCE_DIR) + "/tests/report/fixtures/" + name);
  EXPECT_TRUE(doc.ok()) << doc.status().to_string();
  return doc.ok() ? *doc : dealflow::Json();
}

// The section's body inside one XHTML element (the page puts it in <section>).
inline xml_support::Doc parse_section(const dealflow::report::Section& section) {
  return xml_support::parse("<section xmlns=\"http://www.w3.org/1999/xhtml\" id=\"" + section.id + "\">" +
                            section.html + "</section>");
}

inline std::string nth_figure(int figure) {
  return "(//h:figure)[" + std::to_string(figure) + "]";
}

inline int figures(const xml_support::Doc& page) {
  return page.count("//h:figure");
}

// Data marks (class "mark ...") of the n-th figure (1-based).
inline int marks(const xml_support::Doc& page, int figure) {
  return page.count(nth_figure(figure) + "//svg:*[contains(concat(' ', @class, ' '), ' mark ')]");
}

// The cells of row `r` (1-based) of the table under the n-th figure.
inline std::vector<std::string> row(const xml_support::Doc& page, int figure, int r) {
  return page.texts(nth_figure(figure) + "//h:table/h:tbody/h:tr[" + std::to_string(r) + "]/h:td");
}
inline int rows(const xml_support::Doc& page, int figure) {
  return page.count(nth_figure(figure) + "//h:table/h:tbody/h:tr");
}
inline std::string caption(const xml_support::Doc& page, int figure) {
  auto texts = page.texts(nth_figure(figure) + "//h:table/h:caption");
  return texts.empty() ? "" : texts[0];
}
inline std::string definition(const xml_support::Doc& page, int figure) {
  auto texts = page.texts(nth_figure(figure) + "/h:p[@class='definition']");
  return texts.empty() ? "" : texts[0];
}

// Thin space (U+2009) as the charts write thousands, and the minus sign.
inline constexpr const char* kThin = "\u2009";
inline constexpr const char* kNbsp = "\u00A0";

// "1 000 000.00" with the thin spaces the report writes.
inline std::string t(std::string text) {
  for (std::size_t p; (p = text.find(' ')) != std::string::npos;) text.replace(p, 1, "\u2009");
  return text;
}
// "45.0 %" with the no-break space before the sign.
inline std::string pct(const std::string& number) {
  return number + "\u00A0%";
}
// "−1 234.05" -> "-1234.05".
inline std::string plain(std::string text) {
  for (std::size_t p; (p = text.find("\u2009")) != std::string::npos;) text.erase(p, 3);
  for (std::size_t p; (p = text.find("\u2212")) != std::string::npos;) text.replace(p, 3, "-");
  return text;
}
// Minor units as "units.cc" by integer division ("-12.05"): the oracle the
// table cells are compared with (after plain()). Exact for every int64.
inline std::string minor_text(std::int64_t minor) {
  const bool negative = minor < 0;
  const std::uint64_t m =
      negative ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  std::string cents = std::to_string(m % 100);
  if (cents.size() < 2) cents.insert(0, "0");
  return (negative ? "-" : "") + std::to_string(m / 100) + "." + cents;
}

}  // namespace section_support
