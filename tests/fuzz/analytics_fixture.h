// tests/fuzz/analytics_fixture.h: the fixed pipeline and deals the CSV-loader
// targets load fuzzed history and field changes against.
#pragma once

#include <string>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "fuzz_support.h"

namespace dealflow::fuzz {

inline const Pipeline& fixture_pipeline() {
  static const LoadedPipeline loaded =
      expect_fixture(load_pipeline_file(source_path("tests/analytics/fixtures/funnel_pipeline.json")),
                     "funnel_pipeline.json");
  return loaded.pipeline;
}

inline analytics::CsvLoadOptions fixture_options(analytics::LoadMode mode, bool check_policy) {
  analytics::CsvLoadOptions options;
  options.mode = mode;
  options.check_policy = check_policy;
  options.default_pipeline = &fixture_pipeline();
  options.default_currency = Currency::of("RUB");
  return options;
}

// The deals of tests/analytics/fixtures/funnel_deals.csv: loaded once, each
// input gets a copy (a loader may change what it is given, also on error).
inline analytics::LoadedLog fixture_deals() {
  static const analytics::LoadedLog loaded = [] {
    const std::string text = read_source_file("tests/analytics/fixtures/funnel_deals.csv");
    return expect_fixture(analytics::load_deals_csv(text, "deals.csv", {&fixture_pipeline()},
                                                    fixture_options(analytics::LoadMode::strict, false)),
                          "funnel_deals.csv");
  }();
  return loaded;
}

}  // namespace dealflow::fuzz
