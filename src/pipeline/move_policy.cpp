// policy_allows: whether a pipeline's move policy allows a move between two
// funnel positions (validation and compilation share it; definition_analysis.h).
#include "pipeline/definition_analysis.h"

namespace dealflow::detail {

bool policy_allows(MovePolicy policy, int from_pos, int to_pos, bool to_terminal) {
  if (from_pos < 0) return false;  // leaving a terminal needs a declared reopen
  switch (policy) {
    case MovePolicy::free:
      return to_terminal || to_pos != from_pos;
    case MovePolicy::no_skip:
      return to_terminal || (to_pos != from_pos && to_pos <= from_pos + 1);
    case MovePolicy::no_backward:
      return to_terminal || to_pos > from_pos;
    case MovePolicy::explicit_transitions:
      return false;
  }
  return false;
}

}  // namespace dealflow::detail
