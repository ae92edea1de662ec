// `dealflow sample --format salesforce`: the Data Export CSV files, their
// shape, and counts equal to the data set's.
#include <gtest/gtest.h>

#include <iconv.h>

#include <set>

#include "analytics/sample_export_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::export_files;
using testing::has_shape;
using testing::read_csv;
using testing::reference;
using testing::small_sample;

// The text of a Salesforce amount as exact minor units ("15000" -> 1500000,
// "16120999.999999998" -> 1612100000).
std::int64_t minor_units(const std::string& text) {
  const double v = std::stod(text);
  return static_cast<std::int64_t>(v * 100 + (v >= 0 ? 0.5 : -0.5));
}

TEST(SampleExportSalesforce, FilesHeadersAndQuoting) {
  const auto files = export_files(SampleFormat::salesforce);
  std::vector<std::string> names;
  for (const auto& [name, text] : files) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"Opportunity.csv", "OpportunityFieldHistory.csv",
                                             "OpportunityHistory.csv", "OpportunityStage.csv", "User.csv"}));
  for (const auto& [name, text] : files) {
    SCOPED_TRACE(name);
    EXPECT_EQ(text.find('\r'), std::string::npos);
    // Every field quoted: every line starts and ends with a quote, and no field separator is bare.
    std::size_t start = 0;
    while (start < text.size()) {
      const std::size_t end = text.find('\n', start);
      const std::string line = text.substr(start, end - start);
      ASSERT_GE(line.size(), 2u);
      EXPECT_EQ(line.front(), '"');
      EXPECT_EQ(line.back(), '"');
      start = end + 1;
    }
    EXPECT_NO_THROW(read_csv(text, name));
  }
  const auto h = read_csv(files.at("OpportunityHistory.csv"), "OpportunityHistory.csv");
  EXPECT_EQ(h.header,
            (std::vector<std::string>{"Id", "OpportunityId", "CreatedById", "CreatedDate", "StageName",
                                      "Amount", "ExpectedRevenue", "CloseDate", "Probability",
                                      "FromForecastCategory", "ForecastCategory", "FromOpportunityStageName",
                                      "PrevAmount", "PrevCloseDate", "CurrencyIsoCode", "IsDeleted"}));
  const auto stages = read_csv(files.at("OpportunityStage.csv"), "OpportunityStage.csv");
  ASSERT_EQ(stages.rows.size(), 8u);
  EXPECT_EQ(stages.rows[5][stages.col("ApiName")], "Closed Won");
  EXPECT_EQ(stages.rows[5][stages.col("IsWon")], "1");
  EXPECT_EQ(stages.rows[6][stages.col("IsClosed")], "1");
  EXPECT_EQ(stages.rows[6][stages.col("IsWon")], "0");
  EXPECT_EQ(stages.rows[2][stages.col("DefaultProbability")], "40");
  const auto users = read_csv(files.at("User.csv"), "User.csv");
  ASSERT_EQ(users.rows.size(), 12u);
  EXPECT_EQ(users.rows[0][users.col("Id")], "0055g0000000001AAA");  // hand-computed case-safe suffix
  EXPECT_EQ(users.rows[0][users.col("Name")], "Иванова Анна");
}

class SampleExportSalesforceSeeds : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(SampleExportSalesforceSeeds, CountsEqualTheDataSet) {
  const SampleOptions sample = small_sample(400, GetParam());
  SampleSummary summary;
  const auto deals = reference(sample, &summary);
  SampleExportSummary exported;
  const auto files = export_files(SampleFormat::salesforce, sample, &exported);
  const auto opp = read_csv(files.at("Opportunity.csv"), "Opportunity.csv");
  const auto hist = read_csv(files.at("OpportunityHistory.csv"), "OpportunityHistory.csv");
  const auto fh = read_csv(files.at("OpportunityFieldHistory.csv"), "OpportunityFieldHistory.csv");
  ASSERT_EQ(opp.rows.size(), deals.size());
  EXPECT_EQ(exported.stage_changes, summary.events);
  EXPECT_EQ(exported.field_changes, summary.field_changes);

  // Expected history rows: one per distinct instant with a stage, amount, close date or probability change.
  std::size_t expected_rows = 0, owner_changes = 0;
  for (const auto& d : deals) {
    std::set<std::int64_t> instants;
    for (const auto& ev : d.history) instants.insert(ev.at.unix_seconds());
    for (const auto& c : d.changes)
      if (c.field != SampleField::manager) instants.insert(c.at.unix_seconds());
    expected_rows += instants.size();
    owner_changes += d.count(SampleField::manager) - 1;
  }
  EXPECT_EQ(hist.rows.size(), expected_rows);
  EXPECT_EQ(fh.rows.size(), owner_changes);
  EXPECT_GT(owner_changes, 0u);

  // Stage changes: rows whose stage differs from the deal's previous row.
  const std::size_t opp_id = hist.col("OpportunityId"), stage = hist.col("StageName");
  std::size_t stage_rows = 0, same_stage_rows = 0;
  for (std::size_t i = 0; i < hist.rows.size(); ++i) {
    const bool first = i == 0 || hist.rows[i - 1][opp_id] != hist.rows[i][opp_id];
    if (first || hist.rows[i - 1][stage] != hist.rows[i][stage]) {
      ++stage_rows;
      EXPECT_EQ(hist.rows[i][hist.col("FromOpportunityStageName")], first ? "" : hist.rows[i - 1][stage]);
    } else {
      ++same_stage_rows;
    }
  }
  EXPECT_EQ(stage_rows, summary.events);
  EXPECT_GT(same_stage_rows, 0u);  // consecutive rows in one stage exist

  // Current values and formats.
  for (std::size_t i = 0; i < deals.size(); ++i) {
    const auto& row = opp.rows[i];
    EXPECT_EQ(row[opp.col("Id")].size(), 18u);
    EXPECT_EQ(minor_units(row[opp.col("Amount")]), deals[i].amount);
    EXPECT_TRUE(has_shape(row[opp.col("CreatedDate")], "9999-99-99 99:99:99"));
    EXPECT_EQ(row[opp.col("CloseDate")],
              Date(static_cast<std::int32_t>(deals[i].close_date)).to_string() + " 00:00:00");
    EXPECT_EQ(row[opp.col("IsWon")], deals[i].history.back().stage == 5 ? "1" : "0");
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, SampleExportSalesforceSeeds, ::testing::Values(5u, 6u, 7u));

TEST(SampleExportSalesforce, FloatNoiseRoundsBackToTheExactAmounts) {
  const SampleOptions sample = small_sample(400, 5);
  const auto deals = reference(sample);
  SampleExportOptions options;
  options.format = SampleFormat::salesforce;
  options.float_noise = true;
  const auto files = export_files(sample, options);
  const auto opp = read_csv(files.at("Opportunity.csv"), "Opportunity.csv");
  int noisy = 0;
  for (std::size_t i = 0; i < deals.size(); ++i) {
    const std::string& amount = opp.rows[i][opp.col("Amount")];
    // float noise: 8 or more digits after the point
    const auto point = amount.find('.');
    if (point != std::string::npos && amount.size() - point - 1 >= 8) ++noisy;
    EXPECT_EQ(minor_units(amount), deals[i].amount) << amount;
  }
  EXPECT_GT(noisy, 0);
  EXPECT_LT(noisy, 40);
}

TEST(SampleExportSalesforce, Windows1252IsTransliteratedAndDecodes) {
  SampleExportOptions options;
  options.format = SampleFormat::salesforce;
  options.encoding = "windows-1252";
  const auto files = export_files(small_sample(100, 2), options);
  const std::string& users = files.at("User.csv");
  EXPECT_NE(users.find("\"Ivanova Anna\""), std::string::npos);
  EXPECT_NE(users.find("\"F\xEB"
                       "dorov Pavel\""),
            std::string::npos);  // ё -> ë, one byte
  const std::string& opp = files.at("Opportunity.csv");
  EXPECT_NE(opp.find("\xAB"), std::string::npos);  // «
  // Every file decodes from Windows-1252 and holds no Cyrillic.
  for (const auto& [name, text] : files) {
    iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
    ASSERT_NE(cd, reinterpret_cast<iconv_t>(-1));
    std::string in = text, out(text.size() * 3, '\0');
    char* ip = in.data();
    char* op = out.data();
    std::size_t il = in.size(), ol = out.size();
    EXPECT_NE(iconv(cd, &ip, &il, &op, &ol), static_cast<std::size_t>(-1)) << name;
    iconv_close(cd);
    out.resize(out.size() - ol);
    EXPECT_EQ(out.find("\xD0"), std::string::npos) << name;
    EXPECT_EQ(out.find("\xD1"), std::string::npos) << name;
  }
}

TEST(SampleExportSalesforce, OptionsOutsideSalesforceAreRefused) {
  SampleExportOptions options;
  options.format = SampleFormat::hubspot;
  options.encoding = "windows-1252";
  EXPECT_EQ(validate_sample_export_options(options).code(), ErrorCode::invalid_argument);
  options.encoding = "koi8-r";
  options.format = SampleFormat::salesforce;
  Status st = validate_sample_export_options(options);
  EXPECT_NE(st.message().find("encoding 'koi8-r' is not valid: expected utf-8 or windows-1252"),
            std::string::npos)
      << st.to_string();
  options.encoding = "utf-8";
  options.format = SampleFormat::pipedrive;
  options.float_noise = true;
  EXPECT_EQ(validate_sample_export_options(options).code(), ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace dealflow::analytics
