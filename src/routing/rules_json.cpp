// Loader for the rules file (docs/routing.md, "Rules file").
#include <charconv>
#include <limits>
#include <string_view>
#include <unordered_set>

#include "dealflow/routing/routing_json.h"

namespace dealflow::routing {
namespace {

Result<std::int64_t> parse_numeric_value(const JsonReader& node, const NumericAttribute& attr) {
  const Json& j = node.node();
  if (attr.kind == NumericKind::money) {
    std::string text;
    if (j.is_string()) {
      text = j.get<std::string>();
    } else if (j.is_number()) {
      text = j.dump();
    } else {
      return node.error("expected an amount (string or number), got " + std::string(json_type_name(j)));
    }
    auto m = Money::parse(text, attr.currency);
    if (!m) return node.error(m.status().message(), ErrorCode::parse_error);
    return m->minor_units();
  }
  // nlohmann stores non-negative integers as unsigned and is_number_integer()
  // is true for them too: test unsigned first, or 2^63 and above wrap negative.
  if (j.is_number_unsigned()) {
    const auto u = j.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return node.error("integer out of range: " + j.dump() + " (at most 9223372036854775807)");
    }
    return static_cast<std::int64_t>(u);
  }
  if (j.is_number_integer()) return j.get<std::int64_t>();
  if (j.is_string()) {
    const std::string s = j.get<std::string>();
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return v;
    if (ec == std::errc::result_out_of_range) {
      return node.error("integer out of range: '" + s +
                        "' (from -9223372036854775808 to 9223372036854775807)");
    }
    return node.error("expected an integer, got '" + s + "'", ErrorCode::parse_error);
  }
  return node.error("expected an integer, got " +
                    (j.is_number() ? j.dump() : std::string(json_type_name(j))));
}

Result<std::vector<ValueCode>> read_values(const JsonReader& node, const CategoricalAttribute& attr) {
  std::vector<JsonReader> items;
  if (node.node().is_string()) {
    items.push_back(node);
  } else {
    auto elements = node.elements();
    if (!elements) {
      return node.error("expected a value, an array of values, or {\"in\": [...]} / {\"not_in\": [...]}");
    }
    items = std::move(*elements);
    if (items.empty()) return node.error("empty value set for '" + attr.name() + "'");
  }
  std::vector<ValueCode> codes;
  std::vector<bool> listed(attr.size(), false);  // the duplicate check is O(1) per value
  for (const JsonReader& item : items) {
    auto text = item.as_string();
    if (!text) return text.status();
    auto code = attr.find(*text);
    if (!code) {
      std::string domain;
      for (ValueCode v = 0; v < attr.size() && v < 12; ++v)
        domain += (v ? ", " : "") + std::string(attr.value_name(v));
      if (attr.size() > 12) domain += ", ...";
      return item.error(
          "'" + *text + "' is not a declared value of '" + attr.name() + "' (declared: " + domain + ")",
          ErrorCode::not_found);
    }
    if (listed[*code]) return item.error("value '" + *text + "' is listed twice", ErrorCode::duplicate);
    listed[*code] = true;
    codes.push_back(*code);
  }
  return codes;
}

Status parse_when(const JsonReader& when, const AttributeSchema& schema, RuleSpec& spec) {
  DEALFLOW_RETURN_IF_ERROR(when.require_object());
  for (auto it = when.node().begin(); it != when.node().end(); ++it) {
    JsonReader cond = *when.get(it.key());
    if (auto attr = schema.find_categorical(it.key())) {
      CategoricalCondition c;
      c.attribute = *attr;
      const CategoricalAttribute& a = schema.categorical(*attr);
      if (cond.node().is_object()) {
        DEALFLOW_RETURN_IF_ERROR(cond.reject_unknown_keys({"in", "not_in"}));
        if (cond.has("in") == cond.has("not_in"))
          return cond.error("expected exactly one of 'in' or 'not_in'");
        const bool in = cond.has("in");
        c.kind = in ? ConditionKind::in_set : ConditionKind::not_in_set;
        auto values = read_values(*cond.get(in ? "in" : "not_in"), a);
        if (!values) return values.status();
        c.values = std::move(*values);
      } else {
        c.kind = ConditionKind::in_set;
        auto values = read_values(cond, a);
        if (!values) return values.status();
        c.values = std::move(*values);
      }
      spec.conditions.push_back(std::move(c));
    } else if (auto num = schema.find_numeric(it.key())) {
      DEALFLOW_RETURN_IF_ERROR(cond.require_object());
      DEALFLOW_RETURN_IF_ERROR(cond.reject_unknown_keys({"min", "max"}));
      NumericRange r;
      r.attribute = *num;
      for (const char* bound : {"min", "max"}) {
        if (auto b = cond.get(bound)) {
          auto v = parse_numeric_value(*b, schema.numeric(*num));
          if (!v) return v.status();
          (std::string_view(bound) == "min" ? r.min : r.max) = *v;
        }
      }
      if (!r.min && !r.max) return cond.error("a range needs 'min', 'max' or both");
      if (r.min && r.max && *r.min >= *r.max) {
        return cond.error("empty range: min must be below max (the range is [min, max))");
      }
      spec.ranges.push_back(r);
    } else {
      std::string names;
      for (const auto& a : schema.categorical_attributes()) names += (names.empty() ? "" : ", ") + a.name();
      for (const auto& a : schema.numeric_attributes()) names += (names.empty() ? "" : ", ") + a.name;
      return cond.error("unknown attribute '" + it.key() + "' (declared in the team file: " + names + ")",
                        ErrorCode::not_found);
    }
  }
  return {};
}

Result<ManagerId> manager_at(const JsonReader& node, const TeamModel& team) {
  auto key = node.as_string();
  if (!key) return key.status();
  auto m = team.find_manager(*key);
  if (!m) return node.error("unknown manager '" + *key + "'", ErrorCode::not_found);
  return *m;
}

Result<PoolSpec> parse_pool(const JsonReader& node, const TeamModel& team) {
  PoolSpec spec;
  auto strategy = node.optional_string("strategy", "round_robin");
  if (!strategy) return strategy.status();
  auto s = parse_strategy(*strategy);
  if (!s) {
    return node.error_at("strategy",
                         "unknown strategy '" + *strategy +
                             "': expected round_robin, weighted_round_robin, least_loaded or lead_field");
  }
  spec.strategy = *s;
  if (auto t = node.get("team")) {
    auto key = t->as_string();
    if (!key) return key.status();
    auto id = team.find_team(*key);
    if (!id) return t->error("unknown team '" + *key + "'", ErrorCode::not_found);
    if (team.pool_of_team(*id).empty()) return t->error("pool is empty: team '" + *key + "' has no members");
    spec.team = *id;
  }
  if (auto list = node.get("managers")) {
    auto items = list->elements();
    if (!items) return items.status();
    if (items->empty()) return list->error("pool is empty: 'managers' lists nobody");
    std::vector<bool> listed(team.managers().size(), false);
    for (const JsonReader& item : *items) {
      auto m = manager_at(item, team);
      if (!m) return m.status();
      if (listed[m->value()]) return item.error("manager is listed twice", ErrorCode::duplicate);
      listed[m->value()] = true;
      spec.managers.push_back(*m);
    }
  }
  if (auto f = node.get("field")) {
    auto name = f->as_string();
    if (!name) return name.status();
    auto attr = team.schema().find_categorical(*name);
    if (!attr) return f->error("unknown attribute '" + *name + "'", ErrorCode::not_found);
    spec.field = *attr;
  }
  if (auto map = node.get("map")) {
    DEALFLOW_RETURN_IF_ERROR(map->require_object());
    if (!spec.field) return node.error_at("field", "a 'map' needs the 'field' it maps");
    const CategoricalAttribute& attr = team.schema().categorical(*spec.field);
    if (map->node().empty()) return map->error("the map is empty");
    for (auto it = map->node().begin(); it != map->node().end(); ++it) {
      JsonReader entry = *map->get(it.key());
      auto code = attr.find(it.key());
      if (!code) {
        return entry.error("'" + it.key() + "' is not a declared value of '" + attr.name() + "'",
                           ErrorCode::not_found);
      }
      auto m = manager_at(entry, team);
      if (!m) return m.status();
      spec.field_map.emplace_back(*code, *m);
    }
  }
  if (spec.strategy == Strategy::lead_field) {
    if (!spec.field) return node.error_at("field", "strategy lead_field needs a 'field'");
    if (spec.field_map.empty())
      return node.error_at("map", "strategy lead_field needs a 'map' of value -> manager");
    if (spec.team || !spec.managers.empty()) {
      return node.error("strategy lead_field takes its managers from 'map'; remove 'team' / 'managers'");
    }
  } else {
    if (spec.field || !spec.field_map.empty()) {
      return node.error("'field' and 'map' are only used with strategy lead_field");
    }
    if (spec.team && !spec.managers.empty())
      return node.error("a pool names either 'team' or 'managers', not both");
    if (!spec.team && spec.managers.empty()) return node.error("pool is empty: name a 'team' or 'managers'");
  }
  return spec;
}

Result<TargetSpec> parse_target(const JsonReader& node, const TeamModel& team) {
  DEALFLOW_RETURN_IF_ERROR(node.require_object());
  if (node.has("manager")) {
    DEALFLOW_RETURN_IF_ERROR(node.reject_unknown_keys({"manager"}));
    auto m = manager_at(*node.get("manager"), team);
    if (!m) return m.status();
    return TargetSpec::single(*m);
  }
  if (node.has("account_owner")) {
    DEALFLOW_RETURN_IF_ERROR(node.reject_unknown_keys({"account_owner", "fallback"}));
    auto flag = node.optional_bool("account_owner", false);
    if (!flag) return flag.status();
    if (!*flag) return node.error_at("account_owner", "expected true (omit the key for other targets)");
    std::optional<PoolSpec> fallback;
    if (auto f = node.get("fallback")) {
      DEALFLOW_RETURN_IF_ERROR(f->require_object());
      DEALFLOW_RETURN_IF_ERROR(f->reject_unknown_keys({"team", "managers", "strategy", "field", "map"}));
      auto p = parse_pool(*f, team);
      if (!p) return p.status();
      fallback = std::move(*p);
    }
    return TargetSpec::owner(std::move(fallback));
  }
  DEALFLOW_RETURN_IF_ERROR(node.reject_unknown_keys({"team", "managers", "strategy", "field", "map"}));
  auto p = parse_pool(node, team);
  if (!p) return p.status();
  return TargetSpec::of_pool(std::move(*p));
}

}  // namespace

Result<RuleSet> parse_rules(const JsonReader& root, const TeamModel& team) {
  DEALFLOW_RETURN_IF_ERROR(root.require_object());
  DEALFLOW_RETURN_IF_ERROR(root.reject_unknown_keys({"name", "rules", "default"}));
  RuleSetBuilder builder(team);
  // Counted before a reader is made for every element (a million rules took minutes).
  if (auto list = root.get("rules"); list && list->node().is_array() && list->node().size() > kMaxRules) {
    return list->error("too many rules: " + std::to_string(list->node().size()) + ", expected at most " +
                       std::to_string(kMaxRules) + " (the maximum number of routing rules)");
  }
  auto rules = root.array("rules", true);
  if (!rules) return rules.status();
  // Rule ids seen so far, for the duplicate check: a hash set, so the check is
  // O(1) per rule (a std::find over a vector made 100 000 rules take 10 s).
  // The views point into the document, which outlives the loop.
  std::unordered_set<std::string_view> seen;
  seen.reserve(rules->size());
  for (const JsonReader& r : *rules) {
    DEALFLOW_RETURN_IF_ERROR(r.require_object());
    DEALFLOW_RETURN_IF_ERROR(
        r.reject_unknown_keys({"id", "name", "priority", "when", "working_hours", "target"}));
    RuleSpec spec;
    auto id = r.required_string("id");
    if (!id) return id.status();
    if (!seen.insert(r.node().at("id").get_ref<const std::string&>()).second) {
      return r.error_at("id", "duplicate rule id '" + *id + "'", ErrorCode::duplicate);
    }
    spec.key = *id;
    auto name = r.optional_string("name", "");
    if (!name) return name.status();
    spec.name = *name;
    auto priority = r.optional_integer("priority", 100);
    if (!priority) return priority.status();
    if (*priority < -1000000000 || *priority > 1000000000)
      return r.error_at("priority", "priority out of range");
    spec.priority = static_cast<int>(*priority);
    auto hours = r.optional_bool("working_hours", false);
    if (!hours) return hours.status();
    spec.require_working_hours = *hours;
    if (auto when = r.get("when")) DEALFLOW_RETURN_IF_ERROR(parse_when(*when, team.schema(), spec));
    auto target_node = r.get("target");
    if (!target_node) return r.error_at("target", "required object 'target' is missing");
    auto target = parse_target(*target_node, team);
    if (!target) return target.status();
    spec.target = std::move(*target);
    auto added = builder.add_rule(std::move(spec));
    if (!added) return added.status().with_location(r.location());
  }
  if (auto def = root.get("default")) {
    DEALFLOW_RETURN_IF_ERROR(def->require_object());
    DEALFLOW_RETURN_IF_ERROR(
        def->reject_unknown_keys({"team", "managers", "strategy", "field", "map", "working_hours"}));
    auto p = parse_pool(*def, team);
    if (!p) return p.status();
    auto hours = def->optional_bool("working_hours", false);
    if (!hours) return hours.status();
    Status s = builder.set_default(std::move(*p), *hours);
    if (!s.ok()) return s.with_location(def->location());
  }
  auto set = std::move(builder).build();
  if (!set) return set.status().with_location(root.location());
  return set;
}

Result<RuleSet> load_rules_file(const std::string& path, const TeamModel& team) {
  // No array of a rules file may hold more elements than there may be rules:
  // the parser stops at rule kMaxRules + 1 instead of building a huge document.
  auto doc = load_json_file(path, kMaxRules);
  if (!doc) {
    if (doc.status().location().json_path == "/rules") {
      return Status(ErrorCode::parse_error,
                    "too many rules: more than " + std::to_string(kMaxRules) + ", expected at most " +
                        std::to_string(kMaxRules) + " (the maximum number of routing rules)",
                    doc.status().location());
    }
    return doc.status();
  }
  return parse_rules(JsonReader(*doc, path), team);
}

Result<RoutingConfig> load_routing_files(const std::string& team_path, const std::string& rules_path) {
  auto team = load_team_file(team_path);
  if (!team) return team.status();
  auto rules = load_rules_file(rules_path, *team);
  if (!rules) return rules.status();
  return RoutingConfig{std::move(*team), std::move(*rules)};
}

}  // namespace dealflow::routing
