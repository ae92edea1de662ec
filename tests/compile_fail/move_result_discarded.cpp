// Must NOT compile, and only for the discarded result (ctest
// compile_fail.move_result_discarded passes when the compiler reports
// -Werror=unused-result): MoveResult is [[nodiscard]], so a refusal cannot be
// dropped silently (issue 12, section 4). Not a *_test.cpp: no suite globs it.
#include "dealflow/pipeline/engine.h"

void drop(dealflow::Engine& engine, dealflow::DealId deal, dealflow::StageId to) {
  engine.move(deal, to, dealflow::ManagerId{1});  // error: ignoring return value ... [-Werror=unused-result]
}
