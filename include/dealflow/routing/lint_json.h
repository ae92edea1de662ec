// dealflow/routing/lint_json.h: a lint report as JSON and as readable text.
//
// `lint_report_to_json` gives the document `dealflow lint --format json`
// prints (keys `coverage`, `gaps`, `shadowed`, `overlaps`,
// `unreachable_targets`, `idle_managers`, ... ; format in docs/lint.md).
// `gaps` is the array of gap cubes; every cube (gaps, overlaps, unreachable
// targets) has `values` with every attribute of the team's schema, either
// "any" or the list of values / intervals, and its `combinations`. Rules and
// managers appear by their stable ids, values by name. Combination counts are
// JSON numbers when they fit in 64 bits and decimal strings otherwise (exact
// either way).
// `describe_cube` renders one cube for people: attributes with every value
// are omitted, a parent value whose whole subtree is in the set is written
// "Сибирь/*", a set holding most of the domain as "any except {…}".
//
// Thread-safety: pure functions.
//
// Example:
//   Result<LintReport> report = lint_rules(team, rules);
//   std::cout << lint_report_to_json(*report, team, rules).dump(2);
//   for (const LintCube& g : report->gaps.cubes) std::cout << describe_cube(g, team, report->domains) << "\n";
#pragma once

#include <string>

#include "dealflow/io/json.h"
#include "dealflow/routing/lint.h"

namespace dealflow::routing {

Json lint_report_to_json(const LintReport& report, const TeamModel& team, const RuleSet& rules);

// "region ∈ {Москва, Урал}; tier = SMB; amount ∈ [1000000.00 RUB, ∞)"; "any lead" for the
// universe. `domains` (LintReport::domains) lets a large set be said as "any except {…}".
std::string describe_cube(const LintCube& cube, const TeamModel& team, const std::vector<LintAxis>& domains);

// A count as JSON: a number when it fits in 64 bits, else its decimal string.
Json count_to_json(const CombinationCount& count);

}  // namespace dealflow::routing
