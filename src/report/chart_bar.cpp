// table_html and bar_chart (horizontal bars, grouped series).
#include <algorithm>
#include <cmath>

#include "dealflow/report/chart.h"
#include "report/chart_common.h"

namespace dealflow::report {

using namespace chart_detail;

std::string table_html(const Table& table) {
  const auto numeric = [&](std::size_t c) { return c < table.numeric.size() && table.numeric[c]; };
  // Seven columns or more are set smaller (class "wide") so that they fit the page's width.
  std::string out = table.header.size() >= 7 ? "<table class=\"data wide\">\n" : "<table class=\"data\">\n";
  if (!table.caption.empty()) out += "<caption>" + escape_xml(table.caption) + "</caption>\n";
  out += "<thead><tr>";
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    out += numeric(c) ? "<th scope=\"col\" class=\"num\">" : "<th scope=\"col\">";
    out += escape_xml(table.header[c]) + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c) {
      out += numeric(c) ? "<td class=\"num\">" : "<td>";
      out += escape_xml(row[c]) + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  return out;
}

namespace {

constexpr double kBarHeight = 14;
constexpr double kBarGap = 2;   // between the bars of one row
constexpr double kRowGap = 10;  // between rows

bool in_page_anchor(const std::string& link) {
  return link.size() > 1 && link[0] == '#';
}

}  // namespace

Chart bar_chart(const BarChartSpec& spec) {
  const double width = kChartWidth;
  const std::size_t n_cat = spec.categories.size();
  const std::size_t n_ser = spec.series.size();
  const auto value = [&](std::size_t s, std::size_t c) {
    const auto& v = spec.series[s].values;
    return c < v.size() ? v[c] : std::nan("");
  };
  const auto bar_label = [&](std::size_t s, std::size_t c) -> std::string {
    if (s < spec.bar_labels.size() && c < spec.bar_labels[s].size()) return spec.bar_labels[s][c];
    return {};
  };

  // The value axis: from 0 (or the smallest negative value) to the largest value.
  double lo = 0, hi = 0;
  for (std::size_t s = 0; s < n_ser; ++s) {
    for (std::size_t c = 0; c < n_cat; ++c) {
      const double v = value(s, c);
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
  }
  const AxisTicks ticks = make_ticks(lo, hi, 8);

  // Horizontal layout: category labels | plot | room for the bar labels.
  double label_col = 0;
  for (const std::string& c : spec.categories) label_col = std::max(label_col, text_width(c, kLabelSize));
  label_col = std::min(label_col, width * 0.3);
  double end_labels = 0;
  for (std::size_t s = 0; s < n_ser; ++s) {
    for (std::size_t c = 0; c < n_cat; ++c)
      end_labels = std::max(end_labels, text_width(bar_label(s, c), kTickSize));
  }
  end_labels = std::min(end_labels, width * 0.25);
  // The last tick label is centred on the plot's right edge: half of it must fit in the margin.
  const double tick_half = tick_label_width(ticks) / 2 + 2;
  Box plot;
  plot.x0 = kPad + label_col + 8;
  plot.x1 = width - kPad - std::max(end_labels > 0 ? end_labels + 6 : 0.0, tick_half);

  // Vertical layout: title, legend, category-axis label, rows, value axis, value-axis label.
  std::vector<std::string> names;
  for (const Series& s : spec.series) names.push_back(s.name);
  const double title_bottom = kPad + line_height(kTitleSize);
  const double legend_bottom = title_bottom + legend_height(names, width);
  const double cat_label_baseline = legend_bottom + kAscent * kLabelSize + 2;
  plot.y0 = cat_label_baseline + kDescent * kLabelSize + 6;
  const double group = std::max<double>(1, static_cast<double>(n_ser)) * (kBarHeight + kBarGap) - kBarGap;
  const double row = group + kRowGap;
  plot.y1 = plot.y0 + std::max<double>(1, static_cast<double>(n_cat)) * row;
  const double x_label_baseline = plot.y1 + x_axis_height() + kAscent * kLabelSize + 2;
  const double height = x_label_baseline + kDescent * kLabelSize + kPad;

  SvgBuilder svg(width, height, spec.title);
  draw_title(svg, spec.title, width);
  draw_legend(svg, names, title_bottom, width);
  if (!spec.category_label.empty()) draw_y_label(svg, cat_label_baseline, spec.category_label, width);
  const LinearScale x{ticks.lo(), ticks.hi(), plot.x0, plot.x1};
  draw_x_value_axis(svg, plot, x, ticks, true);
  draw_x_label(svg, plot, x_label_baseline, spec.value_label, width);

  for (std::size_t c = 0; c < n_cat; ++c) {
    const double row_top = plot.y0 + static_cast<double>(c) * row + kRowGap / 2;
    const double label_baseline = row_top + group / 2 + (kAscent - kDescent) * kLabelSize / 2;
    draw_fitted_text(svg, plot.x0 - 6, label_baseline, spec.categories[c], kLabelSize, "end", kPad,
                     plot.x0 - 6, "category");
    const bool linked = c < spec.links.size() && in_page_anchor(spec.links[c]);
    if (linked) svg.begin_link(spec.links[c]);
    for (std::size_t s = 0; s < n_ser; ++s) {
      const double v = value(s, c);
      if (!std::isfinite(v)) continue;
      const double top = row_top + static_cast<double>(s) * (kBarHeight + kBarGap);
      const double x0 = x(0), x1 = x(v);
      std::string tip = spec.categories[c];
      if (n_ser > 1) tip += " \u00B7 " + spec.series[s].name;
      tip += ": " + format_number(v, spec.value_decimals);
      svg.rect(std::min(x0, x1), top, std::abs(x1 - x0), kBarHeight, series_colour(s), "mark bar", tip);
      const std::string text = bar_label(s, c);
      if (!text.empty()) {
        const double baseline = top + kBarHeight / 2 + (kAscent - kDescent) * kTickSize / 2;
        draw_fitted_text(svg, std::max(x0, x1) + 4, baseline, text, kTickSize, "start", plot.x0, width - kPad,
                         "bar-label");
      }
    }
    if (linked) svg.end_link();
  }
  svg.line(x(0), plot.y0, x(0), plot.y1, kAxisColour, 1, "axis");

  Chart chart;
  chart.svg = std::move(svg).finish();
  chart.table.caption = spec.title;
  chart.table.header.push_back(spec.category_label.empty() ? "category" : spec.category_label);
  chart.table.numeric.push_back(false);
  for (const Series& s : spec.series) {
    chart.table.header.push_back(s.name);
    chart.table.numeric.push_back(true);
  }
  for (std::size_t c = 0; c < n_cat; ++c) {
    std::vector<std::string> cells{spec.categories[c]};
    for (std::size_t s = 0; s < n_ser; ++s) cells.push_back(table_value(value(s, c), spec.value_decimals));
    chart.table.rows.push_back(std::move(cells));
  }
  return chart;
}

}  // namespace dealflow::report
