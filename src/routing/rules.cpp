#include "dealflow/routing/rules.h"

#include <algorithm>
#include <numeric>
#include <unordered_set>

namespace dealflow::routing {

std::string_view to_string(ConditionKind kind) noexcept {
  switch (kind) {
    case ConditionKind::any:
      return "any";
    case ConditionKind::in_set:
      return "in";
    case ConditionKind::not_in_set:
      return "not_in";
  }
  return "?";
}

std::string_view to_string(Strategy s) noexcept {
  switch (s) {
    case Strategy::round_robin:
      return "round_robin";
    case Strategy::weighted_round_robin:
      return "weighted_round_robin";
    case Strategy::least_loaded:
      return "least_loaded";
    case Strategy::lead_field:
      return "lead_field";
  }
  return "?";
}

std::optional<Strategy> parse_strategy(std::string_view text) noexcept {
  for (Strategy s : {Strategy::round_robin, Strategy::weighted_round_robin, Strategy::least_loaded,
                     Strategy::lead_field}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

std::string_view to_string(TargetKind kind) noexcept {
  switch (kind) {
    case TargetKind::manager:
      return "manager";
    case TargetKind::pool:
      return "pool";
    case TargetKind::account_owner:
      return "account_owner";
  }
  return "?";
}

bool Rule::accepts(AttributeId attribute, ValueCode code) const noexcept {
  const CategoricalCondition& c = conditions[attribute.value()];
  if (c.kind == ConditionKind::any) return true;
  if (code == kUnspecified) return c.kind == ConditionKind::not_in_set;
  return test_bit(accepted[attribute.value()], code);
}

std::optional<RuleId> RuleSet::find_rule(std::string_view key) const {
  auto it = rule_index_.find(std::string(key));
  if (it == rule_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<PoolId> RuleSet::find_pool(std::string_view key) const {
  auto it = pool_index_.find(std::string(key));
  if (it == pool_index_.end()) return std::nullopt;
  return it->second;
}

RuleSetBuilder::RuleSetBuilder(const TeamModel& team) : team_(&team) {
  cache_.rank.assign(team.managers().size(), 0);
  const auto& ranked = team.managers_by_rank();
  for (std::size_t i = 0; i < ranked.size(); ++i)
    cache_.rank[ranked[i].value()] = static_cast<std::uint32_t>(i);
  set_.manager_count_ = team.managers().size();
  set_.categorical_count_ = team.schema().categorical_count();
  set_.numeric_count_ = team.schema().numeric_count();
}

namespace {

// A pool resolved but not yet added to the set (so a failed rule adds nothing).
struct PendingPool {
  std::string key;
  std::optional<TeamId> team;
  std::vector<ManagerId> members;
  const std::vector<ManagerId>* team_members = nullptr;  // a team's cached pool, instead of `members`
  PoolTarget target;  // pool id filled on commit
};

Status invalid(std::string message, ErrorCode code = ErrorCode::validation_failed) {
  return Status(code, std::move(message));
}

// `members` (distinct managers) in the team's rank order, in O(k log k): the
// pool of one rule costs its own size, not the size of the team.
std::vector<ManagerId> by_rank(std::vector<ManagerId> members, const std::vector<std::uint32_t>& rank) {
  std::sort(members.begin(), members.end(),
            [&](ManagerId a, ManagerId b) { return rank[a.value()] < rank[b.value()]; });
  return members;
}

Result<PendingPool> resolve_pool(const TeamModel& team, const PoolSpec& spec, const std::string& own_key,
                                 PoolCache& cache) {
  const std::size_t n = team.managers().size();
  PendingPool p;
  p.target.strategy = spec.strategy;
  if (spec.strategy == Strategy::lead_field) {
    if (spec.team || !spec.managers.empty()) {
      return invalid(
          "strategy lead_field takes its managers from the field map; do not name a team or managers");
    }
    if (!spec.field) return invalid("strategy lead_field needs a field");
    if (spec.field->value() >= team.schema().categorical_count()) return invalid("unknown field attribute");
    if (spec.field_map.empty()) return invalid("strategy lead_field needs a non-empty map");
    const CategoricalAttribute& attr = team.schema().categorical(*spec.field);
    std::vector<ManagerId> direct(attr.size());
    std::unordered_set<std::uint32_t> in_pool;
    std::vector<ManagerId> members;
    for (const auto& [value, manager] : spec.field_map) {
      if (value >= attr.size()) return invalid("map value outside the field's domain");
      if (manager.value() >= n) return invalid("unknown manager in the map", ErrorCode::not_found);
      if (direct[value].valid()) {
        return invalid("value '" + std::string(attr.value_name(value)) + "' is mapped twice",
                       ErrorCode::duplicate);
      }
      direct[value] = manager;
      if (in_pool.insert(manager.value()).second) members.push_back(manager);
    }
    // Expand: an unmapped value takes its nearest mapped ancestor's manager.
    p.target.field = *spec.field;
    p.target.field_map.resize(attr.size());
    for (ValueCode v = 0; v < attr.size(); ++v) {
      for (ValueCode a = v; a != kUnspecified; a = attr.parent(a)) {
        if (direct[a].valid()) {
          p.target.field_map[v] = direct[a];
          break;
        }
      }
    }
    p.key = own_key;
    p.members = by_rank(std::move(members), cache.rank);
  } else {
    if (spec.field || !spec.field_map.empty()) {
      return invalid("a field map is only allowed with strategy lead_field");
    }
    if (spec.team && !spec.managers.empty())
      return invalid("a pool names either a team or managers, not both");
    if (spec.team) {
      if (spec.team->value() >= team.teams().size()) return invalid("unknown team", ErrorCode::not_found);
      const Team& t = team.team(*spec.team);
      p.team = *spec.team;
      p.key = "team:" + t.key;
      // pool_of_team walks the whole team: once per team, not once per rule.
      auto cached = cache.team_pools.find(spec.team->value());
      if (cached == cache.team_pools.end()) {
        cached = cache.team_pools.emplace(spec.team->value(), team.pool_of_team(*spec.team)).first;
      }
      if (cached->second.empty()) return invalid("pool is empty: team '" + t.key + "' has no members");
      p.team_members = &cached->second;  // not copied: most rules reuse an existing pool
    } else {
      if (spec.managers.empty()) return invalid("pool is empty: name a team or at least one manager");
      std::unordered_set<std::uint32_t> in_pool;
      for (ManagerId m : spec.managers) {
        if (m.value() >= n) return invalid("unknown manager", ErrorCode::not_found);
        if (!in_pool.insert(m.value()).second) {
          return invalid("manager '" + team.manager(m).key + "' is listed twice", ErrorCode::duplicate);
        }
      }
      p.key = own_key;
      p.members = by_rank(spec.managers, cache.rank);
    }
  }
  return p;
}

}  // namespace

Result<PoolTarget> RuleSetBuilder::make_pool_target(const PoolSpec& spec, const std::string& own_key) {
  auto pending = resolve_pool(*team_, spec, own_key, cache_);
  if (!pending) return pending.status();
  auto it = set_.pool_index_.find(pending->key);
  PoolId id;
  if (it != set_.pool_index_.end()) {
    id = it->second;
  } else {
    id = PoolId(static_cast<std::uint32_t>(set_.pools_.size()));
    std::vector<ManagerId> members =
        pending->team_members ? *pending->team_members : std::move(pending->members);
    set_.pools_.push_back(Pool{id, pending->key, pending->team, std::move(members)});
    set_.pool_index_.emplace(pending->key, id);
  }
  PoolTarget t = std::move(pending->target);
  t.pool = id;
  return t;
}

Result<RuleId> RuleSetBuilder::add_rule(RuleSpec spec) {
  const AttributeSchema& schema = team_->schema();
  if (spec.key.empty()) return invalid("rule id is empty", ErrorCode::invalid_argument);
  if (set_.rules_.size() >= kMaxRules) {
    return invalid("too many rules: more than " + std::to_string(kMaxRules) + " (at most " +
                       std::to_string(kMaxRules) + " rules are supported)",
                   ErrorCode::invalid_argument);
  }
  if (set_.rule_index_.count(spec.key))
    return invalid("duplicate rule id '" + spec.key + "'", ErrorCode::duplicate);

  Rule rule;
  rule.key = spec.key;
  rule.name = spec.name;
  rule.priority = spec.priority;
  rule.require_working_hours = spec.require_working_hours;
  rule.conditions.resize(schema.categorical_count());
  rule.accepted.resize(schema.categorical_count());
  for (std::size_t a = 0; a < schema.categorical_count(); ++a) {
    rule.conditions[a].attribute = AttributeId(static_cast<std::uint16_t>(a));
  }
  std::vector<bool> constrained(schema.categorical_count(), false);
  for (const CategoricalCondition& c : spec.conditions) {
    if (c.attribute.value() >= schema.categorical_count())
      return invalid("unknown attribute", ErrorCode::not_found);
    const CategoricalAttribute& attr = schema.categorical(c.attribute);
    if (constrained[c.attribute.value()]) return invalid("two conditions on '" + attr.name() + "'");
    constrained[c.attribute.value()] = true;
    if (c.kind != ConditionKind::any) {
      if (c.values.empty()) return invalid("condition on '" + attr.name() + "' has an empty value set");
      for (ValueCode v : c.values) {
        if (v >= attr.size()) return invalid("value outside the domain of '" + attr.name() + "'");
      }
      std::vector<std::uint64_t> mask = schema.expand(c.attribute, c.values);
      if (c.kind == ConditionKind::not_in_set) {
        for (auto& w : mask) w = ~w;
        if (attr.size() % 64 != 0) mask.back() &= (std::uint64_t{1} << (attr.size() % 64)) - 1;
      }
      rule.accepted[c.attribute.value()] = std::move(mask);
    }
    rule.conditions[c.attribute.value()] = c;
  }
  std::vector<bool> ranged(schema.numeric_count(), false);
  for (const NumericRange& r : spec.ranges) {
    if (r.attribute.value() >= schema.numeric_count())
      return invalid("unknown numeric attribute", ErrorCode::not_found);
    const std::string& name = schema.numeric(r.attribute).name;
    if (ranged[r.attribute.value()]) return invalid("two ranges on '" + name + "'");
    ranged[r.attribute.value()] = true;
    if (!r.min && !r.max) return invalid("range on '" + name + "' has neither min nor max");
    if (r.min && r.max && *r.min >= *r.max) {
      return invalid("range on '" + name + "' is empty: min " + std::to_string(*r.min) + " >= max " +
                     std::to_string(*r.max));
    }
  }
  rule.ranges = spec.ranges;

  // Validate the target fully before adding any pool.
  const TargetSpec& t = spec.target;
  rule.target.kind = t.kind;
  switch (t.kind) {
    case TargetKind::manager:
      if (!t.manager.valid() || t.manager.value() >= team_->managers().size()) {
        return invalid("unknown manager", ErrorCode::not_found);
      }
      if (t.pool || t.fallback) return invalid("a single-manager target takes no pool or fallback");
      rule.target.manager = t.manager;
      break;
    case TargetKind::pool:
      if (!t.pool) return invalid("a pool target needs a pool");
      if (t.fallback) return invalid("a fallback is only allowed with an account_owner target");
      DEALFLOW_RETURN_IF_ERROR(resolve_pool(*team_, *t.pool, "rule:" + spec.key, cache_).status());
      break;
    case TargetKind::account_owner:
      if (t.pool) return invalid("an account_owner target takes a fallback, not a pool");
      if (t.fallback)
        DEALFLOW_RETURN_IF_ERROR(
            resolve_pool(*team_, *t.fallback, "rule:" + spec.key + ":fallback", cache_).status());
      break;
  }
  if (t.kind == TargetKind::pool) {
    auto p = make_pool_target(*t.pool, "rule:" + spec.key);
    if (!p) return p.status();
    rule.target.pool = std::move(*p);
  } else if (t.kind == TargetKind::account_owner && t.fallback) {
    auto p = make_pool_target(*t.fallback, "rule:" + spec.key + ":fallback");
    if (!p) return p.status();
    rule.target.fallback = std::move(*p);
  }

  rule.file_index = static_cast<std::uint32_t>(set_.rules_.size());
  rule.id = RuleId(rule.file_index);
  set_.rule_index_.emplace(rule.key, rule.id);
  set_.rules_.push_back(std::move(rule));
  return set_.rules_.back().id;
}

Status RuleSetBuilder::set_default(PoolSpec pool, bool require_working_hours) {
  DEALFLOW_RETURN_IF_ERROR(resolve_pool(*team_, pool, "default", cache_).status());
  auto p = make_pool_target(pool, "default");
  if (!p) return p.status();
  set_.default_ = std::move(*p);
  set_.default_working_hours_ = require_working_hours;
  return {};
}

Result<RuleSet> RuleSetBuilder::build() && {
  std::stable_sort(set_.rules_.begin(), set_.rules_.end(),
                   [](const Rule& a, const Rule& b) { return a.priority < b.priority; });
  set_.rule_index_.clear();
  for (std::size_t i = 0; i < set_.rules_.size(); ++i) {
    set_.rules_[i].id = RuleId(static_cast<std::uint32_t>(i));
    set_.rule_index_.emplace(set_.rules_[i].key, set_.rules_[i].id);
  }
  return std::move(set_);
}

}  // namespace dealflow::routing
