// dealflow/routing/lint.h: static analysis of a routing rule set.
//
// `lint_rules` checks a RuleSet against its TeamModel over the declared
// attribute domains and reports:
//   - coverage gaps: value combinations no rule matches, as a few compact
//     cubes (a set of values per attribute) and the exact number of
//     uncovered combinations;
//   - shadowed rules: rules that can never be the first match because rules
//     evaluated before them match everything they match (or that match
//     nothing at all), with the rules that shadow them;
//   - overlaps: pairs of rules with equal priority and different targets that
//     match a common combination (file order silently decides);
//   - unreachable targets: rules (and the default pool) whose target can
//     never take some or all of the leads the rule matches: inactive managers,
//     a zero cap, weight 0 in weighted round robin, an unmapped lead_field
//     value, or skills that exclude what the rule matches;
//   - idle managers: managers who can never receive a lead.
//
// The analysis never enumerates the cartesian product. Each rule, skill set
// and gap is a cube: per attribute a bitset over the attribute's values (a
// parent value's condition already expanded to its subtree); numeric ranges
// become bitsets over the elementary intervals cut by all the rules' bounds.
// Gaps are the universe minus every rule by the disjoint sharp operation,
// shadowing is a rule minus the earlier rules that intersect it. Cost is
// O(cubes × words) per step; 1,000 rules over 6 attributes of 100 values lint
// in well under a second (bench/lint_bench.cpp). Algorithm and the exact
// meaning of each finding: docs/lint.md.
//
// A combination is one value per categorical attribute and one elementary
// interval per numeric attribute that some rule constrains (numeric
// attributes no rule constrains do not multiply the count). Counts are exact
// (CombinationCount, lint_count.h).
//
// Thread-safety: `lint_rules` is a pure function of its arguments.
//
// Example:
//   auto team = load_team_file("data/routing/team.json");
//   auto rules = load_rules_file("data/routing/rules-with-gap.json", *team);
//   Result<LintReport> r = lint_rules(*team, *rules);
//   for (const LintCube& gap : r->gaps.cubes)
//     std::cout << gap.combinations.to_string() << " uncovered combinations\n";
//   if (!r->clean()) return 1;
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dealflow/core/ids.h"
#include "dealflow/core/status.h"
#include "dealflow/routing/attributes.h"
#include "dealflow/routing/lint_count.h"
#include "dealflow/routing/rules.h"
#include "dealflow/routing/team.h"

namespace dealflow::routing {

struct LintOptions {
  // Also treat "attribute left empty" as one more value of every categorical
  // attribute (and "no number" for constrained numeric attributes). Off by
  // default: leads are assumed to carry every attribute.
  bool include_empty_values = false;
  // Leads carry leaf values only (a lead never says just "Сибирь"); parent
  // values are then not part of the domains. Off by default: a lead may carry
  // any declared value, as the router allows.
  bool leaf_values_only = false;
  std::size_t max_gap_cubes = 20;      // gap cubes shown (the count is always complete)
  std::size_t max_overlaps = 1000;     // overlapping pairs listed (all are counted)
  std::size_t max_cubes_per_finding = 5;  // cubes shown per unreachable target
  // Stop rather than exhaust memory or run for minutes when a working cube
  // list grows beyond this many cubes, or the analysis visits more cubes than
  // this in total (docs/lint.md: which rule sets are hard, and why exact
  // counting cannot always be fast). The gaps are then marked incomplete;
  // beyond the limits elsewhere lint_rules fails with ErrorCode::refused.
  std::size_t max_working_cubes = std::size_t{1} << 20;
  std::uint64_t max_cube_operations = 1'000'000'000;
  // A rule whose shadow check needs more cubes than this is listed in
  // LintReport::shadow_undetermined instead.
  std::size_t max_shadow_cubes = std::size_t{1} << 16;
};

// The value set of one dimension of a cube, for people and JSON.
struct LintAxis {
  std::string attribute;
  bool numeric = false;
  bool any = false;  // the whole domain of the attribute (for lint)
  // Values (categorical) or elementary intervals plus the empty value
  // (numeric) in the set: its factor in the combination count.
  std::uint32_t elements = 0;
  // Categorical: the values in ascending code order (kUnspecified for the
  // empty value when include_empty_values). Numeric: empty.
  std::vector<ValueCode> values;
  // Numeric: the accepted intervals [min, max) merged (nullopt = unbounded),
  // ascending; `empty_value` when "no number" is included.
  struct Interval {
    std::optional<std::int64_t> min;
    std::optional<std::int64_t> max;
  };
  std::vector<Interval> intervals;
  bool empty_value = false;
};

struct LintCube {
  std::vector<LintAxis> axes;  // one per lint dimension, schema order (categorical, then numeric)
  CombinationCount combinations;
};

struct CoverageGaps {
  // False when the gaps needed more than max_working_cubes cubes or the
  // operation budget (then `uncovered`, `cubes` and `not_shown` are empty and
  // `incomplete_reason` says why); the other findings are still complete.
  bool complete = true;
  std::string incomplete_reason;
  CombinationCount universe;    // all combinations of the domains
  CombinationCount uncovered;   // matched by no rule (exact)
  // Compact cubes, largest first; together they hold `uncovered` minus
  // `not_shown`. Shown cubes are maximal (no value can be added on any axis
  // without taking in a covered combination) and may overlap one another.
  std::vector<LintCube> cubes;
  CombinationCount not_shown;   // uncovered combinations in no shown cube
  bool has_default_pool = false;  // uncovered leads go to the default pool
};

enum class ShadowReason {
  covered_by_earlier_rules,  // rules evaluated earlier match all it matches
  matches_nothing,           // its conditions select no combination of the domains
};

struct ShadowedRule {
  RuleId rule;
  ShadowReason reason = ShadowReason::covered_by_earlier_rules;
  // The earlier rules that take its combinations, in evaluation order: the
  // first single rule that covers it all when there is one, otherwise the
  // earlier rules that take a part (largest common part first) until the
  // cover is complete.
  std::vector<RuleId> shadowed_by;
  CombinationCount combinations;  // what the rule matches
};

struct RuleOverlap {
  RuleId first;   // earlier in file order: wins on the common combinations
  RuleId second;
  LintCube common;
};

// Why a candidate manager of a target can never take a lead of the rule.
enum class BlockReason {
  none,             // can take some of the rule's leads
  inactive,
  zero_capacity,    // max_open_deals, daily or rolling 30-day cap is 0
  zero_weight,      // weight 0 in a weighted_round_robin pool
  skills,           // skills exclude every combination the rule matches
  unmapped,         // lead_field: no value the rule matches maps to them
};

struct TargetMember {
  ManagerId manager;
  BlockReason reason = BlockReason::none;
  // skills: the attributes whose skill set shares no value with the rule.
  std::vector<AttributeId> skill_conflicts;
};

enum class TargetRole { target, fallback, default_pool };

struct UnreachableTarget {
  std::optional<RuleId> rule;  // nullopt: the default pool (checked on the gaps)
  TargetRole role = TargetRole::target;
  bool entire = false;  // no candidate can take any lead the rule matches
  CombinationCount matched;      // what the rule matches (the gaps, for the default pool)
  CombinationCount unservable;   // of those, what no candidate can take
  std::vector<LintCube> cubes;   // where (compact, up to max_cubes_per_finding)
  std::vector<TargetMember> members;
};

struct IdleManager {
  ManagerId manager;
  BlockReason reason = BlockReason::none;  // inactive / zero_capacity, or none: no target reaches them
  // Active, with capacity, and an account_owner rule exists whose matches
  // their skills meet: they can still get leads of clients they own.
  bool only_as_account_owner = false;
};

struct LintReport {
  // The lint dimensions with their whole domains (numeric: the elementary
  // intervals, one per element).
  std::vector<LintAxis> domains;
  CoverageGaps gaps;
  std::vector<ShadowedRule> shadowed;          // evaluation order
  // Rules whose shadow check exceeded max_shadow_cubes (not known either way).
  std::vector<RuleId> shadow_undetermined;
  std::vector<RuleOverlap> overlaps;           // by (first, second) evaluation order
  std::size_t overlaps_total = 0;
  std::vector<UnreachableTarget> unreachable_targets;  // evaluation order, default pool last
  std::vector<IdleManager> idle_managers;      // file order
  std::uint64_t cube_operations = 0;  // cubes visited (the work done; see max_cube_operations)

  // Every analysis complete, and no gaps, shadows, overlaps, unreachable
  // targets or idle managers.
  bool clean() const noexcept;
};

// Analyses `rules` (built against `team`). invalid_argument when the rule set
// was built for a different team (sizes differ); refused when the shadow or
// target analysis exceeds options.max_working_cubes or max_cube_operations
// (the gap analysis instead reports itself incomplete).
Result<LintReport> lint_rules(const TeamModel& team, const RuleSet& rules, const LintOptions& options = {});

std::string_view to_string(ShadowReason r) noexcept;   // "covered_by_earlier_rules" | "matches_nothing"
std::string_view to_string(BlockReason r) noexcept;    // "none" | "inactive" | "zero_capacity" | ...
std::string_view to_string(TargetRole r) noexcept;     // "target" | "fallback" | "default_pool"

}  // namespace dealflow::routing
