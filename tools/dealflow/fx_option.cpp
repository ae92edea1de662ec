// The currency-conversion options (fx_option.h).
#include "dealflow/fx_option.h"

#include "dealflow/io/fx_rates.h"

namespace dealflow::cli {

int read_fx_options(const Args& args, Io io, FxInput& out) {
  const auto path = args.option("fx");
  const auto policy_text = args.option("fx-policy");
  const auto currency_text = args.option("report-currency");
  if (!currency_text) {
    if (path || policy_text) {
      print_error(io, Status(ErrorCode::invalid_argument,
                             std::string(path ? "--fx" : "--fx-policy") +
                                 " needs --report-currency CODE (the currency to convert the amounts into)"));
      return kExitUsage;
    }
    return kExitOk;
  }
  auto currency = Currency::parse(*currency_text);
  if (!currency) return print_error(io, currency.status().with_context("--report-currency")), kExitUsage;
  FxPolicy policy = FxPolicy::rate_at_close;
  if (policy_text) {
    auto p = parse_fx_policy(*policy_text);
    if (!p) {
      print_error(io, Status(ErrorCode::invalid_argument,
                             "--fx-policy '" + *policy_text +
                                 "': expected rate-at-close, rate-at-created or rate-at-report"));
      return kExitUsage;
    }
    policy = *p;
  }
  if (path) {
    auto table = load_fx_rates_file(*path);
    if (!table) return print_error(io, table.status()), kExitDataError;
    out.table = std::move(*table);
  } else {
    out.table = FxTable();  // no rates: every amount must already be in the report currency
  }
  out.conversion = FxConversion{&*out.table, *currency, policy};
  return kExitOk;
}

}  // namespace dealflow::cli
