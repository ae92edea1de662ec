// dealflow/core/money.h: exact money amounts.
//
// `Money` is a signed 64-bit count of minor units (kopecks, cents) plus an ISO
// 4217 currency code. Parsing is exact decimal (no floating point); arithmetic
// and ordering are defined only within one currency: mixing currencies is an
// error (`try_add` returns ErrorCode::currency_mismatch, operator+ throws
// std::invalid_argument), never a silent sum. Overflow is detected.
//
// Thread-safety: trivially copyable values.
//
// Example:
//   auto rub = dealflow::Currency::of("RUB");
//   dealflow::Money price = *dealflow::Money::parse("1 234,56", rub);  // 123456 kopecks
//   dealflow::Money total = price + price;                             // 2469.12 RUB
//   std::cout << total.to_string();                                    // "2469.12 RUB"
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "dealflow/core/status.h"

namespace dealflow {

// An ISO 4217 alphabetic code: exactly three ASCII upper-case letters.
class Currency {
 public:
  constexpr Currency() noexcept = default;  // "no currency" (empty)
  // Validates the code; upper-cases ASCII letters.
  static Result<Currency> parse(std::string_view code);
  // For literals in code and tests; asserts on an invalid code.
  static Currency of(std::string_view code);

  std::string_view code() const noexcept { return {code_.data(), empty() ? 0u : 3u}; }
  bool empty() const noexcept { return code_[0] == '\0'; }
  // Digits after the decimal point: 2 for most, 0 for JPY/KRW/..., 3 for BHD/KWD/...
  int minor_digits() const noexcept;

  friend constexpr bool operator==(const Currency&, const Currency&) noexcept = default;

 private:
  std::array<char, 4> code_{};  // NUL-terminated
};

class Money {
 public:
  constexpr Money() noexcept = default;
  constexpr Money(std::int64_t minor_units, Currency currency) noexcept
      : minor_(minor_units), currency_(currency) {}

  // Parses a decimal amount in `currency`'s minor units, exactly:
  //   "1234.56", "1234,56", "1 234,56", "1,234.56", "-12", "+7.5", "1 234" (NBSP / narrow NBSP too).
  // More fraction digits than the currency has is an error (no rounding), as is
  // anything that is not a number or would overflow int64.
  static Result<Money> parse(std::string_view text, Currency currency);
  // Parses "<amount> <CODE>" or "<CODE> <amount>", e.g. "1234.56 RUB".
  static Result<Money> parse_with_code(std::string_view text);

  constexpr std::int64_t minor_units() const noexcept { return minor_; }
  constexpr Currency currency() const noexcept { return currency_; }
  constexpr bool is_zero() const noexcept { return minor_ == 0; }
  constexpr bool is_positive() const noexcept { return minor_ > 0; }

  Result<Money> try_add(Money other) const;
  Result<Money> try_subtract(Money other) const;
  Result<Money> try_multiply(std::int64_t factor) const;
  // Ordering within one currency; currency_mismatch otherwise.
  Result<std::strong_ordering> try_compare(Money other) const;

  // Throwing forms for code that already knows the currencies agree.
  Money operator+(Money other) const;
  Money operator-(Money other) const;
  Money& operator+=(Money other) { return *this = *this + other; }
  Money& operator-=(Money other) { return *this = *this - other; }
  Money operator-() const;
  std::strong_ordering operator<=>(const Money& other) const;  // throws on mismatch
  constexpr bool operator==(const Money& other) const noexcept = default;

  // "1234.56 RUB" ("-0.05 USD", "100 JPY"): plain digits, '.' as decimal point.
  std::string to_string() const;
  // The amount only, with a thousands separator and decimal mark of choice:
  // format_amount(' ', ',') gives "1 234,56".
  std::string format_amount(std::string_view thousands_separator = "", char decimal_mark = '.') const;

 private:
  std::int64_t minor_ = 0;
  Currency currency_{};
};

}  // namespace dealflow
