// `dealflow route`: assigns leads to managers with the routing rules
// (docs/routing.md).
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dealflow/cli.h"
#include "dealflow/io/atomic_file.h"
#include "dealflow/io/csv.h"
#include "dealflow/routing/leads_csv.h"
#include "dealflow/routing/router.h"
#include "dealflow/routing/routing_json.h"

namespace dealflow::cli {
namespace {

using namespace dealflow::routing;

constexpr const char* kHelp =
    "usage: dealflow route --team TEAM.json --rules RULES.json --leads LEADS.csv\n"
    "                      [--owners OWNERS.csv] [--state STATE.json] [--at INSTANT]\n"
    "                      [--state-wait SECONDS] [--format csv|json] [--skip-bad-rows]\n"
    "\n"
    "Routes every lead, in input order, to a manager: rules in ascending priority (ties in\n"
    "file order), first match whose target has an eligible manager wins, then the default\n"
    "pool; otherwise the lead is unassigned. Eligible: active, not absent on the lead's\n"
    "local date, within working hours when the rule (or the default pool) asks, skills\n"
    "accept the lead, under every cap (open deals, daily, rolling 30 days).\n"
    "Formats: docs/routing.md.\n"
    "\n"
    "  --team FILE        managers, teams, attribute domains (JSON)\n"
    "  --rules FILE       ordered rules and the default pool (JSON)\n"
    "  --leads FILE       leads CSV: id, attribute columns, optional client, created_at\n"
    "  --owners FILE      account owners CSV: client,manager (for account_owner rules)\n"
    "  --state FILE       router state (round-robin cursors, weights, loads, cap\n"
    "                     counters): read when the file exists, written back after routing\n"
    "                     (atomically: temporary file, fsync, rename). The run holds an\n"
    "                     exclusive lock on FILE.lock from reading to writing, so\n"
    "                     concurrent runs on one state take turns.\n"
    "  --state-wait SECS  how long to wait for another run's state lock (default: until it\n"
    "                     is released; 0: fail at once). Still locked then: exit 1.\n"
    "  --at INSTANT       \"now\" for leads without created_at (ISO 8601; no offset = UTC).\n"
    "                     A lead's created_at, when present, is its time.\n"
    "  --format csv|json  csv (default): lead_id,manager,rule,reason; manager is the stable\n"
    "                     manager id, empty with the reason when unassigned. json: the same\n"
    "                     plus manager_name, strategy, skipped candidates and a summary.\n"
    "  --skip-bad-rows    leave out bad lead/owner rows (reported on stderr with file:line\n"
    "                     and column) instead of failing on the first one\n"
    "\n"
    "A summary line goes to stderr: leads routed, assigned, unassigned (count of leads\n"
    "with no eligible manager), bad rows skipped.\n"
    "\n"
    "Exit codes: 0 routed (unassigned leads included), 1 invalid input data, 2 usage.\n";

void report_skipped(Io io, const std::string& what, const std::vector<Status>& skipped) {
  if (skipped.empty()) return;
  io.err << "skipped " << skipped.size() << " bad " << what << " row" << (skipped.size() == 1 ? "" : "s")
         << ":\n";
  for (const Status& s : skipped) io.err << "  " << s.to_string() << "\n";
}

Json skip_json(const Router& router, const Skip& s) {
  Json j = Json::object();
  j["rule"] = s.rule.valid() ? Json(router.rules().rule(s.rule).key) : Json(nullptr);
  j["manager"] = s.manager.valid() ? Json(router.team().manager(s.manager).key) : Json(nullptr);
  j["reason"] = std::string(to_string(s.reason));
  j["text"] = router.explain(s);
  return j;
}

int run(const std::vector<std::string>& argv, Io io) {
  auto args = Args::parse(
      argv, {{"team", "rules", "leads", "owners", "state", "state-wait", "at", "format"}, {"skip-bad-rows"}});
  if (!args) {
    print_error(io, args.status());
    return kExitUsage;
  }
  auto team_path = args->required("team");
  auto rules_path = args->required("rules");
  auto leads_path = args->required("leads");
  for (const auto* r : {&team_path, &rules_path, &leads_path}) {
    if (!*r) {
      print_error(io, r->status());
      return kExitUsage;
    }
  }
  const std::string format = args->option_or("format", "csv");
  if (format != "csv" && format != "json") {
    print_error(io,
                Status(ErrorCode::invalid_argument, "--format must be csv or json, got '" + format + "'"));
    return kExitUsage;
  }
  if (!args->positionals().empty()) {
    print_error(io,
                Status(ErrorCode::invalid_argument, "unexpected argument '" + args->positionals()[0] + "'"));
    return kExitUsage;
  }
  LeadsCsvOptions options;
  options.skip_bad_rows = args->flag("skip-bad-rows");
  if (auto at = args->option("at")) {
    auto t = parse_instant(*at);
    if (!t) {
      print_error(io, t.status().with_context("--at"));
      return kExitUsage;
    }
    options.default_at = *t;
  }

  std::chrono::milliseconds state_wait = dealflow::io::FileLock::kWaitForever;
  if (auto wait = args->option("state-wait")) {
    char* end = nullptr;
    errno = 0;
    const double seconds = std::strtod(wait->c_str(), &end);
    if (wait->empty() || *end != '\0' || errno != 0 || !(seconds >= 0) || seconds > 1e6) {
      print_error(io, Status(ErrorCode::invalid_argument,
                             "--state-wait: expected seconds from 0 to 1000000, got '" + *wait + "'"));
      return kExitUsage;
    }
    state_wait = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0 + 0.5));
  }
  if (args->option("state-wait") && !args->option("state")) {
    print_error(io, Status(ErrorCode::invalid_argument, "--state-wait needs --state"));
    return kExitUsage;
  }

  auto config = load_routing_files(*team_path, *rules_path);
  if (!config) {
    print_error(io, config.status());
    return kExitDataError;
  }
  auto router = Router::compile(std::move(config->team), std::move(config->rules));
  if (!router) {
    print_error(io, router.status());
    return kExitDataError;
  }
  std::optional<OwnersFile> owners;
  if (auto path = args->option("owners")) {
    auto loaded = load_owners_csv(*path, router->team(), options.skip_bad_rows);
    if (!loaded) {
      print_error(io, loaded.status());
      return kExitDataError;
    }
    owners = std::move(*loaded);
    options.owners = &owners->owners;
  }
  auto leads = load_leads_csv(*leads_path, router->team(), options);
  if (!leads) {
    print_error(io, leads.status());
    return kExitDataError;
  }
  const std::optional<std::string> state_path = args->option("state");
  RouterState state = router->initial_state();
  dealflow::io::FileLock state_lock;  // held until the state is written back
  if (state_path) {
    auto lock = dealflow::io::FileLock::acquire(*state_path, state_wait);
    if (!lock) {
      print_error(io, lock.status());
      return kExitDataError;
    }
    state_lock = std::move(*lock);
  }
  if (state_path && std::filesystem::exists(*state_path)) {
    auto loaded = load_router_state_file(*state_path, router->team(), router->rules());
    if (!loaded) {
      print_error(io, loaded.status());
      return kExitDataError;
    }
    state = std::move(*loaded);
  }

  if (owners) report_skipped(io, "owner", owners->skipped);
  report_skipped(io, "lead", leads->skipped);
  if (!leads->ignored_columns.empty()) {
    io.err << "note: ignored columns:";
    for (const auto& c : leads->ignored_columns) io.err << " " << c;
    io.err << "\n";
  }

  const Router& r = *router;
  Decision d;
  std::size_t assigned = 0;
  Json rows = Json::array();
  if (format == "csv") io.out << "lead_id,manager,rule,reason\n";
  for (const LeadRecord& lead : leads->leads) {
    r.route(lead.lead, state, d);
    const std::string manager = d.assigned() ? r.team().manager(d.manager).key : std::string();
    const std::string rule =
        d.rule.valid() ? r.rules().rule(d.rule).key : (d.by_default_pool ? "default" : "");
    const std::string reason = r.explain(d);
    if (d.assigned()) ++assigned;
    if (format == "csv") {
      io.out << csv_escape(lead.id) << "," << csv_escape(manager) << "," << csv_escape(rule) << ","
             << csv_escape(reason) << "\n";
    } else {
      Json row = Json::object();
      row["lead_id"] = lead.id;
      row["line"] = lead.line;
      row["manager"] = d.assigned() ? Json(manager) : Json(nullptr);
      row["manager_name"] = d.assigned() ? Json(r.team().manager(d.manager).name) : Json(nullptr);
      row["rule"] = rule.empty() ? Json(nullptr) : Json(rule);
      row["strategy"] = d.has_strategy ? Json(std::string(to_string(d.strategy))) : Json(nullptr);
      row["target"] = d.assigned() ? Json(std::string(to_string(d.target))) : Json(nullptr);
      row["via_fallback"] = d.via_fallback;
      row["reason"] = reason;
      Json skipped = Json::array();
      for (const Skip& s : d.skipped) skipped.push_back(skip_json(r, s));
      row["skipped"] = std::move(skipped);
      rows.push_back(std::move(row));
    }
  }
  const std::size_t total = leads->leads.size();
  if (format == "json") {
    Json out = Json::object();
    out["decisions"] = std::move(rows);
    out["summary"] = {
        {"leads", total},
        {"assigned", assigned},
        {"unassigned", total - assigned},
        {"bad_rows_skipped", leads->skipped.size()},
        {"definition",
         "leads = rows routed (bad rows excluded); assigned = leads given to an eligible manager; "
         "unassigned = leads for which no matching rule nor the default pool had an eligible manager"}};
    io.out << dump_json(out) << "\n";
  }
  if (state_path) {
    Status s = save_router_state_file(*state_path, state, r.team(), r.rules());
    if (!s.ok()) {
      print_error(io, s);
      return kExitDataError;
    }
  }
  io.err << "routed " << total << " lead" << (total == 1 ? "" : "s") << ": " << assigned << " assigned, "
         << (total - assigned) << " unassigned";
  if (!leads->skipped.empty()) io.err << ", " << leads->skipped.size() << " bad rows skipped";
  io.err << "\n";
  return kExitOk;
}

const bool registered =
    register_command({"route", "assign leads to managers with the routing rules", kHelp, run});

}  // namespace
}  // namespace dealflow::cli
