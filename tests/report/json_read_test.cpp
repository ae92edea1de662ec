// The report's checked JSON accessors (src/report/json_read.h): values, exact
// decimal text, and errors naming the document, the JSON path, the value and
// what was expected.
#include "report/json_read.h"

#include <gtest/gtest.h>

namespace dealflow::report::detail {
namespace {

Json sample() {
  return Json::parse(R"({
    "rows": [{"fact": 12, "plan": "1234567.80", "name": "Фёдоров Павел", "share": 0.25,
              "won_amount": {"amount": "-5.10", "currency": "RUB"}, "none": null}],
    "a/b": {"c~d": 7}
  })");
}

TEST(JsonRead, ReadsTypedMembers) {
  const Json doc = sample();
  JsonAt root(doc, "plan.json");
  auto rows = root.array("rows");
  ASSERT_TRUE(rows.ok()) << rows.status().to_string();
  ASSERT_EQ(rows->size(), 1u);
  const JsonAt& row = (*rows)[0];
  EXPECT_EQ(row.path(), "/rows/0");
  EXPECT_EQ(*row.integer("fact"), 12);
  EXPECT_EQ(*row.number("share"), 0.25);
  EXPECT_EQ(*row.string("name"), "Фёдоров Павел");
  auto plan = row.decimal("plan");
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->text, "1234567.80");
  EXPECT_DOUBLE_EQ(plan->value, 1234567.8);
  auto won = row.money("won_amount");
  ASSERT_TRUE(won.ok());
  EXPECT_EQ(won->amount.text, "-5.10");
  EXPECT_EQ(won->currency, "RUB");
  EXPECT_FALSE(row.optional_number("none")->has_value());
  EXPECT_FALSE(row.optional_money("absent")->has_value());
  EXPECT_TRUE(row.has("fact"));
  EXPECT_FALSE(row.has("none"));
}

TEST(JsonRead, WrongTypeNamesDocumentPathValueAndExpectation) {
  const Json doc = sample();
  JsonAt root(doc, "plan.json");
  auto fact = root.at_path("/rows/0");
  ASSERT_TRUE(fact.ok());
  auto bad = fact->decimal("fact");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().to_string(), "plan.json: at /rows/0/fact: expected a decimal string, got 12");
  auto bad_number = fact->number("plan");
  EXPECT_EQ(bad_number.status().to_string(),
            "plan.json: at /rows/0/plan: expected a number, got \"1234567.80\"");
  auto not_array = root.array("a/b");
  EXPECT_EQ(not_array.status().to_string(), "plan.json: at /a~1b: expected an array, got {\"c~d\":7}");
}

TEST(JsonRead, MissingAndNullMembersAreMissing) {
  const Json doc = sample();
  JsonAt root(doc, "forecast.json");
  auto row = root.at_path("/rows/0");
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->decimal("p10").status().to_string(),
            "forecast.json: at /rows/0/p10: missing member: expected a decimal string");
  EXPECT_EQ(row->integer("none").status().to_string(),
            "forecast.json: at /rows/0/none: missing member: expected an integer");
}

TEST(JsonRead, RejectsMalformedDecimals) {
  for (const char* text : {"", "-", "1.", ".5", "1e5", "1 234", "+1", "1,5", "12a"}) {
    const Json doc = {{"x", text}};
    auto value = JsonAt(doc, "d.json").decimal("x");
    EXPECT_FALSE(value.ok()) << text;
  }
  const Json doc = {{"x", "-0.05"}};
  EXPECT_EQ(JsonAt(doc, "d.json").decimal("x")->text, "-0.05");
}

TEST(JsonRead, AtPathUnescapesAndLocatesTheFailingStep) {
  const Json doc = sample();
  JsonAt root(doc, "x.json");
  EXPECT_EQ(*root.at_path("/a~1b/c~0d")->as_integer(), 7);
  EXPECT_EQ(root.at_path("/rows/3").status().to_string(),
            "x.json: at /rows: index 3 is past the end: expected at most 1 elements");
  EXPECT_EQ(root.at_path("/rows/0/fact/x").status().to_string(),
            "x.json: at /rows/0/fact: expected an object, got 12");
}

TEST(JsonRead, LongValuesAreCutInMessages) {
  const Json doc = {{"x", std::string(100, 'a')}};
  auto value = JsonAt(doc, "d.json").number("x");
  EXPECT_EQ(value.status().message(), "expected a number, got \"" + std::string(39, 'a') + "…");
}

TEST(JsonRead, FormatsExactDecimalsWithThinSpaces) {
  EXPECT_EQ(format_decimal("1234567.80"), "1\u2009234\u2009567.80");
  EXPECT_EQ(format_decimal("-123.4"), "\u2212123.4");
  EXPECT_EQ(format_decimal("1000"), "1\u2009000");
  EXPECT_EQ(format_minor_units(160000000, 2), "1\u2009600\u2009000.00");
  EXPECT_EQ(format_minor_units(-5, 2), "\u22120.05");
  EXPECT_EQ(format_minor_units(1234, 0), "1\u2009234");
  EXPECT_EQ(format_minor_units(INT64_MIN, 2), "\u221292\u2009233\u2009720\u2009368\u2009547\u2009758.08");
  EXPECT_EQ(minor_digits_of("JPY"), 0);
  EXPECT_EQ(minor_digits_of("RUB"), 2);
}

}  // namespace
}  // namespace dealflow::report::detail
