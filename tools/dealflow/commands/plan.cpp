// `dealflow plan`: plan vs fact, pacing on business days, coverage and the
// roll-up check of a plan file (docs/planning.md). `dealflow plan reverse ...`
// is the reverse funnel (tools/dealflow/commands/plan_reverse.cpp; the first
// argument `reverse` is never read as a file or a period).
#include <ostream>

#include "dealflow/analytics_input.h"
#include "dealflow/cli.h"
#include "dealflow/commands/plan_reverse.h"
#include "dealflow/fx_option.h"
#include "dealflow/io/calendar_json.h"
#include "dealflow/planning/attainment.h"
#include "dealflow/planning/attainment_output.h"
#include "dealflow/planning/plan.h"
#include "dealflow/routing/routing_json.h"

namespace dealflow::cli {
namespace {

using namespace dealflow::planning;

const std::string kHelp =
    std::string(
        "usage: dealflow plan --plan PLAN.json --pipeline P --deals D.csv --history H.csv\n"
        "                     [--field-changes F.csv] [--as-of INSTANT] [--period P]... [--by SCOPE]\n"
        "                     [--calendar CAL.json] [--team TEAM.json] [--versions in-force|all] [--check]\n"
        "                     [--fx RATES.csv --report-currency CODE [--fx-policy POLICY]]\n"
        "                     [--format table|csv|json] (or --snapshot S.dflog for the CSV files)\n"
        "       dealflow plan reverse ...   the reverse funnel (see `dealflow plan reverse --help`)\n"
        "\n"
        "Compares a plan (targets per period, scope and metric, with dated versions; docs/planning.md)\n"
        "with the fact of the log at the report instant: attainment = fact / plan; pacing on the working\n"
        "days of a calendar (expected by now, projection, required per remaining working day, with the\n"
        "day counts printed); coverage = the open pipeline expected to close in the period (unweighted\n"
        "and weighted by probability) / (plan - fact); and the roll-up check: children's targets vs\n"
        "their parent's (company <- teams, managers, pipelines, regions, products, business; team <-\n"
        "managers; quarter <- months; half-year, year <- quarters), over- or under-allocated.\n"
        "\n"
        "options:\n"
        "  --plan PLAN.json    the plan file (targets inline and/or \"targets_csv\")\n") +
    kPipelineOptionsHelp +
    "  --deals D.csv       deals: id,created_at[,pipeline,amount,currency,manager,...]\n"
    "  --history H.csv     stage history: deal_id,at,stage[,pipeline,actor]\n"
    "  --field-changes F.csv  owner, amount, close date and probability as of any instant\n" +
    kSnapshotOptionHelp +
    "  --as-of INSTANT     report instant (default: the log's latest instant); the targets' versions\n"
    "                      in force then are used\n"
    "  --period P          a period of the plan to report (repeatable; default: every period of the\n"
    "                      plan containing the as-of date)\n"
    "  --by SCOPE          only targets of this scope: company, team, manager, pipeline, region,\n"
    "                      product or business (default: all)\n"
    "  --calendar CAL.json business calendar for pacing (default: Monday to Friday, no holidays)\n"
    "  --team TEAM.json    the routing team file: teams and their managers (needed by team targets)\n"
    "  --versions V        in-force (default) or all: a row per version of every target\n"
    "  --check             print the roll-up check only\n"
    "  --utc-offset +HH:MM offset of CSV timestamps without one (default Z) and of the periods' local\n"
    "                      dates (default: the plan's utc_offset); --as-of without an offset is local\n"
    "  --currency CODE     currency of amounts when the deals file has no currency column\n" DEALFLOW_FX_HELP
    "  --lenient           skip bad rows of the CSV files and report them\n"
    "  --format F          table (default), csv or json\n"
    "\n"
    "exit codes: 0 ok, 1 invalid data (bad plan file, unknown manager or team, ...), 2 usage\n";

int usage(Io io, const std::string& message) {
  print_error(io, Status(ErrorCode::invalid_argument, message));
  return kExitUsage;
}

int run(const std::vector<std::string>& argv, Io io) {
  if (!argv.empty() && argv.front() == "reverse") return run_plan_reverse({argv.begin() + 1, argv.end()}, io);
  std::vector<std::string> options = kAnalyticsInputOptions;
  options.insert(options.end(), kFxOptions.begin(), kFxOptions.end());
  options.insert(options.end(), {"plan", "as-of", "period", "by", "calendar", "team", "versions", "format"});
  std::vector<std::string> flags = kAnalyticsInputFlags;
  flags.push_back("check");
  auto args = Args::parse(argv, {options, flags});
  if (!args) return print_error(io, args.status()), kExitUsage;
  if (!args->positionals().empty())
    return usage(io, "unexpected argument '" + args->positionals()[0] + "' (see --help)");
  const auto format = report_format_option(*args);
  if (!format) return print_error(io, format.status()), kExitUsage;
  const auto plan_path = args->required("plan");
  if (!plan_path) return print_error(io, plan_path.status()), kExitUsage;
  AttainmentQuery query;
  if (auto by = args->option("by")) {
    query.scope = parse_plan_scope(*by);
    if (!query.scope)
      return usage(
          io, "--by '" + *by + "': expected company, team, manager, pipeline, region, product or business");
  }
  const std::string versions = args->option_or("versions", "in-force");
  if (versions != "in-force" && versions != "all")
    return usage(io, "--versions '" + versions + "': expected in-force or all");
  query.all_versions = versions == "all";
  // Timestamps without an offset in the CSV files are read at --utc-offset
  // (default Z) as by every analytics command; periods are local dates at
  // --utc-offset when given, else at the plan's utc_offset.
  auto input_offset = utc_offset_option(*args);
  if (!input_offset) return print_error(io, input_offset.status()), kExitUsage;
  if (args->option("utc-offset")) query.utc_offset_minutes = *input_offset;

  auto plan = load_plan_file(*plan_path);
  if (!plan) return print_error(io, plan.status()), kExitDataError;
  const int offset = query.utc_offset_minutes.value_or(plan->utc_offset_minutes);
  for (const auto& text : args->option_values("period")) {
    auto p = parse_period(text, plan->fiscal_start_month);
    if (!p) return print_error(io, p.status().with_context("--period")), kExitUsage;
    std::optional<std::uint32_t> index;
    for (std::uint32_t i = 0; i < plan->periods.size(); ++i)
      if (plan->periods[i].first == p->first && plan->periods[i].end == p->end) index = i;
    if (!index) {
      std::string known;
      for (const auto& q : plan->periods) known += (known.empty() ? "" : ", ") + q.label;
      return usage(io,
                   "--period '" + text + "': the plan has no targets for it (its periods: " + known + ")");
    }
    query.periods.push_back(*index);
  }
  std::optional<BusinessCalendar> calendar;
  if (auto path = args->option("calendar")) {
    auto c = load_calendar_file(*path);
    if (!c) return print_error(io, c.status()), kExitDataError;
    calendar = std::move(*c);
    query.calendar = &*calendar;
  }
  std::optional<routing::TeamModel> team;
  if (auto path = args->option("team")) {
    auto t = routing::load_team_file(*path);
    if (!t) return print_error(io, t.status()), kExitDataError;
    team = std::move(*t);
    query.team = &*team;
  }
  FxInput fx;
  if (const int rc = read_fx_options(*args, io, fx); rc != kExitOk) return rc;
  query.fx = fx.conversion;
  AnalyticsInput input;
  if (const int rc = load_analytics_input(*args, *input_offset, io, input); rc != kExitOk) return rc;
  const analytics::EventLog& log = input.log();
  query.as_of = log.latest_instant();
  if (auto text = args->option("as-of")) {
    auto t = analytics::parse_csv_instant(*text, offset);
    if (!t) return print_error(io, t.status().with_context("--as-of")), kExitUsage;
    query.as_of = *t;
  }

  PlanContext context;
  context.log = &log;
  context.team = query.team;
  context.calendar = query.calendar;
  for (const Pipeline* p : input.all) context.pipelines.push_back(p->id());
  if (fx.conversion) context.report_currency = fx.conversion->target;
  BusinessCalendar default_calendar;
  if (!context.calendar) context.calendar = &default_calendar;
  if (Status st = check_plan(*plan, context); !st.ok()) return print_error(io, st), kExitDataError;

  auto report = compute_attainment(*plan, log, input.selected, query);
  if (!report) return print_error(io, report.status()), kExitDataError;
  AttainmentOutputOptions out;
  out.check_only = args->flag("check");
  if (fx.conversion) out.fx = fx.conversion->describe();
  if (*format == "json") {
    io.out << dump_json(attainment_to_json(*report, *plan, out)) << "\n";
  } else if (*format == "csv") {
    io.out << attainment_to_csv(*report, *plan, out);
    for (const auto& note : report->notes) io.err << "note: " << note << "\n";  // CSV stays data only
  } else {
    io.out << attainment_to_table(*report, *plan, out);
  }
  return kExitOk;
}

const bool registered = register_command(
    {"plan", "plan vs fact: attainment, pacing on business days, coverage, roll-up check", kHelp, run});

}  // namespace
}  // namespace dealflow::cli
