// Round trip through the Pipedrive deals CSV export plus /deals/{id}/flow,
// stages and pipelines: the imported log gives the sample's funnel, durations
// and scorecard, and the sample's owner, amount and close date histories deal
// by deal.
//
// Normalisations:
//   - stages: Pipedrive's open stages are ids 1..5 named as
//     sample_export_stage gives them; won and lost are statuses, and there is
//     one lost status, so LOSE and APOLOGY are compared as one outcome "lost"
//     (lost_to rows add up; every other figure counts both already);
//   - probability: Pipedrive derives it from the stage, the flow has no
//     history of it (not compared deal by deal; no report uses it);
//   - business and channel are custom columns of the deals CSV: read with
//     ImportOptions::fields (`--field "Deal - Channel=channel"`).
#include <gtest/gtest.h>

#include "dealflow/import/pipedrive.h"
#include "roundtrip_fixture.h"

namespace dealflow::roundtrip {
namespace {

Source pipedrive_source() {
  Source s;
  s.format = SampleFormat::pipedrive;
  s.fields = {SampleField::manager, SampleField::amount, SampleField::close_date};
  s.lost_merged = true;
  s.import = [](const std::string&, const std::vector<std::string>& files) {
    import::ImportOptions options;
    options.fields = {{"Deal - Business", "business"}, {"Deal - Channel", "channel"}};
    return import::import_pipedrive(files, options);
  };
  return s;
}

TEST(RoundTrip, PipedriveSameReportsAndFieldHistories) {
  for (std::uint64_t seed : {3u, 17u, 2024u}) check_round_trip(pipedrive_source(), seed);
}

}  // namespace
}  // namespace dealflow::roundtrip
