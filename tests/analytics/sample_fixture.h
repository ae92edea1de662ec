// Test helper: a sample data set (dealflow/analytics/sample.h) loaded through
// the strict CSV loader against data/pipelines/bitrix24_default.json.
#pragma once

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/sample.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::analytics::testing {

inline const Pipeline& bitrix24_pipeline() {
  static const LoadedPipeline loaded = [] {
    auto p = load_pipeline_file(std::string(DEALFLOW_SOURCE_DIR) + "/data/pipelines/bitrix24_default.json");
    if (!p) throw std::runtime_error(p.status().to_string());
    return std::move(*p);
  }();
  return loaded.pipeline;
}

struct LoadedSample {
  EventLog log;
  SampleSummary summary;
};

inline LoadedSample load_sample(std::uint64_t deals, std::uint64_t seed, int months = 12) {
  SampleOptions options;
  options.deals = deals;
  options.seed = seed;
  options.months = months;
  auto csv = generate_sample_csv(options);
  if (!csv) throw std::runtime_error(csv.status().to_string());
  CsvLoadOptions load;
  load.default_pipeline = &bitrix24_pipeline();
  auto loaded = load_deals_csv(csv->deals, "deals.csv", {&bitrix24_pipeline()}, load);
  if (!loaded) throw std::runtime_error(loaded.status().to_string());
  Status st = load_history_csv(csv->history, "history.csv", {&bitrix24_pipeline()}, load, *loaded);
  if (!st.ok()) throw std::runtime_error(st.to_string());
  return {std::move(loaded->log), csv->summary};
}

}  // namespace dealflow::analytics::testing
