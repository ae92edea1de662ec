// dealflow/analytics/scorecard.h: the manager scorecard for a period, with the
// previous period of equal length beside it.
//
// For one pipeline and a period P = [from, to), each period is read as of its
// own end (events before `to` count; a deal's outcome is the kind of its last
// stage then; it closed when it entered its final run of won/lost stages).
// Per manager (the deal's `manager` column, its owner), in P:
//   taken        deals created in P;
//   won, lost    deals whose closing lies in P and that are won / lost at the
//                end of P (a deal lost, reopened and won again in P is won);
//   open         deals created before the end of P and open at the end of P
//                (whatever their creation date; deals with no event count);
//   win_rate     won / (won + lost);
//   won_amount   sum of the won deals' amounts, exact, per currency
//                (`by_currency`; the single fields need one currency);
//   average_won_amount  won_amount / won deals with an amount, rounded half
//                away from zero to the minor unit;
//   median_won_amount   the lower middle of the sorted amounts (an even count
//                takes the smaller of the two middle values, so it stays an
//                exact amount in minor units);
//   median_cycle created_at -> closing of the won deals, calendar seconds,
//                lower middle. The population is closed by definition, so no
//                censoring applies (durations.h has the cohort view).
// The same figures per value of `business` (new / repeat) and of `channel`
// for each manager and for the team (without any business value but with a
// `client` column, new vs repeat is derived: repeat when the client had a deal
// won before this one was created, as of the period end); team totals cover every deal (also those
// without a manager). The previous period is [from - (to - from), from), read
// as of `from`. Ranks: by won amount in P descending, ties by manager id
// (bytes ascending); the row of deals without a manager is not ranked. When
// the won amounts of either period are in several currencies (no `fx`), ranks
// go by won deals instead (definition.rank_by says which).
// With `fx`, every won amount is converted into one report currency first;
// rate-at-report uses the end of P for both periods (docs/currencies.md).
//
// Ownership: a self-contained value. Thread-safety: reentrant.
//
// Example:
//   dealflow::analytics::ScorecardQuery q;
//   q.from = *dealflow::parse_instant("2024-10-01");
//   q.to = *dealflow::parse_instant("2025-01-01");
//   auto card = dealflow::analytics::compute_scorecard(log, pipeline, q);
//   for (const auto& row : card->managers)
//     std::cout << *row.rank << " " << *row.manager << " " << row.current.won << "\n";
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/core/fx.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics {

struct ScorecardQuery {
  Instant from;  // inclusive
  Instant to;    // exclusive; must be after from
  std::optional<FxConversion> fx = std::nullopt;  // convert won amounts into one currency
};

// The won amounts of one currency.
struct ScorecardAmount {
  Currency currency;
  std::uint64_t won_with_amount = 0;
  Money won_amount;          // exact sum
  Money average_won_amount;  // rounded half away from zero
  Money median_won_amount;   // lower middle
};

struct ScorecardFigures {
  std::uint64_t taken = 0;
  std::uint64_t won = 0;
  std::uint64_t lost = 0;
  std::uint64_t open = 0;
  std::optional<double> win_rate;  // won / (won + lost); absent when nothing closed
  std::uint64_t won_with_amount = 0;         // all currencies
  std::vector<ScorecardAmount> by_currency;  // code order, one per currency of the won amounts
  // The single-currency figures: absent when no won deal has an amount or
  // the won amounts are in several currencies (see by_currency).
  std::optional<Money> won_amount;
  std::optional<Money> average_won_amount;
  std::optional<Money> median_won_amount;
  std::optional<std::int64_t> median_cycle_seconds;
};

// A split of a row by one dimension value (business or channel).
struct ScorecardSplit {
  std::optional<std::string> key;  // nullopt: deals with an empty cell (listed last)
  ScorecardFigures current;
  ScorecardFigures previous;
};

struct ScorecardRow {
  std::optional<std::string> manager;  // nullopt: deals without a manager; "" for the team row
  std::optional<std::uint32_t> rank;   // 1 = most won amount
  ScorecardFigures current;
  ScorecardFigures previous;
  std::vector<ScorecardSplit> by_business;  // key order (bytes), empty last; values seen in either period
  std::vector<ScorecardSplit> by_channel;
};

struct ScorecardDefinition {
  Instant from, to;                    // the period
  Instant previous_from, previous_to;  // the previous period of equal length
  std::string pipeline_id;
  // The log has no business value but has clients: the business split is
  // derived, "repeat" when the deal's client had a deal won (as of the period
  // end) before the deal was created, else "new" (business_text()).
  bool business_derived = false;
  std::string rank_by = "won amount";  // or "won deals" (won amounts in several currencies)
  std::string conversion;              // FxConversion::describe() when converted, else ""
  static std::string business_text();
  std::string summary() const;  // one line for table footers
  static std::string text();    // every definition (docs/scorecard.md)
};

struct ScorecardReport {
  ScorecardDefinition definition;
  // Managers with any figure in either period, by rank; the row of deals
  // without a manager last.
  std::vector<ScorecardRow> managers;
  ScorecardRow team;
};

// Errors: to <= from (invalid_argument); as compute_durations for the log and
// pipeline; overflow; with `fx`, a missing rate (not_found naming the deal,
// date and pair).
Result<ScorecardReport> compute_scorecard(const EventLog& log, const Pipeline& pipeline,
                                          const ScorecardQuery& query);

}  // namespace dealflow::analytics
