// dealflow/report/chart.h: the report's charts, each drawn as one inline SVG
// together with the table of its numbers (the accessible view under the chart:
// screen readers and copy-paste read the table, not the picture).
//
// A chart function takes a spec (plain data, owned by the caller) and returns a
// Chart holding the SVG markup and the Table; nothing is kept. Every data mark
// (a bar, a point, a cell, a censoring tick, a waterfall step) carries the
// class "mark" plus its kind ("mark bar", "mark point", "mark cell",
// "mark censor", "mark step"), so a test can count the marks against the data;
// axes, grid lines, labels and legends never carry "mark". Every chart has a
// visible title, axis labels with units (the spec's `x_label` / `y_label`) and a
// legend when it has more than one series. Charts are at most kChartWidth wide
// and scale down with the page (max-width: 100 %). Long category labels are cut
// with "…" (text_width) so that nothing is drawn outside the viewBox.
//
// Non-finite values (NaN: a rate with a zero denominator) draw no mark and
// show as "—" in the table.
//
// Thread-safety: pure functions.
//
// Example:
//   dealflow::report::BarChartSpec spec;
//   spec.title = "Open deals per stage";
//   spec.value_label = "deals";
//   spec.categories = {"Новая", "Квалификация", "КП"};
//   spec.series = {{"deals", {120, 80, 30}}};
//   auto chart = dealflow::report::bar_chart(spec);
//   html << chart.svg << dealflow::report::table_html(chart.table);
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace dealflow::report {

inline constexpr double kChartWidth = 720;

// The numbers of a chart as the HTML table under it. Cells are display text
// (already formatted); `numeric[c]` right-aligns column c.
struct Table {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;  // per column; missing means false
};
// <table class="data"> with <caption>, <thead> and <tbody>; text escaped.
std::string table_html(const Table& table);

struct Chart {
  std::string svg;  // one <svg> element
  Table table;
};

struct Series {
  std::string name;
  std::vector<double> values;  // one per category (bar charts) or per x (line charts)
};

// Horizontal bars, one row per category; several series are grouped side by
// side within the row. `bar_labels[s][c]` (optional) is written at the end of
// bar (s, c), e.g. "840 · −32.5 %"; `links[c]` (optional) makes the row's bars
// links (an in-page anchor "#..."). The value axis starts at 0.
struct BarChartSpec {
  std::string title;
  std::string value_label;  // the value axis label with its unit, e.g. "amount, RUB"
  std::string category_label;  // e.g. "stage"
  std::vector<std::string> categories;
  std::vector<Series> series;
  std::vector<std::vector<std::string>> bar_labels;
  std::vector<std::string> links;
  int value_decimals = 0;  // of the table's value columns
};
Chart bar_chart(const BarChartSpec& spec);

// Lines over a numeric x axis. `step` draws each series as a right-continuous
// step function (survival curves); otherwise straight segments. Each value is a
// "mark point" (a small circle; steps: none) unless `markers` is false.
// Censoring ticks (short vertical "mark censor" lines) go on series
// `censor_series` at the x values `censor_x` (at the curve's height there).
// `bands[s]` (optional) is a shaded interval (lower, upper) around series s.
// Vertical and horizontal reference lines (the median, the plan) are drawn
// dashed with their label.
struct RefLine {
  double value = 0;
  std::string label;
};
struct LineChartSpec {
  std::string title;
  std::string x_label;  // with unit, e.g. "days since created"
  std::string y_label;  // e.g. "share still open"
  std::vector<double> x;
  std::vector<Series> series;
  bool step = false;
  bool markers = true;
  std::vector<std::pair<std::vector<double>, std::vector<double>>> bands;  // per series, may be empty
  int censor_series = -1;
  std::vector<double> censor_x;
  std::vector<RefLine> x_refs;
  std::vector<RefLine> y_refs;
  std::optional<double> y_min, y_max;  // default: from the data (0 included)
  int x_decimals = 0, y_decimals = 2;  // of the table
  bool y_percent = false;              // axis and table as percentages of fractions
};
Chart line_chart(const LineChartSpec& spec);

// Points with error bars per category (win rate by month with Wilson
// intervals): one "mark point" per finite value, its [low, high] as a
// vertical line.
struct IntervalChartSpec {
  std::string title;
  std::string category_label;
  std::string value_label;
  std::vector<std::string> categories;
  std::vector<double> values, low, high;
  bool percent = true;
};
Chart interval_chart(const IntervalChartSpec& spec);

// Cells row × column coloured by a share in [0, 1] (sequential_colour), the
// share written in each cell; NaN cells are blank (no mark).
struct HeatMapSpec {
  std::string title;
  std::string row_label;     // e.g. "created month"
  std::string column_label;  // e.g. "furthest stage reached"
  std::vector<std::string> rows, columns;
  std::vector<std::vector<double>> shares;  // [row][column]
  std::vector<std::vector<std::string>> cell_text;  // optional table/tooltip text, e.g. "12 of 40"
};
Chart heat_map(const HeatMapSpec& spec);

// A waterfall: the first and last steps are totals (bars from 0), the others
// deltas floating from the running total (increase / decrease coloured apart).
// `links[i]` (optional) makes step i a link to an in-page anchor.
struct WaterfallStep {
  std::string label;
  double value = 0;  // total for the first and last step, signed delta otherwise
  std::string link;
  std::string text;  // shown on the bar and in the table, e.g. "+12 · 1 240 000 RUB"
};
struct WaterfallSpec {
  std::string title;
  std::string value_label;  // e.g. "open pipeline, RUB"
  std::vector<WaterfallStep> steps;
  int value_decimals = 0;
};
Chart waterfall(const WaterfallSpec& spec);

// Vertical bars of a distribution: bin i covers [edges[i], edges[i+1]) and
// holds counts[i] (edges.size() == counts.size() + 1); reference lines (P10,
// P50, P90, the plan) dashed and labelled.
struct HistogramSpec {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<double> edges;
  std::vector<double> counts;
  std::vector<RefLine> refs;
  int x_decimals = 0;
};
Chart histogram(const HistogramSpec& spec);

// Small multiples: one small bar chart per panel (say a funnel per manager)
// in a grid `columns` wide, sharing the value axis (the largest value of all
// panels). The table has one row per (panel, category).
struct SmallMultiplesSpec {
  std::string title;
  std::string value_label;
  std::vector<std::string> categories;  // shared by the panels
  std::vector<std::string> panel_titles;
  std::vector<std::vector<double>> values;  // [panel][category]
  int columns = 3;
};
Chart small_multiples(const SmallMultiplesSpec& spec);

}  // namespace dealflow::report
