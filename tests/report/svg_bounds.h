// Checks shared by the chart tests: every drawn element of an SVG inside its
// viewBox, marks counted by class. Uses xml_support.h.
#pragma once

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dealflow/report/svg.h"
#include "report/xml_support.h"

namespace svg_bounds {

// A missing value in a chart spec.
inline const double kNaN = std::nan("");

inline double num(xmlNode* n, const char* name) {
  return std::strtod(xml_support::Doc::attr(n, name).c_str(), nullptr);
}

// The attribute as a number; std::invalid_argument (the test fails) when it is missing or not one.
inline double exact_num(xmlNode* n, const char* name) {
  return std::stod(xml_support::Doc::attr(n, name));
}

// The elements (one message each) whose box leaves the root's viewBox
// "0 0 w h". Text boxes: [x, x + width] by anchor, [y − 0.8·size, y + 0.25·size],
// width from text_width (the same measurement the charts use).
inline std::vector<std::string> outside(const xml_support::Doc& doc) {
  std::vector<std::string> bad;
  const auto roots = doc.nodes("/svg:svg");
  if (roots.size() != 1) return {"no <svg> root"};
  std::istringstream vb(xml_support::Doc::attr(roots[0], "viewBox"));
  double vx = 0, vy = 0, vw = 0, vh = 0;
  vb >> vx >> vy >> vw >> vh;
  const double eps = 0.011;
  const auto check = [&](const std::string& what, double x0, double y0, double x1, double y1) {
    if (!(x0 >= vx - eps && y0 >= vy - eps && x1 <= vx + vw + eps && y1 <= vy + vh + eps)) {
      std::ostringstream m;
      m << what << " box [" << x0 << ", " << y0 << "]-[" << x1 << ", " << y1 << "] outside 0 0 " << vw << " "
        << vh;
      bad.push_back(m.str());
    }
  };
  for (xmlNode* n : doc.nodes("//svg:rect")) {
    const double x = num(n, "x"), y = num(n, "y");
    check("rect", x, y, x + num(n, "width"), y + num(n, "height"));
  }
  for (xmlNode* n : doc.nodes("//svg:line")) {
    const double x1 = num(n, "x1"), y1 = num(n, "y1"), x2 = num(n, "x2"), y2 = num(n, "y2");
    check("line", std::min(x1, x2), std::min(y1, y2), std::max(x1, x2), std::max(y1, y2));
  }
  for (xmlNode* n : doc.nodes("//svg:circle")) {
    const double cx = num(n, "cx"), cy = num(n, "cy"), r = num(n, "r");
    check("circle", cx - r, cy - r, cx + r, cy + r);
  }
  for (xmlNode* n : doc.nodes("//svg:polyline | //svg:polygon")) {
    std::string pts = xml_support::Doc::attr(n, "points");
    for (char& c : pts) c = c == ',' ? ' ' : c;
    std::istringstream in(pts);
    double x = 0, y = 0;
    while (in >> x >> y) check("point", x, y, x, y);
  }
  for (xmlNode* n : doc.nodes("//svg:text")) {
    const std::string content = xml_support::Doc::text_of(n);
    const double size = num(n, "font-size"), x = num(n, "x"), y = num(n, "y");
    const double w = dealflow::report::text_width(content, size);
    const std::string anchor = xml_support::Doc::attr(n, "text-anchor");
    const double x0 = anchor == "middle" ? x - w / 2 : anchor == "end" ? x - w : x;
    if (!xml_support::Doc::attr(n, "transform").empty()) bad.push_back("rotated text '" + content + "'");
    check("text '" + content + "'", x0, y - 0.8 * size, x0 + w, y + 0.25 * size);
  }
  return bad;
}

// Elements whose class list holds both "mark" and `kind`.
inline int marks(const xml_support::Doc& doc, const std::string& kind) {
  return doc.count(
      "//svg:*[contains(concat(' ', @class, ' '), ' mark ') and contains(concat(' ', @class, ' '), ' " +
      kind + " ')]");
}

// One failure per element outside the viewBox.
inline void expect_inside(const xml_support::Doc& doc) {
  for (const std::string& bad : outside(doc)) ADD_FAILURE() << bad;
}

}  // namespace svg_bounds
