// The store's change stream (store::parse_change_lines, JSON Lines) and snapshot document
// (store::parse_snapshot), read against a Department of data/pipelines/b2b_sales.json +
// onboarding.json with the router of data/routing/team.json + rules.json; a stream that parses
// is replayed (Department::restore), which checks every change against the engine and router.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "dealflow/io/json.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/routing/routing_json.h"
#include "dealflow/store/change_json.h"
#include "dealflow/store/department.h"
#include "fuzz_support.h"

namespace {

dealflow::store::DepartmentConfig make_config() {
  using namespace dealflow;
  const std::string dir = fuzz::source_path("data/pipelines/");
  auto loaded = fuzz::expect_fixture(load_workspace({dir + "b2b_sales.json", dir + "onboarding.json"}), "workspace");
  store::DepartmentConfig config;
  config.workspace = std::make_shared<const Workspace>(std::move(loaded.workspace));
  // As examples/department_service.cpp (whose printed stream is the seed): the predicate the b2b
  // pipeline names, a fixed clock, every team manager in the role "manager".
  const Status added = config.engine_options.predicates.add(
      "payment_received", [](const GuardContext& g) { return g.amount.is_positive(); });
  if (!added.ok()) {
    std::fprintf(stderr, "fixture predicate: %s\n", added.to_string().c_str());
    std::abort();
  }
  config.engine_options.clock = [] { return Instant::from_unix_seconds(1709553600); };  // 2024-03-04T12:00Z
  const std::string team_text = fuzz::read_source_file("data/routing/team.json");
  const std::string rules_text = fuzz::read_source_file("data/routing/rules.json");
  auto team_doc = fuzz::expect_fixture(parse_json(team_text, "team.json"), "team.json");
  auto team = fuzz::expect_fixture(routing::parse_team(JsonReader(team_doc, "team.json")), "team");
  auto rules_doc = fuzz::expect_fixture(parse_json(rules_text, "rules.json"), "rules.json");
  auto rules = fuzz::expect_fixture(routing::parse_rules(JsonReader(rules_doc, "rules.json"), team), "rules");
  auto router = fuzz::expect_fixture(routing::Router::compile(std::move(team), std::move(rules)), "router");
  config.router = std::make_shared<const routing::Router>(std::move(router));
  for (const routing::Manager& m : config.router->team().managers())
    config.engine_options.actor_roles.push_back({m.id, {"manager"}});
  config.initial_router_state = config.router->initial_state();
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  static const store::DepartmentConfig config = make_config();
  static const store::Department names = fuzz::expect_fixture(store::Department::make(config), "department");
  const std::string_view text = fuzz::as_text(data, size);
  auto changes = store::parse_change_lines(text, names);
  if (!changes) {
    fuzz::check_error(changes.status());
  } else {
    auto restored = store::Department::restore(config, store::Department::initial_snapshot(config), *changes);
    if (!restored) fuzz::check_error(restored.status());
  }
  auto snapshot = store::parse_snapshot(text, names);
  if (!snapshot) {
    fuzz::check_error(snapshot.status());
  } else {
    auto restored = store::Department::restore(config, *snapshot);
    if (!restored) fuzz::check_error(restored.status());
  }
  return 0;
}
