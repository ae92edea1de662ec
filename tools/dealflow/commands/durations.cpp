// `dealflow durations`: time in stage, cycle length, sales velocity, stale
// deals and the transition matrix from a deals table and a stage history
// (docs/durations.md).
#include <charconv>
#include <ostream>

#include "dealflow/analytics/durations.h"
#include "dealflow/analytics/durations_output.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/analytics_input.h"
#include "dealflow/cli.h"
#include "dealflow/fx_option.h"
#include "dealflow/io/calendar_json.h"

namespace dealflow::cli {
namespace {

namespace da = dealflow::analytics;

const std::string kHelp =
    std::string(
        "usage: dealflow durations --pipeline P --deals D.csv --history H.csv [--from DATE] [--to DATE]\n"
        "                          [--as-of INSTANT] [--calendar C.json] [--by DIMENSION] [--naive-mean]\n"
        "                          [--stale-rows N] [--only-pipeline ID] [--check-policy] [--lenient]\n"
        "                          [--field-changes F.csv] [--format table|csv|json]\n"
        "                          (or --snapshot S.dflog for the CSV files)\n"
        "                          [--fx RATES.csv --report-currency CODE [--fx-policy POLICY]]\n"
        "\n"
        "How long deals stay in each stage and how long the sales cycle is, with deals still open\n"
        "at the report instant right-censored (Kaplan-Meier; won vs lost as competing risks with\n"
        "Aalen-Johansen), plus sales velocity, stale deals and the direct-transition matrix\n"
        "(definitions: docs/durations.md; formats: docs/analytics-formats.md).\n"
        "\n"
        "  time in stage   first visit, latest visit and cumulative over visits, per open stage:\n"
        "                  median and 90th percentile ('not reached' when the curve never gets there)\n"
        "  cycle           created -> won or lost, -> won, -> lost: p25, median, p75, p90\n"
        "  velocity        open deals x win rate x average won amount / median won cycle, per day,\n"
        "                  over the deals closed in [--from, --to)\n"
        "  stale deals     open deals with no move for longer than the stage SLA or the stage's\n"
        "                  90th percentile of time in stage\n"
        "A reopened deal (won/lost, then open again, declared or not) counts by its outcome as of\n"
        "the report instant and closed when it entered its final run of won/lost stages; a deal\n"
        "moved to another pipeline counts in the pipeline it is in then, with the history of that stay.\n"
        "\n"
        "options:\n") +
    kPipelineOptionsHelp +
    "  --deals D.csv       deals: id,created_at[,pipeline,amount,currency,manager,...]\n"
    "  --history H.csv     stage history: deal_id,at,stage[,pipeline,actor]\n"
    "  --field-changes F.csv  deal field changes: deal_id,at,field,value[,currency]; groups (and\n"
    "                      amounts) are then the values as of the report instant\n" +
    kSnapshotOptionHelp +
    "  --from DATE         cohort: deals created at or after (velocity: closed at or after)\n"
    "  --to DATE           cohort: deals created before (velocity: closed before)\n"
    "  --as-of INSTANT     report instant: later events are ignored, open deals and running\n"
    "                      visits are censored there (default: the latest event or creation)\n"
    "  --calendar C.json   measure in business time of this calendar (docs/calendar.md);\n"
    "                      default calendar time\n"
    "  --by DIMENSION      a group per value: manager, region, product, tier, channel, business,\n"
    "                      source, client, lost_reason, created_month or any deals column\n"
    "  --naive-mean        also print the mean over closed observations only (biased low)\n"
    "  --curves            JSON only: add \"curves\", the Kaplan-Meier curve of time to close with\n"
    "                      the censoring times and the Aalen-Johansen incidence of won and lost,\n"
    "                      of all deals (docs/durations.md, Curves)\n"
    "  --stale-rows N      stale deals listed in the table (default 20; JSON lists all)\n"
    "  --utc-offset +HH:MM offset for timestamps without one and for created_month (default Z)\n"
    "  --currency CODE     currency of amounts when the deals file has no currency column\n" DEALFLOW_FX_HELP
    "  --lenient           skip bad rows and report them on stderr instead of stopping\n"
    "  --format F          table (default), csv (the distributions) or json (everything)\n"
    "\n"
    "exit codes: 0 ok, 1 invalid data (the first error with file:line:column), 2 usage\n";

int usage(Io io, const std::string& message) {
  print_error(io, Status(ErrorCode::invalid_argument, message));
  return kExitUsage;
}

int run(const std::vector<std::string>& argv, Io io) {
  std::vector<std::string> options = kAnalyticsInputOptions;
  options.insert(options.end(), kFxOptions.begin(), kFxOptions.end());
  options.insert(options.end(), {"from", "to", "as-of", "calendar", "by", "format", "stale-rows"});
  std::vector<std::string> flags = kAnalyticsInputFlags;
  flags.push_back("naive-mean");
  flags.push_back("curves");
  auto args = Args::parse(argv, {options, flags});
  if (!args) return print_error(io, args.status()), kExitUsage;
  if (!args->positionals().empty())
    return usage(io, "unexpected argument '" + args->positionals()[0] + "' (see --help)");
  const auto format_option = report_format_option(*args);
  if (!format_option) return print_error(io, format_option.status()), kExitUsage;
  const std::string& format = *format_option;
  auto utc_offset = utc_offset_option(*args);
  if (!utc_offset) return print_error(io, utc_offset.status()), kExitUsage;
  const int offset = *utc_offset;
  da::DurationQuery query;
  query.utc_offset_minutes = offset;
  query.naive_mean = args->flag("naive-mean");
  query.curves = args->flag("curves");
  if (query.curves && format != "json") return usage(io, "--curves needs --format json");
  for (const char* name : {"from", "to", "as-of"}) {
    if (auto text = args->option(name)) {
      auto t = da::parse_csv_instant(*text, offset);
      if (!t) return print_error(io, t.status().with_context(std::string("--") + name)), kExitUsage;
      (std::string_view(name) == "from" ? query.from
       : std::string_view(name) == "to" ? query.to
                                        : query.as_of) = *t;
    }
  }
  std::size_t stale_rows = 20;
  if (auto n = args->option("stale-rows")) {
    auto [ptr, ec] = std::from_chars(n->data(), n->data() + n->size(), stale_rows);
    if (n->empty() || ec != std::errc() || ptr != n->data() + n->size()) {
      return usage(io, "--stale-rows '" + *n + "': expected a non-negative integer");
    }
  }

  std::optional<BusinessCalendar> calendar;
  if (auto path = args->option("calendar")) {
    auto c = load_calendar_file(*path);
    if (!c) return print_error(io, c.status()), kExitDataError;
    calendar = std::move(*c);
    query.basis = TimeBasis::business;
    query.calendar = &*calendar;
  }
  FxInput fx;
  if (const int rc = read_fx_options(*args, io, fx); rc != kExitOk) return rc;
  AnalyticsInput input;
  if (const int rc = load_analytics_input(*args, offset, io, input); rc != kExitOk) return rc;
  const da::EventLog& log = input.log();
  if (auto by = args->option("by")) {
    auto grouping = da::resolve_grouping(log, *by);
    if (!grouping) return print_error(io, grouping.status().with_context("--by")), kExitUsage;
    query.group = *grouping;
  }

  // CSV needs the distributions only; the other parts are computed for table and JSON.
  struct Speed {
    std::optional<da::DurationReport> durations;  // CSV
    std::optional<da::SpeedReport> all;           // table, JSON
  };
  auto compute = [&](const Pipeline& p) -> Result<Speed> {
    auto durations = da::compute_durations(log, p, query);
    if (!durations) return durations.status();
    if (format == "csv") return Speed{std::move(*durations), std::nullopt};
    auto velocity = da::compute_velocity(log, p, {query.from, query.to, query.as_of, fx.conversion});
    if (!velocity) return velocity.status();
    da::StaleQuery stale_query;
    stale_query.from = query.from;
    stale_query.to = query.to;
    stale_query.as_of = query.as_of;
    stale_query.basis = query.basis;
    stale_query.calendar = query.calendar;
    auto stale = da::find_stale_deals(log, p, stale_query, *durations);
    if (!stale) return stale.status();
    auto transitions = da::count_transitions(log, p, {query.from, query.to, query.as_of});
    if (!transitions) return transitions.status();
    return Speed{std::nullopt, da::SpeedReport{std::move(*durations), std::move(*velocity), std::move(*stale),
                                               std::move(*transitions)}};
  };
  return print_reports<Speed>(
      input, format, false, io, compute,
      [&](const Speed& r, const Pipeline& p) { return da::speed_to_table(*r.all, p, stale_rows); },
      [](const Speed& r) { return da::durations_to_csv(*r.durations); },
      [](const Speed& r, const Pipeline&) { return da::speed_to_json(*r.all); });
}

const bool registered = register_command(
    {"durations", "time in stage, cycle length (censored), velocity, stale deals, transitions", kHelp, run});

}  // namespace
}  // namespace dealflow::cli
