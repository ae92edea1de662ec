// cohorts_section and durations_section from small hand-made `dealflow cohorts`
// and `dealflow durations --curves` documents: heat-map cells == finite shares,
// interval points == finite win rates, censoring ticks == censor_times, one bar
// per stage with a median, every table cell the JSON value formatted, and
// malformed input an error naming the JSON path.
#include <gtest/gtest.h>

#include <functional>

#include "dealflow/report/sections.h"
#include "section_support.h"

namespace dealflow::report {
namespace {

using namespace section_support;  // caption, definition, figures, fixture, marks, parse_section, row, rows, pct
using Cells = std::vector<std::string>;

int marks_of(const xml_support::Doc& page, int figure, const std::string& kind) {
  return page.count(
      section_support::nth_figure(figure) +
      "//svg:*[contains(concat(' ', @class, ' '), ' mark ') and contains(concat(' ', @class, ' '), ' " +
      kind + " ')]");
}

TEST(CohortsSection, HeatMapCellsAndWinRatePointsEqualTheData) {
  const Json cohorts = fixture("cohorts_small.json");
  auto section = cohorts_section(cohorts, "cohorts.json");
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  EXPECT_EQ(section->id, "cohorts");
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  ASSERT_EQ(figures(page), 2);
  EXPECT_EQ(page.texts("//h:h3"), (Cells{"Pipeline main"}));

  // 3 months x 4 columns; the month without deals has no finite share: no cell.
  EXPECT_EQ(marks(page, 1), 8);
  EXPECT_EQ(marks_of(page, 1, "cell"), 8);
  EXPECT_EQ(page.texts("(//h:figure)[1]//h:thead//h:th"),
            (Cells{"month", "deals", "no stage", "Новая", "Переговоры", "won"}));
  ASSERT_EQ(rows(page, 1), 3);
  EXPECT_EQ(row(page, 1, 1), (Cells{"2024-01", "4", pct("0.0"), pct("25.0"), pct("25.0"), pct("50.0")}));
  EXPECT_EQ(row(page, 1, 2), (Cells{"2024-02", "0", "—", "—", "—", "—"}));
  EXPECT_EQ(row(page, 1, 3), (Cells{"2024-03", "2", pct("50.0"), pct("50.0"), pct("0.0"), pct("0.0")}));
  // The cell's tooltip has the counts.
  EXPECT_EQ(page.count("(//h:figure)[1]//svg:title[contains(., '2024-01 · won: 50.0\u00A0% (2 of 4)')]"), 1);
  EXPECT_NE(definition(page, 1).find("furthest stage reached (high-water)"), std::string::npos);

  // Win rate by month: a point per finite rate.
  EXPECT_EQ(marks(page, 2), 2);
  EXPECT_EQ(marks_of(page, 2, "point"), 2);
  ASSERT_EQ(rows(page, 2), 3);
  EXPECT_EQ(row(page, 2, 1), (Cells{"2024-01", "4", "2", "1", "1", pct("66.7"), "20.8–" + pct("93.8")}));
  EXPECT_EQ(row(page, 2, 2), (Cells{"2024-02", "0", "0", "0", "0", "—", "—"}));
  EXPECT_EQ(row(page, 2, 3), (Cells{"2024-03", "2", "0", "2", "0", pct("0.0"), "0.0–" + pct("65.8")}));
  EXPECT_NE(definition(page, 2).find("win rate = won / (won + lost)"), std::string::npos);
}

TEST(CohortsSection, WorkspaceOnePartPerPipelineAndDeterministic) {
  Json one = fixture("cohorts_small.json");
  Json two = one;
  two["definition"]["pipeline"] = "повторные";
  const Json workspace = {{"pipelines", Json::array({one, two})}};
  auto a = cohorts_section(workspace, "cohorts.json");
  auto b = cohorts_section(workspace, "cohorts.json");
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->html, b->html);
  auto page = parse_section(*a);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(page.texts("//h:h3"), (Cells{"Pipeline main", "Pipeline повторные"}));
  EXPECT_EQ(figures(page), 4);
  EXPECT_EQ(marks(page, 3), 8);
}

std::string cohorts_error(const std::function<void(Json&)>& edit) {
  Json cohorts = fixture("cohorts_small.json");
  edit(cohorts);
  auto section = cohorts_section(cohorts, "cohorts.json");
  return section.ok() ? "ok" : section.status().to_string();
}

TEST(CohortsSection, ErrorsNameTheDocumentAndJsonPath) {
  EXPECT_EQ(cohorts_error([](Json& j) { j["months"][0]["furthest"]["stages"].erase(1); }),
            "cohorts.json: at /months/0/furthest: furthest.stages has 1 entries, expected one per stage (2)");
  EXPECT_EQ(cohorts_error([](Json& j) { j["months"][2]["deals"] = "2"; }),
            "cohorts.json: at /months/2/deals: expected an integer (64-bit), got \"2\"");
  EXPECT_EQ(cohorts_error([](Json& j) { j["months"][0]["win_rate"]["value"] = "x"; }),
            "cohorts.json: at /months/0/win_rate/value: expected a number, got \"x\"");
  EXPECT_EQ(cohorts_error([](Json& j) { j["months"][2]["furthest"]["won"]["share"] = true; }),
            "cohorts.json: at /months/2/furthest/won/share: expected a number, got true");
  EXPECT_EQ(cohorts_error([](Json& j) { j["months"][1]["furthest"]["stages"][0].erase("count"); }),
            "cohorts.json: at /months/1/furthest/stages/0/count: missing member: expected an integer");
  EXPECT_EQ(cohorts_error([](Json& j) { j["stages"][1].erase("name"); }),
            "cohorts.json: at /stages/1/name: missing member: expected a string");
  EXPECT_EQ(cohorts_error([](Json& j) { j["definition"].erase("pipeline"); }),
            "cohorts.json: at /definition/pipeline: missing member: expected a string");
}

TEST(DurationsSection, KaplanMeierIncidenceAndTimeInStage) {
  const Json durations = fixture("durations_small.json");
  auto section = durations_section(durations, "durations.json");
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  EXPECT_EQ(section->id, "durations");
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  ASSERT_EQ(figures(page), 3);
  EXPECT_EQ(
      page.texts("/h:section/h:p[1]"),
      (Cells{"5 deals: 2 won, 1 lost, 2 open at the report instant 2024-08-20T00:00:00Z; times in days."}));

  // Kaplan-Meier: one censoring tick per censor time, also one after the last event.
  EXPECT_EQ(marks_of(page, 1, "censor"), 2);
  EXPECT_EQ(marks(page, 1), 2);
  EXPECT_EQ(caption(page, 1), "Kaplan–Meier S(t) of time to close: 3 of 3 steps");
  EXPECT_EQ(page.texts("(//h:figure)[1]//h:thead//h:th"),
            (Cells{"t, days", "S(t)", "at risk", "closed at t", "censored at t"}));
  ASSERT_EQ(rows(page, 1), 3);
  EXPECT_EQ(row(page, 1, 1), (Cells{"1.0", pct("80.00"), "5", "1", "0"}));
  EXPECT_EQ(row(page, 1, 2), (Cells{"3.0", pct("53.33"), "3", "1", "0"}));
  EXPECT_EQ(row(page, 1, 3), (Cells{"5.0", pct("26.67"), "2", "1", "0"}));
  EXPECT_EQ(page.count("(//h:figure)[1]//svg:text[. = 'median 5.0 d']"), 1);
  EXPECT_NE(definition(page, 1).find("5 deals, 3 closed, 2 censored"), std::string::npos);
  EXPECT_EQ(definition(page, 1).find("not reached"), std::string::npos);

  // Cumulative incidence: step lines, no point marks; won + lost + still open = 100 %.
  EXPECT_EQ(marks(page, 2), 0);
  EXPECT_EQ(caption(page, 2), "Cumulative incidence of won and lost: 3 of 3 steps");
  ASSERT_EQ(rows(page, 2), 3);
  EXPECT_EQ(row(page, 2, 1), (Cells{"1.0", pct("20.00"), pct("0.00"), pct("80.00")}));
  EXPECT_EQ(row(page, 2, 2), (Cells{"3.0", pct("20.00"), pct("26.67"), pct("53.33")}));
  EXPECT_EQ(row(page, 2, 3), (Cells{"5.0", pct("46.67"), pct("26.67"), pct("26.67")}));
  EXPECT_EQ(page.count("(//h:figure)[2]//svg:path | (//h:figure)[2]//svg:polyline"), 2);

  // Time in stage: a bar per stage with a median (Переговоры has none).
  EXPECT_EQ(marks_of(page, 3, "bar"), 1);
  ASSERT_EQ(rows(page, 3), 2);
  EXPECT_EQ(row(page, 3, 1), (Cells{"Новая", "5", "1", "0.3 d", "0.5 d", "1.0 d", "—"}));
  EXPECT_EQ(row(page, 3, 2), (Cells{"Переговоры", "3", "1", "1.5 d", "—", "—", "—"}));
  EXPECT_EQ(page.count("(//h:figure)[3]//svg:text[. = '0.5 d · p90 —']"), 1);
}

TEST(DurationsSection, WorkingTimeInWorkingHours) {
  Json durations = fixture("durations_small.json");
  durations["definition"]["unit"] = "working seconds";  // --calendar
  auto section = durations_section(durations, "durations.json");
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(row(page, 1, 1), (Cells{"24.0", pct("80.00"), "5", "1", "0"}));
  EXPECT_EQ(row(page, 3, 1), (Cells{"Новая", "5", "1", "7.2 wh", "12.0 wh", "24.0 wh", "—"}));
  EXPECT_NE(page.texts("/h:section/h:p[1]")[0].find("times in working hours (the business calendar's"),
            std::string::npos);
}

TEST(DurationsSection, LongCurvesAreSampledInTheTable) {
  Json durations = fixture("durations_small.json");
  Json points = Json::array();
  for (int i = 1; i <= 30; ++i) {
    points.push_back(
        {{"t", i * 3600}, {"at_risk", 31 - i}, {"events", 1}, {"censored", 0}, {"survival", 1.0 - i / 31.0}});
  }
  durations["curves"]["time_to_close"] = points;
  durations["curves"]["censor_times"] = Json::array();
  auto section = durations_section(durations, "durations.json");
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  // Every 2nd of 30 steps (15) and the last.
  EXPECT_EQ(caption(page, 1), "Kaplan–Meier S(t) of time to close: 16 of 30 steps");
  ASSERT_EQ(rows(page, 1), 16);
  EXPECT_EQ(row(page, 1, 16)[2], "1");
  EXPECT_EQ(marks_of(page, 1, "censor"), 0);
}

TEST(DurationsSection, WithoutCurvesOnlyTimeInStageAndNoMedian) {
  Json durations = fixture("durations_small.json");
  durations.erase("curves");
  auto section = durations_section(durations, "durations.json");
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(figures(page), 1);
  EXPECT_EQ(page.count("//h:p[@class='note'][contains(., 'run dealflow durations with --curves')]"), 1);

  durations = fixture("durations_small.json");
  durations["cycle"]["to_close"]["median"] = nullptr;
  section = durations_section(durations, "durations.json");
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  page = parse_section(*section);
  EXPECT_NE(definition(page, 1).find("(not reached)"), std::string::npos);
  EXPECT_EQ(page.count("(//h:figure)[1]//svg:text[starts-with(., 'median')]"), 0);
}

TEST(DurationsSection, Deterministic) {
  const Json durations = fixture("durations_small.json");
  auto a = durations_section(durations, "durations.json");
  auto b = durations_section(durations, "durations.json");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->html, b->html);
}

std::string durations_error(const std::function<void(Json&)>& edit) {
  Json durations = fixture("durations_small.json");
  edit(durations);
  auto section = durations_section(durations, "durations.json");
  return section.ok() ? "ok" : section.status().to_string();
}

TEST(DurationsSection, ErrorsNameTheDocumentAndJsonPath) {
  EXPECT_EQ(durations_error([](Json& j) { j["curves"].erase("censor_times"); }),
            "durations.json: at /curves/censor_times: missing member: expected an array");
  EXPECT_EQ(durations_error([](Json& j) { j["curves"]["censor_times"][1] = "x"; }),
            "durations.json: at /curves/censor_times/1: expected a number, got \"x\"");
  EXPECT_EQ(durations_error([](Json& j) { j["curves"]["time_to_close"][2].erase("survival"); }),
            "durations.json: at /curves/time_to_close/2/survival: missing member: expected a number");
  EXPECT_EQ(durations_error([](Json& j) { j["curves"]["incidence"][0]["won"] = "0.2"; }),
            "durations.json: at /curves/incidence/0/won: expected a number, got \"0.2\"");
  EXPECT_EQ(durations_error([](Json& j) { j["stages"][1]["cumulative"]["p25"] = "1"; }),
            "durations.json: at /stages/1/cumulative/p25: expected a number, got \"1\"");
  EXPECT_EQ(durations_error([](Json& j) { j["definition"]["unit"] = 3; }),
            "durations.json: at /definition/unit: expected a string, got 3");
  EXPECT_EQ(
      durations_error([](Json& j) { j["definition"]["unit"] = "minutes"; }),
      "durations.json: at /definition/unit: expected \"seconds\" or \"working seconds\", got \"minutes\"");
  EXPECT_EQ(durations_error([](Json& j) { j.erase("cycle"); }),
            "durations.json: at /cycle: missing member: expected an object");
  EXPECT_EQ(durations_error([](Json& j) { j["won"] = -0.5; }),
            "durations.json: at /won: expected an integer (64-bit), got -0.5");
}

}  // namespace
}  // namespace dealflow::report
