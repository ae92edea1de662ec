// ImportOptions::fields (`dealflow import --field NAME=COLUMN`): a CRM's custom
// fields read into deals.csv columns, per source, and the refused columns.
#include <gtest/gtest.h>

#include "dealflow/import/bitrix24.h"
#include "dealflow/import/hubspot.h"
#include "dealflow/import/pipedrive.h"
#include "dealflow/import/salesforce.h"
#include "mapped_fixture_util.h"

namespace dealflow::import {
namespace {

using namespace testing;
using Rows = std::vector<std::vector<std::string>>;

ImportOptions with_fields(std::vector<std::pair<std::string, std::string>> fields) {
  ImportOptions options;
  options.fields = std::move(fields);
  return options;
}

std::string column_of(const CanonicalTable& t, std::size_t row, std::string_view name) {
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i] == name) return t.rows.at(row).at(i);
  return "<no column " + std::string(name) + ">";
}

TEST(CustomFields, ColumnsTheLoadersParseAreRefused) {
  EXPECT_TRUE(
      check_field_map(with_fields({{"Loss_Reason__c", "lost_reason"}, {"UF_CRM_5", "segment_2"}})).ok());
  const Status amount = check_field_map(with_fields({{"Amount__c", "amount"}}));
  EXPECT_EQ(amount.code(), ErrorCode::invalid_argument);
  EXPECT_EQ(amount.message(),
            "custom field 'Amount__c=amount': 'amount' is read by the importer itself (custom fields fill "
            "dimensions, lost_reason or forecast_category)");
  for (const char* bad : {"Region", "2nd", "", "re gion", "регион"})
    EXPECT_EQ(check_field_map(with_fields({{"X", bad}})).code(), ErrorCode::invalid_argument) << bad;
  EXPECT_EQ(check_field_map(with_fields({{"", "region"}})).message(),
            "custom field '=region': empty field name");
  // Every importer checks it before reading anything.
  EXPECT_EQ(import_salesforce({"/nonexistent"}, with_fields({{"A", "manager"}})).status().code(),
            ErrorCode::invalid_argument);
  EXPECT_EQ(import_bitrix24({"/nonexistent"}, with_fields({{"A", "id"}})).status().code(),
            ErrorCode::invalid_argument);
  EXPECT_EQ(import_hubspot({"/nonexistent"}, with_fields({{"A", "pipeline"}})).status().code(),
            ErrorCode::invalid_argument);
  EXPECT_EQ(import_pipedrive({"/nonexistent"}, with_fields({{"A", "currency"}})).status().code(),
            ErrorCode::invalid_argument);
}

TEST(CustomFields, SalesforceOpportunityColumn) {
  const std::string dir = std::string(DEALFLOW_SOURCE_DIR) + "/tests/import/fixtures/salesforce/";
  auto e = import_salesforce({dir + "Opportunity.csv", dir + "OpportunityHistory.csv"},
                             with_fields({{"Name", "title"}, {"Nope__c", "region"}}));
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(column_of(e->deals, 0, "title"), "Generadores Peña");     // Windows-1252 decoded
  EXPECT_EQ(column_of(e->deals, 0, "region"), "<no column region>");  // a column not in the file is skipped
}

TEST(CustomFields, Bitrix24UserField) {
  const std::string deals =
      R"({"result":[{"ID":"7","DATE_CREATE":"2024-01-10T10:00:00+03:00","STAGE_ID":"NEW","CATEGORY_ID":"0",)"
      R"("UF_CRM_LOSS_REASON":"Дорого","UF_CRM_CHANNEL":""}]})";
  auto e =
      import_bitrix24({temp_file("b24_uf.json", deals)},
                      with_fields({{"UF_CRM_LOSS_REASON", "lost_reason"}, {"UF_CRM_CHANNEL", "channel"}}));
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(column_of(e->deals, 0, "lost_reason"), "Дорого");
  EXPECT_EQ(column_of(e->deals, 0, "channel"), "<no column channel>");  // empty: no value
}

TEST(CustomFields, HubSpotProperty) {
  const std::string deals = R"({"results":[{"id":"1","properties":{"createdate":"2024-01-01T00:00:00Z",
    "dealstage":"appointmentscheduled","pipeline":"default","channel":"inbound"}}]})";
  auto e = import_hubspot({temp_file("hs_custom.json", deals), fixture("hubspot", "pipelines.json")},
                          with_fields({{"channel", "channel"}}));
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(column_of(e->deals, 0, "channel"), "inbound");
}

TEST(CustomFields, PipedriveCsvColumnOverridesTheImportersOwnValue) {
  const std::string csv =
      "Deal - ID,Deal - Stage,Deal - Pipeline,Deal - Deal created,Deal - Status,Deal - Lost reason,"
      "Deal - Region,Deal - Why\n"
      "1,Lead in,Sales,2024-02-01 10:00:00,open,Price,Москва,Budget\n";
  auto e = import_pipedrive({temp_file("pd_custom.csv", csv)},
                            with_fields({{"Deal - Region", "region"}, {"Deal - Why", "lost_reason"}}));
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ(column_of(e->deals, 0, "region"), "Москва");
  EXPECT_EQ(column_of(e->deals, 0, "lost_reason"), "Budget");
}

}  // namespace
}  // namespace dealflow::import
