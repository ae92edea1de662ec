// planning_section from small hand-made plan / forecast / backtest documents:
// the marks drawn equal the data, the accessible tables hold the JSON's exact
// amounts, and every malformed input is an error naming the JSON path.
#include <gtest/gtest.h>

#include <functional>

#include "dealflow/report/sections.h"
#include "section_support.h"

namespace dealflow::report {
namespace {

using namespace section_support;  // caption, definition, figures, fixture, marks, parse_section, row, rows, pct, t
using Cells = std::vector<std::string>;

TEST(PlanningSection, PlanChartsPerPeriodAndMetricWithExactAmounts) {
  const Json plan = fixture("plan_small.json");
  auto section = planning_section(&plan, nullptr, nullptr);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  EXPECT_EQ(section->id, "planning");
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  // Two groups (won amount in RUB, won deals) x (plan vs fact, pacing, coverage).
  ASSERT_EQ(figures(page), 6);

  // Plan vs fact, RUB: 2 rows in force (Иванова Анна is not) x 3 series.
  EXPECT_EQ(marks(page, 1), 6);
  EXPECT_EQ(caption(page, 1), "Plan against fact, 2024-Q3 (won amount, RUB)");
  ASSERT_EQ(rows(page, 1), 2);
  EXPECT_EQ(row(page, 1, 1),
            (Cells{"company", t("1 000 000.00"), t("450 000.50"), t("500 000.00"), pct("45.0")}));
  EXPECT_EQ(row(page, 1, 2),
            (Cells{"Фёдоров Павел", t("400 000.00"), t("500 000.00"), t("200 000.00"), pct("125.0")}));
  EXPECT_NE(definition(page, 1).find("attainment = fact / plan"), std::string::npos);

  // Pacing: attainment against the share of working days elapsed (33 of 66).
  EXPECT_EQ(marks(page, 2), 4);
  EXPECT_EQ(row(page, 2, 1), (Cells{"company", pct("45.0"), pct("50.0"), "33 of 66", "behind",
                                    t("900 001.00"), t("16 666.65")}));
  EXPECT_EQ(row(page, 2, 2),
            (Cells{"Фёдоров Павел", pct("125.0"), pct("50.0"), "33 of 66", "ahead", t("1 000 000.00"), "—"}));
  EXPECT_NE(definition(page, 2).find("pacing totals only"), std::string::npos);
  EXPECT_NE(definition(page, 2).find("66 working, 33 elapsed"), std::string::npos);

  // Coverage: a covered row has no ratio (no mark); remaining plan = plan - fact exactly.
  EXPECT_EQ(marks(page, 3), 2);
  EXPECT_EQ(row(page, 3, 1),
            (Cells{"company", "3", t("1 100 000.00"), t("550 000.00"), t("549 999.50"), "2.00", "1.00"}));
  EXPECT_EQ(row(page, 3, 2),
            (Cells{"Фёдоров Павел", "1", t("7 000.00"), t("3 500.00"), "covered (fact ≥ plan)", "—", "—"}));

  // Won deals: counts, no currency.
  EXPECT_EQ(marks(page, 4), 3);
  EXPECT_EQ(caption(page, 4), "Plan against fact, 2024-Q3 (won deals)");
  EXPECT_EQ(row(page, 4, 1), (Cells{"company", "10", "4", "5.0", pct("40.0")}));
  EXPECT_EQ(marks(page, 5), 2);
  EXPECT_EQ(row(page, 5, 1),
            (Cells{"company", pct("40.0"), pct("50.0"), "33 of 66", "behind", "8.0", "0.2"}));
  EXPECT_EQ(marks(page, 6), 2);
  EXPECT_EQ(row(page, 6, 1), (Cells{"company", "9", "9", "4.5", "6", "1.50", "0.75"}));

  EXPECT_EQ(page.count("//h:p[@class='note'][contains(., '1 target version(s) not in force')]"), 1);
  // Every definition line of plan.json is listed.
  EXPECT_EQ(page.count("//h:div[@class='definitions']//h:li"), 5);
}

TEST(PlanningSection, MonteCarloHistogramWithPercentilesAndPlan) {
  const Json forecast = fixture("forecast_mc_small.json");
  auto section = planning_section(nullptr, &forecast, nullptr);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  ASSERT_EQ(figures(page), 1);
  EXPECT_EQ(marks(page, 1), 4);  // one bar per bin
  ASSERT_EQ(rows(page, 1), 8);   // 4 bins, then P10, P50, P90, plan
  EXPECT_EQ(row(page, 1, 1), (Cells{t("400 000.00"), t("500 000.00"), "10"}));
  EXPECT_EQ(row(page, 1, 4), (Cells{t("700 000.00"), t("800 000.00"), "15"}));
  EXPECT_EQ(row(page, 1, 6), (Cells{"P50", t("600 000.50"), ""}));
  EXPECT_EQ(row(page, 1, 8), (Cells{"plan", t("550 000.00"), ""}));
  // The reference lines are drawn with their labels.
  EXPECT_EQ(page.count("//svg:text[contains(., 'P90')]"), 1);
  EXPECT_NE(definition(page, 1).find("monte-carlo = fact"), std::string::npos);
  // The summary table after the chart.
  EXPECT_EQ(page.texts("(//h:table)[2]/h:tbody/h:tr[1]/h:td"),
            (Cells{"monte-carlo", "company", "RUB", t("100 000.10"), t("612 345.67"), t("500 000.00"),
                   t("600 000.50"), t("700 000.00"), pct("75.0")}));
}

TEST(PlanningSection, WithoutHistogramThePercentilesAreBars) {
  Json forecast = fixture("forecast_mc_small.json");
  forecast["rows"][0]["distribution"].erase("histogram");
  auto section = planning_section(nullptr, &forecast, nullptr);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(marks(page, 1), 4);  // P10, P50, P90, the plan
  EXPECT_EQ(row(page, 1, 3), (Cells{"P90", t("700 000.00")}));
  EXPECT_NE(definition(page, 1).find("no histogram"), std::string::npos);
}

TEST(PlanningSection, BacktestAccuracyPerMethod) {
  const Json backtest = fixture("backtest_small.json");
  auto section = planning_section(nullptr, nullptr, &backtest);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(marks(page, 1), 2);  // categories has no WAPE: no bar
  ASSERT_EQ(rows(page, 1), 3);
  EXPECT_EQ(row(page, 1, 1),
            (Cells{"1", "markov", pct("12.5"), pct("25.0"), pct("\u22127.5"), "0.200", "8"}));
  EXPECT_EQ(row(page, 1, 3), (Cells{"3", "categories", "—", "—", "—", "—", "0"}));
  EXPECT_NE(definition(page, 1).find("WAPE = sum"), std::string::npos);
}

TEST(PlanningSection, AllThreeDocumentsInOneSection) {
  const Json plan = fixture("plan_small.json"), forecast = fixture("forecast_mc_small.json"),
             backtest = fixture("backtest_small.json");
  auto section = planning_section(&plan, &forecast, &backtest);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(figures(page), 8);
  EXPECT_EQ(page.count("//h:h3"), 3);
}

TEST(PlanningSection, NoInputIsAnError) {
  auto section = planning_section(nullptr, nullptr, nullptr);
  ASSERT_FALSE(section.ok());
  EXPECT_EQ(section.status().code(), ErrorCode::invalid_argument);
}

std::string plan_error(const std::function<void(Json&)>& edit) {
  Json plan = fixture("plan_small.json");
  edit(plan);
  auto section = planning_section(&plan, nullptr, nullptr);
  return section.ok() ? "ok" : section.status().to_string();
}

TEST(PlanningSection, PlanErrorsNameTheJsonPath) {
  EXPECT_EQ(plan_error([](Json& j) { j["rows"][1].erase("fact"); }),
            "plan.json: at /rows/1/fact: missing member: expected an integer");
  EXPECT_EQ(plan_error([](Json& j) { j["rows"][0]["fact"] = "12"; }),
            "plan.json: at /rows/0/fact: expected an integer (64-bit), got \"12\"");
  EXPECT_EQ(plan_error([](Json& j) { j["rows"][0]["coverage"]["coverage"] = "high"; }),
            "plan.json: at /rows/0/coverage/coverage: expected a number, got \"high\"");
  EXPECT_EQ(plan_error([](Json& j) { j["rows"][0]["expected_by_now"] = 1.5; }),
            "plan.json: at /rows/0/expected_by_now: expected an integer (64-bit), got 1.5");
  EXPECT_EQ(plan_error([](Json& j) { j.erase("rows"); }),
            "plan.json: at /rows: missing member: expected an array");
  EXPECT_EQ(plan_error([](Json& j) { j["definition"]["lines"][2] = 7; }),
            "plan.json: at /definition/lines/2: expected a string, got 7");
}

std::string forecast_error(const std::function<void(Json&)>& edit) {
  Json forecast = fixture("forecast_mc_small.json");
  edit(forecast);
  auto section = planning_section(nullptr, &forecast, nullptr);
  return section.ok() ? "ok" : section.status().to_string();
}

TEST(PlanningSection, ForecastErrorsNameTheJsonPath) {
  EXPECT_EQ(forecast_error([](Json& j) { j["rows"][0]["distribution"]["p10"] = 12; }),
            "forecast.json: at /rows/0/distribution/p10: expected a decimal string, got 12");
  EXPECT_EQ(forecast_error([](Json& j) { j["rows"][0]["distribution"].erase("p90"); }),
            "forecast.json: at /rows/0/distribution/p90: missing member: expected a decimal string");
  EXPECT_EQ(
      forecast_error([](Json& j) { j["rows"][0]["distribution"]["histogram"]["counts"].push_back(1); }),
      "forecast.json: at /rows/0/distribution/histogram: edges has 5 elements and counts 5: expected one "
      "edge more than counts");
  EXPECT_EQ(forecast_error([](Json& j) { j["rows"][0]["distribution"]["histogram"]["edges"][2] = "1e5"; }),
            "forecast.json: at /rows/0/distribution/histogram/edges/2: expected a decimal string like "
            "\"-1234.56\", got \"1e5\"");
  EXPECT_EQ(
      forecast_error([](Json& j) { j["rows"][0]["distribution"]["histogram"]["edges"][2] = "450000.00"; }),
      "forecast.json: at /rows/0/distribution/histogram/edges/2: expected edges in increasing order, got "
      "\"450000.00\"");
  EXPECT_EQ(forecast_error([](Json& j) { j["rows"][0]["distribution"]["histogram"]["counts"][0] = -1; }),
            "forecast.json: at /rows/0/distribution/histogram/counts/0: expected a count >= 0, got -1");
  EXPECT_EQ(forecast_error([](Json& j) {
              j["definition"]["target"] = {{"amount", 5}, {"currency", "RUB"}};
            }),
            "forecast.json: at /definition/target/amount: expected a decimal string, got 5");
}

TEST(PlanningSection, BacktestErrorsNameTheJsonPath) {
  Json backtest = fixture("backtest_small.json");
  backtest["ranking"][1]["wape"] = "0.5";
  auto section = planning_section(nullptr, nullptr, &backtest);
  ASSERT_FALSE(section.ok());
  EXPECT_EQ(section.status().to_string(),
            "backtest.json: at /ranking/1/wape: expected a number, got \"0.5\"");
  backtest.erase("ranking");
  section = planning_section(nullptr, nullptr, &backtest);
  EXPECT_EQ(section.status().to_string(), "backtest.json: at /ranking: missing member: expected an array");
}

}  // namespace
}  // namespace dealflow::report
