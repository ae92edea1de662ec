// The four-stage pipeline (A, B open; WON; LOST) and the instant parser that
// the compensation tests build their small event logs with.
#pragma once

#include <stdexcept>
#include <string>

#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::compensation::four_stage {

inline const Pipeline& four() {
  static const LoadedPipeline loaded = [] {
    auto p = parse_pipeline_text(R"({"id": "four", "name": "Четыре этапа", "stages": [
      {"id": "A", "name": "Квалификация", "kind": "open", "probability": 0.2},
      {"id": "B", "name": "Предложение", "kind": "open", "probability": 0.6},
      {"id": "WON", "name": "Успех", "kind": "won"}, {"id": "LOST", "name": "Провал", "kind": "lost"}]})",
                                 "four.json");
    if (!p) throw std::runtime_error(p.status().to_string());
    return std::move(*p);
  }();
  return loaded.pipeline;
}

inline Instant at(const char* s) {
  return *parse_instant(s);
}

// A stage of four() by id.
inline StageId st(const char* id) {
  return *four().find_stage(id);
}

}  // namespace dealflow::compensation::four_stage
