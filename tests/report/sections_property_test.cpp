// Properties of the plan and routing sections over random documents: marks
// equal the finite values, table amounts equal the minor units exactly (an
// independent oracle), loads add up, names are escaped, and the same input
// gives the same bytes.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>

#include "dealflow/report/sections.h"
#include "section_support.h"
#include "svg_bounds.h"

namespace dealflow::report {
namespace {

using namespace section_support;  // marks, parse_section, row, rows, plain, minor_text

Json random_plan(std::mt19937_64& rng, int& finite_expected) {
  std::uniform_int_distribution<std::int64_t> amount(-5'000'000'000'000, 900'000'000'000'000);
  std::uniform_int_distribution<int> count(1, 15), coin(0, 3), days(0, 70);
  Json rows = Json::array();
  finite_expected = 0;
  const int n = count(rng);
  for (int i = 0; i < n; ++i) {
    const std::int64_t plan = amount(rng), fact = amount(rng);
    const int working = days(rng);
    Json row = {{"period", "2024-Q3"},
                {"scope", "manager"},
                {"scope_value", "Менеджер <" + std::to_string(i) + ">"},
                {"metric", "won_amount"},
                {"currency", "RUB"},
                {"plan", plan},
                {"fact", fact},
                {"working_days", working},
                {"elapsed_days", working / 2}};
    row["attainment"] = plan != 0 ? Json(static_cast<double>(fact) / static_cast<double>(plan)) : Json();
    row["expected_by_now"] = coin(rng) == 0 ? Json() : Json(amount(rng));
    finite_expected += row["expected_by_now"].is_null() ? 2 : 3;
    rows.push_back(row);
  }
  return Json{{"definition", {{"lines", Json::array()}}}, {"rows", rows}};
}

TEST(SectionProperties, PlanMarksAndExactAmountsOverRandomPlans) {
  std::mt19937_64 rng(13);
  for (int trial = 0; trial < 60; ++trial) {
    int finite = 0;
    const Json plan = random_plan(rng, finite);
    auto section = planning_section(&plan, nullptr, nullptr);
    ASSERT_TRUE(section.ok()) << section.status().to_string();
    auto page = parse_section(*section);
    ASSERT_TRUE(page.ok()) << page.error;
    EXPECT_EQ(marks(page, 1), finite);
    ASSERT_EQ(rows(page, 1), static_cast<int>(plan["rows"].size()));
    for (std::size_t i = 0; i < plan["rows"].size(); ++i) {
      const Json& r = plan["rows"][i];
      auto cells = row(page, 1, static_cast<int>(i) + 1);
      ASSERT_EQ(cells.size(), 5u);
      EXPECT_EQ(cells[0], r["scope_value"].get<std::string>());
      EXPECT_EQ(plain(cells[1]), minor_text(r["plan"].get<std::int64_t>()));
      EXPECT_EQ(plain(cells[2]), minor_text(r["fact"].get<std::int64_t>()));
      EXPECT_EQ(plain(cells[3]),
                r["expected_by_now"].is_null() ? "—" : minor_text(r["expected_by_now"].get<std::int64_t>()));
    }
    // Pacing: a bar per attainment and per period with working days.
    int pacing = 0;
    for (const Json& r : plan["rows"])
      pacing += (r["attainment"].is_null() ? 0 : 1) + (r["working_days"] > 0 ? 1 : 0);
    EXPECT_EQ(marks(page, 2), pacing);
  }
}

TEST(SectionProperties, RoutedLoadsAddUpOverRandomDecisions) {
  std::mt19937_64 rng(7);
  const std::vector<std::string> names = {"Петров Павел", "Сидорова & Co", "O'Brien <Ann>", "Фёдоров Илья"};
  for (int trial = 0; trial < 60; ++trial) {
    std::uniform_int_distribution<int> count(0, 40), who(-1, static_cast<int>(names.size()) - 1);
    Json decisions = Json::array();
    std::set<int> used;
    int unassigned = 0;
    const int n = count(rng);
    for (int i = 0; i < n; ++i) {
      const int m = who(rng);
      if (m < 0) {
        decisions.push_back({{"lead_id", "L" + std::to_string(i)}, {"manager", nullptr}});
        ++unassigned;
      } else {
        decisions.push_back({{"lead_id", "L" + std::to_string(i)},
                             {"manager", "m-" + std::to_string(m)},
                             {"manager_name", names[static_cast<std::size_t>(m)]}});
        used.insert(m);
      }
    }
    const Json route = {{"decisions", decisions}};
    auto section = routing_section(nullptr, &route);
    ASSERT_TRUE(section.ok()) << section.status().to_string();
    auto page = parse_section(*section);
    ASSERT_TRUE(page.ok()) << page.error;
    EXPECT_EQ(marks(page, 1), static_cast<int>(used.size()));
    ASSERT_EQ(rows(page, 1), static_cast<int>(used.size()) + 1);
    int total = 0, previous = n + 1;
    for (int r = 1; r <= static_cast<int>(used.size()); ++r) {
      auto cells = row(page, 1, r);
      const int leads = std::stoi(cells[2]);
      EXPECT_LE(leads, previous);  // heaviest first
      previous = leads;
      total += leads;
      const int m = std::stoi(cells[1].substr(2));
      EXPECT_EQ(cells[0], names[static_cast<std::size_t>(m)]);  // escaped in the page, read back intact
    }
    EXPECT_EQ(row(page, 1, static_cast<int>(used.size()) + 1)[2], std::to_string(unassigned));
    EXPECT_EQ(total + unassigned, n);
  }
}

TEST(SectionProperties, SameInputSameBytes) {
  const Json plan = section_support::fixture("plan_small.json"),
             forecast = section_support::fixture("forecast_mc_small.json"),
             backtest = section_support::fixture("backtest_small.json"),
             scorecard = section_support::fixture("scorecard_small.json"),
             funnel = section_support::fixture("funnel_by_manager_small.json"),
             lint = section_support::fixture("lint_small.json"),
             route = section_support::fixture("route_small.json");
  auto a = planning_section(&plan, &forecast, &backtest), b = planning_section(&plan, &forecast, &backtest);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->html, b->html);
  auto c = managers_section(&scorecard, &funnel), d = managers_section(&scorecard, &funnel);
  ASSERT_TRUE(c.ok() && d.ok());
  EXPECT_EQ(c->html, d->html);
  auto e = routing_section(&lint, &route), f = routing_section(&lint, &route);
  ASSERT_TRUE(e.ok() && f.ok());
  EXPECT_EQ(e->html, f->html);
}

// Every <svg> of the section's markup (the charts do not nest them).
std::vector<std::string> svgs(const std::string& html) {
  std::vector<std::string> out;
  for (std::size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) {
    const std::size_t end = html.find("</svg>", at);
    if (end == std::string::npos) break;
    out.push_back(html.substr(at, end + 6 - at));
  }
  return out;
}

TEST(SectionProperties, EveryChartStaysInsideItsViewBox) {
  Json plan = section_support::fixture("plan_small.json"),
       forecast = section_support::fixture("forecast_mc_small.json"),
       backtest = section_support::fixture("backtest_small.json"),
       scorecard = section_support::fixture("scorecard_small.json"),
       funnel = section_support::fixture("funnel_by_manager_small.json"),
       lint = section_support::fixture("lint_small.json"),
       route = section_support::fixture("route_small.json");
  // Long Cyrillic labels must be cut, not drawn past the edge.
  const std::string long_name =
      "Константинопольская-Переславская Александра Владимировна (отдел крупных клиентов)";
  plan["rows"][1]["scope_value"] = long_name;
  scorecard["managers"][0]["manager"] = long_name;
  funnel["groups"][0]["key"] = long_name;
  route["decisions"][0]["manager_name"] = long_name;
  std::vector<Section> sections;
  for (auto section : {planning_section(&plan, &forecast, &backtest), managers_section(&scorecard, &funnel),
                       routing_section(&lint, &route)}) {
    ASSERT_TRUE(section.ok()) << section.status().to_string();
    sections.push_back(std::move(*section));
  }
  int charts = 0;
  for (const auto& section : sections) {
    for (const auto& svg : svgs(section.html)) {
      ++charts;
      auto doc = xml_support::parse(svg);
      ASSERT_TRUE(doc.ok()) << doc.error;
      EXPECT_EQ(svg_bounds::outside(doc), std::vector<std::string>()) << section.id << " chart " << charts;
      EXPECT_LE(svg_bounds::num(doc.nodes("/svg:svg")[0], "width"), kChartWidth);
    }
  }
  EXPECT_EQ(charts, 8 + 3 + 2);
}

}  // namespace
}  // namespace dealflow::report
