// funnel_section from a small hand-made `dealflow funnel --format json`
// document: one bar per stage (by count, by amount per currency), one interval
// point per finite step conversion, one bar per lost-from stage, every table
// cell the JSON value formatted, and malformed input an error naming the JSON
// path.
#include <gtest/gtest.h>

#include <functional>

#include "dealflow/report/sections.h"
#include "section_support.h"

namespace dealflow::report {
namespace {

using namespace section_support;  // caption, definition, figures, fixture, marks, parse_section, row, rows, pct, t
using Cells = std::vector<std::string>;

TEST(FunnelSection, BarsPerStageAndExactTables) {
  const Json funnel = fixture("funnel_small.json");
  auto section = funnel_section(funnel, "funnel.json");
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  EXPECT_EQ(section->id, "funnel");
  EXPECT_EQ(section->title, "Funnel");
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  // Count, amount RUB, amount USD, step conversion, lost from.
  ASSERT_EQ(figures(page), 5);
  EXPECT_EQ(page.texts("//h:h3"), (Cells{"Pipeline Основная воронка"}));
  EXPECT_EQ(
      page.texts("/h:section/h:p[1]"),
      (Cells{"deals created in [2024-07-01T00:00:00Z, 2024-08-01T00:00:00Z): 10 deals, 3 won, 5 lost, 2 "
             "open; win rate " +
             pct("37.5") + " 13.7–" + pct("69.4") + " (won / (won + lost), 95 % Wilson)."}));

  // Deals reaching each stage: one bar per stage.
  EXPECT_EQ(marks(page, 1), 3);
  EXPECT_EQ(caption(page, 1), "Deals reaching each open stage, step and cumulative conversion");
  ASSERT_EQ(rows(page, 1), 3);
  EXPECT_EQ(row(page, 1, 1), (Cells{"Новая", "10", "—", "—", "—", pct("100.0"), "72.2–" + pct("100.0")}));
  EXPECT_EQ(row(page, 1, 2), (Cells{"Квалификация", "6", pct("60.0"), "31.3–" + pct("83.2"), pct("40.0"),
                                    pct("60.0"), "31.3–" + pct("83.2")}));
  EXPECT_EQ(row(page, 1, 3), (Cells{"Счёт на оплату", "3", pct("50.0"), "18.8–" + pct("81.2"), pct("50.0"),
                                    pct("30.0"), "10.8–" + pct("60.3")}));
  // The bar labels carry the count and the drop-off.
  EXPECT_EQ(page.count("(//h:figure)[1]//svg:text[. = '6 · drop-off 40.0\u00A0%']"), 1);
  EXPECT_NE(definition(page, 1).find("reached(k) = a deal counts at open stage k"), std::string::npos);

  // Amount per currency, in currency order, exact decimals; a stage without
  // the currency shows zero in its minor unit.
  EXPECT_EQ(marks(page, 2), 3);
  EXPECT_EQ(caption(page, 2), "Amount of the deals reaching each open stage, RUB");
  EXPECT_EQ(row(page, 2, 1), (Cells{"Новая", t("1 500 000.00")}));
  EXPECT_EQ(row(page, 2, 2), (Cells{"Квалификация", t("1 000 000.00")}));
  EXPECT_EQ(row(page, 2, 3), (Cells{"Счёт на оплату", t("\u2212450 000.50")}));
  EXPECT_EQ(marks(page, 3), 3);
  EXPECT_EQ(caption(page, 3), "Amount of the deals reaching each open stage, USD");
  EXPECT_EQ(row(page, 3, 1), (Cells{"Новая", t("2 000.50")}));
  EXPECT_EQ(row(page, 3, 2), (Cells{"Квалификация", "0.00"}));
  EXPECT_EQ(row(page, 3, 3), (Cells{"Счёт на оплату", "0.00"}));

  // Step conversion: a point per finite rate (the first stage has none).
  EXPECT_EQ(marks(page, 4), 2);
  ASSERT_EQ(rows(page, 4), 3);
  EXPECT_EQ(row(page, 4, 1), (Cells{"Новая", "—", "—", "—"}));
  EXPECT_EQ(row(page, 4, 2), (Cells{"Квалификация", pct("60.0"), pct("31.3"), pct("83.2")}));
  EXPECT_EQ(row(page, 4, 3), (Cells{"Счёт на оплату", pct("50.0"), pct("18.8"), pct("81.2")}));

  // Lost from each stage (a stage with none is a bar of no length), then the reasons.
  EXPECT_EQ(marks(page, 5), 3);
  EXPECT_EQ(row(page, 5, 1), (Cells{"Новая", "4"}));
  EXPECT_EQ(row(page, 5, 3), (Cells{"Счёт на оплату", "0"}));
  const std::string reasons = "/h:section/h:table/h:tbody/h:tr";
  ASSERT_EQ(page.count(reasons), 4);
  EXPECT_EQ(page.texts(reasons + "[1]/h:td"), (Cells{"Новая", "Дорого", "2", pct("50.0")}));
  EXPECT_EQ(page.texts(reasons + "[2]/h:td"), (Cells{"Новая", "(none given)", "1", pct("25.0")}));
  EXPECT_EQ(page.texts(reasons + "[3]/h:td"), (Cells{"Новая", "(no reason)", "1", pct("25.0")}));
  EXPECT_EQ(page.texts(reasons + "[4]/h:td"), (Cells{"Квалификация", "(no reason)", "1", pct("100.0")}));
}

TEST(FunnelSection, NoLostDealsNoLossChart) {
  Json funnel = fixture("funnel_small.json");
  funnel["lost_from"] = Json::array();
  auto section = funnel_section(funnel, "funnel.json");
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(figures(page), 4);
  EXPECT_EQ(page.count("/h:section/h:table"), 0);
}

TEST(FunnelSection, WorkspaceHasOnePartPerPipeline) {
  Json one = fixture("funnel_small.json");
  Json two = one;
  two["pipeline"]["name"] = "Повторные продажи";
  two["stages"][0]["amount"] = Json::array();
  const Json workspace = {{"pipelines", Json::array({one, two})}};
  auto section = funnel_section(workspace, "funnel.json");
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(page.texts("//h:h3"), (Cells{"Pipeline Основная воронка", "Pipeline Повторные продажи"}));
  EXPECT_EQ(figures(page), 5 + 4);  // the second has no USD amount
}

TEST(FunnelSection, Deterministic) {
  const Json funnel = fixture("funnel_small.json");
  auto a = funnel_section(funnel, "funnel.json");
  auto b = funnel_section(funnel, "funnel.json");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->html, b->html);
}

std::string funnel_error(const std::function<void(Json&)>& edit) {
  Json funnel = fixture("funnel_small.json");
  edit(funnel);
  auto section = funnel_section(funnel, "funnel.json");
  return section.ok() ? "ok" : section.status().to_string();
}

TEST(FunnelSection, ErrorsNameTheDocumentAndJsonPath) {
  EXPECT_EQ(funnel_error([](Json& j) { j["stages"][1].erase("reached"); }),
            "funnel.json: at /stages/1/reached: missing member: expected an integer");
  EXPECT_EQ(funnel_error([](Json& j) { j["stages"][0]["name"] = 5; }),
            "funnel.json: at /stages/0/name: expected a string, got 5");
  EXPECT_EQ(funnel_error([](Json& j) { j["stages"][1]["step_conversion"] = "0.6"; }),
            "funnel.json: at /stages/1/step_conversion: expected a number, got \"0.6\"");
  EXPECT_EQ(funnel_error([](Json& j) { j["stages"][2]["step_conversion_interval"].erase("high"); }),
            "funnel.json: at /stages/2/step_conversion_interval/high: missing member: expected a number");
  EXPECT_EQ(funnel_error([](Json& j) { j["stages"][2]["amount"][0]["amount"] = 12; }),
            "funnel.json: at /stages/2/amount/0/amount: expected a decimal string, got 12");
  EXPECT_EQ(funnel_error([](Json& j) { j["lost_from"][0]["reasons"][0]["count"] = "2"; }),
            "funnel.json: at /lost_from/0/reasons/0/count: expected an integer (64-bit), got \"2\"");
  EXPECT_EQ(funnel_error([](Json& j) { j.erase("definition"); }),
            "funnel.json: at /definition: missing member: expected an object");
  EXPECT_EQ(funnel_error([](Json& j) {
              j["stages"] = {{"id", "NEW"}};
            }),
            "funnel.json: at /stages: expected an array, got {\"id\":\"NEW\"}");
  EXPECT_EQ(funnel_error([](Json& j) {
              j = {{"pipelines", Json::array({j, 3})}};
            }),
            "funnel.json: at /pipelines/1: expected an object, got 3");
}

}  // namespace
}  // namespace dealflow::report
