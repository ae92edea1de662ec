// Must NOT compile, and only for the discarded result (ctest
// compile_fail.department_result_discarded passes when the compiler reports
// -Werror=unused-result): a Department operation returns Result<MoveResult>
// ([[nodiscard]]), so neither a refusal nor a failed Department (sink error) can
// be dropped silently. Not a *_test.cpp: no suite globs it.
#include "dealflow/store/department.h"

void drop(dealflow::store::Department& d, dealflow::DealId deal, dealflow::StageId to, dealflow::Instant at) {
  d.move(deal, to, at, dealflow::ManagerId{1});  // error: ignoring return value ... [-Werror=unused-result]
}
