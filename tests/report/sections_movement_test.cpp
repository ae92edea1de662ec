// movement_section from a small hand-made `dealflow movement --format json`
// document: one waterfall step per non-empty bar (start and end included), each
// linked to the deal list it adds, every table cell the JSON value formatted,
// and malformed input an error naming the JSON path.
#include <gtest/gtest.h>

#include <functional>

#include "dealflow/report/sections.h"
#include "section_support.h"

namespace dealflow::report {
namespace {

using namespace section_support;  // caption, definition, figures, fixture, marks, parse_section, row, rows, t
using Cells = std::vector<std::string>;

TEST(MovementSection, WaterfallStepsPerNonEmptyBarWithExactTable) {
  const Json movement = fixture("movement_small.json");
  std::vector<DealList> lists;
  auto section = movement_section(movement, "movement.json", lists);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  EXPECT_EQ(section->id, "movement");
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;
  ASSERT_EQ(figures(page), 2);  // RUB, then the deals without an amount
  EXPECT_EQ(
      page.texts("/h:section/h:p[1]"),
      (Cells{"Pipeline main, from 2024-07-01T00:00:00Z to 2024-10-01T00:00:00Z: pipeline of the period = "
             "open deals whose expected close date is in [from, to)."}));

  // RUB: start, created, amount changes, won, end (pulled in is empty: no step).
  EXPECT_EQ(marks(page, 1), 5);
  EXPECT_EQ(caption(page, 1), "Pipeline movement, RUB");
  EXPECT_EQ(page.texts("(//h:figure)[1]//h:thead//h:th"),
            (Cells{"bar", "deals", "amount, RUB", "deal list"}));
  ASSERT_EQ(rows(page, 1), 6);
  EXPECT_EQ(row(page, 1, 1), (Cells{"open at start", "2", t("1 000.00"), "open at start (RUB)"}));
  EXPECT_EQ(row(page, 1, 2), (Cells{"created", "+1", "+500.50", "created (RUB)"}));
  EXPECT_EQ(row(page, 1, 3), (Cells{"pulled in", "0", "0.00", "—"}));
  EXPECT_EQ(row(page, 1, 4), (Cells{"amount changes", "0", "\u2212100.00", "amount changes (RUB)"}));
  EXPECT_EQ(row(page, 1, 5), (Cells{"won", "\u22121", "\u2212600.00", "won (RUB)"}));
  EXPECT_EQ(row(page, 1, 6), (Cells{"open at end", "2", "800.50", "open at end (RUB)"}));
  EXPECT_NE(definition(page, 1).find("(holds exactly)"), std::string::npos);
  EXPECT_EQ(page.count("(//h:figure)[1]//svg:text[. = '\u22121']"), 1);  // the won bar: its deals

  // Without an amount: counts only, start and end.
  EXPECT_EQ(marks(page, 2), 2);
  EXPECT_EQ(caption(page, 2), "Pipeline movement of the deals without an amount, deals");
  ASSERT_EQ(rows(page, 2), 3);
  EXPECT_EQ(row(page, 2, 1), (Cells{"open at start", "1", "—", "open at start (deals)"}));
  EXPECT_EQ(row(page, 2, 2), (Cells{"created", "0", "—", "—"}));

  // The glossary of the bars.
  EXPECT_EQ(page.count("//h:p[@class='note'][contains(., 'pulled in: close date moved into the period.')]"),
            1);
}

TEST(MovementSection, EveryStepLinksToItsDealList) {
  const Json movement = fixture("movement_small.json");
  std::vector<DealList> lists;
  auto section = movement_section(movement, "movement.json", lists);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  ASSERT_TRUE(page.ok()) << page.error;

  std::vector<std::string> ids;
  for (const auto& list : lists) ids.push_back(list.id);
  EXPECT_EQ(ids, (Cells{"movement-rub-start", "movement-rub-created", "movement-rub-amount-changed",
                        "movement-rub-won", "movement-rub-end", "movement-no-amount-start",
                        "movement-no-amount-end"}));
  EXPECT_EQ(lists[1].title, "created (RUB)");
  EXPECT_EQ(lists[1].deal_ids, (Cells{"Сделка-3"}));
  EXPECT_EQ(lists[4].deal_ids, (Cells{"D-1", "Сделка-3"}));

  // Each drawn step sits in a link to exactly one list, in the same order.
  std::vector<std::string> hrefs;
  for (xmlNode* a : page.nodes("//svg:a[.//svg:*[contains(concat(' ', @class, ' '), ' mark ')]]")) {
    std::string href = xml_support::Doc::attr(a, "href");
    if (href.empty()) href = "(none)";
    hrefs.push_back(href);
  }
  std::vector<std::string> expected;
  for (const auto& id : ids) expected.push_back("#list-" + id);
  EXPECT_EQ(hrefs, expected);
  EXPECT_EQ(page.count("//svg:a//svg:*[contains(concat(' ', @class, ' '), ' mark ')]"),
            marks(page, 1) + marks(page, 2));
}

TEST(MovementSection, NotHoldingIdentityIsSaid) {
  Json movement = fixture("movement_small.json");
  movement["currencies"][0]["identity"]["amount"]["holds"] = false;
  std::vector<DealList> lists;
  auto section = movement_section(movement, "movement.json", lists);
  ASSERT_TRUE(section.ok()) << section.status().to_string();
  auto page = parse_section(*section);
  EXPECT_NE(definition(page, 1).find("(DOES NOT HOLD)"), std::string::npos);
}

TEST(MovementSection, Deterministic) {
  const Json movement = fixture("movement_small.json");
  std::vector<DealList> a_lists, b_lists;
  auto a = movement_section(movement, "movement.json", a_lists);
  auto b = movement_section(movement, "movement.json", b_lists);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->html, b->html);
  EXPECT_EQ(a_lists.size(), b_lists.size());
}

std::string movement_error(const std::function<void(Json&)>& edit) {
  Json movement = fixture("movement_small.json");
  edit(movement);
  std::vector<DealList> lists;
  auto section = movement_section(movement, "movement.json", lists);
  return section.ok() ? "ok" : section.status().to_string();
}

TEST(MovementSection, ErrorsNameTheDocumentAndJsonPath) {
  EXPECT_EQ(movement_error([](Json& j) { j["currencies"][0]["bars"][1].erase("count"); }),
            "movement.json: at /currencies/0/bars/1/count: missing member: expected an integer");
  EXPECT_EQ(movement_error([](Json& j) { j["currencies"][0]["bars"][3]["amount"] = "-1e2"; }),
            "movement.json: at /currencies/0/bars/3/amount: expected a signed decimal string, got \"-1e2\"");
  EXPECT_EQ(movement_error([](Json& j) { j["currencies"][0]["bars"][3]["amount"] = -100; }),
            "movement.json: at /currencies/0/bars/3/amount: expected a string, got -100");
  EXPECT_EQ(movement_error([](Json& j) { j["currencies"][1]["bars"][0]["deals"][0] = 7; }),
            "movement.json: at /currencies/1/bars/0/deals/0: expected a string, got 7");
  EXPECT_EQ(movement_error([](Json& j) { j["currencies"][0]["currency"] = 643; }),
            "movement.json: at /currencies/0/currency: expected a string, got 643");
  EXPECT_EQ(movement_error([](Json& j) { j["currencies"][0]["identity"]["amount"].erase("holds"); }),
            "movement.json: at /currencies/0/identity/amount/holds: missing member: expected true or false");
  EXPECT_EQ(movement_error([](Json& j) { j["definition"]["bars"][2].erase("definition"); }),
            "movement.json: at /definition/bars/2/definition: missing member: expected a string");
  EXPECT_EQ(movement_error([](Json& j) { j.erase("currencies"); }),
            "movement.json: at /currencies: missing member: expected an array");
}

}  // namespace
}  // namespace dealflow::report
