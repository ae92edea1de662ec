// field_changes.csv and the optional deals.csv columns close_date, closed_at,
// probability: values, one test per documented error (strict: located
// message; lenient: the row skipped and counted), "a refused load changes
// nothing", unknown names becoming dimension columns.
#include <gtest/gtest.h>

#include "funnel_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::at;
using testing::fixture_pipeline;

constexpr const char* kFcLoadDeals =
    "id,created_at,amount,currency,manager,close_date,closed_at,probability\n"
    "A,2024-01-01T00:00:00Z,1000.00,RUB,Иванов,2024-06-30,,40\n"
    "B,2024-01-02T00:00:00Z,,,Петрова,,2024-02-01T10:00:00Z,12.5\n"
    "C,2024-01-03T00:00:00Z,5,JPY,,,,\n";

LoadedLog deals(CsvLoadOptions options = {}) {
  options.default_pipeline = &fixture_pipeline();
  auto loaded = load_deals_csv(kFcLoadDeals, "deals.csv", {&fixture_pipeline()}, options);
  EXPECT_TRUE(loaded.ok()) << loaded.status().to_string();
  return std::move(*loaded);
}

Status load_changes(LoadedLog& loaded, const std::string& body, LoadMode mode = LoadMode::strict,
                    const std::string& header = "deal_id,at,field,value,currency") {
  CsvLoadOptions options;
  options.mode = mode;
  return load_field_changes_csv(header + "\n" + body, "field_changes.csv", options, loaded);
}

TEST(FieldChangesLoad, DealsOptionalColumns) {
  const LoadedLog loaded = deals();
  const EventLog& log = loaded.log;
  const DealId a = *log.find_deal("A"), b = *log.find_deal("B"), c = *log.find_deal("C");
  EXPECT_EQ(log.close_date(a), Date::parse("2024-06-30").value());
  EXPECT_EQ(log.close_date(b), std::nullopt);
  EXPECT_EQ(log.closed_at(b), at("2024-02-01T10:00:00Z"));
  EXPECT_EQ(log.closed_at(a), std::nullopt);
  EXPECT_EQ(log.probability(a), 4000u);
  EXPECT_EQ(log.probability(b), 1250u);
  EXPECT_EQ(log.probability(c), std::nullopt);
  // Not dimensions.
  EXPECT_FALSE(log.find_dimension("close_date"));
  EXPECT_FALSE(log.find_dimension("probability"));
}

TEST(FieldChangesLoad, DealsColumnErrors) {
  CsvLoadOptions options;
  options.default_pipeline = &fixture_pipeline();
  auto r = load_deals_csv("id,created_at,close_date\nA,2024-01-01,2024-02-30\n", "deals.csv",
                          {&fixture_pipeline()}, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().to_string(),
            "deals.csv:2:14: column 'close_date': invalid date '2024-02-30': expected a calendar date "
            "YYYY-MM-DD, like 2024-03-31");
  r = load_deals_csv("id,created_at,probability\nA,2024-01-01,100.5\n", "deals.csv", {&fixture_pipeline()},
                     options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().to_string().find("deals.csv:2:14: column 'probability': invalid probability '100.5'"),
            std::string::npos)
      << r.status().to_string();
  r = load_deals_csv("id,created_at,closed_at\nA,2024-01-01,yesterday\n", "deals.csv", {&fixture_pipeline()},
                     options);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().to_string().find("deals.csv:2:14: column 'closed_at'"), std::string::npos);
  options.mode = LoadMode::lenient;
  r = load_deals_csv(
      "id,created_at,probability,close_date\nA,2024-01-01,-1,\nB,2024-01-01,,31.12.2024\nC,2024-01-01,0.25,"
      "\n",
      "deals.csv", {&fixture_pipeline()}, options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->log.deal_count(), 1u);
  EXPECT_EQ(r->report.count(IssueKind::bad_probability), 1u);
  EXPECT_EQ(r->report.count(IssueKind::bad_date), 1u);
  EXPECT_EQ(r->log.probability(DealId{0}), 25u);
}

TEST(FieldChangesLoad, Values) {
  LoadedLog loaded = deals();
  const Status st = load_changes(loaded,
                                 "A,2024-01-01T00:00:00Z,manager,Петрова,\n"
                                 "A,2024-01-05T00:00:00Z,amount,1500.50,\n"
                                 "A,2024-01-06T00:00:00Z,amount,20,USD\n"
                                 "B,2024-01-06T00:00:00Z,amount,7 EUR,\n"
                                 "C,2024-01-06T00:00:00Z,amount,7,\n"
                                 "A,2024-01-07T00:00:00Z,close_date,2024-07-31,\n"
                                 "A,2024-01-08T00:00:00Z,probability,12.5,\n"
                                 "A,2024-01-09T00:00:00Z,forecast_category,Commit,\n"
                                 "A,2024-01-10T00:00:00Z,Отрасль,Ритейл,\n"
                                 "A,2024-01-11T00:00:00Z,manager,,\n");
  ASSERT_TRUE(st.ok()) << st.to_string();
  const EventLog& log = loaded.log;
  const DealId a = *log.find_deal("A");
  const DimensionId manager = to_dimension_id(StandardDimension::manager);
  EXPECT_EQ(loaded.report.field_change_rows, 10u);
  EXPECT_EQ(loaded.report.field_changes_loaded, 10u);
  EXPECT_EQ(log.dimension_value_as_of(a, manager, at("2024-01-10")), "Петрова");
  EXPECT_EQ(log.dimension_value_as_of(a, manager, at("2024-01-11")), "");  // cleared
  EXPECT_EQ(log.amount_as_of(a, at("2024-01-05")),
            Money(150050, Currency::of("RUB")));  // the deal's currency
  EXPECT_EQ(log.amount_as_of(a, at("2024-01-06")), Money(2000, Currency::of("USD")));
  EXPECT_EQ(log.amount_as_of(*log.find_deal("B"), at("2024-01-06")), Money(700, Currency::of("EUR")));
  EXPECT_EQ(log.amount_as_of(*log.find_deal("C"), at("2024-01-06")), Money(7, Currency::of("JPY")));
  EXPECT_EQ(log.close_date_as_of(a, at("2024-01-07")), Date::parse("2024-07-31").value());
  EXPECT_EQ(log.probability_as_of(a, at("2024-01-08")), 1250u);
  // Names that are not standard fields are dimension columns.
  const auto fc = log.find_dimension("forecast_category");
  const auto industry = log.find_dimension("Отрасль");
  ASSERT_TRUE(fc && industry);
  EXPECT_EQ(log.dimension_value_as_of(a, *fc, at("2024-01-09")), "Commit");
  EXPECT_EQ(log.dimension_value_as_of(a, *fc, at("2024-01-08")), "");
  EXPECT_EQ(log.dimension_value_as_of(a, *industry, at("2024-02-01")), "Ритейл");
}

struct ErrorCase {
  const char* name;
  std::string row;
  IssueKind kind;
  std::string message;  // the full strict-mode message
};

TEST(FieldChangesLoad, EveryDocumentedErrorStrictAndLenient) {
  const std::vector<ErrorCase> cases = {
      {"wrong_field_count", "A,2024-01-02,manager\n", IssueKind::wrong_field_count,
       "field_changes.csv:2:1: expected 5 fields as in the header, got 3"},
      {"empty deal", ",2024-01-02,manager,X,\n", IssueKind::empty_id,
       "field_changes.csv:2:1: column 'deal_id': empty deal_id: expected the id of a deal in "
       "the deals "
       "file"},
      {"empty field", "A,2024-01-02,,X,\n", IssueKind::empty_id,
       "field_changes.csv:2:14: column 'field': empty field: expected manager, amount, "
       "close_date, "
       "probability, forecast_category or a dimension name"},
      {"unknown_deal", "Z,2024-01-02,manager,X,\n", IssueKind::unknown_deal,
       "field_changes.csv:2:1: column 'deal_id': unknown deal 'Z': expected an id from the deals "
       "file"},
      {"bad_timestamp", "A,2024-13-02,manager,X,\n", IssueKind::bad_timestamp, ""},
      {"out of range", "A,2200-01-01,manager,X,\n", IssueKind::bad_timestamp,
       "field_changes.csv:2:3: column 'at': timestamp '2200-01-01' is outside the supported "
       "range: "
       "expected 1970-01-01T00:00:00Z .. 2106-02-07T06:28:15Z"},
      {"before creation", "A,2023-12-31T23:00:00Z,manager,X,\n", IssueKind::event_before_creation,
       "field_changes.csv:2:3: column 'at': change at 2023-12-31T23:00:00Z is before deal 'A' "
       "was "
       "created (2024-01-01T00:00:00Z): expected an instant at or after created_at"},
      {"bad_amount", "A,2024-01-02,amount,12.345,\n", IssueKind::bad_amount, ""},
      {"bad_currency", "A,2024-01-02,amount,12,RUBLE\n", IssueKind::bad_currency, ""},
      {"no currency", "B,2024-01-02,amount,12,\n", IssueKind::bad_currency,
       "field_changes.csv:2:21: column 'value': amount '12' has no currency: expected a "
       "'currency' "
       "cell, a deal with an amount, a code in the value ('1234.56 RUB') or a default currency"},
      {"bad_date", "A,2024-01-02,close_date,30.06.2024,\n", IssueKind::bad_date,
       "field_changes.csv:2:25: column 'value': invalid close_date '30.06.2024': expected a "
       "calendar "
       "date YYYY-MM-DD, like 2024-03-31"},
      {"bad_probability", "A,2024-01-02,probability,40%,\n", IssueKind::bad_probability,
       "field_changes.csv:2:26: column 'value': invalid probability '40%': expected a percent "
       "from 0 to "
       "100 with at most two decimals, like 40 or 12.5"},
      {"unknown_field", "A,2024-01-02,pipeline,other,\n", IssueKind::unknown_field,
       "field_changes.csv:2:14: column 'field': field 'pipeline' has no history: expected "
       "manager, "
       "amount, close_date, probability, forecast_category or a dimension name"},
  };
  const std::string good = "A,2024-01-03,manager,Good,\n";
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.name);
    // Strict: the error, located; nothing changed.
    LoadedLog loaded = deals();
    const std::size_t dims = loaded.log.dimension_count();
    const Status st = load_changes(loaded, c.row + good);
    ASSERT_FALSE(st.ok());
    if (!c.message.empty()) {
      EXPECT_EQ(st.to_string(), c.message);
    } else {
      EXPECT_NE(st.to_string().find("field_changes.csv:2:"), std::string::npos) << st.to_string();
    }
    EXPECT_EQ(loaded.log.field_change_count(), 0u);
    EXPECT_EQ(loaded.log.dimension_count(), dims);
    EXPECT_EQ(loaded.report.field_change_rows, 0u);
    EXPECT_TRUE(loaded.report.clean());
    // Lenient: skipped and counted, the good row kept.
    LoadedLog lenient = deals();
    const Status ls = load_changes(lenient, c.row + good, LoadMode::lenient);
    ASSERT_TRUE(ls.ok()) << ls.to_string();
    EXPECT_EQ(lenient.report.count(c.kind), 1u);
    EXPECT_EQ(lenient.report.field_change_rows, 2u);
    EXPECT_EQ(lenient.report.field_changes_loaded, 1u);
    EXPECT_EQ(lenient.log.field_change_count(), 1u);
  }
}

TEST(FieldChangesLoad, FileLevelErrors) {
  LoadedLog loaded = deals();
  Status st = load_changes(loaded, "A,2024-01-02,manager,X\n", LoadMode::lenient, "deal_id,at,value");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.to_string(),
            "field_changes.csv:1:1: missing required column 'field': a field changes file needs it "
            "(header has: deal_id,at,value)");
  st = load_changes(loaded, "A,2024-01-02,manager,\"X\n", LoadMode::lenient, "deal_id,at,field,value");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.to_string().find("field_changes.csv:2:"), std::string::npos) << st.to_string();
  EXPECT_EQ(loaded.log.field_change_count(), 0u);
  // Invalid UTF-8 is refused before any row.
  st = load_changes(loaded, "A,2024-01-02,manager,\xff\n", LoadMode::lenient, "deal_id,at,field,value");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(loaded.log.field_change_count(), 0u);
}

TEST(FieldChangesLoad, LaterRowWinsAtOneInstantAndFileOrderDoesNotMatter) {
  LoadedLog loaded = deals();
  ASSERT_TRUE(load_changes(loaded,
                           "B,2024-01-09,manager,Z,\n"
                           "A,2024-01-05,manager,X,\n"
                           "A,2024-01-05,manager,Y,\n"
                           "A,2024-01-02,manager,W,\n")
                  .ok());
  const DimensionId manager = to_dimension_id(StandardDimension::manager);
  const EventLog& log = loaded.log;
  EXPECT_EQ(log.dimension_value_as_of(*log.find_deal("A"), manager, at("2024-01-04")), "W");
  EXPECT_EQ(log.dimension_value_as_of(*log.find_deal("A"), manager, at("2024-01-05")), "Y");
  EXPECT_EQ(log.dimension_value_as_of(*log.find_deal("B"), manager, at("2024-01-08")), "Петрова");
  EXPECT_EQ(log.dimension_value_as_of(*log.find_deal("B"), manager, at("2024-01-09")), "Z");
}

}  // namespace
}  // namespace dealflow::analytics
