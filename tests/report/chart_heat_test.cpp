// heat_map: one "mark cell" per finite share, NaN cells blank, readable cell
// text on light and dark cells, labels cut to their room, and the table.
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

// format_percent separates the number and "%" with a no-break space (U+00A0).

using svg_bounds::kNaN;

HeatMapSpec cohorts() {
  HeatMapSpec spec;
  spec.title = "Furthest stage reached by created month";
  spec.row_label = "created month";
  spec.column_label = "furthest stage reached";
  spec.rows = {"2024-01", "2024-02"};
  spec.columns = {"Новая", "КП", "Выиграна"};
  spec.shares = {{1.0, 0.5, 0.25}, {1.0, 0.0, kNaN}};
  spec.cell_text = {{"40 of 40", "20 of 40", "10 of 40"}, {"12 of 12", "0 of 12", ""}};
  return spec;
}

TEST(HeatMap, OneMarkPerFiniteCellNaNBlank) {
  const Chart chart = heat_map(cohorts());
  const Doc doc = xml_support::parse(chart.svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(doc.count("//svg:rect[@class='mark cell']"), 5);
  EXPECT_EQ(doc.texts("//svg:text[@class='cell-label']"),
            (std::vector<std::string>{"100\u00a0%", "50\u00a0%", "25\u00a0%", "100\u00a0%", "0\u00a0%"}));
  // Colours from the sequential scale, the tooltip naming row, column and counts.
  const auto cells = doc.nodes("//svg:rect[@class='mark cell']");
  EXPECT_EQ(Doc::attr(cells[1], "fill"), sequential_colour(0.5));
  EXPECT_EQ(doc.texts("//svg:rect[@class='mark cell']/svg:title")[1], "2024-01 · КП: 50.0\u00a0% (20 of 40)");
  const auto outside = svg_bounds::outside(doc);
  EXPECT_TRUE(outside.empty()) << outside.front();
}

TEST(HeatMap, CellTextContrastsWithTheCell) {
  const Doc doc = xml_support::parse(heat_map(cohorts()).svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  const auto labels = doc.nodes("//svg:text[@class='cell-label']");
  ASSERT_EQ(labels.size(), 5u);
  EXPECT_EQ(Doc::attr(labels[0], "fill"), "#ffffff");  // 100 %: the darkest blue
  EXPECT_EQ(Doc::attr(labels[4], "fill"), "#222");     // 0 %: the lightest
  EXPECT_EQ(Doc::attr(labels[2], "fill"), "#222");     // 25 %: still light
}

TEST(HeatMap, TableHasSharesCountsAndDashes) {
  const Chart chart = heat_map(cohorts());
  EXPECT_EQ(chart.table.header, (std::vector<std::string>{"created month", "Новая", "КП", "Выиграна"}));
  ASSERT_EQ(chart.table.rows.size(), 2u);
  EXPECT_EQ(chart.table.rows[0],
            (std::vector<std::string>{"2024-01", "100.0\u00a0% (40 of 40)", "50.0\u00a0% (20 of 40)",
                                      "25.0\u00a0% (10 of 40)"}));
  EXPECT_EQ(chart.table.rows[1],
            (std::vector<std::string>{"2024-02", "100.0\u00a0% (12 of 12)", "0.0\u00a0% (0 of 12)", "—"}));
  EXPECT_EQ(chart.table.numeric, (std::vector<bool>{false, true, true, true}));
}

TEST(HeatMap, MissingSharesCountAsBlank) {
  HeatMapSpec spec = cohorts();
  spec.shares = {{0.5}};  // shorter than rows × columns
  spec.cell_text.clear();
  const Chart chart = heat_map(spec);
  const Doc doc = xml_support::parse(chart.svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(doc.count("//svg:rect[@class='mark cell']"), 1);
  EXPECT_EQ(chart.table.rows[1][3], "—");
}

TEST(HeatMap, LongLabelsCutInsideTheViewBox) {
  HeatMapSpec spec;
  spec.title = "Когорты <по месяцу создания> & стадии";
  spec.row_label = "месяц создания";
  spec.column_label = "самая дальняя стадия";
  for (int c = 0; c < 10; ++c)
    spec.columns.push_back("Согласование коммерческого предложения " + std::to_string(c));
  for (int r = 0; r < 12; ++r) {
    spec.rows.push_back("Очень длинное имя когорты, которое не помещается слева " + std::to_string(r));
    spec.shares.emplace_back();
    for (int c = 0; c < 10; ++c) spec.shares.back().push_back((r * 10 + c) / 119.0);
  }
  const Chart chart = heat_map(spec);
  const Doc doc = xml_support::parse(chart.svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(doc.count("//svg:rect[@class='mark cell']"), 120);
  EXPECT_EQ(doc.texts("/svg:svg/svg:title")[0], spec.title);
  const auto outside = svg_bounds::outside(doc);
  EXPECT_TRUE(outside.empty()) << outside.front();
  const auto labels = doc.texts("//svg:text[@class='tick-label']");
  ASSERT_EQ(labels.size(), 22u);
  for (const std::string& label : labels) EXPECT_TRUE(label.ends_with("…")) << label;
}

TEST(HeatMap, EmptySpecIsStillASvg) {
  HeatMapSpec spec;
  spec.title = "Nothing yet";
  const Doc doc = xml_support::parse(heat_map(spec).svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(doc.count("//svg:rect[@class='mark cell']"), 0);
}

// Random grids: one mark per finite share, nothing outside the
// viewBox, a table row per row (shares outside [0, 1] included).
TEST(HeatMap, RandomGrids) {
  std::mt19937 rng(13);
  std::uniform_int_distribution<int> size(0, 14);
  std::uniform_real_distribution<double> share(-0.1, 1.1);
  for (int round = 0; round < 100; ++round) {
    HeatMapSpec spec;
    spec.title = "Random " + std::to_string(round);
    const int rows = size(rng), columns = size(rng);
    int finite = 0;
    for (int c = 0; c < columns; ++c) spec.columns.push_back(c % 2 ? "Квалификация лида" : "КП");
    for (int r = 0; r < rows; ++r) {
      spec.rows.push_back("2024-" + std::to_string(r + 1));
      spec.shares.emplace_back();
      for (int c = 0; c < columns; ++c) {
        const double v = (r + c) % 5 == 4 ? kNaN : share(rng);
        finite += std::isfinite(v);
        spec.shares.back().push_back(v);
      }
    }
    const Chart chart = heat_map(spec);
    const Doc doc = xml_support::parse(chart.svg);
    ASSERT_TRUE(doc.ok()) << doc.error;
    EXPECT_EQ(doc.count("//svg:rect[@class='mark cell']"), finite);
    EXPECT_EQ(chart.table.rows.size(), static_cast<std::size_t>(rows));
    const auto outside = svg_bounds::outside(doc);
    EXPECT_TRUE(outside.empty()) << outside.front();
  }
}

TEST(HeatMap, SameSpecSameBytes) {
  EXPECT_EQ(heat_map(cohorts()).svg, heat_map(cohorts()).svg);
}

}  // namespace
}  // namespace dealflow::report
