// Routing quick start: load the sample department, route three leads built in
// code, print each decision with its explanation, and save the router state.
//
//   ./example_routing_quickstart [path/to/data/routing] [state.json]
#include <iostream>
#include <string>

#include "dealflow/routing/router.h"
#include "dealflow/routing/routing_json.h"

using namespace dealflow;
using namespace dealflow::routing;

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "data/routing";
  auto team = load_team_file(dir + "/team.json");
  if (!team) {
    std::cerr << team.status().to_string() << "\n";
    return 1;
  }
  auto rules = load_rules_file(dir + "/rules.json", *team);
  if (!rules) {
    std::cerr << rules.status().to_string() << "\n";
    return 1;
  }
  auto router = Router::compile(std::move(*team), std::move(*rules));
  if (!router) {
    std::cerr << router.status().to_string() << "\n";
    return 1;
  }
  const AttributeSchema& schema = router->team().schema();
  // Resolve strings to codes once, at the edge.
  auto code = [&](std::string_view attribute, std::string_view value) {
    const AttributeId a = *schema.find_categorical(attribute);
    return std::pair{a, *schema.categorical(a).find(value)};
  };
  auto make = [&](std::initializer_list<std::pair<std::string_view, std::string_view>> values,
                  const char* at) {
    Lead lead;
    for (auto [attribute, value] : values) {
      auto [a, v] = code(attribute, value);
      lead.set(a, v);
    }
    lead.at = *parse_instant(at);
    return lead;
  };

  RouterState state = router->initial_state();
  Decision decision;  // reused: no allocation per lead once warmed up
  const Lead leads[] = {
      make({{"region", "Томск"}, {"tier", "SMB"}, {"channel", "inbound"}}, "2024-03-04T10:00:00+03:00"),
      make({{"region", "Москва"}, {"tier", "SMB"}, {"channel", "inbound"}}, "2024-03-04T10:01:00+03:00"),
      make({{"region", "Москва"}, {"tier", "Enterprise"}, {"channel", "inbound"}},
           "2024-03-04T10:02:00+03:00"),
  };
  for (const Lead& lead : leads) {
    router->route(lead, state, decision);
    std::cout << (decision.assigned() ? router->team().manager(decision.manager).name
                                      : std::string("(unassigned)"))
              << " <- "
              << (decision.rule.valid() ? router->rules().rule(decision.rule).key : std::string("-")) << ": "
              << router->explain(decision) << "\n";
  }
  if (argc > 2) {
    Status s = save_router_state_file(argv[2], state, router->team(), router->rules());
    if (!s.ok()) {
      std::cerr << s.to_string() << "\n";
      return 1;
    }
  }
  return 0;
}
