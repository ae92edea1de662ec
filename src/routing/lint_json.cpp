// Lint report rendering: see include/dealflow/routing/lint_json.h and docs/lint.md.
#include "dealflow/routing/lint_json.h"

#include <algorithm>

#include "dealflow/core/money.h"

namespace dealflow::routing {

namespace {

const CategoricalAttribute* categorical_of(const TeamModel& team, const LintAxis& axis) {
  auto id = team.schema().find_categorical(axis.attribute);
  return id ? &team.schema().categorical(*id) : nullptr;
}

const NumericAttribute* numeric_of(const TeamModel& team, const LintAxis& axis) {
  auto id = team.schema().find_numeric(axis.attribute);
  return id ? &team.schema().numeric(*id) : nullptr;
}

std::string value_name(const CategoricalAttribute& attr, ValueCode code) {
  return code == kUnspecified ? std::string() : std::string(attr.value_name(code));
}

Json bound_json(const NumericAttribute* attr, const std::optional<std::int64_t>& v) {
  if (!v) return Json();
  if (attr && attr->kind == NumericKind::money) return Money(*v, attr->currency).to_string();
  return *v;
}

std::string bound_text(const NumericAttribute* attr, const std::optional<std::int64_t>& v, bool upper) {
  if (!v) return upper ? "∞" : "−∞";
  if (attr && attr->kind == NumericKind::money) return Money(*v, attr->currency).to_string();
  return std::to_string(*v);
}

// The JSON of one axis: "any" for the whole domain, else the value names
// ("" = the empty value) or the intervals ("" = no number).
Json axis_json(const LintAxis& axis, const TeamModel& team) {
  if (axis.any) return "any";
  Json list = Json::array();
  if (!axis.numeric) {
    const CategoricalAttribute* attr = categorical_of(team, axis);
    for (ValueCode v : axis.values) list.push_back(attr ? value_name(*attr, v) : std::to_string(v));
    return list;
  }
  const NumericAttribute* attr = numeric_of(team, axis);
  for (const auto& iv : axis.intervals) {
    list.push_back({{"min", bound_json(attr, iv.min)}, {"max", bound_json(attr, iv.max)}});
  }
  if (axis.empty_value) list.push_back("");
  return list;
}

// {"values": {every attribute of the schema: "any" | [...]}, "combinations": n,
// "description": "..."}. A numeric attribute no rule constrains is not a lint
// dimension: it is "any" in every cube.
Json cube_json(const LintCube& cube, const TeamModel& team, const std::vector<LintAxis>& domains) {
  Json values = Json::object();
  const AttributeSchema& schema = team.schema();
  for (const auto& attr : schema.categorical_attributes()) values[attr.name()] = "any";
  for (const auto& attr : schema.numeric_attributes()) values[attr.name] = "any";
  for (const LintAxis& axis : cube.axes) values[axis.attribute] = axis_json(axis, team);
  return {{"values", std::move(values)},
          {"combinations", count_to_json(cube.combinations)},
          {"description", describe_cube(cube, team, domains)}};
}

// Whether every value of `code`'s subtree is in `set` (sorted).
bool subtree_in(const CategoricalAttribute& attr, ValueCode code, const std::vector<ValueCode>& set) {
  for (ValueCode v : attr.subtree(code)) {
    if (!std::binary_search(set.begin(), set.end(), v)) return false;
  }
  return true;
}

// Values of a set for people: a parent whose whole subtree is present stands
// for it ("Сибирь/*"), its descendants are not repeated.
std::vector<std::string> compress(const CategoricalAttribute& attr, const std::vector<ValueCode>& set) {
  std::vector<std::string> out;
  for (ValueCode v : set) {
    if (v == kUnspecified) {
      out.push_back("(empty)");
      continue;
    }
    bool covered_by_ancestor = false;
    for (ValueCode a = attr.parent(v); a != kUnspecified && !covered_by_ancestor; a = attr.parent(a)) {
      covered_by_ancestor = std::binary_search(set.begin(), set.end(), a) && subtree_in(attr, a, set);
    }
    if (covered_by_ancestor) continue;
    const bool whole = !attr.is_leaf(v) && subtree_in(attr, v, set);
    out.push_back(std::string(attr.value_name(v)) + (whole ? "/*" : ""));
  }
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

std::string rule_key(const RuleSet& rules, RuleId id) { return rules.rule(id).key; }

}  // namespace

Json count_to_json(const CombinationCount& count) {
  if (auto v = count.to_u64()) return *v;
  return count.to_string();
}

std::string describe_cube(const LintCube& cube, const TeamModel& team, const std::vector<LintAxis>& domains) {
  std::string out;
  for (std::size_t d = 0; d < cube.axes.size(); ++d) {
    const LintAxis& axis = cube.axes[d];
    if (axis.any) continue;
    std::string part;
    if (!axis.numeric) {
      const CategoricalAttribute* attr = categorical_of(team, axis);
      if (!attr) continue;
      std::vector<ValueCode> sorted = axis.values;
      std::sort(sorted.begin(), sorted.end());
      // The complement within the lint domain, when it is the shorter way to say it.
      std::vector<ValueCode> missing;
      if (d < domains.size()) {
        for (ValueCode v : domains[d].values) {
          if (!std::binary_search(sorted.begin(), sorted.end(), v)) missing.push_back(v);
        }
      }
      std::sort(missing.begin(), missing.end());
      const std::vector<std::string> in = compress(*attr, sorted);
      if (in.size() == 1) {
        part = axis.attribute + " = " + in[0];
      } else if (!missing.empty() && missing.size() * 2 < sorted.size()) {
        part = axis.attribute + " any except {" + join(compress(*attr, missing)) + "}";
      } else {
        part = axis.attribute + " ∈ {" + join(in) + "}";
      }
    } else {
      const NumericAttribute* attr = numeric_of(team, axis);
      std::vector<std::string> intervals;
      for (const auto& iv : axis.intervals) {
        intervals.push_back("[" + bound_text(attr, iv.min, false) + ", " + bound_text(attr, iv.max, true) + ")");
      }
      if (axis.empty_value) intervals.push_back("(empty)");
      part = axis.attribute + " ∈ " + join(intervals);
    }
    out += (out.empty() ? "" : "; ") + part;
  }
  return out.empty() ? "any lead" : out;
}

Json lint_report_to_json(const LintReport& report, const TeamModel& team, const RuleSet& rules) {
  Json j;
  Json domains = Json::array();
  for (const LintAxis& axis : report.domains) {
    if (!axis.numeric) {
      const CategoricalAttribute* attr = categorical_of(team, axis);
      Json values = Json::array();
      for (ValueCode v : axis.values) values.push_back(attr ? value_name(*attr, v) : std::to_string(v));
      domains.push_back({{"attribute", axis.attribute}, {"values", std::move(values)}});
    } else {
      const NumericAttribute* attr = numeric_of(team, axis);
      Json intervals = Json::array();
      for (const auto& iv : axis.intervals) {
        intervals.push_back({{"min", bound_json(attr, iv.min)}, {"max", bound_json(attr, iv.max)}});
      }
      domains.push_back({{"attribute", axis.attribute}, {"intervals", std::move(intervals)}, {"empty", axis.empty_value}});
    }
  }
  j["domains"] = std::move(domains);

  const CoverageGaps& g = report.gaps;
  Json coverage = {{"complete", g.complete},
                   {"universe", count_to_json(g.universe)},
                   {"uncovered", g.complete ? count_to_json(g.uncovered) : Json()},
                   {"shown", g.cubes.size()},
                   {"not_shown", g.complete ? count_to_json(g.not_shown) : Json()},
                   {"default_pool", g.has_default_pool}};
  if (!g.complete) coverage["incomplete_reason"] = g.incomplete_reason;
  j["coverage"] = std::move(coverage);
  Json gaps = Json::array();
  for (const LintCube& c : g.cubes) gaps.push_back(cube_json(c, team, report.domains));
  j["gaps"] = std::move(gaps);

  Json shadowed = Json::array();
  for (const ShadowedRule& s : report.shadowed) {
    Json by = Json::array();
    for (RuleId r : s.shadowed_by) by.push_back(rule_key(rules, r));
    shadowed.push_back({{"rule", rule_key(rules, s.rule)},
                        {"priority", rules.rule(s.rule).priority},
                        {"reason", std::string(to_string(s.reason))},
                        {"shadowed_by", std::move(by)},
                        {"combinations", count_to_json(s.combinations)}});
  }
  j["shadowed"] = std::move(shadowed);
  Json undetermined = Json::array();
  for (RuleId r : report.shadow_undetermined) undetermined.push_back(rule_key(rules, r));
  j["shadow_undetermined"] = std::move(undetermined);

  Json overlaps = Json::array();
  for (const RuleOverlap& o : report.overlaps) {
    overlaps.push_back({{"rules", {rule_key(rules, o.first), rule_key(rules, o.second)}},
                        {"priority", rules.rule(o.first).priority},
                        {"winner", rule_key(rules, o.first)},
                        {"common", cube_json(o.common, team, report.domains)}});
  }
  j["overlaps"] = std::move(overlaps);
  j["overlaps_total"] = report.overlaps_total;

  Json unreachable = Json::array();
  for (const UnreachableTarget& u : report.unreachable_targets) {
    Json members = Json::array();
    for (const TargetMember& m : u.members) {
      Json conflicts = Json::array();
      for (AttributeId a : m.skill_conflicts) conflicts.push_back(team.schema().categorical(a).name());
      members.push_back({{"manager", team.manager(m.manager).key},
                         {"reason", std::string(to_string(m.reason))},
                         {"skill_conflicts", std::move(conflicts)}});
    }
    Json cubes_json = Json::array();
    for (const LintCube& c : u.cubes) cubes_json.push_back(cube_json(c, team, report.domains));
    unreachable.push_back({{"rule", u.rule ? Json(rule_key(rules, *u.rule)) : Json()},
                           {"role", std::string(to_string(u.role))},
                           {"entire", u.entire},
                           {"matched", count_to_json(u.matched)},
                           {"unservable", count_to_json(u.unservable)},
                           {"cubes", std::move(cubes_json)},
                           {"members", std::move(members)}});
  }
  j["unreachable_targets"] = std::move(unreachable);

  Json idle = Json::array();
  for (const IdleManager& m : report.idle_managers) {
    const Manager& manager = team.manager(m.manager);
    idle.push_back({{"manager", manager.key},
                    {"name", manager.name},
                    {"reason", m.reason == BlockReason::none ? std::string("no_reachable_target")
                                                            : std::string(to_string(m.reason))},
                    {"only_as_account_owner", m.only_as_account_owner}});
  }
  j["idle_managers"] = std::move(idle);
  j["cube_operations"] = report.cube_operations;
  j["clean"] = report.clean();
  j["definition"] = {
      {"combination", "one value per categorical attribute and one elementary interval (between the rules' "
                      "bounds) per numeric attribute some rule constrains"},
      {"coverage", "universe: all combinations; uncovered: those no rule matches (exact); shown: gap cubes "
                   "listed; not_shown: uncovered combinations in no listed cube"},
      {"gaps", "cubes of combinations no rule matches, largest first; maximal and may overlap; values: every "
               "attribute, \"any\" or the values (\"\" = empty) / intervals [min, max) (null = open end)"},
      {"shadowed", "rules every combination of which an earlier rule (priority, then file order) matches"},
      {"overlaps", "rule pairs with equal priority and different targets matching a common combination; the "
                   "earlier in file order wins"},
      {"unreachable_targets", "matched combinations that no candidate of the target can ever take (inactive, a "
                              "zero cap, weight 0 in weighted round robin, an unmapped lead_field value, skills)"},
      {"idle_managers", "managers no rule target or default pool can ever send a lead"},
  };
  return j;
}

}  // namespace dealflow::routing
