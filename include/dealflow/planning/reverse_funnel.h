// dealflow/planning/reverse_funnel.h: from a target in a period back to the
// entries needed at each stage, and by when they must enter.
//
// Definitions (docs/planning.md "Reverse funnel"), per scope:
//   * reference: the deals created in the reference period (its local dates at
//     the UTC offset), as of the report instant; the funnel counts them with
//     the high-water rule (analytics/funnel.h): reached_k = deals whose furthest
//     open stage is k or later, or that are won (so won <= reached_k);
//   * conversion to won from open stage k: c_k = won / reached_k, with its 95%
//     Wilson interval [lo_k, hi_k];
//   * average won amount: the deals won (entered their final won stage) in the
//     reference period, amounts as of the report instant, in the target's
//     currency (or all converted by `fx`): avg = sum / count, exact;
//   * won deals needed: W = the deal target, or ceil(target / avg) computed
//     exactly as ceil(target_minor * count / sum_minor);
//   * entries needed at stage k: ceil(W / c_k) = ceil(W * reached_k / won)
//     (exact), with the range [ceil(W / hi_k), ceil(W / lo_k)] (no upper bound
//     when lo_k = 0);
//   * timing: for the reference deals that entered stage k, the time from their
//     first entry into k to won (cause 1), to lost (cause 2, competing), or to
//     the report instant (open: censored); t_k = the Aalen–Johansen conditional
//     quantile q of the time to won among deals that win
//     (CompetingRisks::conditional_quantile(1, q)); the stage's by-date is the
//     local date of (period end - t_k): a deal entering k later than that day
//     would, at the quantile's pace, be won after the period ends.
// A scope without won deals in the reference (no conversion), or, for a money
// target, without won amounts in the target currency (no average) states
// "cannot" with the reason and has no entries; the caller decides whether that
// is an error (`dealflow plan reverse` exits 1 when every scope cannot).
// Scopes: company (no grouping) or a dimension of the log ("manager",
// "region", ...): a deal belongs to the scope of its value as of the report
// instant (the funnel's grouping) both for conversions and for the average;
// the target applies to every scope (a per-scope quota).
//
// Ownership: a self-contained value. Thread-safety: reentrant.
//
// Example:
//   dealflow::planning::ReverseFunnelQuery q;
//   q.period = *dealflow::planning::parse_period("2024-Q3");
//   q.reference = dealflow::planning::previous_period(q.period);
//   q.target_amount = dealflow::Money(1'000'000'000, dealflow::Currency::of("RUB"));
//   auto r = dealflow::planning::compute_reverse_funnel(log, pipeline, q);
//   std::cout << dealflow::planning::reverse_headline(*r, r->scopes.front()) << "\n";
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/core/fx.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"
#include "dealflow/planning/period.h"

namespace dealflow::planning {

struct ReverseFunnelQuery {
  Period period;                       // the target's period
  Period reference;                    // where conversions, the average and timing are measured
  std::optional<Money> target_amount;  // exactly one of the two targets
  std::optional<std::uint64_t> target_deals;
  double quantile = 0.5;         // of the time from a stage to won, in (0, 1)
  std::string by;                // "" = company; else a dimension name of the log
  std::optional<Instant> as_of;  // absent: the log's latest instant
  int utc_offset_minutes = 0;
  std::optional<FxConversion> fx;  // convert won amounts into the target's currency
};

struct ReverseStageRow {
  StageId stage;
  std::string id;
  std::string name;
  std::uint64_t reached = 0;                        // reference deals at this stage (high-water)
  analytics::Rate conversion;                       // won / reached, with the Wilson interval
  std::optional<std::uint64_t> needed;              // ceil(W / c)
  std::optional<std::uint64_t> needed_low;          // ceil(W / hi)
  std::optional<std::uint64_t> needed_high;         // ceil(W / lo); nullopt with `needed` set: unbounded
  std::uint64_t timing_deals = 0;                   // reference deals that entered the stage
  std::uint64_t timing_won = 0;                     // of them won as of the report instant
  std::optional<std::int64_t> time_to_won_seconds;  // the quantile; nullopt: not reached
  std::optional<Date> by_date;                      // local date of (period end - time)
};

struct ReverseFunnelScope {
  std::optional<std::string> key;       // the scope's value; nullopt for "(none)" (and for company)
  std::uint64_t reference_deals = 0;    // created in the reference period
  std::uint64_t reference_won = 0;      // of them won as of the report instant
  std::uint64_t won_in_reference = 0;   // deals won in the reference period with an amount used
  std::optional<Money> won_amount_sum;  // their amounts (target currency)
  std::optional<Money> average_won;     // sum / count, rounded half to even to minor units
  std::uint64_t won_needed = 0;         // W (0 when cannot)
  std::optional<std::string> cannot;    // why no entries could be derived
  std::vector<ReverseStageRow> stages;  // open stages in funnel order
  std::vector<std::string> notes;       // amounts left out, quantiles not reached
};

struct ReverseFunnelReport {
  Period period;
  Period reference;
  Instant as_of;
  std::optional<Money> target_amount;
  std::optional<std::uint64_t> target_deals;
  double quantile = 0.5;
  std::string by;  // "" = company
  int utc_offset_minutes = 0;
  std::string pipeline_id;
  std::string conversion;                  // FxConversion::describe() or ""
  std::vector<ReverseFunnelScope> scopes;  // company: one; else key order, "(none)" last
  // The definition lines (without the "definition: " prefix).
  std::vector<std::string> definition() const;
};

// Errors: invalid_argument for no target or both, a non-positive target, a
// quantile outside (0, 1), an fx conversion into another currency than the
// target's; not_found for an unknown --by dimension; those of the funnel
// (unsealed log, pipeline not in the log) and of fx conversion (a missing rate).
Result<ReverseFunnelReport> compute_reverse_funnel(const analytics::EventLog& log, const Pipeline& pipeline,
                                                   const ReverseFunnelQuery& query);

// "to win 10 000 000.00 RUB in 2024-Q3: 42 won deals; 118 at PREPARATION by
// 2024-05-19; 300 new deals by 2024-04-28" (stages from the last open one back
// to the first; the first is "new deals"), or "... : cannot: <reason>".
std::string reverse_headline(const ReverseFunnelReport& report, const ReverseFunnelScope& scope);

// "10 000 000.00 RUB": thousands separated by spaces.
std::string format_money_grouped(Money m);

}  // namespace dealflow::planning
