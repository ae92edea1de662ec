// The Salesforce importer on hand-written fixtures (tests/import/fixtures/salesforce/):
// Opportunity.csv and User.csv in Windows-1252, OpportunityHistory.csv in
// Windows-1252 (rows out of time order), OpportunityFieldHistory.csv in UTF-8,
// OpportunityStage.csv in UTF-16 LE with BOM.
#include "dealflow/import/salesforce.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/analytics/scorecard.h"
#include "dealflow/io/json.h"

namespace dealflow::import {
namespace {

const std::string kSfDir = std::string(DEALFLOW_SOURCE_DIR) + "/tests/import/fixtures/salesforce/";
const std::string kO1 = "006A00000001AAAAAA", kO2 = "006A00000002AAAAAA", kO3 = "006A00000003AAAAAA";

std::vector<std::string> all_files() {
  // Deliberately not in the "natural" order: files are recognised by their header.
  return {kSfDir + "OpportunityHistory.csv", kSfDir + "User.csv", kSfDir + "OpportunityStage.csv",
          kSfDir + "Opportunity.csv", kSfDir + "OpportunityFieldHistory.csv"};
}

CanonicalExport import_fixture() {
  auto exp = import_salesforce(all_files(), {});
  EXPECT_TRUE(exp.ok()) << exp.status().to_string();
  return exp.ok() ? *exp : CanonicalExport{};
}

std::string sf_tmp_file(const std::string& name, const std::string& bytes) {
  const std::string path = std::string(DEALFLOW_TEST_TMP) + "/sf_" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

TEST(SalesforceImport, DealsTableHasCanonicalValues) {
  const auto exp = import_fixture();
  EXPECT_EQ(
      to_csv(exp.deals),
      "id,created_at,pipeline,amount,currency,manager,business,source,client,close_date,closed_at,"
      "probability,forecast_category\n"
      "006A00000001AAAAAA,2024-01-02T09:00:00Z,salesforce,1200.00,USD,José Muñoz,New Customer,Web,"
      "001A00000001AAAAAA,2024-01-20,2024-01-20T09:00:00Z,100,Closed\n"
      "006A00000002AAAAAA,2024-01-03T08:00:00Z,salesforce,16121000.00,EUR,Anna Smith,Existing Customer - "
      "Upgrade,Partner,001A00000002AAAAAA,2024-03-01,2024-02-05T08:00:00Z,100,Closed\n"
      "006A00000003AAAAAA,2024-01-04T10:00:00Z,salesforce,500.00,USD,José Muñoz,New Customer,Web,,"
      "2023-12-31,,60,Pipeline\n");
}

TEST(SalesforceImport, ConsecutiveRowsInOneStageAreOneStageEvent) {
  const auto exp = import_fixture();
  EXPECT_EQ(to_csv(exp.history),
            "deal_id,at,stage,pipeline,actor\n"
            "006A00000001AAAAAA,2024-01-02T09:00:00Z,Prospecting,salesforce,José Muñoz\n"
            "006A00000001AAAAAA,2024-01-10T09:00:00Z,Negociación,salesforce,José Muñoz\n"
            "006A00000001AAAAAA,2024-01-20T09:00:00Z,Closed Won,salesforce,José Muñoz\n"
            "006A00000002AAAAAA,2024-01-03T08:00:00Z,Prospecting,salesforce,José Muñoz\n"
            "006A00000002AAAAAA,2024-01-08T08:00:00Z,Closed Lost,salesforce,José Muñoz\n"
            "006A00000002AAAAAA,2024-01-09T08:00:00Z,Negociación,salesforce,Anna Smith\n"
            "006A00000002AAAAAA,2024-02-05T08:00:00Z,Closed Won,salesforce,Anna Smith\n"
            "006A00000003AAAAAA,2024-01-04T10:00:00Z,Prospecting,salesforce,José Muñoz\n"
            "006A00000003AAAAAA,2024-01-06T10:00:00Z,Negociación,salesforce,José Muñoz\n");
}

TEST(SalesforceImport, OtherChangesBecomeFieldChanges) {
  const auto exp = import_fixture();
  const std::string csv = to_csv(exp.field_changes);
  EXPECT_EQ(exp.field_changes.rows.size(), 20u) << csv;
  // O1: amount 1000 -> 1200 in Prospecting, close date pushed 2024-02-01 -> 2024-02-15, then closed.
  EXPECT_NE(csv.find("006A00000001AAAAAA,2024-01-02T09:00:00Z,amount,1000.00,USD\n"
                     "006A00000001AAAAAA,2024-01-02T09:00:00Z,close_date,2024-02-01,\n"
                     "006A00000001AAAAAA,2024-01-02T09:00:00Z,probability,10,\n"
                     "006A00000001AAAAAA,2024-01-05T09:00:00Z,amount,1200.00,USD\n"
                     "006A00000001AAAAAA,2024-01-10T09:00:00Z,close_date,2024-02-15,\n"),
            std::string::npos)
      << csv;
  // O2: the owner at creation (the first change's OldValue), then the reassignment; id rows and
  // name rows of one change give one change.
  EXPECT_NE(csv.find("006A00000002AAAAAA,2024-01-03T08:00:00Z,manager,José Muñoz,\n"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("006A00000002AAAAAA,2024-01-09T08:00:00Z,manager,Anna Smith,\n"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("006A00000002AAAAAA,2024-01-03T08:00:00Z,amount,16121000.00,EUR\n"), std::string::npos);
}

TEST(SalesforceImport, StageKindsComeFromIsWonIsClosedAndReopensAreDeclared) {
  const auto exp = import_fixture();
  ASSERT_EQ(exp.pipelines.size(), 1u);
  const auto& p = exp.pipelines[0];
  EXPECT_EQ(
      pipeline_json(p),
      "{\n  \"id\": \"salesforce\",\n  \"name\": \"Salesforce\",\n  \"policy\": \"free\",\n"
      "  \"reopens\": [\n    {\n      \"from\": \"Closed Lost\",\n      \"to\": \"Negociación\"\n    }\n  "
      "],\n"
      "  \"stages\": [\n"
      "    {\n      \"id\": \"Prospecting\",\n      \"kind\": \"open\",\n      \"name\": \"Prospecting\",\n"
      "      \"probability\": 0.1\n    },\n"
      "    {\n      \"id\": \"Negociación\",\n      \"kind\": \"open\",\n      \"name\": \"Negociación\",\n"
      "      \"probability\": 0.6\n    },\n"
      "    {\n      \"id\": \"Closed Won\",\n      \"kind\": \"won\",\n      \"name\": \"Closed Won\",\n"
      "      \"probability\": 1.0\n    },\n"
      "    {\n      \"id\": \"Closed Lost\",\n      \"kind\": \"lost\",\n      \"name\": \"Closed Lost\",\n"
      "      \"probability\": 0.0\n    }\n  ]\n}\n");
}

TEST(SalesforceImport, ReportCountsWhatWasRepairedAndDropped) {
  const auto exp = import_fixture();
  const auto& r = exp.report;
  EXPECT_EQ(r.source, "salesforce");
  EXPECT_EQ(r.deals, 3u);
  EXPECT_EQ(r.events, 9u);
  EXPECT_EQ(r.field_changes, 20u);
  EXPECT_EQ(r.rows_read.at("Opportunity.csv"), 4u);
  EXPECT_EQ(r.rows_read.at("OpportunityHistory.csv"), 10u);
  EXPECT_EQ(r.encodings.at("Opportunity.csv"), "windows-1252");
  EXPECT_EQ(r.encodings.at("OpportunityStage.csv"), "utf-16le");
  EXPECT_EQ(r.encodings.at("OpportunityFieldHistory.csv"), "utf-8");
  ASSERT_TRUE(r.issues.count("float_noise_rounded"));
  EXPECT_EQ(r.issues.at("float_noise_rounded").count, 5u);  // the Opportunity row and O2's four history rows
  EXPECT_EQ(r.issues.at("float_noise_rounded").action, "repaired");
  EXPECT_EQ(r.issues.at("float_noise_rounded").examples[0].where, "Opportunity.csv:3");
  EXPECT_EQ(r.issues.at("null_id").count, 1u);
  EXPECT_EQ(r.issues.at("close_date_before_created").count, 1u);
  EXPECT_EQ(r.issues.at("close_date_before_created").examples[0].where, "Opportunity.csv:4");
  EXPECT_EQ(r.issues.at("deleted_skipped").count, 1u);
  EXPECT_EQ(r.issues.at("field_history_ignored").count, 1u);  // Description
  EXPECT_EQ(r.issues.count("owner_id_row_skipped"), 0u);      // User.csv names the ids
}

TEST(SalesforceImport, LoadsWithoutSkippedRowsAndReportsMatchHandCounts) {
  const auto exp = import_fixture();
  auto loaded = to_event_log(exp);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->loaded.report.total(), 0u);
  const auto& log = loaded->loaded.log;
  const Pipeline& p = *loaded->find_pipeline("salesforce");

  // Funnel as of the latest event (O2 won 2024-02-05): O1 and O2 won, O3 open in Negociación.
  analytics::FunnelQuery q;
  auto f = analytics::compute_funnel(log, p, q);
  ASSERT_TRUE(f.ok()) << f.status().to_string();
  EXPECT_EQ(f->total.deals, 3u);
  EXPECT_EQ(f->total.won, 2u);
  EXPECT_EQ(f->total.lost, 0u);
  EXPECT_EQ(f->total.open, 1u);
  ASSERT_EQ(f->total.stages.size(), 2u);
  EXPECT_EQ(f->total.stages[0].reached, 3u);
  EXPECT_EQ(f->total.stages[1].reached, 3u);
  // Between O2's loss (01-08) and its reopen (01-09) it counts as lost.
  q.as_of = *parse_instant("2024-01-08T12:00:00Z");
  f = analytics::compute_funnel(log, p, q);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->total.won, 0u);
  EXPECT_EQ(f->total.lost, 1u);
  EXPECT_EQ(f->total.open, 2u);

  // Durations in two currencies: first visits of Prospecting 8, 5 and 2 days -> median 5 days.
  auto d = analytics::compute_durations(log, p, {});
  ASSERT_TRUE(d.ok()) << d.status().to_string();
  EXPECT_EQ(d->total.stages[0].first_visit.events, 3u);
  EXPECT_EQ(d->total.stages[0].first_visit.median, 5 * 86400);
  EXPECT_EQ(d->total.cycle.to_close.subjects, 3u);
  EXPECT_EQ(d->total.cycle.to_close.events, 2u);
  EXPECT_EQ(d->total.cycle.to_close.censored, 1u);

  // Scorecard for January: 3 taken, O1 won (1200.00 USD, 18 days), O2 (reopened) and O3 open.
  analytics::ScorecardQuery sq{*parse_instant("2024-01-01T00:00:00Z"),
                               *parse_instant("2024-02-01T00:00:00Z")};
  auto s = analytics::compute_scorecard(log, p, sq);
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  EXPECT_EQ(s->team.current.taken, 3u);
  EXPECT_EQ(s->team.current.won, 1u);
  EXPECT_EQ(s->team.current.lost, 0u);
  EXPECT_EQ(s->team.current.open, 2u);
  ASSERT_TRUE(s->team.current.won_amount.has_value());
  EXPECT_EQ(*s->team.current.won_amount, Money(120000, Currency::of("USD")));
  EXPECT_EQ(s->team.current.median_cycle_seconds, 18 * 86400);
}

TEST(SalesforceImport, ReRunningGivesByteIdenticalFiles) {
  const auto a = import_fixture();
  auto b = import_salesforce(all_files(), {});
  ASSERT_TRUE(b.ok());
  const std::string dir_a = std::string(DEALFLOW_TEST_TMP) + "/sf_out_a",
                    dir_b = std::string(DEALFLOW_TEST_TMP) + "/sf_out_b";
  ASSERT_TRUE(write_canonical(a, dir_a).ok());
  ASSERT_TRUE(write_canonical(*b, dir_b).ok());
  for (const char* f :
       {"deals.csv", "history.csv", "field_changes.csv", "import-report.json", "pipelines/salesforce.json"}) {
    auto x = read_text_file(dir_a + "/" + f), y = read_text_file(dir_b + "/" + f);
    ASSERT_TRUE(x.ok() && y.ok()) << f;
    EXPECT_EQ(*x, *y) << f;
    EXPECT_FALSE(x->empty()) << f;
  }
}

TEST(SalesforceImport, WithoutOpportunityStageKindsComeFromTheOpportunities) {
  auto exp = import_salesforce({kSfDir + "Opportunity.csv", kSfDir + "OpportunityHistory.csv"}, {});
  ASSERT_TRUE(exp.ok()) << exp.status().to_string();
  // Closed Lost is nobody's current stage: its kind is unknown, taken as open and reported.
  EXPECT_EQ(exp->report.issues.at("stage_kind_assumed_open").count, 2u);  // Prospecting, Closed Lost
  EXPECT_EQ(exp->report.issues.at("stage_kind_assumed_open").examples.size(), 2u);
  // Without User.csv the owner ids stay ids.
  EXPECT_EQ(exp->deals.rows[0][5], "005A0000001AAAAAAA");
}

// ---- errors --------------------------------------------------------------

TEST(SalesforceImportErrors, InvalidBytesUnderExplicitUtf8NameLineAndByteOffset) {
  ImportOptions o;
  o.encoding = io::Encoding::utf8;
  auto exp = import_salesforce({kSfDir + "Opportunity.csv", kSfDir + "errors/History_latin1.csv"}, o);
  ASSERT_FALSE(exp.ok());
  // Opportunity.csv is the first file read: "Peña" in Windows-1252 is not UTF-8.
  const std::string msg = exp.status().to_string();
  EXPECT_NE(msg.find("Opportunity.csv:2:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("byte offset"), std::string::npos) << msg;
  auto only = import_salesforce({kSfDir + "errors/History_latin1.csv"}, o);
  ASSERT_FALSE(only.ok());
  EXPECT_NE(only.status().to_string().find("History_latin1.csv:3:"), std::string::npos)
      << only.status().to_string();
  EXPECT_NE(only.status().to_string().find("0xE9"), std::string::npos) << only.status().to_string();
}

TEST(SalesforceImportErrors, MissingRequiredFiles) {
  auto no_opp = import_salesforce({kSfDir + "OpportunityHistory.csv"}, {});
  ASSERT_FALSE(no_opp.ok());
  EXPECT_NE(no_opp.status().message().find("no Opportunity file"), std::string::npos);
  auto no_hist = import_salesforce({kSfDir + "Opportunity.csv"}, {});
  ASSERT_FALSE(no_hist.ok());
  EXPECT_NE(no_hist.status().message().find("no OpportunityHistory file"), std::string::npos);
}

TEST(SalesforceImportErrors, UnrecognisedFileAndTwoFilesOfOneKind) {
  auto odd = import_salesforce({sf_tmp_file("odd.csv", "\"a\",\"b\"\n\"1\",\"2\"\n")}, {});
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.status().to_string().rfind("sf_odd.csv:1:1: not a Salesforce export file", 0), 0u)
      << odd.status().to_string();
  auto twice = import_salesforce({kSfDir + "Opportunity.csv", kSfDir + "Opportunity.csv"}, {});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("two Opportunity files"), std::string::npos);
}

TEST(SalesforceImportErrors, BadValuesAreLocated) {
  const std::string head =
      "\"Id\",\"StageName\",\"IsClosed\",\"IsWon\",\"CreatedDate\",\"Amount\",\"CurrencyIsoCode\"\n";
  const std::string hist = sf_tmp_file("h.csv", "\"OpportunityId\",\"StageName\",\"CreatedDate\"\n");
  struct Case {
    const char* row;
    const char* expected;
  } cases[] = {
      {"\"O1\",\"S\",\"0\",\"maybe\",\"2024-01-02 09:00:00\",\"\",\"\"",
       "sf_o.csv:2:14: column 'IsWon': invalid flag 'maybe'"},
      {"\"O1\",\"S\",\"0\",\"0\",\"02.01.2024\",\"\",\"\"",
       "sf_o.csv:2:18: column 'CreatedDate': invalid timestamp '02.01.2024'"},
      {"\"O1\",\"S\",\"0\",\"0\",\"2024-01-02 09:00:00\",\"12x\",\"USD\"",
       "sf_o.csv:2:40: column 'Amount': invalid amount '12x'"},
      {"\"O1\",\"S\",\"0\",\"0\",\"2024-01-02 09:00:00\",\"12\",\"\"",
       "sf_o.csv:2:45: amount without a currency"},
      {"\"O1\",\"S\",\"0\",\"0\",\"2024-01-02 09:00:00\",\"12\",\"dollars\"",
       "sf_o.csv:2:45: column 'CurrencyIsoCode': invalid currency 'dollars'"},
      {"\"O1\",\"S\",\"0\",\"0\"", "sf_o.csv:2:1: record has 4 fields, expected 7"},
  };
  for (const auto& c : cases) {
    auto exp = import_salesforce({sf_tmp_file("o.csv", head + c.row + "\n"), hist}, {});
    ASSERT_FALSE(exp.ok()) << c.row;
    EXPECT_NE(exp.status().to_string().find(c.expected), std::string::npos) << exp.status().to_string();
  }
}

TEST(SalesforceImportErrors, DefaultCurrencyMakesAmountsWithoutCodeValid) {
  ImportOptions o;
  o.default_currency = "USD";
  const std::string opp =
      sf_tmp_file("o2.csv",
                  "\"Id\",\"StageName\",\"IsClosed\",\"IsWon\",\"CreatedDate\",\"Amount\"\n"
                  "\"O1\",\"S\",\"0\",\"0\",\"2024-01-02 09:00:00\",\"12.5\"\n");
  const std::string hist = sf_tmp_file("h2.csv",
                                       "\"OpportunityId\",\"StageName\",\"CreatedDate\",\"Amount\"\n"
                                       "\"O1\",\"S\",\"2024-01-02 09:00:00\",\"12.5\"\n");
  auto exp = import_salesforce({opp, hist}, o);
  ASSERT_TRUE(exp.ok()) << exp.status().to_string();
  EXPECT_EQ(exp->deals.rows[0][3], "12.50");
  EXPECT_EQ(exp->deals.rows[0][4], "USD");
}

}  // namespace
}  // namespace dealflow::import

namespace dealflow::import {
namespace {

TEST(SalesforceImport, DataLoaderUpperCaseHeadersAreRecognised) {
  const std::string opp = sf_tmp_file("upper_o.csv",
                                      "\"ID\",\"STAGENAME\",\"ISCLOSED\",\"ISWON\",\"CREATEDDATE\"\n"
                                      "\"O1\",\"Won\",\"1\",\"1\",\"2024-01-02 09:00:00\"\n");
  const std::string hist =
      sf_tmp_file("upper_h.csv",
                  "\"OPPORTUNITYID\",\"STAGENAME\",\"CREATEDDATE\"\n"
                  "\"O1\",\"New\",\"2024-01-02 09:00:00\"\n\"O1\",\"Won\",\"2024-01-03 09:00:00\"\n");
  auto exp = import_salesforce({opp, hist}, {});
  ASSERT_TRUE(exp.ok()) << exp.status().to_string();
  EXPECT_EQ(exp->history.rows.size(), 2u);
  EXPECT_EQ(exp->deals.rows[0][exp->deals.columns.size() - 1], "2024-01-03T09:00:00Z");  // closed_at
}

TEST(SalesforceImportErrors, MoreBadValuesAndUnreadableFiles) {
  const std::string head =
      "\"Id\",\"StageName\",\"IsClosed\",\"IsWon\",\"CreatedDate\",\"CloseDate\",\"Probability\"\n";
  const std::string hist = sf_tmp_file("h3.csv", "\"OpportunityId\",\"StageName\",\"CreatedDate\"\n");
  struct Case {
    const char* row;
    const char* expected;
  } cases[] = {
      {"\"O1\",\"S\",\"0\",\"0\",\"2024-01-02 09:00:00\",\"2024-02-30\",\"\"",
       "column 'CloseDate': invalid date '2024-02-30' (expected YYYY-MM-DD or YYYY-MM-DD 00:00:00)"},
      {"\"O1\",\"S\",\"0\",\"0\",\"2024-01-02 09:00:00\",\"2024-02-01 10:00:00\",\"\"",
       "column 'CloseDate': invalid date '2024-02-01 10:00:00'"},
      {"\"O1\",\"S\",\"0\",\"0\",\"2024-01-02 09:00:00\",\"\",\"ten\"",
       "column 'Probability': invalid percent 'ten'"},
      {"\"\",\"S\",\"0\",\"0\",\"2024-01-02 09:00:00\",\"\",\"\"",
       "sf_o3.csv:2:1: column 'Id': empty opportunity id"},
  };
  for (const auto& c : cases) {
    auto exp = import_salesforce({sf_tmp_file("o3.csv", head + c.row + "\n"), hist}, {});
    ASSERT_FALSE(exp.ok()) << c.row;
    EXPECT_NE(exp.status().to_string().find(c.expected), std::string::npos) << exp.status().to_string();
  }
  auto dup = import_salesforce(
      {sf_tmp_file("o4.csv", head + "\"O1\",\"S\",\"0\",\"0\",\"2024-01-02 09:00:00\",\"\",\"\"\n" +
                                 "\"O1\",\"S\",\"0\",\"0\",\"2024-01-02 09:00:00\",\"\",\"\"\n"),
       hist},
      {});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().to_string().find("sf_o4.csv:3:1: column 'Id': duplicate opportunity id 'O1'"),
            std::string::npos)
      << dup.status().to_string();
  auto missing = import_salesforce({kSfDir + "Opportunity.csv", kSfDir + "nope.csv"}, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::io_error);
  EXPECT_NE(missing.status().to_string().find("nope.csv"), std::string::npos);
}

}  // namespace
}  // namespace dealflow::import

namespace dealflow::import {
namespace {

// A history that starts before the opportunity's CreatedDate (a CreatedDate set
// later by a data load): the row is moved to CreatedDate so that the deal loads;
// unknown and deleted history rows are dropped; each is counted with its line.
TEST(SalesforceImport, HistoryBeforeCreationUnknownAndDeletedRowsAreRepairedOrDropped) {
  const std::string opp = sf_tmp_file("o5.csv",
                                      "\"Id\",\"StageName\",\"IsClosed\",\"IsWon\",\"CreatedDate\"\n"
                                      "\"O1\",\"Lost\",\"1\",\"0\",\"2024-01-05 00:00:00\"\n");
  const std::string hist = sf_tmp_file("h5.csv",
                                       "\"OpportunityId\",\"StageName\",\"CreatedDate\",\"IsDeleted\"\n"
                                       "\"O1\",\"New\",\"2024-01-02 00:00:00\",\"0\"\n"
                                       "\"O9\",\"New\",\"2024-01-02 00:00:00\",\"0\"\n"
                                       "\"O1\",\"Won\",\"2024-01-06 00:00:00\",\"1\"\n"
                                       "\"O1\",\"Lost\",\"2024-01-07 00:00:00\",\"0\"\n");
  auto exp = import_salesforce({opp, hist}, {});
  ASSERT_TRUE(exp.ok()) << exp.status().to_string();
  EXPECT_EQ(to_csv(exp->history),
            "deal_id,at,stage,pipeline,actor\nO1,2024-01-05T00:00:00Z,New,salesforce,\n"
            "O1,2024-01-07T00:00:00Z,Lost,salesforce,\n");
  const auto& issues = exp->report.issues;
  EXPECT_EQ(issues.at("history_before_created").examples[0].where, "sf_h5.csv:2");
  EXPECT_EQ(issues.at("history_unknown_deal").examples[0].where, "sf_h5.csv:3");
  EXPECT_EQ(issues.at("deleted_skipped").examples[0].where, "sf_h5.csv:4");
  auto loaded = to_event_log(*exp);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->loaded.report.total(), 0u);
}

}  // namespace
}  // namespace dealflow::import
