// `dealflow backtest`: which forecast method would have been right on this
// history (dealflow/planning/backtest.h, docs/forecasting.md "Backtest").
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ostream>
#include <sstream>

#include "dealflow/analytics_input.h"
#include "dealflow/cli.h"
#include "dealflow/fx_option.h"
#include "dealflow/io/csv.h"
#include "dealflow/pipeline/duration_text.h"
#include "dealflow/planning/backtest.h"
#include "dealflow/routing/routing_json.h"

namespace dealflow::cli {
namespace {

using namespace dealflow::planning;

const std::string kHelp =
    std::string(
        "usage: dealflow backtest --pipeline P --deals D.csv --history H.csv [--field-changes F.csv]\n"
        "                         [--every monday|month-start] [--from DATE] [--to DATE] [--snapshots N]\n"
        "                         [--period-kind quarter|month|half_year|year] [--fiscal-start M]\n"
        "                         [--methods weighted,categories,markov,timing,monte-carlo]\n"
        "                         [--by company|manager|pipeline|team|DIMENSION] [--team TEAM.json]\n"
        "                         [--training-window 365d]\n"
        "                         [--data-end INSTANT] [--utc-offset +HH:MM] [--format table|csv|json]\n"
        "                         [--fx RATES.csv --report-currency CODE [--fx-policy POLICY]]\n"
        "\n"
        "Replays the history: at every snapshot (local midnight of each Monday or first day of a month)\n"
        "it rebuilds the open pipeline as it stood then, fits every method only on data at or before\n"
        "the snapshot, forecasts the won amount of the snapshot's period (fact so far + sum of\n"
        "probability x amount over the open deals) and compares it with what was won in that period.\n"
        "Only snapshots whose period ended by the data end are evaluated. Per method (and scope):\n"
        "MAPE, WAPE, signed bias, the Brier score of the deal-level probabilities and a calibration\n"
        "table by decile; the methods are ranked by WAPE, ties by |bias|.\n"
        "\n"
        "options:\n") +
    kPipelineOptionsHelp +
    "  --deals D.csv       deals: id,created_at[,pipeline,amount,currency,manager,...]\n"
    "  --history H.csv     stage history: deal_id,at,stage[,pipeline,actor]\n"
    "  --field-changes F.csv  deal field changes (owner, amount, close date, probability, category\n"
    "                      as of each snapshot)\n" +
    kSnapshotOptionHelp +
    "  --every E           monday (default) or month-start\n"
    "  --from DATE         first snapshot on or after it (default: the start of the last 4 complete\n"
    "                      quarters before the data end, not before the first deal)\n"
    "  --to DATE           last snapshot on or before it (default: the end of the last complete period)\n"
    "  --snapshots N       the last N snapshots up to --to (instead of --from)\n"
    "  --period-kind K     the forecast period containing each snapshot: quarter (default), month,\n"
    "                      half_year, year\n"
    "  --fiscal-start M    first month of the fiscal year, 1..12 (default 1)\n"
    "  --methods LIST      comma-separated methods (default all five)\n"
    "  --by SCOPE          company (default), manager (owner at the snapshot; for won deals the owner\n"
    "                      at closing), pipeline, team (needs --team: the owner's team) or a deals\n"
    "                      column (region, product, business, ...)\n"
    "  --team TEAM.json    the routing team file: a manager's team is the first team listing them\n"
    "  --training-window W the fitted methods learn from [snapshot - W, snapshot] (default 365d;\n"
    "                      units w d h m s)\n"
    "  --data-end INSTANT  the log is complete up to here (default: its latest instant)\n"
    "  --utc-offset +HH:MM the team's offset: snapshots and periods are local dates (default Z)\n"
    "  --currency CODE     currency of amounts when the deals file has no currency column\n" DEALFLOW_FX_HELP
    "  --lenient           skip bad rows and report them instead of stopping at the first one\n"
    "  --format F          table (default), csv or json\n"
    "\n"
    "exit codes: 0 ok, 1 invalid data (the first error with file:line:column), 2 usage\n";

Status usage(const std::string& message) {
  return Status(ErrorCode::invalid_argument, message);
}

std::string percent(const std::optional<double>& v) {
  return v ? fixed(*v * 100.0, 1) + "%" : "-";
}

std::string decimal(const std::optional<double>& v, int digits = 4) {
  return v ? fixed(*v, digits) : "-";
}

Json number(const std::optional<double>& v) {
  return v ? Json(*v) : Json(nullptr);
}

std::string pad(const std::string& s, std::size_t width) {
  std::size_t chars = 0;  // UTF-8 code points
  for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
  return s + std::string(width > chars ? width - chars : 1, ' ');
}

// "365d", or seconds when not whole days.
std::string window_text(Duration w) {
  return w.count() % 86400 == 0 ? std::to_string(w.count() / 86400) + "d" : std::to_string(w.count()) + "s";
}

std::string scope_text(const std::optional<std::string>& s) {
  return s ? *s : "(none)";
}

struct Settings {
  SnapshotEvery every = SnapshotEvery::monday;
  std::string format;
};

std::size_t evaluated(const BacktestReport& r) {
  return static_cast<std::size_t>(std::count_if(r.snapshots.begin(), r.snapshots.end(),
                                                [](const BacktestSnapshot& s) { return s.evaluated; }));
}

std::string methods_text(const BacktestReport& r) {
  std::string out;
  for (ForecastMethod m : r.methods) out += (out.empty() ? "" : ",") + std::string(to_string(m));
  return out;
}

std::vector<std::string> definition_lines(const BacktestReport& r, const Settings& s) {
  const int off = r.utc_offset_minutes;
  std::vector<std::string> d;
  const std::string first = r.snapshots.empty() ? "-" : r.snapshots.front().at.date(off).to_string();
  const std::string last = r.snapshots.empty() ? "-" : r.snapshots.back().at.date(off).to_string();
  d.push_back("snapshots: " + std::to_string(r.snapshots.size()) + " (every " +
              std::string(to_string(s.every)) + ", local midnight at UTC offset " + std::to_string(off) +
              " min, " + first + " .. " + last + "), " + std::to_string(evaluated(r)) +
              " evaluated (period ended by the data end " + format_iso(r.data_end) + ")");
  d.push_back("period: the " + std::string(to_string(r.period_kind)) +
              " containing each snapshot; methods: " + methods_text(r) +
              "; fitted only on data at or before the snapshot, training window " +
              window_text(r.fit.training_window));
  d.push_back(
      "forecast = won in [period begin, snapshot] + sum of p x amount over the deals open at the snapshot "
      "(amounts as of the snapshot, rounded once half to even); actual = won in the period as the log "
      "stood at its last second (amounts then)");
  d.push_back(
      "MAPE = mean |F - A| / |A| over snapshots with A != 0; WAPE = sum |F - A| / sum |A|; bias = sum "
      "(F - A) / sum |A| (> 0: over-forecast); Brier = mean (p - won)^2 over open deals at the snapshots");
  d.push_back("rank: by the WAPE of all scopes together, ties by |bias|; scope: " + r.scope +
              (r.scope == "manager"
                   ? " (open deals: the owner at the snapshot; won deals: the owner at closing)"
                   : ""));
  d.push_back("amounts: " + (r.currency.empty() ? std::string("none") : std::string(r.currency.code())) +
              (r.converted ? " (converted with the FX table)" : ""));
  return d;
}

std::string to_table(const BacktestReport& r, const Pipeline& pipeline, const Settings& s) {
  std::ostringstream o;
  o << "backtest of " << pipeline.id() << ": " << evaluated(r) << " of " << r.snapshots.size()
    << " snapshots evaluated, period " << to_string(r.period_kind) << "\n\n";
  o << pad("rank", 6) << pad("method", 13) << pad("WAPE", 10) << pad("MAPE", 10) << pad("bias", 10)
    << pad("Brier", 9) << pad("snapshots", 11) << "deals\n";
  for (const MethodRank& m : r.ranking) {
    o << pad(std::to_string(m.rank), 6) << pad(std::string(to_string(m.method)), 13)
      << pad(percent(m.total.wape), 10) << pad(percent(m.total.mape), 10) << pad(percent(m.total.bias), 10)
      << pad(decimal(m.total.brier), 9) << pad(std::to_string(m.total.snapshots), 11) << m.total.predictions
      << "\n";
  }
  if (r.scope != "company") {
    o << "\n"
      << pad(r.scope, 24) << pad("method", 13) << pad("WAPE", 10) << pad("MAPE", 10) << pad("bias", 10)
      << pad("Brier", 9) << "snapshots\n";
    for (const MethodAccuracy& a : r.accuracy) {
      o << pad(scope_text(a.scope), 24) << pad(std::string(to_string(a.method)), 13)
        << pad(percent(a.metrics.wape), 10) << pad(percent(a.metrics.mape), 10)
        << pad(percent(a.metrics.bias), 10) << pad(decimal(a.metrics.brier), 9) << a.metrics.snapshots
        << "\n";
    }
  }
  o << "\ncalibration (deals / mean predicted / observed win rate)\n" << pad("decile", 11);
  for (const MethodRank& m : r.ranking) o << pad(std::string(to_string(m.method)), 24);
  o << "\n";
  for (std::size_t b = 0; b < 10; ++b) {
    char label[16];
    std::snprintf(label, sizeof label, "%.1f-%.1f", static_cast<double>(b) / 10,
                  static_cast<double>(b + 1) / 10);
    o << pad(label, 11);
    for (const MethodRank& m : r.ranking) {
      const CalibrationBin& c = m.calibration[b];
      o << pad(
          std::to_string(c.deals) + " / " + decimal(c.mean_predicted(), 2) + " / " + decimal(c.observed(), 2),
          24);
    }
    o << "\n";
  }
  o << "\n";
  for (const std::string& line : definition_lines(r, s)) o << "definition: " << line << "\n";
  for (const std::string& n : r.notes) o << "note: " << n << "\n";
  return o.str();
}

std::string to_csv(const BacktestReport& r, const Settings& s) {
  std::ostringstream o;
  o << "every,period_kind,utc_offset_minutes,training_window,data_end,currency,snapshots,evaluated,"
       "scope_kind,scope,method,rank,pairs,mape,wape,bias,brier,predictions,"
       "sum_actual,sum_abs_error,sum_error\n";
  const std::string lead = std::string(to_string(s.every)) + "," + std::string(to_string(r.period_kind)) +
                           "," + std::to_string(r.utc_offset_minutes) + "," +
                           window_text(r.fit.training_window) + "," + format_iso(r.data_end) + "," +
                           std::string(r.currency.code()) + "," + std::to_string(r.snapshots.size()) + "," +
                           std::to_string(evaluated(r)) + "," + csv_escape(r.scope) + ",";
  const auto row = [&](const std::string& scope, ForecastMethod m, const std::string& rank,
                       const AccuracyMetrics& a) {
    o << lead << csv_escape(scope) << "," << to_string(m) << "," << rank << "," << a.snapshots << ","
      << decimal(a.mape, 6) << "," << decimal(a.wape, 6) << "," << decimal(a.bias, 6) << ","
      << decimal(a.brier, 6) << "," << a.predictions << "," << a.sum_actual << "," << a.sum_abs_error << ","
      << a.sum_error << "\n";
  };
  for (const MethodRank& m : r.ranking) row("(total)", m.method, std::to_string(m.rank), m.total);
  if (r.scope != "company")
    for (const MethodAccuracy& a : r.accuracy) row(scope_text(a.scope), a.method, "", a.metrics);
  std::string text = o.str();
  // Absent values are empty cells in CSV.
  for (std::size_t p = 0; (p = text.find(",-", p)) != std::string::npos;) {
    if (p + 2 == text.size() || text[p + 2] == ',' || text[p + 2] == '\n') {
      text.erase(p + 1, 1);
    } else {
      ++p;
    }
  }
  return text;
}

Json metrics_json(const AccuracyMetrics& a) {
  return Json{
      {"pairs", a.snapshots},       {"mape", number(a.mape)},           {"wape", number(a.wape)},
      {"bias", number(a.bias)},     {"brier", number(a.brier)},         {"predictions", a.predictions},
      {"sum_actual", a.sum_actual}, {"sum_abs_error", a.sum_abs_error}, {"sum_error", a.sum_error}};
}

Json to_json(const BacktestReport& r, const Pipeline& pipeline, const Settings& s) {
  Json j;
  j["definition"] = Json{{"every", to_string(s.every)},
                         {"period_kind", to_string(r.period_kind)},
                         {"utc_offset_minutes", r.utc_offset_minutes},
                         {"training_window_seconds", r.fit.training_window.count()},
                         {"data_end", format_iso(r.data_end)},
                         {"scope", r.scope},
                         {"currency", r.currency.code()},
                         {"converted", r.converted},
                         {"methods", methods_text(r)},
                         {"lines", definition_lines(r, s)}};
  j["pipeline"] = pipeline.id();
  Json ranking = Json::array();
  for (const MethodRank& m : r.ranking) {
    Json cal = Json::array();
    for (const CalibrationBin& c : m.calibration) {
      cal.push_back({{"lower", c.lower},
                     {"upper", c.upper},
                     {"deals", c.deals},
                     {"won", c.won},
                     {"mean_predicted", number(c.mean_predicted())},
                     {"observed", number(c.observed())}});
    }
    Json e = metrics_json(m.total);
    e["rank"] = m.rank;
    e["method"] = to_string(m.method);
    e["calibration"] = std::move(cal);
    ranking.push_back(std::move(e));
  }
  j["ranking"] = std::move(ranking);
  Json scopes = Json::array();
  for (const MethodAccuracy& a : r.accuracy) {
    Json e = metrics_json(a.metrics);
    e["scope"] = a.scope ? Json(*a.scope) : Json(nullptr);
    e["method"] = to_string(a.method);
    scopes.push_back(std::move(e));
  }
  j["scopes"] = std::move(scopes);
  Json snaps = Json::array();
  for (std::size_t i = 0; i < r.snapshots.size(); ++i) {
    const BacktestSnapshot& sn = r.snapshots[i];
    Json points = Json::array();
    for (const BacktestPoint& p : r.points) {
      if (p.snapshot != i) continue;
      points.push_back({{"method", to_string(p.method)},
                        {"scope", p.scope ? Json(*p.scope) : Json(nullptr)},
                        {"fact", p.fact},
                        {"forecast", p.forecast},
                        {"actual", p.actual}});
    }
    snaps.push_back({{"at", format_iso(sn.at)},
                     {"period", sn.period.label},
                     {"evaluated", sn.evaluated},
                     {"open_deals", sn.open_deals},
                     {"points", std::move(points)}});
  }
  j["snapshots"] = std::move(snaps);
  j["notes"] = r.notes;
  return j;
}

Result<std::vector<ForecastMethod>> methods_option(const Args& args) {
  std::vector<ForecastMethod> out;
  const auto text = args.option("methods");
  if (!text) return std::vector<ForecastMethod>(kForecastMethods.begin(), kForecastMethods.end());
  std::string_view rest = *text;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view name = rest.substr(0, comma);
    auto m = parse_forecast_method(name);
    if (!m) {
      return usage("--methods '" + *text + "': unknown method '" + std::string(name) +
                   "', expected weighted, categories, markov, timing or monte-carlo");
    }
    if (std::find(out.begin(), out.end(), *m) == out.end()) out.push_back(*m);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

Result<std::int64_t> integer_option(const Args& args, const char* name, std::int64_t lo, std::int64_t hi,
                                    std::int64_t fallback) {
  const auto text = args.option(name);
  if (!text) return fallback;
  std::string_view t = *text;
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size() || v < lo || v > hi) {
    return usage("--" + std::string(name) + " '" + *text + "': expected an integer " + std::to_string(lo) +
                 ".." + std::to_string(hi));
  }
  return v;
}

Result<ForecastScope> scope_option(const Args& args, const analytics::EventLog& log) {
  ForecastScope scope;
  const auto by = args.option("by");
  if (!by || *by == "company") return scope;
  scope.name = *by;
  if (*by == "pipeline") {
    scope.kind = ForecastScope::Kind::pipeline;
    return scope;
  }
  if (*by == "team") {
    const auto path = args.option("team");
    if (!path) return usage("--by team needs --team TEAM.json (the routing team file)");
    auto team = routing::load_team_file(*path);
    if (!team) return team.status();
    scope.kind = ForecastScope::Kind::team;
    for (const auto& t : team->teams())
      for (const auto m : t.members) scope.team_of_manager.try_emplace(team->manager(m).key, t.key);
    return scope;
  }
  const auto dim = log.find_dimension(*by);
  if (!dim)
    return usage("--by '" + *by +
                 "': no such deals column (expected company, manager, pipeline or a column)");
  scope.kind = ForecastScope::Kind::dimension;
  scope.dimension = *dim;
  return scope;
}

int run(const std::vector<std::string>& argv, Io io) {
  std::vector<std::string> options = kAnalyticsInputOptions;
  options.insert(options.end(), kFxOptions.begin(), kFxOptions.end());
  options.insert(options.end(), {"every", "from", "to", "snapshots", "period-kind", "fiscal-start", "methods",
                                 "by", "team", "training-window", "data-end", "format"});
  auto args = Args::parse(argv, {options, kAnalyticsInputFlags});
  if (!args) return print_error(io, args.status()), kExitUsage;
  if (!args->positionals().empty())
    return print_error(io, usage("unexpected argument '" + args->positionals()[0] + "' (see --help)")),
           kExitUsage;
  Settings settings;
  const auto format = report_format_option(*args);
  if (!format) return print_error(io, format.status()), kExitUsage;
  settings.format = *format;
  if (auto every = args->option("every")) {
    auto e = parse_snapshot_every(*every);
    if (!e)
      return print_error(io, usage("--every '" + *every + "': expected monday or month-start")), kExitUsage;
    settings.every = *e;
  }
  BacktestQuery query;
  if (auto kind = args->option("period-kind")) {
    auto k = parse_period_kind(*kind);
    if (!k || *k == PeriodKind::range)
      return print_error(io,
                         usage("--period-kind '" + *kind + "': expected quarter, month, half_year or year")),
             kExitUsage;
    query.period_kind = *k;
  }
  auto methods = methods_option(*args);
  if (!methods) return print_error(io, methods.status()), kExitUsage;
  query.methods = *methods;
  auto fiscal = integer_option(*args, "fiscal-start", 1, 12, 1);
  auto count = integer_option(*args, "snapshots", 1, 10000, 0);
  for (const auto* r : {&fiscal, &count})
    if (!r->ok()) return print_error(io, r->status()), kExitUsage;
  query.fiscal_start_month = static_cast<int>(*fiscal);
  if (auto w = args->option("training-window")) {
    auto d = parse_duration_text(*w, TimeBasis::calendar);
    if (!d) return print_error(io, d.status().with_context("--training-window")), kExitUsage;
    if (d->count() <= 0)
      return print_error(io, usage("--training-window '" + *w + "': expected a positive duration")),
             kExitUsage;
    query.fit.training_window = *d;
  }
  if (args->option("snapshots") && args->option("from"))
    return print_error(io, usage("--snapshots and --from exclude each other")), kExitUsage;
  auto utc_offset = utc_offset_option(*args);
  if (!utc_offset) return print_error(io, utc_offset.status()), kExitUsage;
  const int offset = *utc_offset;
  query.utc_offset_minutes = offset;
  std::optional<Instant> from, to;
  for (const char* name : {"from", "to", "data-end"}) {
    if (auto text = args->option(name)) {
      auto t = analytics::parse_csv_instant(*text, offset);
      if (!t) return print_error(io, t.status().with_context(std::string("--") + name)), kExitUsage;
      (std::string_view(name) == "from" ? from : std::string_view(name) == "to" ? to : query.data_end) = *t;
    }
  }
  if (from && to && *from > *to)
    return print_error(io, usage("--from " + format_iso(*from) + " is after --to " + format_iso(*to))),
           kExitUsage;

  FxInput fx;
  if (const int rc = read_fx_options(*args, io, fx); rc != kExitOk) return rc;
  AnalyticsInput input;
  if (const int rc = load_analytics_input(*args, offset, io, input); rc != kExitOk) return rc;
  const analytics::EventLog& log = input.log();
  auto scope = scope_option(*args, log);
  if (!scope) {
    const bool data =
        scope.status().code() != ErrorCode::invalid_argument || !scope.status().location().file.empty();
    return print_error(io, scope.status()), data ? kExitDataError : kExitUsage;
  }
  query.scope = *scope;
  query.fx = fx.conversion;

  // Default window: the last 4 complete quarters before the data end, not before the first deal.
  const Instant data_end = query.data_end.value_or(log.latest_instant());
  const Period current =
      period_containing(query.period_kind, data_end.date(offset), query.fiscal_start_month);
  const Instant last = to.value_or(current.begin_instant(offset) - Duration(1));
  std::optional<Instant> first_deal;
  for (const std::int64_t c : log.created_column())
    if (!first_deal || c < first_deal->unix_seconds()) first_deal = Instant::from_unix_seconds(c);
  Instant begin = from.value_or(Instant::from_unix_seconds(0));
  if (!from) {
    Period q = period_containing(PeriodKind::quarter, last.date(offset), query.fiscal_start_month);
    for (int i = 0; i < 3; ++i) q = previous_period(q, query.fiscal_start_month);
    begin = q.begin_instant(offset);
    if (first_deal && begin < *first_deal && !args->option("snapshots")) begin = *first_deal;
  }
  if (args->option("snapshots")) begin = first_deal.value_or(last) < last ? first_deal.value_or(last) : last;
  query.snapshots = snapshot_instants(settings.every, begin, last, offset);
  if (*count > 0 && query.snapshots.size() > static_cast<std::size_t>(*count))
    query.snapshots.erase(query.snapshots.begin(), query.snapshots.end() - *count);
  if (query.snapshots.empty()) {
    return print_error(io, usage("no snapshot instant (every " + std::string(to_string(settings.every)) +
                                 ") in " + format_iso(begin) + " .. " + format_iso(last))),
           kExitUsage;
  }
  return print_reports<BacktestReport>(
      input, settings.format, args->flag("lenient"), io,
      [&](const Pipeline& p) { return backtest(log, p, query); },
      [&](const BacktestReport& r, const Pipeline& p) { return to_table(r, p, settings); },
      [&](const BacktestReport& r) { return to_csv(r, settings); },
      [&](const BacktestReport& r, const Pipeline& p) { return to_json(r, p, settings); });
}

const bool registered = register_command(
    {"backtest", "which forecast method would have been right: replayed snapshots, MAPE/WAPE/bias/Brier",
     kHelp, run});

}  // namespace
}  // namespace dealflow::cli
