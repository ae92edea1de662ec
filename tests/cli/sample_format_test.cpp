// `dealflow sample`: field_changes.csv, --deal-field-columns and the CRM
// export formats (--format, --encoding, --float-noise).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cli/cli_runner.h"

namespace dealflow::testing {
namespace {

const std::string kFormatTmp = DEALFLOW_TEST_TMP;

TEST(CliSampleFormat, CanonicalWritesFieldChanges) {
  const std::string dir = kFormatTmp + "/sample_fields";
  auto r = run_cli("sample --deals 40 --seed 3 --out '" + dir + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("field_changes.csv ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" reassigned, "), std::string::npos) << r.out;
  EXPECT_EQ(slurp(dir + "/field_changes.csv").rfind("deal_id,at,field,value\n1,", 0), 0u);
  EXPECT_FALSE(std::filesystem::exists(dir + "/field_changes.csv.tmp"));

  const std::string cols = kFormatTmp + "/sample_field_columns";
  auto c = run_cli("sample --deals 40 --seed 3 --deal-field-columns --out '" + cols + "'");
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_NE(slurp(cols + "/deals.csv").find(",lost_reason,close_date,closed_at,probability\n"),
            std::string::npos);
  EXPECT_EQ(slurp(cols + "/history.csv"), slurp(dir + "/history.csv"));
}

TEST(CliSampleFormat, EachFormatWritesItsFiles) {
  const std::pair<const char*, const char*> cases[] = {{"salesforce", "OpportunityHistory.csv"},
                                                       {"bitrix24", "crm.stagehistory.list-00000.json"},
                                                       {"hubspot", "deals-00000.json"},
                                                       {"pipedrive", "flow-00000.json"},
                                                       {"mapped", "sample.mapping.json"}};
  for (const auto& [format, file] : cases) {
    const std::string dir = kFormatTmp + "/sample_format_" + format;
    auto r = run_cli(std::string("sample --deals 60 --seed 2 --format ") + format + " --out '" + dir + "'");
    ASSERT_EQ(r.exit_code, 0) << format << ": " << r.err;
    EXPECT_NE(r.out.find(std::string(format) + " files to"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("60 deals"), std::string::npos) << r.out;
    EXPECT_TRUE(std::filesystem::exists(dir + "/" + file)) << format;
  }
  const std::string dir = kFormatTmp + "/sample_format_sf1252";
  auto r =
      run_cli("sample --deals 20 --seed 2 --format salesforce --encoding windows-1252 --float-noise --out '" +
              dir + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(slurp(dir + "/User.csv")
                .find("\"F\xEB"
                      "dorov Pavel\""),
            std::string::npos);
}

TEST(CliSampleFormat, UnwritableDirectoryExitsOne) {
  auto r = run_cli("sample --deals 10 --seed 1 --format pipedrive --out /proc/dealflow-no");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/proc/dealflow-no"), std::string::npos) << r.err;
}

TEST(CliSampleFormat, UsageErrorsExitTwo) {
  const std::pair<const char*, const char*> cases[] = {
      {"--format amocrm", "format 'amocrm' is not known"},
      {"--format hubspot --encoding windows-1252", "expected utf-8 (only salesforce takes windows-1252)"},
      {"--format salesforce --encoding koi8-r", "encoding 'koi8-r' is not valid"},
      {"--format pipedrive --float-noise", "float noise is not valid for format pipedrive"},
      {"--format bitrix24 --deal-field-columns", "--deal-field-columns is not valid with --format bitrix24"}};
  for (const auto& [args, message] : cases) {
    auto r = run_cli(std::string("sample --deals 10 --seed 1 --out x ") + args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << ": " << r.err;
  }
}

}  // namespace
}  // namespace dealflow::testing
