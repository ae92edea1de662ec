// dealflow/core/fx.h: exchange rates and exact currency conversion.
//
// An `FxTable` holds dated rates "1 unit of FROM = RATE units of TO" (major
// units), each an exact fraction parsed from a decimal such as `17.0512`
// (never a double). For a pair and a date it answers with the latest rate
// dated on or before that date (like pandas merge_asof, direction backward).
// When the table has the opposite pair too, the later-dated of the two is
// used, the direct pair on a tie; an opposite rate is used as its exact
// inverse (1/17.0512 = 10000/170512, a rational, not a rounded decimal).
// There are no cross rates: MXN -> PEN is not derived through USD.
//
// Conversion multiplies the minor units by the exact rate (with both
// currencies' minor digits) and rounds once, to the target currency's minor
// units, half to even (banker's rounding): 0.5 -> 0, 1.5 -> 2, -2.5 -> -2.
// Intermediate values use 256-bit integers, so no step can overflow; a result
// outside int64 minor units is an overflow error.
//
// `FxConversion` is what a report takes to give its amounts in one currency:
// the table, the report currency and the policy choosing each deal's date
// (rate-at-close, rate-at-created, rate-at-report; docs/currencies.md).
// The CSV file form (`date,from,to,rate`) is read by dealflow/io/fx_rates.h.
//
// Ownership: an FxTable owns its rates; FxConversion borrows the table.
// Thread-safety: a built table is immutable; concurrent const calls are safe.
//
// Example:
//   dealflow::FxTable rates;
//   auto mxn = dealflow::Currency::of("MXN"), usd = dealflow::Currency::of("USD");
//   rates.add(*dealflow::Date::parse("2024-03-01"), usd, mxn, *dealflow::parse_fx_rate("17.0512"));
//   auto usd_amount = rates.convert(dealflow::Money(1705120, mxn), usd,
//   *dealflow::Date::parse("2024-03-05"));
//   // 17051.20 MXN / 17.0512 = 1000.00 USD (the inverse of USD->MXN, exactly)
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"

namespace dealflow {

// An exact positive rate: 1 major unit of `from` = numerator / denominator
// major units of `to`. Kept in lowest terms.
struct FxRatio {
  std::int64_t numerator = 1;
  std::int64_t denominator = 1;
  FxRatio inverse() const noexcept { return {denominator, numerator}; }
  friend constexpr bool operator==(const FxRatio&, const FxRatio&) noexcept = default;
};

// Parses a plain decimal rate exactly: digits with an optional '.' and
// fraction ("17.0512", "0.000058", "1"); at most 18 digits in all; greater
// than 0. No sign, exponent, thousands separator or comma. parse_error
// naming the text and what is expected otherwise.
Result<FxRatio> parse_fx_rate(std::string_view text);

// amount x rate in `to`'s minor units, exactly, rounded once half to even.
// overflow when the result leaves int64 minor units.
Result<Money> convert_exact(Money amount, FxRatio rate, Currency to);

// The rate a lookup found.
struct FxQuote {
  FxRatio rate;           // from -> to, exact (the inverse of the stored rate when inverted)
  Date date;              // the date of the stored rate used
  bool inverted = false;  // taken from the opposite pair
  bool identity = false;  // from == to: rate 1, no table entry
};

class FxTable {
 public:
  // Adds a rate. Errors: an empty currency or from == to (invalid_argument);
  // the same pair and date twice (duplicate, naming the date and pair).
  // On error the table is unchanged.
  Status add(Date date, Currency from, Currency to, FxRatio rate);

  // The rate for `from` -> `to` on `date` (rules above). not_found naming the
  // pair and the date, and the earliest date the table has for the pair (or
  // that it has none) when no rate is dated on or before `date`.
  Result<FxQuote> quote(Currency from, Currency to, Date date) const;
  // quote() then convert_exact(). An amount already in `to` is returned as is.
  Result<Money> convert(Money amount, Currency to, Date date) const;

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

 private:
  using Pair = std::pair<std::string, std::string>;              // (from code, to code)
  std::map<Pair, std::vector<std::pair<Date, FxRatio>>> rates_;  // each sorted by date
  std::size_t size_ = 0;
};

// Which date of a deal picks its rate.
enum class FxPolicy : std::uint8_t {
  rate_at_close,    // the date the deal closed (entered its final won/lost stage) as of the
                    // report instant; a deal open then uses the report instant's date
  rate_at_created,  // the deal's created_at date
  rate_at_report,   // the report instant's date, for every deal
};
std::string_view to_string(FxPolicy policy) noexcept;  // "rate-at-close", ...
// Accepts the names above (and their '_' spellings).
std::optional<FxPolicy> parse_fx_policy(std::string_view name) noexcept;

// Convert every amount into `target` before summing (an option of the
// funnel, velocity and scorecard queries). Dates are UTC calendar dates.
struct FxConversion {
  const FxTable* table = nullptr;  // borrowed; must outlive the report call
  Currency target;
  FxPolicy policy = FxPolicy::rate_at_close;
  // One line for definitions: "amounts converted to USD with rate-at-close
  // (...), rounded half to even once per deal".
  std::string describe() const;
};

}  // namespace dealflow
