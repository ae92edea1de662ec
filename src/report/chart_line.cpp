// line_chart (straight or step lines, markers, bands, censoring ticks, reference
// lines) and interval_chart (points with error bars per category).
#include <algorithm>
#include <cmath>

#include "dealflow/report/chart.h"
#include "report/chart_common.h"

namespace dealflow::report {

using namespace chart_detail;

namespace {

constexpr double kMarkerRadius = 3;
constexpr double kCensorHalf = 4;

double at(const std::vector<double>& v, std::size_t i) {
  return i < v.size() ? v[i] : std::nan("");
}

// Runs of consecutive indices where both x and y are finite.
std::vector<std::vector<std::size_t>> finite_runs(const std::vector<double>& xs,
                                                  const std::vector<double>& ys) {
  std::vector<std::vector<std::size_t>> runs(1);
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (std::isfinite(xs[i]) && std::isfinite(at(ys, i))) {
      runs.back().push_back(i);
    } else if (!runs.back().empty()) {
      runs.emplace_back();
    }
  }
  if (runs.back().empty()) runs.pop_back();
  return runs;
}

// The pixel path of one run: straight segments, or a right-continuous step
// function (horizontal to the next x, then vertical).
void run_path(const std::vector<std::size_t>& run, const std::vector<double>& xs,
              const std::vector<double>& ys, bool step, const LinearScale& x, const LinearScale& y,
              const Box& plot, std::vector<double>& px, std::vector<double>& py) {
  const auto clamp_y = [&](double v) { return std::clamp(y(v), plot.y0, plot.y1); };
  for (std::size_t k = 0; k < run.size(); ++k) {
    const std::size_t i = run[k];
    if (step && k > 0) {
      px.push_back(x(xs[i]));
      py.push_back(clamp_y(ys[run[k - 1]]));
    }
    px.push_back(x(xs[i]));
    py.push_back(clamp_y(ys[i]));
  }
}

// The series' value at `cx`: the step function's value (the last x ≤ cx), or the
// straight line's interpolation; NaN outside the data or across a gap.
double value_at(const std::vector<double>& xs, const std::vector<double>& ys, bool step, double cx) {
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double xi = xs[i], yi = at(ys, i);
    if (!std::isfinite(xi) || !std::isfinite(yi)) continue;
    const bool last = i + 1 >= xs.size();
    const double xn = last ? std::nan("") : xs[i + 1], yn = last ? std::nan("") : at(ys, i + 1);
    if (cx == xi) return yi;
    if (cx > xi && (last || !std::isfinite(xn) || !std::isfinite(yn))) {
      return step && last ? yi : std::nan("");  // a step curve holds its last value
    }
    if (cx > xi && cx < xn) return step ? yi : yi + (yn - yi) * (cx - xi) / (xn - xi);
  }
  return std::nan("");
}

void extend(double& lo, double& hi, double v) {
  if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
}

}  // namespace

Chart line_chart(const LineChartSpec& spec) {
  const double width = kChartWidth;
  const std::size_t n_ser = spec.series.size();

  double xlo = INFINITY, xhi = -INFINITY;
  for (const double v : spec.x) extend(xlo, xhi, v);
  for (const RefLine& r : spec.x_refs) extend(xlo, xhi, r.value);
  if (!std::isfinite(xlo)) xlo = 0, xhi = 1;
  double ylo = 0, yhi = 0;
  for (const Series& s : spec.series) {
    for (const double v : s.values) extend(ylo, yhi, v);
  }
  for (const auto& [lower, upper] : spec.bands) {
    for (const double v : lower) extend(ylo, yhi, v);
    for (const double v : upper) extend(ylo, yhi, v);
  }
  for (const RefLine& r : spec.y_refs) extend(ylo, yhi, r.value);
  if (spec.y_min) ylo = *spec.y_min;
  if (spec.y_max) yhi = *spec.y_max;
  const AxisTicks xt = make_ticks(xlo, xhi, 8);
  AxisTicks yt = make_ticks(ylo, yhi, 6, spec.y_percent);
  if (spec.y_min || spec.y_max) {  // a fixed domain: keep the ticks inside it
    std::erase_if(yt.values, [&](double v) { return v < ylo - 1e-12 || v > yhi + 1e-12; });
  }
  const double y_d0 = spec.y_min ? *spec.y_min : yt.lo(), y_d1 = spec.y_max ? *spec.y_max : yt.hi();

  std::vector<std::string> names;
  for (const Series& s : spec.series) names.push_back(s.name);
  const double title_bottom = kPad + line_height(kTitleSize);
  const double legend_bottom = title_bottom + legend_height(names, width);
  const double y_label_baseline = legend_bottom + kAscent * kLabelSize + 2;
  Box plot;
  plot.y0 = y_label_baseline + kDescent * kLabelSize + 8;
  plot.y1 = plot.y0 + 260;
  plot.x0 = kPad + tick_label_width(yt) + 8;
  plot.x1 = width - kPad - std::max(12.0, tick_label_width(xt) / 2 + 2);
  const double x_label_baseline = plot.y1 + x_axis_height() + kAscent * kLabelSize + 2;
  const double height = x_label_baseline + kDescent * kLabelSize + kPad;

  SvgBuilder svg(width, height, spec.title);
  draw_title(svg, spec.title, width);
  draw_legend(svg, names, title_bottom, width);
  draw_y_label(svg, y_label_baseline, spec.y_label, width);
  const LinearScale x{xt.lo(), xt.hi(), plot.x0, plot.x1};
  const LinearScale y{y_d0, y_d1, plot.y1, plot.y0};
  draw_y_value_axis(svg, plot, y, yt, true);
  draw_x_value_axis(svg, plot, x, xt, false);
  draw_x_label(svg, plot, x_label_baseline, spec.x_label, width);

  // Bands under the lines.
  for (std::size_t s = 0; s < std::min(n_ser, spec.bands.size()); ++s) {
    const auto& [lower, upper] = spec.bands[s];
    std::vector<double> both(spec.x.size());
    for (std::size_t i = 0; i < both.size(); ++i) {
      both[i] = std::isfinite(at(lower, i)) && std::isfinite(at(upper, i)) ? 0.0 : std::nan("");
    }
    for (const auto& run : finite_runs(spec.x, both)) {
      std::vector<double> px, py, lx, ly;
      run_path(run, spec.x, upper, spec.step, x, y, plot, px, py);
      run_path(run, spec.x, lower, spec.step, x, y, plot, lx, ly);
      px.insert(px.end(), lx.rbegin(), lx.rend());
      py.insert(py.end(), ly.rbegin(), ly.rend());
      svg.polygon(px, py, series_colour(s), 0.18, "band");
    }
  }
  for (std::size_t s = 0; s < n_ser; ++s) {
    const Series& series = spec.series[s];
    for (const auto& run : finite_runs(spec.x, series.values)) {
      std::vector<double> px, py;
      run_path(run, spec.x, series.values, spec.step, x, y, plot, px, py);
      if (px.size() > 1) svg.polyline(px, py, series_colour(s), 2, "line");
    }
  }
  if (spec.markers && !spec.step) {
    for (std::size_t s = 0; s < n_ser; ++s) {
      const Series& series = spec.series[s];
      for (std::size_t i = 0; i < spec.x.size(); ++i) {
        const double v = at(series.values, i);
        if (!std::isfinite(spec.x[i]) || !std::isfinite(v)) continue;
        std::string tip = (n_ser > 1 ? series.name + " \u00B7 " : std::string()) +
                          format_number(spec.x[i], spec.x_decimals) + ": " +
                          table_value(v, spec.y_percent ? 1 : spec.y_decimals, spec.y_percent);
        svg.circle(x(spec.x[i]), std::clamp(y(v), plot.y0, plot.y1), kMarkerRadius, series_colour(s),
                   "mark point", tip);
      }
    }
  }
  if (spec.censor_series >= 0 && static_cast<std::size_t>(spec.censor_series) < n_ser) {
    const auto s = static_cast<std::size_t>(spec.censor_series);
    for (const double cx : spec.censor_x) {
      const double v = value_at(spec.x, spec.series[s].values, spec.step, cx);
      if (!std::isfinite(cx) || !std::isfinite(v) || cx < xt.lo() || cx > xt.hi()) continue;
      const double py = std::clamp(y(v), plot.y0 + kCensorHalf, plot.y1 - kCensorHalf);
      svg.line(x(cx), py - kCensorHalf, x(cx), py + kCensorHalf, series_colour(s), 1.5, "mark censor");
    }
  }
  for (std::size_t r = 0; r < spec.x_refs.size(); ++r) {
    draw_vertical_ref(svg, plot, x(spec.x_refs[r].value), spec.x_refs[r].label, static_cast<int>(r));
  }
  for (std::size_t r = 0; r < spec.y_refs.size(); ++r) {
    const double v = spec.y_refs[r].value;
    if (std::isfinite(v) && v >= std::min(y_d0, y_d1) && v <= std::max(y_d0, y_d1)) {
      draw_horizontal_ref(svg, plot, y(v), spec.y_refs[r].label, static_cast<int>(r));
    }
  }

  Chart chart;
  chart.svg = std::move(svg).finish();
  chart.table.caption = spec.title;
  chart.table.header.push_back(spec.x_label.empty() ? "x" : spec.x_label);
  chart.table.numeric.push_back(true);
  for (const Series& s : spec.series) {
    chart.table.header.push_back(s.name);
    chart.table.numeric.push_back(true);
  }
  for (std::size_t i = 0; i < spec.x.size(); ++i) {
    std::vector<std::string> cells{table_value(spec.x[i], spec.x_decimals)};
    for (const Series& s : spec.series) {
      cells.push_back(table_value(at(s.values, i),
                                  spec.y_percent ? std::max(1, spec.y_decimals - 2) : spec.y_decimals,
                                  spec.y_percent));
    }
    chart.table.rows.push_back(std::move(cells));
  }
  return chart;
}

Chart interval_chart(const IntervalChartSpec& spec) {
  const double width = kChartWidth;
  const std::size_t n = spec.categories.size();
  double lo = 0, hi = 0;
  for (std::size_t i = 0; i < n; ++i) {
    extend(lo, hi, at(spec.values, i));
    extend(lo, hi, at(spec.low, i));
    extend(lo, hi, at(spec.high, i));
  }
  if (spec.percent) hi = std::max(hi, std::min(1.0, hi * 1.1 + 0.01));
  const AxisTicks yt = make_ticks(lo, hi, 6, spec.percent);
  const int value_decimals = spec.percent ? 1 : 2;

  const double title_bottom = kPad + line_height(kTitleSize);
  const double y_label_baseline = title_bottom + kAscent * kLabelSize + 2;
  Box plot;
  plot.y0 = y_label_baseline + kDescent * kLabelSize + 8;
  plot.y1 = plot.y0 + 220;
  plot.x0 = kPad + tick_label_width(yt) + 8;
  plot.x1 = width - kPad;
  const double band = plot.width() / std::max<double>(1, static_cast<double>(n));
  // Every k-th category label, so that labels never overlap.
  double widest = 0;
  for (const std::string& c : spec.categories) widest = std::max(widest, text_width(c, kTickSize));
  const std::size_t every =
      std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((widest + 6) / band)));
  const double cat_baseline = plot.y1 + 6 + kAscent * kTickSize;
  const double x_label_baseline = cat_baseline + kDescent * kTickSize + 6 + kAscent * kLabelSize;
  const double height = x_label_baseline + kDescent * kLabelSize + kPad;

  SvgBuilder svg(width, height, spec.title);
  draw_title(svg, spec.title, width);
  draw_y_label(svg, y_label_baseline, spec.value_label, width);
  const LinearScale y{yt.lo(), yt.hi(), plot.y1, plot.y0};
  draw_y_value_axis(svg, plot, y, yt, true);
  svg.line(plot.x0, plot.y1, plot.x1, plot.y1, kAxisColour, 1, "axis");
  draw_x_label(svg, plot, x_label_baseline, spec.category_label, width);
  const std::string_view colour = series_colour(0);
  for (std::size_t i = 0; i < n; ++i) {
    const double cx = plot.x0 + band * (static_cast<double>(i) + 0.5);
    if (i % every == 0) {
      const double room = std::min(band * static_cast<double>(every) - 4, 2 * std::min(cx, width - cx));
      draw_fitted_text(svg, cx, cat_baseline, spec.categories[i], kTickSize, "middle", cx - room / 2,
                       cx + room / 2, "category");
    }
    const double l = at(spec.low, i), h = at(spec.high, i), v = at(spec.values, i);
    const double cap = std::min(4.0, band / 4);
    if (std::isfinite(l) && std::isfinite(h)) {
      const double pl = std::clamp(y(l), plot.y0, plot.y1), ph = std::clamp(y(h), plot.y0, plot.y1);
      svg.line(cx, pl, cx, ph, colour, 1.5, "interval");
      svg.line(cx - cap, pl, cx + cap, pl, colour, 1.5, "interval");
      svg.line(cx - cap, ph, cx + cap, ph, colour, 1.5, "interval");
    }
    if (std::isfinite(v)) {
      std::string tip = spec.categories[i] + ": " + table_value(v, value_decimals, spec.percent);
      if (std::isfinite(l) && std::isfinite(h)) {
        tip += " (" + table_value(l, value_decimals, spec.percent) + " \u2013 " +
               table_value(h, value_decimals, spec.percent) + ")";
      }
      svg.circle(cx, std::clamp(y(v), plot.y0, plot.y1), kMarkerRadius + 0.5, colour, "mark point", tip);
    }
  }

  Chart chart;
  chart.svg = std::move(svg).finish();
  chart.table.caption = spec.title;
  chart.table.header = {spec.category_label.empty() ? "category" : spec.category_label,
                        spec.value_label.empty() ? "value" : spec.value_label, "low", "high"};
  chart.table.numeric = {false, true, true, true};
  for (std::size_t i = 0; i < n; ++i) {
    chart.table.rows.push_back({spec.categories[i],
                                table_value(at(spec.values, i), value_decimals, spec.percent),
                                table_value(at(spec.low, i), value_decimals, spec.percent),
                                table_value(at(spec.high, i), value_decimals, spec.percent)});
  }
  return chart;
}

}  // namespace dealflow::report
