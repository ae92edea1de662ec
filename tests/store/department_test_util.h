// Helpers for the Department tests: small configs (our own fixtures), leads,
// and an exhaustive comparison of two engines and router states.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/routing/router.h"
#include "dealflow/routing/routing_json.h"
#include "dealflow/store/department.h"

namespace dealflow::store::testing {

inline Instant at(std::string_view iso) {
  auto t = parse_instant(iso);
  EXPECT_TRUE(t.ok()) << iso;
  return t ? *t : Instant{};
}

// Three managers, one attribute; Томск goes to m-c, everything else least loaded.
inline constexpr std::string_view kTeamJson = R"({
  "name": "Тестовый отдел",
  "attributes": [{"name": "region", "values": ["Москва", "Томск", "Урал"]},
                 {"name": "amount", "type": "money", "currency": "RUB"}],
  "managers": [{"id": "m-a", "name": "Алексеева Анна"}, {"id": "m-b", "name": "Борисов Борис"},
               {"id": "m-c", "name": "Чернов Иван"}],
  "teams": [{"id": "sales", "name": "Продажи", "members": ["m-a", "m-b", "m-c"]}]
})";
inline constexpr std::string_view kRulesJson = R"({
  "name": "Тест",
  "rules": [{"id": "tomsk", "name": "Томск", "priority": 10, "when": {"region": "Томск"},
             "target": {"manager": "m-c"}}],
  "default": {"team": "sales", "strategy": "least_loaded"}
})";

// NEW -> WORK -> WON | LOST, free moves, LOST -> WORK reopens; no automation.
inline constexpr std::string_view kSimplePipeline = R"({
  "id": "simple", "name": "Простая воронка", "policy": "free",
  "stages": [
    {"id": "NEW", "name": "Новая", "kind": "open", "probability": 0.1},
    {"id": "WORK", "name": "В работе", "kind": "open", "probability": 0.5},
    {"id": "WON", "name": "Успех", "kind": "won"},
    {"id": "LOST", "name": "Провал", "kind": "lost"}
  ],
  "reopens": [{"from": "LOST", "to": "WORK"}]
})";

inline std::shared_ptr<const routing::Router> test_router(std::string_view team_json = kTeamJson) {
  auto team_doc = parse_json(team_json, "team.json");
  EXPECT_TRUE(team_doc.ok());
  auto team = routing::parse_team(JsonReader(*team_doc, "team.json"));
  EXPECT_TRUE(team.ok()) << team.status().to_string();
  auto rules_doc = parse_json(kRulesJson, "rules.json");
  auto rules = routing::parse_rules(JsonReader(*rules_doc, "rules.json"), *team);
  EXPECT_TRUE(rules.ok()) << rules.status().to_string();
  auto router = routing::Router::compile(std::move(*team), std::move(*rules));
  EXPECT_TRUE(router.ok()) << router.status().to_string();
  return std::make_shared<const routing::Router>(std::move(*router));
}

inline std::shared_ptr<const Workspace> simple_workspace() {
  auto loaded = parse_pipeline_text(kSimplePipeline, "simple.json", std::make_shared<Vocabulary>());
  EXPECT_TRUE(loaded.ok()) << loaded.status().to_string();
  std::vector<Pipeline> ps;
  ps.push_back(std::move(loaded->pipeline));
  auto ws = Workspace::create(std::move(ps));
  EXPECT_TRUE(ws.ok());
  return std::make_shared<const Workspace>(std::move(*ws));
}

// data/pipelines/b2b_sales.json + onboarding.json: roles, guards, a predicate,
// timed moves, an escalation, a guarded reopen and a create_linked hand-off.
inline std::shared_ptr<const Workspace> b2b_workspace() {
  const std::string dir = std::string(DEALFLOW_SOURCE_DIR) + "/data/pipelines/";
  auto loaded = load_workspace({dir + "b2b_sales.json", dir + "onboarding.json"});
  EXPECT_TRUE(loaded.ok()) << loaded.status().to_string();
  return std::make_shared<const Workspace>(std::move(loaded->workspace));
}

inline constexpr ManagerId kHead{7};  // not in the team: the head of sales (role "head")

inline EngineOptions b2b_options() {
  EngineOptions o;
  // Deterministic: paid when the amount is a whole number of 1000.00.
  EXPECT_TRUE(
      o.predicates
          .add("payment_received", [](const GuardContext& g) { return g.amount.minor_units() % 100000 == 0; })
          .ok());
  o.actor_roles = {{ManagerId{0}, {"manager"}},
                   {ManagerId{1}, {"manager"}},
                   {ManagerId{2}, {"manager"}},
                   {kHead, {"head"}}};
  o.clock = [] { return Instant::from_unix_seconds(1709539200); };  // 2024-03-04T08:00:00Z
  return o;
}

inline DepartmentConfig config_of(std::shared_ptr<const Workspace> ws, EngineOptions options,
                                  std::shared_ptr<const routing::Router> router) {
  DepartmentConfig c;
  c.workspace = std::move(ws);
  c.engine_options = std::move(options);
  if (router) c.initial_router_state = router->initial_state();
  c.router = std::move(router);
  return c;
}

inline Department make_department(DepartmentConfig config) {
  auto d = Department::make(std::move(config));
  if (!d.ok()) {
    ADD_FAILURE() << d.status().to_string();
    std::abort();
  }
  return std::move(*d);
}

inline routing::Lead lead_in(const routing::Router& router, std::string_view region, Instant when) {
  routing::Lead lead;
  const auto& schema = router.team().schema();
  const auto attr = *schema.find_categorical("region");
  lead.set(attr, *schema.categorical(attr).find(region));
  lead.at = when;
  return lead;
}

inline std::string describe(const Deal& d) {
  return std::to_string(d.id.value()) + " p" + std::to_string(d.pipeline.value()) + " s" +
         std::to_string(d.stage.value()) + " " + d.amount.to_string() + " o" +
         std::to_string(d.owner.value()) + " c" + std::to_string(d.client.value()) + " " +
         format_iso(d.created_at) + " " + format_iso(d.stage_entered_at) + " " + format_iso(d.last_event_at) +
         " e" + std::to_string(d.stage_entries) + " pr" +
         (d.probability_override ? std::to_string(*d.probability_override) : std::string("-")) + " src" +
         std::to_string(d.source_deal.value());
}

// Everything observable: both logs, the money of amount events, deals, links,
// automation failures, pending timers, as_of at every event instant +-1 s, router state.
inline void expect_same(const Department& a, const Department& b) {
  const Engine& x = a.engine();
  const Engine& y = b.engine();
  ASSERT_EQ(x.history().events(), y.history().events());
  ASSERT_EQ(x.history().field_event_count(), y.history().field_event_count());
  for (std::size_t i = 0; i < x.history().field_event_count(); ++i) {
    const FieldEvent& e = x.history().field_event(i);
    ASSERT_EQ(e, y.history().field_event(i)) << i;
    if (e.field == builtin_field::amount.value()) {
      ASSERT_EQ(x.history().money(e.value), y.history().money(e.value));
    }
  }
  ASSERT_EQ(x.deal_count(), y.deal_count());
  for (std::uint32_t id = 0; id < x.deal_count(); ++id) {
    EXPECT_EQ(describe(*x.deal(DealId{id})), describe(*y.deal(DealId{id})));
    const auto lx = x.links(DealId{id});
    const auto ly = y.links(DealId{id});
    ASSERT_EQ(lx.size(), ly.size());
    for (std::size_t i = 0; i < lx.size(); ++i) {
      EXPECT_EQ(lx[i].source, ly[i].source);
      EXPECT_EQ(lx[i].target, ly[i].target);
      EXPECT_EQ(lx[i].target_stage, ly[i].target_stage);
      EXPECT_EQ(lx[i].at, ly[i].at);
      EXPECT_EQ(lx[i].handoff_id, ly[i].handoff_id);
    }
  }
  const auto fx = x.automation_failures();
  const auto fy = y.automation_failures();
  ASSERT_EQ(fx.size(), fy.size());
  for (std::size_t i = 0; i < fx.size(); ++i) {
    EXPECT_EQ(fx[i].deal, fy[i].deal);
    EXPECT_EQ(fx[i].at, fy[i].at);
    EXPECT_EQ(fx[i].name, fy[i].name);
    EXPECT_EQ(fx[i].message, fy[i].message);
  }
  EXPECT_EQ(x.pending_timers(), y.pending_timers());
  std::set<std::int64_t> instants;
  for (const HistoryEvent& e : x.history().events())
    instants.insert(x.history().instant(e.at).unix_seconds());
  for (std::int64_t s : instants) {
    for (std::int64_t d : {-1, 0, 1}) {
      const Instant t = Instant::from_unix_seconds(s + d);
      const HistoryState hx = x.as_of(t);
      const HistoryState hy = y.as_of(t);
      ASSERT_TRUE(std::equal(hx.deals().begin(), hx.deals().end(), hy.deals().begin(), hy.deals().end()))
          << format_iso(t);
    }
  }
  EXPECT_TRUE(a.router_state() == b.router_state());
}

// The router open-deal invariant: initial + open deals owned, per team manager.
inline void expect_invariant(const Department& d, const routing::RouterState& initial) {
  const Engine& e = d.engine();
  for (std::uint32_t m = 0; m < d.router_state().manager_count(); ++m) {
    std::uint32_t open = initial.open_deals(ManagerId{m});
    for (std::uint32_t id = 0; id < e.deal_count(); ++id) {
      const Deal deal = *e.deal(DealId{id});
      if (deal.owner == ManagerId{m} &&
          e.workspace().pipeline(deal.pipeline).kind(deal.stage) == StageKind::open)
        ++open;
    }
    ASSERT_EQ(d.router_state().open_deals(ManagerId{m}), open)
        << "manager " << m << " after change " << d.sequence();
  }
}

}  // namespace dealflow::store::testing
