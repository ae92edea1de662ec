// dealflow/pipeline/validate.h: checking a pipeline definition before it is compiled.
//
// `validate_pipeline` checks a PipelineSpec (the declared, name-based form of a
// pipeline) as a graph with Boost.Graph and returns a report with EVERY error
// and, separately, every warning, each naming the file, the JSON path of the
// offending element and the offending id. Rules (docs/pipeline-config.md):
//   errors:   stage ids unique; transitions, reopens, entries, timed moves and
//             hand-offs name known stages; at least one open, one won and one
//             lost stage; every stage reachable from the entry stage(s); every
//             open stage can reach a terminal stage; terminal stages have no
//             outgoing move except declared reopens (a `move` hand-off from a
//             terminal stage needs a reopen out of it); probabilities in [0, 1];
//             ...and the schema errors of the JSON loader (unknown keys, types).
//   warnings: an open stage that cannot reach any won stage; an open stage
//             without a probability (0 assumed); open-stage probabilities that
//             decrease along the funnel; business time (an SLA, timed move
//             or escalation) in a pipeline that names no "calendar"; ...
//
// Thread-safety: pure functions over values.
//
// Example:
//   dealflow::ValidationReport report = dealflow::validate_pipeline(spec);
//   for (const auto& e : report.errors) std::cerr << e.to_string() << "\n";
//   if (!report.ok()) return 1;
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/core/status.h"

namespace dealflow {

struct PipelineSpec;

enum class Severity : std::uint8_t { error, warning };

// What a diagnostic is about; every kind is documented in docs/pipeline-config.md.
enum class DiagnosticKind : std::uint8_t {
  // schema (JSON loader)
  unknown_key,  // a member the format does not define
  wrong_type,   // e.g. a number where a string is expected
  missing_key,  // a required member is absent
  bad_value,    // e.g. kind "done", policy "strict", an entry listed twice, set_field on "amount"
  // definition (graph and values)
  empty_id,  // a pipeline, stage or hand-off id that is ""
  duplicate_stage_id,
  duplicate_handoff_id,
  unknown_stage,  // a transition/reopen/entry/action/hand-off names no stage
  unknown_role,   // a guard names a role outside the declared "roles"
  no_open_stage,
  no_won_stage,
  no_lost_stage,
  too_many_stages,  // more than Pipeline::kMaxStages
  too_many_roles,   // more than Pipeline::kMaxRoles distinct role names
  entry_not_open,   // an entry stage that is won or lost
  probability_out_of_range,
  transition_forbidden_by_policy,  // a guarded transition the (non-explicit) policy forbids
  transition_from_terminal,        // a move (or move hand-off) out of a won/lost stage that is not a reopen
  reopen_not_from_terminal,        // a declared reopen whose source is an open stage
  self_transition,                 // from == to
  duplicate_transition,
  unreachable_stage,       // not reachable from any entry stage
  cannot_reach_terminal,   // an open stage with no path to a won or lost stage
  timed_move_not_allowed,  // a timed move the pipeline's moves do not allow
  bad_duration,            // malformed, days with business basis, or not > 0
  // warnings
  cannot_reach_won,                // an open stage with no path to any won stage
  missing_probability,             // an open stage without "probability" (0 assumed)
  probability_not_monotonic,       // an open stage less likely than an earlier one
  unused_role,                     // a declared role no guard or escalation uses
  business_time_without_calendar,  // business-time SLA/timed move/escalation, no "calendar"
};
std::string_view to_string(DiagnosticKind kind) noexcept;
std::string_view to_string(Severity severity) noexcept;

struct Diagnostic {
  Severity severity = Severity::error;
  DiagnosticKind kind = DiagnosticKind::bad_value;
  std::string file;          // may be "" for a spec built in code
  std::string json_path;     // JSON Pointer, e.g. "/transitions/3/to"
  std::string offending_id;  // e.g. the stage id; "" when none applies
  std::string message;       // what is wrong and what was expected

  Location location() const { return Location{file, 0, 0, json_path}; }
  // The message, then " (id 'X')" when offending_id is set and the message does
  // not already quote it, then " [kind]".
  std::string text() const;
  // "file: at /json/path: error: " + text(), e.g. "sales.json: at /transitions/0/to:
  // error: transition 'NEW' -> 'X' names unknown stage 'X' (known stages: ...) [unknown_stage]"
  std::string to_string() const;
  Status to_status() const;  // text() located at file and json_path
};

struct ValidationReport {
  // Schema errors first, then definition errors in the order the rules are
  // checked (docs/pipeline-config.md); deterministic for a given input.
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;

  bool ok() const noexcept { return errors.empty(); }
  void add(Diagnostic d);
  void merge(ValidationReport other);
  // One Status for Result-returning APIs: validation_failed, located at the
  // first error, message "N error(s): <first>; <second>; ...". ok when no errors.
  Status to_status() const;
};

// Checks `spec`; never stops at the first error.
ValidationReport validate_pipeline(const PipelineSpec& spec);

}  // namespace dealflow
