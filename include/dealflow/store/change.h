// dealflow/store/change.h: one applied operation of a Department, and where it goes.
//
// The store persists and streams operations, not resulting state ("command
// sourcing"): the deal engine and the router are deterministic, so the same
// operations with the same instants on the same configs rebuild the same
// deals, history, timers, automation failures, hand-off links and router
// state. A `Change` is one APPLIED operation (refused ones change nothing and
// are never recorded) with every input resolved: the instant is always set
// (an operation without an instant records the clock's reading), a creation's
// entry stage is the resolved one, a probability is rounded to parts per
// million before it is applied. docs/embedding.md describes the JSON Lines
// wire form (change_json.h) field by field.
//
// A `ChangeSink` is the host's durable log (the SQLite store, or the host's
// own database): the Department hands it every change together with the
// router open-deal counts that change moved, as one atomic append.
//
// Thread-safety: plain values; a sink is called by one Department at a time.
//
// Example:
//   class MyLog : public dealflow::store::ChangeSink {
//     Status append(const Change& c, std::span<const std::pair<ManagerId, std::uint32_t>> open) override {
//       return db.insert(c.sequence, to_json_line(c, department), open);   // one transaction
//     }
//     Status flush() override { return db.commit(); }
//   };
#pragma once

#include <cstdint>
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
#include "dealflow/pipeline/pipeline.h"
#include "dealflow/routing/lead.h"

namespace dealflow::store {

enum class ChangeKind : std::uint8_t {
  create = 1,
  route_and_create = 2,
  move = 3,
  reassign = 4,
  set_field = 5,
  set_amount = 6,
  set_probability = 7,
  set_client = 8,
  tick = 9,
};
// "create" | "route_and_create" | "move" | "reassign" | "set_field" | "set_amount" |
// "set_probability" | "set_client" | "tick".
std::string_view to_string(ChangeKind kind) noexcept;
std::optional<ChangeKind> parse_change_kind(std::string_view text) noexcept;

// One applied operation, all inputs resolved. Members a kind does not use keep
// their default values (so two equal operations compare equal).
struct Change {
  std::uint64_t sequence = 0;  // 1, 2, 3, ... dense, assigned by the Department
  ChangeKind kind = ChangeKind::tick;
  Instant at;           // creation instant, move / edit instant, tick's now
  ManagerId actor;      // invalid = the system (automation)
  DealId deal;          // the deal it applied to (creations: the new deal's id)
  PipelineId pipeline;  // creations and moves: the deal's pipeline
  StageId stage;        // creations: the entry stage; move: the target stage
  ManagerId owner;      // creations (the routed manager for route_and_create) and reassign
  ClientId client;      // creations and set_client
  Money amount;         // creations and set_amount
  // Creations and set_probability (nullopt: no override / clear it); always a
  // whole number of parts per million (ppm / 1e6).
  std::optional<double> probability;
  FieldId field;      // set_field
  std::string value;  // set_field
  // Creations: NewDeal::attributes, field name -> UTF-8 value, in call order.
  std::vector<std::pair<std::string, std::string>> attributes;
  routing::Lead lead;  // route_and_create: the lead as routed

  friend bool operator==(const Change& a, const Change& b);
};

// Where a Department writes each applied operation.
class ChangeSink {
 public:
  virtual ~ChangeSink() = default;
  // One applied operation: `change` and the open-deal counts of the managers
  // whose count it changed (manager, new count), ascending by manager. Must be
  // atomic (all or nothing). An error makes the Department failed(): the
  // engine cannot undo the operation, so the Department refuses everything
  // after it with that error until it is rebuilt (restore from the sink).
  virtual Status append(const Change& change,
                        std::span<const std::pair<ManagerId, std::uint32_t>> open_deals) = 0;
  // Group commit: everything appended so far is durable when this returns.
  virtual Status flush() = 0;
};

// A sink that keeps everything in memory (tests, hosts that copy it out later).
class MemorySink : public ChangeSink {
 public:
  struct Entry {
    Change change;
    std::vector<std::pair<ManagerId, std::uint32_t>> open_deals;
  };
  Status append(const Change& change,
                std::span<const std::pair<ManagerId, std::uint32_t>> open_deals) override;
  Status flush() override {
    ++flushes_;
    return {};
  }
  const std::vector<Entry>& entries() const noexcept { return entries_; }
  std::size_t flushes() const noexcept { return flushes_; }

 private:
  std::vector<Entry> entries_;
  std::size_t flushes_ = 0;
};

}  // namespace dealflow::store
