// The manager adjustments file: parsing, the adjustment in force, located errors.
#include <gtest/gtest.h>

#include "dealflow/planning/adjustments.h"
#include "forecast_fixture.h"

namespace dealflow::planning {
namespace {

using forecast_testing::at;
using forecast_testing::rub;

const std::string kHeader = "scope,period,category,amount,currency,author,at,note\n";

TEST(Adjustments, ParsesEveryColumnInAnyOrder) {
  auto a = parse_adjustments_csv(
      "note,at,author,currency,amount,category,period,scope\n"
      "\"Ещё, два\",2026-07-15T10:00:00+03:00,Петрова,RUB,1234.5,best_case,2026-Q3,Иванов\n",
      "a.csv");
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  ASSERT_EQ(a->size(), 1u);
  const Adjustment& x = a->front();
  EXPECT_EQ(x.scope, "Иванов");
  EXPECT_EQ(x.period, "2026-Q3");
  EXPECT_EQ(x.category, ForecastCategory::best_case);
  EXPECT_EQ(x.amount, rub(123450));
  EXPECT_EQ(x.author, "Петрова");
  EXPECT_EQ(x.at, at("2026-07-15T07:00:00Z"));
  EXPECT_EQ(x.note, "Ещё, два");
  EXPECT_EQ(x.line, 2u);
}

TEST(Adjustments, TheLatestAtOrBeforeAsOfIsInForce) {
  auto a = parse_adjustments_csv(kHeader +
                                     "company,2026-Q3,commit,1.00,RUB,A,2026-07-01T00:00:00Z,first\n"
                                     "company,2026-Q3,commit,2.00,RUB,B,2026-07-10T00:00:00Z,second\n"
                                     "company,2026-Q3,commit,3.00,RUB,C,2026-07-10T00:00:00Z,tie: later row\n"
                                     "company,2026-Q3,commit,4.00,USD,D,2026-07-05T00:00:00Z,other currency\n"
                                     "company,2026-Q3,commit,5.00,RUB,E,2026-08-10T00:00:00Z,future\n",
                                 "a.csv");
  ASSERT_TRUE(a.ok());
  const Currency RUB = Currency::of("RUB");
  auto in_force = [&](const char* when) {
    return adjustment_in_force(*a, "company", "2026-Q3", ForecastCategory::commit, RUB, at(when));
  };
  EXPECT_EQ(in_force("2026-06-30T00:00:00Z"), nullptr);
  EXPECT_EQ(in_force("2026-07-05T00:00:00Z")->author, "A");
  EXPECT_EQ(in_force("2026-08-01T00:00:00Z")->author, "C");
  EXPECT_EQ(in_force("2026-08-10T00:00:00Z")->author, "E");
  EXPECT_EQ(adjustment_in_force(*a, "company", "2026-Q3", ForecastCategory::commit, Currency::of("USD"),
                                at("2026-08-01T00:00:00Z"))
                ->author,
            "D");
  EXPECT_EQ(adjustment_in_force(*a, "company", "2026-Q4", ForecastCategory::commit, RUB, at("2026-08-01")),
            nullptr);
  EXPECT_EQ(adjustment_in_force(*a, "Иванов", "2026-Q3", ForecastCategory::commit, RUB, at("2026-08-01")),
            nullptr);
  EXPECT_EQ(adjustment_in_force(*a, "company", "2026-Q3", ForecastCategory::best_case, RUB, at("2026-08-01")),
            nullptr);
}

TEST(Adjustments, LocatedErrors) {
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"scope,period,category,amount,currency,author,at\n", "note"},
      {"", "a.csv:1:1"},
      {kHeader + ",2026-Q3,commit,1,RUB,A,2026-07-01,\n", "a.csv:2:1: column 'scope': empty scope"},
      {kHeader + "company,,commit,1,RUB,A,2026-07-01,\n", "a.csv:2:9: column 'period': empty period"},
      {kHeader + "company,2026-Q3,closed,1,RUB,A,2026-07-01,\n",
       "a.csv:2:17: column 'category': 'closed' is not an adjustable category, expected commit, best_case or "
       "pipeline"},
      {kHeader + "company,2026-Q3,maybe,1,RUB,A,2026-07-01,\n", "column 'category': 'maybe'"},
      {kHeader + "company,2026-Q3,commit,1.234,RUB,A,2026-07-01,\n", "a.csv:2:24: column 'amount': '1.234'"},
      {kHeader + "company,2026-Q3,commit,1,рубли,A,2026-07-01,\n", "a.csv:2:26: column 'currency': 'рубли'"},
      {kHeader + "company,2026-Q3,commit,1,RUB,,2026-07-01,\n", "a.csv:2:30: column 'author': empty author"},
      {kHeader + "company,2026-Q3,commit,1,RUB,A,вчера,\n",
       "a.csv:2:32: column 'at': 'вчера' is not an instant"},
      {kHeader + "company,2026-Q3,commit,1,RUB,A\n", "a.csv:2"},
      {kHeader + "company,2026-Q3,commit,1,RUB,\xcf\xe5\xf2\xf0\xee\xe2\xe0,2026-07-01,\n",
       "a.csv:2"},  // cp1251
  };
  for (const Case& c : cases) {
    auto r = parse_adjustments_csv(c.text, "a.csv");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().to_string().find(c.expected), std::string::npos)
        << r.status().to_string() << "\nexpected: " << c.expected;
  }
}

}  // namespace
}  // namespace dealflow::planning
