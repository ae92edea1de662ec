// dealflow/compensation/credit.h: who is credited with which won deal, for
// how much, in one statement period (docs/compensation.md "Credit").
//
// compute_credits reads the deal history (EventLog) and the pipelines, and
// for every won deal whose credit instant (its entry into its won stage, as
// of the period's end) falls in the period at the plan's UTC offset gives:
//   * direct credit: the split of the deal (shares summing to 100%), else
//     100% to its manager as of the credit instant (a reassignment after
//     closing does not move the credit);
//   * overlay credit: for each overlay whose team (or a descendant team)
//     holds direct credit of the deal, one line for the overlay holder of
//     overlay.share × the members' direct shares (never part of the 100%,
//     never counted twice; the holder's own direct share is excluded);
//   * per (participant, rate plan, component) the ordered list of credits
//     that rates.h compute_period takes (the rate plan of the assignment
//     governing the period: governing_assignment): the component's measure (won
//     amount, margin field or won count in kCountUnit) × the share, after the
//     component's filters (business new/repeat, product, pipeline, any
//     dimension), by credit instant then deal key;
//   * the payout date of each credit: the credit instant's local date (payout
//     on close), or the plan's payout field as of the period's end (payout on
//     a field; empty = held until the field is set). Attainment and the credit
//     lists stay in the closing period (docs/compensation.md "Payout timing");
//   * reversals: won deals that left the won stage (lost: cancelled; open:
//     reopened) during the period within the clawback window, for clawback.h.
// Deals credited to nobody (owner not a participant, no assignment in force,
// another currency, no margin value) are listed in `notes`.
//
// Ownership: the result is a self-contained value. Thread-safety: a pure
// function of a sealed log; concurrent calls are safe.
//
// Example:
//   auto credits = compute_credits(log, pipelines, plan, *planning::parse_period("2024-Q1"));
//   if (!credits) return fail(credits.status());
//   for (const CreditList& l : credits->lists) {
//     const RateSpec& spec = plan.plans[l.plan].components[l.component].rate;
//     auto st = compute_period(spec, l.rate_credits());
//   }
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/compensation/clawback.h"
#include "dealflow/compensation/plan.h"
#include "dealflow/compensation/rates.h"
#include "dealflow/core/fx.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"
#include "dealflow/planning/period.h"

namespace dealflow::compensation {

enum class CreditSource : std::uint8_t { owner, split, overlay };
std::string_view to_string(CreditSource source) noexcept;  // "owner", "split", "overlay"

// One deal's credit to one manager (before measures and filters).
struct DealCredit {
  std::string deal;
  std::string manager;  // team-file manager id
  CreditSource source = CreditSource::owner;
  std::int64_t share_bp = 10000;
  Instant credit_instant;
  Money amount;                     // the deal's amount as of the credit instant (100%)
  std::optional<Date> payout_date;  // empty: held (payout on a field not set yet)
};

// One line of a credit list: what compute_period prices.
struct CreditLine {
  std::string deal;
  Instant credit_instant;
  CreditSource source = CreditSource::owner;
  std::int64_t share_bp = 10000;
  Money measure;       // the component's measure of the deal × share (rounded once by the plan's rule)
  std::string reason;  // "split 60% of 1200000.00 RUB won amount"
  std::optional<Date> payout_date;  // empty: held (payout on a field not set yet)
  std::string conversion;           // "1000.00 USD at the rate of 2024-08-15" when fx converted the amount
};

// The credits of one participant for one component of one rate plan.
struct CreditList {
  std::string manager;
  std::uint32_t plan = 0;         // index into CompensationPlan::plans
  std::uint32_t component = 0;    // index into RatePlan::components
  std::vector<CreditLine> lines;  // by credit instant, then deal key

  std::vector<Credit> rate_credits() const;
};

// A won deal credited in the period (whoever it credits): for the team
// summary's uncredited amount.
struct WonDeal {
  std::string deal;
  Money amount;  // as of the credit instant (100%)
};

struct Credits {
  planning::Period period;
  std::vector<WonDeal> won;         // every won deal of the period, by credit instant then key
  std::vector<DealCredit> direct;   // by credit instant, deal key, then manager
  std::vector<DealCredit> overlay;  // same order
  std::vector<CreditList> lists;    // by manager, plan, component
  std::vector<Reversal> reversals;  // by reversal instant, then deal key
  std::vector<std::string> notes;
  // (manager, note): the notes above about a participant's own credit (no
  // assignment in force, another currency, no margin value), for its statement.
  std::vector<std::pair<std::string, std::string>> participant_notes;
};

// The assignment that governs a period (docs/compensation.md "Decisions" 1):
// the one in force on the period's last local day, else (the participant left
// during the period) the last one in force during it; nullptr when none.
const Assignment* governing_assignment(const Participant& participant, const planning::Period& period);

// Errors: an unsealed log (invalid_argument), a split deal whose shares do
// not sum to 100% (invalid_argument), a margin value that is not money
// (invalid_argument naming the deal, the field and the value), a payout
// field value that is not a date (likewise).
//
// `as_of` (StatementOptions::as_of): nothing after it is read (credits,
// reversals and payout fields as of min(period end, as_of)). Each
// participant's credits go to the rate plan of the governing assignment
// (else the one in force at the credit instant). One payment per deal: a deal
// re-won after a reversal that did not claw its earlier credit back (reversed
// after the window, or no clawback rule) is not credited again (a note).
Result<Credits> compute_credits(const analytics::EventLog& log, std::span<const Pipeline* const> pipelines,
                                const CompensationPlan& plan, const planning::Period& period,
                                std::optional<Instant> as_of = std::nullopt, const FxTable* fx = nullptr);

// The payout date of a deal as of `as_of`: its payout field's local date
// (payout on a field), empty while the field is empty. Payout on close: the
// local date of `credit_instant`. Errors: a value that is not a date.
Result<std::optional<Date>> deal_payout_date(const analytics::EventLog& log, const CompensationPlan& plan,
                                             std::string_view deal, Instant credit_instant, Instant as_of);

}  // namespace dealflow::compensation
