// dealflow/compensation/spif.h: SPIFs — a fixed bonus per qualifying deal in a date range.
//
// A SPIF pays a fixed amount × the credit share for each credited deal whose
// credit date (the credit instant's local date) lies in [from, to] (either
// end open), whose product is one of `products` (empty = any) and, if given,
// whose amount is ≥ `min_amount` (docs/compensation.md, "SPIFs"). Each line
// is one exact fraction rounded once by the declared rule; the total is the
// sum of lines. Deals that do not qualify are listed with the reason.
//
// Ownership: specs and results are self-contained values.
// Thread-safety: pure functions; safe to call concurrently.
//
// Example (a 60/40 split deal with product Обучение won 2024-08-05):
//   SpifSpec s{"training-q3", Money(1'000'000, rub), Date::parse("2024-07-01").value(),
//              Date::parse("2024-09-30").value(), Money(10'000'000, rub), {"Обучение"}};
//   std::vector<SpifDeal> d = {{"1042", "m-ivanova", aug5, Money(20'000'000, rub), "Обучение", Rate::ratio(3,
//   5)},
//                              {"1042", "m-smirnova", aug5, Money(20'000'000, rub), "Обучение",
//                              Rate::ratio(2, 5)}};
//   auto st = compute_spif(s, d);  // 6 000.00 and 4 000.00
//   if (!st) return fail(st.status());
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dealflow/compensation/rates.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"

namespace dealflow::compensation {

struct SpifSpec {
  std::string id;
  Money amount;                  // per qualifying deal at 100% share; > 0
  std::optional<Date> from, to;  // inclusive local dates; empty = open
  std::optional<Money> min_amount;
  std::vector<std::string> products;  // empty = any product
  Rounding rounding = Rounding::half_even;
};

// One credit of a deal (a deal split 60/40 is two credits).
struct SpifDeal {
  std::string deal;
  std::string participant;
  Date credit_date;   // local date of the credit instant
  Money deal_amount;  // the whole deal's amount (min_amount compares it)
  std::string product;
  Rate share = Rate::ratio(1, 1);  // (0, 1]
};

struct SpifLine {
  std::string spif;
  std::string deal;
  std::string participant;
  Rate share;
  Money amount;  // rounded once
  std::string reason;
};

struct SpifStatement {
  std::vector<SpifLine> lines;       // in input order
  std::vector<std::string> skipped;  // "deal 7: won 2024-06-30, before the SPIF's 2024-07-01"
  Money total;                       // Σ lines
};

// Checks the spec: amount > 0 with a currency, min_amount in that currency,
// to not before from. Errors name "/spif/amount", "/spif/to", ...
Status validate(const SpifSpec& spec);

// The SPIF lines of the given credits. Errors: an invalid spec, a deal amount
// in another currency, a share outside (0, 1] (located as "deal D").
Result<SpifStatement> compute_spif(const SpifSpec& spec, std::span<const SpifDeal> deals);

}  // namespace dealflow::compensation
