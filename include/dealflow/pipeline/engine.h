// dealflow/pipeline/engine.h: the deal engine, the runtime state machine of deals.
//
// The engine holds the live deals of a Workspace (one or more pipelines), applies
// create / move / set_* requests against the compiled pipelines, appends every
// applied change to the append-only History (dealflow/pipeline/history.h), runs
// on-enter automation (set probability, set field, timed moves, escalations,
// hand-offs, host callbacks) and, on tick(now), fires due timed moves and lists
// deals over their stage SLA. docs/deal-engine.md has the full semantics.
//
// A move(deal, to, at, actor) is checked in this order, and the first failure
// is the refusal (a refused request changes NOTHING, history included):
//   unknown_deal, unknown_stage, time_out_of_range, time_before_last_event,
//   invalid_actor, already_in_stage, terminal_without_reopen / not_allowed,
//   guard_failed (guards in Pipeline::guards(from, to) order).
// An applied move appends one HistoryEvent, then runs the target stage's
// on-enter actions in declaration order, then its hand-offs; callbacks run after
// the engine released the deal. Timed moves act as the system actor (no roles),
// hand-offs as the actor of the triggering move; both pass the same policy and
// guards, and a refusal there is recorded (automation_failures(), TickReport),
// never silent and never forced.
//
// Threading model. `Engine` (= BasicEngine<SingleWriter>) has no locks: one
// thread at a time may call anything (the fast path). `ConcurrentEngine`
// (= BasicEngine<ThreadSafe>) runs the same code with locks:
//  - create/move/set_*/tick may be called from any number of threads; moves of
//    different deals run in parallel; requests on ONE deal are serialized by a
//    per-deal spinlock, and each appends its history records while holding it,
//    so per-deal history order equals the order the requests were applied in.
//  - history records are staged per writer thread: each thread appends to its
//    own shard (a single-producer ring no other writer touches, published
//    with one release store per operation); a record whose deal was last
//    written through another shard names that predecessor. The shards are
//    merged into the global History when a reader asks (history(), as_of,
//    links, automation_failures) or when a writer has 512 unmerged records:
//    shard by shard, a record never before its predecessor. No event is lost,
//    each deal's records (and each thread's) keep their order, and the log is
//    totally ordered.
//  - readers may run during writes. history() first merges what was staged, so
//    it shows every operation that returned before the call (and maybe some
//    later ones); a History reference kept from an earlier call sees the merges
//    made since. Either way a reader sees a prefix of the log that contains,
//    with any record, every earlier record of the same deal. MoveResult::event
//    is ~0 (a record's position is fixed when it is merged).
//  - creations are serialized (dense ids); deal() reads the live record.
//  - configuration (on_enter, on_any_entry, grant_role) must happen before the
//    engine is shared between threads.
//  - lock order: deal -> creation -> timers/links/failures -> merge;
//    callbacks run with no engine lock held, so they may call back into the
//    engine.
//
// Ownership: the engine shares the immutable Workspace (shared_ptr) and owns the
// deals, the history and the timers. It is movable, not copyable.
//
// Example:
//   auto loaded = dealflow::load_pipeline_file("data/pipelines/bitrix24_default.json");
//   auto engine = dealflow::Engine::make(std::move(loaded->pipeline));
//   const dealflow::Pipeline& p = engine->workspace().pipeline(dealflow::PipelineId{0});
//   dealflow::NewDeal nd; nd.amount = *dealflow::Money::parse_with_code("250000 RUB");
//   dealflow::DealId id = engine->create(nd).deal;
//   dealflow::MoveResult r = engine->move(id, *p.find_stage("PREPARATION"), at, manager);
//   if (!r) std::cerr << r.message << "\n";
//   dealflow::TickReport due = engine->tick(now);
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dealflow/core/calendar.h"
#include "dealflow/core/ids.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/automation.h"
#include "dealflow/pipeline/deal.h"
#include "dealflow/pipeline/history.h"
#include "dealflow/pipeline/move_result.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow {

// Engine policies.
struct SingleWriter {};  // no locks: the caller guarantees one thread at a time
struct ThreadSafe {};    // per-deal spinlocks, per-thread history shards, short global sections

struct EngineOptions {
  // The injected clock: "now" for requests without an instant (a NewDeal
  // whose created_at is nullopt, move() without `at`) and for tick().
  // Default: the system clock. So a deal created without created_at is
  // created today, and a later move at a historical instant is refused with
  // time_before_last_event: hosts replaying history set created_at and every
  // instant, or inject a clock (docs/deal-engine.md, "The clock").
  std::function<Instant()> clock;
  // Business time for TimedMove / Escalation / SLA on the business basis.
  // Default: Mon–Fri 09:00–18:00 UTC, no holidays (its name is ""). When a
  // pipeline names a "calendar", this calendar's name() must be that name.
  BusinessCalendar calendar;
  Instant history_epoch = History::kDefaultEpoch;
  // Host predicates for guards; every predicate a pipeline names must be here.
  PredicateRegistry predicates;
  // Custom attribute fields no pipeline names (the pipelines' fields are known).
  std::vector<std::string> extra_fields;
  // Roles of actors (role names as in the configs' "roles"); at most 64 roles.
  std::vector<std::pair<ManagerId, std::vector<std::string>>> actor_roles;
  // Capacity hints (memory is reserved, nothing else changes).
  std::size_t expected_deals = 0;
  std::size_t expected_events = 0;
};

// The link a hand-off leaves between pipelines. For HandoffMode::move the
// source and target deal are the same deal.
struct HandoffLink {
  DealId source;
  PipelineId source_pipeline;
  StageId trigger;
  DealId target;
  PipelineId target_pipeline;
  StageId target_stage;
  HandoffMode mode = HandoffMode::create_linked;
  std::string handoff_id;
  Instant at;
};

template <class Policy>
class BasicEngine {
 public:
  // Compiles the workspace's pipelines into the engine's tables. Errors:
  // invalid_argument for an empty workspace, too many stages (>= 65535 in total),
  // an extra field or actor role that does not fit (> 65534 fields, > 64 roles);
  // not_found for a predicate no registry entry provides (all listed, with
  // pipeline and stage). Validation already refused what the engine cannot run
  // (set_field on amount/owner/client, more than 64 roles in a workspace).
  // Business time is measured in options.calendar (calendar() says which);
  // invalid_argument when a pipeline names a "calendar" other than its name().
  static Result<BasicEngine> make(std::shared_ptr<const Workspace> workspace, EngineOptions options = {});
  // A workspace of one pipeline.
  static Result<BasicEngine> make(Pipeline pipeline, EngineOptions options = {});

  BasicEngine(BasicEngine&&) noexcept;
  BasicEngine& operator=(BasicEngine&&) noexcept;
  ~BasicEngine();

  // ---- configuration (before sharing the engine between threads)
  // `callback` runs after every committed entry into (pipeline, stage).
  Status on_enter(PipelineId pipeline, StageId stage, std::string name, StageCallback callback);
  // `callback` runs after every committed stage entry (creations included).
  Status on_any_entry(std::string name, StageCallback callback);
  // Gives `actor` the role `role` (a role name; new names are added).
  Status grant_role(ManagerId actor, std::string_view role);

  // ---- changes
  // Creates a deal in `d.stage` (default entry when invalid): checks the
  // pipeline, the entry stage, the entry guards, the values; appends a `created`
  // event and the initial field values; runs the stage's on-enter automation.
  // Deal ids are dense: 0, 1, 2, ... in creation order.
  MoveResult create(const NewDeal& d);
  MoveResult move(DealId deal, StageId to, Instant at, ManagerId actor);
  MoveResult move(DealId deal, StageId to, ManagerId actor);  // at = clock()
  // Field edits (appended as FieldEvents; checked: deal, field, time, actor).
  MoveResult set_field(DealId deal, FieldId field, std::string_view value, Instant at, ManagerId actor);
  MoveResult set_amount(DealId deal, Money amount, Instant at, ManagerId actor);
  MoveResult set_owner(DealId deal, ManagerId owner, Instant at, ManagerId actor);
  MoveResult set_client(DealId deal, ClientId client, Instant at, ManagerId actor);
  // nullopt clears the override (the stage default applies again).
  MoveResult set_probability(DealId deal, std::optional<double> probability, Instant at, ManagerId actor);
  // Fires every timer due at or before `now` (timed moves at max(due, the deal's
  // last event), escalations), in due order, then lists rotting deals.
  TickReport tick(Instant now);
  TickReport tick();  // now = clock()

  // ---- reads
  Instant now() const;
  std::size_t deal_count() const noexcept;
  std::optional<Deal> deal(DealId id) const;
  // The override if set, else the stage default; nullopt for an unknown deal.
  std::optional<double> probability(DealId id) const;
  const History& history() const;
  HistoryState as_of(Instant t) const { return history().as_of(t); }
  // Links where `deal` is the source or the target, in creation order.
  std::vector<HandoffLink> links(DealId deal) const;
  std::vector<AutomationFailure> automation_failures() const;
  std::size_t pending_timers() const;

  const Workspace& workspace() const noexcept;
  // The business calendar of SLAs, timed moves and escalations (EngineOptions::calendar).
  const BusinessCalendar& calendar() const noexcept;
  std::size_t field_count() const noexcept;  // vocabulary fields + extra fields
  std::optional<FieldId> find_field(std::string_view name) const;
  std::string_view field_name(FieldId field) const;
  // Attribute value dictionaries (per field).
  std::optional<ValueCode> find_value(FieldId field, std::string_view text) const;
  ValueCode intern_value(FieldId field, std::string_view text);  // kNoValue for "" or a non-attribute field
  std::string value_text(FieldId field, ValueCode code) const;   // "" for kNoValue
  std::optional<RoleId> find_role(std::string_view name) const;

  struct Impl;

 private:
  explicit BasicEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

using Engine = BasicEngine<SingleWriter>;
using ConcurrentEngine = BasicEngine<ThreadSafe>;

extern template class BasicEngine<SingleWriter>;
extern template class BasicEngine<ThreadSafe>;

}  // namespace dealflow
