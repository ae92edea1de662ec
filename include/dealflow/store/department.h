// dealflow/store/department.h: the deal engine and the lead router as one unit.
//
// A `Department` is what a CRM embeds: one deal Engine over a Workspace, an
// optional Router with its RouterState, and an optional ChangeSink. Every
// operation applies to the engine (and the router), then appends exactly one
// Change (change.h) to the in-memory stream and to the sink; a refused
// operation changes nothing and calls the sink never.
//
// Router open-deal invariant: for every manager m of the router's team,
//   router_state().open_deals(m) == initial open deals of m
//                                   + deals of the engine owned by m in an open stage.
// A creation raises the owner's count; a move, timed move or hand-off into a
// won or lost stage lowers it, a reopen raises it again, reassign moves it from
// the old owner to the new one - in the same operation (the same Change and the
// same sink append, which carries the new counts). Open deals the router was
// given at make() (deals the CRM had before dealflow) are never closed by it.
//
// The clock: an operation without an instant (NewDeal::created_at unset) reads
// EngineOptions::clock (the system clock when empty) once, and the resolved
// instant is what the engine gets and the Change records. Hosts replaying
// historical data must pass instants.
//
// Restore: `restore(config, snapshot, changes)` builds a fresh Department and
// replays the snapshot's changes, then `changes`, through the same operations;
// the result equals the original (history, deals, timers, links, automation
// failures, router state). Refused on a configuration fingerprint mismatch, a
// sequence gap, or a change that the engine or router does not reproduce.
//
// Failure: when the sink's append fails, the operation is applied in memory
// but not recorded durably; the Department becomes failed() and every later
// operation returns that error. Rebuild it with restore() from the sink.
//
// Thread-safety: NOT thread-safe (like Engine): one thread at a time calls
// anything; a host serving several threads puts one mutex around it (the sink
// needs one writer anyway). Reads return references valid until the next
// operation.
//
// Ownership: owns the engine, the router state and the stream; shares the
// Workspace and Router (immutable); does not own the sink. Movable.
//
// Example:
//   DepartmentConfig config{workspace, options, router, router->initial_state()};
//   auto dept = Department::make(config);
//   NewDeal nd; nd.amount = *Money::parse_with_code("250000 RUB"); nd.created_at = lead.at;
//   auto routed = dept->route_and_create(lead, nd);       // owner from the router
//   auto moved = dept->move(routed->deal, won, at, routed->owner);
//   for (const Change& c : dept->changes()) std::cout << to_json_line(c, *dept) << "\n";
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "dealflow/pipeline/engine.h"
#include "dealflow/routing/router.h"
#include "dealflow/routing/router_state.h"
#include "dealflow/store/change.h"

namespace dealflow::store {

// Everything a Department is built from.
struct DepartmentConfig {
  std::shared_ptr<const Workspace> workspace;
  EngineOptions engine_options;  // clock: "now" for operations without an instant
  // Optional: without a router, route_and_create is refused and no open deals are counted.
  std::shared_ptr<const routing::Router> router;
  // Open deals etc. as loaded from the CRM before dealflow (sized for `router`;
  // an empty state is replaced by router->initial_state()).
  routing::RouterState initial_router_state;

  // A structural hash of the workspace (pipelines, stages, moves, hand-offs,
  // automation shape), the extra fields, the team and the rules: the configs a
  // stream may be replayed on. Not the router state, not predicates' code.
  std::uint64_t fingerprint() const;
};

// Where a Department's state starts: the configuration fingerprint, the
// router state before the first change, and the changes 1..sequence.
struct Snapshot {
  std::uint64_t fingerprint = 0;
  std::uint64_t sequence = 0;  // == changes.size()
  routing::RouterState initial_router_state;
  std::vector<Change> changes;
};

struct RoutedDeal {
  DealId deal;
  ManagerId owner;
  routing::Decision decision;
  std::uint32_t automation_failures = 0;  // of the creation (MoveResult::automation_failures)
};

class Department {
 public:
  // Errors: invalid_argument without a workspace, or a router state not sized
  // for the router; Engine::make's errors.
  static Result<Department> make(DepartmentConfig config);
  // Replays snapshot.changes then `changes` (dense sequences from 1) into a
  // fresh Department. The snapshot's initial router state is used (not the
  // config's). Errors (located: "change 17 (move): ..."): fingerprint
  // mismatch, a gap or an out-of-order sequence, a change the engine refuses on
  // replay, a replayed change that differs (another routed owner or deal id).
  static Result<Department> restore(DepartmentConfig config, const Snapshot& snapshot,
                                    std::span<const Change> changes = {});
  // The snapshot of an empty department of `config` (fingerprint, initial router state).
  static Snapshot initial_snapshot(const DepartmentConfig& config);
  // Re-applies one recorded change (what restore does for each): its sequence
  // must be sequence() + 1, the engine must apply it and record an equal
  // change. The sink is not called (the change is already recorded). Errors
  // (validation_failed, "change 17 (move): ..."): as restore's; a refused
  // replay changes nothing, one that replays differently leaves it applied
  // (discard the Department then).
  Status replay(const Change& change);

  Department(Department&&) noexcept;
  Department& operator=(Department&&) noexcept;
  ~Department();

  // ---- operations. A Status error means: the Department is failed() (see
  // above) or, for route_and_create, the lead could not be routed or its deal
  // could not be created. An engine refusal is an ok Result holding a refused
  // MoveResult (nothing changed, nothing recorded).
  // Routes the lead, then creates `deal` with the routed owner (deal.owner is
  // ignored). Nothing changes when the lead is unassigned (refused, with the
  // router's explanation) or the engine refuses the creation (refused).
  Result<RoutedDeal> route_and_create(const routing::Lead& lead, NewDeal deal);
  Result<MoveResult> create(NewDeal deal);
  Result<MoveResult> move(DealId deal, StageId to, Instant at, ManagerId actor);
  // The engine's set_owner (recorded as an owner field change).
  Result<MoveResult> reassign(DealId deal, ManagerId new_owner, Instant at, ManagerId actor);
  Result<MoveResult> set_field(DealId deal, FieldId field, std::string_view value, Instant at,
                               ManagerId actor);
  Result<MoveResult> set_amount(DealId deal, Money amount, Instant at, ManagerId actor);
  Result<MoveResult> set_probability(DealId deal, std::optional<double> probability, Instant at,
                                     ManagerId actor);
  Result<MoveResult> set_client(DealId deal, ClientId client, Instant at, ManagerId actor);
  // Always recorded (a tick may fire timers, and the instant matters for replay).
  Result<TickReport> tick(Instant now);

  // ---- reads
  const Engine& engine() const noexcept;
  const Workspace& workspace() const noexcept;
  const routing::Router* router() const noexcept;  // nullptr without one
  const routing::RouterState& router_state() const noexcept;
  std::uint64_t fingerprint() const noexcept;
  std::uint64_t sequence() const noexcept;                          // of the last applied change (0: none)
  const std::vector<Change>& changes() const noexcept;              // every change since make/restore, from 1
  std::vector<Change> changes_since(std::uint64_t sequence) const;  // sequence > given
  Snapshot snapshot() const;  // fingerprint, initial router state, every change
  // Ok, or the sink error that stopped the Department.
  const Status& failed() const noexcept;

  // Where applied changes go from now on (not owned; nullptr: none).
  void set_sink(ChangeSink* sink) noexcept;
  // Group commit: the sink's flush(); every change appended so far is durable
  // when it returns ok. An error makes the Department failed() (what was
  // appended since the last flush may be lost). Ok without a sink.
  Status flush();

  struct Impl;

 private:
  explicit Department(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dealflow::store
