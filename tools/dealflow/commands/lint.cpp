// `dealflow lint`: static analysis of a rule set against its team (docs/lint.md).
#include <charconv>
#include <ostream>
#include <string>
#include <vector>

#include "dealflow/cli.h"
#include "dealflow/io/table.h"
#include "dealflow/routing/lint.h"
#include "dealflow/routing/lint_json.h"
#include "dealflow/routing/routing_json.h"

namespace dealflow::cli {
namespace {

using namespace dealflow::routing;

constexpr const char* kHelp =
    "usage: dealflow lint --team T.json --rules R.json [--format text|json] [--strict]\n"
    "                     [--include-empty] [--leaf-values-only] [--max-gap-cubes N]\n"
    "\n"
    "Checks a rule set against the team's declared attribute domains, without\n"
    "enumerating every combination (cube algebra, docs/lint.md):\n"
    "  gaps                 combinations no rule matches: compact cubes (in JSON each with\n"
    "                       every attribute, \"any\" or its values) and, under coverage,\n"
    "                       the exact count\n"
    "  shadowed             rules that can never be the first match (earlier rules match\n"
    "                       all they match, or they match nothing), with the shadowing rules\n"
    "  overlaps             equal-priority rules with different targets matching a common\n"
    "                       combination (file order decides silently)\n"
    "  unreachable_targets  matched combinations no candidate of the target can ever take\n"
    "                       (inactive, zero cap, weight 0, unmapped lead_field value, skills)\n"
    "  idle_managers        managers no rule or default pool can ever send a lead\n"
    "\n"
    "  --format text|json   output (default text)\n"
    "  --strict             exit 1 when there is any finding (for CI)\n"
    "  --include-empty      count an empty attribute (and a missing number) as a value\n"
    "  --leaf-values-only   leads carry leaf values only (no parent like \"Сибирь\" itself)\n"
    "  --max-gap-cubes N    gap cubes to show (default 20; the count is always complete)\n"
    "\n"
    "Exit codes: 0 analysed (findings or not, unless --strict); 1 a file cannot be loaded\n"
    "(the error names the file and JSON path), or --strict and findings; 2 usage.\n";

std::string count_text(const CombinationCount& c) { return c.to_string(); }

std::string rules_list(const RuleSet& rules, const std::vector<RuleId>& ids) {
  std::string out;
  for (RuleId id : ids) out += (out.empty() ? "" : ", ") + rules.rule(id).key;
  return out;
}

std::string member_reason(const TeamModel& team, const TargetMember& m) {
  std::string r(to_string(m.reason));
  if (m.reason == BlockReason::skills && !m.skill_conflicts.empty()) {
    r += " (";
    for (std::size_t i = 0; i < m.skill_conflicts.size(); ++i) {
      r += (i ? ", " : "") + team.schema().categorical(m.skill_conflicts[i]).name();
    }
    r += ")";
  }
  return r;
}

void print_text(std::ostream& out, const LintReport& r, const TeamModel& team, const RuleSet& rules) {
  const CoverageGaps& g = r.gaps;
  out << "Attribute combinations: " << count_text(g.universe) << " (";
  for (std::size_t i = 0; i < r.domains.size(); ++i) {
    const LintAxis& d = r.domains[i];
    out << (i ? " x " : "") << d.attribute << " " << d.elements;
  }
  out << ")\n\n";

  if (!g.complete) {
    out << "Coverage gaps: not computed: " << g.incomplete_reason << "\n\n";
  } else if (g.uncovered.is_zero()) {
    out << "Coverage gaps: none (every combination matches a rule)\n\n";
  } else {
    out << "Coverage gaps: " << count_text(g.uncovered) << " of " << count_text(g.universe)
        << " combinations match no rule; "
        << (g.has_default_pool ? "these leads go to the default pool" : "there is no default pool: these leads stay unassigned")
        << "\n";
    TextTable t({"combinations", "leads matching no rule"}, {Align::right, Align::left});
    for (const LintCube& c : g.cubes) t.add_row({count_text(c.combinations), describe_cube(c, team, r.domains)});
    out << t.render();
    if (!g.not_shown.is_zero()) out << "(" << count_text(g.not_shown) << " more combinations in cubes not shown)\n";
    out << "\n";
  }

  out << "Shadowed rules: " << (r.shadowed.empty() ? "none" : std::to_string(r.shadowed.size())) << "\n";
  if (!r.shadowed.empty()) {
    TextTable t({"rule", "priority", "combinations", "why it never fires"}, {Align::left, Align::right, Align::right, Align::left});
    for (const ShadowedRule& s : r.shadowed) {
      t.add_row({rules.rule(s.rule).key, std::to_string(rules.rule(s.rule).priority), count_text(s.combinations),
                 s.reason == ShadowReason::matches_nothing ? "its conditions match no combination"
                                                            : "covered by " + rules_list(rules, s.shadowed_by)});
    }
    out << t.render();
  }
  if (!r.shadow_undetermined.empty()) {
    out << "Shadowing not determined (too fragmented): " << rules_list(rules, r.shadow_undetermined) << "\n";
  }
  out << "\n";

  out << "Overlapping rules (equal priority, different targets): "
      << (r.overlaps_total == 0 ? "none" : std::to_string(r.overlaps_total)) << "\n";
  if (!r.overlaps.empty()) {
    TextTable t({"rules", "priority", "combinations", "common leads (the first rule wins by file order)"},
                {Align::left, Align::right, Align::right, Align::left});
    for (const RuleOverlap& o : r.overlaps) {
      t.add_row({rules.rule(o.first).key + " / " + rules.rule(o.second).key, std::to_string(rules.rule(o.first).priority),
                 count_text(o.common.combinations), describe_cube(o.common, team, r.domains)});
    }
    out << t.render();
    if (r.overlaps.size() < r.overlaps_total) {
      out << "(" << (r.overlaps_total - r.overlaps.size()) << " more pairs not listed)\n";
    }
  }
  out << "\n";

  out << "Unreachable targets: " << (r.unreachable_targets.empty() ? "none" : std::to_string(r.unreachable_targets.size()))
      << "\n";
  for (const UnreachableTarget& u : r.unreachable_targets) {
    const std::string who = u.rule ? "rule " + rules.rule(*u.rule).key + (u.role == TargetRole::fallback ? " (fallback pool)" : "")
                                   : std::string("default pool (on the gaps)");
    out << "  " << who << ": " << count_text(u.unservable) << " of " << count_text(u.matched)
        << (u.entire ? " combinations: nobody in the target can ever take them" : " combinations nobody in the target can take")
        << "\n";
    for (const LintCube& c : u.cubes) out << "    " << count_text(c.combinations) << "  " << describe_cube(c, team, r.domains) << "\n";
    for (const TargetMember& m : u.members) {
      if (m.reason == BlockReason::none) continue;
      out << "    " << team.manager(m.manager).key << " (" << team.manager(m.manager).name << "): "
          << member_reason(team, m) << "\n";
    }
  }
  out << "\n";

  out << "Idle managers: " << (r.idle_managers.empty() ? "none" : std::to_string(r.idle_managers.size())) << "\n";
  if (!r.idle_managers.empty()) {
    TextTable t({"manager", "name", "why they never receive a lead"}, {Align::left, Align::left, Align::left});
    for (const IdleManager& m : r.idle_managers) {
      std::string why = m.reason == BlockReason::none ? "no rule target or default pool can send them a lead"
                                                      : std::string(to_string(m.reason));
      if (m.only_as_account_owner) why += " (except as the account owner of a repeat lead)";
      t.add_row({team.manager(m.manager).key, team.manager(m.manager).name, why});
    }
    out << t.render();
  }
  out << "\nA combination is one value per attribute (one interval between the rules' bounds for numbers); "
         "\"X/*\" is X and everything under it. Definitions: docs/lint.md.\n";
}

int run(const std::vector<std::string>& argv, Io io) {
  auto args = Args::parse(argv, {{"team", "rules", "format", "max-gap-cubes"}, {"strict", "include-empty", "leaf-values-only"}});
  auto usage = [&](const Status& s) {
    print_error(io, s);
    return kExitUsage;
  };
  if (!args) return usage(args.status());
  const std::string format = args->option_or("format", "text");
  if (format != "text" && format != "json") {
    return usage(Status(ErrorCode::invalid_argument, "--format: expected text or json, got '" + format + "'"));
  }
  auto team_path = args->required("team");
  if (!team_path) return usage(team_path.status());
  auto rules_path = args->required("rules");
  if (!rules_path) return usage(rules_path.status());
  LintOptions options;
  options.include_empty_values = args->flag("include-empty");
  options.leaf_values_only = args->flag("leaf-values-only");
  if (auto n = args->option("max-gap-cubes")) {
    std::size_t v = 0;
    auto [ptr, ec] = std::from_chars(n->data(), n->data() + n->size(), v);
    if (ec != std::errc() || ptr != n->data() + n->size()) {
      return usage(Status(ErrorCode::invalid_argument, "--max-gap-cubes: expected a whole number, got '" + *n + "'"));
    }
    options.max_gap_cubes = v;
  }

  auto config = load_routing_files(*team_path, *rules_path);
  if (!config) {
    print_error(io, config.status());
    return kExitDataError;
  }
  const TeamModel& team = config->team;
  const RuleSet& rules = config->rules;
  auto report = lint_rules(team, rules, options);
  if (!report) {
    print_error(io, report.status());
    return kExitDataError;
  }
  if (format == "json") {
    io.out << dump_json(lint_report_to_json(*report, team, rules)) << "\n";
  } else {
    print_text(io.out, *report, team, rules);
  }
  return args->flag("strict") && !report->clean() ? kExitDataError : kExitOk;
}

const bool registered = register_command(
    {"lint", "Find gaps, shadowed and overlapping rules, unreachable targets, idle managers", kHelp, run});

}  // namespace
}  // namespace dealflow::cli
