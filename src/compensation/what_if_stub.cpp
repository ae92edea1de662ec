// TEMPORARY (branch h-cli only; the lead deletes it when what_if.cpp lands):
// a weak what_if() so that dealflow_cli links before the what-if helper's
// src/compensation/what_if.cpp is merged. It refuses every call.
#include "dealflow/compensation/what_if.h"

namespace dealflow::compensation {

__attribute__((weak)) Result<WhatIfResult> what_if(const analytics::EventLog&,
                                                   std::span<const Pipeline* const>, const CompensationPlan&,
                                                   const planning::Period&, const std::string&, const WhatIf&,
                                                   Instant) {
  return Status(ErrorCode::refused, "what-if is not implemented in this build (what_if_stub.cpp)");
}

}  // namespace dealflow::compensation
