// A "CRM service" that survives restarts: the Department of examples/department_service.cpp kept in a
// durable SQLite store (docs/store.md). The first run of the service opens a new store, routes two leads
// into deals and works them; it closes (as a service stops); the second run opens the same file, gets the
// same deals, history, timers and router open deals back, and continues.
//
//   ./example_store_service [store-file]
//
// Default: a fresh file in a temporary folder (removed at the end). Run from the source folder (it reads
// data/pipelines/b2b_sales.json + onboarding.json and data/routing/team.json, rules.json, leads.csv).
// Every instant is explicit: the output does not depend on when it runs.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/routing/leads_csv.h"
#include "dealflow/routing/routing_json.h"
#include "dealflow/store/store.h"

using namespace dealflow;
using namespace dealflow::store;

namespace {

int fail(const Status& s) {
  std::cerr << s.to_string() << "\n";
  return 1;
}

Instant instant(std::string_view iso) {
  return *parse_instant(iso);
}

Result<DepartmentConfig> load_config() {
  auto loaded = load_workspace({"data/pipelines/b2b_sales.json", "data/pipelines/onboarding.json"});
  if (!loaded) return loaded.status();
  auto files = routing::load_routing_files("data/routing/team.json", "data/routing/rules.json");
  if (!files) return files.status();
  auto compiled = routing::Router::compile(std::move(files->team), std::move(files->rules));
  if (!compiled) return compiled.status();
  DepartmentConfig config;
  config.workspace = std::make_shared<const Workspace>(std::move(loaded->workspace));
  config.router = std::make_shared<const routing::Router>(std::move(*compiled));
  config.initial_router_state = config.router->initial_state();
  config.engine_options.clock = [] { return instant("2024-03-04T12:00:00Z"); };
  DEALFLOW_RETURN_IF_ERROR(config.engine_options.predicates.add(
      "payment_received", [](const GuardContext& g) { return g.amount.is_positive(); }));
  for (const routing::Manager& m : config.router->team().managers())
    config.engine_options.actor_roles.push_back({m.id, {"manager"}});
  return config;
}

// What a restart must give back: a one-line summary of the state.
std::string summary(const Department& d) {
  std::string out = std::to_string(d.sequence()) + " changes, " + std::to_string(d.engine().deal_count()) +
                    " deals, " + std::to_string(d.engine().history().size()) + " stage events, " +
                    std::to_string(d.engine().pending_timers()) + " timers; open deals:";
  for (const routing::Manager& m : d.router()->team().managers()) {
    if (const std::uint32_t n = d.router_state().open_deals(m.id); n > 0)
      out += " " + m.name + " " + std::to_string(n) + ";";
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const bool temporary = argc < 2;
  const std::filesystem::path folder =
      std::filesystem::temp_directory_path() / ("dealflow_store_service_" + std::to_string(::getpid()));
  const std::filesystem::path path = temporary ? folder / "crm.dealflow" : std::filesystem::path(argv[1]);
  if (temporary) std::filesystem::create_directories(folder);
  // Removes the temporary folder on every way out (declared before the stores: runs after they close).
  struct Cleanup {
    std::filesystem::path folder;
    ~Cleanup() {
      std::error_code ignored;
      if (!folder.empty()) std::filesystem::remove_all(folder, ignored);
    }
  } cleanup{temporary ? folder : std::filesystem::path()};

  auto config = load_config();
  if (!config) return fail(config.status());
  std::string before;
  std::vector<HistoryEvent> events_before;
  {
    // First run: open (a new file), route two leads, work the deals.
    auto store = Store::open(path, *config, {.synchronous = Synchronous::full});
    if (!store) return fail(store.status());
    Department& dept = store->department();
    std::cout << "opened " << (temporary ? "a new store" : path.string()) << " at change " << dept.sequence()
              << "\n";
    const routing::TeamModel& team = dept.router()->team();
    auto leads = routing::load_leads_csv("data/routing/leads.csv", team, {});
    if (!leads) return fail(leads.status());
    std::vector<RoutedDeal> deals;
    for (std::size_t i = 0; i < 2 && i < leads->leads.size(); ++i) {
      NewDeal nd;
      nd.amount = Money(300'000'00 * static_cast<std::int64_t>(i + 1), Currency::of("RUB"));
      nd.client = ClientId{static_cast<std::uint32_t>(100 + i)};
      nd.created_at = leads->leads[i].lead.at;
      const auto region = *team.schema().find_categorical("region");
      if (const ValueCode code = leads->leads[i].lead.value(region); code != routing::kUnspecified)
        nd.attributes = {{"region", std::string(team.schema().categorical(region).value_name(code))}};
      // One transaction: the change line and the owner's new open-deal count.
      auto routed = dept.route_and_create(leads->leads[i].lead, nd);
      if (!routed) return fail(routed.status());
      std::cout << "lead " << leads->leads[i].id << " -> deal " << routed->deal.value() << ", "
                << team.manager(routed->owner).name << "\n";
      deals.push_back(*routed);
    }
    const Pipeline& sales = dept.workspace().pipeline(PipelineId{0});
    Instant t = instant("2024-03-05T10:00:00Z");
    for (std::string_view to : {"QUALIFIED", "PROPOSAL", "CONTRACT", "WON"}) {
      auto r = dept.move(deals[0].deal, *sales.find_stage(to), t, deals[0].owner);  // durable on return
      if (!r) return fail(r.status());
      if (!r->applied()) return fail(Status(ErrorCode::refused, r->message));
      t = t + Duration(3600);
    }
    auto lost = dept.move(deals[1].deal, *sales.find_stage("DISQUALIFIED"), t, deals[1].owner);
    if (!lost || !lost->applied())
      return fail(lost ? Status(ErrorCode::refused, lost->message) : lost.status());
    before = summary(dept);
    events_before = dept.engine().history().events();
    std::cout << "before the restart: " << before << "\n";
  }  // the service stops: the store closes

  // Second run: the same file, the same configs.
  bool same = false;
  {
    auto store = Store::open(path, *config);
    if (!store) return fail(store.status());
    const std::string after = summary(store->department());
    std::cout << "after the restart:  " << after << "\n";
    same = after == before && store->department().engine().history().events() == events_before;
    std::cout << "state " << (same ? "the same" : "DIFFERENT") << "\n";
    if (auto tick = store->department().tick(instant("2024-03-06T09:00:00Z")); !tick)
      return fail(tick.status());
    std::cout << "continued: change " << store->department().sequence() << " (tick) stored\n";
  }
  return same ? 0 : 1;
}
