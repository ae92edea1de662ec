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

namespace dealflow::report {
namespace {

constexpr double kMargin = 8;
constexpr double kTitleSize = 15;
constexpr double kLabelSize = 11;
constexpr double kCellTextSize = 11;
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
      std::string cell = std::isfinite(share) ? format_percent(share) : "—";
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

  const double grid_left = kMargin + row_label_width + 8;
  const double grid_right = kChartWidth - kMargin;
  const double cell_width = n_cols > 0 ? (grid_right - grid_left) / static_cast<double>(n_cols) : 0;
  const double column_axis_y = kMargin + kTitleSize + 14;  // baseline of the column axis label
  const double column_labels_y = column_axis_y + kLabelSize + 8;
  const double grid_top = column_labels_y + 6;
  const double grid_bottom = grid_top + kCellHeight * static_cast<double>(n_rows);
  const double legend_top = grid_bottom + 16;
  const double height = legend_top + kLegendHeight + kLabelSize + 10;

  SvgBuilder svg(kChartWidth, height, spec.title);
  svg.text(kMargin, kMargin + kTitleSize, fit_text(spec.title, kTitleSize, kChartWidth - 2 * kMargin),
           kTitleSize, "start", "title");

  // Axis names: the column label over the columns, the row label over the rows.
  svg.text((grid_left + grid_right) / 2, column_axis_y,
           fit_text(spec.column_label, kLabelSize, grid_right - grid_left), kLabelSize, "middle",
           "axis-label");
  svg.text(kMargin, column_labels_y, fit_text(spec.row_label, kLabelSize, row_label_width), kLabelSize,
           "start", "axis-label");

  for (std::size_t c = 0; c < n_cols; ++c) {
    const double cx = grid_left + cell_width * (static_cast<double>(c) + 0.5);
    svg.text(cx, column_labels_y, fit_text(spec.columns[c], kLabelSize, cell_width - 4), kLabelSize, "middle",
             "tick-label");
  }

  for (std::size_t r = 0; r < n_rows; ++r) {
    const double y = grid_top + kCellHeight * static_cast<double>(r);
    svg.text(kMargin, y + kCellHeight / 2 + kLabelSize * 0.35,
             fit_text(spec.rows[r], kLabelSize, row_label_width), kLabelSize, "start", "tick-label");
    for (std::size_t c = 0; c < n_cols; ++c) {
      const double share = share_at(spec, r, c);
      if (!std::isfinite(share)) continue;  // blank: no data (a zero denominator)
      const double x = grid_left + cell_width * static_cast<double>(c);
      const std::string fill = sequential_colour(std::clamp(share, 0.0, 1.0));
      const std::string label = format_percent(share, 0);
      std::string tip = spec.rows[r] + " · " + spec.columns[c] + ": " + format_percent(share);
      const std::string extra = text_at(spec, r, c);
      if (!extra.empty()) tip += " (" + extra + ")";
      // 1 unit of white between the cells keeps neighbours of equal colour apart.
      svg.rect(x + 0.5, y + 0.5, cell_width - 1, kCellHeight - 1, fill, "mark cell", tip);
      if (text_width(label, kCellTextSize) <= cell_width - 4) {
        svg.text(x + cell_width / 2, y + kCellHeight / 2 + kCellTextSize * 0.35, label, kCellTextSize,
                 "middle", "cell-label", 0, text_colour_on(fill));
      }
    }
  }

  // The legend: a strip from 0 % to 100 % in kLegendSteps blocks.
  const double strip_width = std::min(240.0, grid_right - grid_left);
  const double block = strip_width / kLegendSteps;
  svg.text(grid_left + strip_width + 8, legend_top + kLegendHeight - 2, "share", kLabelSize, "start",
           "legend");
  for (int i = 0; i < static_cast<int>(kLegendSteps); ++i) {
    const double share = (i + 0.5) / kLegendSteps;
    svg.rect(grid_left + block * i, legend_top, block, kLegendHeight, sequential_colour(share), "legend");
  }
  const double legend_text_y = legend_top + kLegendHeight + kLabelSize + 2;
  svg.text(grid_left, legend_text_y, format_percent(0, 0), kLabelSize - 1, "start", "legend");
  svg.text(grid_left + strip_width / 2, legend_text_y, format_percent(0.5, 0), kLabelSize - 1, "middle",
           "legend");
  svg.text(grid_left + strip_width, legend_text_y, format_percent(1, 0), kLabelSize - 1, "end", "legend");

  return Chart{std::move(svg).finish(), heat_table(spec)};
}

}  // namespace dealflow::report
