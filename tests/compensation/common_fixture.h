// Constants and helpers shared by the compensation tests of namespace
// dealflow::compensation (one definition each, so that the suite also compiles
// as unity batches): the sample data folder, RUB and USD amounts, and the
// one-open-stage pipeline of the property tests.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "dealflow/core/money.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::compensation::common_fixture {

// data/compensation: the sample plans, team and quota files.
inline const std::string kDir = std::string(DEALFLOW_SOURCE_DIR) + "/data/compensation";

inline const Currency kRub = Currency::of("RUB");
inline const Currency kUsd = Currency::of("USD");

// An amount in kopecks.
inline Money rub(std::int64_t minor) {
  return Money(minor, kRub);
}
// An amount in whole roubles.
inline Money rub_units(std::int64_t units) {
  return Money(units * 100, kRub);
}
// An amount in whole dollars.
inline Money usd(std::int64_t units) {
  return Money(units * 100, kUsd);
}

// "p": A (open, 0.2), WON, LOST.
inline const Pipeline& one_stage_pipeline() {
  static const LoadedPipeline loaded = [] {
    auto p = parse_pipeline_text(R"({"id": "p", "name": "Воронка", "stages": [
      {"id": "A", "name": "Квалификация", "kind": "open", "probability": 0.2},
      {"id": "WON", "name": "Успех", "kind": "won"}, {"id": "LOST", "name": "Провал", "kind": "lost"}]})",
                                 "p.json");
    if (!p) throw std::runtime_error(p.status().to_string());
    return std::move(*p);
  }();
  return loaded.pipeline;
}

}  // namespace dealflow::compensation::common_fixture
