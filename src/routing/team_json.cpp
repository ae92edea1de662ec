// Loader for the team file (docs/routing.md, "Team file").
#include <filesystem>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "dealflow/io/calendar_json.h"
#include "dealflow/routing/routing_json.h"

namespace dealflow::routing {
namespace {

// Calendar key -> index into TeamBuilder's calendars: a manager's calendar is
// found in O(1), not by a scan of every calendar.
using CalendarIndex = std::unordered_map<std::string, std::uint16_t>;

Result<std::uint32_t> read_count(const JsonReader& obj, std::string_view key, std::uint32_t fallback) {
  auto v = obj.optional_integer(key, fallback);
  if (!v) return v.status();
  if (*v < 0 || *v >= static_cast<std::int64_t>(Capacity::kUnlimited)) {
    return obj.error_at(key, "expected a non-negative integer below 4294967295, got " + std::to_string(*v));
  }
  return static_cast<std::uint32_t>(*v);
}

Status parse_attributes(const JsonReader& root, AttributeSchema& schema) {
  auto attrs = root.array("attributes", true);
  if (!attrs) return attrs.status();
  for (const JsonReader& a : *attrs) {
    DEALFLOW_RETURN_IF_ERROR(a.require_object());
    DEALFLOW_RETURN_IF_ERROR(a.reject_unknown_keys({"name", "type", "values", "children", "currency"}));
    auto name = a.required_string("name");
    if (!name) return name.status();
    auto type = a.optional_string("type", "categorical");
    if (!type) return type.status();
    if (*type == "categorical") {
      if (a.has("currency")) return a.error_at("currency", "only money attributes take a currency");
      auto values_node = a.get("values");
      if (!values_node) return a.error_at("values", "required array 'values' is missing");
      auto values = a.string_array("values");
      if (!values) return values.status();
      if (values->empty()) return values_node->error("attribute '" + *name + "' declares no values");
      std::unordered_set<std::string_view> declared;  // O(1) per value, not a scan of the earlier ones
      declared.reserve(values->size());
      for (std::size_t i = 0; i < values->size(); ++i) {
        if (!declared.insert((*values)[i]).second) {
          return values_node->at(i).error("value '" + (*values)[i] + "' is declared twice",
                                          ErrorCode::duplicate);
        }
      }
      auto id = schema.add_categorical(*name, *values);
      if (!id) return id.status().with_location(a.location());
      if (auto children = a.get("children")) {
        DEALFLOW_RETURN_IF_ERROR(children->require_object());
        for (auto it = children->node().begin(); it != children->node().end(); ++it) {
          JsonReader parent = *children->get(it.key());
          auto kids = parent.elements();
          if (!kids) return kids.status();
          for (const JsonReader& kid : *kids) {
            auto child_name = kid.as_string();
            if (!child_name) return child_name.status();
            Status s = schema.add_child(*id, it.key(), *child_name);
            if (!s.ok()) {
              // Unknown parent: point at the key; anything else at the child.
              if (!schema.categorical(*id).find(it.key())) return s.with_location(parent.location());
              return s.with_location(kid.location());
            }
          }
        }
      }
    } else if (*type == "money" || *type == "integer") {
      if (a.has("values") || a.has("children")) {
        return a.error("numeric attribute '" + *name + "' takes no values or children");
      }
      Currency currency;
      if (*type == "money") {
        auto code = a.required_string("currency");
        if (!code) return code.status();
        auto c = Currency::parse(*code);
        if (!c) return a.error_at("currency", c.status().message(), ErrorCode::parse_error);
        currency = *c;
      } else if (a.has("currency")) {
        return a.error_at("currency", "only money attributes take a currency");
      }
      auto id =
          schema.add_numeric(*name, *type == "money" ? NumericKind::money : NumericKind::integer, currency);
      if (!id) return id.status().with_location(a.location());
    } else {
      return a.error_at("type",
                        "unknown attribute type '" + *type + "': expected categorical, money or integer");
    }
  }
  return {};
}

Result<Date> read_date(const JsonReader& obj, std::string_view key) {
  auto node = obj.get(key);
  if (!node) return obj.error_at(key, "required date '" + std::string(key) + "' is missing");
  auto text = node->as_string();
  if (!text) return text.status();
  auto d = Date::parse(*text);
  if (!d) return node->error(d.status().message(), ErrorCode::parse_error);
  return *d;
}

Result<ManagerSpec> parse_manager(const JsonReader& m, const TeamBuilder& builder,
                                  const CalendarIndex& calendars) {
  DEALFLOW_RETURN_IF_ERROR(m.require_object());
  DEALFLOW_RETURN_IF_ERROR(m.reject_unknown_keys(
      {"id", "name", "active", "absences", "calendar", "weight", "capacity", "skills"}));
  ManagerSpec spec;
  auto id = m.required_string("id");
  if (!id) return id.status();
  if (builder.find_manager(*id))
    return m.error_at("id", "duplicate manager id '" + *id + "'", ErrorCode::duplicate);
  spec.key = *id;
  auto name = m.optional_string("name", *id);
  if (!name) return name.status();
  spec.name = *name;
  auto active = m.optional_bool("active", true);
  if (!active) return active.status();
  spec.active = *active;
  auto weight = read_count(m, "weight", 1);
  if (!weight) return weight.status();
  spec.weight = *weight;
  if (auto cal = m.get("calendar")) {
    auto key = cal->as_string();
    if (!key) return key.status();
    auto found = calendars.find(*key);
    if (found == calendars.end()) return cal->error("unknown calendar '" + *key + "'", ErrorCode::not_found);
    spec.calendar = found->second;
  }
  if (auto cap = m.get("capacity")) {
    DEALFLOW_RETURN_IF_ERROR(cap->require_object());
    DEALFLOW_RETURN_IF_ERROR(cap->reject_unknown_keys({"max_open_deals", "daily", "rolling_30_days"}));
    auto open = read_count(*cap, "max_open_deals", Capacity::kUnlimited - 1);
    auto daily = read_count(*cap, "daily", Capacity::kUnlimited - 1);
    auto rolling = read_count(*cap, "rolling_30_days", Capacity::kUnlimited - 1);
    if (!open) return open.status();
    if (!daily) return daily.status();
    if (!rolling) return rolling.status();
    spec.capacity.max_open_deals = cap->has("max_open_deals") ? *open : Capacity::kUnlimited;
    spec.capacity.daily = cap->has("daily") ? *daily : Capacity::kUnlimited;
    spec.capacity.rolling_30_days = cap->has("rolling_30_days") ? *rolling : Capacity::kUnlimited;
  }
  auto absences = m.array("absences");
  if (!absences) return absences.status();
  for (const JsonReader& a : *absences) {
    DEALFLOW_RETURN_IF_ERROR(a.require_object());
    DEALFLOW_RETURN_IF_ERROR(a.reject_unknown_keys({"from", "to", "reason"}));
    auto from = read_date(a, "from");
    if (!from) return from.status();
    Date to = *from;
    if (a.has("to")) {
      auto t = read_date(a, "to");
      if (!t) return t.status();
      to = *t;
    }
    if (to < *from) {
      return a.error_at("to",
                        "absence ends (" + to.to_string() + ") before it starts (" + from->to_string() + ")");
    }
    spec.absences.push_back(DateRange{*from, to});
  }
  const AttributeSchema& schema = builder.schema();
  spec.skills.by_attribute.resize(schema.categorical_count());
  if (auto skills = m.get("skills")) {
    DEALFLOW_RETURN_IF_ERROR(skills->require_object());
    for (auto it = skills->node().begin(); it != skills->node().end(); ++it) {
      JsonReader axis = *skills->get(it.key());
      auto attr = schema.find_categorical(it.key());
      if (!attr) {
        return axis.error("unknown attribute '" + it.key() + "' (skills name categorical attributes)",
                          ErrorCode::not_found);
      }
      auto values = axis.elements();
      if (!values) return values.status();
      for (const JsonReader& v : *values) {
        auto text = v.as_string();
        if (!text) return text.status();
        auto code = schema.categorical(*attr).find(*text);
        if (!code) {
          return v.error("'" + *text + "' is not a declared value of '" + it.key() + "'",
                         ErrorCode::not_found);
        }
        spec.skills.by_attribute[attr->value()].push_back(*code);
      }
    }
  }
  return spec;
}

Result<std::optional<ManagerId>> find_manager_at(const JsonReader& node, const TeamBuilder& builder) {
  auto key = node.as_string();
  if (!key) return key.status();
  auto m = builder.find_manager(*key);
  if (!m) return node.error("unknown manager '" + *key + "'", ErrorCode::not_found);
  return std::optional<ManagerId>(*m);
}

}  // namespace

Result<TeamModel> parse_team(const JsonReader& root) {
  DEALFLOW_RETURN_IF_ERROR(root.require_object());
  DEALFLOW_RETURN_IF_ERROR(
      root.reject_unknown_keys({"name", "attributes", "calendars", "default_calendar", "managers", "teams"}));
  AttributeSchema schema;
  DEALFLOW_RETURN_IF_ERROR(parse_attributes(root, schema));
  TeamBuilder builder(std::move(schema));

  CalendarIndex calendar_index{{"always", 0}};
  if (auto cals = root.get("calendars")) {
    DEALFLOW_RETURN_IF_ERROR(cals->require_object());
    for (auto it = cals->node().begin(); it != cals->node().end(); ++it) {
      JsonReader c = *cals->get(it.key());
      Result<BusinessCalendar> cal = Status(ErrorCode::invalid_argument, "unset");
      if (c.node().is_string()) {
        // A path relative to the team file.
        std::filesystem::path p(c.node().get<std::string>());
        if (p.is_relative()) p = std::filesystem::path(root.file()).parent_path() / p;
        cal = load_calendar_file(p.string());
        if (!cal) return cal.status().with_location(c.location());
      } else {
        cal = parse_calendar(c);
        if (!cal) return cal.status();
      }
      auto idx = builder.add_calendar(it.key(), std::move(*cal));
      if (!idx) return idx.status().with_location(c.location());
      calendar_index.emplace(it.key(), *idx);
    }
  }
  if (auto def = root.get("default_calendar")) {
    auto key = def->as_string();
    if (!key) return key.status();
    auto found = calendar_index.find(*key);
    if (found == calendar_index.end())
      return def->error("unknown calendar '" + *key + "'", ErrorCode::not_found);
    DEALFLOW_RETURN_IF_ERROR(builder.set_default_calendar(found->second));
  }

  auto managers = root.array("managers", true);
  if (!managers) return managers.status();
  if (managers->empty()) return root.get("managers")->error("the team has no managers");
  for (const JsonReader& m : *managers) {
    auto spec = parse_manager(m, builder, calendar_index);
    if (!spec) return spec.status();
    auto id = builder.add_manager(std::move(*spec));
    if (!id) return id.status().with_location(m.location());
  }

  // Teams: first create all (members, head), then link parents so a team may
  // name a parent declared after it.
  auto teams = root.array("teams");
  if (!teams) return teams.status();
  std::vector<std::pair<TeamId, JsonReader>> parents;
  for (const JsonReader& t : *teams) {
    DEALFLOW_RETURN_IF_ERROR(t.require_object());
    DEALFLOW_RETURN_IF_ERROR(t.reject_unknown_keys({"id", "name", "head", "members", "parent"}));
    TeamSpec spec;
    auto id = t.required_string("id");
    if (!id) return id.status();
    if (builder.find_team(*id))
      return t.error_at("id", "duplicate team id '" + *id + "'", ErrorCode::duplicate);
    spec.key = *id;
    auto name = t.optional_string("name", *id);
    if (!name) return name.status();
    spec.name = *name;
    if (auto head = t.get("head")) {
      auto m = find_manager_at(*head, builder);
      if (!m) return m.status();
      spec.head = *m;
    }
    auto members = t.array("members");
    if (!members) return members.status();
    std::unordered_set<std::uint32_t> listed;
    for (const JsonReader& member : *members) {
      auto m = find_manager_at(member, builder);
      if (!m) return m.status();
      if (!listed.insert((**m).value()).second) {
        return member.error("manager is listed twice in team '" + *id + "'", ErrorCode::duplicate);
      }
      spec.members.push_back(**m);
    }
    auto team_id = builder.add_team(std::move(spec));
    if (!team_id) return team_id.status().with_location(t.location());
    if (auto parent = t.get("parent")) parents.emplace_back(*team_id, *parent);
  }
  for (const auto& [child, parent_node] : parents) {
    auto key = parent_node.as_string();
    if (!key) return key.status();
    auto parent = builder.find_team(*key);
    if (!parent) return parent_node.error("unknown team '" + *key + "'", ErrorCode::not_found);
    Status s = builder.set_team_parent(child, *parent);
    if (!s.ok()) return s.with_location(parent_node.location());
  }
  auto model = std::move(builder).build();
  if (!model) return model.status().with_location(root.location());
  return model;
}

Result<TeamModel> load_team_file(const std::string& path) {
  auto doc = load_json_file(path);
  if (!doc) return doc.status();
  return parse_team(JsonReader(*doc, path));
}

}  // namespace dealflow::routing
