// tests/fuzz/routing_fixture.h: the team and rules of data/routing/ that the
// routing targets read fuzzed leads, owners, rules and state against.
#pragma once

#include "dealflow/routing/routing_json.h"
#include "fuzz_support.h"

namespace dealflow::fuzz {

inline const routing::TeamModel& fixture_team() {
  static const routing::TeamModel team =
      expect_fixture(routing::load_team_file(source_path("data/routing/team.json")), "team.json");
  return team;
}

inline const routing::RuleSet& fixture_rules() {
  static const routing::RuleSet rules = expect_fixture(
      routing::load_rules_file(source_path("data/routing/rules.json"), fixture_team()), "rules.json");
  return rules;
}

}  // namespace dealflow::fuzz
