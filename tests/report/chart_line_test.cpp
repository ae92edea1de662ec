// line_chart, interval_chart and histogram: marks against the data, censoring
// ticks, bands, reference lines, percent axes, bounds, determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <tuple>

#include "dealflow/report/chart.h"
#include "dealflow/report/svg.h"
#include "report/svg_bounds.h"
#include "report/xml_support.h"

namespace dealflow::report {
namespace {

using svg_bounds::expect_inside;
using svg_bounds::kNaN;

LineChartSpec survival_spec() {
  LineChartSpec spec;
  spec.title = "Время до закрытия (Каплан — Мейер)";
  spec.x_label = "дней с создания";
  spec.y_label = "доля ещё открытых";
  spec.x = {0, 10, 20, 35, 60};
  spec.series = {{"все сделки", {1, 0.8, 0.6, 0.45, 0.3}}};
  spec.step = true;
  spec.censor_series = 0;
  spec.censor_x = {5, 25, 60, 75, -3};  // 75 and −3 lie outside the curve's x
  spec.x_refs = {{35, "медиана 35 дн."}};
  spec.y_percent = true;
  spec.bands = {{{1, 0.7, 0.5, 0.35, 0.2}, {1, 0.9, 0.7, 0.55, 0.4}}};
  return spec;
}

TEST(LineChart, StepCurveWithCensoringTicksBandAndMedian) {
  const Chart chart = line_chart(survival_spec());
  const auto doc = xml_support::parse(chart.svg);
  ASSERT_TRUE(doc.ok()) << doc.error << "\n" << chart.svg;
  EXPECT_EQ(svg_bounds::marks(doc, "point"), 0);   // steps: no markers
  EXPECT_EQ(svg_bounds::marks(doc, "censor"), 3);  // 5, 25, 60
  EXPECT_EQ(doc.count("//svg:polygon[@class='band']"), 1);
  EXPECT_EQ(doc.count("//svg:line[@class='ref']"), 1);
  EXPECT_EQ(doc.count("//svg:text[.='медиана 35 дн.']"), 1);
  expect_inside(doc);
  // The step path: 5 points and 4 risers.
  const auto lines = doc.nodes("//svg:polyline[@class='line']");
  ASSERT_EQ(lines.size(), 1u);
  std::string points = xml_support::Doc::attr(lines[0], "points");
  EXPECT_EQ(std::count(points.begin(), points.end(), ','), 9);
  // A censoring tick at x = 25 sits at the curve's height there (0.6: the step from 20).
  const auto ticks = doc.nodes("//svg:line[contains(@class,'censor')]");
  const auto ys = [&](xmlNode* n) { return (svg_bounds::num(n, "y1") + svg_bounds::num(n, "y2")) / 2; };
  EXPECT_GT(ys(ticks[1]), ys(ticks[0]));  // at 25 (0.6) lower on the page than at 5 (0.8)
  EXPECT_GT(ys(ticks[2]), ys(ticks[1]));  // at 60 (0.3) lower still
  // Percent axis labels.
  EXPECT_GE(doc.count("//svg:text[@class='tick-label'][.='100\u00A0%']"), 1);
  // The table: percentages of the fractions.
  ASSERT_EQ(chart.table.rows.size(), 5u);
  EXPECT_EQ(chart.table.header, (std::vector<std::string>{"дней с создания", "все сделки"}));
  EXPECT_EQ(chart.table.rows[3], (std::vector<std::string>{"35", "45.0\u00A0%"}));
}

TEST(LineChart, StraightLinesMarkEveryFiniteValueAndBreakAtNaN) {
  LineChartSpec spec;
  spec.title = "Attainment";
  spec.x_label = "business day";
  spec.y_label = "won, RUB";
  spec.x = {1, 2, 3, 4, 5, 6};
  spec.series = {{"won", {10, 25, kNaN, 40, 42, 60}}, {"pacing", {10, 20, 30, 40, 50, 60}}};
  spec.y_refs = {{55, "plan"}};
  spec.y_decimals = 0;
  const Chart chart = line_chart(spec);
  const auto doc = xml_support::parse(chart.svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(svg_bounds::marks(doc, "point"), 11);
  EXPECT_EQ(doc.count("//svg:polyline[@class='line']"), 3);  // won: two runs; pacing: one
  EXPECT_EQ(doc.texts("//svg:text[@class='legend']"), (std::vector<std::string>{"won", "pacing"}));
  EXPECT_EQ(doc.count("//svg:text[@class='ref-label'][.='plan']"), 1);
  expect_inside(doc);
  EXPECT_EQ(chart.table.rows[2], (std::vector<std::string>{"3", "\u2014", "30"}));
  spec.markers = false;
  EXPECT_EQ(svg_bounds::marks(xml_support::parse(line_chart(spec).svg), "point"), 0);
}

TEST(LineChart, FixedYDomainClampsMarksInside) {
  LineChartSpec spec;
  spec.title = "Cumulative incidence";
  spec.x = {0, 30, 60};
  spec.series = {{"won", {0, 0.4, 1.3}}, {"lost", {0, -0.2, 0.5}}};
  spec.y_min = 0;
  spec.y_max = 1;
  const auto doc = xml_support::parse(line_chart(spec).svg);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(svg_bounds::marks(doc, "point"), 6);
  expect_inside(doc);
}

TEST(LineChart, EmptyAndDegenerateSpecs) {
  LineChartSpec spec;
  spec.title = "Empty";
  const auto empty = xml_support::parse(line_chart(spec).svg);
  ASSERT_TRUE(empty.ok());
  expect_inside(empty);
  spec.x = {5};
  spec.series = {{"one", {kNaN}}};
  spec.censor_series = 0;
  spec.censor_x = {5};
  const auto single = xml_support::parse(line_chart(spec).svg);
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(svg_bounds::marks(single, "point"), 0);
  EXPECT_EQ(svg_bounds::marks(single, "censor"), 0);  // no curve there
  expect_inside(single);
}

TEST(LineChart, RandomSpecsStayInsideTheViewBox) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> n(0, 40), sers(1, 3);
  std::uniform_real_distribution<double> v(-2, 3e6), u(0, 1);
  for (int trial = 0; trial < 60; ++trial) {
    LineChartSpec spec;
    spec.title = "Кривая " + std::to_string(trial);
    spec.x_label = "дней";
    spec.y_label = "доля";
    spec.step = trial % 2 == 0;
    spec.y_percent = trial % 3 == 0;
    const int points = n(rng);
    double x = 0;
    for (int i = 0; i < points; ++i) spec.x.push_back(x += 1 + 100 * u(rng));
    int finite = 0;
    for (int s = sers(rng); s > 0; --s) {
      Series ser{"s" + std::to_string(s), {}};
      for (int i = 0; i < points; ++i) {
        const double y = rng() % 9 == 0 ? kNaN : (spec.y_percent ? u(rng) : v(rng));
        finite += std::isfinite(y) ? 1 : 0;
        ser.values.push_back(y);
      }
      spec.series.push_back(ser);
    }
    spec.censor_series = 0;
    for (int i = 0; i < 10; ++i) spec.censor_x.push_back(x * u(rng));
    spec.x_refs = {{x * u(rng), "медиана"}, {x * u(rng), "P90 очень длинная подпись линии"}};
    const auto doc = xml_support::parse(line_chart(spec).svg);
    ASSERT_TRUE(doc.ok()) << doc.error;
    EXPECT_EQ(svg_bounds::marks(doc, "point"), spec.step ? 0 : finite);
    for (const std::string& bad : svg_bounds::outside(doc)) ADD_FAILURE() << "trial " << trial << ": " << bad;
  }
}

TEST(IntervalChart, PointsWithErrorBars) {
  IntervalChartSpec spec;
  spec.title = "Доля выигранных по месяцу создания";
  spec.category_label = "месяц создания";
  spec.value_label = "доля выигранных";
  spec.categories = {"2024-01", "2024-02", "2024-03", "2024-04"};
  spec.values = {0.25, kNaN, 0.5, 0.4};
  spec.low = {0.1, kNaN, 0.3, kNaN};
  spec.high = {0.45, kNaN, 0.7, kNaN};
  const Chart chart = interval_chart(spec);
  const auto doc = xml_support::parse(chart.svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(svg_bounds::marks(doc, "point"), 3);
  EXPECT_EQ(doc.count("//svg:line[@class='interval']"), 6);  // two intervals: a bar and two caps each
  EXPECT_EQ(doc.texts("//svg:text[@class='category']"),
            (std::vector<std::string>{"2024-01", "2024-02", "2024-03", "2024-04"}));
  expect_inside(doc);
  EXPECT_EQ(chart.table.header,
            (std::vector<std::string>{"месяц создания", "доля выигранных", "low", "high"}));
  EXPECT_EQ(chart.table.rows[0],
            (std::vector<std::string>{"2024-01", "25.0\u00A0%", "10.0\u00A0%", "45.0\u00A0%"}));
  EXPECT_EQ(chart.table.rows[1], (std::vector<std::string>{"2024-02", "\u2014", "\u2014", "\u2014"}));
}

TEST(IntervalChart, ManyCategoriesThinTheLabels) {
  IntervalChartSpec spec;
  spec.title = "48 months";
  for (int m = 0; m < 48; ++m) {
    spec.categories.push_back("Сентябрь " + std::to_string(2000 + m));
    spec.values.push_back(0.02 * m);
    spec.low.push_back(0.01 * m);
    spec.high.push_back(std::min(1.0, 0.03 * m));
  }
  const auto doc = xml_support::parse(interval_chart(spec).svg);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(svg_bounds::marks(doc, "point"), 48);
  const int labels = doc.count("//svg:text[@class='category']");
  EXPECT_GT(labels, 2);
  EXPECT_LT(labels, 48);
  expect_inside(doc);
}

TEST(Histogram, BarsPerBinReferenceLinesAndTable) {
  HistogramSpec spec;
  spec.title = "Выигранная сумма за период (Монте-Карло)";
  spec.x_label = "сумма, RUB";
  spec.y_label = "прогонов";
  spec.edges = {0, 250000, 500000, 750000, 1000000};
  spec.counts = {120, 480, kNaN, 100};
  spec.refs = {{310000, "P10"}, {560000, "P50"}, {880000, "P90"}, {700000, "план"}};
  const Chart chart = histogram(spec);
  const auto doc = xml_support::parse(chart.svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(svg_bounds::marks(doc, "bar"), 3);
  EXPECT_EQ(doc.count("//svg:line[@class='ref']"), 4);
  EXPECT_EQ(doc.texts("//svg:text[@class='ref-label']"),
            (std::vector<std::string>{"P10", "P50", "P90", "план"}));
  expect_inside(doc);
  // Bar heights proportional to the counts (480 / 120 = 4), widths equal.
  const auto bars = doc.nodes("//svg:rect[contains(@class,'mark')]");
  EXPECT_NEAR(svg_bounds::num(bars[1], "height") / svg_bounds::num(bars[0], "height"), 4, 0.02);
  EXPECT_NEAR(svg_bounds::num(bars[1], "width"), svg_bounds::num(bars[0], "width"), 0.02);
  ASSERT_EQ(chart.table.rows.size(), 4u);
  EXPECT_EQ(chart.table.header, (std::vector<std::string>{"сумма, RUB, from", "сумма, RUB, to", "прогонов"}));
  EXPECT_EQ(chart.table.rows[1], (std::vector<std::string>{"250\u2009000", "500\u2009000", "480"}));
  EXPECT_EQ(chart.table.rows[2][2], "\u2014");
  EXPECT_EQ(
      chart.table.caption,
      "Выигранная сумма за период (Монте-Карло) (P10: 310\u2009000; P50: 560\u2009000; P90: 880\u2009000; "
      "план: 700\u2009000)");
}

TEST(Histogram, MismatchedAndEmptyInputsDrawWhatIsThere) {
  HistogramSpec spec;
  spec.title = "h";
  spec.edges = {0, 1, 2};
  spec.counts = {3, 4, 5};  // one count too many: two bins
  EXPECT_EQ(svg_bounds::marks(xml_support::parse(histogram(spec).svg), "bar"), 2);
  spec.edges.clear();
  const auto doc = xml_support::parse(histogram(spec).svg);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(svg_bounds::marks(doc, "bar"), 0);
  expect_inside(doc);
}

TEST(Charts, SameSpecSameBytes) {
  EXPECT_EQ(line_chart(survival_spec()).svg, line_chart(survival_spec()).svg);
  IntervalChartSpec spec;
  spec.categories = {"a"};
  spec.values = {0.5};
  EXPECT_EQ(interval_chart(spec).svg, interval_chart(spec).svg);
}

}  // namespace
}  // namespace dealflow::report

namespace dealflow::report {
namespace {

TEST(LineChart, ExtremeValuesStayWellFormedAndInside) {
  for (const std::vector<double>& values : std::vector<std::vector<double>>{
           {1e308, -1e308, 0}, {1e-300, 4e-320, 0}, {1e15, 1e15 + 1, 1e15 + 2}}) {
    LineChartSpec spec;
    spec.title = "extreme";
    spec.x = {1e308, -1e308, 0};
    spec.series = {{"v", values}};
    spec.censor_series = 0;
    spec.censor_x = {0, 1};
    const Chart chart = line_chart(spec);
    const auto doc = xml_support::parse(chart.svg);
    ASSERT_TRUE(doc.ok()) << doc.error;
    EXPECT_EQ(chart.svg.find("nan"), std::string::npos);
    EXPECT_EQ(chart.svg.find("inf"), std::string::npos);
    for (const std::string& bad : svg_bounds::outside(doc)) ADD_FAILURE() << values[0] << ": " << bad;
    HistogramSpec h;
    h.edges = {-1e308, 0, 1e308};
    h.counts = values;
    const auto hdoc = xml_support::parse(histogram(h).svg);
    ASSERT_TRUE(hdoc.ok());
    for (const std::string& bad : svg_bounds::outside(hdoc)) ADD_FAILURE() << "histogram: " << bad;
  }
}

}  // namespace
}  // namespace dealflow::report

namespace dealflow::report {
namespace {

// Every chart: a visible title, both axis labels, and a table whose rows are as wide as its header.
TEST(Charts, TitlesAxisLabelsAndRectangularTables) {
  LineChartSpec line = survival_spec();
  IntervalChartSpec interval;
  interval.title = "Доля выигранных";
  interval.category_label = "месяц";
  interval.value_label = "доля, %";
  interval.categories = {"2024-01", "2024-02"};
  interval.values = {0.2, 0.3};
  interval.low = {0.1, 0.2};
  interval.high = {0.3, 0.4};
  HistogramSpec hist;
  hist.title = "Распределение";
  hist.x_label = "сумма, RUB";
  hist.y_label = "прогонов";
  hist.edges = {0, 1, 2};
  hist.counts = {1, 2};
  BarChartSpec bar;
  bar.title = "Этапы";
  bar.value_label = "сделок";
  bar.category_label = "этап";
  bar.categories = {"Новая"};
  bar.series = {{"n", {3}}};
  const std::vector<std::tuple<Chart, std::string, std::string, std::string>> cases = {
      {line_chart(line), line.title, line.x_label, line.y_label},
      {interval_chart(interval), interval.title, interval.category_label, interval.value_label},
      {histogram(hist), hist.title, hist.x_label, hist.y_label},
      {bar_chart(bar), bar.title, bar.value_label, bar.category_label}};
  for (const auto& [chart, title, x_label, y_label] : cases) {
    const auto doc = xml_support::parse(chart.svg);
    ASSERT_TRUE(doc.ok()) << doc.error;
    EXPECT_EQ(doc.texts("//svg:text[@class='title']"), std::vector<std::string>{title});
    EXPECT_EQ(doc.count("//svg:text[@class='axis-label'][.='" + x_label + "']"), 1) << title;
    EXPECT_EQ(doc.count("//svg:text[@class='axis-label'][.='" + y_label + "']"), 1) << title;
    for (const auto& row : chart.table.rows) EXPECT_EQ(row.size(), chart.table.header.size()) << title;
    EXPECT_EQ(chart.table.numeric.size(), chart.table.header.size()) << title;
    EXPECT_TRUE(xml_support::parse(table_html(chart.table)).ok()) << title;
  }
}

}  // namespace
}  // namespace dealflow::report
