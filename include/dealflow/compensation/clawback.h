// dealflow/compensation/clawback.h: reversing a won deal's commission.
//
// A credited deal that leaves its won stage (lost: cancelled; an open stage:
// reopened) at most `window_days` days after its closing instant is reversed
// in the period of the reversal (docs/compensation.md, "Clawback"):
//   historic-rate     one clawback line per line priced on the deal in its
//                     source period (slices, the per-deal amount, its per-deal
//                     cap, its SPIFs), minus the amount paid, at the rate it
//                     was paid; lines the deal triggered for the period (a
//                     retroactive cliff, a lift top-up, a gate, period and
//                     total caps) stay, each with a note;
//   recompute-period  the source period is recomputed without the deal (same
//                     spec, same other credits, same paid_before) and the
//                     clawback is recomputed total − paid total, one line
//                     naming both (for retroactive, interpolated, gated and
//                     lifted plans, where one deal moves the others).
// A reversal after the window reverses nothing (a note). Amounts are exact
// minor units; no line is rounded again (historic lines negate rounded lines).
//
// Ownership: inputs are borrowed for the call; results are values.
// Thread-safety: pure functions; safe to call concurrently.
//
// Example:
//   ClawbackSpec cb{90, ClawbackPolicy::historic_rate};
//   Reversal rev{"17", ReversalKind::reopened, won_at, reopened_at, "2024-Q1"};
//   auto r = clawback_historic(cb, rev, q1_statement, {}, 180);  // −15 000.00 at 3% (2024-Q1)
//   if (!r) return fail(r.status());
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/compensation/rates.h"
#include "dealflow/compensation/spif.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"

namespace dealflow::compensation {

enum class ClawbackPolicy : std::uint8_t { historic_rate, recompute_period };
enum class ReversalKind : std::uint8_t { cancelled, reopened };
std::string_view to_string(ClawbackPolicy policy) noexcept;  // "historic-rate", "recompute-period"
std::string_view to_string(ReversalKind kind) noexcept;

struct ClawbackSpec {
  int window_days = 0;  // ≥ 1
  ClawbackPolicy policy = ClawbackPolicy::historic_rate;
  bool spifs = true;  // SPIF lines of the deal are reversed too
};

struct Reversal {
  std::string deal;
  ReversalKind kind = ReversalKind::reopened;
  Instant won;                // the closing (credit) instant
  Instant reversed;           // when it left the won stage
  std::string source_period;  // the period the deal was credited in ("2024-Q1")
};

struct ClawbackLine {
  std::string deal;
  std::string source_period;
  std::string
      original;  // the original line's kind ("slice", "cap_deal", "spif", ...; "period" for recompute)
  Money slice_from, slice_to;
  int tier = 0;
  Rate rate;     // the historic rate (recompute-period: 0)
  Money amount;  // ≤ 0 normally (a recomputation may also give back)
  std::string reason;
};

struct Clawback {
  std::vector<ClawbackLine> lines;
  Money total;                     // Σ lines
  std::vector<std::string> notes;  // a reversal after the window
};

// Checks the spec: window_days ≥ 1 (at "/clawback/window_days").
Status validate(const ClawbackSpec& spec);

// Whether the reversal falls within the window: at most window_days calendar
// days between the local dates (at utc_offset_minutes) of the win and of the
// reversal. Errors if the reversal precedes the win.
Result<bool> within_window(const ClawbackSpec& spec, const Reversal& reversal, int utc_offset_minutes = 0);

// historic-rate: negates the slice, per_deal and cap_deal lines of `source`
// (and the lines of `spifs` when the spec says so) whose deal is
// reversal.deal; its other lines are listed in notes. Error: the deal has no line in
// the source period (not_found). `utc_offset_minutes` cuts the dates shown.
Result<Clawback> clawback_historic(const ClawbackSpec& spec, const Reversal& reversal,
                                   const Statement& source, std::span<const SpifLine> spifs = {},
                                   int utc_offset_minutes = 0);

// recompute-period: recomputes the source period from `credits` without the
// deal and claws back the difference to `source.total` (one line), plus the
// deal's SPIF lines at their historic amounts. Errors: the deal is not among
// the credits (not_found), the spec's own errors.
Result<Clawback> clawback_recompute(const ClawbackSpec& spec, const Reversal& reversal, const RateSpec& rates,
                                    std::span<const Credit> credits, const Statement& source,
                                    std::optional<Money> paid_before = std::nullopt,
                                    std::span<const SpifLine> spifs = {}, int utc_offset_minutes = 0);

}  // namespace dealflow::compensation
