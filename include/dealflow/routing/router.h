// dealflow/routing/router.h: the compiled lead router.
//
// `Router::compile` turns a TeamModel and a RuleSet into per-attribute
// indexes: for every categorical attribute and every value code, a bitset of
// the rules that accept it (rules that accept anything on that attribute are
// folded into every row; hierarchies are expanded at compile time). Matching
// a lead is then an AND of one row per constrained attribute, taken 256 bits
// at a time, and find-first-set in priority order: no strings, no allocation.
//
// `route` walks the matching rules in order. For each, its target yields a
// manager or nobody:
//   - eligibility: active; not absent on the lead's local date; within
//     working hours when the rule asks; skills accept the lead on every axis;
//     under every cap (open deals, daily, rolling 30 days);
//   - strategies: round robin (next eligible member after the last assigned,
//     in stable-key order), smooth weighted round robin (weight 0 never
//     chosen), least loaded (fewest open deals, ties in round-robin order),
//     lead field (the field's value -> manager map);
//   - account owner: the lead's owner when eligible, else the rule's fallback.
// When a target yields nobody the next matching rule is tried, then the
// default pool (within working hours too when the rule set asks for it); when
// nobody is eligible the decision is "unassigned". Every skipped candidate is
// recorded (Decision::skipped) and `explain` renders it for a head of sales
// ("Иванова Анна: absent 2024-03-01..2024-03-05"; an unassigned lead whose
// candidates were all off shift, inactive or absent reads "nobody on shift
// ...; the next shift starts 2024-03-05 09:00 (calendar msk)").
// An ineligible manager is never assigned. Same router + same state + same
// lead -> same decision and same resulting state (deterministic replay).
//
// Ownership: the Router owns its TeamModel and RuleSet. State is external
// (router_state.h) and passed to every call.
// Thread-safety: a Router is immutable; any number of threads may call
// `route` concurrently, each with its own RouterState. To share one state,
// use SynchronizedRouter (a mutex around route + state), or serialize calls.
//
// Example:
//   auto router = Router::compile(std::move(*team), std::move(*rules));
//   RouterState state = router->initial_state();
//   Decision d;
//   router->route(lead, state, d);
//   if (d.assigned()) std::cout << router->team().manager(d.manager).name;
//   std::cout << router->explain(d);
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dealflow/core/ids.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/routing/lead.h"
#include "dealflow/routing/router_state.h"
#include "dealflow/routing/rules.h"
#include "dealflow/routing/team.h"

namespace dealflow::routing {

enum class SkipReason : std::uint8_t {
  inactive,        // manager: active = false
  absent,          // manager: an absence covers the lead's local date (first..last)
  off_hours,       // manager: outside working hours and the rule asks for them
  lacks_skill,     // manager: no skill for attribute = value
  open_deals_cap,  // manager: count/limit open deals
  daily_cap,       // manager: count/limit assigned on `first`
  rolling_cap,     // manager: count/limit assigned in the 30 days ending `first`
  zero_weight,     // manager: weight 0 in weighted round robin
  no_owner,        // target: the lead has no known account owner
  field_empty,     // target: the lead has no value for the lead_field attribute
  field_unmapped,  // target: no manager mapped for attribute = value
};

std::string_view to_string(SkipReason r) noexcept;

// Why one candidate (or one whole target) was passed over.
struct Skip {
  RuleId rule;        // invalid: the default pool
  ManagerId manager;  // invalid: a target-level reason
  SkipReason reason = SkipReason::inactive;
  bool fallback = false;  // inside an account_owner rule's fallback pool
  std::uint32_t count = 0;
  std::uint32_t limit = 0;
  Date first;  // absence first day / cap date
  Date last;   // absence last day
  AttributeId attribute;
  ValueCode value = kUnspecified;
};

struct [[nodiscard]] Decision {
  ManagerId manager;  // invalid: unassigned
  RuleId rule;        // invalid: the default pool or unassigned
  bool by_default_pool = false;
  TargetKind target = TargetKind::pool;
  bool via_fallback = false;  // account_owner rule that used its fallback pool
  bool has_strategy = false;
  Strategy strategy = Strategy::round_robin;
  PoolId pool;                           // when chosen from a pool
  ValueCode field_value = kUnspecified;  // lead_field: the lead's value that picked
  std::uint32_t rules_matched = 0;       // matching rules tried, including the winner
  std::vector<Skip> skipped;             // in the order candidates were examined
  Instant at;                            // the lead's instant (explain: when the next shift starts)

  bool assigned() const noexcept { return manager.valid(); }
  void clear() noexcept;  // keeps the vector's capacity: no allocation on reuse
};

class Router {
 public:
  // Errors: the rule set was built against a different team (sizes differ).
  static Result<Router> compile(TeamModel team, RuleSet rules);

  const TeamModel& team() const noexcept { return team_; }
  const RuleSet& rules() const noexcept { return rules_; }
  RouterState initial_state() const { return RouterState(team_.managers().size(), rules_.pools()); }

  // Routes one lead and updates `state` (cursor, weights, counters) when a
  // manager is assigned. `state` must come from this router's initial_state()
  // or parse_router_state. `out` is cleared first; reuse it to avoid allocation.
  void route(const Lead& lead, RouterState& state, Decision& out) const;
  Decision route(const Lead& lead, RouterState& state) const {
    Decision d;
    route(lead, state, d);
    return d;
  }

  // The same decision computed by testing every rule in order (no index).
  // The reference for tests and the benchmark baseline.
  void route_by_linear_scan(const Lead& lead, RouterState& state, Decision& out) const;

  // Rules whose conditions match the lead, in evaluation order (index path).
  std::vector<RuleId> matching_rules(const Lead& lead) const;

  // "round robin in team Входящие SMB; skipped: Иванова Анна: absent 2024-03-01..2024-03-05".
  // Unassigned: why, then the candidates passed over per rule; when every
  // candidate was inactive, absent or outside working hours (at least one of
  // them off shift) the text starts "nobody on shift" and names the earliest
  // start of working time after the lead among those managers' calendars.
  std::string explain(const Decision& d) const;
  // One skip as text: "Иванова Анна: absent 2024-03-01..2024-03-05".
  std::string explain(const Skip& s) const;

  std::size_t index_bytes() const noexcept;

 private:
  struct PoolRuntime {
    std::vector<std::uint32_t> ranks;    // member ranks, ascending
    std::vector<std::uint32_t> weights;  // member weights
  };
  struct Context;
  Router() = default;
  template <class NextRule>
  void route_impl(const Lead& lead, RouterState& state, Decision& out, NextRule&& next_rule) const;
  bool try_rule(const Rule& rule, Context& ctx) const;
  ManagerId pick_from_pool(const PoolTarget& target, bool fallback, Context& ctx) const;
  bool check_eligible(ManagerId m, bool fallback, Context& ctx) const;
  bool rule_ranges_match(const Rule& rule, const Lead& lead) const noexcept;
  // "the next shift starts 2024-03-05 09:00 (calendar msk)": the earliest
  // working time at or after d.at among the off-shift candidates' calendars;
  // empty when none has working time.
  std::string next_shift_text(const Decision& d) const;
  // Fills `rows` with the index rows for the lead's values (at most
  // kMaxCategoricalAttributes + 1) and returns how many it filled.
  std::size_t select_rows(const Lead& lead, const std::uint64_t** rows) const noexcept;

  TeamModel team_;
  RuleSet rules_;
  std::size_t words_ = 0;  // 64-bit words per rule bitset
  // For each constrained attribute: rows of `words_` words, one per value code
  // plus a last row for kUnspecified.
  std::vector<AttributeId> indexed_attributes_;
  std::vector<std::vector<std::uint64_t>> rows_;  // parallel to indexed_attributes_
  std::vector<std::uint64_t> all_rules_;          // used when no attribute is indexed
  std::vector<std::uint64_t> has_ranges_;         // rules with numeric ranges
  // Linear-scan baseline, rule-major: per rule and attribute an offset into
  // linear_pool_ of a mask over value codes (bit `size` = unspecified), or
  // kAnyOffset. Flat so the baseline is a fair, cache-friendly scan.
  static constexpr std::uint32_t kAnyOffset = 0xFFFFFFFFu;
  std::vector<std::uint32_t> linear_offsets_;
  std::vector<std::uint64_t> linear_pool_;
  std::vector<std::uint32_t> domain_sizes_;
  std::vector<PoolRuntime> pools_;
  std::vector<int> calendar_offsets_;     // per calendar: UTC offset minutes
  std::vector<std::uint8_t> has_skills_;  // per manager: some axis restricted
};

// One Router and one shared RouterState behind a mutex: the simple way to let
// many request threads route against the same persisted state.
class SynchronizedRouter {
 public:
  SynchronizedRouter(std::shared_ptr<const Router> router, RouterState state)
      : router_(std::move(router)), state_(std::move(state)) {}

  Decision route(const Lead& lead) {
    Decision d;
    std::lock_guard<std::mutex> lock(mutex_);
    router_->route(lead, state_, d);
    return d;
  }
  RouterState snapshot() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return state_;
  }
  const Router& router() const noexcept { return *router_; }

 private:
  std::shared_ptr<const Router> router_;
  mutable std::mutex mutex_;
  RouterState state_;
};

}  // namespace dealflow::routing
