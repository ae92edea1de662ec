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

namespace dealflow::report {
namespace {

constexpr double kMargin = 8;
constexpr double kTitleSize = 15;
constexpr double kLabelSize = 11;
constexpr double kTickSize = 10;
constexpr double kBarTextSize = 10;
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
  if (!std::isfinite(value)) return "—";
  if (total) return format_number(value, decimals);
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
  const std::vector<double> ticks = nice_ticks(lo, hi, 6);

  double tick_width = 0;
  for (double t : ticks) tick_width = std::max(tick_width, text_width(format_number(t), kTickSize));
  const double axis_label_x = kMargin + kLabelSize;
  const double plot_left = axis_label_x + 8 + tick_width + 6;
  const double plot_right = kChartWidth - kMargin;
  const double legend_y = kMargin + kTitleSize + 20;
  const double plot_top = legend_y + 12 + kBarTextSize + 8;
  const double plot_bottom = plot_top + kPlotHeight;
  const double height = plot_bottom + kLabelSize + 14;
  const LinearScale y{ticks.front(), ticks.back(), plot_bottom, plot_top};
  const double slot = n > 0 ? (plot_right - plot_left) / static_cast<double>(n) : 0;
  const double bar_width = slot * kBarShare;

  SvgBuilder svg(kChartWidth, height, spec.title);
  svg.text(kMargin, kMargin + kTitleSize, fit_text(spec.title, kTitleSize, kChartWidth - 2 * kMargin),
           kTitleSize, "start", "title");

  // Legend: the kinds of bar the chart holds.
  double legend_x = plot_left;
  auto legend_entry = [&](std::string_view colour, std::string_view name) {
    svg.rect(legend_x, legend_y - 9, 10, 10, colour, "legend");
    svg.text(legend_x + 14, legend_y, name, kLabelSize, "start", "legend");
    legend_x += 14 + text_width(name, kLabelSize) + 16;
  };
  auto has = [&](Kind kind) {
    return std::any_of(steps.begin(), steps.end(),
                       [&](const Resolved& s) { return s.drawn && s.kind == kind; });
  };
  legend_entry(kTotalColour, "total");
  if (has(Kind::kIncrease)) legend_entry(kIncreaseColour, "increase");
  if (has(Kind::kDecrease)) legend_entry(kDecreaseColour, "decrease");

  // Value axis: grid lines with their tick labels, the zero line darker.
  for (double t : ticks) {
    svg.line(plot_left, y(t), plot_right, y(t), t == 0 ? "#888" : "#e3e3e3", 1, "grid");
    svg.text(plot_left - 6, y(t) + kTickSize * 0.35, format_number(t), kTickSize, "end", "tick-label");
  }
  svg.text(axis_label_x, (plot_top + plot_bottom) / 2, fit_text(spec.value_label, kLabelSize, kPlotHeight),
           kLabelSize, "middle", "axis-label", -90);

  for (std::size_t i = 0; i < n; ++i) {
    const WaterfallStep& step = spec.steps[i];
    const Resolved& s = steps[i];
    const double x = plot_left + slot * static_cast<double>(i) + (slot - bar_width) / 2;
    const double centre = x + bar_width / 2;
    svg.text(centre, plot_bottom + kLabelSize + 6, fit_text(step.label, kLabelSize, slot - 4), kLabelSize,
             "middle", "tick-label");
    if (i + 1 < n) {  // the connector at this step's end level to the next bar
      svg.line(x + bar_width, y(s.to), x + slot, y(s.to), "#777", 1, "connector", "3,2");
    }
    if (!s.drawn) continue;

    const std::string_view colour = s.kind == Kind::kTotal      ? kTotalColour
                                    : s.kind == Kind::kIncrease ? kIncreaseColour
                                                                : kDecreaseColour;
    const std::string value_text = signed_value(step.value, spec.value_decimals, s.kind == Kind::kTotal);
    const std::string bar_text = step.text.empty() ? value_text : step.text;
    const double top = std::min(y(s.from), y(s.to));
    double bar_height = std::fabs(y(s.from) - y(s.to));
    const double bar_y = bar_height > 0 ? top : top - 0.5;  // a zero step stays visible as a hairline
    bar_height = std::max(bar_height, 1.0);

    if (!step.link.empty()) svg.begin_link(href_of(step.link));
    svg.rect(
        x, bar_y, bar_width, bar_height, colour, "mark step",
        step.label + ": " + bar_text + " (running total " + format_number(s.to, spec.value_decimals) + ")");
    svg.text(centre, bar_y - 4, fit_text(bar_text, kBarTextSize, slot - 2), kBarTextSize, "middle",
             "bar-label");
    if (!step.link.empty()) svg.end_link();
  }

  return Chart{std::move(svg).finish(), waterfall_table(spec, steps)};
}

}  // namespace dealflow::report
