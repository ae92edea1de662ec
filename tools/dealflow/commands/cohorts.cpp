// `dealflow cohorts`: deals by created month, the furthest stage each reached
// and the win rate per month (docs/cohorts.md).
#include <charconv>
#include <ostream>

#include "dealflow/analytics/cohorts.h"
#include "dealflow/analytics/cohorts_output.h"
#include "dealflow/analytics_input.h"
#include "dealflow/cli.h"

namespace dealflow::cli {
namespace {

namespace da = dealflow::analytics;

const std::string kHelp =
    std::string(
        "usage: dealflow cohorts --pipeline P --deals D.csv --history H.csv [--from DATE] [--to DATE]\n"
        "                        [--as-of INSTANT] [--utc-offset +HH:MM] [--only-pipeline ID]\n"
        "                        [--check-policy] [--field-changes F.csv] [--lenient]\n"
        "                        [--format table|csv|json] (or --snapshot S.dflog for the CSV files)\n"
        "\n"
        "Deals grouped by the month they were created in (created_at at --utc-offset), one row per\n"
        "month of the range (months without deals are rows of zeros), with\n"
        "  furthest stage  the number and share of the month's deals whose furthest stage reached is\n"
        "                  each open stage, or won, or none (the funnel's high-water rule: a lost\n"
        "                  deal counts where it got to; shares add up to 1)\n"
        "  outcome         won, lost and open as of the report instant\n"
        "  win rate        won / (won + lost) with the 95% Wilson interval (open deals are not in\n"
        "                  the denominator; won of created = won / deals is in CSV and JSON)\n"
        "(definitions and the JSON layout: docs/cohorts.md).\n"
        "\n"
        "options:\n") +
    kPipelineOptionsHelp +
    "  --deals D.csv       deals: id,created_at[,pipeline,amount,currency,manager,...]\n"
    "  --history H.csv     stage history: deal_id,at,stage[,pipeline,actor]\n"
    "  --field-changes F.csv  deal field changes: deal_id,at,field,value[,currency]\n" +
    kSnapshotOptionHelp +
    "  --from DATE         deals created at or after (ISO 8601 date or instant); the first month\n"
    "                      of the table is this date's month (default: the first month with a deal)\n"
    "  --to DATE           deals created before; the last month is the month before this instant\n"
    "                      (default: the last month with a deal); at most 1200 months in all\n"
    "  --as-of INSTANT     report instant: later events are ignored, reopened deals count by\n"
    "                      their outcome then (default: after the last event)\n"
    "  --utc-offset +HH:MM offset of the months and of timestamps without one (default Z)\n"
    "  --currency CODE     currency of amounts when the deals file has no currency column\n"
    "  --lenient           skip bad rows and report them instead of stopping at the first one\n"
    "  --format F          table (default), csv or json\n"
    "\n"
    "exit codes: 0 ok, 1 invalid data (the first error with file:line:column), 2 usage\n";

int usage(Io io, const std::string& message) {
  print_error(io, Status(ErrorCode::invalid_argument, message));
  return kExitUsage;
}

int run(const std::vector<std::string>& argv, Io io) {
  std::vector<std::string> options = kAnalyticsInputOptions;
  options.insert(options.end(), {"from", "to", "as-of", "format"});
  auto args = Args::parse(argv, {options, kAnalyticsInputFlags});
  if (!args) return print_error(io, args.status()), kExitUsage;
  if (!args->positionals().empty())
    return usage(io, "unexpected argument '" + args->positionals()[0] + "' (see --help)");
  const auto format_option = report_format_option(*args);
  if (!format_option) return print_error(io, format_option.status()), kExitUsage;
  const std::string& format = *format_option;
  auto utc_offset = utc_offset_option(*args);
  if (!utc_offset) return print_error(io, utc_offset.status()), kExitUsage;
  da::CohortQuery query;
  query.utc_offset_minutes = *utc_offset;
  for (const char* name : {"from", "to", "as-of"}) {
    if (auto text = args->option(name)) {
      auto t = da::parse_csv_instant(*text, query.utc_offset_minutes);
      if (!t) return print_error(io, t.status().with_context(std::string("--") + name)), kExitUsage;
      (std::string_view(name) == "from" ? query.from
       : std::string_view(name) == "to" ? query.to
                                        : query.as_of) = *t;
    }
  }
  if (query.from && query.to) {
    if (*query.from >= *query.to)
      return usage(io, "--from " + format_iso(*query.from) + " is not before --to " + format_iso(*query.to));
    const std::int64_t months =
        std::int64_t{da::cohort_month_index(Instant::from_unix_seconds(query.to->unix_seconds() - 1),
                                            query.utc_offset_minutes)} -
        da::cohort_month_index(*query.from, query.utc_offset_minutes) + 1;
    if (months > da::kMaxCohortMonths)
      return usage(io, "--from/--to span " + std::to_string(months) + " months; expected at most " +
                           std::to_string(da::kMaxCohortMonths));
  }
  if (auto threads = args->option("threads")) {
    unsigned n = 0;
    auto [ptr, ec] = std::from_chars(threads->data(), threads->data() + threads->size(), n);
    if (ec != std::errc() || ptr != threads->data() + threads->size() || n > 256)
      return usage(io, "--threads '" + *threads + "': expected an integer 0..256");
    query.threads = n;
  }
  AnalyticsInput input;
  if (const int rc = load_analytics_input(*args, query.utc_offset_minutes, io, input); rc != kExitOk)
    return rc;
  const da::EventLog& log = input.log();
  return print_reports<da::CohortReport>(
      input, format, args->flag("lenient"), io,
      [&](const Pipeline& p) { return da::compute_cohorts(log, p, query); },
      [](const da::CohortReport& r, const Pipeline&) { return da::cohorts_to_table(r); },
      [](const da::CohortReport& r) { return da::cohorts_to_csv(r); },
      [](const da::CohortReport& r, const Pipeline&) { return da::cohorts_to_json(r); });
}

const bool registered = register_command(
    {"cohorts", "deals by created month: furthest stage reached, won/lost/open, win rate", kHelp, run});

}  // namespace
}  // namespace dealflow::cli
