// `dealflow import` on the fixtures of every source, then the written
// canonical files through `dealflow funnel`; usage and data errors.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "cli/cli_runner.h"

namespace {

using dealflow::testing::run_cli;

const std::string kOut = std::string(DEALFLOW_TEST_TMP) + "/import_cli";

using dealflow::testing::slurp;

const char* kSalesforce =
    "tests/import/fixtures/salesforce/Opportunity.csv "
    "tests/import/fixtures/salesforce/OpportunityHistory.csv "
    "tests/import/fixtures/salesforce/OpportunityFieldHistory.csv "
    "tests/import/fixtures/salesforce/OpportunityStage.csv tests/import/fixtures/salesforce/User.csv";

TEST(CliImport, SalesforceWritesCanonicalFilesThatTheFunnelReads) {
  const std::string out = kOut + "/sf";
  auto r = run_cli("import --from salesforce --out '" + out + "' " + kSalesforce);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("imported salesforce into " + out +
                       ": 3 deals, 9 stage events, 20 field changes, 1 pipeline"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("float_noise_rounded: 5 repaired"), std::string::npos) << r.out;
  const std::string deals = slurp(out + "/deals.csv");
  EXPECT_EQ(deals.rfind("id,created_at,pipeline,amount,currency,manager,", 0), 0u) << deals;
  EXPECT_NE(slurp(out + "/pipelines/salesforce.json").find("\"Negociación\""), std::string::npos);
  EXPECT_NE(slurp(out + "/import-report.json").find("\"float_noise_rounded\""), std::string::npos);

  auto f = run_cli("funnel --pipeline '" + out + "/pipelines/salesforce.json' --deals '" + out +
                   "/deals.csv' --history '" + out + "/history.csv' --format json");
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_NE(f.out.find("\"won\": 2"), std::string::npos) << f.out;

  // Re-running gives byte-identical files.
  const std::string first = slurp(out + "/history.csv") + slurp(out + "/field_changes.csv") +
                            slurp(out + "/import-report.json") + deals;
  ASSERT_EQ(run_cli("import --from salesforce --out '" + out + "' " + kSalesforce).exit_code, 0);
  EXPECT_EQ(first, slurp(out + "/history.csv") + slurp(out + "/field_changes.csv") +
                       slurp(out + "/import-report.json") + slurp(out + "/deals.csv"));
}

TEST(CliImport, Bitrix24WithAWindows1251DealListAndOnePipelinePerCategory) {
  const std::string out = kOut + "/b24";
  auto r =
      run_cli("import --from bitrix24 --out '" + out +
              "' tests/import/fixtures/bitrix24/deals_ui_cp1251.csv tests/import/fixtures/bitrix24/*.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("4 deals, 11 stage events, 7 field changes, 2 pipelines"), std::string::npos) << r.out;
  EXPECT_NE(slurp(out + "/deals.csv").find("Анна Иванова"), std::string::npos);
  EXPECT_NE(slurp(out + "/pipelines/bitrix24_c2.json").find("\"Опт\""), std::string::npos);
  EXPECT_NE(slurp(out + "/import-report.json").find("\"windows-1251\""), std::string::npos);
}

TEST(CliImport, AnExplicitUtf16EncodingAndAPortalOffset) {
  const std::string out = kOut + "/b24_utf16";
  auto r = run_cli("import --from bitrix24 --encoding utf-16 --utc-offset +05:00 --out '" + out +
                   "' tests/import/fixtures/bitrix24/deals_ui_utf16.csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string deals = slurp(out + "/deals.csv");
  EXPECT_NE(deals.find("101,2024-03-01T05:00:00Z,"), std::string::npos) << deals;  // 10:00 at +05:00
  EXPECT_NE(deals.find("Пётр Петров"), std::string::npos) << deals;
  EXPECT_NE(slurp(out + "/import-report.json").find("\"utf-16le\""), std::string::npos);
}

TEST(CliImport, BadInputExitsOneWithALocatedMessage) {
  auto r = run_cli("import --from bitrix24 --out '" + kOut +
                   "/bad' tests/import/fixtures/bitrix24/errors/bad_type.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("error: bad_type.json: at /result/items/0/TYPE_ID: invalid TYPE_ID '4'"),
            std::string::npos)
      << r.err;
  auto e = run_cli("import --from salesforce --encoding utf-8 --out '" + kOut +
                   "/bad' tests/import/fixtures/salesforce/errors/History_latin1.csv");
  EXPECT_EQ(e.exit_code, 1);
  EXPECT_NE(e.err.find("History_latin1.csv:3:"), std::string::npos) << e.err;
  EXPECT_NE(e.err.find("byte offset"), std::string::npos) << e.err;
  auto missing = run_cli("import --from salesforce --out '" + kOut + "/bad' no/such/file.csv");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no/such/file.csv"), std::string::npos) << missing.err;
}

TEST(CliImport, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli("import --out x a.csv").exit_code, 2);              // no --from
  EXPECT_EQ(run_cli("import --from salesforce a.csv").exit_code, 2);    // no --out
  EXPECT_EQ(run_cli("import --from zoho --out x a.csv").exit_code, 2);  // unknown source
  EXPECT_EQ(run_cli("import --from salesforce --out x").exit_code, 2);  // no input
  EXPECT_EQ(run_cli("import --from salesforce --out x --encoding koi8 a.csv").exit_code, 2);
  EXPECT_EQ(run_cli("import --from salesforce --out x --utc-offset 3h a.csv").exit_code, 2);
  EXPECT_EQ(run_cli("import --from salesforce --out x --currency dollars a.csv").exit_code, 2);
  EXPECT_EQ(run_cli("import --from salesforce --mapping m.json --out x a.csv").exit_code, 2);
  EXPECT_EQ(run_cli("import --from salesforce --out x --bogus a.csv").exit_code, 2);
  EXPECT_EQ(run_cli("import --from salesforce --out x --field Region__c a.csv").exit_code, 2);  // no '='
  EXPECT_EQ(run_cli("import --from salesforce --out x --field Amount__c=amount a.csv").exit_code, 2);
  EXPECT_EQ(run_cli("import --from mapped --mapping m.json --out x --field A=region a.csv").exit_code, 2);
  auto field = run_cli("import --from salesforce --out x --field Amount__c=amount a.csv");
  EXPECT_NE(field.err.find("'amount' is read by the importer itself"), std::string::npos) << field.err;
  auto r = run_cli("import --from zoho --out x a.csv");
  EXPECT_NE(r.err.find("expected bitrix24|salesforce|hubspot|pipedrive|mapped"), std::string::npos) << r.err;
}

}  // namespace

namespace {

// `dealflow import` then `dealflow funnel` (strict: any bad row would fail the
// load) on the written files, as of an instant; returns the funnel's table.
std::string import_then_funnel(const std::string& import_args, const std::string& out,
                               const std::string& as_of) {
  auto r = run_cli("import --out '" + out + "' " + import_args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("0 repaired, 0 dropped"), std::string::npos) << r.out;
  auto f = run_cli("funnel --pipeline '" + out + "/pipelines' --deals '" + out + "/deals.csv' --history '" +
                   out + "/history.csv' --field-changes '" + out + "/field_changes.csv' --as-of " + as_of);
  EXPECT_EQ(f.exit_code, 0) << f.err;
  return f.out;
}

}  // namespace

// The HubSpot, Pipedrive and mapped fixtures through the command line: the
// same totals as the hand-computed library tests (tests/import/*_test.cpp).
TEST(CliImport, HubspotPipedriveAndMappedLoadCleanAndGiveTheHandComputedTotals) {
  const std::string f = "tests/import/fixtures/";
  EXPECT_NE(import_then_funnel("--from hubspot " + f + "hubspot/deals.json " + f + "hubspot/owners.json " +
                                   f + "hubspot/pipelines.json",
                               kOut + "/hubspot", "2024-02-01")
                .find("deals 4, won 2, lost 1, open 1"),
            std::string::npos);
  EXPECT_NE(import_then_funnel("--from pipedrive " + f + "pipedrive/deals.csv " + f + "pipedrive/flow.json " +
                                   f + "pipedrive/stages.json " + f + "pipedrive/pipelines.json",
                               kOut + "/pipedrive", "2024-03-01")
                .find("deals 4, won 2, lost 1, open 1"),
            std::string::npos);
  EXPECT_NE(import_then_funnel("--from mapped --mapping " + f + "mapped/amocrm_mapping.json " + f +
                                   "mapped/amocrm_events_utf16le.csv",
                               kOut + "/mapped", "2024-04-01")
                .find("deals 3, won 1, lost 1, open 1"),
            std::string::npos);
}
