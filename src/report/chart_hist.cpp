// histogram: vertical bars over numeric bins with dashed reference lines.
#include <algorithm>
#include <cmath>

#include "dealflow/report/chart.h"
#include "report/chart_common.h"

namespace dealflow::report {

using namespace chart_detail;

Chart histogram(const HistogramSpec& spec) {
  const double width = kChartWidth;
  // Bins with finite edges only; a spec with edges.size() != counts.size() + 1 uses the bins both cover.
  const std::size_t n_bins = spec.edges.empty() ? 0 : std::min(spec.counts.size(), spec.edges.size() - 1);
  double xlo = INFINITY, xhi = -INFINITY;
  for (std::size_t i = 0; i <= n_bins && i < spec.edges.size(); ++i) {
    if (std::isfinite(spec.edges[i])) xlo = std::min(xlo, spec.edges[i]), xhi = std::max(xhi, spec.edges[i]);
  }
  for (const RefLine& r : spec.refs) {
    if (std::isfinite(r.value)) xlo = std::min(xlo, r.value), xhi = std::max(xhi, r.value);
  }
  if (!std::isfinite(xlo)) xlo = 0, xhi = 1;
  double yhi = 0;
  for (std::size_t i = 0; i < n_bins; ++i) {
    if (std::isfinite(spec.counts[i])) yhi = std::max(yhi, spec.counts[i]);
  }
  const AxisTicks xt = make_ticks(xlo, xhi, 7);
  const AxisTicks yt = make_ticks(0, yhi, 6);

  const double title_bottom = kPad + line_height(kTitleSize);
  const double y_label_baseline = title_bottom + kAscent * kLabelSize + 2;
  Box plot;
  // Room above the bars for the reference-line labels (one row each, staggered).
  const double ref_rows = static_cast<double>(spec.refs.size()) * line_height(kTickSize);
  plot.y0 = y_label_baseline + kDescent * kLabelSize + 8;
  plot.y1 = plot.y0 + 220 + ref_rows;
  plot.x0 = kPad + tick_label_width(yt) + 8;
  plot.x1 = width - kPad - std::max(12.0, tick_label_width(xt) / 2 + 2);
  const double x_label_baseline = plot.y1 + x_axis_height() + kAscent * kLabelSize + 2;
  const double height = x_label_baseline + kDescent * kLabelSize + kPad;

  SvgBuilder svg(width, height, spec.title);
  draw_title(svg, spec.title, width);
  draw_y_label(svg, y_label_baseline, spec.y_label, width);
  const LinearScale x{xt.lo(), xt.hi(), plot.x0, plot.x1};
  // The tallest bar stops below the reference labels.
  const LinearScale y{yt.lo(), yt.hi(), plot.y1, plot.y0 + ref_rows};
  Box bars = plot;
  bars.y0 = plot.y0 + ref_rows;
  draw_y_value_axis(svg, bars, y, yt, true);
  draw_x_value_axis(svg, plot, x, xt, false);
  draw_x_label(svg, plot, x_label_baseline, spec.x_label, width);
  for (std::size_t i = 0; i < n_bins; ++i) {
    const double a = spec.edges[i], b = spec.edges[i + 1], c = spec.counts[i];
    if (!std::isfinite(a) || !std::isfinite(b) || !std::isfinite(c)) continue;
    const double x0 = x(std::min(a, b)), x1 = x(std::max(a, b));
    const double gap = x1 - x0 > 3 ? 0.5 : 0;  // a hairline between bars
    const std::string tip = format_number(a, spec.x_decimals) + " \u2013 " +
                            format_number(b, spec.x_decimals) + ": " + format_number(c);
    svg.rect(x0 + gap, y(std::max(c, 0.0)), std::max(0.0, x1 - x0 - 2 * gap), y(0) - y(std::max(c, 0.0)),
             series_colour(0), "mark bar", tip);
  }
  for (std::size_t r = 0; r < spec.refs.size(); ++r) {
    draw_vertical_ref(svg, plot, x(spec.refs[r].value), spec.refs[r].label, static_cast<int>(r));
  }

  Chart chart;
  chart.svg = std::move(svg).finish();
  chart.table.caption = spec.title;
  const std::string xl = spec.x_label.empty() ? "value" : spec.x_label;
  chart.table.header = {xl + ", from", xl + ", to", spec.y_label.empty() ? "count" : spec.y_label};
  chart.table.numeric = {true, true, true};
  for (std::size_t i = 0; i < n_bins; ++i) {
    chart.table.rows.push_back({table_value(spec.edges[i], spec.x_decimals),
                                table_value(spec.edges[i + 1], spec.x_decimals),
                                table_value(spec.counts[i], 0)});
  }
  // The reference values (P10, P50, the plan) in the caption: "title (P50: 1 200; plan: 1 500)".
  std::string refs;
  for (const RefLine& r : spec.refs) {
    if (!refs.empty()) refs += "; ";
    refs +=
        (r.label.empty() ? std::string("reference") : r.label) + ": " + table_value(r.value, spec.x_decimals);
  }
  if (!refs.empty()) chart.table.caption += " (" + refs + ")";
  return chart;
}

}  // namespace dealflow::report
