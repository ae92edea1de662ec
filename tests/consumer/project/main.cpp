// A consumer program, built by tests/consumer/run_consumer.cmake through CMake
// (find_package and add_subdirectory) and through pkg-config (dealflow.pc).
// It touches every link of the dependency chain: core (money, time), pipeline
// (Engine::make + a move), routing (Router::compile + route), analytics (a
// funnel on a tiny in-memory log), planning (a period) and compensation (a
// marginal commission). It prints one line and exits 0 only when all of them
// work.
#include <iostream>
#include <vector>

#include "dealflow/analytics/funnel.h"
#include "dealflow/compensation/rates.h"
#include "dealflow/core/money.h"
#include "dealflow/core/time.h"
#include "dealflow/io/json.h"
#include "dealflow/pipeline/engine.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/planning/period.h"
#include "dealflow/routing/router.h"
#include "dealflow/routing/routing_json.h"

namespace {

const char* kPipeline = R"({"id": "sales", "policy": "free", "stages": [
    {"id": "NEW", "kind": "open", "probability": 0.1}, {"id": "QUAL", "kind": "open", "probability": 0.4},
    {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"}]})";
const char* kTeam = R"({"attributes": [], "managers": [{"id": "m-ivanova", "name": "Иванова Анна"}],
    "teams": [{"id": "pool", "members": ["m-ivanova"]}]})";
const char* kRules = R"({"rules": [{"id": "all", "target": {"team": "pool", "strategy": "round_robin"}}]})";

// Engine::make + a create and a move at explicit instants.
bool pipeline_works() {
  auto loaded = dealflow::parse_pipeline_text(kPipeline, "<consumer>");
  if (!loaded) return false;
  auto engine = dealflow::Engine::make(std::move(loaded->pipeline));
  if (!engine) return false;
  const dealflow::Pipeline& p = engine->workspace().pipeline(dealflow::PipelineId{0});
  dealflow::NewDeal nd;
  nd.created_at = *dealflow::parse_instant("2024-03-01T09:00:00Z");
  const dealflow::MoveResult created = engine->create(nd);
  if (!created) return false;
  const dealflow::MoveResult moved =
      engine->move(created.deal, *p.find_stage("QUAL"), *dealflow::parse_instant("2024-03-02T09:00:00Z"),
                   dealflow::ManagerId{1});
  return moved && engine->deal(created.deal)->stage == *p.find_stage("QUAL") && engine->history().size() == 2;
}

// Router::compile + route one lead.
bool routing_works() {
  auto team_doc = dealflow::parse_json(kTeam, "team.json");
  if (!team_doc) return false;
  auto team = dealflow::routing::parse_team(dealflow::JsonReader(*team_doc, "team.json"));
  if (!team) {
    std::cerr << team.status().to_string() << "\n";
    return false;
  }
  auto rules_doc = dealflow::parse_json(kRules, "rules.json");
  if (!rules_doc) return false;
  auto rules = dealflow::routing::parse_rules(dealflow::JsonReader(*rules_doc, "rules.json"), *team);
  if (!rules) {
    std::cerr << rules.status().to_string() << "\n";
    return false;
  }
  auto router = dealflow::routing::Router::compile(std::move(*team), std::move(*rules));
  if (!router) {
    std::cerr << router.status().to_string() << "\n";
    return false;
  }
  dealflow::routing::RouterState state = router->initial_state();
  dealflow::routing::Lead lead;
  lead.at = *dealflow::parse_instant("2024-03-04T10:00:00+03:00");
  const dealflow::routing::Decision d = router->route(lead, state);
  if (!d.assigned()) std::cerr << "not assigned: " << router->explain(d) << "\n";
  return d.assigned() && router->team().manager(d.manager).name == "Иванова Анна";
}

// A funnel on a two-deal log built in memory.
bool analytics_works() {
  auto loaded = dealflow::parse_pipeline_text(kPipeline, "<consumer>");
  if (!loaded) return false;
  const dealflow::Pipeline& p = loaded->pipeline;
  dealflow::analytics::EventLog log;
  const dealflow::PipelineId sales = log.intern_pipeline("sales");
  for (const char* key : {"D-1", "D-2"}) {
    auto d = log.add_deal(key, sales, *dealflow::parse_instant("2024-03-01"));
    if (!d || !log.append_event(*d, *dealflow::parse_instant("2024-03-01"), *p.find_stage("NEW"), "").ok()) {
      return false;
    }
    if (std::string_view(key) == "D-1" &&
        !log.append_event(*d, *dealflow::parse_instant("2024-03-02"), *p.find_stage("WON"), "").ok()) {
      return false;
    }
  }
  log.seal();
  auto funnel = dealflow::analytics::compute_funnel(log, p, {});
  return funnel && funnel->total.deals == 2 && funnel->total.won == 1 && funnel->total.open == 1;
}

}  // namespace

int main() {
  auto m = dealflow::Money::parse("1 234,56", dealflow::Currency::of("RUB"));
  auto t = dealflow::parse_instant("2024-03-01T10:00:00+03:00");
  if (!m || !t || m->minor_units() != 123456 || dealflow::format_iso(*t) != "2024-03-01T07:00:00Z") return 1;
  if (!pipeline_works()) return 2;
  if (!routing_works()) return 3;
  if (!analytics_works()) return 4;
  auto q = dealflow::planning::parse_period("FY2024-Q1", 4);
  if (!q || q->first.to_string() != "2024-04-01" || q->end.to_string() != "2024-07-01") return 5;
  // The issue's case: 1%/2%/3%/4% at 0/10 000/50 000/100 000 USD, 60 000 USD marginal = 1 200 USD.
  using namespace dealflow::compensation;
  const dealflow::Currency usd = dealflow::Currency::of("USD");
  RateSpec spec;
  spec.currency = usd;
  spec.kind = StructureKind::marginal;
  spec.tiers = {{0, Rate::bp(100), usd},
                {1'000'000, Rate::bp(200), usd},
                {5'000'000, Rate::bp(300), usd},
                {10'000'000, Rate::bp(400), usd}};
  const std::vector<Credit> sales = {{"A", dealflow::Money(6'000'000, usd)}};
  auto st = compute_period(spec, sales);
  if (!st || st->total != dealflow::Money(120'000, usd)) return 6;
  std::cout << "consumer ok: " << m->to_string() << " at " << dealflow::format_iso(*t)
            << ", pipeline, routing, funnel, " << q->label << ", commission " << st->total.to_string()
            << "\n";
  return 0;
}
