// small_multiples: one "mark bar" per finite value, one value scale shared by
// all panels, the grid `columns` wide, titles cut to the panel, the table.
#include <gtest/gtest.h>

#include <cmath>
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

SmallMultiplesSpec managers() {
  SmallMultiplesSpec spec;
  spec.title = "Funnel per manager";
  spec.value_label = "deals reached";
  spec.categories = {"Новая", "КП", "Выиграна"};
  spec.panel_titles = {"Иванов", "Петрова", "Smith", "Сидоров"};
  spec.values = {{40, 20, 10}, {20, 10, 5}, {8, 4, std::nan("")}, {12, 6, 3}};
  spec.columns = 3;
  return spec;
}

TEST(SmallMultiples, OneMarkPerFiniteValue) {
  const Chart chart = small_multiples(managers());
  const Doc doc = xml_support::parse(chart.svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(doc.count("//svg:rect[@class='mark bar']"), 11);
  EXPECT_EQ(doc.texts("//svg:text[@class='panel-title']"),
            (std::vector<std::string>{"Иванов", "Петрова", "Smith", "Сидоров"}));
  // Category names once per grid row (two rows of panels).
  EXPECT_EQ(doc.count("//svg:text[@class='category-label' and .='КП']"), 2);
  const auto outside = svg_bounds::outside(doc);
  EXPECT_TRUE(outside.empty()) << outside.front();
}

TEST(SmallMultiples, PanelsShareOneValueScale) {
  const Doc doc = xml_support::parse(small_multiples(managers()).svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  const auto bars = doc.nodes("//svg:rect[@class='mark bar']");
  ASSERT_EQ(bars.size(), 11u);
  // 40 (Иванов, Новая) is twice 20 (Петрова, Новая) and ten times 4 (Smith, КП).
  EXPECT_NEAR(exact_num(bars[0], "width"), 2 * exact_num(bars[3], "width"), 0.02);
  EXPECT_NEAR(exact_num(bars[0], "width"), 10 * exact_num(bars[7], "width"), 0.05);
  // Every panel's tick labels are the same: 0 .. 40 by 20 (nice_ticks(0, 40, 4)).
  EXPECT_EQ(doc.count("//svg:text[@class='tick-label' and .='40']"), 4);
  EXPECT_EQ(doc.count("//svg:text[@class='tick-label' and .='20']"), 4);
}

TEST(SmallMultiples, GridIsColumnsWide) {
  const Doc doc = xml_support::parse(small_multiples(managers()).svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  const auto titles = doc.nodes("//svg:text[@class='panel-title']");
  ASSERT_EQ(titles.size(), 4u);
  // Panels 0..2 on the first row, left to right; panel 3 under panel 0.
  EXPECT_EQ(exact_num(titles[0], "y"), exact_num(titles[2], "y"));
  EXPECT_LT(exact_num(titles[0], "x"), exact_num(titles[1], "x"));
  EXPECT_LT(exact_num(titles[1], "x"), exact_num(titles[2], "x"));
  EXPECT_EQ(exact_num(titles[3], "x"), exact_num(titles[0], "x"));
  EXPECT_GT(exact_num(titles[3], "y"), exact_num(titles[0], "y"));

  SmallMultiplesSpec one_column = managers();
  one_column.columns = 0;  // taken as 1
  const Doc tall = xml_support::parse(small_multiples(one_column).svg);
  ASSERT_TRUE(tall.ok()) << tall.error;
  const auto column = tall.nodes("//svg:text[@class='panel-title']");
  ASSERT_EQ(column.size(), 4u);
  for (xmlNode* t : column) EXPECT_EQ(exact_num(t, "x"), exact_num(column[0], "x"));
}

TEST(SmallMultiples, LargeAmountsKeepTickLabelsApart) {
  SmallMultiplesSpec spec = managers();
  spec.columns = 4;
  spec.values = {{12'345'678, 6'000'000, 1}, {3'000'000, 2, 1}, {1, 1, 1}, {7'654'321, 1, 0}};
  const Doc doc = xml_support::parse(small_multiples(spec).svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  const auto ticks = doc.nodes("//svg:text[@class='tick-label']");
  ASSERT_GE(ticks.size(), 8u);  // at least 0 and the top tick under each of the 4 panels
  // In document order a panel's labels run left to right; no label may reach
  // into the next one (in the same panel or the panel to its right).
  double previous_end = -1;
  for (xmlNode* t : ticks) {
    const double w = text_width(Doc::text_of(t), exact_num(t, "font-size"));
    const std::string anchor = Doc::attr(t, "text-anchor");
    const double x0 = anchor == "middle" ? exact_num(t, "x") - w / 2
                      : anchor == "end"  ? exact_num(t, "x") - w
                                         : exact_num(t, "x");
    EXPECT_GT(x0, previous_end) << Doc::text_of(t);
    previous_end = x0 + w;
  }
  const auto outside = svg_bounds::outside(doc);
  EXPECT_TRUE(outside.empty()) << outside.front();
}

TEST(SmallMultiples, TableHasARowPerPanelAndCategory) {
  const Chart chart = small_multiples(managers());
  EXPECT_EQ(chart.table.header, (std::vector<std::string>{"panel", "category", "deals reached"}));
  ASSERT_EQ(chart.table.rows.size(), 12u);
  EXPECT_EQ(chart.table.rows[0], (std::vector<std::string>{"Иванов", "Новая", "40"}));
  EXPECT_EQ(chart.table.rows[8], (std::vector<std::string>{"Smith", "Выиграна", "—"}));
  EXPECT_EQ(chart.table.numeric, (std::vector<bool>{false, false, true}));
}

TEST(SmallMultiples, LongTitlesAreCutToThePanel) {
  SmallMultiplesSpec spec = managers();
  spec.panel_titles[1] = "Петрова-Водкина Анастасия Александровна (руководитель группы <Урал & Сибирь>)";
  spec.categories[0] = "Очень длинное название первой стадии воронки продаж";
  const Doc doc = xml_support::parse(small_multiples(spec).svg);
  ASSERT_TRUE(doc.ok()) << doc.error;
  const auto titles = doc.texts("//svg:text[@class='panel-title']");
  ASSERT_EQ(titles.size(), 4u);
  EXPECT_TRUE(titles[1].starts_with("Петрова")) << titles[1];
  EXPECT_TRUE(titles[1].ends_with("…")) << titles[1];
  EXPECT_EQ(doc.count("//svg:rect[@class='mark bar']/svg:title[starts-with(., 'Петрова-Водкина')]"), 3);
  const auto outside = svg_bounds::outside(doc);
  EXPECT_TRUE(outside.empty()) << outside.front();
}

TEST(SmallMultiples, SameSpecSameBytes) {
  EXPECT_EQ(small_multiples(managers()).svg, small_multiples(managers()).svg);
}

}  // namespace
}  // namespace dealflow::report
