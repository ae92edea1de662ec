// dealflow/routing/routing_json.h: loading the team and rules JSON files.
//
// Formats are documented in docs/routing.md (examples: data/routing/team.json,
// data/routing/rules.json). The team file declares the attribute domains
// (with region / product hierarchies), calendars, managers and teams; the
// rules file declares the ordered rules and the default pool, and is resolved
// against a loaded team. Every error is a Status naming the file and the JSON
// Pointer of the offending value and what was expected, e.g.
//   "rules.json: at /rules/3/target/manager: unknown manager 'm-petrov'".
// Unknown keys are rejected so that typos are not silently ignored.
//
// Thread-safety: reentrant functions; results are independent values.
//
// Example:
//   auto team = dealflow::routing::load_team_file("data/routing/team.json");
//   if (!team) return team.status();
//   auto rules = dealflow::routing::load_rules_file("data/routing/rules.json", *team);
//   if (!rules) return rules.status();
#pragma once

#include <string>

#include "dealflow/io/json.h"
#include "dealflow/routing/rules.h"
#include "dealflow/routing/team.h"

namespace dealflow::routing {

Result<TeamModel> parse_team(const JsonReader& root);
Result<TeamModel> load_team_file(const std::string& path);

Result<RuleSet> parse_rules(const JsonReader& root, const TeamModel& team);
Result<RuleSet> load_rules_file(const std::string& path, const TeamModel& team);

// A team file and the rules file read against it.
struct RoutingConfig {
  TeamModel team;
  RuleSet rules;
};
// load_team_file, then load_rules_file; the first error of either.
Result<RoutingConfig> load_routing_files(const std::string& team_path, const std::string& rules_path);

}  // namespace dealflow::routing
