// `dealflow lint` on the shipped rule set with a known gap, on the shipped
// rules, and on bad input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"

namespace {

using dealflow::testing::run_cli;
using dealflow::testing::write_temp;

const std::string kGapSet = "lint --team data/routing/team.json --rules data/routing/rules-with-gap.json";

// data/routing/rules-with-gap.json over team.json (domains 6 × 6 × 2 × 2 × 2 × 3 = 864):
// repeat business is all taken by repeat-to-owner; of new business, Сибирь (3 region
// values) and Облако (3 product values) are taken, leaving 3 regions × 3 products.
// Enterprise inbound has no rule: 3 × 3 × 3 sale types = 27; SMB outbound covers only
// Москва and Санкт-Петербург, so Урал × 3 products × 3 sale types = 9. Total 36.
TEST(CliLint, AcceptanceKnownGapWithItsCombinationCount) {
  auto r = run_cli(kGapSet + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["coverage"], nlohmann::json::parse(R"({"complete": true, "universe": 864, "uncovered": 36,
      "shown": 2, "not_shown": 0, "default_pool": false})"));
  // gaps is the array of cubes; every attribute of the team is in `values`,
  // "any" when the cube takes its whole domain.
  ASSERT_TRUE(j["gaps"].is_array());
  ASSERT_EQ(j["gaps"].size(), 2u);
  const auto& first = j["gaps"][0];
  EXPECT_EQ(first["combinations"], 27);
  EXPECT_EQ(first["values"], nlohmann::json::parse(R"({
      "region": ["Москва", "Санкт-Петербург", "Урал"], "product": ["CRM", "Телефония", "Аналитика"],
      "tier": ["Enterprise"], "channel": ["inbound"], "business": ["new"], "sale_type": "any",
      "amount": "any", "client_size": "any"})"));
  EXPECT_EQ(first["description"],
            "region ∈ {Москва, Санкт-Петербург, Урал}; product ∈ {CRM, Телефония, Аналитика}; tier = Enterprise; "
            "channel = inbound; business = new");
  const auto& second = j["gaps"][1];
  EXPECT_EQ(second["combinations"], 9);
  EXPECT_EQ(second["values"], nlohmann::json::parse(R"({
      "region": ["Урал"], "product": ["CRM", "Телефония", "Аналитика"], "tier": ["SMB"], "channel": ["outbound"],
      "business": ["new"], "sale_type": "any", "amount": "any", "client_size": "any"})"));
  // tomsk-storage (Томск × Хранилище: 1 × 1 × 2 × 2 × 2 × 3 = 24) lies inside siberia.
  ASSERT_EQ(j["shadowed"].size(), 1u);
  EXPECT_EQ(j["shadowed"][0]["rule"], "tomsk-storage");
  EXPECT_EQ(j["shadowed"][0]["shadowed_by"], nlohmann::json::array({"siberia"}));
  EXPECT_EQ(j["shadowed"][0]["combinations"], 24);
  EXPECT_EQ(j["overlaps"].size(), 0u);
  EXPECT_EQ(j["unreachable_targets"].size(), 0u);
  // The head (in no target) and the inactive manager.
  ASSERT_EQ(j["idle_managers"].size(), 2u);
  EXPECT_EQ(j["idle_managers"][0]["manager"], "m-volkova");
  EXPECT_TRUE(j["idle_managers"][0]["only_as_account_owner"].get<bool>());
  EXPECT_EQ(j["idle_managers"][1]["manager"], "m-fedorov");
  EXPECT_EQ(j["idle_managers"][1]["reason"], "inactive");
  EXPECT_FALSE(j["clean"].get<bool>());
}

TEST(CliLint, TextListsTheSameFindings) {
  auto r = run_cli(kGapSet);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Coverage gaps: 36 of 864 combinations match no rule"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("27  region ∈ {Москва, Санкт-Петербург, Урал}"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tomsk-storage"), std::string::npos);
  EXPECT_NE(r.out.find("covered by siberia"), std::string::npos);
  EXPECT_NE(r.out.find("Фёдоров Илья"), std::string::npos);
}

TEST(CliLint, StrictFailsOnFindings) {
  EXPECT_EQ(run_cli(kGapSet + " --strict").exit_code, 1);
  // A clean set: one catch-all rule to a manager without skills, every manager reachable.
  const std::string team = write_temp("lint-team.json", R"({"attributes": [{"name": "tier", "values": ["SMB", "Enterprise"]}],
      "managers": [{"id": "m-a", "name": "А"}]})");
  const std::string rules = write_temp("lint-rules.json", R"({"rules": [{"id": "all", "target": {"manager": "m-a"}}]})");
  auto r = run_cli("lint --team '" + team + "' --rules '" + rules + "' --strict --format json");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(nlohmann::json::parse(r.out)["clean"].get<bool>());
}

// The intentional gap of the shipped department (docs/routing.md, lead L20).
TEST(CliLint, ShippedRulesSendEnterpriseInboundToADefaultPoolThatCannotTakeIt) {
  auto r = run_cli("lint --team data/routing/team.json --rules data/routing/rules.json --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  // amount is cut at 1 000 000 RUB: 864 × 2 = 1728; Enterprise inbound new: 3 × 3 × 3 × 2 = 54.
  EXPECT_EQ(j["coverage"]["universe"], 1728);
  EXPECT_EQ(j["coverage"]["uncovered"], 54);
  EXPECT_TRUE(j["coverage"]["default_pool"].get<bool>());
  // One gap cube, with the amount cut into intervals: both halves, so "any".
  ASSERT_EQ(j["gaps"].size(), 1u);
  EXPECT_EQ(j["gaps"][0]["combinations"], 54);
  EXPECT_EQ(j["gaps"][0]["values"]["tier"], nlohmann::json::array({"Enterprise"}));
  EXPECT_EQ(j["gaps"][0]["values"]["amount"], "any");
  EXPECT_EQ(j["domains"].back()["intervals"],
            nlohmann::json::parse(R"([{"min": null, "max": "1000000.00 RUB"}, {"min": "1000000.00 RUB", "max": null}])"));
  ASSERT_EQ(j["unreachable_targets"].size(), 1u);
  EXPECT_TRUE(j["unreachable_targets"][0]["rule"].is_null());
  EXPECT_EQ(j["unreachable_targets"][0]["role"], "default_pool");
  EXPECT_TRUE(j["unreachable_targets"][0]["entire"].get<bool>());
  EXPECT_EQ(j["unreachable_targets"][0]["unservable"], 54);
  const auto& members = j["unreachable_targets"][0]["members"];
  ASSERT_EQ(members.size(), 4u);
  EXPECT_EQ(members[0], nlohmann::json::parse(R"({"manager": "m-fedorov", "reason": "inactive", "skill_conflicts": []})"));
  for (std::size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(members[i]["reason"], "skills");
    EXPECT_EQ(members[i]["skill_conflicts"], nlohmann::json::array({"tier"}));
  }
  EXPECT_EQ(j["unreachable_targets"][0]["cubes"][0]["values"]["sale_type"], "any");
  EXPECT_EQ(j["unreachable_targets"][0]["cubes"][0]["values"]["region"],
            nlohmann::json::array({"Москва", "Санкт-Петербург", "Урал"}));
}

TEST(CliLint, LoadErrorsNameFileAndJsonPath) {
  const std::string rules = write_temp("lint-bad-rules.json",
                                       R"({"rules": [{"id": "x", "when": {"regoin": "Москва"}, "target": {"manager": "m-volkova"}}]})");
  auto r = run_cli("lint --team data/routing/team.json --rules '" + rules + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("lint-bad-rules.json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/rules/0/when/regoin"), std::string::npos) << r.err;
  EXPECT_EQ(run_cli("lint --team /nonexistent.json --rules data/routing/rules.json").exit_code, 1);
  EXPECT_EQ(run_cli("lint --team data/routing/team.json").exit_code, 2);
  EXPECT_EQ(run_cli(kGapSet + " --max-gap-cubes many").exit_code, 2);
}

TEST(CliLint, OptionsChangeTheDomains) {
  auto leaves = run_cli(kGapSet + " --leaf-values-only --format json");
  ASSERT_EQ(leaves.exit_code, 0) << leaves.err;
  // Without the parents Сибирь and Облако: 5 × 5 × 2 × 2 × 2 × 3 = 600 combinations, the same 36 uncovered.
  auto j = nlohmann::json::parse(leaves.out);
  EXPECT_EQ(j["coverage"]["universe"], 600);
  EXPECT_EQ(j["coverage"]["uncovered"], 36);
  // Without parents, a whole domain is still "any".
  EXPECT_EQ(j["gaps"][0]["values"]["sale_type"], "any");
  auto one = run_cli(kGapSet + " --max-gap-cubes 1 --format json");
  auto k = nlohmann::json::parse(one.out);
  EXPECT_EQ(k["gaps"].size(), 1u);
  EXPECT_EQ(k["coverage"]["shown"], 1);
  EXPECT_EQ(k["coverage"]["not_shown"], 9);
  // With the empty value every categorical domain grows by one: 7 × 7 × 3 × 3 × 3 × 4 = 5292.
  auto empty = run_cli(kGapSet + " --include-empty --format json");
  ASSERT_EQ(empty.exit_code, 0) << empty.err;
  auto e = nlohmann::json::parse(empty.out);
  EXPECT_EQ(e["coverage"]["universe"], 5292);
  EXPECT_EQ(e["gaps"][0]["values"]["tier"], nlohmann::json::array({"Enterprise", ""}));  // "" = empty
  // On the shipped rules amount is a dimension (cut at 1 000 000 RUB) and gains
  // "no number" (""): 5292 × 3 = 15876 combinations.
  auto numeric =
      run_cli("lint --team data/routing/team.json --rules data/routing/rules.json --include-empty --format json");
  ASSERT_EQ(numeric.exit_code, 0) << numeric.err;
  auto n = nlohmann::json::parse(numeric.out);
  EXPECT_EQ(n["coverage"]["universe"], 15876);
  ASSERT_EQ(n["gaps"].size(), 3u);
  EXPECT_EQ(n["gaps"][2]["values"]["amount"],
            nlohmann::json::parse(R"([{"min": null, "max": "1000000.00 RUB"}, ""])"));
  EXPECT_EQ(n["gaps"][2]["values"]["client_size"], "any");  // constrained by no rule
}

}  // namespace
