// Helpers for the lint tests: build small teams and rule sets by name.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dealflow/routing/lint.h"
#include "dealflow/routing/rules.h"
#include "dealflow/routing/team.h"

namespace dealflow::routing::lint_testing {

// region: Москва, Сибирь ⊃ {Новосибирск, Томск}, Урал; product: Станки,
// Инструмент, Сервис; tier: SMB, Enterprise; amount: money (RUB).
inline AttributeSchema department_schema() {
  AttributeSchema s;
  const AttributeId region = *s.add_categorical("region", {"Москва", "Сибирь", "Новосибирск", "Томск", "Урал"});
  EXPECT_TRUE(s.add_child(region, "Сибирь", "Новосибирск").ok());
  EXPECT_TRUE(s.add_child(region, "Сибирь", "Томск").ok());
  EXPECT_TRUE(s.add_categorical("product", {"Станки", "Инструмент", "Сервис"}).ok());
  EXPECT_TRUE(s.add_categorical("tier", {"SMB", "Enterprise"}).ok());
  EXPECT_TRUE(s.add_numeric("amount", NumericKind::money, Currency::of("RUB")).ok());
  return s;
}

struct ManagerDef {
  std::string key;
  std::map<std::string, std::vector<std::string>> skills;  // attribute -> values
  bool active = true;
  std::uint32_t weight = 1;
  std::uint32_t daily = Capacity::kUnlimited;
};

inline std::unique_ptr<TeamModel> make_team(AttributeSchema schema, const std::vector<ManagerDef>& defs) {
  TeamBuilder b(std::move(schema));
  for (const ManagerDef& d : defs) {
    ManagerSpec spec;
    spec.key = d.key;
    spec.name = d.key;
    spec.active = d.active;
    spec.weight = d.weight;
    spec.capacity.daily = d.daily;
    spec.skills.by_attribute.resize(b.schema().categorical_count());
    for (const auto& [attr, values] : d.skills) {
      const AttributeId a = *b.schema().find_categorical(attr);
      for (const auto& v : values) spec.skills.by_attribute[a.value()].push_back(*b.schema().categorical(a).find(v));
    }
    auto id = b.add_manager(std::move(spec));
    EXPECT_TRUE(id.ok()) << id.status().to_string();
  }
  auto team = std::move(b).build();
  EXPECT_TRUE(team.ok()) << team.status().to_string();
  return std::make_unique<TeamModel>(std::move(*team));
}

inline CategoricalCondition cond(const TeamModel& team, const std::string& attr, ConditionKind kind,
                                 const std::vector<std::string>& values) {
  const AttributeId a = *team.schema().find_categorical(attr);
  CategoricalCondition c;
  c.attribute = a;
  c.kind = kind;
  for (const auto& v : values) c.values.push_back(*team.schema().categorical(a).find(v));
  return c;
}

inline CategoricalCondition in(const TeamModel& team, const std::string& attr, const std::vector<std::string>& values) {
  return cond(team, attr, ConditionKind::in_set, values);
}

inline ManagerId manager(const TeamModel& team, const std::string& key) { return *team.find_manager(key); }

inline TargetSpec to_manager(const TeamModel& team, const std::string& key) {
  return TargetSpec::single(manager(team, key));
}

inline PoolSpec pool_of(const TeamModel& team, const std::vector<std::string>& keys,
                        Strategy strategy = Strategy::round_robin) {
  PoolSpec p;
  p.strategy = strategy;
  for (const auto& k : keys) p.managers.push_back(manager(team, k));
  return p;
}

inline RuleSpec rule(const std::string& key, int priority, std::vector<CategoricalCondition> conditions,
                     TargetSpec target) {
  RuleSpec r;
  r.key = key;
  r.priority = priority;
  r.conditions = std::move(conditions);
  r.target = std::move(target);
  return r;
}

inline RuleSet build_rules(const TeamModel& team, std::vector<RuleSpec> specs,
                           std::optional<PoolSpec> default_pool = std::nullopt) {
  RuleSetBuilder b(team);
  for (auto& s : specs) {
    const std::string key = s.key;
    auto id = b.add_rule(std::move(s));
    EXPECT_TRUE(id.ok()) << key << ": " << id.status().to_string();
  }
  if (default_pool) {
    EXPECT_TRUE(b.set_default(std::move(*default_pool)).ok());
  }
  auto set = std::move(b).build();
  EXPECT_TRUE(set.ok()) << set.status().to_string();
  return std::move(*set);
}

// "region=Сибирь,Урал product=* ..." for a cube (any = "*").
inline std::string describe(const TeamModel& team, const LintCube& cube) {
  std::string out;
  for (const LintAxis& axis : cube.axes) {
    if (!out.empty()) out += " ";
    out += axis.attribute + "=";
    if (axis.any) {
      out += "*";
      continue;
    }
    if (!axis.numeric) {
      const CategoricalAttribute& attr = team.schema().categorical(*team.schema().find_categorical(axis.attribute));
      for (std::size_t i = 0; i < axis.values.size(); ++i) {
        if (i) out += ",";
        out += axis.values[i] == kUnspecified ? std::string("(empty)") : std::string(attr.value_name(axis.values[i]));
      }
    } else {
      for (std::size_t i = 0; i < axis.intervals.size(); ++i) {
        if (i) out += ",";
        const auto& iv = axis.intervals[i];
        out += "[" + (iv.min ? std::to_string(*iv.min) : std::string("-inf")) + "," +
               (iv.max ? std::to_string(*iv.max) : std::string("inf")) + ")";
      }
      if (axis.empty_value) out += axis.intervals.empty() ? "(empty)" : ",(empty)";
    }
  }
  return out;
}

}  // namespace dealflow::routing::lint_testing
