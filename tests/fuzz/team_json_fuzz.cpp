// Team JSON (routing::parse_team); a team that loads also gets the rules of
// data/routing/rules.json read against it.
#include "routing_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  static const std::string rules_text = fuzz::read_source_file("data/routing/rules.json");
  fuzz::with_json(fuzz::as_text(data, size), "team.json", [](const JsonReader& root) {
    auto team = routing::parse_team(root);
    if (!team) {
      fuzz::check_error(team.status());
      return;
    }
    fuzz::with_json(rules_text, "rules.json", [&](const JsonReader& rules_root) {
      auto rules = routing::parse_rules(rules_root, *team);
      if (!rules) fuzz::check_error(rules.status());
    });
  });
  return 0;
}
