// Clawback: a reversed deal's commission taken back in the period of the reversal.
#include "dealflow/compensation/clawback.h"

#include <algorithm>

#include "compensation/rates_detail.h"

namespace dealflow::compensation {
namespace {

using detail::located_error;
using detail::short_percent;

// Whole days between the local dates of the win and of the reversal.
int days_between(const Reversal& r, int offset) {
  return r.reversed.date(offset) - r.won.date(offset);
}

// "deal 17 reopened 2024-04-10, 21 days after winning 2024-03-20 (window 90 days)"
std::string event_text(const ClawbackSpec& spec, const Reversal& r, int offset) {
  return "deal " + r.deal + " " + std::string(to_string(r.kind)) + " " + r.reversed.date(offset).to_string() +
         ", " + std::to_string(days_between(r, offset)) + " days after winning " +
         r.won.date(offset).to_string() + " (window " + std::to_string(spec.window_days) + " days)";
}

Status add(Clawback& cb, ClawbackLine line) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(cb.total.minor_units(), line.amount.minor_units(), &sum))
    return located_error(ErrorCode::overflow,
                         "clawback of deal " + line.deal + ": the total overflows int64");
  cb.total = Money(sum, cb.total.currency());
  cb.lines.push_back(std::move(line));
  return Status::ok_status();
}

// The deal's SPIF lines, negated at their historic amounts.
Status add_spifs(Clawback& cb, const ClawbackSpec& spec, const Reversal& r, std::span<const SpifLine> spifs,
                 const std::string& event) {
  if (!spec.spifs) return Status::ok_status();
  for (const SpifLine& s : spifs) {
    if (s.deal != r.deal || s.amount.is_zero()) continue;
    if (s.amount.currency() != cb.total.currency())
      return located_error(ErrorCode::currency_mismatch, "clawback of deal " + r.deal + ": SPIF line in " +
                                                             std::string(s.amount.currency().code()) +
                                                             ": expected " +
                                                             std::string(cb.total.currency().code()));
    ClawbackLine l;
    l.deal = r.deal;
    l.source_period = r.source_period;
    l.original = "spif";
    l.rate = s.share;
    l.amount = -s.amount;
    l.reason = "clawback: " + event + ", SPIF " + s.spif + " paid " + detail::format_money(s.amount) + " (" +
               r.source_period + ")";
    DEALFLOW_RETURN_IF_ERROR(add(cb, std::move(l)));
  }
  return Status::ok_status();
}

// historic-rate reverses what was priced on the deal itself: its slices, its
// per-deal amount and its own cap. Lines the deal merely triggered for the
// period (a retroactive cliff, a lift top-up, a gate, period and total caps)
// stay: revising them is what recompute-period is for.
bool reversed_historically(LineKind kind) {
  return kind == LineKind::slice || kind == LineKind::per_deal || kind == LineKind::cap_deal;
}

}  // namespace

std::string_view to_string(ClawbackPolicy policy) noexcept {
  return policy == ClawbackPolicy::historic_rate ? "historic-rate" : "recompute-period";
}

std::string_view to_string(ReversalKind kind) noexcept {
  return kind == ReversalKind::cancelled ? "cancelled" : "reopened";
}

Status validate(const ClawbackSpec& spec) {
  if (spec.window_days < 1)
    return located_error(ErrorCode::validation_failed,
                         "'" + std::to_string(spec.window_days) + "': expected a whole number of days >= 1",
                         "/clawback/window_days");
  return Status::ok_status();
}

Result<bool> within_window(const ClawbackSpec& spec, const Reversal& reversal, int utc_offset_minutes) {
  DEALFLOW_RETURN_IF_ERROR(validate(spec));
  if (reversal.reversed < reversal.won)
    return located_error(ErrorCode::invalid_argument,
                         "deal " + reversal.deal + ": reversed at " + format_iso(reversal.reversed) +
                             ", before it was won at " + format_iso(reversal.won) +
                             ": expected a reversal after the win");
  return days_between(reversal, utc_offset_minutes) <= spec.window_days;
}

Result<Clawback> clawback_historic(const ClawbackSpec& spec, const Reversal& reversal,
                                   const Statement& source, std::span<const SpifLine> spifs,
                                   int utc_offset_minutes) {
  auto in = within_window(spec, reversal, utc_offset_minutes);
  if (!in) return in.status();
  Clawback cb;
  cb.total = Money(0, source.total.currency());
  const std::string event = event_text(spec, reversal, utc_offset_minutes);
  if (!*in) {
    cb.notes.push_back(event + ": after the window, nothing clawed back");
    return cb;
  }
  const bool found = std::any_of(source.lines.begin(), source.lines.end(),
                                 [&](const Line& l) { return l.deal == reversal.deal; }) ||
                     (spec.spifs && std::any_of(spifs.begin(), spifs.end(),
                                                [&](const SpifLine& s) { return s.deal == reversal.deal; }));
  if (!found)
    return located_error(ErrorCode::not_found, "clawback of deal " + reversal.deal + ": no line of it in " +
                                                   reversal.source_period +
                                                   ": expected the statement it was paid in");
  for (const Line& l : source.lines) {
    if (l.deal != reversal.deal || l.amount.is_zero()) continue;
    if (!reversed_historically(l.kind)) {
      cb.notes.push_back(
          "deal " + reversal.deal + ": the " + std::string(to_string(l.kind)) + " line of " +
          detail::format_money(l.amount) + " in " + reversal.source_period +
          " prices other deals and stays under historic-rate (recompute-period would revise it)");
      continue;
    }
    ClawbackLine c;
    c.deal = l.deal;
    c.source_period = reversal.source_period;
    c.original = std::string(to_string(l.kind));
    c.slice_from = l.slice_from;
    c.slice_to = l.slice_to;
    c.tier = l.tier;
    c.rate = l.rate;
    c.amount = -l.amount;
    c.reason = "clawback: " + event + ", ";
    if (l.kind == LineKind::slice)
      c.reason += "at the historic rate " + short_percent(l.rate) + " (" + reversal.source_period + ")";
    else
      c.reason += "reversing the " + c.original + " line of " + detail::format_money(l.amount) + " (" +
                  reversal.source_period + ")";
    DEALFLOW_RETURN_IF_ERROR(add(cb, std::move(c)));
  }
  DEALFLOW_RETURN_IF_ERROR(add_spifs(cb, spec, reversal, spifs, event));
  return cb;
}

Result<Clawback> clawback_recompute(const ClawbackSpec& spec, const Reversal& reversal, const RateSpec& rates,
                                    std::span<const Credit> credits, const Statement& source,
                                    std::optional<Money> paid_before, std::span<const SpifLine> spifs,
                                    int utc_offset_minutes) {
  auto in = within_window(spec, reversal, utc_offset_minutes);
  if (!in) return in.status();
  Clawback cb;
  cb.total = Money(0, rates.currency);
  const std::string event = event_text(spec, reversal, utc_offset_minutes);
  if (!*in) {
    cb.notes.push_back(event + ": after the window, nothing clawed back");
    return cb;
  }
  std::vector<Credit> rest;
  rest.reserve(credits.size());
  for (const Credit& c : credits)
    if (c.deal != reversal.deal) rest.push_back(c);
  if (rest.size() == credits.size())
    return located_error(ErrorCode::not_found, "clawback of deal " + reversal.deal +
                                                   ": not among the credits of " + reversal.source_period +
                                                   ": expected the period it was credited in");
  if (source.total.currency() != rates.currency)
    return located_error(ErrorCode::currency_mismatch,
                         "clawback of deal " + reversal.deal + ": the paid statement is in " +
                             std::string(source.total.currency().code()) + ": expected " +
                             std::string(rates.currency.code()));
  auto again = compute_period(rates, rest, paid_before);
  if (!again)
    return again.status().with_context("clawback of deal " + reversal.deal + ": recomputing " +
                                       reversal.source_period);
  std::int64_t diff = 0;
  if (__builtin_sub_overflow(again->total.minor_units(), source.total.minor_units(), &diff))
    return located_error(ErrorCode::overflow,
                         "clawback of deal " + reversal.deal + ": the difference overflows int64");
  ClawbackLine l;
  l.deal = reversal.deal;
  l.source_period = reversal.source_period;
  l.original = "period";
  l.rate = Rate::ratio(0, 1);
  l.amount = Money(diff, rates.currency);
  l.reason = "clawback: " + event + ", " + reversal.source_period +
             " recomputed without it: " + detail::format_money(again->total) + " instead of " +
             detail::format_money(source.total) + " paid (recompute-period)";
  DEALFLOW_RETURN_IF_ERROR(add(cb, std::move(l)));
  DEALFLOW_RETURN_IF_ERROR(add_spifs(cb, spec, reversal, spifs, event));
  return cb;
}

}  // namespace dealflow::compensation
