// tools/dealflow/fx_option.h: the currency-conversion options of funnel,
// durations and scorecard: --fx RATES.csv, --fx-policy and --report-currency
// (docs/currencies.md). Not part of the library API; single-threaded use.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dealflow/cli.h"
#include "dealflow/core/fx.h"

namespace dealflow::cli {

// The option names read_fx_options reads; commands add them to theirs.
inline const std::vector<std::string> kFxOptions = {"fx", "fx-policy", "report-currency"};

// Help lines for the three options (a macro, to join the commands' help literals).
// clang-format off
#define DEALFLOW_FX_HELP                                                                                   \
  "  --fx RATES.csv      exchange rates date,from,to,rate (exact decimals), with --report-currency:\n"    \
  "                      amounts are converted before summing (docs/currencies.md); without these\n"    \
  "                      options, sums are per currency\n"                                              \
  "  --report-currency C the currency of every sum (needs --fx unless all amounts are in C)\n"           \
  "  --fx-policy P       rate-at-close (default; open deals: the report instant), rate-at-created or\n"  \
  "                      rate-at-report; the latest rate dated on or before that day\n"
// clang-format on

struct FxInput {
  std::optional<FxTable> table;
  std::optional<FxConversion> conversion;  // refers to *table: keep FxInput in place
};

// Fills `out` (nothing when no option is given) and returns kExitOk, or
// prints the error and returns kExitUsage (--fx or --fx-policy without
// --report-currency, an unknown policy or currency code) or kExitDataError
// (the rates file does not load, with file:line:column).
int read_fx_options(const Args& args, Io io, FxInput& out);

}  // namespace dealflow::cli
