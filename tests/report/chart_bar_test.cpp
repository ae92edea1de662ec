// table_html and bar_chart: well-formed markup, one mark per finite value,
// everything inside the viewBox, Cyrillic labels, links, determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "dealflow/report/chart.h"
#include "dealflow/report/svg.h"
#include "report/svg_bounds.h"
#include "report/xml_support.h"

namespace dealflow::report {
namespace {

using svg_bounds::expect_inside;
using svg_bounds::kNaN;

BarChartSpec funnel_spec() {
  BarChartSpec spec;
  spec.title = "Открытые сделки по этапам";
  spec.value_label = "сделок";
  spec.category_label = "этап";
  spec.categories = {"Новая", "Квалификация", "КП", "Согласование договора"};
  spec.series = {{"count", {120, 80, kNaN, 30}}};
  spec.bar_labels = {{"120", "80 · \u221233.3 %", "", "30 · \u221262.5 %"}};
  spec.links = {"#list-new", "", "#list-kp", "https://example.com/"};
  return spec;
}

TEST(TableHtml, EscapedCellsNumericColumnsAndCaption) {
  Table t;
  t.caption = "Воронка <Q3>";
  t.header = {"этап", "сделок"};
  t.numeric = {false, true};
  t.rows = {{"Новая & <b>", "1\u2009250"}, {"КП", "\u2014"}};
  const std::string html = table_html(t);
  const auto doc = xml_support::parse(html);
  ASSERT_TRUE(doc.ok()) << doc.error << "\n" << html;
  EXPECT_EQ(doc.texts("/table/caption"), std::vector<std::string>{"Воронка <Q3>"});
  EXPECT_EQ(doc.texts("/table/@class"), std::vector<std::string>{"data"});
  EXPECT_EQ(doc.texts("/table/thead/tr/th"), (std::vector<std::string>{"этап", "сделок"}));
  EXPECT_EQ(doc.texts("/table/tbody/tr/td[1]"), (std::vector<std::string>{"Новая & <b>", "КП"}));
  EXPECT_EQ(doc.texts("/table/tbody/tr/td[@class='num']"),
            (std::vector<std::string>{"1\u2009250", "\u2014"}));
  EXPECT_EQ(doc.count("/table/thead/tr/th[@class='num']"), 1);
  Table no_caption;
  no_caption.header = {"a"};
  EXPECT_EQ(xml_support::parse(table_html(no_caption)).count("//caption"), 0);
}

TEST(BarChart, OneBarPerFiniteValueAndADashInTheTable) {
  const Chart chart = bar_chart(funnel_spec());
  const auto doc = xml_support::parse(chart.svg);
  ASSERT_TRUE(doc.ok()) << doc.error << "\n" << chart.svg;
  EXPECT_EQ(svg_bounds::marks(doc, "bar"), 3);  // NaN for "КП": no bar
  EXPECT_EQ(doc.count("//svg:rect[contains(@class,'mark')]"), 3);
  expect_inside(doc);
  // The table: one row per category, the value formatted, "—" for NaN.
  ASSERT_EQ(chart.table.rows.size(), 4u);
  EXPECT_EQ(chart.table.header, (std::vector<std::string>{"этап", "count"}));
  EXPECT_EQ(chart.table.rows[0], (std::vector<std::string>{"Новая", "120"}));
  EXPECT_EQ(chart.table.rows[2], (std::vector<std::string>{"КП", "\u2014"}));
  EXPECT_EQ(chart.table.numeric, (std::vector<bool>{false, true}));
  EXPECT_EQ(chart.table.caption, "Открытые сделки по этапам");
}

TEST(BarChart, BarLengthsAreProportionalFromZero) {
  BarChartSpec spec;
  spec.title = "t";
  spec.categories = {"a", "b"};
  spec.series = {{"v", {250, 1000}}};
  const auto doc = xml_support::parse(bar_chart(spec).svg);
  const auto bars = doc.nodes("//svg:rect[contains(@class,'mark')]");
  ASSERT_EQ(bars.size(), 2u);
  const double w0 = svg_bounds::num(bars[0], "width"), w1 = svg_bounds::num(bars[1], "width");
  EXPECT_NEAR(w1 / w0, 4.0, 0.01);  // ticks 0..1000: both start at x(0)
  EXPECT_EQ(svg_bounds::num(bars[0], "x"), svg_bounds::num(bars[1], "x"));
}

TEST(BarChart, CyrillicLabelsRoundTripAndLongOnesAreCut) {
  const Chart chart = bar_chart(funnel_spec());
  const auto doc = xml_support::parse(chart.svg);
  const auto categories = doc.texts("//svg:text[@class='category']");
  ASSERT_EQ(categories.size(), 4u);
  EXPECT_EQ(categories[0], "Новая");
  EXPECT_EQ(categories[1], "Квалификация");
  EXPECT_EQ(doc.texts("/svg:svg/svg:title"), std::vector<std::string>{"Открытые сделки по этапам"});
  EXPECT_EQ(doc.count("//svg:text[.='Открытые сделки по этапам']"), 1);
  EXPECT_EQ(doc.count("//svg:text[.='сделок']"), 1);  // the value-axis label
  EXPECT_EQ(doc.count("//svg:text[.='этап']"), 1);    // the category-axis label
  EXPECT_EQ(doc.count("//svg:text[.='80 · \u221233.3 %']"), 1);

  BarChartSpec spec = funnel_spec();
  spec.categories[0] =
      std::string("Очень длинное название этапа, которое не помещается ") + std::string(40, 'W');
  spec.title = std::string(200, 'W');
  const auto cut = xml_support::parse(bar_chart(spec).svg);
  ASSERT_TRUE(cut.ok());
  expect_inside(cut);
  const auto first = cut.texts("//svg:text[@class='category']")[0];
  EXPECT_EQ(first.substr(first.size() - 3), "\u2026");
  EXPECT_EQ(first.rfind("Очень", 0), 0u);
}

TEST(BarChart, InPageLinksWrapTheRowsBars) {
  const auto doc = xml_support::parse(bar_chart(funnel_spec()).svg);
  // "#list-kp" has no bar (NaN) but its link is still written (empty); the external link is dropped.
  EXPECT_EQ(doc.texts("//svg:a/@href"), (std::vector<std::string>{"#list-new", "#list-kp"}));
  EXPECT_EQ(doc.count("//svg:a[@href='#list-new']/svg:rect[contains(@class,'mark')]"), 1);
  EXPECT_EQ(doc.count("//svg:a[contains(@href,'http')]"), 0);
}

TEST(BarChart, GroupedSeriesHaveALegendAndOneBarEach) {
  BarChartSpec spec;
  spec.title = "By count and by amount";
  spec.value_label = "deals";
  spec.categories = {"New", "Qualified", "Proposal"};
  spec.series = {{"this period", {10, 8, 3}}, {"previous", {12, kNaN, 4}}, {"plan", {9, 9, 9}}};
  const auto doc = xml_support::parse(bar_chart(spec).svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(svg_bounds::marks(doc, "bar"), 8);
  EXPECT_EQ(doc.texts("//svg:text[@class='legend']"),
            (std::vector<std::string>{"this period", "previous", "plan"}));
  EXPECT_EQ(doc.count("//svg:rect[@class='legend-swatch']"), 3);
  EXPECT_EQ(doc.count("//svg:rect[contains(@class,'mark')][@fill='#E69F00']"), 2);  // series 2, colour 2
  expect_inside(doc);
  const auto table = bar_chart(spec).table;
  EXPECT_EQ(table.header, (std::vector<std::string>{"category", "this period", "previous", "plan"}));
  EXPECT_EQ(table.rows[1], (std::vector<std::string>{"Qualified", "8", "\u2014", "9"}));
}

TEST(BarChart, SingleSeriesHasNoLegendAndEmptySpecsStillDraw) {
  EXPECT_EQ(xml_support::parse(bar_chart(funnel_spec()).svg).count("//svg:text[@class='legend']"), 0);
  BarChartSpec empty;
  empty.title = "Nothing";
  const auto doc = xml_support::parse(bar_chart(empty).svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(svg_bounds::marks(doc, "bar"), 0);
  expect_inside(doc);
  BarChartSpec all_nan = funnel_spec();
  all_nan.series[0].values = {kNaN, kNaN, kNaN, kNaN};
  const auto nan_doc = xml_support::parse(bar_chart(all_nan).svg);
  ASSERT_TRUE(nan_doc.ok());
  EXPECT_EQ(svg_bounds::marks(nan_doc, "bar"), 0);
  expect_inside(nan_doc);
}

TEST(BarChart, NegativeValuesAndDecimals) {
  BarChartSpec spec;
  spec.title = "Change";
  spec.categories = {"up", "down"};
  spec.series = {{"delta", {12.25, -7.5}}};
  spec.value_decimals = 1;
  const Chart chart = bar_chart(spec);
  const auto doc = xml_support::parse(chart.svg);
  EXPECT_EQ(svg_bounds::marks(doc, "bar"), 2);
  expect_inside(doc);
  EXPECT_EQ(chart.table.rows[0][1], "12.2");  // 12.25 is exactly halfway: to_chars rounds to even
  EXPECT_EQ(chart.table.rows[1][1], "\u22127.5");
}

TEST(BarChart, RandomSpecsStayInsideTheViewBox) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> n(0, 14), series(1, 4), len(0, 60);
  std::uniform_real_distribution<double> value(-50, 5000);
  const std::vector<std::string> words = {"Ж", "Квалификация", "W", "iii", "Согласование", "x"};
  for (int trial = 0; trial < 60; ++trial) {
    BarChartSpec spec;
    spec.title = std::string(static_cast<std::size_t>(len(rng)), 'W');
    spec.value_label = "сумма, RUB";
    const int cats = n(rng), sers = series(rng);
    int finite = 0;
    for (int c = 0; c < cats; ++c) {
      std::string name;
      for (int k = len(rng) / 10; k >= 0; --k) name += words[rng() % words.size()];
      spec.categories.push_back(name);
    }
    spec.bar_labels.resize(static_cast<std::size_t>(sers));
    for (int s = 0; s < sers; ++s) {
      Series ser{"серия " + std::to_string(s) + std::string(static_cast<std::size_t>(len(rng)), 'm'), {}};
      for (int c = 0; c < cats; ++c) {
        const double v = rng() % 7 == 0 ? kNaN : value(rng);
        finite += std::isfinite(v) ? 1 : 0;
        ser.values.push_back(v);
        spec.bar_labels[static_cast<std::size_t>(s)].push_back(format_number(v) + " · " +
                                                               format_percent(v / 5000));
      }
      spec.series.push_back(ser);
    }
    const Chart chart = bar_chart(spec);
    const auto doc = xml_support::parse(chart.svg);
    ASSERT_TRUE(doc.ok()) << doc.error;
    EXPECT_EQ(svg_bounds::marks(doc, "bar"), finite);
    for (const std::string& bad : svg_bounds::outside(doc)) ADD_FAILURE() << "trial " << trial << ": " << bad;
    EXPECT_LE(svg_bounds::num(doc.nodes("/svg:svg")[0], "width"), kChartWidth);
  }
}

TEST(BarChart, SameSpecSameBytes) {
  EXPECT_EQ(bar_chart(funnel_spec()).svg, bar_chart(funnel_spec()).svg);
  EXPECT_EQ(table_html(bar_chart(funnel_spec()).table), table_html(bar_chart(funnel_spec()).table));
}

}  // namespace
}  // namespace dealflow::report

namespace dealflow::report {
namespace {

TEST(BarChart, ExtremeValuesStayWellFormedAndInside) {
  for (const std::vector<double>& values : std::vector<std::vector<double>>{
           {1e308, -1e308, 0}, {1e-300, 4e-320, 0}, {1e15, 1e15 + 1, 1e15 + 2}, {-5, -7, -1}}) {
    BarChartSpec spec;
    spec.title = "extreme";
    spec.categories = {"a", "b", "c"};
    spec.series = {{"v", values}};
    const Chart chart = bar_chart(spec);
    const auto doc = xml_support::parse(chart.svg);
    ASSERT_TRUE(doc.ok()) << doc.error;
    EXPECT_EQ(svg_bounds::marks(doc, "bar"), 3);
    EXPECT_EQ(chart.svg.find("nan"), std::string::npos);
    EXPECT_EQ(chart.svg.find("inf"), std::string::npos);
    for (const std::string& bad : svg_bounds::outside(doc)) ADD_FAILURE() << values[0] << ": " << bad;
  }
}

}  // namespace
}  // namespace dealflow::report
