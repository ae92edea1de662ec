// small_multiples: one small horizontal bar chart per panel in a grid, all on
// one value scale (the largest value of all panels), so panels compare by eye.
// The category names are written once per grid row, left of its first panel.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "dealflow/report/chart.h"
#include "dealflow/report/svg.h"
#include "report/chart_common.h"

namespace dealflow::report {

using namespace chart_detail;

namespace {

constexpr double kPanelTitleSize = 12;
constexpr double kCategorySize = 11;
constexpr double kValueSize = 10;
constexpr double kPanelBarHeight = 14;
constexpr double kBarPitch = 18;  // bar and gap
constexpr double kPanelGap = 16;
constexpr double kPanelRowGap = 14;
constexpr double kMaxCategoryWidth = 130;

double value_at(const SmallMultiplesSpec& spec, std::size_t p, std::size_t c) {
  if (p >= spec.values.size() || c >= spec.values[p].size()) return std::nan("");
  return spec.values[p][c];
}

// Whole numbers (counts) without decimals, anything else with two.
int decimals_of(const SmallMultiplesSpec& spec) {
  for (const auto& panel : spec.values) {
    for (double v : panel) {
      if (std::isfinite(v) && v != std::floor(v)) return 2;
    }
  }
  return 0;
}

Table multiples_table(const SmallMultiplesSpec& spec, int decimals) {
  Table table;
  table.caption = spec.title;
  table.header = {"panel", "category", spec.value_label};
  table.numeric = {false, false, true};
  for (std::size_t p = 0; p < spec.panel_titles.size(); ++p) {
    for (std::size_t c = 0; c < spec.categories.size(); ++c) {
      const double v = value_at(spec, p, c);
      table.rows.push_back({spec.panel_titles[p], spec.categories[c], table_value(v, decimals)});
    }
  }
  return table;
}

}  // namespace

Chart small_multiples(const SmallMultiplesSpec& spec) {
  const std::size_t n_panels = spec.panel_titles.size();
  const std::size_t n_categories = spec.categories.size();
  const std::size_t columns = std::clamp<std::size_t>(static_cast<std::size_t>(std::max(spec.columns, 1)), 1,
                                                      std::max<std::size_t>(n_panels, 1));
  const std::size_t grid_rows = (n_panels + columns - 1) / columns;
  const int decimals = decimals_of(spec);

  double lo = 0, hi = 0;
  for (std::size_t p = 0; p < n_panels; ++p) {
    for (std::size_t c = 0; c < n_categories; ++c) {
      const double v = value_at(spec, p, c);
      if (!std::isfinite(v)) continue;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  AxisTicks ticks = make_ticks(lo, hi, 4);

  double category_width = 0;
  for (const auto& c : spec.categories)
    category_width = std::max(category_width, text_width(c, kCategorySize));
  category_width = std::min(category_width, kMaxCategoryWidth);
  // Panels: the title line, the bars, the tick labels; the grid under the
  // chart title, the value-axis label under the grid.
  const double grid_left = kPad + category_width + 6;
  const double columns_d = static_cast<double>(columns);
  const double panel_width = (kChartWidth - kPad - grid_left - kPanelGap * (columns_d - 1)) / columns_d;
  // Fewer ticks when their labels would crowd a narrow panel (large amounts).
  for (int max_ticks = 3;
       max_ticks >= 2 &&
       (tick_label_width(ticks) + 8) * static_cast<double>(ticks.values.size()) > panel_width;
       --max_ticks) {
    ticks = make_ticks(lo, hi, max_ticks);
  }
  const double bars_offset = line_height(kPanelTitleSize);
  const double panel_height =
      bars_offset + kBarPitch * static_cast<double>(n_categories) + line_height(kTickSize);
  const double grid_top = kPad + line_height(kTitleSize) + 4;
  const double grid_bottom = grid_top + (panel_height + kPanelRowGap) * static_cast<double>(grid_rows);
  const double label_baseline = grid_bottom + kAscent * kLabelSize;
  const double height = label_baseline + kDescent * kLabelSize + kPad;

  SvgBuilder svg(kChartWidth, height, spec.title);
  draw_title(svg, spec.title, kChartWidth);

  for (std::size_t p = 0; p < n_panels; ++p) {
    const std::size_t grid_row = p / columns, grid_column = p % columns;
    Box panel;
    panel.x0 = grid_left + (panel_width + kPanelGap) * static_cast<double>(grid_column);
    panel.x1 = panel.x0 + panel_width;
    panel.y0 = grid_top + (panel_height + kPanelRowGap) * static_cast<double>(grid_row);
    const double bars_top = panel.y0 + bars_offset;
    const double bars_bottom = bars_top + kBarPitch * static_cast<double>(n_categories);
    const LinearScale x{ticks.lo(), ticks.hi(), panel.x0, panel.x1};

    draw_fitted_text(svg, panel.x0, panel.y0 + kAscent * kPanelTitleSize, spec.panel_titles[p],
                     kPanelTitleSize, "start", panel.x0, panel.x1, "panel-title");
    // The shared axis: grid lines and the tick labels under every panel (the
    // outer ones anchored inwards so that neighbouring panels' labels never meet).
    for (std::size_t t = 0; t < ticks.values.size(); ++t) {
      const double at = x(ticks.values[t]);
      svg.line(at, bars_top - 2, at, bars_bottom, ticks.values[t] == 0 ? kAxisColour : kGridColour, 1,
               "grid");
      const std::string_view anchor = t == 0 ? "start" : t + 1 == ticks.values.size() ? "end" : "middle";
      draw_fitted_text(svg, at, bars_bottom + 2 + kAscent * kTickSize, tick_text(ticks, ticks.values[t]),
                       kTickSize, anchor, panel.x0, panel.x1, "tick-label");
    }
    for (std::size_t c = 0; c < n_categories; ++c) {
      const double bar_y = bars_top + kBarPitch * static_cast<double>(c) + (kBarPitch - kPanelBarHeight) / 2;
      if (grid_column == 0) {
        draw_fitted_text(svg, grid_left - 6,
                         bar_y + kPanelBarHeight / 2 + (kAscent - kDescent) * kCategorySize / 2,
                         spec.categories[c], kCategorySize, "end", kPad, grid_left - 6, "category-label");
      }
      const double v = value_at(spec, p, c);
      if (!std::isfinite(v)) continue;
      const double x0 = std::min(x(0), x(v)), width = std::fabs(x(v) - x(0));
      const std::string value_text = format_number(v, decimals);
      svg.rect(x0, bar_y, width, kPanelBarHeight, kPalette[0], "mark bar",
               spec.panel_titles[p] + " · " + spec.categories[c] + ": " + value_text);
      // The value right of the bar when it fits in the panel, else inside it.
      const double text_w = text_width(value_text, kValueSize);
      const double baseline = bar_y + kPanelBarHeight / 2 + (kAscent - kDescent) * kValueSize / 2;
      if (x0 + width + 3 + text_w <= panel.x1) {
        svg.text(x0 + width + 3, baseline, value_text, kValueSize, "start", "bar-label");
      } else if (text_w + 6 <= width) {
        svg.text(x0 + width - 3, baseline, value_text, kValueSize, "end", "bar-label", 0, "#ffffff");
      }
    }
  }
  draw_x_label(svg, Box{grid_left, grid_top, kChartWidth - kPad, grid_bottom}, label_baseline,
               spec.value_label, kChartWidth);

  return Chart{std::move(svg).finish(), multiples_table(spec, decimals)};
}

}  // namespace dealflow::report
