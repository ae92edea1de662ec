// Internals shared by src/compensation/*.cpp: exact arithmetic and text.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "dealflow/compensation/rates.h"

namespace dealflow::compensation::detail {

__extension__ typedef __int128 Int128;

// n / d rounded to an integer by `rounding` (d > 0; n of any sign).
Int128 round_div(Int128 n, Int128 d, Rounding rounding);
// ceil(quota × bp / 10000): the least measure that reaches `bp` of quota.
std::int64_t attainment_bound(std::int64_t quota_minor, std::int64_t bp);
// "1 000 000 RUB", "1 234.50 USD": thousands with spaces, ".00" dropped.
std::string format_money(Money m);
// 10000 → "100", 12550 → "125.5".
std::string format_bp(std::int64_t bp);
// "3%", "33.33%", "2.5%": a rate as a percentage with 2 decimals, trailing zeros dropped.
std::string short_percent(Rate r);
// A Status located at a JSON-path-like `path` of the caller's spec ("" when none).
Status located_error(ErrorCode code, std::string message, std::string path = {});

// The statement without validating (validate() uses it to price thresholds).
Result<Statement> run(const RateSpec& spec, std::span<const Credit> credits,
                      std::optional<Money> paid_before);

}  // namespace dealflow::compensation::detail
