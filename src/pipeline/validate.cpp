#include "dealflow/pipeline/validate.h"

#include "dealflow/pipeline/pipeline_spec.h"
#include "pipeline/definition_analysis.h"

namespace dealflow {

std::string_view to_string(Severity severity) noexcept {
  return severity == Severity::error ? "error" : "warning";
}

std::string_view to_string(DiagnosticKind kind) noexcept {
  switch (kind) {
    case DiagnosticKind::unknown_key:
      return "unknown_key";
    case DiagnosticKind::wrong_type:
      return "wrong_type";
    case DiagnosticKind::missing_key:
      return "missing_key";
    case DiagnosticKind::bad_value:
      return "bad_value";
    case DiagnosticKind::empty_id:
      return "empty_id";
    case DiagnosticKind::duplicate_stage_id:
      return "duplicate_stage_id";
    case DiagnosticKind::duplicate_handoff_id:
      return "duplicate_handoff_id";
    case DiagnosticKind::unknown_stage:
      return "unknown_stage";
    case DiagnosticKind::unknown_role:
      return "unknown_role";
    case DiagnosticKind::no_open_stage:
      return "no_open_stage";
    case DiagnosticKind::no_won_stage:
      return "no_won_stage";
    case DiagnosticKind::no_lost_stage:
      return "no_lost_stage";
    case DiagnosticKind::too_many_stages:
      return "too_many_stages";
    case DiagnosticKind::too_many_roles:
      return "too_many_roles";
    case DiagnosticKind::entry_not_open:
      return "entry_not_open";
    case DiagnosticKind::probability_out_of_range:
      return "probability_out_of_range";
    case DiagnosticKind::transition_forbidden_by_policy:
      return "transition_forbidden_by_policy";
    case DiagnosticKind::transition_from_terminal:
      return "transition_from_terminal";
    case DiagnosticKind::reopen_not_from_terminal:
      return "reopen_not_from_terminal";
    case DiagnosticKind::self_transition:
      return "self_transition";
    case DiagnosticKind::duplicate_transition:
      return "duplicate_transition";
    case DiagnosticKind::unreachable_stage:
      return "unreachable_stage";
    case DiagnosticKind::cannot_reach_terminal:
      return "cannot_reach_terminal";
    case DiagnosticKind::timed_move_not_allowed:
      return "timed_move_not_allowed";
    case DiagnosticKind::bad_duration:
      return "bad_duration";
    case DiagnosticKind::cannot_reach_won:
      return "cannot_reach_won";
    case DiagnosticKind::missing_probability:
      return "missing_probability";
    case DiagnosticKind::probability_not_monotonic:
      return "probability_not_monotonic";
    case DiagnosticKind::unused_role:
      return "unused_role";
    case DiagnosticKind::business_time_without_calendar:
      return "business_time_without_calendar";
  }
  return "?";
}

std::string Diagnostic::text() const {
  std::string out = message;
  if (!offending_id.empty()) {
    std::string quoted;
    quoted.reserve(offending_id.size() + 2);
    quoted += '\'';
    quoted += offending_id;
    quoted += '\'';
    if (message.find(quoted) == std::string::npos) {
      out += " (id ";
      out += quoted;
      out += ')';
    }
  }
  out += " [";
  out += dealflow::to_string(kind);
  out += ']';
  return out;
}

std::string Diagnostic::to_string() const {
  std::string where = location().to_string();
  std::string out = where.empty() ? std::string() : where + ": ";
  out += std::string(dealflow::to_string(severity)) + ": " + text();
  return out;
}

Status Diagnostic::to_status() const {
  const ErrorCode code =
      kind == DiagnosticKind::duplicate_stage_id || kind == DiagnosticKind::duplicate_handoff_id
          ? ErrorCode::duplicate
          : ErrorCode::validation_failed;
  return Status(code, text(), location());
}

void ValidationReport::add(Diagnostic d) {
  (d.severity == Severity::error ? errors : warnings).push_back(std::move(d));
}

void ValidationReport::merge(ValidationReport other) {
  for (auto& d : other.errors) errors.push_back(std::move(d));
  for (auto& d : other.warnings) warnings.push_back(std::move(d));
}

Status ValidationReport::to_status() const {
  if (errors.empty()) return {};
  if (errors.size() == 1) return errors.front().to_status();
  std::string message = std::to_string(errors.size()) + " errors: " + errors.front().text();
  for (std::size_t i = 1; i < errors.size(); ++i) message += "; " + errors[i].to_string();
  return Status(ErrorCode::validation_failed, std::move(message), errors.front().location());
}

ValidationReport validate_pipeline(const PipelineSpec& spec) {
  ValidationReport report;
  (void)detail::analyze_definition(spec, report);
  return report;
}

}  // namespace dealflow
