// A small "CRM service" embedding dealflow as one Department: the B2B sales
// pipeline (with its hand-off to onboarding), the routing team and rules, and
// an in-memory change log standing in for the host's database. It routes three
// leads into deals, works them (won with a hand-off, lost, reassigned), prints
// the change stream as JSON lines (docs/embedding.md), then restores a second
// Department from those lines and checks that both hold the same state.
//
//   ./example_department_service [team.json rules.json leads.csv]
//
// Defaults: data/routing/team.json, rules.json, leads.csv and
// data/pipelines/b2b_sales.json + onboarding.json. Run from the source folder.
// Every instant is explicit (lead times, move times, the injected clock): the
// output does not depend on when it runs.
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/routing/leads_csv.h"
#include "dealflow/routing/routing_json.h"
#include "dealflow/store/change_json.h"
#include "dealflow/store/department.h"

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

void print_open_deals(const Department& d, const routing::Router& router) {
  for (const routing::Manager& m : router.team().managers()) {
    const std::uint32_t n = d.router_state().open_deals(m.id);
    if (n > 0) std::cout << "  " << m.name << ": " << n << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string team_path = argc > 3 ? argv[1] : "data/routing/team.json";
  const std::string rules_path = argc > 3 ? argv[2] : "data/routing/rules.json";
  const std::string leads_path = argc > 3 ? argv[3] : "data/routing/leads.csv";

  auto loaded = load_workspace({"data/pipelines/b2b_sales.json", "data/pipelines/onboarding.json"});
  if (!loaded) return fail(loaded.status());
  auto routing_files = routing::load_routing_files(team_path, rules_path);
  if (!routing_files) return fail(routing_files.status());
  auto compiled = routing::Router::compile(std::move(routing_files->team), std::move(routing_files->rules));
  if (!compiled) return fail(compiled.status());
  auto router = std::make_shared<const routing::Router>(std::move(*compiled));
  const routing::TeamModel& team = router->team();

  DepartmentConfig config;
  config.workspace = std::make_shared<const Workspace>(std::move(loaded->workspace));
  config.router = router;
  config.initial_router_state = router->initial_state();
  // The host's clock (never read here: every operation passes its instant).
  config.engine_options.clock = [] { return instant("2024-03-04T12:00:00Z"); };
  // The billing system answers "payment received" (here: any positive amount).
  Status added = config.engine_options.predicates.add(
      "payment_received", [](const GuardContext& g) { return g.amount.is_positive(); });
  if (!added.ok()) return fail(added);
  for (const routing::Manager& m : team.managers())
    config.engine_options.actor_roles.push_back({m.id, {"manager"}});

  auto made = Department::make(config);
  if (!made) return fail(made.status());
  Department dept = std::move(*made);
  MemorySink log;  // the host's database: one atomic append per change
  dept.set_sink(&log);

  // 1. Route three leads and create their deals with the routed owners.
  auto leads = routing::load_leads_csv(leads_path, team, {});
  if (!leads) return fail(leads.status());
  const auto region = *team.schema().find_categorical("region");
  std::vector<RoutedDeal> deals;
  for (std::size_t i = 0; i < 3 && i < leads->leads.size(); ++i) {
    const routing::Lead& lead = leads->leads[i].lead;
    NewDeal nd;
    nd.amount = Money(250'000'00 * static_cast<std::int64_t>(i + 1), Currency::of("RUB"));
    nd.client = ClientId{static_cast<std::uint32_t>(100 + i)};
    nd.created_at = lead.at;
    const ValueCode code = lead.value(region);
    if (code != routing::kUnspecified)
      nd.attributes = {{"region", std::string(team.schema().categorical(region).value_name(code))}};
    auto routed = dept.route_and_create(lead, nd);
    if (!routed) return fail(routed.status());
    std::cout << "lead " << leads->leads[i].id << " -> deal " << routed->deal.value() << ", "
              << team.manager(routed->owner).name << " (" << router->explain(routed->decision) << ")\n";
    deals.push_back(std::move(*routed));
  }
  std::cout << "open deals after routing:\n";
  print_open_deals(dept, *router);

  // 2. Work the deals: the first is won (and handed off to onboarding), the
  // second disqualified, the third reassigned.
  const Pipeline& sales = dept.workspace().pipeline(PipelineId{0});
  const auto stage = [&](std::string_view id) { return *sales.find_stage(id); };
  Instant t = instant("2024-03-05T10:00:00+03:00");
  for (std::string_view to : {"QUALIFIED", "PROPOSAL", "CONTRACT", "WON"}) {
    auto r = dept.move(deals[0].deal, stage(to), t, deals[0].owner);
    if (!r) return fail(r.status());
    if (!r->applied()) return fail(Status(ErrorCode::refused, r->message));
    t = t + Duration(3600);
  }
  auto lost = dept.move(deals[1].deal, stage("DISQUALIFIED"), t, deals[1].owner);
  if (!lost || !lost->applied())
    return fail(lost ? Status(ErrorCode::refused, lost->message) : lost.status());
  const ManagerId other = deals[0].owner == deals[2].owner ? deals[1].owner : deals[0].owner;
  auto moved = dept.reassign(deals[2].deal, other, t, deals[2].owner);
  if (!moved || !moved->applied())
    return fail(moved ? Status(ErrorCode::refused, moved->message) : moved.status());
  if (auto tick = dept.tick(instant("2024-03-06T09:00:00Z")); !tick) return fail(tick.status());
  std::cout << "open deals after the work (won -1, its onboarding deal " << dept.engine().deal_count() - 1
            << " +1, lost -1, reassigned -1/+1):\n";
  print_open_deals(dept, *router);

  // 3. The change stream, as the host would store it.
  std::cout << "change stream (" << log.entries().size() << " changes):\n";
  std::ostringstream stream;
  for (const MemorySink::Entry& e : log.entries()) stream << to_json_line(e.change, dept) << "\n";
  std::cout << stream.str();

  // 4. Restart: a fresh Department from the same configs and the stored lines.
  auto parsed = parse_change_lines(stream.str(), dept);
  if (!parsed) return fail(parsed.status());
  auto restored = Department::restore(config, Department::initial_snapshot(config), *parsed);
  if (!restored) return fail(restored.status());
  const bool equal = restored->engine().history().events() == dept.engine().history().events() &&
                     restored->engine().deal_count() == dept.engine().deal_count() &&
                     restored->engine().pending_timers() == dept.engine().pending_timers() &&
                     restored->router_state() == dept.router_state() && restored->changes() == dept.changes();
  std::cout << "restored " << restored->sequence() << " changes: state " << (equal ? "equal" : "DIFFERENT")
            << "\n";
  return equal ? 0 : 1;
}
