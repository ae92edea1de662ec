// Compile-fail test: a DealId must not be accepted where a ManagerId is expected,
// and Money of one currency must not be built from a bare integer.
// Built twice by tests/CMakeLists.txt: with DEALFLOW_CONTROL (must compile) and
// with one of the DEALFLOW_MISUSE_* macros (must NOT compile).
#include "dealflow/core/ids.h"
#include "dealflow/core/money.h"

void assign(dealflow::ManagerId) {}

int main() {
#if defined(DEALFLOW_MISUSE_DEAL_AS_MANAGER)
  assign(dealflow::DealId{1});
#elif defined(DEALFLOW_MISUSE_INT_AS_ID)
  assign(7u);
#elif defined(DEALFLOW_MISUSE_MONEY_FROM_INT)
  dealflow::Money m = 100;
  (void)m;
#else
  assign(dealflow::ManagerId{1});
#endif
  return 0;
}
