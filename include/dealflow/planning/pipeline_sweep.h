// dealflow/planning/pipeline_sweep.h: the pipeline states at many instants in
// one pass over the log.
//
// `sweep_pipeline_states` visits, in instant order, the PipelineState at each
// requested instant, each equal to what `pipeline_state_as_of` (the
// definition, dealflow/planning/pipeline_state.h) returns for that instant and
// its StateOptions: the same open deals with the same fields, the same closed
// deals. It does not rebuild anything per instant: a deal enters the active set
// when created, with monotone cursors over its events, field changes and
// pipeline moves, its field values updated as the cursor passes each change;
// it is re-evaluated only at the first instant its next row reaches, and
// leaves the set when nothing is ahead. The open deals and the closed deals of
// the current window (StateOptions::closed_from) are sorted vectors updated in
// place between instants. The cost is O(events + field changes + moves +
// re-evaluations + output), not instants × deals, and memory holds one state
// plus the active set (plus every closed deal when some point's closed window
// is wider than the one before it).
//
// No look-ahead: at instant T the sweep reads only events and field changes
// at or before T (SweepStats::late_reads counts any read past T; the tests
// assert it stays 0).
//
// Ownership: the visitor gets a state that lives until it returns.
// Thread-safety: reentrant; concurrent sweeps over one sealed log are safe.
//
// Example:
//   std::vector<dealflow::planning::SweepPoint> points = {{t1, {}}, {t2, {}}};
//   auto st = dealflow::planning::sweep_pipeline_states(log, pipeline, points,
//       [](std::size_t i, const dealflow::planning::PipelineState& s) -> dealflow::Status {
//         std::cout << i << ": " << s.open.size() << " open\n";
//         return {};
//       });
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "dealflow/planning/pipeline_state.h"

namespace dealflow::planning {

// One instant of a sweep and the options its state is built with.
struct SweepPoint {
  Instant as_of;
  StateOptions options;
};

// What a sweep read (for benchmarks and the no-look-ahead tests).
struct SweepStats {
  std::uint64_t evaluations = 0;  // deal records (re)built
  std::uint64_t events_read = 0;  // event rows read while evaluating deals
  std::uint64_t late_reads = 0;   // events or field changes read with an instant after the state's: 0
  std::uint64_t max_active = 0;   // the largest active set
};

// Called once per point, in order; an error status stops the sweep and is returned.
using StateVisitor = std::function<Status(std::size_t point, const PipelineState& state)>;

// Errors: those of pipeline_state_as_of (unsealed log, pipeline without deals
// in the log), invalid_argument when the points are not in non-decreasing
// instant order (naming the first one out of order), or the visitor's error.
Status sweep_pipeline_states(const analytics::EventLog& log, const Pipeline& pipeline,
                             std::span<const SweepPoint> points, const StateVisitor& visit,
                             SweepStats* stats = nullptr);

}  // namespace dealflow::planning
