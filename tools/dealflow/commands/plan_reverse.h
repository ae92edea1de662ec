// tools/dealflow/commands/plan_reverse.h: `dealflow plan reverse`, the reverse
// funnel (docs/planning.md "Reverse funnel"; dealflow/planning/reverse_funnel.h).
// Not part of the library API. The `plan` command hands its arguments after
// `reverse` to run_plan_reverse; plan_reverse.cpp also registers the command
// name "plan-reverse" as an alias (the tests use both spellings).
#pragma once

#include <string>
#include <vector>

#include "dealflow/cli.h"

namespace dealflow::cli {

// The help text of `dealflow plan reverse`.
extern const char* const kPlanReverseHelp;

// Runs the reverse funnel on the arguments after `plan reverse`. Exit codes:
// 0 ok, 1 bad data or every scope "cannot" (no won deals / no average in the
// reference), 2 usage.
int run_plan_reverse(const std::vector<std::string>& args, Io io);

}  // namespace dealflow::cli
