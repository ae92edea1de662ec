// Helpers for the routing tests: build teams, rules and leads from JSON text.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "dealflow/io/json.h"
#include "dealflow/routing/router.h"
#include "dealflow/routing/routing_json.h"

namespace dealflow::routing::testing {

inline Result<TeamModel> team_from(const std::string& text) {
  auto doc = parse_json(text, "team.json");
  if (!doc) return doc.status();
  return parse_team(JsonReader(*doc, "team.json"));
}

inline Result<RuleSet> rules_from(const std::string& text, const TeamModel& team) {
  auto doc = parse_json(text, "rules.json");
  if (!doc) return doc.status();
  return parse_rules(JsonReader(*doc, "rules.json"), team);
}

// Compiles a router from JSON texts; fails the test on a load error.
inline Router router_from(const std::string& team_json, const std::string& rules_json) {
  auto team = team_from(team_json);
  EXPECT_TRUE(team.ok()) << team.status().to_string();
  auto rules = rules_from(rules_json, *team);
  EXPECT_TRUE(rules.ok()) << rules.status().to_string();
  auto router = Router::compile(std::move(*team), std::move(*rules));
  EXPECT_TRUE(router.ok()) << router.status().to_string();
  return std::move(*router);
}

// Builds a lead from "attribute=value" pairs at instant `at` (ISO 8601).
class LeadMaker {
 public:
  explicit LeadMaker(const TeamModel& team) : team_(&team) {}
  Lead operator()(std::initializer_list<std::pair<std::string, std::string>> values,
                  const std::string& at = "2024-03-04T10:00:00+03:00") const {
    Lead lead;
    const AttributeSchema& s = team_->schema();
    for (const auto& [name, value] : values) {
      if (auto a = s.find_categorical(name)) {
        auto code = s.categorical(*a).find(value);
        EXPECT_TRUE(code.has_value()) << name << "=" << value;
        if (code) lead.set(*a, *code);
      } else if (auto n = s.find_numeric(name)) {
        auto m = Money::parse(value,
                              s.numeric(*n).currency.empty() ? Currency::of("RUB") : s.numeric(*n).currency);
        EXPECT_TRUE(m.ok()) << value;
        if (m)
          lead.set_number(*n,
                          s.numeric(*n).kind == NumericKind::money ? m->minor_units() : std::stoll(value));
      } else if (name == "owner") {
        auto id = team_->find_manager(value);
        EXPECT_TRUE(id.has_value()) << value;
        if (id) lead.account_owner = *id;
      } else {
        ADD_FAILURE() << "unknown attribute " << name;
      }
    }
    auto t = parse_instant(at);
    EXPECT_TRUE(t.ok()) << at;
    if (t) lead.at = *t;
    return lead;
  }

 private:
  const TeamModel* team_;
};

inline std::string key_of(const Router& r, const Decision& d) {
  return d.assigned() ? r.team().manager(d.manager).key : std::string();
}

inline std::string rule_of(const Router& r, const Decision& d) {
  if (d.rule.valid()) return r.rules().rule(d.rule).key;
  return d.by_default_pool ? "default" : "";
}

// A small schema shared by most tests: region with Сибирь ⊃ {Новосибирск, Томск},
// tier, channel, product; amount in RUB; client_size an integer (employees).
inline const char* kAttributes = R"(
  "attributes": [
    {"name": "region", "values": ["Москва", "Сибирь", "Новосибирск", "Томск", "Урал"],
     "children": {"Сибирь": ["Новосибирск", "Томск"]}},
    {"name": "tier", "values": ["SMB", "Enterprise"]},
    {"name": "channel", "values": ["inbound", "outbound"]},
    {"name": "product", "values": ["CRM", "Облако"]},
    {"name": "amount", "type": "money", "currency": "RUB"},
    {"name": "client_size", "type": "integer"}
  ])";

}  // namespace dealflow::routing::testing
