// Draws: recoverable (a carried balance) and non-recoverable (a guaranteed minimum).
#include "dealflow/compensation/draws.h"

#include <algorithm>
#include <limits>

#include "compensation/rates_detail.h"

namespace dealflow::compensation {
namespace {

using detail::Int128;

using detail::located_error;
using detail::short_percent;

bool fits(Int128 v) {
  return v >= std::numeric_limits<std::int64_t>::min() && v <= std::numeric_limits<std::int64_t>::max();
}

std::string money_text(std::int64_t minor, Currency c) {
  return detail::format_money(Money(minor, c));
}

}  // namespace

std::string_view to_string(DrawType type) noexcept {
  return type == DrawType::recoverable ? "recoverable" : "non_recoverable";
}

std::string_view to_string(DrawLineKind kind) noexcept {
  return kind == DrawLineKind::draw ? "draw" : "recovery";
}

Status validate(const DrawSpec& spec) {
  if (spec.amount.currency().empty())
    return located_error(ErrorCode::invalid_argument,
                         "draw amount has no currency: expected an amount such as 1500.00", "/draw/amount");
  if (!spec.amount.is_positive())
    return located_error(ErrorCode::validation_failed,
                         "'" + spec.amount.to_string() + "': expected a draw amount > 0", "/draw/amount");
  return Status::ok_status();
}

Result<DrawResult> apply_draw(const DrawSpec& spec, const DrawPeriod& period, Money owed_before) {
  DEALFLOW_RETURN_IF_ERROR(validate(spec));
  const Currency c = spec.amount.currency();
  if (period.earned.currency() != c)
    return located_error(ErrorCode::currency_mismatch, "period " + period.period + ": earnings in '" +
                                                           std::string(period.earned.currency().code()) +
                                                           "': expected " + std::string(c.code()) +
                                                           " (the draw's currency)");
  if (owed_before.currency().empty() && owed_before.is_zero()) owed_before = Money(0, c);
  if (owed_before.currency() != c)
    return located_error(ErrorCode::currency_mismatch, "owed balance in '" +
                                                           std::string(owed_before.currency().code()) +
                                                           "': expected " + std::string(c.code()));
  if (owed_before.minor_units() < 0)
    return located_error(ErrorCode::invalid_argument, "owed balance " + owed_before.to_string() +
                                                          ": expected >= 0 (owed by the participant)");
  const Rate p = period.proration;
  if (p.den <= 0 || p.num <= 0 || p.num > p.den)
    return located_error(ErrorCode::invalid_argument,
                         "period " + period.period + ": proration " + std::to_string(p.num) + "/" +
                             std::to_string(p.den) + ": expected a fraction in (0, 1]");

  const std::int64_t draw = static_cast<std::int64_t>(
      detail::round_div(Int128(spec.amount.minor_units()) * p.num, p.den, spec.rounding));
  const std::int64_t earned = period.earned.minor_units();
  const bool recoverable = spec.type == DrawType::recoverable;
  const std::int64_t owed = recoverable ? owed_before.minor_units() : 0;

  const Int128 net = Int128(earned) - owed;
  const Int128 paid = std::max<Int128>(draw, net);
  const Int128 owed_after = recoverable ? Int128(owed) + paid - earned : 0;
  if (!fits(net) || !fits(paid) || !fits(owed_after) || !fits(paid - earned))
    return located_error(ErrorCode::overflow,
                         "period " + period.period + ": the draw arithmetic overflows int64");

  DrawResult r;
  r.period = period.period;
  r.earned = period.earned;
  r.draw = Money(draw, c);
  r.paid = Money(static_cast<std::int64_t>(paid), c);
  r.balance_before = Money(-owed, c);
  r.balance_after = Money(-static_cast<std::int64_t>(owed_after), c);
  const std::int64_t delta = static_cast<std::int64_t>(paid - earned);
  std::string draw_text = std::string(to_string(spec.type)) + " draw " + money_text(draw, c);
  if (!(p.num == p.den))
    draw_text += " (prorated " + short_percent(p) + " of " + money_text(spec.amount.minor_units(), c) + ")";
  if (delta > 0) {
    std::string reason = draw_text + ": earned " + money_text(earned, c);
    if (recoverable && owed > 0) reason += " less owed " + money_text(owed, c);
    reason += " topped up to " + money_text(static_cast<std::int64_t>(paid), c);
    if (recoverable) reason += "; balance " + money_text(-static_cast<std::int64_t>(owed_after), c);
    r.lines.push_back({period.period, DrawLineKind::draw, Money(delta, c), std::move(reason)});
  } else if (delta < 0) {
    // Only a recoverable draw pays less than earned: the owed balance recovered.
    std::string reason = "recovery of the " + draw_text + " balance: owed " + money_text(owed, c) +
                         ", recovered " + money_text(-delta, c) + " from earned " + money_text(earned, c) +
                         "; balance " + money_text(-static_cast<std::int64_t>(owed_after), c);
    r.lines.push_back({period.period, DrawLineKind::recovery, Money(delta, c), std::move(reason)});
  }
  return r;
}

Result<std::vector<DrawResult>> run_draws(const DrawSpec& spec, std::span<const DrawPeriod> periods,
                                          Money owed_start) {
  std::vector<DrawResult> out;
  out.reserve(periods.size());
  Money owed = owed_start;
  for (const DrawPeriod& p : periods) {
    auto r = apply_draw(spec, p, owed);
    if (!r) return r.status();
    owed = -r->balance_after;
    out.push_back(std::move(*r));
  }
  return out;
}

Money finish_draws(const DrawSpec& spec, const DrawResult& last, std::string* note) {
  const Money owed = -last.balance_after;
  const Currency c = spec.amount.currency();
  if (spec.at_end == DrawAtEnd::forgive) {
    if (note != nullptr)
      *note = "forgiven: the draw balance " + money_text(last.balance_after.minor_units(), c) +
              " is dropped at the end of the assignment (" + last.period + ")";
    return Money(0, c);
  }
  if (note != nullptr)
    *note = "carried: the draw balance " + money_text(last.balance_after.minor_units(), c) +
            " stays owed after the assignment ends (" + last.period + ")";
  return owed;
}

}  // namespace dealflow::compensation
