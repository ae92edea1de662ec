// The Department's state, shared by its operations (department_ops.cpp) and
// replay / snapshot / fingerprint (department_replay.cpp).
#pragma once

#include <memory>
#include <vector>

#include "dealflow/store/department.h"

namespace dealflow::store {

struct Department::Impl {
  Impl(DepartmentConfig c, std::uint64_t fp, Engine e, routing::RouterState s)
      : config(std::move(c)), fingerprint(fp), engine(std::move(e)), initial_state(s), state(std::move(s)) {}

  // Who a deal counts for in the router (owner, open stage), as last seen.
  struct Load {
    ManagerId owner;
    bool open = false;
  };
  // Counts of the engine before an operation: what it appended is after them.
  struct Mark {
    std::size_t events = 0;
    std::size_t field_events = 0;
    std::size_t deals = 0;
  };

  Mark mark() const noexcept {
    return {engine.history().size(), engine.history().field_event_count(), engine.deal_count()};
  }
  Instant now() const { return engine.now(); }
  bool is_open(const Deal& deal) const noexcept {
    return engine.workspace().pipeline(deal.pipeline).kind(deal.stage) == StageKind::open;
  }
  bool counted(ManagerId m) const noexcept { return m.valid() && m.value() < state.manager_count(); }
  // After an applied operation: re-derives the load of every deal the engine
  // touched since `before`, moves the router's open-deal counts, appends the
  // change (sequence assigned here) and hands it to the sink.
  Status commit(Change change, const Mark& before);

  DepartmentConfig config;
  std::uint64_t fingerprint = 0;
  Engine engine;
  routing::RouterState initial_state;
  routing::RouterState state;
  std::vector<Change> changes;
  std::vector<Load> loads;  // by DealId value
  ChangeSink* sink = nullptr;
  Status failed;
};

}  // namespace dealflow::store
