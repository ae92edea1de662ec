// `dealflow route` on the shipped department data and on bad input.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"
#include "dealflow/io/atomic_file.h"

namespace {

using dealflow::testing::run_cli;
using dealflow::testing::slurp;
using dealflow::testing::write_temp;

const std::string kRouteData =
    "route --team data/routing/team.json --rules data/routing/rules.json --leads data/routing/leads.csv "
    "--owners data/routing/owners.csv";

// docs/routing.md explains every row; the assignments were derived by hand
// from the rules before this test was written. L07 and L23 arrive when nobody
// is on shift (the default pool asks for working hours too); L20 is the
// sample's intentional coverage gap (Enterprise inbound), which lint reports
// (tests/cli/lint_test.cpp).
const char* kExpected = R"CSV(lead_id,manager,rule,reason
L01,m-petrov,inbound-smb,"round robin in team Входящие SMB; skipped: Фёдоров Илья: inactive, Иванова Анна: absent 2024-03-04..2024-03-06"
L02,m-sidorova,inbound-smb,round robin in team Входящие SMB
L03,m-petrov,inbound-smb,"round robin in team Входящие SMB; skipped: Фёдоров Илья: inactive, Иванова Анна: absent 2024-03-04..2024-03-06"
L04,m-sidorova,inbound-smb,round robin in team Входящие SMB
L05,m-petrov,inbound-smb,"round robin in team Входящие SMB; skipped: Фёдоров Илья: inactive, Иванова Анна: absent 2024-03-04..2024-03-06"
L06,m-petrov,inbound-smb,"round robin in team Входящие SMB; skipped: Сидорова Мария: daily cap 2/2 on 2024-03-04, Фёдоров Илья: inactive, Иванова Анна: absent 2024-03-04..2024-03-06"
L07,,,"nobody on shift in 1 matching rule(s) or the default pool; the next shift starts 2024-03-05 09:00 (calendar msk); rule inbound-smb: Сидорова Мария: outside working hours (calendar msk), Фёдоров Илья: inactive, Иванова Анна: absent 2024-03-04..2024-03-06, Петров Павел: outside working hours (calendar msk); default pool: Сидорова Мария: outside working hours (calendar msk), Фёдоров Илья: inactive, Иванова Анна: absent 2024-03-04..2024-03-06, Петров Павел: outside working hours (calendar msk)"
L08,m-lebedev,siberia,the rule's manager
L09,m-lebedev,siberia,the rule's manager
L10,m-novikova,cloud-specialist,the rule's manager
L11,m-sokolov,enterprise-outbound,the rule's manager
L12,m-petrov,large-smb,weighted round robin among 2 listed managers
L13,m-sidorova,large-smb,weighted round robin among 2 listed managers
L14,m-petrov,large-smb,weighted round robin among 2 listed managers
L15,m-petrov,outbound-smb,by lead field region=Москва
L16,m-sidorova,default,"default pool, least loaded in team Входящие SMB; rule outbound-smb: Иванова Анна: absent 2024-03-04..2024-03-06; skipped: Фёдоров Илья: inactive, Иванова Анна: absent 2024-03-04..2024-03-06"
L17,m-kuznetsova,repeat-to-owner,account owner
L18,m-morozov,repeat-to-owner,"account owner unavailable, fallback: least loaded in team Аккаунт-менеджеры; skipped: Фёдоров Илья: inactive"
L19,m-kuznetsova,repeat-to-owner,"account owner unavailable, fallback: least loaded in team Аккаунт-менеджеры; skipped: no known account owner for the client"
L20,,,"no rule matched and nobody in the default pool is eligible; default pool: Фёдоров Илья: inactive, Иванова Анна: absent 2024-03-04..2024-03-06, Петров Павел: no skill for tier=Enterprise, Сидорова Мария: no skill for tier=Enterprise"
L21,m-ivanova,inbound-smb,round robin in team Входящие SMB; skipped: Фёдоров Илья: inactive
L22,m-petrov,inbound-smb,round robin in team Входящие SMB
L23,,,"nobody on shift in 1 matching rule(s) or the default pool; the next shift starts 2024-03-11 09:00 (calendar msk); rule inbound-smb: Сидорова Мария: outside working hours (calendar msk), Фёдоров Илья: inactive, Иванова Анна: outside working hours (calendar msk), Петров Павел: outside working hours (calendar msk); default pool: Сидорова Мария: outside working hours (calendar msk), Фёдоров Илья: inactive, Иванова Анна: outside working hours (calendar msk), Петров Павел: outside working hours (calendar msk)"
)CSV";

TEST(RouteCliTest, ShippedDataRoutesEveryLeadAsTheRulesSay) {
  auto r = run_cli(kRouteData);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, kExpected);
  EXPECT_EQ(r.err, "routed 23 leads: 20 assigned, 3 unassigned\n");
}

TEST(RouteCliTest, JsonFormatHasDetailsAndSummary) {
  auto r = run_cli(kRouteData + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["decisions"].size(), 23u);
  const auto& l18 = j["decisions"][17];
  EXPECT_EQ(l18["lead_id"], "L18");
  EXPECT_EQ(l18["manager"], "m-morozov");
  EXPECT_EQ(l18["manager_name"], "Морозов Андрей");
  EXPECT_EQ(l18["rule"], "repeat-to-owner");
  EXPECT_EQ(l18["strategy"], "least_loaded");
  EXPECT_EQ(l18["via_fallback"], true);
  ASSERT_EQ(l18["skipped"].size(), 1u);
  EXPECT_EQ(l18["skipped"][0]["manager"], "m-fedorov");
  EXPECT_EQ(l18["skipped"][0]["reason"], "inactive");
  EXPECT_EQ(l18["skipped"][0]["text"], "Фёдоров Илья: inactive");
  const auto& l20 = j["decisions"][19];
  EXPECT_TRUE(l20["manager"].is_null());
  EXPECT_TRUE(l20["rule"].is_null());
  // L07 arrives at 20:30: the default pool asks for working hours too, so
  // nobody off shift is given the lead.
  const auto& l07 = j["decisions"][6];
  EXPECT_TRUE(l07["manager"].is_null());
  EXPECT_TRUE(l07["strategy"].is_null());
  ASSERT_EQ(l07["skipped"].size(), 8u);
  EXPECT_EQ(l07["skipped"][7]["rule"], nullptr);  // the default pool
  EXPECT_EQ(l07["skipped"][7]["manager"], "m-petrov");
  EXPECT_EQ(l07["skipped"][7]["reason"], "off_hours");
  EXPECT_EQ(j["summary"]["leads"], 23);
  EXPECT_EQ(j["summary"]["assigned"], 20);
  EXPECT_EQ(j["summary"]["unassigned"], 3);
  EXPECT_TRUE(j["summary"]["definition"].is_string());
}

TEST(RouteCliTest, StateIsWrittenAndCarriesCountersToTheNextRun) {
  const std::string state = write_temp("route_state.json", "");
  std::remove(state.c_str());
  auto first = run_cli(kRouteData + " --state '" + state + "'");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, kExpected);  // no state file yet: a fresh state
  auto saved = nlohmann::json::parse(slurp(state));
  EXPECT_EQ(saved["format"], "dealflow-router-state");
  EXPECT_EQ(saved["managers"]["m-petrov"]["open_deals"], 8);
  EXPECT_EQ(saved["managers"]["m-petrov"]["assigned"]["2024-03-04"], 4);
  EXPECT_EQ(saved["managers"]["m-sidorova"]["assigned"]["2024-03-04"], 2);
  // L22 was the pool's last assignment (L23 found nobody on shift).
  EXPECT_EQ(saved["pools"]["team:smb-inbound"]["last_assigned"], "m-petrov");
  // The same leads again: the round robin continues after m-petrov with
  // Сидорова, whose daily cap of 2 on 2024-03-04 is already used, so Петров
  // takes the turns until his own cap of 8.
  auto second = run_cli(kRouteData + " --state '" + state + "'");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const std::string capped_sidorova =
      "\"round robin in team Входящие SMB; skipped: Сидорова Мария: daily cap 2/2 on 2024-03-04, Фёдоров "
      "Илья: "
      "inactive, Иванова Анна: absent 2024-03-04..2024-03-06\"";
  EXPECT_EQ(second.out.substr(0, second.out.find("\nL03")),
            "lead_id,manager,rule,reason\n"
            "L01,m-petrov,inbound-smb," +
                capped_sidorova +
                "\n"
                "L02,m-petrov,inbound-smb," +
                capped_sidorova);
  auto again = nlohmann::json::parse(slurp(state));
  EXPECT_EQ(again["managers"]["m-petrov"]["assigned"]["2024-03-04"], 8);  // his daily cap
  std::remove(state.c_str());
}

TEST(RouteCliTest, AtIsNowForLeadsWithoutCreatedAt) {
  const std::string leads =
      write_temp("route_leads_at.csv", "id,tier,channel\nA1,SMB,inbound\nA2,SMB,inbound\n");
  auto r = run_cli("route --team data/routing/team.json --rules data/routing/rules.json --leads '" + leads +
                   "' --at 2024-03-11T12:00:00+03:00");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "lead_id,manager,rule,reason\n"
            "A1,m-ivanova,inbound-smb,round robin in team Входящие SMB; skipped: Фёдоров Илья: inactive\n"
            "A2,m-petrov,inbound-smb,round robin in team Входящие SMB\n");
  auto no_time =
      run_cli("route --team data/routing/team.json --rules data/routing/rules.json --leads '" + leads + "'");
  EXPECT_EQ(no_time.exit_code, 1);
  EXPECT_NE(no_time.err.find("no 'created_at' column and no default time (--at)"), std::string::npos)
      << no_time.err;
}

TEST(RouteCliTest, BadLeadRowStrictAndSkipped) {
  const std::string leads = write_temp("route_leads_bad.csv",
                                       "id,created_at,region,tier,channel,amount\n"
                                       "B1,2024-03-11T10:00:00+03:00,Москва,SMB,inbound,100\n"
                                       "B2,2024-03-11T10:00:00+03:00,Мосвка,SMB,inbound,100\n"
                                       "B3,2024-03-11T10:00:00+03:00,Москва,SMB,inbound,1.234\n");
  const std::string base =
      "route --team data/routing/team.json --rules data/routing/rules.json --leads '" + leads + "'";
  auto strict = run_cli(base);
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_EQ(strict.out, "");
  EXPECT_NE(strict.err.find("route_leads_bad.csv:3:"), std::string::npos) << strict.err;
  EXPECT_NE(strict.err.find("column 'region': unknown value 'Мосвка'"), std::string::npos) << strict.err;
  auto skip = run_cli(base + " --skip-bad-rows");
  EXPECT_EQ(skip.exit_code, 0) << skip.err;
  EXPECT_EQ(skip.out,
            "lead_id,manager,rule,reason\nB1,m-ivanova,inbound-smb,round robin in team Входящие SMB; "
            "skipped: Фёдоров Илья: inactive\n");
  EXPECT_NE(skip.err.find("skipped 2 bad lead rows:"), std::string::npos) << skip.err;
  EXPECT_NE(skip.err.find("route_leads_bad.csv:4:"), std::string::npos) << skip.err;
  EXPECT_NE(skip.err.find("column 'amount'"), std::string::npos) << skip.err;
  EXPECT_NE(skip.err.find("routed 1 lead: 1 assigned, 0 unassigned, 2 bad rows skipped"), std::string::npos)
      << skip.err;
}

TEST(RouteCliTest, LoadErrorsNameFileAndJsonPath) {
  const std::string rules =
      write_temp("route_rules_bad.json", R"({"rules": [{"id": "x", "target": {"manager": "m-nobody"}}]})");
  auto r =
      run_cli("route --team data/routing/team.json --rules '" + rules + "' --leads data/routing/leads.csv");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("route_rules_bad.json: at /rules/0/target/manager: unknown manager 'm-nobody'"),
            std::string::npos)
      << r.err;
  const std::string owners = write_temp("route_owners_bad.csv", "client,manager\nООО Ромашка,m-nobody\n");
  auto o = run_cli(kRouteData.substr(0, kRouteData.find(" --owners")) + " --owners '" + owners + "'");
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_NE(o.err.find("route_owners_bad.csv:2:"), std::string::npos) << o.err;
  const std::string state = write_temp("route_state_bad.json", R"({"version": 7})");
  auto s = run_cli(kRouteData + " --state '" + state + "'");
  EXPECT_EQ(s.exit_code, 1);
  EXPECT_NE(s.err.find("at /version"), std::string::npos) << s.err;
  EXPECT_EQ(slurp(state), R"({"version": 7})");  // a refused run leaves the state untouched
}

TEST(RouteCliTest, UsageErrors) {
  EXPECT_EQ(run_cli("route --team data/routing/team.json --rules data/routing/rules.json").exit_code, 2);
  EXPECT_EQ(run_cli(kRouteData + " --format xml").exit_code, 2);
  EXPECT_EQ(run_cli(kRouteData + " --at yesterday").exit_code, 2);
  EXPECT_EQ(run_cli(kRouteData + " --colour").exit_code, 2);
  auto help = run_cli("route --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--skip-bad-rows"), std::string::npos);
}

// The state is replaced atomically (no temporary left) under a lock on
// STATE.lock that a second run waits for, or refuses with --state-wait.
TEST(RouteCliTest, StateLockMakesASecondRunWaitOrFail) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(DEALFLOW_TEST_TMP) / ("route_lock_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string state = (dir / "состояние.json").string();
  auto first = run_cli(kRouteData + " --state '" + state + "' --state-wait 0");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  EXPECT_EQ(names, (std::set<std::string>{"состояние.json", "состояние.json.lock"}));
  const std::string saved = slurp(state);

  auto lock = dealflow::io::FileLock::acquire(state, std::chrono::milliseconds(0));
  ASSERT_TRUE(lock.ok()) << lock.status().to_string();
  for (const char* wait : {"0", "0.2"}) {
    auto refused = run_cli(kRouteData + " --state '" + state + "' --state-wait " + wait);
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find(state + ".lock: locked by another process (waited "), std::string::npos)
        << refused.err;
    EXPECT_EQ(refused.out, "");
    EXPECT_EQ(slurp(state), saved);  // untouched
  }
  // Without --state-wait the run waits until the holder is done.
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    lock->reset();
  });
  const auto start = std::chrono::steady_clock::now();
  auto waited = run_cli(kRouteData + " --state '" + state + "'");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  releaser.join();
  EXPECT_EQ(waited.exit_code, 0) << waited.err;
  EXPECT_GE(elapsed, std::chrono::milliseconds(250));
  EXPECT_NE(slurp(state), saved);  // the second run's counters
  fs::remove_all(dir);
}

TEST(RouteCliTest, BadStateWaitIsAUsageError) {
  for (const char* wait : {"-1", "abc", "1e9", "''"}) {
    auto r = run_cli(kRouteData + " --state /tmp/unused.json --state-wait " + wait);
    EXPECT_EQ(r.exit_code, 2) << wait;
    EXPECT_NE(r.err.find("--state-wait: expected seconds from 0 to 1000000, got '"), std::string::npos)
        << r.err;
  }
  auto no_state = run_cli(kRouteData + " --state-wait 1");
  EXPECT_EQ(no_state.exit_code, 2);
  EXPECT_NE(no_state.err.find("--state-wait needs --state"), std::string::npos) << no_state.err;
}

}  // namespace
