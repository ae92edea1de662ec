// Properties of the movement and cohorts sections over random documents:
// waterfall steps == bars with a deal or an amount (start and end included),
// each linked to the list of exactly its deal ids, table amounts equal the
// JSON's decimals exactly; heat-map cells == finite shares, win-rate points ==
// finite rates; names with XML specials stay well-formed; same input, same bytes.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>

#include "dealflow/report/sections.h"
#include "section_support.h"

namespace dealflow::report {
namespace {

using namespace section_support;  // marks, parse_section, row, rows, plain, minor_text

const char* const kNames[] = {"created", "won", "Сделка <&> \"срочно\"", "перенос", "lost"};

Json random_movement(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> bars_n(0, 6), count(-3, 3), zero(0, 2), deals_n(0, 4);
  std::uniform_int_distribution<std::int64_t> minor(-50'000'000, 50'000'000);
  Json bars = Json::array();
  const int middle = bars_n(rng);
  for (int i = 0; i < middle + 2; ++i) {
    const bool level = i == 0 || i == middle + 1;
    const std::int64_t m = zero(rng) == 0 ? 0 : level ? std::llabs(minor(rng)) : minor(rng);
    const int c = level ? std::abs(count(rng)) : zero(rng) == 0 ? 0 : count(rng);
    Json deals = Json::array();
    for (int d = deals_n(rng); d > 0; --d)
      deals.push_back("D-" + std::to_string(i) + "-" + std::to_string(d));
    std::string amount = minor_text(m);
    if (m > 0 && !level && zero(rng) == 1) amount = "+" + amount;
    const std::string id = level ? (i == 0 ? "start" : "end") : "bar_" + std::to_string(i);
    bars.push_back({{"bar", id},
                    {"kind", level            ? "level"
                             : m < 0 || c < 0 ? "exit"
                                              : "entry"},
                    {"label", level ? id : kNames[static_cast<std::size_t>(i) % 5]},
                    {"count", c},
                    {"amount", amount},
                    {"deals", deals}});
  }
  Json currency = {{"currency", "RUB"}, {"bars", bars}, {"identity", {{"amount", {{"holds", true}}}}}};
  return {{"definition",
           {{"from", "2024-07-01"},
            {"to", "2024-10-01"},
            {"pipeline", "p"},
            {"text", "t"},
            {"bars", Json::array()}}},
          {"currencies", Json::array({currency})}};
}

TEST(SectionRandom, MovementStepsLinksAndExactAmounts) {
  std::mt19937_64 rng(20241);
  for (int trial = 0; trial < 200; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    const Json movement = random_movement(rng);
    std::vector<DealList> lists;
    auto section = movement_section(movement, "movement.json", lists);
    ASSERT_TRUE(section.ok()) << section.status().to_string();
    auto page = parse_section(*section);
    ASSERT_TRUE(page.ok()) << page.error;
    const Json& bars = movement["currencies"][0]["bars"];
    ASSERT_EQ(rows(page, 1), static_cast<int>(bars.size()));
    int steps = 0;
    std::vector<std::string> links;
    std::size_t list = 0;
    for (std::size_t i = 0; i < bars.size(); ++i) {
      const Json& bar = bars[i];
      const bool level = bar["kind"] == "level";
      std::string amount = bar["amount"].get<std::string>();
      if (amount[0] == '+') amount.erase(0, 1);
      const bool nonzero = amount != "0.00";
      if (level || bar["count"] != 0 || nonzero) ++steps;
      const auto cells = row(page, 1, static_cast<int>(i) + 1);
      ASSERT_EQ(cells.size(), 4u);
      EXPECT_EQ(plain(cells[2]), (!level && nonzero && amount[0] != '-' ? "+" : "") + amount);
      if (bar["deals"].empty()) {
        EXPECT_EQ(cells[3], "—");
        continue;
      }
      ASSERT_LT(list, lists.size());
      EXPECT_EQ(lists[list].deal_ids, bar["deals"].get<std::vector<std::string>>());
      EXPECT_EQ(cells[3], lists[list].title);
      if (level || bar["count"] != 0 || nonzero) links.push_back("#list-" + lists[list].id);
      ++list;
    }
    EXPECT_EQ(list, lists.size());
    EXPECT_EQ(marks(page, 1), steps);
    std::vector<std::string> hrefs;
    for (xmlNode* a : page.nodes("(//h:figure)[1]//svg:a"))
      hrefs.push_back(xml_support::Doc::attr(a, "href"));
    EXPECT_EQ(hrefs, links);

    std::vector<DealList> again;
    auto second = movement_section(movement, "movement.json", again);
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->html, section->html);
  }
}

TEST(SectionRandom, CohortsCellsAndPointsEqualTheFiniteValues) {
  std::mt19937_64 rng(777);
  std::uniform_int_distribution<int> months_n(0, 14), stages_n(0, 5), deals(0, 9), coin(0, 3);
  std::uniform_real_distribution<double> share(0, 1);
  for (int trial = 0; trial < 100; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    const int n_stages = stages_n(rng);
    Json stages = Json::array();
    for (int s = 0; s < n_stages; ++s)
      stages.push_back({{"id", "S" + std::to_string(s)}, {"name", "Этап <" + std::to_string(s) + ">"}});
    Json months = Json::array();
    int cells = 0, points = 0;
    const int n_months = months_n(rng);
    for (int m = 0; m < n_months; ++m) {
      auto cell = [&] {
        if (coin(rng) == 0) return Json{{"count", 0}, {"share", nullptr}};
        ++cells;
        return Json{{"count", 1}, {"share", share(rng)}};
      };
      Json furthest = {{"no_stage", cell()}, {"stages", Json::array()}};
      for (int s = 0; s < n_stages; ++s) furthest["stages"].push_back(cell());
      furthest["won"] = cell();
      Json rate = {{"value", nullptr}, {"low", nullptr}, {"high", nullptr}};
      if (coin(rng) != 0) {
        ++points;
        const double v = share(rng);
        rate = {{"value", v}, {"low", v / 2}, {"high", (1 + v) / 2}};
      }
      months.push_back({{"month", "2024-" + std::to_string(10 + m)},
                        {"deals", deals(rng)},
                        {"won", 1},
                        {"lost", 1},
                        {"open", 0},
                        {"furthest", furthest},
                        {"win_rate", rate}});
    }
    const Json cohorts = {{"definition", {{"pipeline", "p & q"}, {"furthest", "f"}, {"win_rate", "w"}}},
                          {"stages", stages},
                          {"months", months}};
    auto section = cohorts_section(cohorts, "cohorts.json");
    ASSERT_TRUE(section.ok()) << section.status().to_string();
    auto page = parse_section(*section);
    ASSERT_TRUE(page.ok()) << page.error;
    EXPECT_EQ(marks(page, 1), cells);
    EXPECT_EQ(marks(page, 2), points);
    EXPECT_EQ(rows(page, 1), n_months);
    EXPECT_EQ(rows(page, 2), n_months);
  }
}

}  // namespace
}  // namespace dealflow::report
