// waterfall: totals from 0, deltas floating from the running total, the
// geometry read back from the SVG against the value scale, colours, links,
// connectors and the table.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "dealflow/report/chart.h"
#include "dealflow/report/svg.h"
#include "report/svg_bounds.h"
#include "report/xml_support.h"

namespace dealflow::report {
namespace {

using xml_support::Doc;

using svg_bounds::exact_num;

WaterfallSpec three_steps() {
  WaterfallSpec spec;
  spec.title = "Open pipeline";
  spec.value_label = "open pipeline, RUB";
  spec.steps = {
      {"open at start", 100, "", ""}, {"+ created", 50, "created", ""}, {"open at end", 150, "", ""}};
  return spec;
}

TEST(Waterfall, ThreeStepsRunningTotalsOnTheValueScale) {
  const Chart chart = waterfall(three_steps());
  const Doc doc = xml_support::parse(chart.svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  const auto bars = doc.nodes("//svg:rect[@class='mark step']");
  ASSERT_EQ(bars.size(), 3u);

  // The scale from the axis: ticks 0, 50, 100, 150 (nice_ticks(0, 150, 6)),
  // one grid line each, in order; y(v) = y(0) + (y(150) − y(0)) · v / 150.
  EXPECT_EQ(doc.texts("//svg:text[@class='tick-label' and not(@text-anchor='middle')]"),
            (std::vector<std::string>{"0", "50", "100", "150"}));
  const auto grid = doc.nodes("//svg:line[@class='grid']");
  ASSERT_EQ(grid.size(), 4u);
  const double y0 = exact_num(grid[0], "y1"), y150 = exact_num(grid[3], "y1");
  ASSERT_GT(y0, y150);
  auto y = [&](double v) { return y0 + (y150 - y0) * v / 150; };
  EXPECT_NEAR(exact_num(grid[2], "y1"), y(100), 0.01);

  // Step 1: the total 100 from 0. Step 2: +50 floating from 100 to 150.
  // Step 3: the total 150 from 0.
  EXPECT_NEAR(exact_num(bars[0], "y"), y(100), 0.01);
  EXPECT_NEAR(exact_num(bars[0], "height"), y(0) - y(100), 0.01);
  EXPECT_NEAR(exact_num(bars[1], "y"), y(150), 0.01);
  EXPECT_NEAR(exact_num(bars[1], "height"), y(100) - y(150), 0.01);
  EXPECT_NEAR(exact_num(bars[2], "y"), y(150), 0.01);
  EXPECT_NEAR(exact_num(bars[2], "height"), y(0) - y(150), 0.01);
  // By hand with the layout of chart_common.h: the plot spans y 80.5 .. 320.5
  // (240 units for 150), so 100 sits at 160.5.
  EXPECT_NEAR(exact_num(bars[0], "y"), 160.5, 0.01);
  EXPECT_NEAR(exact_num(bars[0], "height"), 160, 0.01);
  EXPECT_NEAR(exact_num(bars[1], "height"), 80, 0.01);

  // Equal widths, equal spacing, left to right.
  const double pitch = exact_num(bars[1], "x") - exact_num(bars[0], "x");
  EXPECT_GT(pitch, exact_num(bars[0], "width"));
  EXPECT_NEAR(exact_num(bars[2], "x") - exact_num(bars[1], "x"), pitch, 0.01);
  EXPECT_NEAR(exact_num(bars[2], "width"), exact_num(bars[0], "width"), 0.01);

  // Totals in the first colour, the increase in the third.
  EXPECT_EQ(Doc::attr(bars[0], "fill"), std::string(kPalette[0]));
  EXPECT_EQ(Doc::attr(bars[1], "fill"), std::string(kPalette[2]));
  EXPECT_EQ(Doc::attr(bars[2], "fill"), std::string(kPalette[0]));

  // Connectors at each step's end level, from one bar's right edge to the next bar.
  const auto connectors = doc.nodes("//svg:line[@class='connector']");
  ASSERT_EQ(connectors.size(), 2u);
  EXPECT_NEAR(exact_num(connectors[0], "y1"), y(100), 0.01);
  EXPECT_NEAR(exact_num(connectors[1], "y1"), y(150), 0.01);
  EXPECT_NEAR(exact_num(connectors[0], "x1"), exact_num(bars[0], "x") + exact_num(bars[0], "width"), 0.01);
  EXPECT_NEAR(exact_num(connectors[0], "x2"), exact_num(bars[1], "x"), 0.01);
  EXPECT_TRUE(svg_bounds::outside(doc).empty()) << svg_bounds::outside(doc).front();
}

TEST(Waterfall, BarTextsAndTheTable) {
  WaterfallSpec spec = three_steps();
  spec.steps[1].text = "+12 · 50 RUB";
  const Chart chart = waterfall(spec);
  const Doc doc = xml_support::parse(chart.svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(doc.texts("//svg:text[@class='bar-label']"),
            (std::vector<std::string>{"100", "+12 · 50 RUB", "150"}));

  ASSERT_EQ(chart.table.header,
            (std::vector<std::string>{"step", "open pipeline, RUB", "running total", "details"}));
  ASSERT_EQ(chart.table.rows.size(), 3u);
  EXPECT_EQ(chart.table.rows[0], (std::vector<std::string>{"open at start", "100", "100", ""}));
  EXPECT_EQ(chart.table.rows[1], (std::vector<std::string>{"+ created", "+50", "150", "+12 · 50 RUB"}));
  EXPECT_EQ(chart.table.rows[2], (std::vector<std::string>{"open at end", "150", "150", ""}));
  EXPECT_EQ(chart.table.numeric, (std::vector<bool>{false, true, true, false}));
}

TEST(Waterfall, DecreasesHangFromTheRunningTotal) {
  WaterfallSpec spec;
  spec.title = "Movement";
  spec.value_label = "deals";
  spec.steps = {{"start", 200, "", ""}, {"won", -50, "", ""}, {"lost", -30, "", ""}, {"end", 120, "", ""}};
  const Chart chart = waterfall(spec);
  const Doc doc = xml_support::parse(chart.svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  const auto bars = doc.nodes("//svg:rect[@class='mark step']");
  ASSERT_EQ(bars.size(), 4u);
  // Ticks 0, 50, ..., 200: y(v) from the first and last grid lines.
  const auto grid = doc.nodes("//svg:line[@class='grid']");
  ASSERT_EQ(grid.size(), 5u);
  const double y0 = exact_num(grid[0], "y1"), y200 = exact_num(grid[4], "y1");
  auto y = [&](double v) { return y0 + (y200 - y0) * v / 200; };
  // "won" spans 200 -> 150, "lost" 150 -> 120: the bar's top at the level before.
  EXPECT_NEAR(exact_num(bars[1], "y"), y(200), 0.01);
  EXPECT_NEAR(exact_num(bars[1], "height"), y(150) - y(200), 0.01);
  EXPECT_NEAR(exact_num(bars[2], "y"), y(150), 0.01);
  EXPECT_NEAR(exact_num(bars[2], "height"), y(120) - y(150), 0.01);
  EXPECT_EQ(Doc::attr(bars[1], "fill"), std::string(kPalette[3]));
  EXPECT_EQ(chart.table.rows[1][1], "−50");
  EXPECT_EQ(chart.table.rows[2][2], "120");
  EXPECT_EQ(doc.texts("//svg:text[@class='legend']"), (std::vector<std::string>{"total", "decrease"}));
}

TEST(Waterfall, StepsLinkToTheirDealLists) {
  const Chart chart = waterfall(three_steps());
  const Doc doc = xml_support::parse(chart.svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  ASSERT_EQ(doc.count("//svg:a"), 1);
  EXPECT_EQ(Doc::attr(doc.nodes("//svg:a")[0], "href"), "#list-created");
  EXPECT_EQ(doc.count("//svg:a[@href='#list-created']/svg:rect[@class='mark step']"), 1);
  EXPECT_EQ(doc.count("//svg:a/svg:text[@class='bar-label']"), 1);
}

TEST(Waterfall, NonFiniteStepDrawsNoMark) {
  WaterfallSpec spec = three_steps();
  spec.steps[1].value = std::nan("");
  const Chart chart = waterfall(spec);
  const Doc doc = xml_support::parse(chart.svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(doc.count("//svg:rect[@class='mark step']"), 2);
  EXPECT_EQ(chart.table.rows[1][1], "—");
  EXPECT_EQ(chart.table.rows[1][2], "100");  // the running total carries on
}

TEST(Waterfall, LongCyrillicLabelsStayInsideTheViewBox) {
  WaterfallSpec spec;
  spec.title =
      "Движение воронки продаж за третий квартал 2024 года по всем менеджерам отдела <Москва & Урал>";
  spec.value_label = "открытые сделки, руб.";
  for (int i = 0; i < 9; ++i) {
    const double value = i == 0 ? 1'250'000 : i == 8 ? 1'000'000 : -31'250;
    spec.steps.push_back({"Перенесено за пределы периода (дата закрытия сдвинута)", value, "",
                          "+12 · 1 240 000 RUB и ещё много текста"});
  }
  const Chart chart = waterfall(spec);
  const Doc doc = xml_support::parse(chart.svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(doc.count("//svg:rect[@class='mark step']"), 9);
  EXPECT_EQ(doc.texts("/svg:svg/svg:title")[0], spec.title);
  const auto outside = svg_bounds::outside(doc);
  EXPECT_TRUE(outside.empty()) << outside.front();
  for (const std::string& label : doc.texts("//svg:text[@class='tick-label' and @text-anchor='middle']")) {
    EXPECT_TRUE(label.ends_with("…")) << label;
  }
}

// Random waterfalls: well-formed, one mark per step, everything inside the
// viewBox, and each delta hanging from the connector of the step before.
TEST(Waterfall, RandomStepsChainThroughTheirConnectors) {
  std::mt19937 rng(13);
  std::uniform_int_distribution<int> steps_n(2, 12), magnitude(-2'000'000, 2'000'000);
  const std::vector<std::string> labels = {"+ created", "− won", "Перенесено за пределы периода", "x", ""};
  for (int round = 0; round < 200; ++round) {
    WaterfallSpec spec;
    spec.title = "Random " + std::to_string(round);
    spec.value_label = "RUB";
    const int n = steps_n(rng);
    for (int i = 0; i < n; ++i) {
      int v = magnitude(rng);
      if (v == 0) v = 1;
      spec.steps.push_back({labels[static_cast<std::size_t>(i) % labels.size()], static_cast<double>(v),
                            i % 3 == 1 ? "l" + std::to_string(i) : "", ""});
    }
    const Chart chart = waterfall(spec);
    const Doc doc = xml_support::parse(chart.svg);
    ASSERT_TRUE(doc.ok()) << doc.error;
    const auto bars = doc.nodes("//svg:rect[@class='mark step']");
    const auto connectors = doc.nodes("//svg:line[@class='connector']");
    ASSERT_EQ(bars.size(), static_cast<std::size_t>(n));
    ASSERT_EQ(connectors.size(), static_cast<std::size_t>(n - 1));
    for (int i = 1; i + 1 < n; ++i) {
      const double level = exact_num(connectors[i - 1], "y1");
      const double top = exact_num(bars[i], "y"), bottom = top + exact_num(bars[i], "height");
      const bool hangs = std::fabs(top - level) < 0.02 || std::fabs(bottom - level) < 0.02;
      EXPECT_TRUE(hangs) << "round " << round << " step " << i << " level " << level << " top " << top
                         << " bottom " << bottom << " value " << spec.steps[i].value;
      // ... and ends where its own connector is (steps under 1 unit are drawn 1 unit tall).
      const double end = exact_num(connectors[i], "y1");
      if (std::fabs(end - level) >= 1) {
        EXPECT_TRUE(std::fabs(top - end) < 0.02 || std::fabs(bottom - end) < 0.02) << round << " " << i;
      }
    }
    int linked = 0;
    for (int i = 0; i < n; ++i) linked += i % 3 == 1;
    EXPECT_EQ(doc.count("//svg:a/svg:rect[@class='mark step']"), linked);
    const auto outside = svg_bounds::outside(doc);
    EXPECT_TRUE(outside.empty()) << outside.front();
  }
}

TEST(Waterfall, SameSpecSameBytes) {
  EXPECT_EQ(waterfall(three_steps()).svg, waterfall(three_steps()).svg);
}

}  // namespace
}  // namespace dealflow::report
