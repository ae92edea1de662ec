#include "dealflow/core/money.h"

#include <algorithm>
#include <stdexcept>

namespace dealflow {
namespace {

// ISO 4217 currencies whose minor unit is not 2 digits.
struct MinorDigits {
  const char* code;
  int digits;
};
constexpr MinorDigits kNonStandard[] = {
    {"BHD", 3}, {"BIF", 0}, {"CLF", 4}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"IQD", 3},
    {"ISK", 0}, {"JOD", 3}, {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3},
    {"OMR", 3}, {"PYG", 0}, {"RWF", 0}, {"TND", 3}, {"UGX", 0}, {"UYI", 0}, {"UYW", 4},
    {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0},
};

Status money_error(std::string_view text, std::string what) {
  return Status(ErrorCode::parse_error,
                "invalid money amount '" + std::string(text) + "': " + std::move(what));
}

bool is_space_separator(std::string_view s, std::size_t i, std::size_t* width) {
  if (s[i] == ' ' || s[i] == '\'') { *width = 1; return true; }
  if (s.substr(i, 2) == "\xC2\xA0") { *width = 2; return true; }      // NO-BREAK SPACE
  if (s.substr(i, 3) == "\xE2\x80\xAF") { *width = 3; return true; }  // NARROW NO-BREAK SPACE
  if (s.substr(i, 3) == "\xE2\x80\x89") { *width = 3; return true; }  // THIN SPACE
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<Currency> Currency::parse(std::string_view code) {
  if (code.size() != 3) {
    return Status(ErrorCode::parse_error,
                  "invalid currency code '" + std::string(code) + "': expected 3 letters (ISO 4217)");
  }
  Currency c;
  for (std::size_t i = 0; i < 3; ++i) {
    char ch = code[i];
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    if (ch < 'A' || ch > 'Z') {
      return Status(ErrorCode::parse_error,
                    "invalid currency code '" + std::string(code) + "': expected 3 letters (ISO 4217)");
    }
    c.code_[i] = ch;
  }
  return c;
}

Currency Currency::of(std::string_view code) {
  auto c = parse(code);
  assert(c.ok());
  return c.ok() ? *c : Currency{};
}

int Currency::minor_digits() const noexcept {
  for (const auto& entry : kNonStandard) {
    if (code() == entry.code) return entry.digits;
  }
  return 2;
}

Result<Money> Money::parse(std::string_view text, Currency currency) {
  const std::string_view original = text;
  text = trim(text);
  if (text.empty()) return money_error(original, "empty");
  bool negative = false;
  if (text.front() == '-' || text.front() == '+') {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text.empty()) return money_error(original, "no digits");

  // Decide which of '.' and ',' is the decimal mark: the last of the two when
  // both occur; a mark that occurs exactly once otherwise; one that repeats is
  // a thousands separator ("1,234,567").
  const auto dots = std::count(text.begin(), text.end(), '.');
  const auto commas = std::count(text.begin(), text.end(), ',');
  char decimal = 0;
  char group = 0;
  if (dots > 0 && commas > 0) {
    decimal = text.find_last_of(".,") == text.rfind('.') ? '.' : ',';
    group = decimal == '.' ? ',' : '.';
    if ((decimal == '.' ? dots : commas) != 1) return money_error(original, "more than one decimal mark");
  } else if (dots == 1 || commas == 1) {
    decimal = dots == 1 ? '.' : ',';
  } else if (dots > 1 || commas > 1) {
    group = dots > 1 ? '.' : ',';
  }

  const int digits_allowed = currency.minor_digits();
  std::int64_t units = 0;  // magnitude; overflow checked at every step
  int fraction_digits = -1;  // -1: still in the integer part
  bool any_digit = false;
  bool last_was_digit = false;
  int group_digits = 0;      // digits since the last group separator
  bool grouped = false;      // a group separator was seen
  auto group_ok = [&] { return !grouped || group_digits == 3; };
  for (std::size_t i = 0; i < text.size();) {
    const char ch = text[i];
    std::size_t width = 0;
    if (ch >= '0' && ch <= '9') {
      if (fraction_digits >= 0) {
        if (fraction_digits == digits_allowed) {
          return money_error(original, "more fraction digits than " + std::string(currency.code()) +
                                           " has (" + std::to_string(digits_allowed) + ")");
        }
        ++fraction_digits;
      } else {
        ++group_digits;
      }
      if (__builtin_mul_overflow(units, 10, &units) || __builtin_add_overflow(units, ch - '0', &units)) {
        return money_error(original, "out of range");
      }
      any_digit = last_was_digit = true;
      ++i;
    } else if (ch == decimal && fraction_digits < 0) {
      if (!any_digit) return money_error(original, "no digits before the decimal mark");
      if (!group_ok()) return money_error(original, "digit groups must have 3 digits");
      fraction_digits = 0;
      last_was_digit = false;
      ++i;
    } else if (fraction_digits < 0 &&
               ((group != 0 && ch == group && (width = 1)) || is_space_separator(text, i, &width))) {
      if (!last_was_digit) return money_error(original, "misplaced digit group separator");
      if ((grouped && group_digits != 3) || (!grouped && group_digits > 3)) {
        return money_error(original, "digit groups must have 3 digits");
      }
      grouped = true;
      group_digits = 0;
      i += width;
      if (i >= text.size() || text[i] < '0' || text[i] > '9') {
        return money_error(original, "misplaced digit group separator");
      }
      last_was_digit = false;
    } else {
      return money_error(original, "unexpected character '" + std::string(1, ch) + "'");
    }
  }
  if (!any_digit) return money_error(original, "no digits");
  if (fraction_digits < 0 && !group_ok()) return money_error(original, "digit groups must have 3 digits");
  if (fraction_digits == 0) return money_error(original, "no digits after the decimal mark");
  for (int d = std::max(fraction_digits, 0); d < digits_allowed; ++d) {
    if (__builtin_mul_overflow(units, 10, &units)) return money_error(original, "out of range");
  }
  return Money(negative ? -units : units, currency);
}

Result<Money> Money::parse_with_code(std::string_view text) {
  text = trim(text);
  const auto space = text.find_last_of(' ');
  const auto first_space = text.find(' ');
  if (space == std::string_view::npos) {
    return money_error(text, "expected '<amount> <currency>', e.g. '1234.56 RUB'");
  }
  std::string_view code = text.substr(space + 1);
  std::string_view amount = text.substr(0, space);
  if (code.size() != 3 || !Currency::parse(code).ok()) {
    code = text.substr(0, first_space);
    amount = text.substr(first_space + 1);
  }
  auto currency = Currency::parse(code);
  if (!currency) return money_error(text, "expected '<amount> <currency>', e.g. '1234.56 RUB'");
  return parse(amount, *currency);
}

Result<Money> Money::try_add(Money other) const {
  if (currency_ != other.currency_) {
    return Status(ErrorCode::currency_mismatch, "cannot add " + std::string(other.currency_.code()) +
                                                    " to " + std::string(currency_.code()));
  }
  std::int64_t sum = 0;
  if (__builtin_add_overflow(minor_, other.minor_, &sum)) {
    return Status(ErrorCode::overflow, "money sum out of range");
  }
  return Money(sum, currency_);
}

Result<Money> Money::try_subtract(Money other) const {
  if (currency_ != other.currency_) {
    return Status(ErrorCode::currency_mismatch, "cannot subtract " + std::string(other.currency_.code()) +
                                                    " from " + std::string(currency_.code()));
  }
  std::int64_t diff = 0;
  if (__builtin_sub_overflow(minor_, other.minor_, &diff)) {
    return Status(ErrorCode::overflow, "money difference out of range");
  }
  return Money(diff, currency_);
}

Result<Money> Money::try_multiply(std::int64_t factor) const {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(minor_, factor, &product)) {
    return Status(ErrorCode::overflow, "money product out of range");
  }
  return Money(product, currency_);
}

Result<std::strong_ordering> Money::try_compare(Money other) const {
  if (currency_ != other.currency_) {
    return Status(ErrorCode::currency_mismatch, "cannot compare " + std::string(currency_.code()) +
                                                    " with " + std::string(other.currency_.code()));
  }
  return minor_ <=> other.minor_;
}

namespace {
template <class R>
R value_or_throw(Result<R> r) {
  if (!r) throw std::invalid_argument(r.status().message());
  return *std::move(r);
}
}  // namespace

Money Money::operator+(Money other) const { return value_or_throw(try_add(other)); }
Money Money::operator-(Money other) const { return value_or_throw(try_subtract(other)); }
Money Money::operator-() const { return value_or_throw(Money(0, currency_).try_subtract(*this)); }
std::strong_ordering Money::operator<=>(const Money& other) const {
  return value_or_throw(try_compare(other));
}

std::string Money::format_amount(std::string_view thousands_separator, char decimal_mark) const {
  const int digits = currency_.minor_digits();
  // Work on the magnitude as unsigned so INT64_MIN formats correctly.
  unsigned long long magnitude = minor_ < 0 ? 0ULL - static_cast<unsigned long long>(minor_)
                                            : static_cast<unsigned long long>(minor_);
  std::string all = std::to_string(magnitude);
  if (static_cast<int>(all.size()) <= digits) all.insert(0, static_cast<std::size_t>(digits + 1) - all.size(), '0');
  const std::string integer = all.substr(0, all.size() - static_cast<std::size_t>(digits));
  const std::string fraction = all.substr(all.size() - static_cast<std::size_t>(digits));
  std::string out = minor_ < 0 ? "-" : "";
  for (std::size_t i = 0; i < integer.size(); ++i) {
    if (i > 0 && (integer.size() - i) % 3 == 0) out += thousands_separator;
    out += integer[i];
  }
  if (digits > 0) {
    out += decimal_mark;
    out += fraction;
  }
  return out;
}

std::string Money::to_string() const {
  std::string out = format_amount();
  if (!currency_.empty()) {
    out += ' ';
    out += currency_.code();
  }
  return out;
}

}  // namespace dealflow
