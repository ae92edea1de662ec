// dealflow/pipeline/pipeline_json.h: loading pipelines and workspaces from JSON.
//
// The format is documented in docs/pipeline-config.md. The minimal form
//   {"id": "sales", "name": "Продажи",
//    "stages": [{"id": "NEW", "name": "Новая", "kind": "open", "probability": 0.1},
//               {"id": "WON", "name": "Сделка успешна", "kind": "won"},
//               {"id": "LOSE", "name": "Сделка провалена", "kind": "lost"}]}
// loads; extras: "policy", "entries", "roles", "transitions", "reopens",
// "handoffs" and per stage "sla", "required_fields", "guards", "on_enter".
// Unknown keys are errors naming their JSON path. Syntax errors name file, line
// and column. Schema and validation errors are ALL collected.
//
// Thread-safety: reentrant; each call uses its own (or the given) Vocabulary,
// which it mutates: do not share one Vocabulary across concurrent loads.
//
// Example:
//   auto loaded = dealflow::load_pipeline_file("data/pipelines/hubspot.json");
//   if (!loaded) { std::cerr << loaded.status().to_string() << "\n"; return 1; }
//   for (const auto& w : loaded->warnings) std::cerr << w.to_string() << "\n";
//   const dealflow::Pipeline& p = loaded->pipeline;
//
//   auto ws = dealflow::load_workspace({"sales.json", "service.json"});
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/core/status.h"
#include "dealflow/io/json.h"
#include "dealflow/pipeline/pipeline.h"
#include "dealflow/pipeline/pipeline_spec.h"
#include "dealflow/pipeline/validate.h"

namespace dealflow {

struct LoadedPipeline {
  Pipeline pipeline;
  std::vector<Diagnostic> warnings;
};

// Everything known about one config: the spec as far as it could be read, the
// full report (schema + validation), and the pipeline when there is no error.
// `syntax` is set (and nothing else) when the file is unreadable or not JSON.
struct PipelineCheck {
  std::optional<Status> syntax;  // io_error / parse_error with file:line:column
  PipelineSpec spec;
  ValidationReport report;
  std::optional<Pipeline> pipeline;

  bool ok() const noexcept { return !syntax && report.ok(); }
};

// Reads the spec from a parsed document, adding every schema error to `report`.
PipelineSpec read_pipeline_spec(const JsonReader& root, ValidationReport& report);

// Full check of a parsed document / a file (for `dealflow validate`).
PipelineCheck check_pipeline(const JsonReader& root, std::shared_ptr<Vocabulary> vocabulary = nullptr);
PipelineCheck check_pipeline_file(const std::string& path, std::shared_ptr<Vocabulary> vocabulary = nullptr);

// The pipeline or one Status: the syntax error, or validation_failed located at
// the first error with every error listed in the message (ValidationReport::to_status).
Result<LoadedPipeline> parse_pipeline(const JsonReader& root,
                                      std::shared_ptr<Vocabulary> vocabulary = nullptr);
Result<LoadedPipeline> parse_pipeline_text(std::string_view json_text, std::string file_name = "<memory>",
                                           std::shared_ptr<Vocabulary> vocabulary = nullptr);
Result<LoadedPipeline> load_pipeline_file(const std::string& path,
                                          std::shared_ptr<Vocabulary> vocabulary = nullptr);

struct LoadedWorkspace {
  Workspace workspace;
  std::vector<Diagnostic> warnings;
};

// Loads every file with one shared Vocabulary, then Workspace::create (hand-off
// targets resolved across the files). PipelineIds follow the order of `paths`.
Result<LoadedWorkspace> load_workspace(const std::vector<std::string>& paths);

}  // namespace dealflow
