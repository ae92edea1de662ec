// Owners CSV (routing::parse_owners_csv) against data/routing/team.json, with
// and without skipping bad rows.
#include "dealflow/routing/leads_csv.h"
#include "routing_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  const std::string text(fuzz::as_text(data, size));
  for (bool skip : {false, true}) {
    auto csv = CsvReader::from_text(text, "owners.csv");
    auto owners = routing::parse_owners_csv(csv, fuzz::fixture_team(), skip);
    if (!owners) fuzz::check_error(owners.status());
  }
  return 0;
}
