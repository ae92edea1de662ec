// Deals in MXN, COP, USD and PEN through the CLI: durations, funnel and
// scorecard succeed with sums per currency, and --fx converts with each
// policy (the same numbers as tests/analytics/currencies_test.cpp; fixtures
// in tests/cli/fixtures/currencies/).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_runner.h"

namespace dealflow::testing {
namespace {

const std::string kCurrenciesDir = "tests/cli/fixtures/currencies/";
const std::string kCurrenciesInputs = " --pipeline " + kCurrenciesDir + "pipeline.json --deals " +
                                      kCurrenciesDir + "deals.csv --history " + kCurrenciesDir +
                                      "history.csv";
const std::string kFx = " --fx " + kCurrenciesDir + "rates.csv --report-currency USD";
const std::string kCurrenciesPeriod = " --from 2024-01-01 --to 2024-01-21 --as-of 2024-01-21";

nlohmann::json json_of(const CliResult& r) {
  return nlohmann::json::parse(r.out);
}

TEST(CliCurrencies, DurationsOnFourCurrenciesSucceeds) {
  auto table = run_cli("durations" + kCurrenciesInputs);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("7 500,25 MXN"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("won amounts in several currencies (COP, MXN, PEN, USD)"), std::string::npos);

  auto r = run_cli("durations" + kCurrenciesInputs + kCurrenciesPeriod + " --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = json_of(r);
  EXPECT_EQ(j["deals"], 7);
  EXPECT_EQ(j["won"], 5);
  const auto& by = j["velocity"]["by_currency"];
  ASSERT_EQ(by.size(), 4u);
  EXPECT_EQ(by[0]["currency"], "COP");
  EXPECT_EQ(by[0]["won_amount"], "4000000.00");
  EXPECT_EQ(by[1]["currency"], "MXN");
  EXPECT_EQ(by[1]["won_with_amount"], 2);
  EXPECT_EQ(by[1]["won_amount"], "15000.50");
  EXPECT_EQ(by[1]["average_won_amount"], "7500.25");
  EXPECT_EQ(by[2]["currency"], "PEN");
  EXPECT_EQ(by[3]["currency"], "USD");
  EXPECT_TRUE(j["velocity"]["per_day"].is_null());
  EXPECT_TRUE(j["velocity"]["conversion"].is_null());

  auto csv = run_cli("durations" + kCurrenciesInputs + " --format csv");
  EXPECT_EQ(csv.exit_code, 0) << csv.err;
}

TEST(CliCurrencies, DurationsConvertWithEachPolicy) {
  const std::pair<const char*, const char*> cases[] = {{"", "2189.15"},
                                                       {" --fx-policy rate-at-close", "2189.15"},
                                                       {" --fx-policy rate-at-created", "2157.39"},
                                                       {" --fx-policy rate-at-report", "2007.53"}};
  for (const auto& [policy, won] : cases) {
    auto r = run_cli("durations" + kCurrenciesInputs + kCurrenciesPeriod + kFx + policy + " --format json");
    ASSERT_EQ(r.exit_code, 0) << policy << ": " << r.err;
    const auto v = json_of(r)["velocity"];
    EXPECT_EQ(v["won_amount"]["amount"], won) << policy;
    EXPECT_EQ(v["won_amount"]["currency"], "USD") << policy;
    EXPECT_NE(v["conversion"].get<std::string>().find("half to even"), std::string::npos);
  }
  auto table = run_cli("durations" + kCurrenciesInputs + kCurrenciesPeriod + kFx);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("72,97 USD"), std::string::npos) << table.out;  // velocity per day
  EXPECT_NE(table.out.find("definition: amounts converted to USD with rate-at-close"), std::string::npos);
}

TEST(CliCurrencies, FunnelAndScorecard) {
  auto plain = run_cli("funnel" + kCurrenciesInputs + " --as-of 2024-01-21 --format json");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(json_of(plain)["won_amount"].size(), 4u);
  auto f = run_cli("funnel" + kCurrenciesInputs + " --as-of 2024-01-21 --format json" + kFx);
  ASSERT_EQ(f.exit_code, 0) << f.err;
  const auto j = json_of(f);
  ASSERT_EQ(j["won_amount"].size(), 1u);
  EXPECT_EQ(j["won_amount"][0]["amount"], "2189.15");
  EXPECT_EQ(j["open_amount"][0]["amount"], "74.00");  // p1 370.00 PEN at the report date's 1/5

  auto card = run_cli("scorecard" + kCurrenciesInputs + " --from 2024-01-01 --to 2024-01-21 --format json");
  ASSERT_EQ(card.exit_code, 0) << card.err;
  const auto c = json_of(card);
  EXPECT_EQ(c["definition"]["rank_by"], "won deals");
  EXPECT_EQ(c["team"]["current"]["by_currency"].size(), 4u);
  auto converted =
      run_cli("scorecard" + kCurrenciesInputs + " --from 2024-01-01 --to 2024-01-21 --format json" + kFx);
  ASSERT_EQ(converted.exit_code, 0) << converted.err;
  const auto cc = json_of(converted);
  EXPECT_EQ(cc["definition"]["rank_by"], "won amount");
  EXPECT_EQ(cc["managers"][0]["manager"], "García");
  EXPECT_EQ(cc["team"]["current"]["won_amount"]["amount"], "2189.15");
  auto csv = run_cli("scorecard" + kCurrenciesInputs + " --from 2024-01-01 --to 2024-01-21 --format csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  // The team's current "all" line, one per currency.
  EXPECT_NE(csv.out.find("team,,,current,2024-01-01T00:00:00Z,2024-01-21T00:00:00Z,all,,7,5,1,1,0.833333,2,"
                         "15000.50,7500.25,5000.50,MXN,"),
            std::string::npos)
      << csv.out;
}

TEST(CliCurrencies, OptionErrors) {
  auto no_target = run_cli("durations" + kCurrenciesInputs + " --fx " + kCurrenciesDir + "rates.csv");
  EXPECT_EQ(no_target.exit_code, 2);
  EXPECT_NE(no_target.err.find("--fx needs --report-currency"), std::string::npos) << no_target.err;
  auto policy = run_cli("funnel" + kCurrenciesInputs + kFx + " --fx-policy rate-at-lunch");
  EXPECT_EQ(policy.exit_code, 2);
  EXPECT_NE(policy.err.find("expected rate-at-close, rate-at-created or rate-at-report"), std::string::npos);
  auto code =
      run_cli("scorecard" + kCurrenciesInputs + " --from 2024-01-01 --to 2024-01-21 --report-currency US");
  EXPECT_EQ(code.exit_code, 2);

  const std::string bad =
      write_temp("bad_rates.csv", "date,from,to,rate\n2024-01-01,USD,MXN,17\n2024-01-02,USD,MXN,1e3\n");
  auto bad_file = run_cli("durations" + kCurrenciesInputs + " --fx '" + bad + "' --report-currency USD");
  EXPECT_EQ(bad_file.exit_code, 1);
  EXPECT_NE(bad_file.err.find("bad_rates.csv:3:20: column 'rate': invalid exchange rate '1e3'"),
            std::string::npos)
      << bad_file.err;

  // Only MXN rates: the first deal needing another pair is named.
  const std::string mxn = write_temp("mxn_rates.csv", "date,from,to,rate\n2024-01-01,USD,MXN,17\n");
  auto missing = run_cli("durations" + kCurrenciesInputs + kCurrenciesPeriod + " --fx '" + mxn +
                         "' --report-currency USD");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(
      missing.err.find("deal 'c1' (rate-at-close, closed 2024-01-07T00:00:00Z, amount 4000000.00 COP): no "
                       "exchange rate COP->USD dated on or before 2024-01-07"),
      std::string::npos)
      << missing.err;
  // --report-currency alone: fine when every amount is already in it... not here.
  auto alone = run_cli("funnel" + kCurrenciesInputs + " --report-currency USD");
  EXPECT_EQ(alone.exit_code, 1);
  EXPECT_NE(alone.err.find("no exchange rate"), std::string::npos) << alone.err;
}

}  // namespace
}  // namespace dealflow::testing
