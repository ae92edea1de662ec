// `dealflow plan-reverse` (the lead wires `dealflow plan reverse` to the same
// function) on the hand-computed fixture of tests/planning/reverse_funnel_test.cpp:
// the headline, the three formats with their definitions, scopes, "cannot",
// and every usage and data error with its exit code.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"

namespace {

using dealflow::testing::run_cli;
using dealflow::testing::write_temp;
using nlohmann::json;

const std::string kReverseDir = "tests/cli/fixtures/plan_reverse/";
const std::string kReversePipeline = " --pipeline " + kReverseDir + "pipeline.json";
const std::string kReverseInputs =
    kReversePipeline + " --deals " + kReverseDir + "deals.csv --history " + kReverseDir + "history.csv";
const std::string kQuery = " --period 2024-03 --reference 2024-01 --as-of 2024-02-20";

TEST(CliPlanReverse, TableHeadlineAndDefinition) {
  auto r = run_cli("plan reverse" + kReverseInputs + kQuery + " --target '1000 RUB'");  // the documented form
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')),
            "to win 1 000 RUB in 2024-03: 5 won deals; 8 at C by 2024-03-25; 10 at B by 2024-03-25; "
            "15 new deals by 2024-03-23");
  EXPECT_NE(r.out.find("average won amount 200 RUB over 3 deals won in it"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2/6 = 0.333 [0.097, 0.700]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("8 .. 52"), std::string::npos) << r.out;
  EXPECT_NE(
      r.out.find("definition: reverse funnel of pipeline small: target 1 000 RUB in 2024-03 (2024-03-01 .. "
                 "2024-03-31 local dates at UTC offset Z)"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("definition: by-date = local date of (period end - t_k), t_k = quantile 0.5"),
            std::string::npos);
  EXPECT_TRUE(r.err.empty()) << r.err;
}

TEST(CliPlanReverse, CsvIsDataWithDefiningColumns) {
  // The default reference of 2024-02 is 2024-01; by-dates move to the end of February:
  // 2024-03-01T00:00Z - 8 days - 1 s = 2024-02-21T23:59:59Z.
  auto r = run_cli("plan-reverse" + kReverseInputs +
                   " --period 2024-02 --as-of 2024-02-20 --target-deals 5 --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      r.out,
      "method,as_of,period,reference,target,quantile,utc_offset,scope,stage,reached,won,conversion,"
      "conversion_low,conversion_high,won_needed,average_won,needed,needed_low,needed_high,"
      "time_to_won_seconds,timing_won,timing_deals,by_date,cannot\n"
      "reverse-funnel,2024-02-20T00:00:00Z,2024-02,2024-01,5 deals,0.5,Z,company,A,6,2,0.333333,0.0967714,"
      "0.700007,5,,15,8,52,691200,2,6,2024-02-21,\n"
      "reverse-funnel,2024-02-20T00:00:00Z,2024-02,2024-01,5 deals,0.5,Z,company,B,4,2,0.5,0.150039,"
      "0.849961,5,,10,6,34,518400,2,4,2024-02-23,\n"
      "reverse-funnel,2024-02-20T00:00:00Z,2024-02,2024-01,5 deals,0.5,Z,company,C,3,2,0.666667,0.20766,"
      "0.938508,5,,8,6,25,518400,1,2,2024-02-23,\n");
}

TEST(CliPlanReverse, JsonByManagerWithCannot) {
  auto r =
      run_cli("plan-reverse" + kReverseInputs + kQuery + " --target '1000 RUB' --by manager --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["definition"]["method"], "reverse-funnel");
  EXPECT_EQ(j["definition"]["reference"], "2024-01");
  EXPECT_EQ(j["definition"]["target"], "1000.00");
  EXPECT_EQ(j["definition"]["currency"], "RUB");
  EXPECT_EQ(j["definition"]["by"], "manager");
  ASSERT_EQ(j["scopes"].size(), 2u);
  EXPECT_EQ(j["scopes"][0]["scope"], "Иванов");
  EXPECT_EQ(j["scopes"][0]["won_needed"], 5);
  EXPECT_EQ(j["scopes"][0]["average_won"], "200.00");
  EXPECT_EQ(j["scopes"][0]["stages"][0]["needed"], 8);
  EXPECT_EQ(j["scopes"][0]["stages"][2]["needed"], 5);
  EXPECT_EQ(j["scopes"][1]["scope"], "Петров");
  EXPECT_TRUE(j["scopes"][1]["won_needed"].is_null());
  EXPECT_EQ(j["scopes"][1]["cannot"],
            "no deal won in the reference period 2024-01 with an amount in RUB: no average won amount");
}

TEST(CliPlanReverse, EveryScopeCannotIsADataError) {
  auto r =
      run_cli("plan-reverse" + kReverseInputs + " --period 2024-03 --reference 2024-02 --target-deals 3");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(
      r.err,
      "error: reverse funnel of pipeline small: cannot: no deal created in the reference period 2024-02 is "
      "won: no conversion\n");
  EXPECT_TRUE(r.out.empty());
}

TEST(CliPlanReverse, UsageErrors) {
  const auto err = [](const std::string& extra) {
    auto r = run_cli("plan-reverse" + kReverseInputs + extra);
    EXPECT_EQ(r.exit_code, 2) << extra << "\n" << r.out;
    return r.err;
  };
  EXPECT_EQ(err(" --target '1000 RUB'"), "error: missing required option --period (see --help)\n");
  EXPECT_EQ(err(" --period 2024-03"), "error: give exactly one of --target AMOUNT and --target-deals N\n");
  EXPECT_EQ(err(" --period 2024-03 --target 5 --target-deals 5"),
            "error: give exactly one of --target AMOUNT and --target-deals N\n");
  EXPECT_NE(err(" --period 2024-03 --target 1000")
                .find("error: --target '1000': expected an amount with its "
                      "currency, e.g. \"10000000 RUB\""),
            std::string::npos);
  EXPECT_EQ(err(" --period 2024-03 --target '-5 RUB'"),
            "error: --target '-5 RUB': expected a positive amount\n");
  EXPECT_EQ(err(" --period 2024-03 --target-deals 0"),
            "error: --target-deals '0': expected a positive integer\n");
  EXPECT_EQ(err(" --period 2024-03 --target-deals 2 --quantile 1.5"),
            "error: --quantile '1.5': expected a number in (0, 1), e.g. 0.5\n");
  EXPECT_NE(err(" --period 2024-Q5 --target-deals 2").find("error: --period: "), std::string::npos);
  EXPECT_NE(err(" --period 2024-03 --reference x --target-deals 2").find("error: --reference: "),
            std::string::npos);
  EXPECT_EQ(err(" --period 2024-03 --target-deals 2 --fiscal-start-month 13"),
            "error: --fiscal-start-month '13': expected an integer 1..12\n");
  EXPECT_NE(err(" --period 2024-03 --target-deals 2 --by planet").find("error: --by: "), std::string::npos);
  EXPECT_NE(err(" --period 2024-03 --target-deals 2 --format xml").find("--format 'xml'"), std::string::npos);
  EXPECT_NE(err(" --period 2024-03 --target-deals 2 --as-of yesterday").find("error: --as-of: "),
            std::string::npos);
  EXPECT_NE(err(" --period 2024-03 --target-deals 2 --bogus 1").find("bogus"), std::string::npos);
  EXPECT_EQ(err(" --period 2024-03 --target-deals 2 extra"),
            "error: unexpected argument 'extra' (see --help)\n");
}

TEST(CliPlanReverse, BadDataNamesFileLineAndColumn) {
  const std::string deals = write_temp("plan_reverse_bad_deals.csv",
                                       "id,created_at,amount,currency,manager\n"
                                       "d1,2024-01-01T00:00:00Z,1O0.00,RUB,Иванов\n");
  auto r = run_cli("plan-reverse" + kReversePipeline + " --deals " + deals + " --history " + kReverseDir +
                   "history.csv --period 2024-03 --target-deals 2");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(deals + ":2:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1O0.00"), std::string::npos) << r.err;
}

TEST(CliPlanReverse, Help) {
  auto r = run_cli("plan-reverse --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("usage: dealflow plan reverse", 0), 0u);
}

}  // namespace
