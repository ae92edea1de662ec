// Round trip through the HubSpot CRM API JSON (deals with
// propertiesWithHistory, pipelines, owners): the imported log gives the
// sample's funnel, durations and scorecard, and the sample's owner, amount,
// close date and probability histories deal by deal.
//
// Normalisations:
//   - stages: HubSpot stage ids (new, preparation, ...) mapped back through
//     sample_export_stage;
//   - managers: an owner is a firstName and a lastName, shown by HubSpot as
//     "First Last", so the sample's "Иванова Анна" comes back "Анна Иванова"
//     (first_name_first); scorecard ranks are not compared because their ties
//     break on the name's bytes;
//   - business: HubSpot's `dealtype` values ("newbusiness" /
//     "existingbusiness");
//   - channel is a custom property: read with ImportOptions::fields
//     (`--field channel=channel`).
#include <gtest/gtest.h>

#include "dealflow/import/hubspot.h"
#include "roundtrip_fixture.h"

namespace dealflow::roundtrip {
namespace {

Source hubspot_source() {
  Source s;
  s.format = SampleFormat::hubspot;
  s.fields = {SampleField::manager, SampleField::amount, SampleField::close_date, SampleField::probability};
  s.manager = first_name_first;
  s.business = [](std::string_view v) -> std::string {
    if (v == "newbusiness") return "new";
    if (v == "existingbusiness") return "repeat";
    return "?" + std::string(v);
  };
  s.import = [](const std::string&, const std::vector<std::string>& files) {
    import::ImportOptions options;
    options.fields = {{"channel", "channel"}};
    return import::import_hubspot(files, options);
  };
  return s;
}

TEST(RoundTrip, HubSpotSameReportsAndFieldHistories) {
  for (std::uint64_t seed : {3u, 17u, 2024u}) check_round_trip(hubspot_source(), seed);
}

}  // namespace
}  // namespace dealflow::roundtrip
