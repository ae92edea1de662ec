// Round trip through the mapped importer: the sample as one spreadsheet-like
// CSV (one row per stage entry, Russian headers, Moscow time) plus its mapping
// JSON. The imported log gives the sample's funnel, durations and scorecard,
// and the probability history deal by deal.
//
// Normalisations:
//   - times: the CSV writes instants to the minute (`%d.%m.%Y %H:%M`), so the
//     reference's instants (created_at, history, field changes) are truncated
//     to the minute before it is loaded; every duration is then exact;
//   - field history: owner, amount and close date are the deal's current
//     values on every row (no history), so the reference has only the
//     probability changes (the per-row `Вероятность`).
#include <gtest/gtest.h>

#include "dealflow/import/mapped.h"
#include "roundtrip_fixture.h"

namespace dealflow::roundtrip {
namespace {

Source mapped_source() {
  Source s;
  s.format = SampleFormat::mapped;
  s.fields = {SampleField::probability};
  s.minutes = true;
  s.import = [](const std::string& dir, const std::vector<std::string>&) {
    return import::import_mapped(dir + "/sample.mapping.json", {dir + "/sample.csv"}, {});
  };
  return s;
}

TEST(RoundTrip, MappedSameReportsAndFieldHistories) {
  for (std::uint64_t seed : {3u, 17u, 2024u}) check_round_trip(mapped_source(), seed);
}

}  // namespace
}  // namespace dealflow::roundtrip
