// SPIFs: a fixed bonus per qualifying deal credit in a date range.
#include "dealflow/compensation/spif.h"

#include <algorithm>

#include "compensation/rates_detail.h"

namespace dealflow::compensation {
namespace {

using detail::located_error;
using detail::short_percent;

std::string cur(Currency c) {
  return std::string(c.code());
}

}  // namespace

Status validate(const SpifSpec& spec) {
  const Currency c = spec.amount.currency();
  if (c.empty())
    return located_error(
        ErrorCode::invalid_argument,
        "SPIF '" + spec.id + "': amount has no currency: expected an amount such as 10000.00",
        "/spif/amount");
  if (!spec.amount.is_positive())
    return located_error(ErrorCode::validation_failed,
                         "SPIF '" + spec.id + "': '" + spec.amount.to_string() + "': expected an amount > 0",
                         "/spif/amount");
  if (spec.min_amount && spec.min_amount->currency() != c)
    return located_error(ErrorCode::currency_mismatch,
                         "SPIF '" + spec.id + "': '" + spec.min_amount->to_string() + "': a minimum in " +
                             cur(spec.min_amount->currency()) + ": expected " + cur(c) +
                             " (the SPIF's currency)",
                         "/spif/min_amount");
  if (spec.from && spec.to && *spec.to < *spec.from)
    return located_error(ErrorCode::validation_failed,
                         "SPIF '" + spec.id + "': '" + spec.to->to_string() + "': before from " +
                             spec.from->to_string() + ": expected to >= from",
                         "/spif/to");
  return Status::ok_status();
}

Result<SpifStatement> compute_spif(const SpifSpec& spec, std::span<const SpifDeal> deals) {
  DEALFLOW_RETURN_IF_ERROR(validate(spec));
  const Currency c = spec.amount.currency();
  SpifStatement st;
  st.total = Money(0, c);
  std::int64_t total = 0;
  for (const SpifDeal& d : deals) {
    if (d.deal_amount.currency() != c)
      return located_error(ErrorCode::currency_mismatch, "SPIF '" + spec.id + "': deal " + d.deal +
                                                             ": amount " + d.deal_amount.to_string() +
                                                             ": expected " + cur(c));
    if (d.share.den <= 0 || d.share.num <= 0 || d.share.num > d.share.den)
      return located_error(ErrorCode::invalid_argument,
                           "SPIF '" + spec.id + "': deal " + d.deal + " (" + d.participant + "): share " +
                               std::to_string(d.share.num) + "/" + std::to_string(d.share.den) +
                               ": expected a share in (0, 1]");
    const std::string won = d.credit_date.to_string();
    if (spec.from && d.credit_date < *spec.from) {
      st.skipped.push_back("deal " + d.deal + ": won " + won + ", before the SPIF's " +
                           spec.from->to_string());
      continue;
    }
    if (spec.to && *spec.to < d.credit_date) {
      st.skipped.push_back("deal " + d.deal + ": won " + won + ", after the SPIF's " + spec.to->to_string());
      continue;
    }
    if (!spec.products.empty() &&
        std::find(spec.products.begin(), spec.products.end(), d.product) == spec.products.end()) {
      st.skipped.push_back("deal " + d.deal + ": product '" + d.product +
                           "' is not among the SPIF's products");
      continue;
    }
    if (spec.min_amount && d.deal_amount.minor_units() < spec.min_amount->minor_units()) {
      st.skipped.push_back("deal " + d.deal + ": amount " + detail::format_money(d.deal_amount) +
                           " below the SPIF's minimum " + detail::format_money(*spec.min_amount));
      continue;
    }
    const std::int64_t amount = static_cast<std::int64_t>(detail::round_div(
        detail::Int128(spec.amount.minor_units()) * d.share.num, d.share.den, spec.rounding));
    std::string reason = "SPIF " + spec.id + ": " + detail::format_money(spec.amount) + " per deal";
    if (d.share.num != d.share.den) reason += " × share " + short_percent(d.share);
    reason += ", deal " + d.deal + " won " + won;
    if (spec.from || spec.to)
      reason += " (" + (spec.from ? spec.from->to_string() : std::string("…")) + " .. " +
                (spec.to ? spec.to->to_string() : std::string("…")) + ")";
    if (!d.product.empty() && !spec.products.empty()) reason += ", product " + d.product;
    st.lines.push_back({spec.id, d.deal, d.participant, d.share, Money(amount, c), std::move(reason)});
    if (__builtin_add_overflow(total, amount, &total))
      return located_error(ErrorCode::overflow,
                           "SPIF '" + spec.id + "': the total overflows int64 at deal " + d.deal);
  }
  st.total = Money(total, c);
  return st;
}

}  // namespace dealflow::compensation
