// `dealflow report`: one self-contained HTML file with inline SVG charts
// (docs/report.md). Each section is drawn from the JSON another command prints:
// live, the report runs those commands in this process on the same inputs
// (so its numbers are exactly theirs); with --from-json it reads saved JSON.
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <map>
#include <ostream>
#include <sstream>

#include "dealflow/analytics_input.h"
#include "dealflow/cli.h"
#include "dealflow/fx_option.h"
#include "dealflow/io/atomic_file.h"
#include "dealflow/io/json.h"
#include "dealflow/planning/period.h"
#include "dealflow/report/sections.h"

namespace dealflow::cli {
namespace {

const std::string kHelp =
    "usage: dealflow report --out FILE.html [--title TEXT]\n"
    "         --pipeline P.json --deals D.csv --history H.csv [--field-changes F.csv] (or --snapshot S.dflog)\n"
    "         [--from DATE --to DATE] [--as-of DATE] [--calendar C.json]\n"
    "         [--plan PLAN.json --period P [--team TEAM.json]]\n"
    "         [--routing-team TEAM.json --rules RULES.json [--leads LEADS.csv]]\n"
    "         [--save-json DIR] [--appendix-cap N] [--generated-at TEXT]\n"
    "       dealflow report --out FILE.html --from-json DIR | --from-json KIND=FILE.json ...\n"
    "\n"
    "Writes one HTML file with inline SVG charts: no script, no network, no external file;\n"
    "printable; the same inputs give the same bytes. Sections (each only when its inputs are given):\n"
    "  funnel, cohorts, durations      the deals (--from/--to: deals created in [from, to))\n"
    "  movement                        the pipeline's movement in --period (or [--from, --to));\n"
    "                                  needs the field changes (--field-changes or a snapshot);\n"
    "                                  --as-of inside --period: the period to date\n"
    "  planning                        --period: the Monte Carlo forecast of the period and the\n"
    "                                  backtest; with --plan also plan against fact and pacing\n"
    "  managers                        scorecard of --period (or [--from, --to)), funnel per manager\n"
    "  routing                         --routing-team and --rules (lint; --leads: routed load)\n"
    "Each is drawn from the JSON its command prints (`dealflow funnel ... --format json` etc.), run\n"
    "in this process on the same inputs; --save-json DIR keeps those documents as DIR/<kind>.json,\n"
    "and --from-json rebuilds the report from them (a folder of <kind>.json files, or KIND=FILE\n"
    "pairs; kinds: funnel cohorts durations movement plan forecast backtest scorecard\n"
    "funnel-by-manager lint route).\n"
    "\n"
    "  --out FILE          the HTML file (written atomically)\n"
    "  --title TEXT        the page title (default \"Sales report\")\n"
    "  --appendix-cap N    deal ids listed per waterfall bar in the appendix (default 500)\n"
    "  --generated-at TEXT shown under the title (no timestamp unless given: deterministic)\n" +
    std::string(kPipelineOptionsHelp) + "Definitions of every chart: docs/report.md.\n";

const std::vector<std::string> kKinds = {"funnel", "cohorts",  "durations",         "movement",
                                         "plan",   "forecast", "backtest",          "scorecard",
                                         "funnel-by-manager",  "lint",              "route"};

// Runs another command in this process with --format json and parses what it printed.
Result<Json> run_json(const std::string& command, std::vector<std::string> argv, Io io) {
  const auto& all = commands();
  const auto it = all.find(command);
  if (it == all.end()) return Status(ErrorCode::not_found, "report: no command '" + command + "'");
  argv.push_back("--format");
  argv.push_back("json");
  std::ostringstream out;
  std::ostringstream err;
  const int rc = it->second.run(argv, Io{out, err});
  if (rc != kExitOk) {
    std::string message = err.str();
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return Status(rc == kExitUsage ? ErrorCode::invalid_argument : ErrorCode::validation_failed,
                  "report: " + command + ": " + message);
  }
  if (!err.str().empty()) io.err << err.str();
  return parse_json(out.str(), "dealflow " + command + " --format json");
}

std::vector<std::string> pass(const Args& args, const std::vector<std::string>& names) {
  std::vector<std::string> argv;
  for (const auto& name : names) {
    for (const auto& value : args.option_values(name)) {
      argv.push_back("--" + name);
      argv.push_back(value);
    }
  }
  return argv;
}

std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

struct Documents {
  std::map<std::string, Json> by_kind;
  std::map<std::string, std::string> files;  // kind -> the file it was read from (--from-json)
  const Json* get(const std::string& kind) const {
    const auto it = by_kind.find(kind);
    return it == by_kind.end() ? nullptr : &it->second;
  }
};

// The live mode: every section whose inputs are given, from the commands' JSON.
int collect_live(const Args& args, Io io, Documents& docs) {
  std::vector<std::string> input = kAnalyticsInputOptions;
  input.insert(input.end(), kFxOptions.begin(), kFxOptions.end());
  std::vector<std::string> base = pass(args, input);
  for (const auto& flag : kAnalyticsInputFlags) {
    if (args.flag(flag)) base.push_back("--" + flag);
  }
  const auto period = pass(args, {"from", "to"});
  const auto as_of = pass(args, {"as-of"});
  // The quarter (or month, year...) of the movement and the scorecard: --period, else [--from, --to).
  std::vector<std::string> activity = period;
  std::vector<std::string> movement = period;
  bool has_activity = args.option("from") && args.option("to");
  if (auto text = args.option("period")) {
    auto p = planning::parse_period(*text);
    if (!p) return print_error(io, p.status().with_context("--period")), kExitUsage;
    auto offset = utc_offset_option(args);
    if (!offset) return print_error(io, offset.status()), kExitUsage;
    // Period to date when the report instant falls inside it ("what moved this quarter so far"): the
    // scorecard's window ends at it; the movement keeps the quarter's pipeline and stops its changes there.
    const Instant begin = p->begin_instant(*offset), period_end = p->end_instant(*offset);
    Instant end = period_end;
    if (auto text_as_of = args.option("as-of")) {
      auto t = parse_instant(*text_as_of, *offset);
      if (!t) return print_error(io, t.status().with_context("--as-of")), kExitUsage;
      if (*t > begin && *t < end) end = *t;
    }
    activity = {"--from", format_iso(begin), "--to", format_iso(end)};
    movement = {"--from", format_iso(begin), "--to", format_iso(period_end)};
    if (end != period_end) movement.insert(movement.end(), {"--as-of", format_iso(end)});
    has_activity = true;
  }
  const bool has_changes = args.option("field-changes") || args.option("snapshot");

  struct Job {
    std::string kind, command;
    std::vector<std::string> argv;
  };
  std::vector<Job> jobs;
  jobs.push_back({"funnel", "funnel", base + period + as_of});
  jobs.push_back({"cohorts", "cohorts", base + period + as_of});
  jobs.push_back({"durations", "durations", base + period + as_of + std::vector<std::string>{"--curves"}});
  if (has_activity && has_changes) jobs.push_back({"movement", "movement", base + movement});
  if (args.option("period")) {
    const auto plan = pass(args, {"plan", "period"}) + as_of;
    if (args.option("plan")) {
      jobs.push_back({"plan", "plan",
                      base + plan + pass(args, {"team", "calendar"}) + std::vector<std::string>{"--by", "manager"}});
    }
    jobs.push_back({"forecast", "forecast", base + plan + std::vector<std::string>{"--method", "monte-carlo"}});
    jobs.push_back({"backtest", "backtest", base});
  }
  if (has_activity) jobs.push_back({"scorecard", "scorecard", base + activity});
  jobs.push_back(
      {"funnel-by-manager", "funnel", base + period + as_of + std::vector<std::string>{"--by", "manager"}});
  if (args.option("routing-team") && args.option("rules")) {
    const std::vector<std::string> team = {"--team", *args.option("routing-team"), "--rules", *args.option("rules")};
    jobs.push_back({"lint", "lint", team});
    if (args.option("leads")) jobs.push_back({"route", "route", team + pass(args, {"leads"})});
  }
  for (const auto& job : jobs) {
    auto doc = run_json(job.command, job.argv, io);
    if (!doc) return print_error(io, doc.status()), kExitDataError;
    docs.by_kind.emplace(job.kind, std::move(*doc));
  }
  return kExitOk;
}

int collect_saved(const Args& args, Io io, Documents& docs) {
  namespace fs = std::filesystem;
  for (const auto& value : args.option_values("from-json")) {
    const auto eq = value.find('=');
    std::vector<std::pair<std::string, std::string>> files;
    if (eq == std::string::npos) {
      std::error_code ec;
      if (!fs::is_directory(value, ec)) {
        return print_error(io, Status(ErrorCode::invalid_argument,
                                      "--from-json '" + value + "': expected a folder of <kind>.json files or "
                                      "KIND=FILE.json")),
               kExitUsage;
      }
      for (const auto& kind : kKinds) {
        const auto path = (fs::path(value) / (kind + ".json")).string();
        if (fs::exists(path, ec)) files.emplace_back(kind, path);
      }
    } else {
      const std::string kind = value.substr(0, eq);
      if (std::find(kKinds.begin(), kKinds.end(), kind) == kKinds.end()) {
        std::string known;
        for (const auto& k : kKinds) known += (known.empty() ? "" : ", ") + k;
        return print_error(io, Status(ErrorCode::invalid_argument,
                                      "--from-json '" + value + "': unknown kind '" + kind + "' (expected one of " +
                                          known + ")")),
               kExitUsage;
      }
      files.emplace_back(kind, value.substr(eq + 1));
    }
    for (const auto& [kind, path] : files) {
      auto doc = load_json_file(path);
      if (!doc) return print_error(io, doc.status()), kExitDataError;
      docs.by_kind[kind] = std::move(*doc);
      docs.files[kind] = path;
    }
  }
  if (docs.by_kind.empty()) {
    return print_error(io, Status(ErrorCode::invalid_argument, "--from-json: no <kind>.json document found")),
           kExitUsage;
  }
  return kExitOk;
}

// The sections call a document "<kind>.json" ("funnel_by_manager.json" for
// funnel-by-manager); an error in a saved document names the file it was read
// from instead (KIND=FILE.json may be any name, a folder's file has a path).
Status with_file(Status status, const Documents& docs) {
  Location where = status.location();
  for (const auto& [kind, path] : docs.files) {
    std::string name = kind;
    std::replace(name.begin(), name.end(), '-', '_');
    if (where.file == name + ".json") {
      where.file = path;
      return Status(status.code(), status.message(), std::move(where));
    }
  }
  return status;
}

int run(const std::vector<std::string>& argv, Io io) {
  std::vector<std::string> options = kAnalyticsInputOptions;
  options.insert(options.end(), kFxOptions.begin(), kFxOptions.end());
  options.insert(options.end(), {"out", "title", "from", "to", "as-of", "calendar", "plan", "period", "team",
                                 "routing-team", "rules", "leads", "save-json", "from-json", "appendix-cap",
                                 "generated-at"});
  auto args = Args::parse(argv, {options, kAnalyticsInputFlags});
  if (!args) return print_error(io, args.status()), kExitUsage;
  if (!args->positionals().empty()) {
    return print_error(io, Status(ErrorCode::invalid_argument,
                                  "unexpected argument '" + args->positionals()[0] + "' (see --help)")),
           kExitUsage;
  }
  auto out = args->required("out");
  if (!out) return print_error(io, out.status()), kExitUsage;
  std::size_t cap = 500;
  if (auto text = args->option("appendix-cap")) {
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), cap);
    if (ec != std::errc() || ptr != text->data() + text->size()) {
      return print_error(io, Status(ErrorCode::invalid_argument,
                                    "--appendix-cap '" + *text + "': expected a non-negative integer")),
             kExitUsage;
    }
  }
  const bool saved = !args->option_values("from-json").empty();
  if (saved && (args->option("pipeline") || args->option("deals") || args->option("snapshot"))) {
    return print_error(io, Status(ErrorCode::invalid_argument,
                                  "--from-json reads saved JSON: it takes no --pipeline, --deals or --snapshot")),
           kExitUsage;
  }
  Documents docs;
  if (const int rc = saved ? collect_saved(*args, io, docs) : collect_live(*args, io, docs); rc != kExitOk) {
    return rc;
  }
  if (auto dir = args->option("save-json")) {
    std::error_code ec;
    std::filesystem::create_directories(*dir, ec);
    for (const auto& [kind, doc] : docs.by_kind) {
      const auto path = (std::filesystem::path(*dir) / (kind + ".json")).string();
      if (auto st = io::write_file_atomic(path, dump_json(doc) + "\n"); !st.ok()) return print_error(io, st), kExitDataError;
    }
  }

  report::ReportInputs inputs;
  inputs.funnel = docs.get("funnel");
  inputs.cohorts = docs.get("cohorts");
  inputs.durations = docs.get("durations");
  inputs.movement = docs.get("movement");
  inputs.plan = docs.get("plan");
  inputs.forecast = docs.get("forecast");
  inputs.backtest = docs.get("backtest");
  inputs.scorecard = docs.get("scorecard");
  inputs.funnel_by_manager = docs.get("funnel-by-manager");
  inputs.lint = docs.get("lint");
  inputs.route = docs.get("route");
  std::string subtitle;
  if (auto generated = args->option("generated-at")) subtitle = "generated " + *generated;
  auto doc = report::build_report(inputs, args->option_or("title", "Sales report"), subtitle);
  if (!doc) return print_error(io, with_file(doc.status(), docs)), kExitDataError;
  doc->set_appendix_cap(cap);
  const std::string html = doc->to_html();
  if (auto st = io::write_file_atomic(*out, html); !st.ok()) return print_error(io, st), kExitDataError;
  std::string kinds;
  for (const auto& [kind, unused] : docs.by_kind) kinds += (kinds.empty() ? "" : " ") + kind;
  io.out << "report: wrote " << *out << " (" << html.size() << " bytes) from " << kinds << "\n";
  return kExitOk;
}

const bool registered = register_command(
    {"report", "one self-contained HTML report with SVG charts (funnel, durations, plan, ...)", kHelp, run});

}  // namespace
}  // namespace dealflow::cli
