// `dealflow commission`: statement, summary, what-if and check on a hand-made
// Q3 2024 log (flat 3%, a 60/40 split, a deal owned by nobody), the bundled
// sample, and every documented usage error (exit 2) and data error (exit 1).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "cli/cli_runner.h"

namespace {

using dealflow::testing::CliResult;
using dealflow::testing::run_cli;
using dealflow::testing::write_temp;
using nlohmann::json;

const std::string kCommissionSample =
    " --comp data/compensation/sample-plan.json --pipeline data/pipelines/bitrix24_default.json"
    " --deals data/sample/deals.csv --history data/sample/history.csv"
    " --field-changes data/sample/field_changes.csv";

std::string comp_file(const std::string& name, const std::string& extra = "") {
  return write_temp(name, R"({"format": "dealflow.compensation/1", "name": "Мотивация Q3", "currency": "RUB",
    "utc_offset": "+03:00", "team_file": ")" DEALFLOW_SOURCE_DIR R"(/data/plans/sample-team.json",
    "rounding": "half-up", "clawback": {"window_days": 90, "policy": "historic-rate"},
    "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "3%"}}]}],
    "participants": [
      {"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01",
                                                "target_incentive": "150000.00"}]},
      {"manager": "m-smirnova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]})" +
                              extra + R"(],
    "splits": [{"deal": "d3", "shares": [{"manager": "m-ivanova", "share": "60%"},
                                         {"manager": "m-smirnova", "share": "40%"}]}]})");
}

// d1 1 000 000.00 (Иванова, won 5 Aug), d2 500 000.00 (Смирнова by display
// name, 20 Aug), d3 200 000.00 split 60/40 (10 Sep), d4 open, d5 owned by
// nobody (1 Aug). Flat 3%: Иванова 30 000.00 + 3 600.00 = 33 600.00,
// Смирнова 15 000.00 + 2 400.00 = 17 400.00; won 1 700 000.00 credited.
struct Q3 {
  std::string data, args;
  Q3() {
    const std::string pipeline =
        write_temp("comm_pipeline.json", R"({"id": "sales", "name": "Продажи", "stages": [
      {"id": "NEW", "name": "Новая", "kind": "open", "probability": 0.2},
      {"id": "WON", "name": "Успех", "kind": "won"}, {"id": "LOST", "name": "Провал", "kind": "lost"}]})");
    const std::string deals = write_temp("comm_deals.csv",
                                         "id,created_at,amount,currency,manager\n"
                                         "d1,2024-07-01T09:00:00Z,1000000.00,RUB,m-ivanova\n"
                                         "d2,2024-07-02T09:00:00Z,500000.00,RUB,Смирнова Ольга\n"
                                         "d3,2024-07-03T09:00:00Z,200000.00,RUB,m-ivanova\n"
                                         "d4,2024-07-04T09:00:00Z,300000.00,RUB,m-ivanova\n"
                                         "d5,2024-07-05T09:00:00Z,100000.00,RUB,Гость\n");
    const std::string history = write_temp("comm_history.csv",
                                           "deal_id,at,stage\n"
                                           "d1,2024-07-01T09:00:00Z,NEW\nd1,2024-08-05T09:00:00Z,WON\n"
                                           "d2,2024-07-02T09:00:00Z,NEW\nd2,2024-08-20T09:00:00Z,WON\n"
                                           "d3,2024-07-03T09:00:00Z,NEW\nd3,2024-09-10T09:00:00Z,WON\n"
                                           "d4,2024-07-04T09:00:00Z,NEW\n"
                                           "d5,2024-07-05T09:00:00Z,NEW\nd5,2024-08-01T09:00:00Z,WON\n");
    data = " --pipeline " + pipeline + " --deals " + deals + " --history " + history;
    args = " --comp " + comp_file("comm_plan.json") + data;
  }
};

const Q3& q3() {
  static const Q3 fixture;
  return fixture;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(CliCommission, StatementTableHandComputed) {
  const auto r = run_cli("commission" + q3().args + " --period 2024-Q3 --as-of 2024-10-01");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("total paid 33 600.00"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("total paid 17 400.00"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("d3    split    60.00%    120 000.00"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("definition: clawback: a credited deal lost or reopened within 90 days"),
            std::string::npos);
  EXPECT_NE(r.out.find("definition: money: exact minor units of RUB; each line rounded once, half-up"),
            std::string::npos);
  // "statement" is the default sub-command.
  EXPECT_EQ(run_cli("commission statement" + q3().args + " --period 2024-Q3 --as-of 2024-10-01").out, r.out);
}

// A deal won in USD: without --fx it credits nobody (a note); with --fx it is
// credited at the rate of its local credit date: 1 000.00 USD × 90.5 (the
// rate of 1 Aug, the latest on or before 15 Aug) = 90 500.00 RUB at 3% =
// 2 715.00, so Иванова has 30 000.00 + 2 715.00 = 32 715.00. A rates file
// without a rate on or before that date is a data error naming the deal.
TEST(CliCommission, FxConvertsDealsInOtherCurrenciesAtTheCreditDate) {
  const std::string deals = write_temp("comm_fx_deals.csv",
                                       "id,created_at,amount,currency,manager\n"
                                       "d1,2024-07-01T09:00:00Z,1000000.00,RUB,m-ivanova\n"
                                       "d6,2024-07-02T09:00:00Z,1000.00,USD,m-ivanova\n");
  const std::string history = write_temp("comm_fx_history.csv",
                                         "deal_id,at,stage\n"
                                         "d1,2024-07-01T09:00:00Z,NEW\nd1,2024-08-05T09:00:00Z,WON\n"
                                         "d6,2024-07-02T09:00:00Z,NEW\nd6,2024-08-15T09:00:00Z,WON\n");
  const std::string pipeline =
      write_temp("comm_fx_pipeline.json", R"({"id": "sales", "name": "Продажи", "stages": [
      {"id": "NEW", "name": "Новая", "kind": "open", "probability": 0.2},
      {"id": "WON", "name": "Успех", "kind": "won"}, {"id": "LOST", "name": "Провал", "kind": "lost"}]})");
  const std::string a = " --comp " + comp_file("comm_fx_plan.json") + " --pipeline " + pipeline +
                        " --deals " + deals + " --history " + history +
                        " --period 2024-Q3 --as-of 2024-10-01 --manager m-ivanova";
  const auto plain = run_cli("commission" + a);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find("total paid 30 000.00"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("amount in USD, not RUB, uncredited"), std::string::npos) << plain.out;

  const std::string rates = write_temp("comm_fx_rates.csv",
                                       "date,from,to,rate\n2024-07-01,USD,RUB,88\n2024-08-01,USD,RUB,90.5\n"
                                       "2024-08-16,USD,RUB,99\n");
  const auto fx = run_cli("commission" + a + " --fx " + rates);
  ASSERT_EQ(fx.exit_code, 0) << fx.err;
  EXPECT_NE(fx.out.find("total paid 32 715.00"), std::string::npos) << fx.out;
  EXPECT_NE(fx.out.find("90 500.00"), std::string::npos) << fx.out;
  EXPECT_NE(fx.out.find("(1000.00 USD at the rate of 2024-08-15)"), std::string::npos) << fx.out;
  EXPECT_NE(fx.out.find("definition: fx: amounts in other currencies converted into RUB"), std::string::npos)
      << fx.out;

  const std::string late = write_temp("comm_fx_late.csv", "date,from,to,rate\n2024-09-01,USD,RUB,95\n");
  const auto missing = run_cli("commission" + a + " --fx " + late);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("deal d6 (1000.00 USD, won 2024-08-15)"), std::string::npos) << missing.err;
}

TEST(CliCommission, StatementCsvIsDataOnlyAndSumsToThePaidTotals) {
  const auto r = run_cli("commission" + q3().args + " --period 2024-Q3 --as-of 2024-10-01 --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = lines_of(r.out);
  ASSERT_EQ(rows.size(), 5u) << r.out;
  EXPECT_EQ(
      rows[0],
      "plan,participant,period,period_first,period_last,as_of,provisional,currency,rounding,line,kind,"
      "component,deal_id,credit_instant,credit,share,measure,measure_value,slice_from,slice_to,tier,rate,"
      "factor,amount,blended_rate,source_period,reason");
  EXPECT_EQ(r.out.find("definition"), std::string::npos);
  EXPECT_NE(rows[2].find(",RUB,half-up,2,credit,sales,d3,"), std::string::npos) << rows[2];
  EXPECT_NE(rows[2].find(",split,60.0000,won_amount,120000.00,"), std::string::npos) << rows[2];
  EXPECT_NE(rows[2].find(",3.0000,,3600.00,"), std::string::npos) << rows[2];
  EXPECT_NE(rows[4].find(",split,40.0000,won_amount,80000.00,"), std::string::npos) << rows[4];
}

TEST(CliCommission, StatementJson) {
  const auto r = run_cli("commission" + q3().args + " --period 2024-Q3 --as-of 2024-10-01 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json doc = json::parse(r.out);
  ASSERT_EQ(doc["statements"].size(), 2u);
  EXPECT_EQ(doc["statements"][0]["participant"], "m-ivanova");
  EXPECT_EQ(doc["statements"][0]["totals"]["paid"], 3360000);
  EXPECT_EQ(doc["statements"][1]["totals"]["paid"], 1740000);
  EXPECT_EQ(doc["statements"][1]["lines"][1]["share"], "40.0000");
  EXPECT_EQ(doc["definition"]["rounding"], "half-up");
  EXPECT_EQ(doc["definition"]["clawback_policy"], "historic-rate");
  for (const json& st : doc["statements"]) {  // total = the sum of the printed lines
    std::int64_t sum = 0;
    for (const json& l : st["lines"]) sum += l["amount"].get<std::int64_t>();
    EXPECT_EQ(sum, st["totals"]["paid"].get<std::int64_t>());
  }
}

TEST(CliCommission, ManagerByIdOrNameAndTeamId) {
  const std::string base = "commission" + q3().args + " --period 2024-Q3 --as-of 2024-10-01 --format json";
  for (const std::string& who : {std::string("m-ivanova"), std::string("'Иванова Анна'")}) {
    const auto r = run_cli(base + " --manager " + who);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json doc = json::parse(r.out);
    ASSERT_EQ(doc["statements"].size(), 1u) << who;
    EXPECT_EQ(doc["statements"][0]["participant"], "m-ivanova");
  }
  const auto team = run_cli(base + " --team-id smb-inbound");
  ASSERT_EQ(team.exit_code, 0) << team.err;
  EXPECT_EQ(json::parse(team.out)["statements"].size(), 2u);
}

TEST(CliCommission, SummaryNotesTheUncreditedDeal) {
  const std::string base = "commission summary" + q3().args + " --period 2024-Q3 --as-of 2024-10-01";
  const auto table = run_cli(base);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("team summary 2024-Q3, as of 2024-10-01T00:00:00+03:00 (RUB)"), std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("note: deal d5 credits nobody"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("definition: summary: "), std::string::npos);
  const auto csv = run_cli(base + " --format csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(lines_of(csv.out)[0],
            "plan,period,as_of,currency,team,participant,role,won_amount,paid,overlay_paid,clawbacks,draw,"
            "draw_balance,cost_of_sales,uncredited");
  EXPECT_NE(csv.err.find("note: deal d5 credits nobody"), std::string::npos);  // CSV stays data only
  const auto j = run_cli(base + " --format json");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  const json doc = json::parse(j.out);
  EXPECT_EQ(doc["summary"][0]["won_amount"], 170000000);
  EXPECT_EQ(doc["summary"][0]["paid"], 5100000);
  EXPECT_EQ(doc["summary"][0]["cost_of_sales"], "3.0000");
}

TEST(CliCommission, CheckReportsWarningsAndErrors) {
  const auto ok = run_cli("commission check" + q3().args);
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("check: 0 errors, 0 warnings"), std::string::npos) << ok.out;

  // Кузнецов owns no deal of the log: a warning, exit 0.
  const std::string warn = comp_file("comm_plan_warn.json", R"(,
      {"manager": "m-kuznetsov", "assignments": [{"plan": "ae", "from": "2024-01-01"}]})");
  const auto w = run_cli("commission check --comp " + warn + q3().data);
  EXPECT_EQ(w.exit_code, 0) << w.err;
  EXPECT_NE(w.out.find("warning: " + warn +
                       ": at /participants/2/manager: m-kuznetsov (Кузнецов Дмитрий) owns no "
                       "deal in the log"),
            std::string::npos)
      << w.out;
  EXPECT_NE(w.out.find("check: 0 errors, 1 warnings"), std::string::npos);

  // A split of a deal the log does not have: an error, exit 1.
  const std::string bad =
      write_temp("comm_plan_bad.json", R"({"format": "dealflow.compensation/1", "name": "x",
    "currency": "RUB", "team_file": ")" DEALFLOW_SOURCE_DIR R"(/data/plans/sample-team.json",
    "plans": [{"id": "ae", "components": [{"id": "sales", "rate": {"type": "flat", "rate": "3%"}}]}],
    "participants": [{"manager": "m-ivanova", "assignments": [{"plan": "ae", "from": "2024-01-01"}]}],
    "splits": [{"deal": "zz", "shares": [{"manager": "m-ivanova", "share": "100%"}]}]})");
  const auto e = run_cli("commission check --comp " + bad + q3().data + " --format csv");
  EXPECT_EQ(e.exit_code, 1);
  EXPECT_EQ(e.out,
            "severity,where,message\nerror," + bad +
                ": at /splits/0/deal,deal 'zz' is split but the deals file has no such deal: expected a "
                "deal id\n");
}

TEST(CliCommission, SampleCheckStatementAndSummary) {
  const auto check = run_cli("commission check" + kCommissionSample);
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find("12 participants, 4 rate plans, 2 splits, 1 overlays"), std::string::npos)
      << check.out;
  EXPECT_NE(check.out.find("check: 0 errors"), std::string::npos) << check.out;

  // The quota plan has 2024 only: a 2025 quarter has no quota for the from_plan assignments.
  const auto q = run_cli("commission check" + kCommissionSample + " --period 2025-Q1 --as-of 2025-03-01");
  EXPECT_EQ(q.exit_code, 1);
  EXPECT_NE(
      q.out.find("error: data/compensation/sample-plan.json: at /participants/0/assignments/0/quota: no "
                 "quota for m-ivanova in 2025-Q1: expected a manager won_amount target in "
                 "data/plans/sample-2024.json or an inline quota\n"),
      std::string::npos)
      << q.out;
  EXPECT_NE(q.out.find("check: 11 errors, 0 warnings"), std::string::npos);  // Морозов's quota is inline

  const auto st = run_cli("commission" + kCommissionSample + " --period 2024-Q3 --format json");
  ASSERT_EQ(st.exit_code, 0) << st.err;
  const json doc = json::parse(st.out);
  EXPECT_FALSE(doc["statements"].empty());
  for (const json& s : doc["statements"]) {
    std::int64_t sum = 0;
    for (const json& l : s["lines"]) sum += l["amount"].get<std::int64_t>();
    EXPECT_EQ(sum, s["totals"]["paid"].get<std::int64_t>()) << s["participant"];
  }
  const auto sum = run_cli("commission summary" + kCommissionSample + " --period 2024-Q3");
  EXPECT_EQ(sum.exit_code, 0) << sum.err;
  EXPECT_NE(sum.out.find("team summary 2024-Q3"), std::string::npos);
}

TEST(CliCommission, WhatIfExtra) {
  const auto r = run_cli("commission what-if" + q3().args +
                         " --manager m-smirnova --period 2024-Q3 --as-of 2024-09-20 --extra '500000 RUB'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("difference +15 000.00 RUB"), std::string::npos) << r.out;  // 500 000.00 × 3%
}

void expect_usage(const std::string& args, const std::string& message) {
  const auto r = run_cli("commission" + args);
  EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
  EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(CliCommission, UsageErrors) {
  const std::string a = q3().args;
  expect_usage(" pay" + a, "unknown sub-command 'pay': expected statement, summary, what-if or check");
  expect_usage(" statement extra" + a, "unexpected argument 'extra'");
  expect_usage(a + " --bogus 1", "unknown option --bogus");
  expect_usage(q3().data, "missing required option --comp");
  expect_usage(a + " --format xml", "--format 'xml'");
  expect_usage(a + " --period 2024-07",
               "--period '2024-07': a month; the plan pays per quarter: expected a period "
               "such as 2024-Q3");
  expect_usage(a + " --period 2024-Q5", "--period");
  expect_usage(a + " --period 2025-Q1", "--period '2025-Q1': starts after as-of");
  expect_usage(a + " --manager m-nobody",
               "--manager 'm-nobody': not a participant of the plan (participants: "
               "m-ivanova, m-smirnova)");
  expect_usage(a + " --team-id nope", "--team-id 'nope': not a team of");
  expect_usage(a + " --team-id enterprise",
               "--team-id 'enterprise': no participant of the plan is in this team");
  expect_usage(a + " --as-of yesterday", "--as-of");
  expect_usage(a + " --deal d4", "--deal is an option of what-if only");
  expect_usage(" summary" + a + " --manager m-ivanova", "--manager: summary covers every participant");
  expect_usage(a + " --fx-policy rate-at-created", "--fx-policy: statements are in the plan's currency");
  expect_usage(a + " --report-currency USD", "--report-currency: statements are in the plan's currency");
  const std::string w = " what-if" + a + " --period 2024-Q3 --as-of 2024-09-20";
  expect_usage(w + " --extra '1 RUB'", "what-if: expected one --manager");
  expect_usage(w + " --manager m-ivanova", "what-if: expected one of --deal ID or --extra");
  expect_usage(w + " --manager m-ivanova --deal d4 --extra '1 RUB'",
               "what-if: expected one of --deal ID or --extra");
  expect_usage(w + " --manager m-ivanova --deal d1", "--deal 'd1': already won (stage WON since");
  expect_usage(w + " --manager m-ivanova --deal zz", "--deal 'zz': no such deal in the deals file");
  expect_usage(w + " --manager m-ivanova --extra '100 USD'",
               "--extra '100 USD': expected a positive amount in RUB");
  expect_usage(w + " --manager m-ivanova --extra -5", "--extra '-5': expected a positive amount in RUB");
  expect_usage(" what-if" + a + " --manager m-ivanova --period 2024-Q2 --as-of 2024-09-20 --extra '1 RUB'",
               "what-if: --period '2024-Q2' does not contain as-of");
}

TEST(CliCommission, DataErrors) {
  const auto missing = run_cli("commission --comp /nonexistent/plan.json" + q3().data);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("/nonexistent/plan.json"), std::string::npos) << missing.err;

  const std::string typo =
      write_temp("comm_plan_typo.json", R"({"format": "dealflow.compensation/1", "name": "x",
    "currency": "RUB", "rounding": "bankers", "team_file": ")" DEALFLOW_SOURCE_DIR
                                        R"(/data/plans/sample-team.json",
    "plans": [], "participants": []})");
  const auto t = run_cli("commission --comp " + typo + q3().data);
  EXPECT_EQ(t.exit_code, 1);
  EXPECT_NE(t.err.find("error: " + typo + ": at /rounding: 'bankers': expected half-up or half-even"),
            std::string::npos)
      << t.err;

  const std::string deals = write_temp("comm_bad_deals.csv",
                                       "id,created_at,amount,currency,manager\n"
                                       "d1,not-a-date,10.00,RUB,m-ivanova\n");
  const auto d =
      run_cli("commission --comp " + comp_file("comm_plan2.json") + " --pipeline " +
              write_temp("comm_p2.json", R"({"id": "s", "name": "s", "stages": [
      {"id": "NEW", "name": "N", "kind": "open"}, {"id": "WON", "name": "W", "kind": "won"},
      {"id": "LOST", "name": "L", "kind": "lost"}]})") +
              " --deals " + deals + " --history " + write_temp("comm_h2.csv", "deal_id,at,stage\n"));
  EXPECT_EQ(d.exit_code, 1);
  EXPECT_NE(d.err.find(deals + ":2:"), std::string::npos) << d.err;
}

}  // namespace
