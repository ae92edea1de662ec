// `dealflow pipeline-changes`: close-date slippage, amount and owner changes
// per deal and group in a period, from the deals' field changes
// (docs/slippage.md).
#include <ostream>

#include "dealflow/analytics/slippage.h"
#include "dealflow/analytics_input.h"
#include "dealflow/cli.h"

namespace dealflow::cli {
namespace {

namespace da = dealflow::analytics;

const std::string kHelp =
    std::string(
        "usage: dealflow pipeline-changes --pipeline P.json --deals D.csv --history H.csv --field-changes "
        "F.csv\n"
        "                                 (or --snapshot S.dflog for the CSV files)\n"
        "                                 [--from DATE] [--to DATE] [--by DIM] [--lenient] [--format "
        "table|csv|json]\n"
        "\n"
        "Per deal (and per group with --by), the changes made in [--from, --to): expected close-date\n"
        "pushes and days pushed (slippage), pulls, amount changes with the net delta per currency and\n"
        "owner changes (definitions: docs/slippage.md).\n"
        "\n"
        "  push           a change of close_date to a later date; days pushed = new - previous date\n"
        "  pull           a change of close_date to an earlier date\n"
        "  owner change   the manager changed\n"
        "  a deal's first change of a field sets it and is never counted; owners, close dates and\n"
        "  groups are as of the report instant (--to, else the latest change, event or creation)\n"
        "\n"
        "options:\n"
        "  --pipeline P.json      pipeline config; deals without a pipeline column belong to it\n"
        "  --deals D.csv          deals: id,created_at[,pipeline,amount,currency,manager,close_date,...]\n"
        "  --history H.csv        stage history: deal_id,at,stage[,pipeline,actor]\n"
        "  --field-changes F.csv  field changes: deal_id,at,field,value[,currency]\n") +
    kSnapshotOptionHelp +
    "  --from DATE            changes at or after (ISO 8601 date or instant)\n"
    "  --to DATE              changes before\n"
    "  --by DIM               group by a dimension (manager, region, ...) as of the report instant\n"
    "  --utc-offset +HH:MM    offset for timestamps without one (default Z)\n"
    "  --currency CODE        currency of amounts when a file has no currency column\n"
    "  --lenient              skip bad rows and report them on stderr instead of stopping\n"
    "  --format F             table (default), csv or json\n"
    "\n"
    "exit codes: 0 ok, 1 invalid data (the first error with file:line:column), 2 usage\n";

int run(const std::vector<std::string>& argv, Io io) {
  std::vector<std::string> options = kAnalyticsInputOptions;
  options.insert(options.end(), {"from", "to", "by", "format"});
  auto args = Args::parse(argv, {options, {"lenient"}});
  if (!args) return print_error(io, args.status()), kExitUsage;
  if (!args->positionals().empty()) {
    return print_error(io, Status(ErrorCode::invalid_argument,
                                  "unexpected argument '" + args->positionals()[0] + "' (see --help)")),
           kExitUsage;
  }
  if (auto fc = args->required("field-changes"); !fc && !args->option("snapshot"))
    return print_error(io, fc.status()), kExitUsage;
  const auto format_option = report_format_option(*args);
  if (!format_option) return print_error(io, format_option.status()), kExitUsage;
  const std::string& format = *format_option;
  auto utc_offset = utc_offset_option(*args);
  if (!utc_offset) return print_error(io, utc_offset.status()), kExitUsage;
  const int offset = *utc_offset;
  da::SlippageQuery query;
  for (const char* name : {"from", "to"}) {
    if (auto text = args->option(name)) {
      auto t = da::parse_csv_instant(*text, offset);
      if (!t) return print_error(io, t.status().with_context(std::string("--") + name)), kExitUsage;
      (std::string(name) == "from" ? query.from : query.to) = *t;
    }
  }
  if (query.from && query.to && *query.to <= *query.from) {
    return print_error(
               io, Status(ErrorCode::invalid_argument, "--from " + format_iso(*query.from) +
                                                           " is not before --to " + format_iso(*query.to))),
           kExitUsage;
  }

  AnalyticsInput input;
  if (const int rc = load_analytics_input(*args, offset, io, input); rc != kExitOk) return rc;
  if (auto by = args->option("by")) {
    auto group = da::resolve_grouping(input.log(), *by);
    if (!group) return print_error(io, group.status().with_context("--by")), kExitUsage;
    if (group->kind == da::FunnelGrouping::Kind::created_month) {
      return print_error(io, Status(ErrorCode::invalid_argument, "--by " + *by + ": expected a dimension")),
             kExitUsage;
    }
    query.group = *group;
  }
  auto report = da::compute_slippage(input.log(), input.definition(), query);
  if (!report) return print_error(io, report.status()), kExitDataError;
  if (format == "json") {
    io.out << dump_json(da::slippage_to_json(*report)) << "\n";
  } else if (format == "csv") {
    io.out << da::slippage_to_csv(*report);
  } else {
    io.out << da::slippage_to_table(*report);
  }
  return kExitOk;
}

const bool registered = register_command(
    {"pipeline-changes", "close-date slippage, amount and owner changes per deal in a period", kHelp, run});

}  // namespace
}  // namespace dealflow::cli
