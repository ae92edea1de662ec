// Checks that a chart draws nothing outside its viewBox: every rect and line
// by its coordinates, every unrotated text by its anchor and text_width (the
// same measure the charts cut labels with). Used by the chart tests.
#pragma once

#include <string>
#include <vector>

#include "dealflow/report/svg.h"
#include "xml_support.h"

namespace chart_bounds {

inline double num(xmlNode* n, const char* name) {
  const std::string v = xml_support::Doc::attr(n, name);
  return v.empty() ? 0 : std::stod(v);
}

// Descriptions of the elements that leave [0, width] × [0, height] (empty when
// none does).
inline std::vector<std::string> outside(const xml_support::Doc& doc) {
  std::vector<std::string> out;
  const auto roots = doc.nodes("/svg:svg");
  if (roots.empty()) return {"no <svg> root"};
  const double width = num(roots[0], "width"), height = num(roots[0], "height");
  const double eps = 0.01;
  auto check = [&](bool ok, const std::string& what) {
    if (!ok) out.push_back(what);
  };
  for (xmlNode* r : doc.nodes("//svg:rect")) {
    const double x = num(r, "x"), y = num(r, "y"), w = num(r, "width"), h = num(r, "height");
    check(
        x >= -eps && y >= -eps && x + w <= width + eps && y + h <= height + eps && w >= 0 && h >= 0,
        "rect " + xml_support::Doc::attr(r, "class") + " at " + std::to_string(x) + "," + std::to_string(y));
  }
  for (xmlNode* l : doc.nodes("//svg:line")) {
    for (const char* a : {"x1", "x2"}) check(num(l, a) >= -eps && num(l, a) <= width + eps, "line x");
    for (const char* a : {"y1", "y2"}) check(num(l, a) >= -eps && num(l, a) <= height + eps, "line y");
  }
  for (xmlNode* t : doc.nodes("//svg:text[not(@transform)]")) {
    const std::string text = xml_support::Doc::text_of(t);
    const double size = num(t, "font-size"), x = num(t, "x"), y = num(t, "y");
    const double w = dealflow::report::text_width(text, size);
    const std::string anchor = xml_support::Doc::attr(t, "text-anchor");
    const double x0 = anchor == "middle" ? x - w / 2 : anchor == "end" ? x - w : x;
    check(x0 >= -eps && x0 + w <= width + eps && y - 0.8 * size >= -eps && y + 0.25 * size <= height + eps,
          "text '" + text + "' at " + std::to_string(x) + "," + std::to_string(y));
  }
  return out;
}

}  // namespace chart_bounds
