// Helpers for the pipeline-definition tests: check a JSON text, find diagnostics.
#pragma once

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::testing {

inline PipelineCheck check_text(const std::string& text, const std::string& file = "test.json") {
  auto doc = parse_json(text, file);
  if (!doc) {
    PipelineCheck c;
    c.syntax = doc.status();
    return c;
  }
  return check_pipeline(JsonReader(*doc, file));
}

inline std::string dump(const ValidationReport& r) {
  std::string out;
  for (const auto& d : r.errors) out += d.to_string() + "\n";
  for (const auto& d : r.warnings) out += d.to_string() + "\n";
  return out;
}

// The diagnostic of `kind` at `json_path` naming `id` (errors or warnings), or nullptr.
inline const Diagnostic* find_diag(const std::vector<Diagnostic>& list, DiagnosticKind kind,
                                   const std::string& json_path, const std::string& id) {
  auto it = std::find_if(list.begin(), list.end(), [&](const Diagnostic& d) {
    return d.kind == kind && d.json_path == json_path && d.offending_id == id;
  });
  return it == list.end() ? nullptr : &*it;
}

// A pipeline JSON with the given stages and extra top-level members.
inline std::string pipeline_json(const std::string& stages, const std::string& extra = "") {
  return R"({"id": "p", "name": "P", "stages": [)" + stages + "]" + (extra.empty() ? "" : ", " + extra) + "}";
}

inline const std::string kThreeStages =
    R"({"id": "NEW", "name": "Новая", "kind": "open", "probability": 0.1},
       {"id": "WON", "name": "Сделка успешна", "kind": "won"},
       {"id": "LOSE", "name": "Сделка провалена", "kind": "lost"})";

}  // namespace dealflow::testing

// Expects an error (warning) of `kind` at `path` naming `id`, among possibly others.
#define EXPECT_ERROR(check, kind, path, id)                                                              \
  EXPECT_NE(                                                                                             \
      ::dealflow::testing::find_diag((check).report.errors, ::dealflow::DiagnosticKind::kind, path, id), \
      nullptr)                                                                                           \
      << "missing " #kind " at " << path << " for '" << id << "'; got:\n"                                \
      << ::dealflow::testing::dump((check).report)
#define EXPECT_WARNING(check, kind, path, id)                                                              \
  EXPECT_NE(                                                                                               \
      ::dealflow::testing::find_diag((check).report.warnings, ::dealflow::DiagnosticKind::kind, path, id), \
      nullptr)                                                                                             \
      << "missing warning " #kind " at " << path << " for '" << id << "'; got:\n"                          \
      << ::dealflow::testing::dump((check).report)
