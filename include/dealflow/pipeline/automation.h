// dealflow/pipeline/automation.h: the host's hooks into the deal engine and
// what automation reports.
//
//  - Guard predicates: a pipeline guard {"type": "predicate", "name": "has_contract"}
//    names a predicate the host registers from C++ in a `PredicateRegistry`. The
//    engine resolves every name to an index in Engine::make (a missing one is an
//    error then, not at move time) and calls the function with a
//    `GuardContext` (integers only: codes, ids, Money).
//  - Callbacks: `StageCallback`s the host attaches to "entering stage S" or to
//    every stage entry. They run AFTER the change is committed, outside the
//    engine's locks, with a `MoveNotice`; an exception is caught and recorded as
//    an `AutomationFailure`, never propagated, never undoing the move.
//  - `TickReport`: what engine.tick(now) did: timed moves fired (applied or
//    refused), escalations raised, and the deals over their stage SLA.
//
// Ownership: the registry owns its std::functions; the engine copies them.
// Thread-safety: predicates and callbacks registered with a thread-safe engine
// are called from whichever thread moves the deal, concurrently for different
// deals: they must be thread-safe themselves. A predicate runs while the deal is
// locked and must not call back into the engine for the same deal.
//
// Example:
//   dealflow::PredicateRegistry predicates;
//   predicates.add("big_deal", [](const dealflow::GuardContext& g) {
//     return g.amount.minor_units() >= 1'000'000'00;
//   });
//   dealflow::EngineOptions options;
//   options.predicates = std::move(predicates);
//   auto engine = dealflow::Engine::make(workspace, std::move(options));  // Result<Engine>
//   engine->on_enter(pipeline, won, "notify", [](const dealflow::MoveNotice& n) { send(n.deal); });
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dealflow/core/ids.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/deal.h"
#include "dealflow/pipeline/history.h"
#include "dealflow/pipeline/move_result.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow {

// What a predicate sees: the deal as it is before the move, and the move.
struct GuardContext {
  DealId deal;
  PipelineId pipeline;
  StageId from;  // invalid when the deal is being created
  StageId to;
  Instant at;
  ManagerId actor;  // invalid = automation
  Money amount;
  ManagerId owner;
  ClientId client;
  std::span<const ValueCode> attributes;  // by attribute slot
};
using Predicate = std::function<bool(const GuardContext&)>;

// Named predicates, resolved by the engine to dense indexes once.
class PredicateRegistry {
 public:
  // duplicate when `name` is already registered; invalid_argument for an empty
  // name or function.
  Status add(std::string name, Predicate predicate);
  const Predicate* find(std::string_view name) const noexcept;
  std::size_t size() const noexcept { return entries_.size(); }

 private:
  std::vector<std::pair<std::string, Predicate>> entries_;
};

// A committed stage entry, handed to callbacks.
struct MoveNotice {
  DealId deal;
  PipelineId pipeline;
  // Invalid on creation, for a deal created by a hand-off (handoff_created) and
  // for a deal a hand-off moved in from another pipeline (handoff_moved: `from`
  // would be a stage of that other pipeline; the history event has it).
  StageId from;
  StageId to;
  Instant at;
  ManagerId actor;  // invalid = automation
  EventCause cause = EventCause::moved;
};
using StageCallback = std::function<void(const MoveNotice&)>;

enum class AutomationFailureKind : std::uint8_t {
  callback_threw,      // a host callback threw; `message` is what() (or "unknown exception")
  handoff_refused,     // a hand-off's target refused the deal (guard); the source move stayed applied
  timed_move_refused,  // a due timed move was refused (guard, policy, time); the deal stayed
};
std::string_view to_string(AutomationFailureKind kind) noexcept;

struct AutomationFailure {
  AutomationFailureKind kind = AutomationFailureKind::callback_threw;
  DealId deal;
  PipelineId pipeline;
  StageId stage;     // the stage entered (callbacks) / the trigger or source stage
  Instant at;
  std::string name;  // the callback's name, the hand-off id, or the target stage id
  std::string message;
};

// A timed move tick() attempted, in the order it fired.
struct FiredTimedMove {
  DealId deal;
  PipelineId pipeline;
  StageId from;
  StageId to;
  Instant due;
  MoveResult result;  // applied, or the refusal (also recorded as an AutomationFailure)
};

// An escalation raised because a deal was still in the stage when it fell due.
struct EscalationNotice {
  DealId deal;
  PipelineId pipeline;
  StageId stage;
  Instant due;
  std::string name;  // from the config
  RoleId notify_role;
};

// A deal whose time in its current stage exceeds the stage SLA ("rotting").
struct RottingDeal {
  DealId deal;
  PipelineId pipeline;
  StageId stage;
  Instant entered_at;
  Duration in_stage{0};  // measured on `basis` from entered_at to the tick instant
  Duration limit{0};
  TimeBasis basis = TimeBasis::calendar;
};

struct TickReport {
  Instant now;
  std::vector<FiredTimedMove> timed_moves;  // due-time order, then scheduling order
  std::vector<EscalationNotice> escalations;  // due-time order, then scheduling order
  std::size_t stale_timers = 0;  // timers dropped because the deal had left the stage
  std::vector<RottingDeal> rotting;  // deal id order
};

}  // namespace dealflow
