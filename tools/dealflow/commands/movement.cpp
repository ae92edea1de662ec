// `dealflow movement`: the pipeline movement between two instants (the
// waterfall: open at the start, + created, + pulled in, ± amount changes,
// - won, - lost, - slipped out, ... = open at the end), per currency, with the
// deal ids of every bar (docs/movement.md).
#include <ostream>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/movement_output.h"
#include "dealflow/analytics_input.h"
#include "dealflow/cli.h"

namespace dealflow::cli {
namespace {

namespace da = dealflow::analytics;

const std::string kHelp =
    std::string(
        "usage: dealflow movement --pipeline P.json --deals D.csv --history H.csv [--field-changes F.csv]\n"
        "                         (or --snapshot S.dflog for the CSV files)\n"
        "                         --from DATE --to DATE [--as-of DATE] [--scope period|open]\n"
        "                         [--lenient] [--format table|csv|json]\n"
        "\n"
        "How the period's pipeline moved between --from and --to (a waterfall), per currency, in\n"
        "deals and exact amounts, with the deal ids of every bar (definitions: docs/movement.md).\n"
        "The period's pipeline is the open deals whose expected close date is in [--from, --to)\n"
        "(--scope period, default) or every open deal (--scope open). Start: as of --from - 1 s;\n"
        "end: as of --to - 1 s. Every change in between that makes a deal enter or leave counts once:\n"
        "\n"
        "  + created      created in the period\n"
        "  + pulled in    close date moved into the period from a later date\n"
        "  + slipped in   ... from an earlier date;  + dated: a close date set where there was none\n"
        "  + reopened     a won or lost deal reopened;  + moved in: from another pipeline\n"
        "  ± amount changes of deals in the pipeline (exits count at the amount they left with)\n"
        "  - won, - lost  closed\n"
        "  - slipped out  close date pushed past the period;  - pulled out: moved before it\n"
        "  - undated      close date cleared;  - moved out: to another pipeline\n"
        "  start + entries + changes - exits = end holds exactly in every currency\n"
        "\n"
        "Period to date (--as-of T, in (--from, --to]): the pipeline is still the period's (close\n"
        "dates in [--from, --to)), but only changes in [--from, T) count and the end is as of T - 1 s.\n"
        "\n"
        "options:\n") +
    kPipelineOptionsHelp +
    "  --deals D.csv          deals: id,created_at[,pipeline,amount,currency,manager,close_date,...]\n"
    "  --history H.csv        stage history: deal_id,at,stage[,pipeline,actor]\n"
    "  --field-changes F.csv  field changes: deal_id,at,field,value[,currency] (close dates and\n"
    "                         amounts over time; without it they are the deals.csv values throughout)\n" +
    kSnapshotOptionHelp +
    "  --from DATE            start of the period (ISO 8601 date or instant), required\n"
    "  --to DATE              end of the period, exclusive, required\n"
    "  --as-of DATE           period to date: count the changes up to this instant (exclusive)\n"
    "                         and end as of it - 1 s; in (--from, --to]\n"
    "  --scope S              period (default) or open\n"
    "  --utc-offset +HH:MM    offset for timestamps without one and of the close dates' midnight\n"
    "                         (default Z)\n"
    "  --currency CODE        currency of amounts when a file has no currency column\n"
    "  --lenient              skip bad rows and report them on stderr instead of stopping\n"
    "  --format F             table (default), csv or json\n"
    "\n"
    "exit codes: 0 ok, 1 invalid data (the first error with file:line:column), 2 usage\n";

int run(const std::vector<std::string>& argv, Io io) {
  std::vector<std::string> options = kAnalyticsInputOptions;
  options.insert(options.end(), {"from", "to", "as-of", "scope", "format"});
  auto args = Args::parse(argv, {options, kAnalyticsInputFlags});
  if (!args) return print_error(io, args.status()), kExitUsage;
  if (!args->positionals().empty()) {
    return print_error(io, Status(ErrorCode::invalid_argument,
                                  "unexpected argument '" + args->positionals()[0] + "' (see --help)")),
           kExitUsage;
  }
  const auto format_option = report_format_option(*args);
  if (!format_option) return print_error(io, format_option.status()), kExitUsage;
  const std::string& format = *format_option;
  auto utc_offset = utc_offset_option(*args);
  if (!utc_offset) return print_error(io, utc_offset.status()), kExitUsage;
  da::MovementQuery query;
  query.utc_offset_minutes = *utc_offset;
  for (const char* name : {"from", "to"}) {
    auto text = args->required(name);
    if (!text) return print_error(io, text.status()), kExitUsage;
    auto t = da::parse_csv_instant(*text, *utc_offset);
    if (!t) return print_error(io, t.status().with_context(std::string("--") + name)), kExitUsage;
    (std::string(name) == "from" ? query.from : query.to) = *t;
  }
  if (query.to <= query.from) {
    return print_error(
               io, Status(ErrorCode::invalid_argument, "--from " + format_iso(query.from) +
                                                           " is not before --to " + format_iso(query.to))),
           kExitUsage;
  }
  if (auto text = args->option("as-of")) {
    auto t = da::parse_csv_instant(*text, *utc_offset);
    if (!t) return print_error(io, t.status().with_context("--as-of")), kExitUsage;
    if (*t <= query.from || *t > query.to) {
      return print_error(io, Status(ErrorCode::invalid_argument,
                                    "--as-of " + format_iso(*t) + " is not in (--from " +
                                        format_iso(query.from) + ", --to " + format_iso(query.to) +
                                        "]: expected after --from and not "
                                        "after --to")),
             kExitUsage;
    }
    query.as_of = *t;
  }
  if (auto scope = args->option("scope")) {
    if (*scope == "period") {
      query.scope = da::MovementScope::close_in_period;
    } else if (*scope == "open") {
      query.scope = da::MovementScope::all_open;
    } else {
      return print_error(io, Status(ErrorCode::invalid_argument,
                                    "--scope '" + *scope + "': expected period or open")),
             kExitUsage;
    }
  }

  AnalyticsInput input;
  if (const int rc = load_analytics_input(*args, *utc_offset, io, input); rc != kExitOk) return rc;
  return print_reports<da::MovementReport>(
      input, format, false, io,
      [&](const Pipeline& p) { return da::compute_pipeline_movement(input.log(), p, query); },
      [](const da::MovementReport& r, const Pipeline&) { return da::movement_to_table(r); },
      [](const da::MovementReport& r) { return da::movement_to_csv(r); },
      [](const da::MovementReport& r, const Pipeline&) { return da::movement_to_json(r); });
}

const bool registered = register_command(
    {"movement", "pipeline movement between two instants: a waterfall with the deal ids of each bar", kHelp,
     run});

}  // namespace
}  // namespace dealflow::cli
