// dealflow/analytics/velocity.h: sales velocity, with every input stated.
//
//   velocity = open deals x win rate x average won amount / median won cycle
//
// the expected won amount per calendar day flowing out of the pipeline. For
// one pipeline, as of `as_of` (only events at or before it count):
//   open_deals          deals open at as_of (any creation date; deals with no
//                       event yet count as open);
//   won, lost           deals whose final won/lost stage (as of as_of) was
//                       entered in [from, to) (unbounded: all closed deals);
//   win_rate            won / (won + lost);
//   average_won_amount  sum of the won deals' amounts / the won deals with an
//                       amount, rounded half away from zero to the minor unit;
//   median_won_cycle    median of created_at -> won over the won deals
//                       (calendar seconds; lower middle for an even count). All
//                       of them are closed, so no censoring applies to this
//                       population (docs/durations.md);
//   per_day             open x won x won_amount x 86400 /
//                       ((won + lost) x won_with_amount x median_won_cycle),
//                       computed exactly, rounded half away from zero to the
//                       minor unit. Absent (with `missing` saying why) when a
//                       denominator is 0.
// Amounts are summed per currency (`by_currency`, code order); the single
// fields won_amount / average_won_amount and per_day need one currency and
// are absent when the won amounts are in several (`missing` says so), unless
// `fx` converts every amount into one report currency first (core/fx.h,
// docs/currencies.md). Counts, win rate and cycle never depend on currency.
//
// Thread-safety: reentrant.
//
// Example:
//   dealflow::analytics::VelocityQuery q;
//   q.from = *dealflow::parse_instant("2024-10-01");
//   q.to = *dealflow::parse_instant("2025-01-01");
//   auto v = dealflow::analytics::compute_velocity(log, pipeline, q);
//   if (v && v->per_day) std::cout << v->per_day->to_string() << " per day\n";
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

struct VelocityQuery {
  std::optional<Instant> from;   // closing period start (inclusive)
  std::optional<Instant> to;     // closing period end (exclusive)
  std::optional<Instant> as_of;  // absent: the latest event or creation in the log
  // Convert won amounts into one currency (the rate's day per its policy).
  std::optional<FxConversion> fx = std::nullopt;
};

// The won amounts of one currency.
struct VelocityAmount {
  Currency currency;
  std::uint64_t won_with_amount = 0;
  Money won_amount;          // exact sum
  Money average_won_amount;  // sum / won_with_amount, rounded half away from zero
};

struct SalesVelocity {
  std::optional<Instant> from;
  std::optional<Instant> to;
  Instant as_of;
  std::uint64_t open_deals = 0;
  std::uint64_t won = 0;
  std::uint64_t lost = 0;
  std::optional<double> win_rate;  // won / (won + lost)
  std::uint64_t won_with_amount = 0;        // all currencies
  std::vector<VelocityAmount> by_currency;  // code order; one entry per currency of the won amounts
  std::optional<Money> won_amount;          // when the won amounts are in one currency
  std::optional<Money> average_won_amount;  // idem
  std::optional<std::int64_t> median_won_cycle_seconds;
  std::optional<Money> per_day;
  std::string missing;     // why per_day is absent ("" when present)
  std::string conversion;  // FxConversion::describe() when converted, else ""

  static std::string definition();
};

// Errors: as compute_durations; overflow when a sum or the result leaves
// int64; with `fx`, a missing rate (not_found naming the deal, date and pair).
Result<SalesVelocity> compute_velocity(const EventLog& log, const Pipeline& pipeline,
                                       const VelocityQuery& query);

}  // namespace dealflow::analytics
