// `dealflow forecast`: the period's won amount per scope by the five forecast
// methods (docs/forecasting.md).
#include <charconv>
#include <fstream>
#include <ostream>
#include <sstream>

#include "dealflow/analytics_input.h"
#include "dealflow/cli.h"
#include "dealflow/fx_option.h"
#include "dealflow/pipeline/duration_text.h"
#include "dealflow/planning/forecast.h"
#include "dealflow/planning/forecast_output.h"
#include "dealflow/routing/routing_json.h"

namespace dealflow::cli {
namespace {

namespace da = dealflow::analytics;
namespace pl = dealflow::planning;

const std::string kHelp =
    std::string(
        "usage: dealflow forecast --pipeline P --deals D.csv --history H.csv --period PERIOD\n"
        "                         [--method weighted|categories|markov|timing|monte-carlo|all]\n"
        "                         [--as-of INSTANT] [--by SCOPE] [--team TEAM.json]\n"
        "                         [--training-window 365d] [--adjustments A.csv] [--trials N] [--seed S]\n"
        "                         [--target \"10000000 RUB\"] [--markov-smoothing X] [--fiscal-start M]\n"
        "                         [--field-changes F.csv] [--format table|csv|json]\n"
        "                         (or --snapshot S.dflog for the CSV files)\n"
        "                         [--fx RATES.csv --report-currency CODE [--fx-policy POLICY]]\n"
        "\n"
        "Forecasts the won amount of a period per scope with named estimators, each stating its\n"
        "inputs (definitions and worked examples: docs/forecasting.md):\n"
        "  weighted     fact + sum of amount x probability (the deal's own, else the stage default)\n"
        "               of open deals expected to close in the period; exact\n"
        "  categories   cumulative forecast-category roll-ups (commit = commit + closed; best case =\n"
        "               best case + commit + closed; open pipeline = pipeline + best case + commit),\n"
        "               with manager adjustments beside the unadjusted amounts\n"
        "  markov       fact + sum of amount x P(won | stage) of an absorbing Markov chain fitted on the\n"
        "               training window\n"
        "  timing       fact + sum of amount x P(won before the period end | stage, age in stage)\n"
        "               (Aalen-Johansen over the training window)\n"
        "  monte-carlo  the distribution of fact + won amount: mean, P10 / P50 / P90, P(>= target)\n"
        "The fact is the amount won in [period begin, as-of], credited to the owner when it closed.\n"
        "\n"
        "options:\n") +
    kPipelineOptionsHelp +
    "  --deals D.csv       deals: id,created_at[,pipeline,amount,currency,manager,...]\n"
    "  --history H.csv     stage history: deal_id,at,stage[,pipeline,actor]\n"
    "  --field-changes F.csv  deal field changes (owner, amount, close date, probability, category)\n" +
    kSnapshotOptionHelp +
    "  --period PERIOD     2026-Q3, FY2026-H1, 2026-07, 2026, or 2026-07-01..2026-09-30 (required)\n"
    "  --fiscal-start M    first month of the fiscal year, 1..12 (default 1)\n"
    "  --method M          one method or all (default): one row per scope and method\n"
    "  --as-of INSTANT     report instant (default: the latest event, creation or change)\n"
    "  --by SCOPE          company (default), manager (owner as of as-of; won deals: as of closing),\n"
    "                      pipeline, team (needs --team) or any dimension column (region, product, ...)\n"
    "  --team TEAM.json    the routing team file: a manager's team is the first team listing them\n"
    "  --training-window W fitted methods learn from [as-of - W, as-of] (default 365d; units w d h m s)\n"
    "  --adjustments A.csv manager adjustments: scope,period,category,amount,currency,author,at,note\n"
    "  --trials N          Monte Carlo trials (default 10000)\n"
    "  --seed S            Monte Carlo seed (default 1)\n"
    "  --target \"X CUR\"    company target for P(fact + won >= target)\n"
    "  --markov-smoothing X  additive pseudo-count per allowed transition (default 0)\n"
    "  --utc-offset +HH:MM the team's offset: periods are local dates (default Z)\n"
    "  --currency CODE     currency of amounts when the deals file has no currency column\n" DEALFLOW_FX_HELP
    "  --lenient           skip bad rows and report them on stderr instead of stopping\n"
    "  --format F          table (default), csv or json\n"
    "\n"
    "exit codes: 0 ok, 1 invalid data (the first error with file:line:column), 2 usage\n";

int usage(Io io, const std::string& message) {
  print_error(io, Status(ErrorCode::invalid_argument, message));
  return kExitUsage;
}

template <class T>
bool parse_unsigned(const std::string& text, T& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && ptr == text.data() + text.size();
}

int run(const std::vector<std::string>& argv, Io io) {
  std::vector<std::string> options = kAnalyticsInputOptions;
  options.insert(options.end(), kFxOptions.begin(), kFxOptions.end());
  options.insert(options.end(), {"period", "fiscal-start", "method", "as-of", "by", "team", "training-window",
                                 "adjustments", "trials", "seed", "target", "markov-smoothing", "format"});
  auto args = Args::parse(argv, {options, kAnalyticsInputFlags});
  if (!args) return print_error(io, args.status()), kExitUsage;
  if (!args->positionals().empty())
    return usage(io, "unexpected argument '" + args->positionals()[0] + "' (see --help)");
  const auto format = report_format_option(*args);
  if (!format) return print_error(io, format.status()), kExitUsage;
  auto utc_offset = utc_offset_option(*args);
  if (!utc_offset) return print_error(io, utc_offset.status()), kExitUsage;
  pl::ForecastQuery query;
  query.utc_offset_minutes = *utc_offset;

  int fiscal_start = 1;
  if (auto m = args->option("fiscal-start");
      m && (!parse_unsigned(*m, fiscal_start) || fiscal_start < 1 || fiscal_start > 12))
    return usage(io, "--fiscal-start '" + *m + "': expected a month 1..12");
  auto period_text = args->required("period");
  if (!period_text) return print_error(io, period_text.status()), kExitUsage;
  auto period = pl::parse_period(*period_text, fiscal_start);
  if (!period) return print_error(io, period.status().with_context("--period")), kExitUsage;
  query.period = *period;

  if (auto m = args->option("method"); m && *m != "all") {
    auto method = pl::parse_forecast_method(*m);
    if (!method)
      return usage(
          io, "--method '" + *m + "': expected weighted, categories, markov, timing, monte-carlo or all");
    query.methods = {*method};
  }
  if (auto t = args->option("as-of")) {
    auto at = da::parse_csv_instant(*t, query.utc_offset_minutes);
    if (!at) return print_error(io, at.status().with_context("--as-of")), kExitUsage;
    query.as_of = *at;
  }
  if (auto w = args->option("training-window")) {
    auto d = parse_duration_text(*w, TimeBasis::calendar);
    if (!d) return print_error(io, d.status().with_context("--training-window")), kExitUsage;
    query.fit.training_window = *d;
  }
  if (auto n = args->option("trials"); n && (!parse_unsigned(*n, query.trials) || query.trials == 0))
    return usage(io, "--trials '" + *n + "': expected a positive integer");
  if (auto n = args->option("seed"); n && !parse_unsigned(*n, query.seed))
    return usage(io, "--seed '" + *n + "': expected a non-negative integer");
  if (auto x = args->option("markov-smoothing")) {
    std::istringstream in(*x);
    double v = -1;
    if (!(in >> v) || !in.eof() || !(v >= 0))
      return usage(io, "--markov-smoothing '" + *x + "': expected a non-negative number");
    query.fit.markov.smoothing = v;
  }
  if (auto t = args->option("target")) {
    auto money = Money::parse_with_code(*t);
    if (!money) return print_error(io, money.status().with_context("--target")), kExitUsage;
    query.target = *money;
  }
  if (auto path = args->option("adjustments")) {
    std::ifstream in(*path, std::ios::binary);
    if (!in)
      return print_error(io, Status(ErrorCode::not_found, "cannot open '" + *path + "'")), kExitDataError;
    std::ostringstream text;
    text << in.rdbuf();
    auto adjustments = pl::parse_adjustments_csv(text.str(), *path);
    if (!adjustments) return print_error(io, adjustments.status()), kExitDataError;
    query.adjustments = std::move(*adjustments);
  }
  FxInput fx;
  if (const int rc = read_fx_options(*args, io, fx); rc != kExitOk) return rc;
  query.fx = fx.conversion;
  AnalyticsInput input;
  if (const int rc = load_analytics_input(*args, query.utc_offset_minutes, io, input); rc != kExitOk)
    return rc;
  const da::EventLog& log = input.log();

  const std::string by = args->option_or("by", "company");
  query.scope.name = by;
  if (by == "company") {
    query.scope.kind = pl::ForecastScope::Kind::company;
  } else if (by == "pipeline") {
    query.scope.kind = pl::ForecastScope::Kind::pipeline;
  } else if (by == "team") {
    auto path = args->option("team");
    if (!path) return usage(io, "--by team needs --team TEAM.json (the routing team file)");
    auto team = routing::load_team_file(*path);
    if (!team) return print_error(io, team.status()), kExitDataError;
    query.scope.kind = pl::ForecastScope::Kind::team;
    for (const auto& t : team->teams())
      for (const auto m : t.members) query.scope.team_of_manager.try_emplace(team->manager(m).key, t.key);
  } else {
    auto dim = log.find_dimension(by);
    if (!dim) {
      std::string names;
      for (std::size_t i = 0; i < log.dimension_count(); ++i)
        names += ", " + log.dimension(da::DimensionId{static_cast<std::uint16_t>(i)}).name;
      return usage(
          io, "--by '" + by + "': expected company, pipeline, team or a dimension (" + names.substr(2) + ")");
    }
    query.scope.kind = pl::ForecastScope::Kind::dimension;
    query.scope.dimension = *dim;
  }
  query.threads = 0;  // one per core; the result is the same for every count
  if (auto n = args->option("threads"); n && !parse_unsigned(*n, query.threads))
    return usage(io, "--threads '" + *n + "': expected a non-negative integer");

  auto compute = [&](const Pipeline& p) { return pl::forecast(log, p, query); };
  return print_reports<pl::ForecastReport>(
      input, *format, false, io, compute,
      [](const pl::ForecastReport& r, const Pipeline&) { return pl::forecast_to_table(r); },
      [](const pl::ForecastReport& r) { return pl::forecast_to_csv(r); },
      [](const pl::ForecastReport& r, const Pipeline&) { return pl::forecast_to_json(r); });
}

const bool registered = register_command(
    {"forecast", "the period's won amount per scope: weighted, categories, markov, timing, monte-carlo",
     kHelp, run});

}  // namespace
}  // namespace dealflow::cli
