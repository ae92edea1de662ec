// dealflow/pipeline/pipeline_spec.h: the declared (name-based) form of a pipeline.
//
// A `PipelineSpec` is what a config says, before validation: stages, policy,
// transitions and guards by NAME, each element remembering its JSON path so a
// diagnostic can point at it. The JSON loader fills one; code (tests, hosts that
// build pipelines programmatically) may fill one by hand. `compile_pipeline`
// validates it (dealflow/pipeline/validate.h) and, when there is no error,
// produces the immutable dense `Pipeline` (dealflow/pipeline/pipeline.h).
//
// Thread-safety: plain values. compile_pipeline interns names into the given
// Vocabulary, so it needs exclusive access to that Vocabulary.
//
// Example:
//   dealflow::PipelineSpec spec;
//   spec.id = "sales"; spec.name = "Продажи";
//   spec.stages = {dealflow::make_stage("NEW", "Новая", dealflow::StageKind::open, 0.1),
//                  dealflow::make_stage("WON", "Сделка успешна", dealflow::StageKind::won),
//                  dealflow::make_stage("LOSE", "Сделка провалена", dealflow::StageKind::lost)};
//   dealflow::CompiledPipeline c = dealflow::compile_pipeline(spec);
//   if (!c.pipeline) { for (auto& e : c.report.errors) std::cerr << e.to_string() << "\n"; }
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dealflow/pipeline/pipeline.h"
#include "dealflow/pipeline/validate.h"

namespace dealflow {

struct GuardSpec {
  GuardKind kind = GuardKind::required_fields;
  std::vector<std::string> fields;  // required_fields
  std::vector<std::string> roles;   // actor_role
  std::string predicate;            // predicate
  std::string json_path;
};

struct ActionSpec {
  ActionKind kind = ActionKind::set_probability;
  double probability = 0.0;  // set_probability
  std::string field;         // set_field
  std::string value;         // set_field
  std::string target_stage;  // timed_move
  Duration delay{0};         // timed_move, escalate
  TimeBasis basis = TimeBasis::business;
  std::string name;         // escalate
  std::string notify_role;  // escalate ("" = none)
  std::string json_path;
};

struct StageSpec {
  std::string id;
  std::string name;
  StageKind kind = StageKind::open;
  // Absent: 1 for won, 0 for lost, 0 with a warning for open stages.
  std::optional<double> probability;
  // Absent: default_forecast_category(kind, probability) (pipeline.h).
  std::optional<ForecastCategory> forecast_category;
  std::optional<Sla> sla;
  std::vector<std::string> required_fields;
  std::vector<GuardSpec> guards;
  std::vector<ActionSpec> on_enter;
  std::string json_path;  // e.g. "/stages/2"
};

// A stage with no SLA, guards or actions (the rest can be set afterwards).
inline StageSpec make_stage(std::string id, std::string name, StageKind kind,
                            std::optional<double> probability = std::nullopt) {
  StageSpec s;
  s.id = std::move(id);
  s.name = std::move(name);
  s.kind = kind;
  s.probability = probability;
  return s;
}

struct TransitionSpec {
  std::string from;
  std::string to;
  std::vector<GuardSpec> guards;
  std::string json_path;  // e.g. "/transitions/0"
};

struct HandoffSpec {
  std::string id;
  std::string trigger_stage;  // config "from"
  std::string target_pipeline;
  std::string target_stage;
  HandoffMode mode = HandoffMode::create_linked;
  std::string json_path;
};

struct PipelineSpec {
  std::string file;  // for diagnostics; may be ""
  std::string id;
  std::string name;
  MovePolicy policy = MovePolicy::free;
  std::vector<std::string> entries;  // empty = the first open stage
  std::string entries_path = "/entries";
  std::optional<std::vector<std::string>> roles;  // declared roles; nullopt = any
  // The business calendar the pipeline's business-time SLAs, timed moves and
  // escalations are meant in (its name, e.g. "Россия 2024"; the host gives the
  // engine that calendar). "": none named (a warning when business time is used).
  std::string calendar;
  std::vector<StageSpec> stages;
  // With policy explicit: the allowed moves. With another policy: guards
  // attached to moves the policy allows (a forbidden one is an error).
  std::vector<TransitionSpec> transitions;
  std::vector<TransitionSpec> reopens;  // moves out of won/lost stages
  std::vector<HandoffSpec> handoffs;
};

struct CompiledPipeline {
  std::optional<Pipeline> pipeline;  // set exactly when report.ok()
  ValidationReport report;
};

// Validates `spec` and, when valid, builds the Pipeline, interning names into
// `vocabulary` (a fresh one when null). Never stops at the first error.
CompiledPipeline compile_pipeline(const PipelineSpec& spec, std::shared_ptr<Vocabulary> vocabulary = nullptr);

}  // namespace dealflow
