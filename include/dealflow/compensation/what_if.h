// dealflow/compensation/what_if.h: "what would closing deal D (or X more)
// pay me this period", from the same engine as the statements
// (docs/compensation.md "What-if").
//
// what_if computes the participant's statement for the period as of `as_of`
// (provisional when the period ends later), then again on the history plus
// one synthetic change at `as_of`: either open deal D enters its pipeline's
// (first) won stage with its amount and credit as of as_of (splits and
// overlays as for any won deal: the participant sees only its own share), or
// a synthetic deal of `extra` is credited 100% to the participant: id
// "what-if" ("what-if-2", ... when taken), owner the participant, business
// the plan's first new-business value, created and won at as_of in the
// pipeline of the participant's latest deal as of as_of (else the first
// pipeline given); every component whose filters it matches reads it. Both
// statements come from compute_statements with StatementOptions{as_of,
// {manager}}; a participant without a statement gets an empty one (paid 0).
// The result gives both totals, the difference and the changed lines: the
// lines of `changed` with no equal line (kind, component, deal, slice, tier,
// rate, amount) in `current`, each line of `current` matching at most one
// (a tier crossed, a cliff, a lift, a cap reached).
//
// Ownership: the result is a self-contained value; the log is not modified
// (a copy with the synthetic change is built: the log's memory once more, for
// the duration of the call). Thread-safety: a pure function
// of a sealed log; concurrent calls are safe.
//
// Example:
//   WhatIf w{"1042", std::nullopt};  // or WhatIf{"", Money(50'000'000, Currency::of("RUB"))}
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
  std::string what_if;                       // "close deal 1042 (1 200 000.00 RUB)" / "+500 000.00 RUB"
  ParticipantStatement current;              // without the change
  ParticipantStatement changed;              // with it
  Money difference;                          // changed.paid − current.paid
  std::vector<StatementLine> changed_lines;  // lines of `changed` absent from or different in `current`
};

// Errors (invalid_argument unless stated), prefixed "what-if: ": the manager
// (an id or a team-file display name) is not a participant; both or neither
// of deal / extra; an unknown deal; a deal already won or lost as of as_of,
// or without a stage event by then; a deal in a pipeline not given; `extra`
// not positive or in another currency than the plan's; a period not of the
// plan's kind or not containing as_of; an unsealed log; and
// compute_statements' errors (on either log). `fx`: as StatementOptions::fx.
Result<WhatIfResult> what_if(const analytics::EventLog& log, std::span<const Pipeline* const> pipelines,
                             const CompensationPlan& plan, const planning::Period& period,
                             const std::string& manager, const WhatIf& change, Instant as_of,
                             const FxTable* fx = nullptr);

}  // namespace dealflow::compensation
