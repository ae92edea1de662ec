// Internal: the checks of validate_pipeline and the resolved tables that
// compile_pipeline builds a Pipeline from. One pass produces both, so what is
// validated is exactly what is compiled.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "dealflow/pipeline/pipeline_spec.h"
#include "dealflow/pipeline/validate.h"

namespace dealflow::detail {

inline constexpr std::uint8_t kMoveAllowed = 1;
inline constexpr std::uint8_t kMoveReopen = 2;

struct DefinitionAnalysis {
  std::size_t n = 0;                                     // spec.stages.size()
  std::unordered_map<std::string, std::uint16_t> index;  // stage id -> first stage with it
  std::vector<int> funnel_position;                      // per stage; -1 for terminals
  std::vector<std::uint16_t> entries;
  std::vector<std::uint8_t> moves;  // n x n, kMoveAllowed | kMoveReopen
  // n x n: the transition declaring the move (index into spec.transitions),
  // or -2 - i for spec.reopens[i], or -1 when the move is not declared.
  std::vector<int> declared_by;
  // Per stage: terminals reachable without passing through another terminal.
  std::vector<std::vector<std::uint16_t>> reachable_terminals;
};

// Runs every check, adding diagnostics to `report`; the analysis is complete
// (usable by the compiler) when report.ok() afterwards.
DefinitionAnalysis analyze_definition(const PipelineSpec& spec, ValidationReport& report);

// The moves a policy allows out of open stages, before declared transitions.
bool policy_allows(MovePolicy policy, int from_funnel_position, int to_funnel_position, bool to_terminal);

}  // namespace dealflow::detail
