// `dealflow scorecard`: the manager scorecard for a period beside the previous
// one (docs/scorecard.md).
#include <ostream>

#include "dealflow/analytics/scorecard.h"
#include "dealflow/analytics/scorecard_output.h"
#include "dealflow/analytics_input.h"
#include "dealflow/cli.h"
#include "dealflow/fx_option.h"

namespace dealflow::cli {
namespace {

namespace da = dealflow::analytics;

const std::string kHelp =
    std::string(
        "usage: dealflow scorecard --pipeline P --deals D.csv --history H.csv --from DATE --to DATE\n"
        "                          [--only-pipeline ID] [--check-policy] [--field-changes F.csv]\n"
        "                          [--lenient] [--format table|csv|json]\n"
        "                          (or --snapshot S.dflog for the CSV files)\n"
        "                          [--fx RATES.csv --report-currency CODE [--fx-policy POLICY]]\n"
        "\n"
        "Per manager (the deals' manager column) for the period [--from, --to), with the previous\n"
        "period of equal length beside it: deals taken, won, lost, open, win rate, won amount,\n"
        "average and median won amount, median cycle; split by new vs repeat business and by\n"
        "channel; team totals; ranks by won amount (by won deals when the won amounts are in several\n"
        "currencies and no --fx converts them; definitions: docs/scorecard.md, docs/currencies.md).\n"
        "\n"
        "  taken        deals created in the period\n"
        "  won, lost    deals whose final won/lost stage (as of the period end) was entered in it\n"
        "  open         deals open at the period end\n"
        "  win rate     won/(won+lost)\n"
        "  medians      the lower middle value for an even count (exact amounts)\n"
        "A reopened deal (won/lost, then open again, declared or not) counts by its outcome at each\n"
        "period end; a deal moved to another pipeline counts in the pipeline it is in at the period end.\n"
        "\n"
        "options:\n") +
    kPipelineOptionsHelp +
    "  --deals D.csv       deals: id,created_at[,pipeline,amount,currency,manager,...,business,channel]\n"
    "  --history H.csv     stage history: deal_id,at,stage[,pipeline,actor]\n"
    "  --field-changes F.csv  deal field changes: deal_id,at,field,value[,currency]; groups (and\n"
    "                      amounts) are then the values as of the report instant\n" +
    kSnapshotOptionHelp +
    "  --from DATE         period start, inclusive (ISO 8601 date or instant)\n"
    "  --to DATE           period end, exclusive\n"
    "  --utc-offset +HH:MM offset for timestamps without one (default Z)\n"
    "  --currency CODE     currency of amounts when the deals file has no currency column\n" DEALFLOW_FX_HELP
    "  --lenient           skip bad rows and report them on stderr instead of stopping\n"
    "  --format F          table (default), csv or json\n"
    "\n"
    "exit codes: 0 ok, 1 invalid data (the first error with file:line:column), 2 usage\n";

int run(const std::vector<std::string>& argv, Io io) {
  std::vector<std::string> options = kAnalyticsInputOptions;
  options.insert(options.end(), kFxOptions.begin(), kFxOptions.end());
  options.insert(options.end(), {"from", "to", "format"});
  auto args = Args::parse(argv, {options, kAnalyticsInputFlags});
  if (!args) return print_error(io, args.status()), kExitUsage;
  if (!args->positionals().empty()) {
    return print_error(io, Status(ErrorCode::invalid_argument,
                                  "unexpected argument '" + args->positionals()[0] + "' (see --help)")),
           kExitUsage;
  }
  auto from_text = args->required("from");
  auto to_text = args->required("to");
  for (const auto* r : {&from_text, &to_text}) {
    if (!*r) return print_error(io, r->status()), kExitUsage;
  }
  const auto format_option = report_format_option(*args);
  if (!format_option) return print_error(io, format_option.status()), kExitUsage;
  const std::string& format = *format_option;
  auto utc_offset = utc_offset_option(*args);
  if (!utc_offset) return print_error(io, utc_offset.status()), kExitUsage;
  const int offset = *utc_offset;
  auto from = da::parse_csv_instant(*from_text, offset);
  if (!from) return print_error(io, from.status().with_context("--from")), kExitUsage;
  auto to = da::parse_csv_instant(*to_text, offset);
  if (!to) return print_error(io, to.status().with_context("--to")), kExitUsage;
  if (*to <= *from) {
    return print_error(io, Status(ErrorCode::invalid_argument,
                                  "--from " + format_iso(*from) + " is not before --to " + format_iso(*to))),
           kExitUsage;
  }

  FxInput fx;
  if (const int rc = read_fx_options(*args, io, fx); rc != kExitOk) return rc;
  AnalyticsInput input;
  if (const int rc = load_analytics_input(*args, offset, io, input); rc != kExitOk) return rc;

  return print_reports<da::ScorecardReport>(
      input, format, false, io,
      [&](const Pipeline& p) {
        return da::compute_scorecard(input.log(), p, {*from, *to, fx.conversion});
      },
      [](const da::ScorecardReport& r, const Pipeline& p) { return da::scorecard_to_table(r, p); },
      [](const da::ScorecardReport& r) { return da::scorecard_to_csv(r); },
      [](const da::ScorecardReport& r, const Pipeline&) { return da::scorecard_to_json(r); });
}

const bool registered =
    register_command({"scorecard", "manager scorecard for a period beside the previous one", kHelp, run});

}  // namespace
}  // namespace dealflow::cli
