// `dealflow forecast`: the hand-computed numbers of tests/planning/forecast_weighted_test.cpp
// through the CLI, every format, determinism across thread counts, and the errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_runner.h"

namespace dealflow::testing {
namespace {

const char* kForecastPipeline = R"({"id": "sales", "name": "Продажи",
  "stages": [
    {"id": "NEW", "name": "Новая", "kind": "open", "probability": 0.1},
    {"id": "OFFER", "name": "КП", "kind": "open", "probability": 0.6},
    {"id": "COMMIT", "name": "Договор", "kind": "open", "probability": 0.9},
    {"id": "WON", "name": "Успех", "kind": "won"},
    {"id": "LOST", "name": "Отказ", "kind": "lost"}]})";

const char* kForecastDeals =
    "id,created_at,amount,currency,manager,close_date,probability\n"
    "A,2026-06-01,1000.00,RUB,Иванов,2026-09-15,\n"
    "B,2026-06-02,2000.00,RUB,Иванов,2026-08-20,33.33\n"
    "C,2026-06-03,500.01,RUB,Петрова,2026-09-30,\n"
    "D,2026-06-04,3000.00,RUB,Петрова,2026-10-05,\n"
    "E,2026-06-05,4000.00,RUB,,,\n"
    "F,2026-05-01,700.00,RUB,Иванов,,\n"
    "G,2026-05-02,900.00,RUB,Иванов,,\n"
    "H,2026-05-03,800.00,RUB,Петрова,,\n";

const char* kForecastHistory =
    "deal_id,at,stage\n"
    "A,2026-06-01T10:00:00Z,NEW\n"
    "B,2026-06-02T10:00:00Z,NEW\nB,2026-07-01T10:00:00Z,OFFER\n"
    "C,2026-06-03T10:00:00Z,NEW\nC,2026-07-05T10:00:00Z,COMMIT\n"
    "D,2026-06-04T10:00:00Z,OFFER\n"
    "E,2026-06-05T10:00:00Z,NEW\n"
    "F,2026-05-01T10:00:00Z,NEW\nF,2026-07-10T10:00:00Z,WON\n"
    "G,2026-05-02T10:00:00Z,NEW\nG,2026-06-20T10:00:00Z,WON\n"
    "H,2026-05-03T10:00:00Z,NEW\nH,2026-07-15T10:00:00Z,LOST\n";

std::string forecast_inputs() {
  static const std::string s = " --pipeline '" + write_temp("fc_pipeline.json", kForecastPipeline) +
                               "' --deals '" + write_temp("fc_deals.csv", kForecastDeals) + "' --history '" +
                               write_temp("fc_history.csv", kForecastHistory) +
                               "' --as-of 2026-08-01 --period 2026-Q3";
  return s;
}

TEST(CliForecast, WeightedTableByHand) {
  const auto r = run_cli("forecast" + forecast_inputs() + " --method weighted");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // fact 700.00 + (100000*1000 + 200000*3333 + 50001*9000) / 10000 kopecks = 1216.61
  EXPECT_NE(r.out.find("company  weighted  RUB       700,00          1  1 216,61  1 916,61           5"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("definition: weighted = fact + sum of amount x probability"), std::string::npos);
  EXPECT_NE(r.out.find("definition: period 2026-Q3 = 2026-07-01 .. 2026-09-30"), std::string::npos);
}

TEST(CliForecast, CategoriesWithAdjustmentsCsvAndJson) {
  const std::string adj =
      write_temp("fc_adj.csv",
                 "scope,period,category,amount,currency,author,at,note\n"
                 "company,2026-Q3,commit,1500.00,RUB,Петрова,2026-07-20T10:00:00Z,two renewals\n");
  const auto table =
      run_cli("forecast" + forecast_inputs() + " --method categories --adjustments '" + adj + "'");
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("company  RUB       700,00  1 200,01   3 200,01       3 500,01         1 500,00"),
            std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find(
                "adjustment: company commit = 1 500,00 by Петрова at 2026-07-20T10:00:00Z (two renewals)"),
            std::string::npos)
      << table.out;
  const auto csv = run_cli("forecast" + forecast_inputs() +
                           " --method categories --format csv --adjustments '" + adj + "'");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_NE(csv.out.find(
                "categories,2026-08-01T00:00:00Z,2026-Q3,2026-07-01T00:00:00Z,2026-10-01T00:00:00Z,company,"
                "365,10000,1,company,RUB,700.00,1,800.00,1500.00,5,700.00,1200.01,3200.01,3500.01,1500.00,,"),
            std::string::npos)
      << csv.out;
  const auto json = run_cli("forecast" + forecast_inputs() +
                            " --method categories --format json --adjustments '" + adj + "'");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["definition"]["as_of"], "2026-08-01T00:00:00Z");
  EXPECT_EQ(j["rows"][0]["categories"]["commit"], "1200.01");
  EXPECT_EQ(j["rows"][0]["categories"]["adjusted"]["commit"]["author"], "Петрова");
  EXPECT_EQ(j["rows"][0]["forecast"], "1500.00");
}

TEST(CliForecast, AllMethodsByManagerAndMonteCarloIndependentOfThreads) {
  const auto all = run_cli("forecast" + forecast_inputs() + " --by manager --training-window 120d");
  ASSERT_EQ(all.exit_code, 0) << all.err;
  for (const char* m : {"weighted", "categories", "markov", "timing", "monte-carlo"})
    EXPECT_NE(all.out.find(std::string("Иванов   ") + m), std::string::npos) << m << "\n" << all.out;
  EXPECT_NE(all.out.find("(none)"), std::string::npos);
  const std::string mc =
      "forecast" + forecast_inputs() + " --method monte-carlo --trials 2000 --seed 5 --format csv";
  const auto one = run_cli(mc + " --threads 1");
  const auto four = run_cli(mc + " --threads 4");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.out, four.out);
}

TEST(CliForecast, ByTeamFromTheRoutingTeamFile) {
  const std::string team = write_temp("fc_team.json",
                                      R"({"attributes": [], "managers": [{"id": "Иванов"}, {"id": "Петрова"}],
          "teams": [{"id": "north", "name": "Север", "members": ["Иванов"]}]})");
  const auto r =
      run_cli("forecast" + forecast_inputs() + " --method weighted --by team --team '" + team + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("north   weighted  RUB       700,00          1    766,60  1 466,60           2"),
            std::string::npos)
      << r.out;
  // Петрова is in no team: (none) with C (450,01) and the ownerless E (no close date).
  EXPECT_NE(r.out.find("(none)  weighted  RUB         0,00          0    450,01    450,01           3"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(run_cli("forecast" + forecast_inputs() + " --by team --team /nonexistent/team.json").exit_code,
            1);
}

TEST(CliForecast, CurrenciesApartOrConverted) {
  const std::string deals = write_temp("fc_fx_deals.csv",
                                       "id,created_at,amount,currency,manager,close_date,probability\n"
                                       "X,2026-06-01,1000.00,RUB,Иванов,2026-08-15,50\n"
                                       "Y,2026-06-01,10.00,USD,Иванов,2026-08-15,50\n");
  const std::string history = write_temp(
      "fc_fx_history.csv", "deal_id,at,stage\nX,2026-06-01T10:00:00Z,NEW\nY,2026-06-01T10:00:00Z,NEW\n");
  const std::string rates = write_temp("fc_fx_rates.csv", "date,from,to,rate\n2026-07-01,USD,RUB,90\n");
  const std::string base = "forecast --pipeline '" + write_temp("fc_pipeline.json", kForecastPipeline) +
                           "' --deals '" + deals + "' --history '" + history +
                           "' --as-of 2026-08-01 --period 2026-Q3 --method weighted --format csv";
  const auto apart = run_cli(base);
  ASSERT_EQ(apart.exit_code, 0) << apart.err;
  EXPECT_NE(apart.out.find(",company,RUB,0.00,0,500.00,500.00,1,"), std::string::npos) << apart.out;
  EXPECT_NE(apart.out.find(",company,USD,0.00,0,5.00,5.00,1,"), std::string::npos) << apart.out;
  const auto converted = run_cli(base + " --fx '" + rates + "' --report-currency RUB");
  ASSERT_EQ(converted.exit_code, 0) << converted.err;
  // (100000 + 10.00 USD x 90 = 90000) x 5000 / 10000 = 95000 kopecks
  EXPECT_NE(converted.out.find(",company,RUB,0.00,0,950.00,950.00,2,"), std::string::npos) << converted.out;
  EXPECT_EQ(converted.out.find("USD"), std::string::npos);
}

TEST(CliForecast, MonteCarloJsonWithTargetAndPipelineScope) {
  const auto r = run_cli("forecast" + forecast_inputs() +
                         " --method monte-carlo --trials 500 --seed 3 --target '700 RUB' --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["definition"]["trials"], 500);
  EXPECT_EQ(j["definition"]["seed"], 3);
  EXPECT_EQ(j["definition"]["target"]["amount"], "700.00");
  const auto& d = j["rows"][0]["distribution"];
  EXPECT_EQ(d["p_reach_target"], 1.0);  // the fact alone is 700.00
  EXPECT_EQ(d["p10"], "700.00");
  // The histogram of the 500 trials: decimal edges from the smallest to the largest total.
  const auto& h = d["histogram"];
  ASSERT_TRUE(h["edges"].is_array()) << d.dump();
  ASSERT_EQ(h["edges"].size(), h["counts"].size() + 1);
  EXPECT_EQ(h["edges"][0], "700.00");
  std::uint64_t sum = 0;
  for (const auto& c : h["counts"]) sum += c.get<std::uint64_t>();
  EXPECT_EQ(sum, 500u);
  for (std::size_t i = 1; i < h["edges"].size(); ++i)
    EXPECT_LT(std::stod(h["edges"][i - 1].get<std::string>()), std::stod(h["edges"][i].get<std::string>()));
  const auto p = run_cli("forecast" + forecast_inputs() + " --method weighted --by pipeline --format csv");
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_NE(p.out.find(",pipeline,365,10000,1,sales,RUB,700.00,1,1216.61,1916.61,5,"), std::string::npos)
      << p.out;
}

TEST(CliForecast, UsageErrors) {
  EXPECT_EQ(run_cli("forecast --pipeline x.json --deals d.csv --history h.csv").exit_code, 2);  // no --period
  EXPECT_EQ(run_cli("forecast" + forecast_inputs() + " --method linear").exit_code, 2);
  EXPECT_EQ(run_cli("forecast" + forecast_inputs() + " --trials 0").exit_code, 2);
  EXPECT_EQ(run_cli("forecast" + forecast_inputs() + " --seed -1").exit_code, 2);
  EXPECT_EQ(run_cli("forecast" + forecast_inputs() + " --target lots").exit_code, 2);
  EXPECT_EQ(run_cli("forecast" + forecast_inputs() + " --training-window 1year").exit_code, 2);
  EXPECT_EQ(run_cli("forecast" + forecast_inputs() + " --by team").exit_code, 2);
  const auto by = run_cli("forecast" + forecast_inputs() + " --by colour");
  EXPECT_EQ(by.exit_code, 2);
  EXPECT_NE(by.err.find("manager"), std::string::npos) << by.err;
  EXPECT_EQ(run_cli("forecast" + forecast_inputs() + " --period 2026-Q5").exit_code, 2);
}

TEST(CliForecast, BadAdjustmentsFileIsLocated) {
  const std::string bad = write_temp("fc_bad_adj.csv",
                                     "scope,period,category,amount,currency,author,at,note\n"
                                     "company,2026-Q3,commit,1500.00,RUB,Петрова,2026-07-20T10:00:00Z,ok\n"
                                     "company,2026-Q3,closed,1.00,RUB,Петрова,2026-07-20T10:00:00Z,no\n");
  const auto r = run_cli("forecast" + forecast_inputs() + " --adjustments '" + bad + "'");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("fc_bad_adj.csv:3:17: column 'category': 'closed' is not an adjustable category"),
            std::string::npos)
      << r.err;
  const std::string missing = write_temp("fc_missing_adj.csv", "scope,period,category,amount\n");
  const auto m = run_cli("forecast" + forecast_inputs() + " --adjustments '" + missing + "'");
  EXPECT_EQ(m.exit_code, 1);
  EXPECT_NE(m.err.find("currency"), std::string::npos) << m.err;
  EXPECT_EQ(run_cli("forecast" + forecast_inputs() + " --adjustments /nonexistent/adj.csv").exit_code, 1);
}

}  // namespace
}  // namespace dealflow::testing

namespace dealflow::testing {
namespace {

// --plan: each manager's won_amount target of the period gives that scope's P(fact + won >= target).
// Иванов has won 700.00 (F) by 2026-08-01: a 700.00 target is reached in every trial; Петрова's
// 1 000 000.00 cannot be reached by her open deals (C 500.01, D 3000.00).
TEST(CliForecast, PlanTargetsPerScope) {
  const std::string plan = write_temp("fc_plan.json", R"({"name": "План", "currency": "RUB", "targets": [
    {"period": "2026-Q3", "scope": "manager", "scope_value": "Иванов", "metric": "won_amount", "target": "700.00"},
    {"period": "2026-Q3", "scope": "manager", "scope_value": "Петрова", "metric": "won_amount", "target": "1000000.00"}]})");
  const auto r =
      run_cli("forecast" + forecast_inputs() + " --method monte-carlo --trials 200 --by manager --plan '" +
              plan + "' --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  int checked = 0;
  for (const auto& row : j["rows"]) {
    if (row["scope"] == "Иванов") {
      EXPECT_EQ(row["distribution"]["p_reach_target"], 1.0);
      ++checked;
    }
    if (row["scope"] == "Петрова") {
      EXPECT_EQ(row["distribution"]["p_reach_target"], 0.0);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 2) << r.out;
  // A period the plan does not have is a located data error; a scope plans do not have is a usage error.
  const auto q4 = run_cli("forecast" + forecast_inputs() + " --method monte-carlo --plan '" + plan + "'");
  EXPECT_EQ(q4.exit_code, 0) << q4.err;  // 2026-Q3 again: the company has no target, no error
  const std::string other = write_temp("fc_plan_q4.json", R"({"name": "P", "currency": "RUB", "targets": [
    {"period": "2026-Q4", "scope": "company", "metric": "won_amount", "target": "1.00"}]})");
  const auto missing = run_cli("forecast" + forecast_inputs() + " --plan '" + other + "'");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("plan has no period 2026-Q3 (its periods: 2026-Q4)"), std::string::npos)
      << missing.err;
  EXPECT_NE(missing.err.find("fc_plan_q4.json"), std::string::npos) << missing.err;
  const auto scope = run_cli("forecast" + forecast_inputs() + " --by client --plan '" + plan + "'");
  EXPECT_EQ(scope.exit_code, 2);
}

}  // namespace
}  // namespace dealflow::testing

namespace dealflow::testing {
namespace {

// The markov method prints the chain it used: one row per open stage, absorption probabilities summing to 1.
TEST(CliForecast, MarkovPrintsItsChain) {
  const auto r = run_cli("forecast" + forecast_inputs() + " --method markov --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("markov_chain")) << r.out;
  const auto& chain = j["markov_chain"];
  ASSERT_EQ(chain.size(), 3u);  // NEW, OFFER, COMMIT
  EXPECT_EQ(chain[0]["stage"], "NEW");
  EXPECT_EQ(chain[2]["stage"], "COMMIT");
  for (const auto& s : chain) {
    EXPECT_NEAR(s["p_won"].get<double>() + s["p_lost"].get<double>(), 1.0, 1e-12) << s;
    EXPECT_GE(s["expected_steps"].get<double>(), 0.0);
  }
  const auto table = run_cli("forecast" + forecast_inputs() + " --method markov");
  EXPECT_NE(table.out.find("markov chain (fitted on the training window"), std::string::npos) << table.out;
  // Other methods do not print it.
  EXPECT_EQ(run_cli("forecast" + forecast_inputs() + " --method weighted").out.find("markov chain"),
            std::string::npos);
}

// timing (and monte-carlo) print the curves they used: P(won by the period end | stage, age) per open stage.
TEST(CliForecast, TimingPrintsItsCurvesByAge) {
  const auto r = run_cli("forecast" + forecast_inputs() + " --method timing --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("timing_by_age")) << r.out;
  const auto& stages = j["timing_by_age"];
  ASSERT_EQ(stages.size(), 3u);  // NEW, OFFER, COMMIT
  EXPECT_EQ(stages[0]["stage"], "NEW");
  for (const auto& s : stages) {
    ASSERT_EQ(s["by_age"].size(), 6u);
    EXPECT_EQ(s["by_age"][0]["age_days"], 0);
    EXPECT_EQ(s["by_age"][5]["age_days"], 90);
    for (const auto& a : s["by_age"]) {
      EXPECT_GE(a["p_won"].get<double>(), 0.0);
      EXPECT_LE(a["p_won"].get<double>(), 1.0);
    }
  }
  const auto table = run_cli("forecast" + forecast_inputs() + " --method monte-carlo --trials 100");
  EXPECT_NE(table.out.find("timing: P(won by the period end | stage, days already in it)"), std::string::npos)
      << table.out;
  EXPECT_EQ(run_cli("forecast" + forecast_inputs() + " --method markov").out.find("timing: P(won"),
            std::string::npos);
}

}  // namespace
}  // namespace dealflow::testing
