// Internal: a deal's forecast category, shared by the pipeline state at an
// instant (pipeline_state.cpp) and its one-sweep form (pipeline_sweep.cpp) so
// that the two stay one definition: the deal's own forecast_category cell as
// of the instant when the log has that column and the value parses, else its
// stage's category.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::planning::detail {

class CategoryDecoder {
 public:
  // Decodes the log's forecast_category column once (nothing when it has none).
  explicit CategoryDecoder(const analytics::EventLog& log)
      : dimension_(log.find_dimension("forecast_category")) {
    if (!dimension_) return;
    const Dictionary& values = log.dimension(*dimension_).values;
    for (std::uint32_t c = 0; c < values.size(); ++c)
      of_code_.push_back(parse_forecast_category(values.at(c)));
  }
  // The column, when the log has one.
  const std::optional<analytics::DimensionId>& dimension() const noexcept { return dimension_; }
  // The category of a deal whose cell holds `code` (kNoValue: empty) in stage `stage`.
  ForecastCategory category(std::uint32_t code, const Stage& stage) const noexcept {
    if (code != analytics::kNoValue && code < of_code_.size() && of_code_[code]) return *of_code_[code];
    return stage.forecast_category;
  }

 private:
  std::optional<analytics::DimensionId> dimension_;
  std::vector<std::optional<ForecastCategory>> of_code_;
};

}  // namespace dealflow::planning::detail
