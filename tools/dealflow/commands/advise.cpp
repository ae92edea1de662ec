// `dealflow advise`: specialization advice from monthly volumes (docs/staffing.md).
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dealflow/cli.h"
#include "dealflow/io/table.h"
#include "dealflow/routing/advisor.h"
#include "dealflow/routing/advisor_json.h"

namespace dealflow::cli {
namespace {

using routing::Advice;
using routing::Verdict;

constexpr const char* kHelp =
    "usage: dealflow advise --volumes V.json [--format text|json]\n"
    "\n"
    "Recommends how to specialize a sales department from its monthly volumes\n"
    "(format: docs/staffing.md, example: data/routing/volumes.json):\n"
    "  inbound_outbound_split         clients in market >= 100 and both inbound and outbound work\n"
    "  new_repeat_small_market        clients in market <= 100: do not split new/repeat business\n"
    "  hunter_account_split           (requests + new + repeat operations) / managers > 300 a month\n"
    "  capacity_headcount             ceil((requests + operations) / manager capacity) > managers\n"
    "  <axis>_specialization          a region/product/tier with share >= 25%, >= 1 manager of work,\n"
    "                                 and >= 1 manager of work left for the other values\n"
    "  enterprise_experienced_managers  the tier 'Enterprise' has volume\n"
    "Thresholds are the defaults shown; the file's \"thresholds\" object overrides them.\n"
    "Every rule is reported with its verdict (recommend, not_recommended, not_triggered),\n"
    "the reason with the numbers, and the threshold. Also: workload headcount =\n"
    "clients x contacts per month x minutes per contact / selling minutes per manager.\n"
    "\n"
    "Exit codes: 0 ok, 1 the volumes file cannot be read or is invalid (file and JSON path), 2 usage.\n";

void print_text(std::ostream& out, const routing::DepartmentVolumes& v, const Advice& a) {
  if (!v.name.empty()) out << v.name << "\n\n";
  for (Verdict wanted : {Verdict::recommend, Verdict::not_recommended, Verdict::not_triggered}) {
    bool header = false;
    for (const auto& r : a.recommendations) {
      if (r.verdict != wanted) continue;
      if (!header) {
        out << (wanted == Verdict::recommend         ? "Recommended:\n"
                : wanted == Verdict::not_recommended ? "Not recommended:\n"
                                                     : "Not triggered:\n");
        header = true;
      }
      out << "  [" << r.rule << "] " << r.advice << "\n      because " << r.reason << "\n";
    }
    if (header) out << "\n";
  }
  if (!a.workload.empty()) {
    out << "Workload headcount (selling time " << fixed(v.selling_hours_per_manager_per_month, 1)
        << " h per manager per month):\n";
    TextTable t({"segment", "hours/month", "managers (exact)", "managers"},
                {Align::left, Align::right, Align::right, Align::right});
    for (const auto& w : a.workload) {
      t.add_row({w.name, fixed(w.hours_per_month, 1), fixed(w.managers_exact, 2), std::to_string(w.managers)});
    }
    t.add_row({"total", fixed(a.workload_hours_total, 1), fixed(a.workload_managers_exact, 2),
               std::to_string(a.workload_managers)});
    out << t.render();
    out << "hours = clients x contacts per client per month x minutes per contact / 60; "
           "managers = ceil(hours / selling hours per manager); the total is rounded once.\n";
  }
}

nlohmann::json to_json(const routing::DepartmentVolumes& v, const Advice& a) {
  nlohmann::json j;
  j["department"] = v.name;
  nlohmann::json recs = nlohmann::json::array();
  for (const auto& r : a.recommendations) {
    nlohmann::json numbers = nlohmann::json::object();
    for (const auto& n : r.numbers) numbers[n.name] = n.value;
    recs.push_back({{"rule", r.rule},
                    {"verdict", std::string(routing::to_string(r.verdict))},
                    {"advice", r.advice},
                    {"reason", r.reason},
                    {"numbers", std::move(numbers)}});
  }
  j["recommendations"] = std::move(recs);
  nlohmann::json segments = nlohmann::json::array();
  for (const auto& w : a.workload) {
    segments.push_back({{"name", w.name},
                        {"hours_per_month", w.hours_per_month},
                        {"managers_exact", w.managers_exact},
                        {"managers", w.managers}});
  }
  j["workload"] = {{"selling_hours_per_manager_per_month", v.selling_hours_per_manager_per_month},
                   {"segments", std::move(segments)},
                   {"hours_per_month", a.workload_hours_total},
                   {"managers_exact", a.workload_managers_exact},
                   {"managers", a.workload_managers}};
  const auto& t = v.thresholds;
  j["thresholds"] = {{"inbound_outbound_min_clients", t.inbound_outbound_min_clients},
                     {"hunter_account_min_per_manager", t.hunter_account_min_per_manager},
                     {"new_repeat_max_market_clients", t.new_repeat_max_market_clients},
                     {"specialist_min_share", t.specialist_min_share},
                     {"specialist_min_managers", t.specialist_min_managers},
                     {"enterprise_tier", t.enterprise_tier}};
  j["definition"] = {
      {"per_manager", "(inbound requests + new operations + repeat operations) per month / managers"},
      {"share", "a value's volume / the axis total volume"},
      {"workload_hours", "clients x contacts per client per month x minutes per contact / 60"},
      {"workload_managers", "ceil(total hours / selling hours per manager per month)"},
  };
  return j;
}

int run(const std::vector<std::string>& argv, Io io) {
  auto args = Args::parse(argv, {{"volumes", "format"}, {}});
  if (!args) {
    print_error(io, args.status());
    return kExitUsage;
  }
  const std::string format = args->option_or("format", "text");
  if (format != "text" && format != "json") {
    print_error(io, Status(ErrorCode::invalid_argument, "--format: expected text or json, got '" + format + "'"));
    return kExitUsage;
  }
  auto path = args->required("volumes");
  if (!path) {
    print_error(io, path.status());
    return kExitUsage;
  }
  auto volumes = routing::load_volumes_file(*path);
  if (!volumes) {
    print_error(io, volumes.status());
    return kExitDataError;
  }
  const Advice advice = routing::advise(*volumes);
  if (format == "json") {
    io.out << dump_json(to_json(*volumes, advice)) << "\n";
  } else {
    print_text(io.out, *volumes, advice);
  }
  return kExitOk;
}

const bool registered =
    register_command({"advise", "Specialization advice from monthly volumes (splits, headcount)", kHelp, run});

}  // namespace
}  // namespace dealflow::cli
