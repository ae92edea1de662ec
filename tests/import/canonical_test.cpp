// The canonical export: CSV/JSON text, the report, writing files, loading into an EventLog.
#include "dealflow/import/canonical.h"

#include <gtest/gtest.h>

#include <fstream>

#include "import/import_common.h"

namespace dealflow::import {
namespace {

TEST(ImportReport, AddCountsAndKeepsFiveExamples) {
  ImportReport r;
  for (int i = 0; i < 7; ++i)
    r.add("float_noise_rounded", "repaired", {"a.csv:" + std::to_string(i + 2), "x"});
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues["float_noise_rounded"].count, 7u);
  EXPECT_EQ(r.issues["float_noise_rounded"].examples.size(), 5u);
  EXPECT_EQ(r.issues["float_noise_rounded"].examples[4].where, "a.csv:6");
}

TEST(ToCsv, QuotesOnlyWhereNeeded) {
  CanonicalTable t{{"id", "manager"}, {{"D-1", "Иванов, Пётр"}, {"D-2", "say \"hi\""}}};
  EXPECT_EQ(to_csv(t), "id,manager\nD-1,\"Иванов, Пётр\"\nD-2,\"say \"\"hi\"\"\"\n");
}

}  // namespace
}  // namespace dealflow::import

namespace dealflow::import::detail {
namespace {

std::string amount(std::string_view raw, const char* currency, ImportReport& r) {
  auto a = normalize_amount(raw, Currency::of(currency), r, "f.csv:2");
  return a.ok() ? *a : "error: " + a.status().message();
}

TEST(ImportCommon, AmountsAreExactAndFloatNoiseIsRoundedAndCounted) {
  ImportReport r;
  EXPECT_EQ(amount("1500", "USD", r), "1500.00");
  EXPECT_EQ(amount("-12.5", "EUR", r), "-12.50");
  EXPECT_EQ(amount("1 234,56", "RUB", r), "1234.56");
  EXPECT_EQ(amount("1.5E7", "USD", r), "15000000.00");
  EXPECT_EQ(amount("100", "JPY", r), "100");
  EXPECT_TRUE(r.issues.empty());
  EXPECT_EQ(amount("16120999.999999998", "USD", r), "16121000.00");
  EXPECT_EQ(amount("0.30000000000000004", "EUR", r), "0.30");
  EXPECT_EQ(r.issues.at("float_noise_rounded").count, 2u);
  EXPECT_EQ(r.issues.at("float_noise_rounded").examples[0].where, "f.csv:2");
  EXPECT_EQ(r.issues.at("float_noise_rounded").examples[0].message,
            "amount '16120999.999999998' rounded to 16121000.00 USD");
  EXPECT_EQ(amount("12.345", "USD", r), "12.35");  // half away from zero, not noise
  EXPECT_EQ(amount("-12.345", "USD", r), "-12.35");
  EXPECT_EQ(r.issues.at("amount_rounded").count, 2u);
  EXPECT_EQ(amount("12x", "USD", r),
            "error: invalid amount '12x' (expected a decimal amount such as 1500.00)");
  EXPECT_EQ(amount("", "USD", r).rfind("error: invalid amount", 0), 0u);
  EXPECT_EQ(amount("99999999999999999999", "USD", r), "error: amount '99999999999999999999' is too large");
}

TEST(ImportCommon, PercentsAreShortDecimals) {
  EXPECT_EQ(*normalize_percent("10.0"), "10");
  EXPECT_EQ(*normalize_percent("12.50"), "12.5");
  EXPECT_EQ(*normalize_percent("007"), "7");
  EXPECT_EQ(*normalize_percent(".5"), "0.5");
  EXPECT_EQ(*normalize_percent("40 %"), "40");
  EXPECT_FALSE(normalize_percent("forty").ok());
  EXPECT_FALSE(normalize_percent("1-2").ok());
}

TEST(ImportCommon, FormattedDatesWithOptionalParts) {
  auto t = parse_formatted("05.01.2024 10:15:30", "%d.%m.%Y[ %H:%M[:%S]]", 180);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(iso(*t), "2024-01-05T07:15:30Z");
  EXPECT_EQ(iso(*parse_formatted("05.01.2024", "%d.%m.%Y[ %H:%M[:%S]]", 0)), "2024-01-05T00:00:00Z");
  EXPECT_EQ(iso(*parse_formatted("05.01.2024 10:15", "%d.%m.%Y[ %H:%M[:%S]]", 0)), "2024-01-05T10:15:00Z");
  EXPECT_FALSE(parse_formatted("32.01.2024", "%d.%m.%Y", 0).ok());
  EXPECT_FALSE(parse_formatted("05.01.24", "%d.%m.%Y", 0).ok());
  EXPECT_FALSE(parse_formatted("05.01.2024 25:00", "%d.%m.%Y[ %H:%M]", 0).ok());
  EXPECT_EQ(parse_formatted("2024/01/05", "%d.%m.%Y", 0).status().message(),
            "invalid date '2024/01/05' (expected the format %d.%m.%Y)");
  EXPECT_EQ(iso(*parse_timestamp("2024-01-05T10:00:00+03:00", 0)), "2024-01-05T07:00:00Z");
}

TEST(ImportCommon, RecordsKeepLinesAndCharacterColumns) {
  auto recs = read_records("a;b\r\n\r\n\"Ива;нов\";\"x\"\"y\nz\"\nлиса;2\n", ';', "f.csv");
  ASSERT_TRUE(recs.ok()) << recs.status().to_string();
  ASSERT_EQ(recs->size(), 3u);
  EXPECT_EQ((*recs)[1].line, 3);
  EXPECT_EQ((*recs)[1].fields[0], "Ива;нов");
  EXPECT_EQ((*recs)[1].fields[1], "x\"y\nz");
  EXPECT_EQ((*recs)[1].columns[1], 11);  // characters, not bytes
  EXPECT_EQ((*recs)[2].line, 5);
  EXPECT_EQ((*recs)[2].columns[1], 6);
  EXPECT_EQ(read_records("a,\"b\"c\n", ',', "f.csv").status().to_string(),
            "f.csv:1:6: text after a closing quote (expected a separator or a line end)");
  EXPECT_EQ(read_records("a\n\"b\n", ',', "f.csv").status().to_string(),
            "f.csv:2:1: unterminated quoted field");
  EXPECT_EQ(read_table("a,b\n1\n", ',', "f.csv").status().to_string(),
            "f.csv:2:1: record has 1 fields, expected 2 (as many as the header)");
  EXPECT_EQ(guess_separator("a;b;c,d\n1,2"), ';');
  EXPECT_EQ(guess_separator("a,b\n"), ',');
}

TEST(ImportCommon, DealsTableKeepsOnlyColumnsWithData) {
  auto t = make_deals_table(
      {{{"id", "1"}, {"created_at", "x"}, {"zeta", "z"}, {"manager", "Анна"}, {"region", ""}},
       {{"id", "2"}, {"created_at", "y"}, {"alpha", "a"}}});
  EXPECT_EQ(to_csv(t), "id,created_at,manager,alpha,zeta\n1,x,Анна,,z\n2,y,,a,\n");
}

TEST(ImportCommon, FieldChangesSkipRepeatsAndNeedCurrencyOnlyWhenUsed) {
  FieldChanges c;
  EXPECT_TRUE(c.record("1", "t1", "manager", "Анна"));
  EXPECT_FALSE(c.record("1", "t2", "manager", "Анна"));
  EXPECT_TRUE(c.record("1", "t3", "manager", "Пётр"));
  EXPECT_EQ(to_csv(c.table()), "deal_id,at,field,value\n1,t1,manager,Анна\n1,t3,manager,Пётр\n");
  EXPECT_TRUE(c.record("1", "t4", "amount", "10.00", "USD"));
  EXPECT_TRUE(c.record("1", "t5", "amount", "10.00", "EUR"));  // same number, other currency: a change
  EXPECT_EQ(*c.last("1", "manager"), "Пётр");
  EXPECT_EQ(c.table().columns.size(), 5u);
}

TEST(ImportCommon, FinishSortsDeclaresReopensAndAddsMissingTerminalStages) {
  CanonicalExport e;
  e.deals = {{"id", "created_at"}, {{"B", "2024-01-01T00:00:00Z"}, {"A", "2024-01-01T00:00:00Z"}}};
  e.history.columns = {"deal_id", "at", "stage", "pipeline", "actor"};
  e.history.rows = {{"A", "2024-01-03T00:00:00Z", "OPEN", "p", ""},
                    {"B", "2024-01-02T00:00:00Z", "OPEN", "p", ""},
                    {"A", "2024-01-02T00:00:00Z", "WON", "p", ""},
                    {"B", "2024-01-01T00:00:00Z", "OPEN", "p", ""}};
  e.pipelines = {{"p", "P", {{"OPEN", "Open", "open", {}}, {"WON", "Won", "won", {}}}, {}}};
  finish_export(e);
  EXPECT_EQ(
      to_csv(e.history),
      "deal_id,at,stage,pipeline,actor\nB,2024-01-01T00:00:00Z,OPEN,p,\nB,2024-01-02T00:00:00Z,OPEN,p,\n"
      "A,2024-01-02T00:00:00Z,WON,p,\nA,2024-01-03T00:00:00Z,OPEN,p,\n");
  ASSERT_EQ(e.pipelines[0].reopens.size(), 1u);
  EXPECT_EQ(e.pipelines[0].reopens[0], std::make_pair(std::string("WON"), std::string("OPEN")));
  ASSERT_EQ(e.pipelines[0].stages.size(), 3u);
  EXPECT_EQ(e.pipelines[0].stages[2].id, "__lost__");
  EXPECT_EQ(e.report.issues.at("synthetic_lost_stage").count, 1u);
  EXPECT_EQ(e.report.deals, 2u);
  EXPECT_EQ(e.report.events, 4u);

  // The result loads: both deals, the undeclared-looking reopen is declared.
  auto loaded = to_event_log(e);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->loaded.log.deal_count(), 2u);
  EXPECT_EQ(loaded->loaded.report.total(), 0u);
}

TEST(ImportCommon, WriteCanonicalNamesAPathItCannotWrite) {
  CanonicalExport e;
  const std::string blocker = std::string(DEALFLOW_TEST_TMP) + "/import_blocker";
  { std::ofstream(blocker) << "x"; }
  Status st = write_canonical(e, blocker + "/out");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), ErrorCode::io_error);
  EXPECT_NE(st.message().find("import_blocker/out"), std::string::npos) << st.message();
}

TEST(ImportCommon, ToEventLogRefusesAnInvalidPipeline) {
  CanonicalExport e;
  e.deals = {{"id", "created_at"}, {}};
  e.history = {{"deal_id", "at", "stage"}, {}};
  e.pipelines = {{"p", "P", {{"A", "A", "open", {}}, {"A", "A", "won", {}}, {"L", "L", "lost", {}}}, {}}};
  auto loaded = to_event_log(e);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().to_string().find("pipelines/p.json"), std::string::npos)
      << loaded.status().to_string();
}

}  // namespace
}  // namespace dealflow::import::detail
