// Specialization advisor: every rule fires exactly at its documented threshold,
// reasons carry the numbers, workload headcount, and the volumes file loader.
#include "dealflow/routing/advisor.h"

#include <gtest/gtest.h>

#include "dealflow/routing/advisor_json.h"

namespace dealflow::routing {
namespace {

const Recommendation& find_rule(const Advice& a, const std::string& rule) {
  for (const auto& r : a.recommendations) {
    if (r.rule == rule) return r;
  }
  static Recommendation missing;
  ADD_FAILURE() << "no rule " << rule;
  return missing;
}

double number_of(const Recommendation& r, const std::string& name) {
  for (const auto& n : r.numbers) {
    if (n.name == name) return n.value;
  }
  ADD_FAILURE() << "rule " << r.rule << " has no number " << name;
  return -1;
}

DepartmentVolumes base() {
  DepartmentVolumes v;
  v.clients_in_market = 2000;
  v.inbound_requests = 100;
  v.outbound_targets = 50;
  v.new_operations = 50;
  v.repeat_operations = 50;
  v.managers = 2;
  return v;
}

TEST(Advisor, InboundOutboundSplitFromOneHundredClients) {
  DepartmentVolumes v = base();
  v.clients_in_market = 99;
  EXPECT_EQ(find_rule(advise(v), "inbound_outbound_split").verdict, Verdict::not_triggered);
  v.clients_in_market = 100;
  const Recommendation r = find_rule(advise(v), "inbound_outbound_split");
  EXPECT_EQ(r.verdict, Verdict::recommend);
  EXPECT_NE(r.reason.find("clients in market 100 >= 100"), std::string::npos) << r.reason;
  EXPECT_NE(r.reason.find("100 requests/month"), std::string::npos) << r.reason;
  EXPECT_EQ(number_of(r, "threshold_min_clients"), 100);
  // One function only: nothing to split.
  v.outbound_targets = 0;
  EXPECT_EQ(find_rule(advise(v), "inbound_outbound_split").verdict, Verdict::not_triggered);
}

TEST(Advisor, NoNewRepeatSplitUpToOneHundredClients) {
  DepartmentVolumes v = base();
  v.clients_in_market = 100;
  const Recommendation r = find_rule(advise(v), "new_repeat_small_market");
  EXPECT_EQ(r.verdict, Verdict::not_recommended);
  EXPECT_NE(r.reason.find("100 <= 100"), std::string::npos) << r.reason;
  v.clients_in_market = 101;
  EXPECT_EQ(find_rule(advise(v), "new_repeat_small_market").verdict, Verdict::not_triggered);
}

TEST(Advisor, HunterAccountSplitAboveThreeHundredPerManager) {
  DepartmentVolumes v = base();
  // (300 requests + 150 new + 150 repeat) / 2 managers = 300: not more than 300.
  v.inbound_requests = 300;
  v.new_operations = 150;
  v.repeat_operations = 150;
  const Recommendation at = find_rule(advise(v), "hunter_account_split");
  EXPECT_EQ(at.verdict, Verdict::not_triggered);
  EXPECT_EQ(number_of(at, "per_manager"), 300);
  EXPECT_NE(at.reason.find("= 300 per manager per month <= 300"), std::string::npos) << at.reason;
  v.repeat_operations = 151;  // 601 / 2 = 300.5
  const Recommendation above = find_rule(advise(v), "hunter_account_split");
  EXPECT_EQ(above.verdict, Verdict::recommend);
  EXPECT_EQ(number_of(above, "per_manager"), 300.5);
  EXPECT_NE(above.reason.find("300.5 per manager per month > 300"), std::string::npos) << above.reason;
  // A small market overrides the load.
  v.clients_in_market = 100;
  const Recommendation small = find_rule(advise(v), "hunter_account_split");
  EXPECT_EQ(small.verdict, Verdict::not_triggered);
  EXPECT_NE(small.reason.find("new_repeat_small_market"), std::string::npos);
  // No repeat business: nothing to split off.
  v.clients_in_market = 2000;
  v.repeat_operations = 0;
  v.new_operations = 400;
  EXPECT_EQ(find_rule(advise(v), "hunter_account_split").verdict, Verdict::not_triggered);
}

TEST(Advisor, CapacityHeadcount) {
  DepartmentVolumes v = base();
  EXPECT_EQ(find_rule(advise(v), "capacity_headcount").verdict, Verdict::not_triggered);  // no capacity given
  v.manager_capacity = 100;  // load 200 = 2 × 100: enough
  const Recommendation enough = find_rule(advise(v), "capacity_headcount");
  EXPECT_EQ(enough.verdict, Verdict::not_triggered);
  EXPECT_EQ(number_of(enough, "managers_needed"), 2);
  EXPECT_EQ(number_of(enough, "utilization"), 1.0);
  v.repeat_operations = 51;  // 201 / 100 = 2.01 → 3
  const Recommendation short_by_one = find_rule(advise(v), "capacity_headcount");
  EXPECT_EQ(short_by_one.verdict, Verdict::recommend);
  EXPECT_EQ(number_of(short_by_one, "managers_needed"), 3);
  EXPECT_NE(short_by_one.advice.find("Add 1 manager"), std::string::npos);
}

TEST(Advisor, SpecializationAtTheShareAndManagerThresholds) {
  DepartmentVolumes v = base();
  v.managers = 4;
  // Сибирь and Урал: 25 of 100 = 25% >= 25%, 0.25 × 4 = 1 manager >= 1, the rest 3 >= 1.
  v.distributions.push_back({"region", {{"Москва", 50}, {"Сибирь", 25}, {"Урал", 25}}});
  const Recommendation r = find_rule(advise(v), "region_specialization");
  EXPECT_EQ(r.verdict, Verdict::recommend);
  EXPECT_EQ(r.advice, "Option: dedicated region manager(s) for Москва, Сибирь, Урал");
  EXPECT_NE(r.reason.find("Сибирь 25 of 100 = 25% >= 25%, 1 manager(s) of work >= 1, the rest 3 >= 1"),
            std::string::npos)
      << r.reason;
  // Just under the share.
  v.distributions[0].values = {{"Москва", 50.02}, {"Сибирь", 24.99}, {"Урал", 24.99}};
  EXPECT_EQ(find_rule(advise(v), "region_specialization").advice, "Option: dedicated region manager(s) for Москва");
  // Enough share, but not a manager's worth of work: 3 managers × 0.25 = 0.75.
  v.managers = 3;
  v.distributions[0].values = {{"Москва", 50}, {"Сибирь", 25}, {"Урал", 25}};
  EXPECT_EQ(find_rule(advise(v), "region_specialization").advice, "Option: dedicated region manager(s) for Москва");
  // A value so dominant that the others keep less than a manager busy: 0.2 × 4 = 0.8.
  v.managers = 4;
  v.distributions[0].values = {{"Москва", 80}, {"Сибирь", 20}};
  EXPECT_EQ(find_rule(advise(v), "region_specialization").verdict, Verdict::not_triggered);
  // Exactly one manager's worth left for the others: 0.25 × 4 = 1.
  v.distributions[0].values = {{"Москва", 75}, {"Сибирь", 25}};
  EXPECT_EQ(find_rule(advise(v), "region_specialization").advice, "Option: dedicated region manager(s) for Москва, Сибирь");
  // A single value is no specialization.
  v.distributions[0].values = {{"Москва", 100}};
  EXPECT_EQ(find_rule(advise(v), "region_specialization").verdict, Verdict::not_triggered);
}

TEST(Advisor, EnterpriseTierNeedsExperiencedManagers) {
  DepartmentVolumes v = base();
  EXPECT_EQ(find_rule(advise(v), "enterprise_experienced_managers").verdict, Verdict::not_triggered);
  v.distributions.push_back({"tier", {{"SMB", 90}, {"Enterprise", 0}}});
  EXPECT_EQ(find_rule(advise(v), "enterprise_experienced_managers").verdict, Verdict::not_triggered);
  v.distributions[0].values[1].second = 10;
  const Recommendation r = find_rule(advise(v), "enterprise_experienced_managers");
  EXPECT_EQ(r.verdict, Verdict::recommend);
  EXPECT_NE(r.reason.find("Enterprise volume 10 of 100 (10%)"), std::string::npos) << r.reason;
  v.thresholds.enterprise_tier = "Крупный бизнес";
  EXPECT_EQ(find_rule(advise(v), "enterprise_experienced_managers").verdict, Verdict::not_triggered);
}

TEST(Advisor, WorkloadHeadcount) {
  DepartmentVolumes v = base();
  v.selling_hours_per_manager_per_month = 120;
  v.workload = {{"Ведение клиентов", 420, 2, 25}, {"Холодные звонки", 600, 1.5, 12}, {"Ровно", 600, 1, 60}};
  const Advice a = advise(v);
  ASSERT_EQ(a.workload.size(), 3u);
  EXPECT_DOUBLE_EQ(a.workload[0].hours_per_month, 350);  // 420 × 2 × 25 / 60
  EXPECT_DOUBLE_EQ(a.workload[0].managers_exact, 350.0 / 120);
  EXPECT_EQ(a.workload[0].managers, 3u);
  EXPECT_DOUBLE_EQ(a.workload[1].hours_per_month, 180);  // 600 × 1.5 × 12 / 60
  EXPECT_EQ(a.workload[1].managers, 2u);
  EXPECT_DOUBLE_EQ(a.workload[2].hours_per_month, 600);
  EXPECT_EQ(a.workload[2].managers, 5u);  // exactly 5, not 6
  EXPECT_DOUBLE_EQ(a.workload_hours_total, 1130);
  EXPECT_EQ(a.workload_managers, 10u);  // 1130 / 120 = 9.42 → 10 (not 3 + 2 + 5)
}

TEST(Advisor, RulesComeInTheDocumentedOrder) {
  DepartmentVolumes v = base();
  v.distributions.push_back({"region", {{"A", 1}, {"B", 1}}});
  v.distributions.push_back({"tier", {{"SMB", 1}}});
  std::vector<std::string> rules;
  for (const auto& r : advise(v).recommendations) rules.push_back(r.rule);
  EXPECT_EQ(rules, (std::vector<std::string>{"inbound_outbound_split", "new_repeat_small_market",
                                             "hunter_account_split", "capacity_headcount", "region_specialization",
                                             "tier_specialization", "enterprise_experienced_managers"}));
}

Result<DepartmentVolumes> parse(const std::string& text) {
  auto doc = parse_json(text, "v.json");
  if (!doc) return doc.status();
  return parse_volumes(*doc, "v.json");
}

TEST(VolumesFile, ShippedDepartment) {
  auto v = load_volumes_file(std::string(DEALFLOW_SOURCE_DIR) + "/data/routing/volumes.json");
  ASSERT_TRUE(v.ok()) << v.status().to_string();
  EXPECT_EQ(v->managers, 6u);
  ASSERT_EQ(v->distributions.size(), 3u);
  EXPECT_EQ(v->distributions[0].axis, "region");
  EXPECT_EQ(v->distributions[0].values[0].first, "Москва");  // largest first
  const Advice a = advise(*v);
  EXPECT_EQ(find_rule(a, "inbound_outbound_split").verdict, Verdict::recommend);
  EXPECT_EQ(find_rule(a, "new_repeat_small_market").verdict, Verdict::not_triggered);
  EXPECT_EQ(find_rule(a, "hunter_account_split").verdict, Verdict::recommend);   // 1880 / 6 = 313.3
  EXPECT_EQ(find_rule(a, "capacity_headcount").verdict, Verdict::recommend);     // 1880 / 300 → 7 > 6
  EXPECT_EQ(find_rule(a, "region_specialization").advice, "Option: dedicated region manager(s) for Москва, Сибирь");
  EXPECT_EQ(find_rule(a, "product_specialization").advice,
            "Option: dedicated product manager(s) for Оборудование, Расходные материалы");
  // SMB 90.4%: the other tiers keep 0.58 of a manager busy, nothing to split.
  EXPECT_EQ(find_rule(a, "tier_specialization").verdict, Verdict::not_triggered);
  EXPECT_EQ(find_rule(a, "enterprise_experienced_managers").verdict, Verdict::recommend);
  EXPECT_EQ(a.workload_managers, 5u);  // (350 + 180) / 120 = 4.42
}

TEST(VolumesFile, ThresholdsOverrideDefaults) {
  auto v = parse(R"({"clients_in_market": 150, "managers": 1, "inbound_requests": 5, "outbound_targets": 5,
                     "thresholds": {"inbound_outbound_min_clients": 200, "new_repeat_max_market_clients": 150,
                                    "enterprise_tier": "Крупный"}})");
  ASSERT_TRUE(v.ok()) << v.status().to_string();
  EXPECT_EQ(v->thresholds.inbound_outbound_min_clients, 200);
  EXPECT_EQ(v->thresholds.hunter_account_min_per_manager, 300);  // default kept
  EXPECT_EQ(v->thresholds.enterprise_tier, "Крупный");
  const Advice a = advise(*v);
  EXPECT_EQ(find_rule(a, "inbound_outbound_split").verdict, Verdict::not_triggered);
  EXPECT_EQ(find_rule(a, "new_repeat_small_market").verdict, Verdict::not_recommended);
}

void expect_error(const std::string& text, const std::string& path, const std::string& fragment) {
  auto v = parse(text);
  ASSERT_FALSE(v.ok()) << text;
  EXPECT_EQ(v.status().location().file, "v.json");
  EXPECT_EQ(v.status().location().json_path, path) << v.status().to_string();
  EXPECT_NE(v.status().message().find(fragment), std::string::npos) << v.status().to_string();
}

TEST(VolumesFile, ErrorsNameTheJsonPath) {
  expect_error(R"({"managers": 2})", "/clients_in_market", "missing");
  expect_error(R"({"clients_in_market": 10})", "/managers", "missing");
  expect_error(R"({"clients_in_market": 10, "managers": 0})", "/managers", "got 0");
  expect_error(R"({"clients_in_market": 10, "managers": 2.5})", "/managers", "whole number");
  expect_error(R"({"clients_in_market": 10, "managers": 2, "inbound_requests": -1})", "/inbound_requests", ">= 0");
  expect_error(R"({"clients_in_market": "many", "managers": 2})", "/clients_in_market", "got string");
  expect_error(R"({"clients_in_market": 10, "managers": 2, "manager_capacity": 0})", "/manager_capacity", "> 0");
  expect_error(R"({"clients_in_market": 10, "managers": 2, "managres": 3})", "/managres", "unknown key");
  expect_error(R"({"clients_in_market": 10, "managers": 2, "distributions": {"channel": {}}})",
               "/distributions/channel", "unknown key");
  expect_error(R"({"clients_in_market": 10, "managers": 2, "distributions": {"region": {"Москва": "x"}}})",
               "/distributions/region/Москва", "expected a number");
  expect_error(R"({"clients_in_market": 10, "managers": 2, "thresholds": {"specialist_min_share": 1.5}})",
               "/thresholds/specialist_min_share", "[0, 1]");
  expect_error(R"({"clients_in_market": 10, "managers": 2,
                   "workload": {"segments": [{"name": "a", "clients": 1, "contacts_per_client_per_month": 1,
                                              "minutes_per_contact": 1}]}})",
               "/workload/selling_hours_per_manager_per_month", "missing");
  expect_error(R"({"clients_in_market": 10, "managers": 2, "workload": {"selling_hours_per_manager_per_month": 100,
                   "segments": [{"name": "a", "clients": 1, "minutes_per_contact": 1}]}})",
               "/workload/segments/0/contacts_per_client_per_month", "missing");
  expect_error(R"([1, 2])", "/", "expected an object");
}

TEST(VolumesFile, MissingFileIsAnIoError) {
  auto v = load_volumes_file("/nonexistent/volumes.json");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), ErrorCode::io_error);
}

}  // namespace
}  // namespace dealflow::routing
