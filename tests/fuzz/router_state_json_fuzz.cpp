// Router state JSON (routing::parse_router_state) against data/routing/team.json
// and rules.json; a state that loads is written back and must read back equal.
#include <cstdio>
#include <cstdlib>

#include "dealflow/routing/router_state.h"
#include "routing_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  fuzz::with_json(fuzz::as_text(data, size), "state.json", [](const JsonReader& root) {
    const auto& team = fuzz::fixture_team();
    const auto& rules = fuzz::fixture_rules();
    auto state = routing::parse_router_state(root, team, rules);
    if (!state) {
      fuzz::check_error(state.status());
      return;
    }
    const Json saved = routing::state_to_json(*state, team, rules);
    auto again = routing::parse_router_state(JsonReader(saved, "saved.json"), team, rules);
    if (!again || !(*again == *state)) {
      std::fprintf(stderr, "router state does not read back: %s\n%s\n",
                   again ? "different state" : again.status().to_string().c_str(), saved.dump().c_str());
      std::abort();
    }
  });
  return 0;
}
