// Exchange rates and exact conversion: see dealflow/core/fx.h.
#include "dealflow/core/fx.h"

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <limits>
#include <numeric>

namespace dealflow {
namespace {

using boost::multiprecision::int256_t;

constexpr int kMaxRateDigits = 18;

Status rate_error(std::string_view text, const std::string& what) {
  return Status(ErrorCode::parse_error, "invalid exchange rate '" + std::string(text) + "': " + what +
                                            " (expected a plain decimal greater than 0 such as 17.0512)");
}

int256_t pow10(int n) {
  int256_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

std::string pair_text(Currency from, Currency to) {
  return std::string(from.code()) + "->" + std::string(to.code());
}

}  // namespace

Result<FxRatio> parse_fx_rate(std::string_view text) {
  if (text.empty()) return rate_error(text, "empty");
  std::int64_t digits_value = 0;
  int digits = 0, fraction = 0;
  bool dot = false, any_digit_before_dot = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (dot) return rate_error(text, "two decimal points");
      if (!any_digit_before_dot) return rate_error(text, "no digit before the decimal point");
      if (i + 1 == text.size()) return rate_error(text, "no digit after the decimal point");
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') return rate_error(text, "unexpected character '" + std::string(1, c) + "'");
    if (!dot) any_digit_before_dot = true;
    if (dot && ++fraction > kMaxRateDigits) return rate_error(text, "more than 18 fraction digits");
    if (digits_value == 0 && c == '0') {
      continue;  // leading zeros do not count
    }
    if (++digits > kMaxRateDigits) return rate_error(text, "more than 18 digits");
    digits_value = digits_value * 10 + (c - '0');
  }
  if (digits_value == 0) return rate_error(text, "zero");
  std::int64_t denominator = 1;
  for (int i = 0; i < fraction; ++i) denominator *= 10;
  const std::int64_t g = std::gcd(digits_value, denominator);
  return FxRatio{digits_value / g, denominator / g};
}

Result<Money> convert_exact(Money amount, FxRatio rate, Currency to) {
  if (to.empty()) return Status(ErrorCode::invalid_argument, "conversion needs a target currency");
  if (rate.numerator <= 0 || rate.denominator <= 0) {
    return Status(ErrorCode::invalid_argument, "exchange rate must be a positive fraction");
  }
  // minor_to = minor_from * num * 10^digits(to) / (den * 10^digits(from))
  const int256_t n = int256_t(amount.minor_units()) * rate.numerator * pow10(to.minor_digits());
  const int256_t d = int256_t(rate.denominator) * pow10(amount.currency().minor_digits());
  int256_t q = n / d;  // truncates toward zero
  const int256_t r = n % d;
  const int256_t twice = (r < 0 ? -r : r) * 2;
  if (twice > d || (twice == d && (q % 2) != 0)) q += n < 0 ? -1 : 1;
  if (q > std::numeric_limits<std::int64_t>::max() || q < std::numeric_limits<std::int64_t>::min()) {
    return Status(ErrorCode::overflow, "converting " + amount.to_string() + " to " + std::string(to.code()) +
                                           " leaves the range of int64 minor units");
  }
  return Money(static_cast<std::int64_t>(q), to);
}

Status FxTable::add(Date date, Currency from, Currency to, FxRatio rate) {
  if (from.empty() || to.empty())
    return Status(ErrorCode::invalid_argument, "exchange rate without a currency");
  if (from == to) {
    return Status(ErrorCode::invalid_argument,
                  "exchange rate from " + std::string(from.code()) + " to itself (expected two currencies)");
  }
  if (rate.numerator <= 0 || rate.denominator <= 0) {
    return Status(ErrorCode::invalid_argument, "exchange rate must be a positive fraction");
  }
  auto& list = rates_[Pair(std::string(from.code()), std::string(to.code()))];
  const auto it = std::lower_bound(list.begin(), list.end(), date,
                                   [](const std::pair<Date, FxRatio>& e, Date d) { return e.first < d; });
  if (it != list.end() && it->first == date) {
    return Status(ErrorCode::duplicate, "a second " + pair_text(from, to) + " rate dated " +
                                            date.to_string() + " (one per pair and date)");
  }
  list.insert(it, {date, rate});
  ++size_;
  return {};
}

Result<FxQuote> FxTable::quote(Currency from, Currency to, Date date) const {
  if (from == to) return FxQuote{FxRatio{1, 1}, date, false, true};
  // The latest entry on or before `date` of a pair, or nullptr.
  auto latest = [&](Currency a, Currency b,
                    const std::vector<std::pair<Date, FxRatio>>** all) -> const std::pair<Date, FxRatio>* {
    const auto found = rates_.find(Pair(std::string(a.code()), std::string(b.code())));
    if (found == rates_.end()) return nullptr;
    *all = &found->second;
    const auto& list = found->second;
    const auto it = std::upper_bound(list.begin(), list.end(), date,
                                     [](Date d, const std::pair<Date, FxRatio>& e) { return d < e.first; });
    return it == list.begin() ? nullptr : &*(it - 1);
  };
  const std::vector<std::pair<Date, FxRatio>>*direct_all = nullptr, *inverse_all = nullptr;
  const auto* direct = latest(from, to, &direct_all);
  const auto* inverse = latest(to, from, &inverse_all);
  if (direct && (!inverse || direct->first >= inverse->first)) return FxQuote{direct->second, direct->first};
  if (inverse) return FxQuote{inverse->second.inverse(), inverse->first, true};
  std::string known;
  std::optional<Date> earliest;
  for (const auto* all : {direct_all, inverse_all}) {
    if (all && !all->empty() && (!earliest || all->front().first < *earliest)) earliest = all->front().first;
  }
  if (earliest) {
    known = "; the rates start on " + earliest->to_string();
  } else {
    known = "; the rates have no " + pair_text(from, to) + " or " + pair_text(to, from) + " pair";
  }
  return Status(ErrorCode::not_found, "no exchange rate " + pair_text(from, to) + " dated on or before " +
                                          date.to_string() + known);
}

Result<Money> FxTable::convert(Money amount, Currency to, Date date) const {
  if (amount.currency() == to) return amount;
  auto q = quote(amount.currency(), to, date);
  if (!q) return q.status();
  return convert_exact(amount, q->rate, to);
}

std::string_view to_string(FxPolicy policy) noexcept {
  switch (policy) {
    case FxPolicy::rate_at_close:
      return "rate-at-close";
    case FxPolicy::rate_at_created:
      return "rate-at-created";
    case FxPolicy::rate_at_report:
      return "rate-at-report";
  }
  return "rate-at-close";
}

std::optional<FxPolicy> parse_fx_policy(std::string_view name) noexcept {
  for (FxPolicy p : {FxPolicy::rate_at_close, FxPolicy::rate_at_created, FxPolicy::rate_at_report}) {
    const std::string_view n = to_string(p);
    if (name.size() != n.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < n.size() && same; ++i)
      same = name[i] == n[i] || (n[i] == '-' && name[i] == '_');
    if (same) return p;
  }
  return std::nullopt;
}

std::string FxConversion::describe() const {
  std::string when;
  switch (policy) {
    case FxPolicy::rate_at_close:
      when = "the deal's closing date (open deals: the report instant's date)";
      break;
    case FxPolicy::rate_at_created:
      when = "the deal's created_at date";
      break;
    case FxPolicy::rate_at_report:
      when = "the report instant's date";
      break;
  }
  return "amounts converted to " + std::string(target.code()) + " with " + std::string(to_string(policy)) +
         ": the latest rate dated on or before " + when +
         " (UTC; an opposite pair used as its exact inverse, no cross rates), each deal's amount rounded "
         "once "
         "to the minor unit half to even, then summed";
}

}  // namespace dealflow
