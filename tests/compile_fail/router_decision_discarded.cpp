// Must NOT compile, and only for the discarded result (ctest
// compile_fail.router_decision_discarded): routing::Decision is [[nodiscard]],
// so a lead routed (state advanced) without reading its assignment is an error
// (issue 12, section 4). Not a *_test.cpp: no suite globs it.
#include "dealflow/routing/router.h"

void drop(const dealflow::routing::Router& router, const dealflow::routing::Lead& lead,
          dealflow::routing::RouterState& state) {
  router.route(lead, state);  // error: ignoring returned value ... [-Werror=unused-result]
}
