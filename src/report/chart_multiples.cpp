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

namespace dealflow::report {
namespace {

constexpr double kMargin = 8;
constexpr double kTitleSize = 15;
constexpr double kLabelSize = 11;
constexpr double kPanelTitleSize = 11;
constexpr double kCategorySize = 10;
constexpr double kTickSize = 9;
constexpr double kValueSize = 9;
constexpr double kBarHeight = 14;
constexpr double kBarPitch = 18;  // bar and gap
constexpr double kPanelGap = 16;
constexpr double kRowGap = 14;
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
      table.rows.push_back(
          {spec.panel_titles[p], spec.categories[c], std::isfinite(v) ? format_number(v, decimals) : "—"});
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
  const std::vector<double> ticks = nice_ticks(lo, hi, 3);

  double category_width = 0;
  for (const auto& c : spec.categories)
    category_width = std::max(category_width, text_width(c, kCategorySize));
  category_width = std::min(category_width, kMaxCategoryWidth);
  const double grid_left = kMargin + category_width + 6;
  const double columns_d = static_cast<double>(columns);
  const double panel_width = (kChartWidth - kMargin - grid_left - kPanelGap * (columns_d - 1)) / columns_d;
  const double bars_top_offset = kPanelTitleSize + 8;
  const double panel_height = bars_top_offset + kBarPitch * static_cast<double>(n_categories) + kTickSize + 6;
  const double grid_top = kMargin + kTitleSize + 14;
  const double grid_bottom = grid_top + (panel_height + kRowGap) * static_cast<double>(grid_rows);
  const double height = grid_bottom + kLabelSize + 8;

  SvgBuilder svg(kChartWidth, height, spec.title);
  svg.text(kMargin, kMargin + kTitleSize, fit_text(spec.title, kTitleSize, kChartWidth - 2 * kMargin),
           kTitleSize, "start", "title");

  for (std::size_t p = 0; p < n_panels; ++p) {
    const std::size_t grid_row = p / columns, grid_column = p % columns;
    const double px = grid_left + (panel_width + kPanelGap) * static_cast<double>(grid_column);
    const double py = grid_top + (panel_height + kRowGap) * static_cast<double>(grid_row);
    const double bars_top = py + bars_top_offset;
    const double bars_bottom = bars_top + kBarPitch * static_cast<double>(n_categories);
    const LinearScale x{ticks.front(), ticks.back(), px, px + panel_width};

    svg.text(px, py + kPanelTitleSize, fit_text(spec.panel_titles[p], kPanelTitleSize, panel_width),
             kPanelTitleSize, "start", "panel-title");
    // The shared axis: grid lines and the tick labels under every panel (the
    // outer ones anchored inwards so they stay inside the panel).
    for (std::size_t t = 0; t < ticks.size(); ++t) {
      svg.line(x(ticks[t]), bars_top - 2, x(ticks[t]), bars_bottom, ticks[t] == 0 ? "#888" : "#e3e3e3", 1,
               "grid");
      const std::string_view anchor = t == 0 ? "start" : t + 1 == ticks.size() ? "end" : "middle";
      svg.text(x(ticks[t]), bars_bottom + kTickSize + 2, format_number(ticks[t]), kTickSize, anchor,
               "tick-label");
    }
    for (std::size_t c = 0; c < n_categories; ++c) {
      const double bar_y = bars_top + kBarPitch * static_cast<double>(c) + (kBarPitch - kBarHeight) / 2;
      if (grid_column == 0) {
        svg.text(grid_left - 6, bar_y + kBarHeight / 2 + kCategorySize * 0.35,
                 fit_text(spec.categories[c], kCategorySize, category_width), kCategorySize, "end",
                 "tick-label");
      }
      const double v = value_at(spec, p, c);
      if (!std::isfinite(v)) continue;
      const double x0 = std::min(x(0), x(v)), width = std::fabs(x(v) - x(0));
      const std::string value_text = format_number(v, decimals);
      svg.rect(x0, bar_y, width, kBarHeight, kPalette[0], "mark bar",
               spec.panel_titles[p] + " · " + spec.categories[c] + ": " + value_text);
      // The value right of the bar when it fits in the panel, else inside it.
      const double text_w = text_width(value_text, kValueSize);
      const double baseline = bar_y + kBarHeight / 2 + kValueSize * 0.35;
      if (x0 + width + 3 + text_w <= px + panel_width) {
        svg.text(x0 + width + 3, baseline, value_text, kValueSize, "start", "bar-label");
      } else if (text_w + 6 <= width) {
        svg.text(x0 + width - 3, baseline, value_text, kValueSize, "end", "bar-label", 0, "#ffffff");
      }
    }
  }
  svg.text((grid_left + kChartWidth - kMargin) / 2, height - 8,
           fit_text(spec.value_label, kLabelSize, kChartWidth - grid_left - kMargin), kLabelSize, "middle",
           "axis-label");

  return Chart{std::move(svg).finish(), multiples_table(spec, decimals)};
}

}  // namespace dealflow::report
