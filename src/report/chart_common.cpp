// Layout helpers shared by the charts (chart_common.h).
#include "report/chart_common.h"

#include <algorithm>
#include <cmath>

namespace dealflow::report::chart_detail {
namespace {

constexpr double kSwatch = 10;     // legend swatch side
constexpr double kSwatchGap = 4;   // swatch to name
constexpr double kLegendGap = 16;  // between legend items
constexpr double kTickLength = 4;

// Legend item widths (swatch + gap + name, names cut to the row width).
std::vector<double> item_widths(const std::vector<std::string>& names, double row_width) {
  std::vector<double> out;
  for (const std::string& name : names) {
    const double room = std::max(0.0, row_width - kSwatch - kSwatchGap);
    out.push_back(kSwatch + kSwatchGap + text_width(fit_text(name, kLabelSize, room), kLabelSize));
  }
  return out;
}

// Row index per legend item when wrapped to `row_width`.
std::vector<int> legend_rows(const std::vector<double>& widths, double row_width) {
  std::vector<int> rows;
  int row = 0;
  double used = 0;
  for (const double w : widths) {
    if (used > 0 && used + kLegendGap + w > row_width) ++row, used = 0;
    used += (used > 0 ? kLegendGap : 0) + w;
    rows.push_back(row);
  }
  return rows;
}

}  // namespace

std::string_view series_colour(std::size_t i) {
  return kPalette[i % kPalette.size()];
}

double line_height(double font_size) {
  return (kAscent + kDescent) * font_size + 4;
}

double draw_title(SvgBuilder& svg, std::string_view title, double width) {
  const double baseline = kPad + kAscent * kTitleSize;
  draw_fitted_text(svg, kPad, baseline, title, kTitleSize, "start", kPad, width - kPad, "title");
  return kPad + line_height(kTitleSize);
}

double legend_height(const std::vector<std::string>& names, double width) {
  if (names.size() < 2) return 0;
  const double row_width = width - 2 * kPad;
  const std::vector<int> rows = legend_rows(item_widths(names, row_width), row_width);
  return (rows.back() + 1) * line_height(kLabelSize) + 4;
}

double draw_legend(SvgBuilder& svg, const std::vector<std::string>& names, double top, double width) {
  if (names.size() < 2) return top;
  const double row_width = width - 2 * kPad;
  const std::vector<double> widths = item_widths(names, row_width);
  const std::vector<int> rows = legend_rows(widths, row_width);
  double x = kPad;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0 && rows[i] != rows[i - 1]) x = kPad;
    const double row_top = top + rows[i] * line_height(kLabelSize);
    const double baseline = row_top + kAscent * kLabelSize;
    svg.rect(x, baseline - kSwatch, kSwatch, kSwatch, series_colour(i), "legend-swatch");
    const double text_x = x + kSwatch + kSwatchGap;
    draw_fitted_text(svg, text_x, baseline, names[i], kLabelSize, "start", text_x, width - kPad, "legend");
    x += widths[i] + kLegendGap;
  }
  return top + legend_height(names, width);
}

AxisTicks make_ticks(double lo, double hi, int max_ticks, bool percent) {
  AxisTicks out;
  out.percent = percent;
  if (!std::isfinite(lo)) lo = 0;
  if (!std::isfinite(hi)) hi = std::max(lo, 1.0);
  out.values = nice_ticks(lo, hi, max_ticks);
  if (out.values.size() >= 2) {
    double step = out.values[1] - out.values[0];
    if (percent) step *= 100;
    // A step too large or too small for a double (ticks at ±1e308) has no decimals to show;
    // clamp before the cast (a double outside int's range is undefined behaviour).
    const double wanted = std::isfinite(step) && step > 0 ? std::ceil(-std::log10(step) - 1e-9) : 0.0;
    out.decimals = static_cast<int>(std::clamp(wanted, 0.0, 12.0));
  }
  return out;
}

std::string tick_text(const AxisTicks& ticks, double value) {
  return fit_text(
      ticks.percent ? format_percent(value, ticks.decimals) : format_number(value, ticks.decimals), kTickSize,
      kMaxTickLabel);
}

double tick_label_width(const AxisTicks& ticks) {
  double w = 0;
  for (const double v : ticks.values) w = std::max(w, text_width(tick_text(ticks, v), kTickSize));
  return w;
}

double x_axis_height() {
  return kTickLength + 2 + line_height(kTickSize);
}

void draw_x_value_axis(SvgBuilder& svg, const Box& plot, const LinearScale& x, const AxisTicks& ticks,
                       bool grid) {
  const double baseline = plot.y1 + kTickLength + 2 + kAscent * kTickSize;
  for (const double v : ticks.values) {
    const double px = x(v);
    if (grid) svg.line(px, plot.y0, px, plot.y1, kGridColour, 1, "grid");
    svg.line(px, plot.y1, px, plot.y1 + kTickLength, kAxisColour, 1, "tick");
    // Centred under the tick, shifted inside the viewBox at the ends.
    const std::string label = tick_text(ticks, v);
    const double half = text_width(label, kTickSize) / 2;
    const double cx = std::clamp(px, half + 1, std::max(half + 1, svg.width() - half - 1));
    svg.text(cx, baseline, label, kTickSize, "middle", "tick-label");
  }
  svg.line(plot.x0, plot.y1, plot.x1, plot.y1, kAxisColour, 1, "axis");
}

void draw_y_value_axis(SvgBuilder& svg, const Box& plot, const LinearScale& y, const AxisTicks& ticks,
                       bool grid) {
  for (const double v : ticks.values) {
    const double py = y(v);
    if (grid) svg.line(plot.x0, py, plot.x1, py, kGridColour, 1, "grid");
    svg.line(plot.x0 - kTickLength, py, plot.x0, py, kAxisColour, 1, "tick");
    const double baseline = py + (kAscent - kDescent) * kTickSize / 2;
    draw_fitted_text(svg, plot.x0 - kTickLength - 2, baseline, tick_text(ticks, v), kTickSize, "end", 0,
                     plot.x0, "tick-label");
  }
  svg.line(plot.x0, plot.y0, plot.x0, plot.y1, kAxisColour, 1, "axis");
}

void draw_x_label(SvgBuilder& svg, const Box& plot, double baseline, std::string_view label,
                  double svg_width) {
  if (label.empty()) return;
  const std::string text = fit_text(label, kLabelSize, svg_width - 2 * kPad);
  const double half = text_width(text, kLabelSize) / 2;
  const double cx =
      std::clamp((plot.x0 + plot.x1) / 2, kPad + half, std::max(kPad + half, svg_width - kPad - half));
  svg.text(cx, baseline, text, kLabelSize, "middle", "axis-label");
}

void draw_y_label(SvgBuilder& svg, double baseline, std::string_view label, double svg_width) {
  if (label.empty()) return;
  draw_fitted_text(svg, kPad, baseline, label, kLabelSize, "start", kPad, svg_width - kPad, "axis-label");
}

void draw_vertical_ref(SvgBuilder& svg, const Box& plot, double at, std::string_view label, int row) {
  if (!std::isfinite(at) || at < plot.x0 - 0.01 || at > plot.x1 + 0.01) return;
  svg.line(at, plot.y0, at, plot.y1, kRefColour, 1.5, "ref", "5 3");
  if (label.empty()) return;
  const double baseline = plot.y0 + kAscent * kTickSize + 2 + row * line_height(kTickSize);
  // Right of the line when it fits, else left of it.
  const double right_room = plot.x1 - (at + 4);
  if (text_width(label, kTickSize) <= right_room || right_room >= (at - 4) - plot.x0) {
    draw_fitted_text(svg, at + 4, baseline, label, kTickSize, "start", at + 4, plot.x1, "ref-label");
  } else {
    draw_fitted_text(svg, at - 4, baseline, label, kTickSize, "end", plot.x0, at - 4, "ref-label");
  }
}

void draw_horizontal_ref(SvgBuilder& svg, const Box& plot, double at, std::string_view label, int row) {
  if (!std::isfinite(at) || at < plot.y0 - 0.01 || at > plot.y1 + 0.01) return;
  svg.line(plot.x0, at, plot.x1, at, kRefColour, 1.5, "ref", "5 3");
  if (label.empty()) return;
  double baseline = at - 3 - kDescent * kTickSize - row * line_height(kTickSize);
  if (baseline - kAscent * kTickSize < plot.y0) baseline = at + 3 + kAscent * kTickSize;  // below the line
  draw_fitted_text(svg, plot.x1 - 2, baseline, label, kTickSize, "end", plot.x0, plot.x1 - 2, "ref-label");
}

void draw_fitted_text(SvgBuilder& svg, double x, double baseline, std::string_view text, double font_size,
                      std::string_view anchor, double lo, double hi, std::string_view cls) {
  double room = 0;
  if (anchor == "middle") {
    room = 2 * std::min(x - lo, hi - x);
  } else if (anchor == "end") {
    room = x - lo;
  } else {
    room = hi - x;
  }
  if (room <= 0) return;
  const std::string fitted = fit_text(text, font_size, room);
  if (fitted.empty()) return;
  svg.text(x, baseline, fitted, font_size, anchor, cls);
}

std::string table_value(double value, int decimals, bool percent) {
  if (!std::isfinite(value)) return "\u2014";
  return percent ? format_percent(value, decimals) : format_number(value, decimals);
}

bool all_missing(const std::vector<double>& values) {
  return std::none_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

}  // namespace dealflow::report::chart_detail
