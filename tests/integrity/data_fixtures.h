// tests/integrity/data_fixtures.h: the bundled configs the integrity tests read against
// (data/routing team and rules, the Bitrix24 default pipeline), each loaded once per binary.
#pragma once

#include <string>

#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/routing/routing_json.h"

namespace dealflow::testing {

inline const std::string kData = std::string(DEALFLOW_SOURCE_DIR) + "/data/";

inline const routing::TeamModel& team() {
  static const routing::TeamModel t = *routing::load_team_file(kData + "routing/team.json");
  return t;
}
inline const routing::RuleSet& rules() {
  static const routing::RuleSet r = *routing::load_rules_file(kData + "routing/rules.json", team());
  return r;
}
inline const Pipeline& bitrix_pipeline() {
  static const LoadedPipeline p = *load_pipeline_file(kData + "pipelines/bitrix24_default.json");
  return p.pipeline;
}

}  // namespace dealflow::testing
