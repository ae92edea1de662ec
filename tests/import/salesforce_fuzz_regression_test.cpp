// Inputs found by the libFuzzer target fuzz_import_salesforce (tests/fuzz/regressions/
// import_salesforce/), minimized by hand: each must be a located error, never an exception.
#include <gtest/gtest.h>

#include <fstream>

#include "dealflow/import/salesforce.h"

namespace dealflow::import {
namespace {

std::string sf_fuzz_tmp_file(const std::string& name, const std::string& bytes) {
  const std::string path = std::string(DEALFLOW_TEST_TMP) + "/sf_fuzz_" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// A CloseDate shorter than "YYYY-MM-DD" threw std::out_of_range from std::string::substr(10)
// (salesforce.cpp date_of) out of import_salesforce, in OpportunityHistory and in Opportunity.
TEST(SalesforceFuzzRegression, CloseDateShorterThanADateIsALocatedError) {
  const std::string opp_head = "\"Id\",\"StageName\",\"IsClosed\",\"IsWon\",\"CreatedDate\",\"CloseDate\"\n";
  const std::string hist_head = "\"OpportunityId\",\"StageName\",\"CreatedDate\",\"CloseDate\"\n";
  for (const std::string date : {"2024-01", "2", "2024-01-0"}) {
    SCOPED_TRACE(date);
    const std::string good_opp =
        sf_fuzz_tmp_file("o.csv", opp_head + "\"O1\",\"S\",\"0\",\"0\",\"2024-01-02 09:00:00\",\"\"\n");
    const std::string bad_hist =
        sf_fuzz_tmp_file("h.csv", hist_head + "\"O1\",\"S\",\"2024-01-02 09:00:00\",\"" + date + "\"\n");
    auto exp = import_salesforce({good_opp, bad_hist}, {});
    ASSERT_FALSE(exp.ok());
    EXPECT_NE(exp.status().to_string().find("sf_fuzz_h.csv:2:"), std::string::npos)
        << exp.status().to_string();
    EXPECT_NE(exp.status().message().find("invalid date '" + date + "' (expected YYYY-MM-DD"),
              std::string::npos)
        << exp.status().to_string();

    const std::string bad_opp = sf_fuzz_tmp_file(
        "o2.csv", opp_head + "\"O1\",\"S\",\"0\",\"0\",\"2024-01-02 09:00:00\",\"" + date + "\"\n");
    const std::string good_hist =
        sf_fuzz_tmp_file("h2.csv", hist_head + "\"O1\",\"S\",\"2024-01-02 09:00:00\",\"\"\n");
    auto exp2 = import_salesforce({bad_opp, good_hist}, {});
    ASSERT_FALSE(exp2.ok());
    EXPECT_NE(exp2.status().to_string().find("sf_fuzz_o2.csv:2:"), std::string::npos)
        << exp2.status().to_string();
    EXPECT_NE(exp2.status().message().find("invalid date '" + date + "'"), std::string::npos)
        << exp2.status().to_string();
  }
  // Still accepted: a date, and a date with a midnight time.
  const std::string opp = sf_fuzz_tmp_file(
      "o3.csv", opp_head + "\"O1\",\"S\",\"0\",\"0\",\"2024-01-02 09:00:00\",\"2024-03-01\"\n");
  const std::string hist = sf_fuzz_tmp_file(
      "h3.csv", hist_head + "\"O1\",\"S\",\"2024-01-02 09:00:00\",\"2024-03-01 00:00:00\"\n");
  auto ok = import_salesforce({opp, hist}, {});
  EXPECT_TRUE(ok.ok()) << ok.status().to_string();
}

}  // namespace
}  // namespace dealflow::import
