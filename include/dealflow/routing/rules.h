// dealflow/routing/rules.h: the ordered routing rule list and its targets.
//
// A `RuleSet` is a validated, immutable list of rules over a TeamModel's
// attribute schema (the declared domains, attributes.h). Rules are evaluated
// in ascending `priority` (1 before 2), ties in file order; the first rule that
// matches a lead and whose target has an eligible manager wins (router.h).
// RuleId is the position in that evaluation order (0 = evaluated first).
//
// A rule has one condition per categorical attribute (`any`, `in` a set,
// `not_in` a set; a parent value stands for its whole subtree), optional
// numeric ranges [min, max) on numeric attributes (a lead without that value
// does not match a range), a flag asking that managers be within working
// hours, and a target:
//   - one manager;
//   - a pool (a team, meaning its whole subtree of members, or an explicit
//     list of managers) with a strategy: round robin, smooth weighted round
//     robin, least loaded (open deals), or based on a lead field (a value ->
//     manager map; a parent value's entry covers unmapped descendants);
//   - the account owner (the lead's known owner, for repeat business), with an
//     optional fallback pool used when there is no owner or the owner is not
//     eligible.
// A RuleSet may have a default pool tried when no matching rule yields a
// manager; like a rule, it may ask that its managers be within working hours
// (then an off-shift lead nobody else takes stays unassigned rather than go
// to an off-shift manager).
//
// Pools are identified by a stable key that names their persisted router
// state: "team:<team key>" for any pool naming a team (a rule's target, a
// fallback or the default pool: they share one cursor, the team being one
// rotation), "rule:<rule key>" for a rule's own list or lead_field map,
// "rule:<rule key>:fallback" for a fallback's own list or map, and "default"
// for a default pool with its own list or map.
//
// Ownership: RuleSet owns its rules and pools and refers to managers and
// attributes only by dense id; it must be used with the TeamModel it was
// built against (Router::compile checks the sizes).
// Thread-safety: immutable after build(); const methods safe from any thread.
//
// Example:
//   RuleSetBuilder b(team);
//   RuleSpec r; r.key = "siberia"; r.priority = 10;
//   r.conditions.push_back({*schema.find_categorical("region"), ConditionKind::in_set,
//                          {*schema.categorical(region).find("Сибирь")}});
//   r.target = TargetSpec::single(*team.find_manager("m-sokolov"));
//   DEALFLOW_RETURN_IF_ERROR(b.add_rule(std::move(r)).status());
//   Result<RuleSet> rules = std::move(b).build();
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dealflow/core/ids.h"
#include "dealflow/core/status.h"
#include "dealflow/routing/attributes.h"
#include "dealflow/routing/team.h"

namespace dealflow::routing {

// The most rules a RuleSet holds (docs/limits.md): a routing table is written
// by people; 100 000 rules load in well under a second, a million is a
// generated or hostile file. RuleSetBuilder::add_rule and parse_rules refuse more.
inline constexpr std::size_t kMaxRules = 100'000;

using PoolId = StrongId<struct PoolIdTag>;

enum class ConditionKind : std::uint8_t { any, in_set, not_in_set };

// "any" | "in" | "not_in".
std::string_view to_string(ConditionKind kind) noexcept;

struct CategoricalCondition {
  AttributeId attribute;
  ConditionKind kind = ConditionKind::any;
  std::vector<ValueCode> values;  // as declared (may be parent values)
};

// Half-open [min, max) on a numeric attribute; an absent bound is open.
struct NumericRange {
  NumericAttributeId attribute;
  std::optional<std::int64_t> min;  // inclusive (money: minor units)
  std::optional<std::int64_t> max;  // exclusive
  bool contains(std::int64_t v) const noexcept { return (!min || v >= *min) && (!max || v < *max); }
};

enum class Strategy : std::uint8_t {
  round_robin,           // next eligible after the last assigned, in stable-key order
  weighted_round_robin,  // smooth weighted round robin (nginx); weight 0 takes nothing
  least_loaded,          // fewest open deals; ties: round-robin order
  lead_field,            // the lead's value of a field picks the manager
};

// "round_robin" | "weighted_round_robin" | "least_loaded" | "lead_field".
std::string_view to_string(Strategy s) noexcept;
std::optional<Strategy> parse_strategy(std::string_view text) noexcept;

enum class TargetKind : std::uint8_t { manager, pool, account_owner };

std::string_view to_string(TargetKind kind) noexcept;

struct Pool {
  PoolId id;
  std::string key;                 // state key, see above
  std::optional<TeamId> team;      // when the pool is a team
  std::vector<ManagerId> members;  // rank order, unique, never empty
};

// A pool with the strategy that picks from it.
struct PoolTarget {
  PoolId pool;
  Strategy strategy = Strategy::round_robin;
  // lead_field only: the field and, per value code of that field, the manager
  // (hierarchy expanded: an unmapped value inherits its nearest mapped
  // ancestor's manager); invalid ManagerId = unmapped.
  AttributeId field;
  std::vector<ManagerId> field_map;
};

struct Target {
  TargetKind kind = TargetKind::pool;
  ManagerId manager;                   // kind == manager
  std::optional<PoolTarget> pool;      // kind == pool
  std::optional<PoolTarget> fallback;  // kind == account_owner (optional)
};

struct Rule {
  RuleId id;                 // position in evaluation order
  std::uint32_t file_index;  // position in the file / insertion order
  std::string key;           // stable id, unique
  std::string name;          // for people; may be empty
  int priority = 100;
  // One entry per categorical attribute of the schema, indexed by AttributeId
  // (kind any when the rule does not constrain it).
  std::vector<CategoricalCondition> conditions;
  // Per condition, the accepted value codes with the hierarchy expanded
  // (bitmask; for not_in_set the complement is already taken). Empty for any.
  std::vector<std::vector<std::uint64_t>> accepted;
  std::vector<NumericRange> ranges;
  bool require_working_hours = false;
  Target target;

  // Whether the condition on `attribute` accepts `code` (kUnspecified is
  // accepted by any and not_in, rejected by in).
  bool accepts(AttributeId attribute, ValueCode code) const noexcept;
};

// Declarations for RuleSetBuilder; values are validated against the team.
struct PoolSpec {
  std::optional<TeamId> team;       // either a team ...
  std::vector<ManagerId> managers;  // ... or an explicit, non-empty list
  Strategy strategy = Strategy::round_robin;
  // lead_field: the field and value -> manager entries (declared values).
  std::optional<AttributeId> field;
  std::vector<std::pair<ValueCode, ManagerId>> field_map;
};

struct TargetSpec {
  TargetKind kind = TargetKind::pool;
  ManagerId manager;
  std::optional<PoolSpec> pool;
  std::optional<PoolSpec> fallback;

  static TargetSpec single(ManagerId m) {
    TargetSpec t;
    t.kind = TargetKind::manager;
    t.manager = m;
    return t;
  }
  static TargetSpec of_pool(PoolSpec p) {
    TargetSpec t;
    t.kind = TargetKind::pool;
    t.pool = std::move(p);
    return t;
  }
  static TargetSpec owner(std::optional<PoolSpec> fallback) {
    TargetSpec t;
    t.kind = TargetKind::account_owner;
    t.fallback = std::move(fallback);
    return t;
  }
};

struct RuleSpec {
  std::string key;
  std::string name;
  int priority = 100;
  std::vector<CategoricalCondition> conditions;  // at most one per attribute
  std::vector<NumericRange> ranges;
  bool require_working_hours = false;
  TargetSpec target;
};

class RuleSet {
 public:
  // In evaluation order: rules()[i].id == RuleId(i).
  const std::vector<Rule>& rules() const noexcept { return rules_; }
  const Rule& rule(RuleId id) const { return rules_[id.value()]; }
  const std::vector<Pool>& pools() const noexcept { return pools_; }
  const Pool& pool(PoolId id) const { return pools_[id.value()]; }
  const std::optional<PoolTarget>& default_pool() const noexcept { return default_; }
  // Whether the default pool only takes managers within working hours.
  bool default_requires_working_hours() const noexcept { return default_working_hours_; }
  std::optional<RuleId> find_rule(std::string_view key) const;
  std::optional<PoolId> find_pool(std::string_view key) const;

  // Size fingerprint of the TeamModel this set was built against.
  std::size_t manager_count() const noexcept { return manager_count_; }
  std::size_t categorical_count() const noexcept { return categorical_count_; }
  std::size_t numeric_count() const noexcept { return numeric_count_; }

 private:
  friend class RuleSetBuilder;
  std::vector<Rule> rules_;
  std::vector<Pool> pools_;
  std::optional<PoolTarget> default_;
  bool default_working_hours_ = false;
  std::unordered_map<std::string, RuleId> rule_index_;
  std::unordered_map<std::string, PoolId> pool_index_;
  std::size_t manager_count_ = 0;
  std::size_t categorical_count_ = 0;
  std::size_t numeric_count_ = 0;
};

// What RuleSetBuilder keeps between rules so that each rule costs its own
// size, not the size of the team: every manager's position in the team's rank
// order, and each team's pool (computed on its first use).
struct PoolCache {
  std::vector<std::uint32_t> rank;  // ManagerId value -> index in managers_by_rank()
  std::unordered_map<std::uint32_t, std::vector<ManagerId>> team_pools;  // TeamId value -> pool_of_team
};

// Builds a RuleSet against a TeamModel (kept by reference: it must outlive
// the builder). A failed step changes nothing. Adding a rule costs O(its
// conditions, values and pool size), independent of the number of rules and
// of managers (docs/performance.md).
class RuleSetBuilder {
 public:
  explicit RuleSetBuilder(const TeamModel& team);

  // Errors: empty or duplicate key, two conditions on one attribute, unknown
  // attribute or value, empty in/not_in set, a range with min >= max, unknown
  // manager, empty pool, lead_field without a field or with an empty map,
  // a fallback on a non-owner target, a rule beyond kMaxRules.
  Result<RuleId> add_rule(RuleSpec spec);  // the id is provisional until build()
  // `require_working_hours`: as RuleSpec::require_working_hours, for the default pool.
  Status set_default(PoolSpec pool, bool require_working_hours = false);
  // Sorts by (priority, insertion order) and assigns final RuleIds.
  Result<RuleSet> build() &&;

 private:
  Result<PoolTarget> make_pool_target(const PoolSpec& spec, const std::string& own_key);
  const TeamModel* team_;
  RuleSet set_;
  PoolCache cache_;
};

}  // namespace dealflow::routing
