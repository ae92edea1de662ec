// tools/dealflow/commands/commission.h: `dealflow commission check`, the plan
// checked against the data (docs/compensation.md "`dealflow commission`").
// Not part of the library API; single-threaded use.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/compensation/plan.h"
#include "dealflow/io/json.h"
#include "dealflow/pipeline/pipeline.h"
#include "dealflow/planning/period.h"

namespace dealflow::cli {

struct PlanFinding {
  bool error = false;  // errors make the check fail (exit 1); warnings are reported only
  std::string where;   // "sample-plan.json: at /splits/0/deal"
  std::string message;
};

// Errors: a split naming a deal the log does not have; a component filter on
// `pipeline` naming a pipeline that is not loaded; a `"quota": "from_plan"`
// assignment (in force on the last day of one of `periods`) whose manager has
// no manager target (won_amount, or won_count for count quotas; by id or
// display name) in the quota plan for that period. Warnings: a participant
// that never appears as a deal owner (manager column or its history, by id
// or display name) and heads no team and is not a `head`; a filter value
// (other dimensions) that no deal has; a component with overlay credit in a
// plan whose participants hold no overlay. In plan order.
std::vector<PlanFinding> check_plan_against_log(const compensation::CompensationPlan& plan,
                                                const analytics::EventLog& log,
                                                std::span<const Pipeline* const> pipelines,
                                                std::span<const planning::Period> periods);

std::string findings_to_table(const compensation::CompensationPlan& plan, const std::vector<PlanFinding>& f);
std::string findings_to_csv(const std::vector<PlanFinding>& f);
Json findings_to_json(const compensation::CompensationPlan& plan, const std::vector<PlanFinding>& f);

}  // namespace dealflow::cli
