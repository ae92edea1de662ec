// waterfall: the first and last steps are totals drawn from 0, the steps
// between them deltas floating from the running total (increases and decreases
// coloured apart), dashed connectors at each step's end level, the step's text
// above its bar, and each step optionally a link to its deal list.
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

constexpr double kPlotHeight = 240;
constexpr double kBarShare = 0.6;  // of a step's slot; the rest is the gap

const std::string_view kTotalColour = kPalette[0];
const std::string_view kIncreaseColour = kPalette[2];
const std::string_view kDecreaseColour = kPalette[3];

enum class Kind { kTotal, kIncrease, kDecrease };

// One step resolved: the levels its bar spans (from -> to) and the level the
// running total is at after it.
struct Resolved {
  Kind kind = Kind::kTotal;
  bool drawn = false;  // false for a non-finite value
  double from = 0, to = 0;
};

bool is_total(std::size_t i, std::size_t n) {
  return i == 0 || i + 1 == n;
}

std::vector<Resolved> resolve(const WaterfallSpec& spec) {
  std::vector<Resolved> out;
  double running = 0;
  const std::size_t n = spec.steps.size();
  for (std::size_t i = 0; i < n; ++i) {
    const double value = spec.steps[i].value;
    Resolved step;
    step.drawn = std::isfinite(value);
    if (is_total(i, n)) {
      step.kind = Kind::kTotal;
      step.from = 0;
      step.to = step.drawn ? value : running;
    } else {
      step.kind = value < 0 ? Kind::kDecrease : Kind::kIncrease;
      step.from = running;
      step.to = step.drawn ? running + value : running;
    }
    running = step.to;
    out.push_back(step);
  }
  return out;
}

// "+12", "−3", "1 250" (totals carry no sign).
std::string signed_value(double value, int decimals, bool total) {
  if (!std::isfinite(value) || total) return table_value(value, decimals);
  const std::string magnitude = format_number(std::fabs(value), decimals);
  if (value > 0) return "+" + magnitude;
  if (value < 0) return "−" + magnitude;
  return magnitude;
}

std::string href_of(const std::string& link) {
  return link.starts_with('#') ? link : "#list-" + link;
}

Table waterfall_table(const WaterfallSpec& spec, const std::vector<Resolved>& steps) {
  const bool with_text = std::any_of(spec.steps.begin(), spec.steps.end(),
                                     [](const WaterfallStep& s) { return !s.text.empty(); });
  Table table;
  table.caption = spec.title;
  table.header = {"step", spec.value_label, "running total"};
  table.numeric = {false, true, true};
  if (with_text) {
    table.header.push_back("details");
    table.numeric.push_back(false);
  }
  for (std::size_t i = 0; i < spec.steps.size(); ++i) {
    const WaterfallStep& step = spec.steps[i];
    std::vector<std::string> row{step.label,
                                 signed_value(step.value, spec.value_decimals, steps[i].kind == Kind::kTotal),
                                 format_number(steps[i].to, spec.value_decimals)};
    if (with_text) row.push_back(step.text);
    table.rows.push_back(std::move(row));
  }
  return table;
}

}  // namespace

Chart waterfall(const WaterfallSpec& spec) {
  const std::vector<Resolved> steps = resolve(spec);
  const std::size_t n = steps.size();

  double lo = 0, hi = 0;
  for (const Resolved& s : steps) {
    lo = std::min({lo, s.from, s.to});
    hi = std::max({hi, s.from, s.to});
  }
  const AxisTicks ticks = make_ticks(lo, hi, 6);

  // Top down: title, legend, the value-axis label, a line of room for the bar
  // texts above the highest bar, the plot, the step labels.
  const double legend_top = kPad + line_height(kTitleSize);
  const double axis_label_baseline = legend_top + line_height(kLabelSize) + 4 + kAscent * kLabelSize;
  Box plot;
  plot.x0 = kPad + tick_label_width(ticks) + 8;
  plot.x1 = kChartWidth - kPad;
  plot.y0 = axis_label_baseline + kDescent * kLabelSize + line_height(kTickSize) + 4;
  plot.y1 = plot.y0 + kPlotHeight;
  const double step_label_baseline = plot.y1 + 4 + kAscent * kLabelSize;
  const double height = plot.y1 + 4 + line_height(kLabelSize) + kPad;
  const LinearScale y{ticks.lo(), ticks.hi(), plot.y1, plot.y0};
  const double slot = n > 0 ? plot.width() / static_cast<double>(n) : 0;
  const double bar_width = slot * kBarShare;

  SvgBuilder svg(kChartWidth, height, spec.title);
  draw_title(svg, spec.title, kChartWidth);

  // Legend: the kinds of bar the chart holds (colours by kind, not by series,
  // so not draw_legend).
  double legend_x = kPad;
  const double legend_baseline = legend_top + kAscent * kLabelSize;
  auto legend_entry = [&](std::string_view colour, std::string_view name) {
    svg.rect(legend_x, legend_baseline - 10, 10, 10, colour, "legend-swatch");
    svg.text(legend_x + 14, legend_baseline, name, kLabelSize, "start", "legend");
    legend_x += 14 + text_width(name, kLabelSize) + 16;
  };
  auto has = [&](Kind kind) {
    return std::any_of(steps.begin(), steps.end(),
                       [&](const Resolved& s) { return s.drawn && s.kind == kind; });
  };
  legend_entry(kTotalColour, "total");
  if (has(Kind::kIncrease)) legend_entry(kIncreaseColour, "increase");
  if (has(Kind::kDecrease)) legend_entry(kDecreaseColour, "decrease");

  draw_y_label(svg, axis_label_baseline, spec.value_label, kChartWidth);
  draw_y_value_axis(svg, plot, y, ticks, true);
  if (ticks.lo() < 0) svg.line(plot.x0, y(0), plot.x1, y(0), kAxisColour, 1, "axis");

  for (std::size_t i = 0; i < n; ++i) {
    const WaterfallStep& step = spec.steps[i];
    const Resolved& s = steps[i];
    const double slot_x = plot.x0 + slot * static_cast<double>(i);
    const double x = slot_x + (slot - bar_width) / 2;
    const double centre = x + bar_width / 2;
    draw_fitted_text(svg, centre, step_label_baseline, step.label, kLabelSize, "middle", slot_x + 1,
                     slot_x + slot - 1, "tick-label");
    if (i + 1 < n) {  // the connector at this step's end level to the next bar
      svg.line(x + bar_width, y(s.to), x + slot, y(s.to), "#777", 1, "connector", "3 2");
    }
    if (!s.drawn) continue;

    const std::string_view colour = s.kind == Kind::kTotal      ? kTotalColour
                                    : s.kind == Kind::kIncrease ? kIncreaseColour
                                                                : kDecreaseColour;
    const std::string value_text = signed_value(step.value, spec.value_decimals, s.kind == Kind::kTotal);
    const std::string bar_text = step.text.empty() ? value_text : step.text;
    // A step under 1 unit tall is drawn 1 unit tall, hanging from the level
    // before it towards its change, so that it stays visible and attached.
    double bar_y = std::min(y(s.from), y(s.to));
    double bar_height = std::fabs(y(s.from) - y(s.to));
    if (bar_height < 1) {
      bar_y = s.to >= s.from ? y(s.from) - 1 : y(s.from);
      bar_height = 1;
    }

    if (!step.link.empty()) svg.begin_link(href_of(step.link));
    svg.rect(
        x, bar_y, bar_width, bar_height, colour, "mark step",
        step.label + ": " + bar_text + " (running total " + format_number(s.to, spec.value_decimals) + ")");
    draw_fitted_text(svg, centre, bar_y - 3 - kDescent * kTickSize, bar_text, kTickSize, "middle", slot_x + 1,
                     slot_x + slot - 1, "bar-label");
    if (!step.link.empty()) svg.end_link();
  }

  return Chart{std::move(svg).finish(), waterfall_table(spec, steps)};
}

}  // namespace dealflow::report
