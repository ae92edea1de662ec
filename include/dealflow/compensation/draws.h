// dealflow/compensation/draws.h: recoverable and non-recoverable draws, per period.
//
// A draw tops a participant's earnings up to a guaranteed amount per period
// (docs/compensation.md, "Draws"). Recoverable: paid = max(draw, earned −
// owed), and the owed balance carries to the next period (owed' = owed + paid
// − earned, never below 0); a `draw` line of paid − earned tops earnings up, a
// `recovery` line of paid − earned (negative) takes back the owed balance.
// Non-recoverable (a guaranteed minimum): paid = max(draw, earned), no balance.
// Earnings may be negative (clawbacks). The draw amount is exact money; a
// prorated draw (an assignment in force for part of the period) is the amount
// × the proration fraction, rounded once by the declared rule. Statements show
// the balance as −owed (owed by the participant). Every amount is exact minor
// units and paid = earned + Σ lines.
//
// Ownership: specs and results are self-contained values.
// Thread-safety: pure functions; safe to call concurrently.
//
// Example (the case):
//   DrawSpec spec{DrawType::recoverable, Money(150'000, Currency::of("USD"))};
//   std::vector<DrawPeriod> periods = {{"2024-Q1", Money(50'000, spec.amount.currency())},
//                                      {"2024-Q2", Money(300'000, spec.amount.currency())}};
//   auto r = run_draws(spec, periods);  // Q1 paid 1 500.00, balance −1 000.00; Q2 paid 2 000.00, balance 0
//   if (!r) return fail(r.status());
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/compensation/rates.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"

namespace dealflow::compensation {

enum class DrawType : std::uint8_t { recoverable, non_recoverable };
enum class DrawAtEnd : std::uint8_t { carry, forgive };
enum class DrawLineKind : std::uint8_t { draw, recovery };
std::string_view to_string(DrawType type) noexcept;
std::string_view to_string(DrawLineKind kind) noexcept;

struct DrawSpec {
  DrawType type = DrawType::recoverable;
  Money amount;  // per full period; > 0
  DrawAtEnd at_end = DrawAtEnd::carry;
  Rounding rounding = Rounding::half_even;  // for prorated draws only
};

// One period's earnings (Σ of its credit, SPIF, cap, clawback... lines).
struct DrawPeriod {
  std::string period;                  // "2024-Q1"
  Money earned;                        // may be negative
  Rate proration = Rate::ratio(1, 1);  // the share of the period the assignment is in force, ≤ 1
};

struct DrawLine {
  std::string period;
  DrawLineKind kind = DrawLineKind::draw;
  Money amount;  // draw > 0, recovery < 0
  std::string reason;
};

struct DrawResult {
  std::string period;
  Money earned;
  Money draw;                           // the period's (prorated) draw
  std::vector<DrawLine> lines;          // at most one
  Money paid;                           // earned + Σ lines
  Money balance_before, balance_after;  // −owed, as statements show it (≤ 0)
};

// Checks the spec: amount set and > 0. Errors at "/draw/amount".
Status validate(const DrawSpec& spec);

// One period given the owed balance carried in (≥ 0; a non-recoverable draw
// ignores it and carries nothing). Errors: an invalid spec, a currency other
// than the draw's, a proration outside (0, 1], a negative owed, overflow.
Result<DrawResult> apply_draw(const DrawSpec& spec, const DrawPeriod& period, Money owed_before);

// Consecutive periods, the balance carried from one to the next, from
// `owed_start` (empty = 0). With at_end = forgive the balance left after the
// last period is dropped by finish_draws, not here.
Result<std::vector<DrawResult>> run_draws(const DrawSpec& spec, std::span<const DrawPeriod> periods,
                                          Money owed_start = {});

// What stays owed when the assignment ends: the last balance (carry) or 0
// with a note (forgive). `note` receives "forgiven: ..." or "carried: ...".
Money finish_draws(const DrawSpec& spec, const DrawResult& last, std::string* note = nullptr);

}  // namespace dealflow::compensation
