// dealflow/io/fx_rates.h: the exchange-rate file (`--fx RATES.csv`).
//
//   date,from,to,rate
//   2024-03-01,USD,MXN,17.0512
//   2024-03-01,COP,USD,0.000256
//
// UTF-8 CSV (io/csv.h rules); the header names the four columns in any order
// (other columns are ignored). `date` is YYYY-MM-DD (the rate applies from
// that UTC day on, until a later-dated rate of the pair); `from` and `to` are
// ISO 4217 codes; `rate` is a plain decimal > 0 (core/fx.h parse_fx_rate):
// 1 unit of `from` = `rate` units of `to`. Rows may come in any order.
// Errors, each located "file:line:column: column 'x': ... expected ...": a
// missing column, an invalid date, currency code or rate, from == to, the
// same pair and date twice (naming the line of the first), a file with no
// rate. Nothing is returned on error (no half-loaded table).
//
// Thread-safety: reentrant.
//
// Example:
//   auto rates = dealflow::load_fx_rates_file("rates.csv");
//   if (!rates) return rates.status();
//   dealflow::FxConversion fx{&*rates, dealflow::Currency::of("USD"), dealflow::FxPolicy::rate_at_close};
#pragma once

#include <string>

#include "dealflow/core/fx.h"
#include "dealflow/core/status.h"

namespace dealflow {

Result<FxTable> load_fx_rates_file(const std::string& path);
Result<FxTable> load_fx_rates_csv(std::string text, std::string file_name);

}  // namespace dealflow
