// Leads CSV (routing::parse_leads_csv) against data/routing/team.json, with and
// without skipping bad rows, with the owners of data/routing/owners.csv.
#include "dealflow/routing/leads_csv.h"
#include "routing_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  static const routing::OwnersFile owners = fuzz::expect_fixture(
      routing::load_owners_csv(fuzz::source_path("data/routing/owners.csv"), fuzz::fixture_team(), false),
      "owners.csv");
  const std::string text(fuzz::as_text(data, size));
  for (bool skip : {false, true}) {
    routing::LeadsCsvOptions options;
    options.skip_bad_rows = skip;
    options.owners = &owners.owners;
    options.default_at = Instant::from_unix_seconds(1704067200);
    auto csv = CsvReader::from_text(text, "leads.csv");
    auto leads = routing::parse_leads_csv(csv, fuzz::fixture_team(), options);
    if (!leads) fuzz::check_error(leads.status());
  }
  return 0;
}
