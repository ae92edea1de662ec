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
//   - lost_reason and channel: custom fields (Loss_Reason__c, Channel__c),
//     which the importer does not read (docs/import.md, Salesforce "Lost"), so
//     the reference has them empty.
#include <gtest/gtest.h>

#include "dealflow/import/salesforce.h"
#include "roundtrip_fixture.h"

namespace dealflow::roundtrip {
namespace {

Source source() {
  Source s;
  s.format = SampleFormat::salesforce;
  s.fields = {SampleField::manager, SampleField::amount, SampleField::close_date, SampleField::probability};
  s.lost_columns = {"lost_reason", "channel"};
  s.business = [](std::string_view v) -> std::string {
    if (v == "New Business") return "new";
    if (v == "Existing Business") return "repeat";
    return "?" + std::string(v);
  };
  s.import = [](const std::string&, const std::vector<std::string>& files) {
    return import::import_salesforce(files, {});
  };
  return s;
}

TEST(RoundTrip, SalesforceSameReportsAndFieldHistories) {
  for (std::uint64_t seed : {3u, 17u, 2024u}) check_round_trip(source(), seed);
}

}  // namespace
}  // namespace dealflow::roundtrip
