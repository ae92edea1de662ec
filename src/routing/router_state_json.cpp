// JSON form of RouterState (docs/routing.md, "State file").
#include <algorithm>
#include <limits>
#include <unordered_map>

#include "dealflow/io/atomic_file.h"
#include "dealflow/routing/router_state.h"

namespace dealflow::routing {

Json state_to_json(const RouterState& state, const TeamModel& team, const RuleSet& rules) {
  Json managers = Json::object();
  for (const Manager& m : team.managers()) {
    const std::uint32_t open = state.open_deals(m.id);
    auto days = state.assignment_days(m.id);
    if (open == 0 && days.empty()) continue;
    Json entry = Json::object();
    entry["open_deals"] = open;
    Json assigned = Json::object();
    for (const auto& [d, n] : days) assigned[d.to_string()] = n;
    entry["assigned"] = std::move(assigned);
    managers[m.key] = std::move(entry);
  }
  Json pools = Json::object();
  for (const Pool& p : rules.pools()) {
    Json entry = Json::object();
    const std::uint32_t next = state.cursor(p.id);
    if (const std::string& removed = state.removed_last_assigned(p.id); !removed.empty()) {
      entry["last_assigned"] = removed;  // as loaded: no drift to the key before it
    } else if (next > 0 && next <= team.managers_by_rank().size()) {
      entry["last_assigned"] = team.manager(team.managers_by_rank()[next - 1]).key;
    }
    Json weights = Json::object();
    for (std::size_t i = 0; i < p.members.size(); ++i) {
      const std::int64_t w = state.current_weight(p.id, i);
      if (w != 0) weights[team.manager(p.members[i]).key] = w;
    }
    if (!weights.empty()) entry["current_weights"] = std::move(weights);
    if (!entry.empty()) pools[p.key] = std::move(entry);
  }
  Json out = Json::object();
  out["format"] = "dealflow-router-state";
  out["version"] = 1;
  out["managers"] = std::move(managers);
  out["pools"] = std::move(pools);
  return out;
}

namespace {

Result<std::uint32_t> as_count(const JsonReader& node) {
  const Json& j = node.node();
  if (j.is_number_unsigned() || (j.is_number_integer() && j.get<std::int64_t>() >= 0)) {
    const auto v = j.get<std::uint64_t>();
    if (v < 0xFFFFFFFFu) return static_cast<std::uint32_t>(v);
  }
  return node.error("expected a non-negative integer count, got " + j.dump());
}

}  // namespace

Result<RouterState> parse_router_state(const JsonReader& root, const TeamModel& team, const RuleSet& rules) {
  DEALFLOW_RETURN_IF_ERROR(root.require_object());
  DEALFLOW_RETURN_IF_ERROR(root.reject_unknown_keys({"format", "version", "managers", "pools"}));
  auto format = root.optional_string("format", "dealflow-router-state");
  if (!format) return format.status();
  if (*format != "dealflow-router-state") {
    return root.error_at("format", "expected 'dealflow-router-state', got '" + *format + "'");
  }
  auto version = root.optional_integer("version", 1);
  if (!version) return version.status();
  if (*version != 1) return root.error_at("version", "unsupported state version " + std::to_string(*version));

  RouterState state(team.managers().size(), rules.pools());
  if (auto managers = root.get("managers")) {
    DEALFLOW_RETURN_IF_ERROR(managers->require_object());
    for (auto it = managers->node().begin(); it != managers->node().end(); ++it) {
      JsonReader entry = *managers->get(it.key());
      DEALFLOW_RETURN_IF_ERROR(entry.require_object());
      DEALFLOW_RETURN_IF_ERROR(entry.reject_unknown_keys({"open_deals", "assigned"}));
      auto id = team.find_manager(it.key());
      if (auto open = entry.get("open_deals")) {
        auto n = as_count(*open);
        if (!n) return n.status();
        if (id) state.set_open_deals(*id, *n);
      }
      if (auto assigned = entry.get("assigned")) {
        DEALFLOW_RETURN_IF_ERROR(assigned->require_object());
        // Oldest first so that newer dates win a shared slot.
        std::vector<std::pair<Date, std::uint32_t>> days;
        for (auto d = assigned->node().begin(); d != assigned->node().end(); ++d) {
          JsonReader count = *assigned->get(d.key());
          auto date = Date::parse(d.key());
          if (!date)
            return count.error("expected a YYYY-MM-DD date key, got '" + d.key() + "'",
                               ErrorCode::parse_error);
          auto n = as_count(count);
          if (!n) return n.status();
          days.emplace_back(*date, *n);
        }
        std::sort(days.begin(), days.end());
        if (id) {
          // A date older than the 30-day window no longer counts: dropped, as documented.
          for (const auto& [d, n] : days) (void)state.set_assigned_on(*id, d, n);
        }
      }
      // A manager the team no longer has: dropped.
    }
  }
  if (auto pools = root.get("pools")) {
    DEALFLOW_RETURN_IF_ERROR(pools->require_object());
    const auto& by_rank = team.managers_by_rank();
    for (auto it = pools->node().begin(); it != pools->node().end(); ++it) {
      JsonReader entry = *pools->get(it.key());
      DEALFLOW_RETURN_IF_ERROR(entry.require_object());
      DEALFLOW_RETURN_IF_ERROR(entry.reject_unknown_keys({"last_assigned", "current_weights"}));
      auto pool = rules.find_pool(it.key());
      if (auto last = entry.get("last_assigned")) {
        auto key = last->as_string();
        if (!key) return key.status();
        // Next turn: the first member whose key sorts after `key`, whether or
        // not that manager still exists (a removed one's key is kept for saving).
        auto pos =
            std::upper_bound(by_rank.begin(), by_rank.end(), *key,
                             [&](const std::string& k, ManagerId m) { return k < team.manager(m).key; });
        const auto next = static_cast<std::uint32_t>(pos - by_rank.begin());
        if (pool && team.find_manager(*key)) {
          state.set_cursor(*pool, next);
        } else if (pool) {
          state.set_cursor_after_removed(*pool, next, std::move(*key));
        }
      }
      if (auto weights = entry.get("current_weights")) {
        DEALFLOW_RETURN_IF_ERROR(weights->require_object());
        // Member -> position in the pool, so each weight is placed in O(1)
        // rather than by a scan of the members.
        std::unordered_map<std::uint32_t, std::size_t> position;
        if (pool) {
          const auto& members = rules.pool(*pool).members;
          for (std::size_t i = 0; i < members.size(); ++i) position.emplace(members[i].value(), i);
        }
        for (auto w = weights->node().begin(); w != weights->node().end(); ++w) {
          JsonReader value = *weights->get(w.key());
          const Json& w_json = value.node();
          if (!w_json.is_number_integer() ||
              (w_json.is_number_unsigned() &&
               w_json.get<std::uint64_t>() >
                   static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
            return value.error("expected an integer weight from -2^63 to 2^63 - 1, got " + w_json.dump());
          }
          if (!pool) continue;
          auto m = team.find_manager(w.key());
          if (!m) continue;
          if (auto pos = position.find(m->value()); pos != position.end()) {
            state.set_current_weight(*pool, pos->second, value.node().get<std::int64_t>());
          }
        }
      }
    }
  }
  return state;
}

Result<RouterState> load_router_state_file(const std::string& path, const TeamModel& team,
                                           const RuleSet& rules) {
  auto doc = load_json_file(path);
  if (!doc) return doc.status();
  return parse_router_state(JsonReader(*doc, path), team, rules);
}

Status save_router_state_file(const std::string& path, const RouterState& state, const TeamModel& team,
                              const RuleSet& rules) {
  const std::string text = dump_json(state_to_json(state, team, rules)) + "\n";
  return io::write_file_atomic(path, text);
}

}  // namespace dealflow::routing
