#include "dealflow/routing/router.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <limits>

namespace dealflow::routing {

void Decision::clear() noexcept {
  manager = ManagerId();
  rule = RuleId();
  by_default_pool = false;
  target = TargetKind::pool;
  via_fallback = false;
  has_strategy = false;
  strategy = Strategy::round_robin;
  pool = PoolId();
  field_value = kUnspecified;
  rules_matched = 0;
  skipped.clear();
}

struct Router::Context {
  const Lead& lead;
  RouterState& state;
  Decision& out;
  RuleId rule;  // invalid: the default pool
  bool working_hours = false;
  // The lead's local date at the last UTC offset asked for (managers mostly
  // share a calendar, so this is computed once per lead).
  int cached_offset = std::numeric_limits<int>::min();
  Date cached_day;

  Date local_day(int offset) {
    if (offset != cached_offset) {
      cached_offset = offset;
      cached_day = lead.at.date(offset);
    }
    return cached_day;
  }
};

namespace {
constexpr std::size_t kBlock = 4;  // words ANDed together per step (256 rules)
static_assert(kBlock == 4, "load_block tests b[0..3]");
}  // namespace

Result<Router> Router::compile(TeamModel team, RuleSet rules) {
  if (rules.manager_count() != team.managers().size() ||
      rules.categorical_count() != team.schema().categorical_count() ||
      rules.numeric_count() != team.schema().numeric_count()) {
    return Status(ErrorCode::invalid_argument, "the rule set was built against a different team");
  }
  Router r;
  r.team_ = std::move(team);
  r.rules_ = std::move(rules);
  const std::size_t n_rules = r.rules_.rules().size();
  r.words_ = (n_rules + 63) / 64;
  r.words_ = (r.words_ + kBlock - 1) / kBlock * kBlock;
  const std::size_t words = r.words_;
  const auto& schema = r.team_.schema();
  for (std::size_t a = 0; a < schema.categorical_count(); ++a) {
    const AttributeId attr(static_cast<std::uint16_t>(a));
    bool constrained = false;
    for (const Rule& rule : r.rules_.rules()) constrained |= rule.conditions[a].kind != ConditionKind::any;
    if (!constrained) continue;
    const std::size_t values = schema.categorical(attr).size();
    std::vector<std::uint64_t> rows((values + 1) * words, 0);
    for (const Rule& rule : r.rules_.rules()) {
      const std::size_t i = rule.id.value();
      const std::uint64_t bit = std::uint64_t{1} << (i % 64);
      for (std::size_t v = 0; v < values; ++v) {
        if (rule.accepts(attr, static_cast<ValueCode>(v))) rows[v * words + i / 64] |= bit;
      }
      if (rule.accepts(attr, kUnspecified)) rows[values * words + i / 64] |= bit;
    }
    r.indexed_attributes_.push_back(attr);
    r.rows_.push_back(std::move(rows));
  }
  // Most selective attribute first (fewest accepting rules per value on
  // average): a block is abandoned as soon as its AND is zero.
  std::vector<std::size_t> order(r.rows_.size());
  std::vector<double> density(r.rows_.size(), 0.0);
  for (std::size_t i = 0; i < r.rows_.size(); ++i) {
    order[i] = i;
    std::size_t bits = 0;
    for (std::uint64_t w : r.rows_[i]) bits += static_cast<std::size_t>(std::popcount(w));
    density[i] = static_cast<double>(bits) / static_cast<double>(r.rows_[i].size());
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return density[a] < density[b]; });
  std::vector<AttributeId> sorted_attributes;
  std::vector<std::vector<std::uint64_t>> sorted_rows;
  for (std::size_t i : order) {
    sorted_attributes.push_back(r.indexed_attributes_[i]);
    sorted_rows.push_back(std::move(r.rows_[i]));
  }
  r.indexed_attributes_ = std::move(sorted_attributes);
  r.rows_ = std::move(sorted_rows);
  // Rule-major masks for the linear-scan baseline.
  const std::size_t n_attr = schema.categorical_count();
  for (std::size_t a = 0; a < n_attr; ++a) {
    r.domain_sizes_.push_back(static_cast<std::uint32_t>(schema.categorical_attributes()[a].size()));
  }
  r.linear_offsets_.assign(n_rules * n_attr, kAnyOffset);
  for (const Rule& rule : r.rules_.rules()) {
    for (std::size_t a = 0; a < n_attr; ++a) {
      if (rule.conditions[a].kind == ConditionKind::any) continue;
      const AttributeId attr(static_cast<std::uint16_t>(a));
      const std::size_t size = r.domain_sizes_[a];
      const std::size_t offset = r.linear_pool_.size();
      r.linear_pool_.resize(offset + (size + 1 + 63) / 64, 0);
      for (std::size_t v = 0; v <= size; ++v) {
        if (rule.accepts(attr, v == size ? kUnspecified : static_cast<ValueCode>(v))) {
          r.linear_pool_[offset + v / 64] |= std::uint64_t{1} << (v % 64);
        }
      }
      r.linear_offsets_[rule.id.value() * n_attr + a] = static_cast<std::uint32_t>(offset);
    }
  }
  r.all_rules_.assign(words, 0);
  r.has_ranges_.assign(words, 0);
  for (const Rule& rule : r.rules_.rules()) {
    const std::size_t i = rule.id.value();
    r.all_rules_[i / 64] |= std::uint64_t{1} << (i % 64);
    if (!rule.ranges.empty()) r.has_ranges_[i / 64] |= std::uint64_t{1} << (i % 64);
  }
  for (const Pool& p : r.rules_.pools()) {
    PoolRuntime rt;
    for (ManagerId m : p.members) {
      rt.ranks.push_back(r.team_.manager(m).rank);
      rt.weights.push_back(r.team_.manager(m).weight);
    }
    r.pools_.push_back(std::move(rt));
  }
  for (const BusinessCalendar& c : r.team_.calendars()) r.calendar_offsets_.push_back(c.utc_offset_minutes());
  for (const Manager& m : r.team_.managers()) {
    bool any = false;
    for (const auto& mask : m.skill_mask) any |= !mask.empty();
    r.has_skills_.push_back(any ? 1 : 0);
  }
  return r;
}

std::size_t Router::index_bytes() const noexcept {
  std::size_t n = (all_rules_.size() + has_ranges_.size()) * sizeof(std::uint64_t);
  for (const auto& rows : rows_) n += rows.size() * sizeof(std::uint64_t);
  return n;
}

bool Router::rule_ranges_match(const Rule& rule, const Lead& lead) const noexcept {
  for (const NumericRange& range : rule.ranges) {
    if (!lead.has_number(range.attribute) || !range.contains(lead.number(range.attribute))) return false;
  }
  return true;
}

bool Router::check_eligible(ManagerId id, bool fallback, Context& ctx) const {
  const Manager& m = team_.manager(id);
  const Date day = ctx.local_day(calendar_offsets_[m.calendar]);
  Skip skip;
  skip.rule = ctx.rule;
  skip.manager = id;
  skip.fallback = fallback;
  if (!m.active) {
    skip.reason = SkipReason::inactive;
  } else if (const DateRange* absence = m.absences.empty() ? nullptr : m.absence_on(day)) {
    skip.reason = SkipReason::absent;
    skip.first = absence->first;
    skip.last = absence->last;
  } else if (ctx.working_hours && !team_.calendars()[m.calendar].is_working_time(ctx.lead.at)) {
    skip.reason = SkipReason::off_hours;
    skip.first = day;
  } else {
    for (std::size_t a = 0; has_skills_[id.value()] && a < m.skill_mask.size(); ++a) {
      const auto& mask = m.skill_mask[a];
      if (mask.empty()) continue;
      const ValueCode v = ctx.lead.values[a];
      if (v == kUnspecified || !test_bit(mask, v)) {
        skip.reason = SkipReason::lacks_skill;
        skip.attribute = AttributeId(static_cast<std::uint16_t>(a));
        skip.value = v;
        ctx.out.skipped.push_back(skip);
        return false;
      }
    }
    const Capacity& cap = m.capacity;
    std::uint32_t count = 0;
    if (cap.max_open_deals != Capacity::kUnlimited &&
        (count = ctx.state.open_deals(id)) >= cap.max_open_deals) {
      skip.reason = SkipReason::open_deals_cap;
      skip.limit = cap.max_open_deals;
    } else if (cap.daily != Capacity::kUnlimited && (count = ctx.state.assigned_on(id, day)) >= cap.daily) {
      skip.reason = SkipReason::daily_cap;
      skip.limit = cap.daily;
      skip.first = day;
    } else if (cap.rolling_30_days != Capacity::kUnlimited &&
               (count = ctx.state.assigned_in_window(id, day)) >= cap.rolling_30_days) {
      skip.reason = SkipReason::rolling_cap;
      skip.limit = cap.rolling_30_days;
      skip.first = day;
    } else {
      return true;
    }
    skip.count = count;
  }
  ctx.out.skipped.push_back(skip);
  return false;
}

ManagerId Router::pick_from_pool(const PoolTarget& target, bool fallback, Context& ctx) const {
  const Pool& pool = rules_.pool(target.pool);
  const PoolRuntime& rt = pools_[target.pool.value()];
  const std::size_t n = pool.members.size();
  RouterState& state = ctx.state;
  ManagerId chosen;
  switch (target.strategy) {
    case Strategy::round_robin:
    case Strategy::least_loaded: {
      if (n == 0) break;
      const std::uint32_t cursor = state.cursor(target.pool);
      std::size_t start = static_cast<std::size_t>(
          std::lower_bound(rt.ranks.begin(), rt.ranks.end(), cursor) - rt.ranks.begin());
      if (start == n) start = 0;
      std::size_t best = n;
      std::uint32_t best_load = 0;
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = start + k < n ? start + k : start + k - n;
        if (!check_eligible(pool.members[i], fallback, ctx)) continue;
        if (target.strategy == Strategy::round_robin) {
          best = i;
          break;
        }
        const std::uint32_t load = state.open_deals(pool.members[i]);
        if (best == n || load < best_load) {
          best = i;
          best_load = load;
        }
      }
      if (best == n) break;
      state.set_cursor(target.pool, rt.ranks[best] + 1);
      chosen = pool.members[best];
      break;
    }
    case Strategy::weighted_round_robin: {
      std::vector<std::int64_t>& current = state.current_weights(target.pool);
      std::int64_t total = 0;
      std::size_t best = n;
      for (std::size_t i = 0; i < n; ++i) {
        if (rt.weights[i] == 0) {
          Skip s;
          s.rule = ctx.rule;
          s.manager = pool.members[i];
          s.reason = SkipReason::zero_weight;
          s.fallback = fallback;
          ctx.out.skipped.push_back(s);
          continue;
        }
        if (!check_eligible(pool.members[i], fallback, ctx)) continue;
        current[i] += rt.weights[i];
        total += rt.weights[i];
        if (best == n || current[i] > current[best]) best = i;
      }
      if (best == n) break;
      current[best] -= total;
      chosen = pool.members[best];
      break;
    }
    case Strategy::lead_field: {
      const ValueCode v = ctx.lead.values[target.field.value()];
      Skip s;
      s.rule = ctx.rule;
      s.fallback = fallback;
      s.attribute = target.field;
      s.value = v;
      if (v == kUnspecified) {
        s.reason = SkipReason::field_empty;
        ctx.out.skipped.push_back(s);
        break;
      }
      // A host-built lead may carry a code outside the field's domain: unmapped.
      const ManagerId m = v < target.field_map.size() ? target.field_map[v] : ManagerId();
      if (!m.valid()) {
        s.reason = SkipReason::field_unmapped;
        ctx.out.skipped.push_back(s);
        break;
      }
      if (check_eligible(m, fallback, ctx)) {
        chosen = m;
        ctx.out.field_value = v;
      }
      break;
    }
  }
  if (chosen.valid()) {
    ctx.out.has_strategy = true;
    ctx.out.strategy = target.strategy;
    ctx.out.pool = target.pool;
  }
  return chosen;
}

bool Router::try_rule(const Rule& rule, Context& ctx) const {
  ctx.rule = rule.id;
  ctx.working_hours = rule.require_working_hours;
  ++ctx.out.rules_matched;
  ManagerId chosen;
  switch (rule.target.kind) {
    case TargetKind::manager:
      if (check_eligible(rule.target.manager, false, ctx)) chosen = rule.target.manager;
      break;
    case TargetKind::pool:
      chosen = pick_from_pool(*rule.target.pool, false, ctx);
      break;
    case TargetKind::account_owner: {
      const ManagerId owner = ctx.lead.account_owner;
      if (!owner.valid() || owner.value() >= team_.managers().size()) {
        Skip s;
        s.rule = rule.id;
        s.reason = SkipReason::no_owner;
        ctx.out.skipped.push_back(s);
      } else if (check_eligible(owner, false, ctx)) {
        chosen = owner;
      }
      if (!chosen.valid() && rule.target.fallback) {
        chosen = pick_from_pool(*rule.target.fallback, true, ctx);
        ctx.out.via_fallback = chosen.valid();
      }
      break;
    }
  }
  if (!chosen.valid()) return false;
  ctx.out.manager = chosen;
  ctx.out.rule = rule.id;
  ctx.out.target = rule.target.kind;
  const Manager& m = team_.manager(chosen);
  ctx.state.record_assignment(chosen, ctx.local_day(calendar_offsets_[m.calendar]));
  return true;
}

template <class NextRule>
void Router::route_impl(const Lead& lead, RouterState& state, Decision& out, NextRule&& next_rule) const {
  out.clear();
  out.at = lead.at;
  Context ctx{lead, state, out, RuleId(), false, std::numeric_limits<int>::min(), Date()};
  for (std::size_t r = next_rule(); r != SIZE_MAX; r = next_rule()) {
    const Rule& rule = rules_.rules()[r];
    if (((has_ranges_[r / 64] >> (r % 64)) & 1u) && !rule_ranges_match(rule, lead)) continue;
    if (try_rule(rule, ctx)) return;
  }
  if (const auto& def = rules_.default_pool()) {
    ctx.rule = RuleId();
    ctx.working_hours = rules_.default_requires_working_hours();
    const ManagerId m = pick_from_pool(*def, false, ctx);
    if (m.valid()) {
      out.manager = m;
      out.by_default_pool = true;
      out.target = TargetKind::pool;
      state.record_assignment(m, ctx.local_day(calendar_offsets_[team_.manager(m).calendar]));
      return;
    }
  }
  out.has_strategy = false;
  out.pool = PoolId();
}

namespace {

// Enumerates set bits of AND(rows) in ascending order, kBlock words at a time.
class MatchCursor {
 public:
  MatchCursor(const std::uint64_t* const* rows, std::size_t n_rows, std::size_t words)
      : rows_(rows), n_rows_(n_rows), words_(words) {}

  std::size_t next() {
    while (current_ == 0) {
      if (++slot_ >= kBlock) {
        do {
          if (base_ >= words_) return SIZE_MAX;
        } while (!load_block());
        slot_ = 0;
      }
      current_ = block_[slot_];
    }
    const std::size_t bit = static_cast<std::size_t>(std::countr_zero(current_));
    current_ &= current_ - 1;
    return (base_ - kBlock + slot_) * 64 + bit;
  }

 private:
  // ANDs the next block into block_ and advances; false when it is all zero.
  bool load_block() {
    std::uint64_t b[kBlock];
    const std::uint64_t* first = rows_[0] + base_;
    for (std::size_t j = 0; j < kBlock; ++j) b[j] = first[j];
    for (std::size_t r = 1; r < n_rows_; ++r) {
      if ((b[0] | b[1] | b[2] | b[3]) == 0) break;  // rows are ordered most selective first
      const std::uint64_t* row = rows_[r] + base_;
      for (std::size_t j = 0; j < kBlock; ++j) b[j] &= row[j];
    }
    base_ += kBlock;
    if ((b[0] | b[1] | b[2] | b[3]) == 0) return false;
    for (std::size_t j = 0; j < kBlock; ++j) block_[j] = b[j];
    return true;
  }

  const std::uint64_t* const* rows_;
  std::size_t n_rows_;
  std::size_t words_;
  std::size_t base_ = 0;       // first word of the next block
  std::size_t slot_ = kBlock;  // index in block_ of current_
  std::uint64_t block_[kBlock] = {};
  std::uint64_t current_ = 0;
};

}  // namespace

std::size_t Router::select_rows(const Lead& lead, const std::uint64_t** rows) const noexcept {
  std::size_t n_rows = 0;
  for (std::size_t i = 0; i < indexed_attributes_.size(); ++i) {
    const AttributeId a = indexed_attributes_[i];
    const std::size_t values = domain_sizes_[a.value()];
    ValueCode v = lead.values[a.value()];
    if (v == kUnspecified || v >= values) v = static_cast<ValueCode>(values);
    rows[n_rows++] = rows_[i].data() + static_cast<std::size_t>(v) * words_;
  }
  if (n_rows == 0) rows[n_rows++] = all_rules_.data();
  return n_rows;
}

void Router::route(const Lead& lead, RouterState& state, Decision& out) const {
  assert(state.manager_count() == team_.managers().size() && state.pool_count() == rules_.pools().size() &&
         "state of another router");
  const std::uint64_t* rows[kMaxCategoricalAttributes + 1];
  MatchCursor cursor(rows, select_rows(lead, rows), words_);
  route_impl(lead, state, out, [&cursor]() { return cursor.next(); });
}

void Router::route_by_linear_scan(const Lead& lead, RouterState& state, Decision& out) const {
  assert(state.manager_count() == team_.managers().size() && state.pool_count() == rules_.pools().size() &&
         "state of another router");
  const std::size_t n_rules = rules_.rules().size();
  const std::size_t n_attr = domain_sizes_.size();
  ValueCode values[kMaxCategoricalAttributes];
  for (std::size_t a = 0; a < n_attr; ++a) {
    const ValueCode v = lead.values[a];
    values[a] = v == kUnspecified || v >= domain_sizes_[a] ? domain_sizes_[a] : v;
  }
  const std::uint32_t* offsets = linear_offsets_.data();
  const std::uint64_t* pool = linear_pool_.data();
  std::size_t r = 0;
  route_impl(lead, state, out, [&]() -> std::size_t {
    for (; r < n_rules; ++r) {
      const std::uint32_t* rule = offsets + r * n_attr;
      bool ok = true;
      for (std::size_t a = 0; a < n_attr && ok; ++a) {
        ok = rule[a] == kAnyOffset || ((pool[rule[a] + values[a] / 64] >> (values[a] % 64)) & 1u) != 0;
      }
      if (ok) return r++;
    }
    return SIZE_MAX;
  });
}

std::vector<RuleId> Router::matching_rules(const Lead& lead) const {
  const std::uint64_t* rows[kMaxCategoricalAttributes + 1];
  MatchCursor cursor(rows, select_rows(lead, rows), words_);
  std::vector<RuleId> out;
  for (std::size_t r = cursor.next(); r != SIZE_MAX; r = cursor.next()) {
    if (rule_ranges_match(rules_.rules()[r], lead)) out.push_back(RuleId(static_cast<std::uint32_t>(r)));
  }
  return out;
}

}  // namespace dealflow::routing
