// dealflow/pipeline/move_result.h: the outcome of a deal-engine operation.
//
// Every engine operation that changes a deal (create, move, set_* and the moves
// automation makes) returns a `MoveResult`: applied, or refused with a
// `Refusal` code, the guard and field involved when a guard failed, and a
// human-readable message naming the deal, the stages and what was expected.
// A refused operation changed NOTHING: no deal state, no history record.
//
// Thread-safety: plain value.
//
// Example:
//   dealflow::MoveResult r = engine.move(deal, won, at, manager);
//   if (!r) {
//     if (r.refusal == dealflow::Refusal::guard_failed) highlight(r.field);
//     std::cerr << to_string(r.refusal) << ": " << r.message << "\n";
//   }
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dealflow/core/ids.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow {

enum class Refusal : std::uint8_t {
  none = 0,                 // applied
  unknown_deal,             // no deal has this id
  unknown_pipeline,         // create(): no pipeline has this id
  unknown_stage,            // the target stage is not in the deal's pipeline
  unknown_field,            // a field name/id the engine does not know (or not settable)
  not_entry_stage,          // create(): the stage is not an entry stage of the pipeline
  already_in_stage,         // move to the stage the deal is in
  not_allowed,              // the pipeline's move policy / transitions forbid from -> to
  terminal_without_reopen,  // the deal is won/lost and from -> to is not a declared reopen
  guard_failed,             // a guard refused: see `guard`, `field`, `predicate`
  time_before_last_event,   // `at` is earlier than the deal's latest event
  time_out_of_range,        // `at` is before the history epoch or after epoch + 2^32 s
  invalid_actor,            // the actor id does not fit the history (value >= 65535)
  invalid_value,            // e.g. a probability outside [0, 1]
};
std::string_view to_string(Refusal r) noexcept;

struct [[nodiscard]] MoveResult {
  Refusal refusal = Refusal::none;
  DealId deal;  // the deal concerned (the new id for create)
  // For guard_failed: the failing guard's kind and, per kind, the required field,
  // the predicate, or nothing (amount_positive / actor_role).
  GuardKind guard = GuardKind::required_fields;
  FieldId field;
  PredicateId predicate;
  // Index of the stage event appended (applied moves and creations), else ~0.
  // Always ~0 from a ConcurrentEngine: it stages events per thread and fixes
  // their positions when it merges them (docs/deal-engine.md, "Threading").
  std::uint64_t event = ~std::uint64_t{0};
  // Automation that failed during this operation (a hand-off whose target
  // refused, a callback that threw); the operation itself stays applied. See
  // engine.automation_failures().
  std::uint32_t automation_failures = 0;
  std::string message;  // empty when applied

  bool applied() const noexcept { return refusal == Refusal::none; }
  explicit operator bool() const noexcept { return applied(); }
};

}  // namespace dealflow
