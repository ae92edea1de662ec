// Round trip through the Salesforce Data Export (Opportunity, OpportunityHistory,
// OpportunityFieldHistory, OpportunityStage, User): the imported log gives the
// sample's funnel, durations and scorecard, and the sample's owner, amount,
// close date and probability histories deal by deal.
//
// Normalisations (each because the format cannot carry the value as dealflow
// writes it):
//   - stages: Salesforce stage names (Prospecting, ..., Closed Lost (Analysis))
//     are mapped back through sample_export_stage;
//   - business: the `Type` picklist keeps Salesforce's vocabulary ("New
//     Business" / "Existing Business" for the sample's new / repeat);
//   - lost_reason and channel are custom fields (Loss_Reason__c, Channel__c):
//     read with ImportOptions::fields (`--field`), as a user of a real org
//     would name theirs.
#include <gtest/gtest.h>

#include "analytics/sample_export_writer.h"
#include "dealflow/import/salesforce.h"
#include "dealflow/io/encoding.h"
#include "roundtrip_fixture.h"

namespace dealflow::roundtrip {
namespace {

Source salesforce_source() {
  Source s;
  s.format = SampleFormat::salesforce;
  s.fields = {SampleField::manager, SampleField::amount, SampleField::close_date, SampleField::probability};
  s.business = [](std::string_view v) -> std::string {
    if (v == "New Business") return "new";
    if (v == "Existing Business") return "repeat";
    return "?" + std::string(v);
  };
  s.import = [](const std::string&, const std::vector<std::string>& files) {
    import::ImportOptions options;
    options.fields = {{"Loss_Reason__c", "lost_reason"}, {"Channel__c", "channel"}};
    return import::import_salesforce(files, options);
  };
  return s;
}

TEST(RoundTrip, SalesforceSameReportsAndFieldHistories) {
  for (std::uint64_t seed : {3u, 17u, 2024u}) check_round_trip(salesforce_source(), seed);
}

// The sample's text as the Windows-1252 export holds it, read back as UTF-8:
// Cyrillic transliterated by the writer ("Фёдоров Павел" -> "Fëdorov Pavel").
std::string as_windows_1252(std::string_view text) {
  std::string bytes;
  const analytics::SampleFileSink sink =
      analytics::detail::windows_1252_sink([&](std::string_view, std::string_view chunk) {
        bytes.append(chunk);
        return Status();
      });
  if (Status st = sink("name", text); !st.ok()) throw std::runtime_error(st.to_string());
  auto utf8 = io::decode_to_utf8(bytes, io::Encoding::windows1252, "name");
  if (!utf8) throw std::runtime_error(utf8.status().to_string());
  return utf8->text;
}

// Windows-1252 with float noise, as real Data Exports come: the same numbers,
// with managers' names transliterated (Windows-1252 has no Cyrillic) and the
// noisy amounts rounded back to kopecks (float_noise_rounded, repaired). Loss
// reasons are transliterated too: they are compared in the UTF-8 test only.
TEST(RoundTrip, SalesforceWindows1252WithFloatNoise) {
  Source s = salesforce_source();
  s.encoding = "windows-1252";
  s.float_noise = true;
  s.repairs = {"float_noise_rounded"};
  s.manager = as_windows_1252;
  s.lost_columns = {"lost_reason"};
  s.import = [](const std::string&, const std::vector<std::string>& files) {
    import::ImportOptions options;
    options.fields = {{"Channel__c", "channel"}};
    return import::import_salesforce(files, options);
  };
  EXPECT_EQ(as_windows_1252("Фёдоров Павел"), "Fëdorov Pavel");
  for (std::uint64_t seed : {5u, 99u}) check_round_trip(s, seed);
}

}  // namespace
}  // namespace dealflow::roundtrip
