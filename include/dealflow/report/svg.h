// dealflow/report/svg.h: the small SVG toolkit the report's charts are drawn
// with: XML escaping, deterministic number formatting, linear scales with round
// ticks, text measured in the report's font (Latin and Cyrillic), and the
// colour-blind-safe palette.
//
// Everything here is a pure function or a value type; no locale, no clock, no
// global state: the same calls give the same bytes (the report is diffable).
// Coordinates are SVG user units (CSS pixels at 100 %).
//
// Thread-safety: pure functions; SvgBuilder is a value (one per thread).
//
// Example:
//   dealflow::report::LinearScale x{0, 1250, 0, 400};
//   auto ticks = dealflow::report::nice_ticks(0, 1250, 6);  // 0, 500, 1000, 1500
//   dealflow::report::SvgBuilder svg(640, 240, "Deals per stage");
//   svg.rect(10, 20, x(840), 14, dealflow::report::kPalette[0], "mark bar");
//   svg.text(12, 32, "Квалификация", 12);
//   std::string markup = std::move(svg).finish();
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace dealflow::report {

// &, <, >, " and ' escaped; invalid UTF-8 bytes replaced with U+FFFD, so the
// result is always well-formed XML text or attribute content.
std::string escape_xml(std::string_view text);

// A coordinate or length with at most 2 decimals, no trailing zeros, no
// exponent, "-0" written as "0" ("12.5", "3", "-0.25").
std::string format_coord(double value);

// A number for a label: thousands separated by a thin space (U+2009), at most
// `decimals` decimals with trailing zeros kept ("1 250", "0.25", "12.0").
std::string format_number(double value, int decimals = 0);
// A fraction in [0, 1] as a percentage with `decimals` decimals ("37.5 %").
std::string format_percent(double fraction, int decimals = 1);

// Width in user units of `text` set in the report's sans-serif font (the CSS
// stack "DejaVu Sans, Arial, sans-serif") at `font_size`: per-code-point
// advance widths for ASCII, Latin-1, Cyrillic and common punctuation (read from
// DejaVuSans.ttf, plus 5 %), 1 em for East Asian wide characters, 0 for
// combining marks, 0.6 em for anything else. Over-estimates rather than
// under-estimates.
double text_width(std::string_view utf8, double font_size);
// `text` cut to at most `max_width` (whole code points) with "…" appended when
// it was cut.
std::string fit_text(std::string_view utf8, double font_size, double max_width);

// Okabe–Ito, distinguishable with every common colour-vision deficiency;
// charts take colours in this order.
inline constexpr std::array<std::string_view, 8> kPalette = {
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"};
// A sequential colour for a share in [0, 1] (light to dark blue), for heat maps.
std::string sequential_colour(double share);

// domain [d0, d1] -> range [r0, r1]; d0 == d1 maps everything to r0.
struct LinearScale {
  double d0 = 0, d1 = 1, r0 = 0, r1 = 1;
  double operator()(double value) const;
};

// Round tick values covering [lo, hi]: steps of 1, 2 or 5 × 10^k, at most
// `max_ticks` ticks (clamped to [2, 1000]; 3 at least when lo < 0 < hi, as the
// ticks are multiples of the step), the first ≤ lo and the last ≥ hi (so the
// axis can be extended to them), the smallest such step. lo == hi gives {lo}
// (or {0, 1} when both are 0). Ticks are k·m / 10^e, so 0.1 steps print as
// "0.3", not "0.30000000000000004". A non-finite lo counts as 0, a non-finite hi
// as lo; a range a double cannot step through (wider than DBL_MAX, or under
// 1e-12 of its magnitude) gives {lo, hi}.
std::vector<double> nice_ticks(double lo, double hi, int max_ticks);

// Builds one <svg> element. The root carries xmlns, viewBox="0 0 w h",
// width="w", height="h", role="img", style="max-width:100%;height:auto" and a
// <title> (the accessible name). Shape calls append in order; `cls` goes to the
// class attribute when not empty; `tip` adds a <title> child (the hover text).
class SvgBuilder {
 public:
  SvgBuilder(double width, double height, std::string_view title);

  void rect(double x, double y, double w, double h, std::string_view fill, std::string_view cls = {},
            std::string_view tip = {});
  void line(double x1, double y1, double x2, double y2, std::string_view stroke, double stroke_width = 1,
            std::string_view cls = {}, std::string_view dash = {});
  void circle(double cx, double cy, double r, std::string_view fill, std::string_view cls = {},
              std::string_view tip = {});
  // A polyline through (xs[i], ys[i]); no fill.
  void polyline(const std::vector<double>& xs, const std::vector<double>& ys, std::string_view stroke,
                double stroke_width = 2, std::string_view cls = {}, std::string_view dash = {});
  // A closed polygon (confidence bands).
  void polygon(const std::vector<double>& xs, const std::vector<double>& ys, std::string_view fill,
               double opacity, std::string_view cls = {});
  // anchor: "start", "middle" or "end"; rotate: degrees about (x, y).
  void text(double x, double y, std::string_view content, double font_size, std::string_view anchor = "start",
            std::string_view cls = {}, double rotate = 0, std::string_view fill = "#222");
  // Wraps the shapes added until end_link() in <a href="...">.
  void begin_link(std::string_view href);
  void end_link();

  double width() const { return width_; }
  double height() const { return height_; }
  std::string finish() &&;

 private:
  double width_, height_;
  std::string out_;
  int open_links_ = 0;
};

}  // namespace dealflow::report
