// dealflow/compensation/rates.h: commission rate structures, computed exactly.
//
// The pure, history-free core of the compensation module (issue 11): given a
// rate spec and the credited measure of each deal of one period in closing
// order (won amount or margin, exact Money), compute the statement lines.
// The measure accumulates deal by deal; every deal is cut into slices at tier,
// accelerator and gate boundaries, and each slice is one line with its tier,
// rate, amount and reason ("tier 2 (100–150% of quota) from 1 000 000 RUB").
// Retroactive tier cliffs, lifted decelerators, gates and caps are lines of
// their own. Money is int64 minor units, rates are exact rationals (basis
// points or num/den), intermediates are 128-bit; one declared rounding rule
// (half-up or half-even) is applied per line and totals are sums of lines.
//
// Structures: flat, per_deal, marginal (each tier's rate on its slice),
// retroactive (the reached tier's rate on everything), interpolated (the rate
// linear between tier points, integrated over each slice). Tier bounds are on
// the amount (minor units of the measure) or on attainment (basis points of
// the quota). Modifiers (accelerators / decelerators) multiply the tier rate
// on an attainment band; a decelerator may be lifted retroactively once a
// threshold is reached. A gate pays nothing below a share of quota (or
// withholds it until the gate is reached). Caps: per deal, per period, on the
// total payout (given what earlier periods paid). See docs/compensation-rates.md.
//
// Ownership: specs, credits and statements are self-contained values.
// Thread-safety: compute_period is a pure function; any number of threads may
// call it concurrently.
//
// Example:
//   using namespace dealflow::compensation;
//   RateSpec spec;
//   spec.currency = Currency::of("USD");
//   spec.kind = StructureKind::marginal;
//   spec.tiers = {{0, Rate::bp(100)}, {1'000'000, Rate::bp(200)}};   // 1% to 10 000 USD, then 2%
//   const std::vector<Credit> deals = {{"D-1", Money(6'000'000, spec.currency)}};  // 60 000 USD
//   auto st = compute_period(spec, deals);  // 10 000 × 1% + 50 000 × 2% = 1 100 USD
//   if (!st) return fail(st.status());
//   for (const Line& l : st->lines) std::cout << l.amount.to_string() << "  " << l.reason << "\n";
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/core/money.h"
#include "dealflow/core/status.h"

namespace dealflow::compensation {

// An exact non-negative rate num/den (den > 0). 1% = Rate::bp(100) = 1/100.
struct Rate {
  std::int64_t num = 0;
  std::int64_t den = 1;

  static constexpr Rate bp(std::int64_t basis_points) noexcept { return {basis_points, 10000}; }
  static constexpr Rate ratio(std::int64_t n, std::int64_t d) noexcept { return {n, d}; }
  // "2.75%": the percentage rounded half-up to `digits` decimals, trailing zeros kept.
  std::string to_percent(int digits = 2) const;
  // Equal values (1/100 == 100/10000).
  friend bool operator==(const Rate& a, const Rate& b) noexcept;
};

enum class Rounding : std::uint8_t { half_up, half_even };
enum class StructureKind : std::uint8_t { flat, per_deal, marginal, retroactive, interpolated };
enum class TierBasis : std::uint8_t { amount, attainment };
std::string_view to_string(StructureKind kind) noexcept;

// One tier: from `from` (inclusive) to the next tier's `from`. `from` is minor
// units of the measure (TierBasis::amount) or basis points of quota
// (TierBasis::attainment: 10000 = 100%). For interpolated structures the tiers
// are the points (from, rate) of the piecewise-linear rate.
struct Tier {
  std::int64_t from = 0;
  Rate rate;
  Currency currency{};  // amount basis: the bound's currency (empty = the spec's)
};

// Multiplies the tier rate by `multiplier` on attainment [from_bp, to_bp)
// (to_bp empty = no upper end): > 1 an accelerator, < 1 a decelerator. With
// `lift_at_bp` the multiplier is lifted retroactively once attainment reaches
// it: slices already paid get a top-up line to the full rate, and later slices
// pay the full rate.
struct Modifier {
  std::int64_t from_bp = 0;
  std::optional<std::int64_t> to_bp;
  Rate multiplier = {1, 1};
  std::optional<std::int64_t> lift_at_bp;
};

// Nothing is paid for the measure below `threshold_bp` of quota. With
// `release` the withheld amount is paid (one line) when the threshold is
// reached; without, it is forfeited.
struct Gate {
  std::int64_t threshold_bp = 0;
  bool release = false;
};

struct RateSpec {
  std::string name;
  Currency currency{};  // the measure's and the payout's currency
  StructureKind kind = StructureKind::marginal;
  TierBasis basis = TierBasis::amount;
  std::vector<Tier> tiers;  // flat: exactly one tier from 0
  Money per_deal_amount;    // per_deal: paid for every credited deal
  // per_deal: when set, the amount × the deal's measure / unit (a split deal's
  // share of one deal: the plan sets kCountUnit for won_count components);
  // rounded by `rounding`. Unset: the whole amount whatever the measure.
  std::optional<std::int64_t> per_deal_unit;
  std::optional<Money> quota;       // required by attainment tiers, modifiers and gates
  std::vector<Modifier> modifiers;  // non-overlapping bands
  std::optional<Gate> gate;
  std::optional<Money> cap_per_deal, cap_per_period, cap_total;
  Rounding rounding = Rounding::half_up;
};

// One credited deal of the period, in closing order.
struct Credit {
  std::string deal;
  Money measure;  // non-negative, in the spec's currency
};

enum class LineKind : std::uint8_t {
  slice,         // a slice of a deal at its tier's rate
  per_deal,      // the per-deal amount
  retro_cliff,   // retroactive tiers: earlier slices topped up to the reached tier's rate
  lift_topup,    // a decelerator lifted: earlier slices topped up to the full rate
  gate,          // withheld below the gate (negative)
  gate_release,  // the withheld amount paid once the gate is reached
  cap_deal,      // cut to the per-deal cap (negative)
  cap_period,    // cut to the per-period cap (negative)
  cap_total,     // cut to the total-payout cap (negative)
};
std::string_view to_string(LineKind kind) noexcept;

struct Line {
  std::string deal;
  LineKind kind = LineKind::slice;
  Money slice_from, slice_to;  // measure bounds of a slice (cumulative in the period)
  int tier = 0;                // 1-based; 0 = none
  Rate rate;                   // the slice's effective rate (tier rate × modifier)
  Money amount;                // rounded per line
  std::string reason;
  // The modifier factor: a slice priced under a decelerator / accelerator band
  // not lifted yet, or a lift top-up (the factor lifted from). Empty otherwise.
  std::optional<Rate> factor;
};

struct DealSummary {
  std::string deal;
  Money measure;
  Money earned;  // the sum of the deal's slice / per-deal lines
  Money paid;    // the sum of all the deal's lines (top-ups, gates and caps included)
  Rate blended;  // earned / measure, exact (0 for a zero measure)
  bool crosses_boundary = false;
};

struct Statement {
  std::vector<Line> lines;
  std::vector<DealSummary> deals;
  Money measure_total;
  Money total;  // the sum of the lines
};

// Checks the spec: currency set, tiers sorted and non-overlapping starting at
// 0, tier rates and multipliers non-negative, a tier bound in another currency,
// quota present and positive where needed, modifiers not overlapping, caps
// positive, in the spec's currency and not below the payout already due at a
// threshold (a gate, a lift or a tier bound). Errors name the field as a JSON
// path ("/tiers/2/from") and the value.
Status validate(const RateSpec& spec);

// The statement of one period. `paid_before` is what earlier periods paid
// (for cap_total). Validates the spec and the credits first.
Result<Statement> compute_period(const RateSpec& spec, std::span<const Credit> credits,
                                 std::optional<Money> paid_before = std::nullopt);

}  // namespace dealflow::compensation
