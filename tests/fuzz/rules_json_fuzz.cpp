// Rules JSON (routing::parse_rules) against data/routing/team.json.
#include "routing_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  fuzz::with_json(fuzz::as_text(data, size), "rules.json", [](const JsonReader& root) {
    auto rules = routing::parse_rules(root, fuzz::fixture_team());
    if (!rules) fuzz::check_error(rules.status());
  });
  return 0;
}
