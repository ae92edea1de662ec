// dealflow/compensation/what_if.h: "what would closing deal D (or X more)
// pay me this period", from the same engine as the statements
// (docs/compensation.md "What-if").
//
// what_if computes the participant's statement for the period as of `as_of`
// (provisional when the period ends later), then again on the history plus
// one synthetic change at `as_of`: either open deal D enters its pipeline's
// won stage with its current amount and credit (splits and overlays as for
// any won deal), or a synthetic deal of `extra` is credited 100% to the
// participant (every component without filters, new business). The result
// gives both totals, the difference and the lines that changed (a tier
// crossed, a lift, a cap reached).
//
// Ownership: the result is a self-contained value; the log is not modified
// (a copy with the synthetic event is built). Thread-safety: a pure function
// of a sealed log; concurrent calls are safe.
//
// Example:
//   WhatIf w{.deal = "1042"};
//   auto r = what_if(log, pipelines, plan, *planning::parse_period("2024-Q3"), "m-ivanova", w, as_of);
//   if (!r) return fail(r.status());
//   std::cout << r->current.paid.to_string() << " -> " << r->changed.paid.to_string() << "\n";
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/compensation/plan.h"
#include "dealflow/compensation/statement.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"
#include "dealflow/planning/period.h"

namespace dealflow::compensation {

struct WhatIf {
  std::string deal;            // an open deal closed as won at as_of; or
  std::optional<Money> extra;  // a synthetic deal of this amount credited 100% to the participant
};

struct WhatIfResult {
  std::string manager;
  std::string period;
  Instant as_of;
  std::string what_if;                        // "close deal 1042 (1 200 000.00 RUB)" / "+500 000.00 RUB"
  ParticipantStatement current;               // without the change
  ParticipantStatement changed;               // with it
  Money difference;                           // changed.paid − current.paid
  std::vector<StatementLine> changed_lines;   // lines of `changed` absent from or different in `current`
};

// Errors (invalid_argument unless stated): the manager is not a participant;
// both or neither of deal / extra; an unknown deal; a deal already won or
// closed as of as_of; `extra` not positive or in another currency than the
// plan's; a period not of the plan's kind or not containing as_of; and
// compute_statements' errors.
Result<WhatIfResult> what_if(const analytics::EventLog& log, std::span<const Pipeline* const> pipelines,
                             const CompensationPlan& plan, const planning::Period& period,
                             const std::string& manager, const WhatIf& change, Instant as_of);

}  // namespace dealflow::compensation
