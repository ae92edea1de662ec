// Helpers shared by the report's chart translation units (chart_bar.cpp,
// chart_line.cpp, chart_hist.cpp, chart_heat.cpp, chart_waterfall.cpp,
// chart_multiples.cpp). Not API.
//
// The layout every chart follows (user units, the SVG is kChartWidth wide):
//   - the title at the top left (kTitleSize, bold, cut with fit_text);
//   - the legend below it when there is more than one series (swatch + name,
//     wrapped onto rows);
//   - the value-axis label written horizontally above the plot area's top left
//     corner (not rotated: readable, and its box is easy to keep inside);
//   - the plot area; tick labels outside it (left / below);
//   - the x-axis label centred under the tick labels.
// Nothing is drawn outside [0, width] × [0, height]: every text is cut with
// fit_text to the room it has. Text boxes are taken as [baseline − kAscent·size,
// baseline + kDescent·size] vertically.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/report/chart.h"
#include "dealflow/report/svg.h"

namespace dealflow::report::chart_detail {

inline constexpr double kTitleSize = 15;  // chart title
inline constexpr double kLabelSize = 12;  // axis labels, category labels, legend
inline constexpr double kTickSize = 11;   // tick labels, bar labels, reference-line labels
inline constexpr double kAscent = 0.8;    // of the font size, above the baseline (over-estimated)
inline constexpr double kDescent = 0.25;  // below the baseline
inline constexpr double kPad = 8;         // outer margin and small gaps
inline constexpr std::string_view kAxisColour = "#444";
inline constexpr std::string_view kGridColour = "#ddd";
inline constexpr std::string_view kRefColour = "#222";

// An axis-aligned box in user units.
struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
};

// kPalette[i % 8] (series i's colour).
std::string_view series_colour(std::size_t i);

// The height of one text line of `font_size` (ascent + descent + 4).
double line_height(double font_size);

// The title, top left at (kPad, kPad), cut to `width` − 2·kPad. Returns the y
// below it (where the next element may start).
double draw_title(SvgBuilder& svg, std::string_view title, double width);

// The legend: a swatch and the name per series, rows wrapped to `width` −
// 2·kPad, starting at y `top`. Draws nothing and returns `top` when fewer than
// two names; otherwise returns the y below the legend. legend_height() is the
// same height without drawing (for layout before drawing).
double legend_height(const std::vector<std::string>& names, double width);
double draw_legend(SvgBuilder& svg, const std::vector<std::string>& names, double top, double width);

// Ticks of a numeric axis and how their labels are written.
struct AxisTicks {
  std::vector<double> values;  // nice_ticks
  int decimals = 0;            // from the step (0.2 -> 1, 0.05 -> 2; percent: of the percentage)
  bool percent = false;        // values are fractions written as "40 %"
  double lo() const { return values.empty() ? 0 : values.front(); }
  double hi() const { return values.empty() ? 1 : values.back(); }
};
// nice_ticks(lo, hi, max_ticks) with the decimals their step needs. Non-finite
// bounds are treated as 0 (and 1 for hi).
AxisTicks make_ticks(double lo, double hi, int max_ticks, bool percent = false);
// A tick label: format_number / format_percent with the ticks' decimals, cut
// with fit_text to kMaxTickLabel at kTickSize (so margins stay bounded).
inline constexpr double kMaxTickLabel = 120;
std::string tick_text(const AxisTicks& ticks, double value);
// The widest tick label at kTickSize (≤ kMaxTickLabel).
double tick_label_width(const AxisTicks& ticks);

// A horizontal value axis under `plot`: the axis line along plot.y1, a small
// tick and a label (kTickSize, centred, below) per tick, and a light vertical
// grid line across the plot when `grid`. Labels whose box would leave
// [0, svg_width] are shifted inside.
void draw_x_value_axis(SvgBuilder& svg, const Box& plot, const LinearScale& x, const AxisTicks& ticks,
                       bool grid);
// A vertical value axis left of `plot`: the axis line along plot.x0, a tick and a
// right-aligned label (kTickSize) per tick, and a light horizontal grid line when
// `grid`.
void draw_y_value_axis(SvgBuilder& svg, const Box& plot, const LinearScale& y, const AxisTicks& ticks,
                       bool grid);
// The room the x value axis takes below the plot (tick + label): kTickSize line.
double x_axis_height();

// The x-axis label centred under the plot at baseline `baseline`, cut to
// [kPad, svg_width − kPad].
void draw_x_label(SvgBuilder& svg, const Box& plot, double baseline, std::string_view label,
                  double svg_width);
// The y (value) axis label written horizontally, left-aligned at x = kPad with
// baseline `baseline` (put it just above the plot), cut to svg_width − 2·kPad.
void draw_y_label(SvgBuilder& svg, double baseline, std::string_view label, double svg_width);

// A dashed reference line with its label. Vertical at x = `at` (label at the
// top of the plot, beside the line, inside the plot box) or horizontal at y =
// `at` (label at the right end, above the line). Out-of-box positions are not
// drawn. `row` staggers the labels of several lines (0, 1, 2, ...).
void draw_vertical_ref(SvgBuilder& svg, const Box& plot, double at, std::string_view label, int row = 0);
void draw_horizontal_ref(SvgBuilder& svg, const Box& plot, double at, std::string_view label, int row = 0);

// A text of `font_size` at (x, baseline) with `anchor`, cut so that its box stays
// within [lo, hi] horizontally; if even "…" does not fit, nothing is drawn.
void draw_fitted_text(SvgBuilder& svg, double x, double baseline, std::string_view text, double font_size,
                      std::string_view anchor, double lo, double hi, std::string_view cls = {});

// A table cell for a value: "—" when not finite, else format_number(value,
// decimals) or, when `percent`, format_percent(value, decimals).
std::string table_value(double value, int decimals, bool percent = false);

// True when every value is non-finite (or there are none).
bool all_missing(const std::vector<double>& values);

}  // namespace dealflow::report::chart_detail
