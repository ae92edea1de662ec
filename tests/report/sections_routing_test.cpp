// routing_section from small hand-made lint and route documents: findings
// graded and listed, one bar per severity and per manager, and malformed input
// an error naming the JSON path.
#include <gtest/gtest.h>

#include <functional>

#include "dealflow/report/sections.h"
#include "section_support.h"

namespace dealflow::report {
namespace {

using namespace section_support;  // definition, figures, fixture, marks, parse_section, row, rows
using Cells = std::vector<std::string>;

TEST(RoutingSection, LintFindingsGradedBySeverity) {
  const Json lint = fixture("lint_small.json");
  auto section = routing_section(&lint, nullptr);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  EXPECT_EQ(section->id, "routing");
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  ASSERT_EQ(figures(page), 1);
  EXPECT_EQ(marks(page, 1), 3);  // error, warning, info (0: a bar of no length)
  ASSERT_EQ(rows(page, 1), 3);
  EXPECT_EQ(row(page, 1, 1), (Cells{"error", "1"}));
  EXPECT_EQ(row(page, 1, 2), (Cells{"warning", "3"}));
  EXPECT_EQ(row(page, 1, 3), (Cells{"info", "0"}));
  const std::string findings = "(//h:table)[2]/h:tbody/h:tr";
  ASSERT_EQ(page.count(findings), 4);
  EXPECT_EQ(page.texts(findings + "[1]/h:td"), (Cells{"error", "—",
                                                      "27 combinations match no rule (they stay unassigned): "
                                                      "region ∈ {Москва, Урал}; tier = Enterprise"}));
  EXPECT_EQ(page.texts(findings + "[2]/h:td"),
            (Cells{"warning", "enterprise",
                   "6 of 18 matched combinations no candidate of the target can take (m-a: inactive)"}));
  EXPECT_EQ(page.texts(findings + "[3]/h:td"),
            (Cells{"warning", "tomsk-storage",
                   "never the first match (covered_by_earlier_rules: siberia), 24 combinations"}));
  EXPECT_EQ(page.texts(findings + "[4]/h:td"),
            (Cells{"warning", "—", "Фёдоров Илья (m-b) never gets a lead from a rule: inactive"}));
}

TEST(RoutingSection, GapsWithADefaultPoolAreWarningsAndHugeCountsStayExact) {
  Json lint = fixture("lint_small.json");
  lint["coverage"]["default_pool"] = true;
  lint["gaps"][0]["combinations"] = "123456789012345678901";
  lint["idle_managers"][0]["only_as_account_owner"] = true;
  auto section = routing_section(&lint, nullptr);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(row(page, 1, 1), (Cells{"error", "0"}));
  EXPECT_EQ(row(page, 1, 2), (Cells{"warning", "3"}));
  EXPECT_EQ(row(page, 1, 3), (Cells{"info", "1"}));
  EXPECT_EQ(
      page.texts("(//h:table)[2]/h:tbody/h:tr[1]/h:td")[2],
      "123\u2009456\u2009789\u2009012\u2009345\u2009678\u2009901 combinations match no rule (they go to the "
      "default pool): region ∈ {Москва, Урал}; tier = Enterprise");
}

TEST(RoutingSection, CleanLintSaysSo) {
  Json lint = fixture("lint_small.json");
  for (const char* key : {"gaps", "shadowed", "unreachable_targets", "idle_managers"})
    lint[key] = Json::array();
  auto section = routing_section(&lint, nullptr);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  EXPECT_EQ(page.count("//h:table"), 1);  // only the chart's
  EXPECT_EQ(page.texts("//h:p[@class='note']"), (Cells{"Lint found nothing: the rule set is clean."}));
}

TEST(RoutingSection, RoutedLoadPerManager) {
  const Json route = fixture("route_small.json");
  auto section = routing_section(nullptr, &route);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  ASSERT_EQ(figures(page), 1);
  EXPECT_EQ(marks(page, 1), 2);
  ASSERT_EQ(rows(page, 1), 3);
  EXPECT_EQ(row(page, 1, 1), (Cells{"Петров Павел", "m-a", "2", "66.7\u00A0%"}));
  EXPECT_EQ(row(page, 1, 2), (Cells{"Сидорова Мария", "m-b", "1", "33.3\u00A0%"}));
  EXPECT_EQ(row(page, 1, 3), (Cells{"unassigned", "—", "1", "—"}));
  EXPECT_EQ(definition(page, 1),
            "4 leads routed: 3 assigned, 1 unassigned. assigned = leads given to an eligible manager");
}

TEST(RoutingSection, NoInputIsAnError) {
  auto section = routing_section(nullptr, nullptr);
  ASSERT_FALSE(section.ok());
  EXPECT_EQ(section.status().code(), ErrorCode::invalid_argument);
}

std::string lint_error(const std::function<void(Json&)>& edit) {
  Json lint = fixture("lint_small.json");
  edit(lint);
  auto section = routing_section(&lint, nullptr);
  return section.ok() ? "ok" : section.status().to_string();
}

TEST(RoutingSection, LintErrorsNameTheJsonPath) {
  EXPECT_EQ(lint_error([](Json& j) { j["coverage"].erase("default_pool"); }),
            "lint.json: at /coverage/default_pool: missing member: expected true or false");
  EXPECT_EQ(
      lint_error([](Json& j) { j["gaps"][0]["combinations"] = -3; }),
      "lint.json: at /gaps/0/combinations: expected a count (an integer or a string of digits), got -3");
  EXPECT_EQ(lint_error([](Json& j) { j["shadowed"][0]["shadowed_by"] = "siberia"; }),
            "lint.json: at /shadowed/0/shadowed_by: expected an array, got \"siberia\"");
  EXPECT_EQ(lint_error([](Json& j) { j["unreachable_targets"][0]["members"][0].erase("reason"); }),
            "lint.json: at /unreachable_targets/0/members/0/reason: missing member: expected a string");
}

TEST(RoutingSection, RouteErrorsNameTheJsonPath) {
  Json route = fixture("route_small.json");
  route["decisions"][1]["manager"] = 5;
  auto section = routing_section(nullptr, &route);
  ASSERT_FALSE(section.ok());
  EXPECT_EQ(section.status().to_string(), "route.json: at /decisions/1/manager: expected a string, got 5");
  route.erase("decisions");
  section = routing_section(nullptr, &route);
  EXPECT_EQ(section.status().to_string(), "route.json: at /decisions: missing member: expected an array");
}

}  // namespace
}  // namespace dealflow::report
