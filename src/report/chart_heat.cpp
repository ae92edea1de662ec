// heat_map: cells row × column coloured by a share (sequential_colour), the
// share written in each cell in a colour that stays readable on it, row and
// column labels cut to their room, and a colour legend strip under the grid.
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

constexpr double kCellHeight = 26;
constexpr double kMaxRowLabelWidth = 170;
constexpr double kLegendSteps = 10;
constexpr double kLegendHeight = 12;

double share_at(const HeatMapSpec& spec, std::size_t r, std::size_t c) {
  if (r >= spec.shares.size() || c >= spec.shares[r].size()) return std::nan("");
  return spec.shares[r][c];
}

std::string text_at(const HeatMapSpec& spec, std::size_t r, std::size_t c) {
  if (r >= spec.cell_text.size() || c >= spec.cell_text[r].size()) return {};
  return spec.cell_text[r][c];
}

int hex_digit(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return 0;
}

// WCAG relative luminance of "#rrggbb" (0 black .. 1 white); anything else
// counts as white.
double luminance(const std::string& colour) {
  if (colour.size() != 7 || colour[0] != '#') return 1;
  double channels[3];
  for (int i = 0; i < 3; ++i) {
    const double v = (hex_digit(colour[1 + 2 * i]) * 16 + hex_digit(colour[2 + 2 * i])) / 255.0;
    channels[i] = v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  }
  return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}

// The text colour with the larger contrast ratio on `fill`: dark text on the
// light cells, white on the dark ones.
std::string_view text_colour_on(const std::string& fill) {
  const double l = luminance(fill);
  const double on_white = 1.05 / (l + 0.05);
  const double on_dark = (l + 0.05) / (luminance("#222222") + 0.05);
  return on_white > on_dark ? "#ffffff" : "#222";
}

Table heat_table(const HeatMapSpec& spec) {
  Table table;
  table.caption = spec.title;
  table.header.push_back(spec.row_label);
  table.numeric.push_back(false);
  for (const auto& column : spec.columns) {
    table.header.push_back(column);
    table.numeric.push_back(true);
  }
  for (std::size_t r = 0; r < spec.rows.size(); ++r) {
    std::vector<std::string> row{spec.rows[r]};
    for (std::size_t c = 0; c < spec.columns.size(); ++c) {
      const double share = share_at(spec, r, c);
      std::string cell = table_value(share, 1, true);
      const std::string extra = text_at(spec, r, c);
      if (!extra.empty()) cell += " (" + extra + ")";
      row.push_back(std::move(cell));
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace

Chart heat_map(const HeatMapSpec& spec) {
  const std::size_t n_rows = spec.rows.size();
  const std::size_t n_cols = spec.columns.size();

  double row_label_width = text_width(spec.row_label, kLabelSize);
  for (const auto& row : spec.rows) row_label_width = std::max(row_label_width, text_width(row, kLabelSize));
  row_label_width = std::min(row_label_width, kMaxRowLabelWidth);

  // Top down: title, the column axis name, the row axis name beside the column
  // names, the grid, the legend strip with its scale under it.
  Box grid;
  grid.x0 = kPad + row_label_width + kPad;
  grid.x1 = kChartWidth - kPad;
  const double column_axis_baseline = kPad + line_height(kTitleSize) + kAscent * kLabelSize;
  const double column_names_baseline = column_axis_baseline + line_height(kLabelSize);
  grid.y0 = column_names_baseline + kDescent * kLabelSize + 4;
  grid.y1 = grid.y0 + kCellHeight * static_cast<double>(n_rows);
  const double legend_top = grid.y1 + 14;
  const double legend_text_baseline = legend_top + kLegendHeight + 2 + kAscent * kTickSize;
  const double height = legend_text_baseline + kDescent * kTickSize + kPad;
  const double cell_width = n_cols > 0 ? grid.width() / static_cast<double>(n_cols) : 0;

  SvgBuilder svg(kChartWidth, height, spec.title);
  draw_title(svg, spec.title, kChartWidth);
  draw_fitted_text(svg, (grid.x0 + grid.x1) / 2, column_axis_baseline, spec.column_label, kLabelSize,
                   "middle", grid.x0, grid.x1, "axis-label");
  draw_fitted_text(svg, kPad, column_names_baseline, spec.row_label, kLabelSize, "start", kPad,
                   kPad + row_label_width, "axis-label");

  for (std::size_t c = 0; c < n_cols; ++c) {
    const double x = grid.x0 + cell_width * static_cast<double>(c);
    draw_fitted_text(svg, x + cell_width / 2, column_names_baseline, spec.columns[c], kLabelSize, "middle",
                     x + 2, x + cell_width - 2, "tick-label");
  }

  for (std::size_t r = 0; r < n_rows; ++r) {
    const double y = grid.y0 + kCellHeight * static_cast<double>(r);
    const double baseline = y + kCellHeight / 2 + (kAscent - kDescent) * kLabelSize / 2;
    draw_fitted_text(svg, kPad, baseline, spec.rows[r], kLabelSize, "start", kPad, kPad + row_label_width,
                     "tick-label");
    for (std::size_t c = 0; c < n_cols; ++c) {
      const double share = share_at(spec, r, c);
      if (!std::isfinite(share)) continue;  // blank: no data (a zero denominator)
      const double x = grid.x0 + cell_width * static_cast<double>(c);
      const std::string fill = sequential_colour(std::clamp(share, 0.0, 1.0));
      const std::string label = format_percent(share, 0);
      std::string tip = spec.rows[r] + " · " + spec.columns[c] + ": " + format_percent(share);
      const std::string extra = text_at(spec, r, c);
      if (!extra.empty()) tip += " (" + extra + ")";
      // 1 unit of white between the cells keeps neighbours of equal colour apart.
      svg.rect(x + 0.5, y + 0.5, cell_width - 1, kCellHeight - 1, fill, "mark cell", tip);
      if (text_width(label, kTickSize) <= cell_width - 4) {
        svg.text(x + cell_width / 2, y + kCellHeight / 2 + (kAscent - kDescent) * kTickSize / 2, label,
                 kTickSize, "middle", "cell-label", 0, text_colour_on(fill));
      }
    }
  }

  // The legend: a strip from 0 % to 100 % in kLegendSteps blocks, its name
  // right of it.
  const double strip_width = std::min(240.0, grid.width() / 2);
  const double block = strip_width / kLegendSteps;
  for (int i = 0; i < static_cast<int>(kLegendSteps); ++i) {
    const double share = (i + 0.5) / kLegendSteps;
    svg.rect(grid.x0 + block * i, legend_top, block, kLegendHeight, sequential_colour(share),
             "legend-swatch");
  }
  draw_fitted_text(svg, grid.x0 + strip_width + kPad, legend_top + kLegendHeight - 1, "share", kLabelSize,
                   "start", grid.x0, grid.x1, "legend");
  svg.text(grid.x0, legend_text_baseline, format_percent(0, 0), kTickSize, "start", "legend");
  svg.text(grid.x0 + strip_width / 2, legend_text_baseline, format_percent(0.5, 0), kTickSize, "middle",
           "legend");
  svg.text(grid.x0 + strip_width, legend_text_baseline, format_percent(1, 0), kTickSize, "end", "legend");

  return Chart{std::move(svg).finish(), heat_table(spec)};
}

}  // namespace dealflow::report
