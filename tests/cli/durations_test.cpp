// `dealflow durations`: exact numbers on a hand-checked history (see
// tests/analytics/durations_stage_test.cpp for the derivation), business time,
// grouping, formats and errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_runner.h"
#include "dealflow/io/table.h"

namespace dealflow::testing {
namespace {

const char* kDurationsPipeline = R"({"id": "small", "name": "Малая воронка",
  "stages": [
    {"id": "A", "name": "Новая", "kind": "open", "probability": 0.1},
    {"id": "B", "name": "Счёт", "kind": "open", "probability": 0.5, "sla": {"limit": "5d", "basis": "calendar"}},
    {"id": "C", "name": "Договор", "kind": "open", "probability": 0.8},
    {"id": "WON", "name": "Успех", "kind": "won"},
    {"id": "LOST", "name": "Провал", "kind": "lost"}],
  "reopens": [{"from": "LOST", "to": "A"}]})";

const char* kDurationsDeals =
    "id,created_at,amount,currency,manager\n"
    "d1,2024-01-01T00:00:00Z,100000,RUB,Иванова Анна\n"
    "d2,2024-01-03T00:00:00Z,50000,RUB,Петров Сергей\n"
    "d3,2024-01-02T00:00:00Z,9000,RUB,Иванова Анна\n"
    "d4,2024-01-01T00:00:00Z,1000,RUB,\n";

const char* kDurationsHistory =
    "deal_id,at,stage\n"
    "d1,2024-01-01T00:00:00Z,A\n"
    "d1,2024-01-02T00:00:00Z,B\n"
    "d1,2024-01-04T00:00:00Z,A\n"
    "d1,2024-01-05T00:00:00Z,B\n"
    "d1,2024-01-11T00:00:00Z,C\n"
    "d1,2024-01-13T00:00:00Z,WON\n"
    "d2,2024-01-03T00:00:00Z,A\n"
    "d2,2024-01-06T00:00:00Z,B\n"
    "d3,2024-01-02T00:00:00Z,A\n"
    "d3,2024-01-03T00:00:00Z,LOST\n"
    "d3,2024-01-07T00:00:00Z,A\n"
    "d3,2024-01-08T00:00:00Z,B\n"
    "d3,2024-01-10T00:00:00Z,LOST\n"
    "d4,2024-01-01T00:00:00Z,A\n"
    "d4,2024-01-02T00:00:00Z,A\n"
    "d4,2024-01-03T00:00:00Z,B\n"
    "d4,2024-01-06T00:00:00Z,A\n";

constexpr std::int64_t kDurationsDay = 86400;

std::string durations_inputs(const std::string& history = kDurationsHistory,
                             const std::string& deals = kDurationsDeals) {
  return "--pipeline '" + write_temp("dur_pipeline.json", kDurationsPipeline) + "' --deals '" +
         write_temp("dur_deals.csv", deals) + "' --history '" + write_temp("dur_history.csv", history) + "'";
}

TEST(CliDurations, JsonHasTheHandComputedNumbers) {
  auto r = run_cli("durations " + durations_inputs() + " --as-of 2024-01-21 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["definition"]["as_of"], "2024-01-21T00:00:00Z");
  EXPECT_EQ(j["definition"]["basis"], "calendar");
  EXPECT_EQ(j["deals"], 4);
  EXPECT_EQ(j["won"], 1);
  EXPECT_EQ(j["lost"], 1);
  EXPECT_EQ(j["open"], 2);
  const auto& a = j["stages"][0];
  EXPECT_EQ(a["id"], "A");
  EXPECT_EQ(a["name"], "Новая");
  EXPECT_EQ(a["visits"], 7);
  EXPECT_EQ(a["first_visit"]["median"], kDurationsDay);
  EXPECT_EQ(a["first_visit"]["p90"], 3 * kDurationsDay);
  EXPECT_EQ(a["latest_visit"]["p75"], 3 * kDurationsDay);
  EXPECT_TRUE(a["latest_visit"]["p90"].is_null());  // not reached
  EXPECT_EQ(a["cumulative"]["median"], 2 * kDurationsDay);
  const auto& b = j["stages"][1];
  EXPECT_EQ(b["latest_visit"]["median"], 3 * kDurationsDay);
  EXPECT_EQ(b["cumulative"]["p75"], 8 * kDurationsDay);
  EXPECT_EQ(j["cycle"]["to_close"]["median"], 12 * kDurationsDay);
  EXPECT_EQ(j["cycle"]["to_close"]["censored"], 2);
  EXPECT_EQ(j["cycle"]["to_won"]["median"], 12 * kDurationsDay);
  EXPECT_EQ(j["cycle"]["to_lost"]["median"], 8 * kDurationsDay);
  EXPECT_DOUBLE_EQ(j["cycle"]["won_incidence"].get<double>(), 0.25);
  EXPECT_FALSE(j["cycle"]["to_close"].contains("naive_mean_closed_biased"));
  // Velocity: 2 open x 1/2 x 100000 / 12 days = 8333.33 RUB per day.
  EXPECT_EQ(j["velocity"]["open_deals"], 2);
  EXPECT_DOUBLE_EQ(j["velocity"]["win_rate"].get<double>(), 0.5);
  EXPECT_EQ(j["velocity"]["median_won_cycle_seconds"], 12 * kDurationsDay);
  EXPECT_EQ(j["velocity"]["per_day"]["amount"], "8333.33");
  EXPECT_EQ(j["velocity"]["per_day"]["currency"], "RUB");
  // Stale: d2 in B for 15 days, over the 5-day SLA.
  ASSERT_EQ(j["stale"]["deals"].size(), 1u);
  EXPECT_EQ(j["stale"]["deals"][0]["deal"], "d2");
  EXPECT_EQ(j["stale"]["deals"][0]["manager"], "Петров Сергей");
  EXPECT_EQ(j["stale"]["deals"][0]["idle"], 15 * kDurationsDay);
  EXPECT_EQ(j["stale"]["deals"][0]["over_sla"], true);
  // Transitions: A -> B five times.
  EXPECT_EQ(j["transitions"]["stages"][1], "B");
  EXPECT_EQ(j["transitions"]["counts"][0][1], 5);
  EXPECT_EQ(j["transitions"]["counts"][1][0], 2);
  for (const char* key : {"time_in_stage", "cycle", "quantiles", "velocity", "stale", "transitions"}) {
    EXPECT_TRUE(j["definition"].contains(key)) << key;
  }
}

TEST(CliDurations, NaiveMeanOnlyWithTheFlagAndLabelledBiased) {
  auto r = run_cli("durations " + durations_inputs() + " --as-of 2024-01-21 --naive-mean --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["cycle"]["to_close"]["naive_mean_closed_biased"], 10 * kDurationsDay);
  auto t = run_cli("durations " + durations_inputs() + " --as-of 2024-01-21 --naive-mean");
  EXPECT_NE(t.out.find("mean (closed only, biased)"), std::string::npos) << t.out;
  auto c = run_cli("durations " + durations_inputs() + " --as-of 2024-01-21 --naive-mean --format csv");
  EXPECT_NE(c.out.find(",naive_mean_closed_biased,"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("\n,cycle,,to_close,4,2,2,0,691200,1036800,,,864000,calendar,seconds\n"), std::string::npos)
      << c.out;
}

TEST(CliDurations, BusinessTimeAcrossAWeekendAndAHoliday) {
  const std::string calendar = write_temp("dur_calendar.json", R"({"name": "Тест", "utc_offset": "Z",
    "weekdays": ["mon", "tue", "wed", "thu", "fri"], "hours": [["09:00", "18:00"]], "holidays": ["2024-03-04"]})");
  const std::string deals = "id,created_at\nx,2024-03-01T16:00:00Z\n";
  const std::string history =
      "deal_id,at,stage\nx,2024-03-01T16:00:00Z,A\nx,2024-03-05T10:00:00Z,B\nx,2024-03-05T15:30:00Z,WON\n";
  auto r = run_cli("durations " + durations_inputs(history, deals) + " --calendar '" + calendar +
                   "' --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["definition"]["basis"], "business");
  EXPECT_EQ(j["definition"]["calendar"], "Тест");
  EXPECT_EQ(j["stages"][0]["first_visit"]["median"], 3 * 3600);  // Fri 16-18 + Tue 9-10
  EXPECT_EQ(j["cycle"]["to_close"]["median"], 8 * 3600 + 1800);  // 8.5 working hours
  EXPECT_EQ(j["velocity"]["median_won_cycle_seconds"], 343800);  // velocity: calendar time
  auto t = run_cli("durations " + durations_inputs(history, deals) + " --calendar '" + calendar + "'");
  EXPECT_NE(t.out.find("working hours"), std::string::npos);
  EXPECT_NE(t.out.find("8.5"), std::string::npos) << t.out;
}

TEST(CliDurations, GroupedByManager) {
  auto r = run_cli("durations " + durations_inputs() + " --as-of 2024-01-21 --by manager --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["groups"].size(), 3u);
  EXPECT_EQ(j["groups"][0]["key"], "Иванова Анна");
  EXPECT_EQ(j["groups"][0]["deals"], 2);
  EXPECT_EQ(j["groups"][0]["cycle"]["to_close"]["median"], 8 * kDurationsDay);
  EXPECT_EQ(j["groups"][1]["key"], "Петров Сергей");
  EXPECT_TRUE(j["groups"][2]["key"].is_null());
  EXPECT_EQ(j["definition"]["group_by"], "manager");
}

TEST(CliDurations, TableAlignsCyrillicAndEndsWithDefinitions) {
  auto r = run_cli("durations " + durations_inputs() + " --as-of 2024-01-21 --by manager");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Time in stage"), std::string::npos);
  EXPECT_NE(r.out.find("not reached"), std::string::npos);
  EXPECT_NE(r.out.find("Иванова Анна"), std::string::npos);
  EXPECT_NE(r.out.find("Sales velocity"), std::string::npos);
  EXPECT_NE(r.out.find("8 333,33 RUB"), std::string::npos) << r.out;
  const auto last = r.out.rfind("\ndefinition: ");
  ASSERT_NE(last, std::string::npos);
  EXPECT_EQ(r.out.back(), '\n');
  // The stage table: every row as wide as the rule under the header.
  const auto start = r.out.find("stage  ");
  const auto rule_start = r.out.find('\n', start) + 1;
  const auto rule_end = r.out.find('\n', rule_start);
  const std::size_t width = rule_end - rule_start;  // '-' are one byte and one cell
  std::size_t pos = rule_end + 1;
  for (int row = 0; row < 3; ++row) {
    const auto end = r.out.find('\n', pos);
    EXPECT_EQ(dealflow::display_width(r.out.substr(pos, end - pos)), width) << r.out.substr(pos, end - pos);
    pos = end + 1;
  }
}

TEST(CliDurations, CsvHasOneRowPerDistribution) {
  auto r = run_cli("durations " + durations_inputs() + " --as-of 2024-01-21 --format csv");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      r.out.substr(0, r.out.find('\n')),
      "group,section,stage,variant,subjects,events,censored,competing,p25,median,p75,p90,naive_mean_closed_biased,"
      "basis,unit");
  EXPECT_NE(r.out.find("\n,stage,A,first_visit,4,4,0,0,86400,86400,172800,259200,,calendar,seconds\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n,cycle,,to_close,4,2,2,0,691200,1036800,,,,calendar,seconds\n"), std::string::npos)
      << r.out;
}

TEST(CliDurations, RunsOnTheShippedSample) {
  auto r = run_cli(
      "durations --pipeline data/pipelines/bitrix24_default.json --deals data/sample/deals.csv "
      "--history data/sample/history.csv --calendar data/calendars/ru-2024.json --by tier");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Подготовка документов"), std::string::npos);
  EXPECT_NE(r.out.find("Enterprise"), std::string::npos);
}

// --curves: the cycle observations as of 2024-01-21 are d3 lost at 8 days, d1 won
// at 12 days, d2 open (censored at 18 days) and d4 open (censored at 20 days).
// KM: S(8) = 3/4, S(12) = 3/4 * 2/3 = 1/2; AJ: CIF_lost(8) = 1/4, CIF_won(12) =
// S(8) * 1/3 = 1/4.
TEST(CliDurations, CurvesInJson) {
  auto r = run_cli("durations " + durations_inputs() + " --as-of 2024-01-21 --curves --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("cycle")) << "the existing members stay";
  const auto& c = j.at("curves");
  EXPECT_EQ(c["unit"], "seconds");
  const auto& km = c["time_to_close"];
  ASSERT_EQ(km.size(), 2u) << c.dump();
  EXPECT_EQ(km[0]["t"], 8 * kDurationsDay);
  EXPECT_DOUBLE_EQ(km[0]["survival"].get<double>(), 0.75);
  EXPECT_EQ(km[0]["at_risk"], 4);
  EXPECT_EQ(km[0]["events"], 1);
  EXPECT_EQ(km[0]["censored"], 0);
  EXPECT_EQ(km[1]["t"], 12 * kDurationsDay);
  EXPECT_DOUBLE_EQ(km[1]["survival"].get<double>(), 0.5);
  EXPECT_EQ(km[1]["at_risk"], 3);
  EXPECT_EQ(c["censor_times"], (nlohmann::json{18 * kDurationsDay, 20 * kDurationsDay}));
  const auto& aj = c["incidence"];
  ASSERT_EQ(aj.size(), 2u);
  EXPECT_DOUBLE_EQ(aj[0]["lost"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(aj[0]["won"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(aj[1]["won"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(aj[1]["lost"].get<double>(), 0.25);
  EXPECT_EQ(c["downsampling"]["stride"], 1);
  auto plain = run_cli("durations " + durations_inputs() + " --as-of 2024-01-21 --format json");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_FALSE(nlohmann::json::parse(plain.out).contains("curves"));
}

TEST(CliDurations, CurvesNeedJson) {
  for (const char* format : {"", " --format table", " --format csv"}) {
    auto r = run_cli("durations " + durations_inputs() + " --curves" + format);
    EXPECT_EQ(r.exit_code, 2) << format;
    EXPECT_NE(r.err.find("--curves needs --format json"), std::string::npos) << r.err;
  }
}

TEST(CliDurations, UsageErrorsExitTwo) {
  const std::string in = durations_inputs();
  for (const std::string& args :
       {std::string("durations --pipeline x.json --deals d.csv"), "durations " + in + " --format xml",
        "durations " + in + " --by colour", "durations " + in + " --as-of yesterday",
        "durations " + in + " --stale-rows many", "durations " + in + " --bogus 1"}) {
    auto r = run_cli(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find("error:"), std::string::npos) << args;
  }
}

TEST(CliDurations, DataErrorsExitOneWithTheLocation) {
  auto bad_time = run_cli("durations " +
                          durations_inputs(std::string(kDurationsHistory) + "d1,2024-13-01T00:00:00Z,C\n"));
  EXPECT_EQ(bad_time.exit_code, 1);
  EXPECT_NE(bad_time.err.find("dur_history.csv:19:"), std::string::npos) << bad_time.err;
  auto unknown_stage = run_cli(
      "durations " + durations_inputs(std::string(kDurationsHistory) + "d2,2024-01-20T00:00:00Z,PAYED\n"));
  EXPECT_EQ(unknown_stage.exit_code, 1);
  EXPECT_NE(unknown_stage.err.find("PAYED"), std::string::npos) << unknown_stage.err;
  auto no_calendar = run_cli("durations " + durations_inputs() + " --calendar /nonexistent/calendar.json");
  EXPECT_EQ(no_calendar.exit_code, 1);
  EXPECT_NE(no_calendar.err.find("/nonexistent/calendar.json"), std::string::npos) << no_calendar.err;
}

}  // namespace
}  // namespace dealflow::testing
