// managers_section from a small hand-made scorecard and funnel by manager:
// marks equal the data, the tables hold the JSON's exact figures (the change of
// won amount computed exactly), the funnel panels are capped, and malformed
// input is an error naming the JSON path.
#include <gtest/gtest.h>

#include <functional>

#include "dealflow/report/sections.h"
#include "section_support.h"

namespace dealflow::report {
namespace {

using namespace section_support;  // caption, figures, fixture, marks, parse_section, row, rows, pct, t
using Cells = std::vector<std::string>;

TEST(ManagersSection, ScorecardWithThePreviousPeriodAndTheChange) {
  const Json scorecard = fixture("scorecard_small.json");
  auto section = managers_section(&scorecard, nullptr);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  EXPECT_EQ(section->id, "managers");
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  ASSERT_EQ(figures(page), 2);
  // 3 manager rows x 2 periods, less the (no manager) row's current amount in two currencies.
  EXPECT_EQ(marks(page, 1), 5);
  EXPECT_EQ(
      caption(page, 1),
      "Won amount per manager: 2024-10-01T00:00:00Z – 2025-01-01T00:00:00Z against 2024-07-01T00:00:00Z – "
      "2024-10-01T00:00:00Z (prev. = the previous period)");
  ASSERT_EQ(rows(page, 1), 4);
  EXPECT_EQ(row(page, 1, 1),
            (Cells{"1", "Фёдоров Павел", t("20 985 000.00"), t("3 472 000.00"), "+" + t("17 513 000.00")}));
  // No won amount now: the change is minus the previous amount.
  EXPECT_EQ(row(page, 1, 2), (Cells{"2", "Иванова Анна", "—", t("1 000.05"), "\u2212" + t("1 000.05")}));
  // Two currencies: listed with their codes, no change.
  EXPECT_EQ(row(page, 1, 3), (Cells{"—", "(no manager)", "10.00 EUR; 5.00 RUB", "—", "—"}));
  EXPECT_EQ(row(page, 1, 4),
            (Cells{"—", "team", t("20 985 015.00"), t("3 473 000.05"), "+" + t("17 512 014.95")}));
  EXPECT_EQ(page.texts("(//h:figure)[1]//h:thead//h:th")[2], "won amount, RUB");
  // The deal counts, period and previous period, in the table after the figure.
  const std::string counts = "(//h:figure)[1]/following-sibling::h:table[1]/h:tbody/h:tr";
  ASSERT_EQ(page.count(counts), 4);
  EXPECT_EQ(page.texts(counts + "[1]/h:td"),
            (Cells{"Фёдоров Павел", "37", "26", "7", "2", "31", "14", pct("18.4"), pct("8.7")}));
  EXPECT_EQ(page.texts(counts + "[3]/h:td"),
            (Cells{"(no manager)", "1", "0", "1", "0", "0", "0", pct("100.0"), "—"}));
  EXPECT_EQ(page.texts(counts + "[4]/h:td"),
            (Cells{"team", "43", "29", "8", "3", "32", "18", pct("20.0"), pct("12.5")}));

  // New vs repeat: 3 managers x 2 business values (a missing value is 0).
  EXPECT_EQ(marks(page, 2), 6);
  ASSERT_EQ(rows(page, 2), 5);
  EXPECT_EQ(row(page, 2, 1), (Cells{"Фёдоров Павел", "new", "35", "7", pct("19.4"), t("20 985 000.00"), "1",
                                    t("904 300.00")}));
  EXPECT_EQ(row(page, 2, 2),
            (Cells{"Фёдоров Павел", "repeat", "2", "0", pct("0.0"), "—", "1", t("2 567 700.00")}));
  EXPECT_EQ(row(page, 2, 4),
            (Cells{"team", "new", "40", "7", pct("18.9"), t("20 985 000.00"), "2", t("905 300.05")}));
}

TEST(ManagersSection, NewVsRepeatMissingIsSaid) {
  Json scorecard = fixture("scorecard_small.json");
  scorecard["team"].erase("by_business");
  auto section = managers_section(&scorecard, nullptr);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(figures(page), 1);
  EXPECT_EQ(page.count("//h:p[@class='note'][starts-with(., 'New vs repeat: missing')]"), 1);
}

TEST(ManagersSection, FunnelPerManagerAsSmallMultiples) {
  const Json funnel = fixture("funnel_by_manager_small.json");
  auto section = managers_section(nullptr, &funnel);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  ASSERT_EQ(figures(page), 1);
  EXPECT_EQ(marks(page, 1), 9);  // 3 panels x 3 open stages
  ASSERT_EQ(rows(page, 1), 9);
  EXPECT_EQ(row(page, 1, 1), (Cells{"Волкова Наталья (10)", "Новая", "10"}));
  EXPECT_EQ(row(page, 1, 6), (Cells{"Егоров Максим (30)", "КП", "5"}));
  EXPECT_EQ(row(page, 1, 8), (Cells{"(no manager) (20)", "Квалификация", "10"}));
  EXPECT_EQ(page.count("//h:p[@class='note']"), 0);  // not capped
}

TEST(ManagersSection, FunnelCappedToTheTwelveLargestManagers) {
  Json funnel = fixture("funnel_by_manager_small.json");
  Json groups = Json::array();
  for (int i = 1; i <= 14; ++i) {
    Json group = funnel["groups"][0];
    group["key"] = (i < 10 ? "m0" : "m") + std::to_string(i);
    group["deals"] = i;
    groups.push_back(group);
  }
  funnel["groups"] = groups;
  auto section = managers_section(nullptr, &funnel);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(marks(page, 1), 36);             // 12 panels x 3 stages
  EXPECT_EQ(row(page, 1, 1)[0], "m03 (3)");  // m01 and m02 are the smallest
  EXPECT_EQ(page.texts("//h:p[@class='note']"), (Cells{"Showing the 12 largest of 14 managers by deals."}));
}

TEST(ManagersSection, BothDocumentsAndNoInput) {
  const Json scorecard = fixture("scorecard_small.json"), funnel = fixture("funnel_by_manager_small.json");
  auto section = managers_section(&scorecard, &funnel);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  EXPECT_EQ(figures(parse_section(*section)), 3);
  auto none = managers_section(nullptr, nullptr);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), ErrorCode::invalid_argument);
}

std::string scorecard_error(const std::function<void(Json&)>& edit) {
  Json scorecard = fixture("scorecard_small.json");
  edit(scorecard);
  auto section = managers_section(&scorecard, nullptr);
  return section.ok() ? "ok" : section.status().to_string();
}

TEST(ManagersSection, ScorecardErrorsNameTheJsonPath) {
  EXPECT_EQ(scorecard_error([](Json& j) { j.erase("team"); }),
            "scorecard.json: at /team: missing member: expected an object");
  EXPECT_EQ(scorecard_error([](Json& j) { j["managers"][0]["current"]["won"] = "7"; }),
            "scorecard.json: at /managers/0/current/won: expected an integer (64-bit), got \"7\"");
  EXPECT_EQ(
      scorecard_error([](Json& j) { j["managers"][0]["previous"]["won_amount"]["amount"] = 3472000; }),
      "scorecard.json: at /managers/0/previous/won_amount/amount: expected a decimal string, got 3472000");
  EXPECT_EQ(scorecard_error([](Json& j) { j["managers"][1]["by_business"][0].erase("previous"); }),
            "scorecard.json: at /managers/1/by_business/0/previous: missing member: expected an object");
  EXPECT_EQ(scorecard_error([](Json& j) { j["definition"]["to"] = nullptr; }),
            "scorecard.json: at /definition/to: missing member: expected a string");
}

std::string by_manager_error(const std::function<void(Json&)>& edit) {
  Json funnel = fixture("funnel_by_manager_small.json");
  edit(funnel);
  auto section = managers_section(nullptr, &funnel);
  return section.ok() ? "ok" : section.status().to_string();
}

TEST(ManagersSection, FunnelErrorsNameTheJsonPath) {
  EXPECT_EQ(by_manager_error([](Json& j) { j["groups"][1]["stages"][2]["id"] = "QUAL"; }),
            "funnel_by_manager.json: at /groups/1/stages/2: expected stage 'KP' (the order of /stages), got "
            "{\"id\":\"QUAL\",\"reached\":5}");
  EXPECT_EQ(by_manager_error([](Json& j) { j["groups"][0]["stages"][1].erase("reached"); }),
            "funnel_by_manager.json: at /groups/0/stages/1/reached: missing member: expected an integer");
  EXPECT_EQ(by_manager_error([](Json& j) { j["groups"][2]["deals"] = 2.5; }),
            "funnel_by_manager.json: at /groups/2/deals: expected an integer (64-bit), got 2.5");
  EXPECT_EQ(by_manager_error([](Json& j) { j["groups"] = Json::object(); }),
            "funnel_by_manager.json: at /groups: expected an array, got {}");
}

}  // namespace
}  // namespace dealflow::report
