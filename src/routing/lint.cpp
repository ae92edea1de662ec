// Rule-set lint: see include/dealflow/routing/lint.h and docs/lint.md.
#include "dealflow/routing/lint.h"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>

#include "lint_cubes.h"

namespace dealflow::routing {

using detail::CubeList;
using detail::CubeSpace;
using detail::Word;

namespace {

// One lint dimension: a categorical attribute (values = codes, possibly
// without parents, plus the empty value) or a numeric attribute cut into
// elementary intervals by every bound the rules use.
struct LintDim {
  bool numeric = false;
  AttributeId attribute;
  NumericAttributeId numeric_attribute;
  std::string name;
  // categorical
  std::vector<ValueCode> codes;  // index -> code (kUnspecified = empty value)
  // numeric: atoms [lo, hi) with a representative point; the empty atom last
  struct Atom {
    std::optional<std::int64_t> lo, hi;
    std::int64_t representative = 0;
    bool empty = false;
  };
  std::vector<Atom> atoms;
  // Values no rule, skill or field map tells apart form one class; cubes
  // hold one bit per class, weighted by its number of values.
  std::vector<std::vector<std::uint32_t>> classes;  // class -> value indices, ascending

  std::uint32_t size() const { return static_cast<std::uint32_t>(numeric ? atoms.size() : codes.size()); }
};

class Analysis {
 public:
  Analysis(const TeamModel& team, const RuleSet& rules, const LintOptions& options)
      : team_(team), rules_(rules), options_(options) {}

  Result<LintReport> run();

 private:
  void build_dims();
  bool rule_accepts(const Rule& r, const LintDim& dim, std::uint32_t value) const;
  bool manager_accepts(ManagerId m, const PoolTarget* field_pool, const LintDim& dim, std::uint32_t value) const;
  void build_classes();
  void build_rule_cubes();
  // Cube of what manager `m` can accept (skills), optionally narrowed to the
  // lead_field values that map to them.
  void manager_cube(ManagerId m, const PoolTarget* field_pool, Word* out) const;
  LintCube to_lint_cube(const Word* c) const;
  LintAxis axis_of(std::size_t d, const Word* c) const;
  Status check_size(const CubeList& list) const;
  // Counts cube visits against options.max_cube_operations.
  Status spend(std::size_t cubes);

  Status find_gaps(LintReport& report);
  Status find_shadowed(LintReport& report);
  void find_overlaps(LintReport& report) const;
  Status find_unreachable(LintReport& report);
  void find_idle(LintReport& report) const;

  // Checks one target (a manager, a pool, a fallback or the default pool)
  // against the combinations `scope` it may receive.
  Status check_target(std::optional<RuleId> rule, TargetRole role, const CubeList& scope, const Target* target,
                      const PoolTarget* pool, LintReport& report);
  BlockReason never_eligible(const Manager& m, const PoolTarget* pool) const;

  const Word* rule_cube(std::size_t i) const { return rule_cubes_[i]; }

  const TeamModel& team_;
  const RuleSet& rules_;
  const LintOptions& options_;
  std::vector<LintDim> dims_;
  CubeSpace space_;
  CubeList rule_cubes_;
  std::vector<bool> rule_empty_;
  CubeList gap_list_;  // disjoint cubes of the uncovered combinations
  std::vector<bool> reachable_;  // per manager: some target can send them a lead
  std::uint64_t operations_ = 0;  // cubes visited by subtract / compact
};

void Analysis::build_dims() {
  const AttributeSchema& schema = team_.schema();
  for (std::size_t a = 0; a < schema.categorical_count(); ++a) {
    const CategoricalAttribute& attr = schema.categorical(AttributeId(static_cast<std::uint16_t>(a)));
    LintDim d;
    d.attribute = AttributeId(static_cast<std::uint16_t>(a));
    d.name = attr.name();
    for (ValueCode v = 0; v < attr.size(); ++v) {
      if (options_.leaf_values_only && !attr.is_leaf(v)) continue;
      d.codes.push_back(v);
    }
    if (options_.include_empty_values) d.codes.push_back(kUnspecified);
    dims_.push_back(std::move(d));
  }
  for (std::size_t a = 0; a < schema.numeric_count(); ++a) {
    const NumericAttributeId id(static_cast<std::uint16_t>(a));
    std::vector<std::int64_t> bounds;
    for (const Rule& r : rules_.rules()) {
      for (const NumericRange& range : r.ranges) {
        if (range.attribute != id) continue;
        if (range.min) bounds.push_back(*range.min);
        if (range.max) bounds.push_back(*range.max);
      }
    }
    if (bounds.empty()) continue;  // no rule constrains it: it does not split anything
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
    LintDim d;
    d.numeric = true;
    d.numeric_attribute = id;
    d.name = schema.numeric(id).name;
    if (bounds.front() > std::numeric_limits<std::int64_t>::min()) {
      d.atoms.push_back({std::nullopt, bounds.front(), bounds.front() - 1, false});
    }
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      std::optional<std::int64_t> hi;
      if (i + 1 < bounds.size()) hi = bounds[i + 1];
      d.atoms.push_back({bounds[i], hi, bounds[i], false});
    }
    if (options_.include_empty_values) d.atoms.push_back({std::nullopt, std::nullopt, 0, true});
    dims_.push_back(std::move(d));
  }
}

bool Analysis::rule_accepts(const Rule& r, const LintDim& dim, std::uint32_t value) const {
  if (!dim.numeric) return r.accepts(dim.attribute, dim.codes[value]);
  const LintDim::Atom& atom = dim.atoms[value];
  bool ranged = false;
  for (const NumericRange& range : r.ranges) {
    if (range.attribute != dim.numeric_attribute) continue;
    ranged = true;
    if (!atom.empty && !range.contains(atom.representative)) return false;
  }
  return !(atom.empty && ranged);  // a lead without the number matches no range
}

bool Analysis::manager_accepts(ManagerId id, const PoolTarget* field_pool, const LintDim& dim,
                               std::uint32_t value) const {
  if (dim.numeric) return true;
  const ValueCode code = dim.codes[value];
  if (!team_.manager(id).accepts(dim.attribute, code)) return false;
  if (field_pool && field_pool->strategy == Strategy::lead_field && field_pool->field == dim.attribute) {
    return code != kUnspecified && code < field_pool->field_map.size() && field_pool->field_map[code] == id;
  }
  return true;
}

void Analysis::build_classes() {
  // Every lead_field map (targets, fallbacks, default pool) also tells values apart.
  std::vector<const PoolTarget*> field_pools;
  auto note = [&](const std::optional<PoolTarget>& p) {
    if (p && p->strategy == Strategy::lead_field) field_pools.push_back(&*p);
  };
  for (const Rule& r : rules_.rules()) {
    note(r.target.pool);
    note(r.target.fallback);
  }
  note(rules_.default_pool());

  std::vector<std::vector<std::uint32_t>> weights;
  const std::size_t n_rules = rules_.rules().size();
  const std::size_t n_managers = team_.managers().size();
  for (LintDim& dim : dims_) {
    // Signature of a value: which rules and which managers accept it, and
    // whom each lead_field map sends it to.
    std::map<std::vector<std::uint64_t>, std::uint32_t> class_of_signature;
    std::vector<std::uint64_t> sig;
    for (std::uint32_t v = 0; v < dim.size(); ++v) {
      sig.assign((n_rules + n_managers + 63) / 64, 0);
      for (std::size_t r = 0; r < n_rules; ++r) {
        if (rule_accepts(rules_.rules()[r], dim, v)) sig[r / 64] |= std::uint64_t{1} << (r % 64);
      }
      for (std::size_t m = 0; m < n_managers; ++m) {
        const std::size_t bit = n_rules + m;
        if (manager_accepts(ManagerId(static_cast<std::uint32_t>(m)), nullptr, dim, v)) {
          sig[bit / 64] |= std::uint64_t{1} << (bit % 64);
        }
      }
      if (!dim.numeric) {
        for (const PoolTarget* p : field_pools) {
          if (p->field != dim.attribute) continue;
          const ValueCode code = dim.codes[v];
          sig.push_back(code == kUnspecified || code >= p->field_map.size() ? ManagerId::kInvalid
                                                                           : p->field_map[code].value());
        }
      }
      auto [it, inserted] = class_of_signature.emplace(sig, static_cast<std::uint32_t>(dim.classes.size()));
      if (inserted) dim.classes.emplace_back();
      dim.classes[it->second].push_back(v);
    }
    std::vector<std::uint32_t> w;
    for (const auto& c : dim.classes) w.push_back(static_cast<std::uint32_t>(c.size()));
    weights.push_back(std::move(w));
  }
  space_ = CubeSpace(std::move(weights));
}

void Analysis::build_rule_cubes() {
  rule_cubes_ = CubeList(space_.words());
  for (const Rule& r : rules_.rules()) {
    Word* c = rule_cubes_.push_zero();
    for (std::size_t d = 0; d < dims_.size(); ++d) {
      const LintDim& dim = dims_[d];
      for (std::uint32_t k = 0; k < dim.classes.size(); ++k) {
        if (rule_accepts(r, dim, dim.classes[k].front())) CubeSpace::set_bit(c, space_.dim(d), k);
      }
    }
    rule_empty_.push_back(space_.is_empty(c));
  }
}

void Analysis::manager_cube(ManagerId id, const PoolTarget* field_pool, Word* out) const {
  std::fill(out, out + space_.words(), Word{0});
  for (std::size_t d = 0; d < dims_.size(); ++d) {
    const LintDim& dim = dims_[d];
    for (std::uint32_t k = 0; k < dim.classes.size(); ++k) {
      if (manager_accepts(id, field_pool, dim, dim.classes[k].front())) CubeSpace::set_bit(out, space_.dim(d), k);
    }
  }
}

LintAxis Analysis::axis_of(std::size_t d, const Word* c) const {
  const LintDim& dim = dims_[d];
  const CubeSpace::Dim& sd = space_.dim(d);
  LintAxis axis;
  axis.attribute = dim.name;
  axis.numeric = dim.numeric;
  axis.any = space_.dim_full(c, d);
  std::vector<std::uint32_t> values;
  for (std::uint32_t k = 0; k < dim.classes.size(); ++k) {
    if (CubeSpace::test_bit(c, sd, k)) values.insert(values.end(), dim.classes[k].begin(), dim.classes[k].end());
  }
  std::sort(values.begin(), values.end());
  axis.elements = static_cast<std::uint32_t>(values.size());
  if (!dim.numeric) {
    for (std::uint32_t v : values) axis.values.push_back(dim.codes[v]);
    return axis;
  }
  for (std::uint32_t v : values) {
    const LintDim::Atom& atom = dim.atoms[v];
    if (atom.empty) {
      axis.empty_value = true;
      continue;
    }
    // Atoms are consecutive: extend the last interval when it ends where this starts.
    if (!axis.intervals.empty() && axis.intervals.back().max && atom.lo && *axis.intervals.back().max == *atom.lo) {
      axis.intervals.back().max = atom.hi;
    } else {
      axis.intervals.push_back({atom.lo, atom.hi});
    }
  }
  return axis;
}

LintCube Analysis::to_lint_cube(const Word* c) const {
  LintCube cube;
  for (std::size_t d = 0; d < dims_.size(); ++d) cube.axes.push_back(axis_of(d, c));
  cube.combinations = space_.count(c);
  return cube;
}

Status Analysis::spend(std::size_t cubes) {
  operations_ += cubes;
  if (operations_ > options_.max_cube_operations) {
    return Status(ErrorCode::refused, "the rule set needs more than " + std::to_string(options_.max_cube_operations) +
                                          " cube operations to analyse exactly; lint stops rather than run for "
                                          "minutes (raise max_cube_operations; docs/lint.md explains which rule "
                                          "sets are hard)");
  }
  return {};
}

Status Analysis::check_size(const CubeList& list) const {
  if (list.size() > options_.max_working_cubes) {
    return Status(ErrorCode::refused, "the rule set splits the attribute space into more than " +
                                          std::to_string(options_.max_working_cubes) +
                                          " cubes; lint refuses rather than exhaust memory (raise max_working_cubes)");
  }
  return {};
}

// Grows a cube that touches none of `blockers` to a maximal one: dimension by
// dimension, every value whose slice (the value × the cube's other sets)
// meets no blocker is added. The result still touches no blocker.
void expand_cube(const CubeSpace& space, const CubeList& blockers, const std::vector<bool>& skip, Word* c) {
  std::vector<Word> full(space.words());
  space.fill_universe(full.data());
  std::vector<Word> blocked(space.words());
  for (std::size_t d = 0; d < space.dims(); ++d) {
    const CubeSpace::Dim& dim = space.dim(d);
    std::fill(blocked.begin(), blocked.end(), Word{0});
    for (std::size_t r = 0; r < blockers.size(); ++r) {
      if (skip[r] || !space.intersects_except(c, blockers[r], d)) continue;
      for (std::uint32_t w = 0; w < dim.words; ++w) blocked[dim.offset + w] |= blockers[r][dim.offset + w];
    }
    for (std::uint32_t w = 0; w < dim.words; ++w) c[dim.offset + w] = full[dim.offset + w] & ~blocked[dim.offset + w];
  }
}

// Order of a disjoint list's cubes, largest first (ties: list order).
std::vector<std::size_t> by_size(const CubeSpace& space, const CubeList& list) {
  std::vector<CombinationCount> counts;
  counts.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) counts.push_back(space.count(list[i]));
  std::vector<std::size_t> order(list.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return counts[a] > counts[b]; });
  return order;
}

Status Analysis::find_gaps(LintReport& report) {
  CoverageGaps& gaps = report.gaps;
  gaps.has_default_pool = rules_.default_pool().has_value();
  CubeList list(space_.words());
  space_.fill_universe(list.push_zero());
  gaps.universe = space_.count(list[0]);

  // Largest rules first: they remove the most and keep the list short.
  std::vector<CombinationCount> sizes;
  for (std::size_t i = 0; i < rule_cubes_.size(); ++i) sizes.push_back(space_.count(rule_cube(i)));
  std::vector<std::size_t> order(rule_cubes_.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sizes[a] > sizes[b]; });

  CubeList scratch(space_.words());
  std::size_t compacted_at = 64;
  // Too many cubes: the gaps are reported as not computed and the other
  // analyses go on (they have limits of their own).
  const std::uint64_t operations_before = operations_;
  auto give_up = [&](const Status& why) {
    gaps.complete = false;
    gaps.incomplete_reason = why.message();
    operations_ = operations_before;  // the other analyses get the whole budget
    return Status{};
  };
  for (std::size_t i : order) {
    if (list.empty()) break;
    if (rule_empty_[i]) continue;
    if (Status s = spend(list.size()); !s.ok()) return give_up(s);
    space_.subtract(list, rule_cube(i), scratch);
    if (Status s = check_size(list); !s.ok()) return give_up(s);
    if (list.size() > 2 * compacted_at) {
      // One pass, then wait until the list doubles past its size before this
      // pass: compaction (n log n) stays a fraction of the subtraction work.
      if (Status s = spend(list.size() * space_.dims()); !s.ok()) return give_up(s);
      compacted_at = list.size();
      space_.compact(list, 1);
    }
  }
  // Fewer, larger cubes make the shown cubes cheaper to pick; on a huge list
  // one pass is enough (each pass sorts the whole list once per dimension).
  if (Status s = spend(list.size() * space_.dims()); !s.ok()) return give_up(s);
  space_.compact(list, list.size() < 65536 ? 4 : 1);
  gaps.uncovered = space_.count(list);

  // Show maximal cubes, largest first: expand the largest disjoint pieces,
  // take the biggest expansions, then cover what is left piece by piece.
  CubeList shown(space_.words());
  const std::vector<std::size_t> order_by_size = by_size(space_, list);
  const std::size_t first_candidates = std::min(order_by_size.size(), 4 * options_.max_gap_cubes);
  CubeList candidates(space_.words());
  for (std::size_t k = 0; k < first_candidates; ++k) {
    candidates.push(list[order_by_size[k]]);
    expand_cube(space_, rule_cubes_, rule_empty_, candidates[candidates.size() - 1]);
  }
  auto add_if_new = [&](const Word* c) {
    for (std::size_t s = 0; s < shown.size(); ++s) {
      if (space_.contains(shown[s], c)) return;
    }
    shown.push(c);
  };
  for (std::size_t i : by_size(space_, candidates)) {
    if (shown.size() >= options_.max_gap_cubes) break;
    add_if_new(candidates[i]);
  }
  std::vector<Word> piece(space_.words());
  for (std::size_t i : order_by_size) {
    if (shown.size() >= options_.max_gap_cubes) break;
    bool inside = false;
    for (std::size_t s = 0; s < shown.size() && !inside; ++s) inside = space_.contains(shown[s], list[i]);
    if (inside) continue;
    std::copy(list[i], list[i] + space_.words(), piece.data());
    expand_cube(space_, rule_cubes_, rule_empty_, piece.data());
    add_if_new(piece.data());
  }
  CubeList rest = list;
  for (std::size_t s = 0; s < shown.size(); ++s) space_.subtract(rest, shown[s], scratch);
  gaps.not_shown = space_.count(rest);
  std::vector<LintCube> cubes;
  for (std::size_t s = 0; s < shown.size(); ++s) cubes.push_back(to_lint_cube(shown[s]));
  std::stable_sort(cubes.begin(), cubes.end(),
                   [](const LintCube& a, const LintCube& b) { return a.combinations > b.combinations; });
  gaps.cubes = std::move(cubes);
  gap_list_ = std::move(list);
  return {};
}

Status Analysis::find_shadowed(LintReport& report) {
  std::vector<Word> common(space_.words());
  CubeList list(space_.words());
  CubeList scratch(space_.words());
  for (std::size_t i = 0; i < rule_cubes_.size(); ++i) {
    ShadowedRule s;
    s.rule = RuleId(static_cast<std::uint32_t>(i));
    s.combinations = space_.count(rule_cube(i));
    if (rule_empty_[i]) {
      s.reason = ShadowReason::matches_nothing;
      report.shadowed.push_back(std::move(s));
      continue;
    }
    s.reason = ShadowReason::covered_by_earlier_rules;
    bool shadowed = false;
    for (std::size_t j = 0; j < i && !shadowed; ++j) {
      if (!rule_empty_[j] && space_.contains(rule_cube(j), rule_cube(i))) {
        s.shadowed_by = {RuleId(static_cast<std::uint32_t>(j))};
        shadowed = true;
      }
    }
    if (!shadowed) {
      // Subtract the earlier rules that meet it, the largest common parts
      // first (fewer fragments), until nothing is left.
      std::vector<std::pair<CombinationCount, std::size_t>> earlier;
      for (std::size_t j = 0; j < i; ++j) {
        if (rule_empty_[j] || !space_.intersects(rule_cube(j), rule_cube(i))) continue;
        space_.intersect_into(rule_cube(j), rule_cube(i), common.data());
        earlier.emplace_back(space_.count(common.data()), j);
      }
      std::stable_sort(earlier.begin(), earlier.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
      list.clear();
      list.push(rule_cube(i));
      std::vector<RuleId> takers;
      std::size_t compacted_at = 64;
      bool undetermined = false;
      for (const auto& [size, j] : earlier) {
        if (list.empty()) break;
        DEALFLOW_RETURN_IF_ERROR(spend(list.size()));
        if (space_.subtract(list, rule_cube(j), scratch)) takers.push_back(RuleId(static_cast<std::uint32_t>(j)));
        if (list.size() > options_.max_shadow_cubes) {
          undetermined = true;
          break;
        }
        if (list.size() > 2 * compacted_at) {
          DEALFLOW_RETURN_IF_ERROR(spend(list.size() * space_.dims()));
          compacted_at = list.size();
          space_.compact(list, 1);
        }
      }
      if (undetermined) {
        report.shadow_undetermined.push_back(s.rule);
      } else if (list.empty()) {
        shadowed = true;
        std::sort(takers.begin(), takers.end());
        s.shadowed_by = std::move(takers);
      }
    }
    if (shadowed) report.shadowed.push_back(std::move(s));
  }
  return {};
}

bool same_pool_target(const RuleSet& rules, const PoolTarget& a, const PoolTarget& b) {
  if (a.strategy != b.strategy) return false;
  if (rules.pool(a.pool).members != rules.pool(b.pool).members) return false;
  if (a.strategy == Strategy::lead_field) return a.field == b.field && a.field_map == b.field_map;
  return true;
}

bool same_target(const RuleSet& rules, const Target& a, const Target& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case TargetKind::manager: return a.manager == b.manager;
    case TargetKind::pool: return a.pool && b.pool && same_pool_target(rules, *a.pool, *b.pool);
    case TargetKind::account_owner:
      if (a.fallback.has_value() != b.fallback.has_value()) return false;
      return !a.fallback || same_pool_target(rules, *a.fallback, *b.fallback);
  }
  return false;
}

void Analysis::find_overlaps(LintReport& report) const {
  const auto& rules = rules_.rules();
  std::vector<Word> common(space_.words());
  // Rules are sorted by priority: equal priorities are contiguous runs.
  for (std::size_t begin = 0; begin < rules.size();) {
    std::size_t end = begin;
    while (end < rules.size() && rules[end].priority == rules[begin].priority) ++end;
    for (std::size_t i = begin; i < end; ++i) {
      if (rule_empty_[i]) continue;
      for (std::size_t j = i + 1; j < end; ++j) {
        if (rule_empty_[j] || !space_.intersects(rule_cube(i), rule_cube(j))) continue;
        if (same_target(rules_, rules[i].target, rules[j].target)) continue;
        ++report.overlaps_total;
        if (report.overlaps.size() >= options_.max_overlaps) continue;
        space_.intersect_into(rule_cube(i), rule_cube(j), common.data());
        report.overlaps.push_back(
            {RuleId(static_cast<std::uint32_t>(i)), RuleId(static_cast<std::uint32_t>(j)), to_lint_cube(common.data())});
      }
    }
    begin = end;
  }
}

BlockReason Analysis::never_eligible(const Manager& m, const PoolTarget* pool) const {
  if (!m.active) return BlockReason::inactive;
  if (m.capacity.max_open_deals == 0 || m.capacity.daily == 0 || m.capacity.rolling_30_days == 0) {
    return BlockReason::zero_capacity;
  }
  if (pool && pool->strategy == Strategy::weighted_round_robin && m.weight == 0) return BlockReason::zero_weight;
  return BlockReason::none;
}

Status Analysis::check_target(std::optional<RuleId> rule, TargetRole role, const CubeList& scope,
                              const Target* target, const PoolTarget* pool, LintReport& report) {
  std::vector<ManagerId> candidates;
  if (target && target->kind == TargetKind::manager) {
    candidates.push_back(target->manager);
  } else if (pool) {
    candidates = rules_.pool(pool->pool).members;
  }
  UnreachableTarget finding;
  finding.rule = rule;
  finding.role = role;
  finding.matched = space_.count(scope);
  CubeList unservable = scope;
  CubeList scratch(space_.words());
  std::vector<Word> accept(space_.words());
  std::vector<Word> skills_only(space_.words());
  for (ManagerId id : candidates) {
    const Manager& m = team_.manager(id);
    TargetMember member;
    member.manager = id;
    member.reason = never_eligible(m, pool);
    if (member.reason == BlockReason::none) {
      manager_cube(id, pool, accept.data());
      bool meets = false;
      for (std::size_t s = 0; s < scope.size() && !meets; ++s) meets = space_.intersects(accept.data(), scope[s]);
      if (meets) {
        reachable_[id.value()] = true;
        DEALFLOW_RETURN_IF_ERROR(spend(unservable.size()));
        space_.subtract(unservable, accept.data(), scratch);
        DEALFLOW_RETURN_IF_ERROR(check_size(unservable));
      } else {
        manager_cube(id, nullptr, skills_only.data());
        bool skills_meet = false;
        for (std::size_t s = 0; s < scope.size() && !skills_meet; ++s) {
          skills_meet = space_.intersects(skills_only.data(), scope[s]);
        }
        member.reason = skills_meet ? BlockReason::unmapped : BlockReason::skills;
        if (!skills_meet) {
          // Attributes where the skill set shares no value with any scope cube.
          for (std::size_t d = 0; d < dims_.size(); ++d) {
            if (dims_[d].numeric) continue;
            bool shares = false;
            const CubeSpace::Dim& sd = space_.dim(d);
            for (std::size_t s = 0; s < scope.size() && !shares; ++s) {
              for (std::uint32_t w = 0; w < sd.words; ++w) {
                if ((skills_only[sd.offset + w] & scope[s][sd.offset + w]) != 0) shares = true;
              }
            }
            if (!shares) member.skill_conflicts.push_back(dims_[d].attribute);
          }
        }
      }
    }
    finding.members.push_back(std::move(member));
  }
  if (unservable.empty()) return {};
  DEALFLOW_RETURN_IF_ERROR(spend(unservable.size() * space_.dims()));
  space_.compact(unservable);
  finding.unservable = space_.count(unservable);
  finding.entire = finding.unservable == finding.matched;
  for (std::size_t i : by_size(space_, unservable)) {
    if (finding.cubes.size() >= options_.max_cubes_per_finding) break;
    finding.cubes.push_back(to_lint_cube(unservable[i]));
  }
  report.unreachable_targets.push_back(std::move(finding));
  return {};
}

Status Analysis::find_unreachable(LintReport& report) {
  reachable_.assign(team_.managers().size(), false);
  CubeList scope(space_.words());
  for (std::size_t i = 0; i < rule_cubes_.size(); ++i) {
    if (rule_empty_[i]) continue;
    const Rule& r = rules_.rules()[i];
    scope.clear();
    scope.push(rule_cube(i));
    const RuleId id(static_cast<std::uint32_t>(i));
    switch (r.target.kind) {
      case TargetKind::manager:
        DEALFLOW_RETURN_IF_ERROR(check_target(id, TargetRole::target, scope, &r.target, nullptr, report));
        break;
      case TargetKind::pool:
        DEALFLOW_RETURN_IF_ERROR(check_target(id, TargetRole::target, scope, &r.target, &*r.target.pool, report));
        break;
      case TargetKind::account_owner:
        if (r.target.fallback) {
          DEALFLOW_RETURN_IF_ERROR(
              check_target(id, TargetRole::fallback, scope, nullptr, &*r.target.fallback, report));
        }
        break;
    }
  }
  if (rules_.default_pool()) {
    // The default pool is reported on the gaps, where it is the only way a
    // lead gets a manager. Any lead can end there, though (when the matching
    // rules have nobody eligible), so a member is reachable when they accept
    // anything at all.
    const PoolTarget& pool = *rules_.default_pool();
    if (!gap_list_.empty()) {
      DEALFLOW_RETURN_IF_ERROR(check_target(std::nullopt, TargetRole::default_pool, gap_list_, nullptr, &pool, report));
    }
    std::vector<Word> accept(space_.words());
    for (ManagerId id : rules_.pool(pool.pool).members) {
      if (never_eligible(team_.manager(id), &pool) != BlockReason::none) continue;
      manager_cube(id, &pool, accept.data());
      if (!space_.is_empty(accept.data())) reachable_[id.value()] = true;
    }
  }
  return {};
}

void Analysis::find_idle(LintReport& report) const {
  std::vector<Word> accept(space_.words());
  for (const Manager& m : team_.managers()) {
    if (reachable_[m.id.value()]) continue;
    IdleManager idle;
    idle.manager = m.id;
    idle.reason = never_eligible(m, nullptr);
    if (idle.reason == BlockReason::none) {
      // The router checks an account owner like anyone else (skills included).
      manager_cube(m.id, nullptr, accept.data());
      for (std::size_t i = 0; i < rule_cubes_.size() && !idle.only_as_account_owner; ++i) {
        idle.only_as_account_owner = !rule_empty_[i] &&
                                     rules_.rules()[i].target.kind == TargetKind::account_owner &&
                                     space_.intersects(accept.data(), rule_cube(i));
      }
    }
    report.idle_managers.push_back(idle);
  }
}

Result<LintReport> Analysis::run() {
  if (rules_.manager_count() != team_.managers().size() ||
      rules_.categorical_count() != team_.schema().categorical_count() ||
      rules_.numeric_count() != team_.schema().numeric_count()) {
    return Status(ErrorCode::invalid_argument, "the rule set was built for a different team");
  }
  build_dims();
  build_classes();
  build_rule_cubes();
  LintReport report;
  {
    std::vector<Word> full(space_.words());
    space_.fill_universe(full.data());
    for (std::size_t d = 0; d < dims_.size(); ++d) {
      LintAxis axis = axis_of(d, full.data());
      if (dims_[d].numeric) {  // the elementary intervals, not merged
        axis.intervals.clear();
        for (const LintDim::Atom& atom : dims_[d].atoms) {
          if (!atom.empty) axis.intervals.push_back({atom.lo, atom.hi});
        }
      }
      report.domains.push_back(std::move(axis));
    }
  }
  DEALFLOW_RETURN_IF_ERROR(find_gaps(report));
  DEALFLOW_RETURN_IF_ERROR(find_shadowed(report));
  find_overlaps(report);
  DEALFLOW_RETURN_IF_ERROR(find_unreachable(report));
  find_idle(report);
  report.cube_operations = operations_;
  return report;
}

}  // namespace

bool LintReport::clean() const noexcept {
  return gaps.complete && gaps.uncovered.is_zero() && shadowed.empty() && shadow_undetermined.empty() && overlaps_total == 0 && unreachable_targets.empty() &&
         idle_managers.empty();
}

Result<LintReport> lint_rules(const TeamModel& team, const RuleSet& rules, const LintOptions& options) {
  return Analysis(team, rules, options).run();
}

std::string_view to_string(ShadowReason r) noexcept {
  switch (r) {
    case ShadowReason::covered_by_earlier_rules: return "covered_by_earlier_rules";
    case ShadowReason::matches_nothing: return "matches_nothing";
  }
  return "?";
}

std::string_view to_string(BlockReason r) noexcept {
  switch (r) {
    case BlockReason::none: return "none";
    case BlockReason::inactive: return "inactive";
    case BlockReason::zero_capacity: return "zero_capacity";
    case BlockReason::zero_weight: return "zero_weight";
    case BlockReason::skills: return "skills";
    case BlockReason::unmapped: return "unmapped";
  }
  return "?";
}

std::string_view to_string(TargetRole r) noexcept {
  switch (r) {
    case TargetRole::target: return "target";
    case TargetRole::fallback: return "fallback";
    case TargetRole::default_pool: return "default_pool";
  }
  return "?";
}

}  // namespace dealflow::routing
