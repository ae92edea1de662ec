// `dealflow staff`: the DOMAIN.md reference case, required managers, pooling, usage errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"

namespace {

using dealflow::testing::run_cli;

const std::string kQueue = "staff --arrivals-per-hour 200 --handle-seconds 180 --answer-within-seconds 20 ";

TEST(CliStaff, AcceptanceReferenceCaseAsJson) {
  auto r = run_cli(kQueue + "--managers 14 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["wait_probability"].get<double>(), 0.1741, 0.00005);
  EXPECT_NEAR(j["service_level"].get<double>(), 0.8884, 0.00005);
  EXPECT_NEAR(j["average_speed_of_answer_seconds"].get<double>(), 7.84, 0.005);
  EXPECT_NEAR(j["occupancy"].get<double>(), 0.714, 0.0005);
  EXPECT_DOUBLE_EQ(j["offered_load"].get<double>(), 10.0);
  EXPECT_EQ(j["managers"], 14);
  EXPECT_EQ(j["mode"], "given");
  EXPECT_TRUE(j["stable"].get<bool>());
  EXPECT_TRUE(j["definition"].contains("service_level"));
}

TEST(CliStaff, RequiredManagersWithOccupancyAndShrinkage) {
  auto r = run_cli(kQueue + "--target-service-level 0.8 --max-occupancy 0.7 --shrinkage 0.3 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["mode"], "required");
  EXPECT_EQ(j["managers"], 15);  // occupancy 10/15 <= 0.7 needs 15 (SL alone: 14)
  EXPECT_EQ(j["bound"], "occupancy");
  EXPECT_EQ(j["scheduled_managers"], 22);  // ceil(15 / 0.7) = 22
}

TEST(CliStaff, PooledVersusSplit) {
  auto r = run_cli(kQueue + "--target-service-level 0.8 --split-arrivals-per-hour 'Москва=120,Сибирь=50,Урал=30' "
                            "--format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["pooling"]["pooled_managers"], 14);
  EXPECT_EQ(j["pooling"]["split_managers"], 18);  // 9 + 5 + 4
  EXPECT_EQ(j["pooling"]["extra_managers"], 4);
  EXPECT_EQ(j["pooling"]["split"][1]["name"], "Сибирь");
  EXPECT_EQ(j["pooling"]["split"][1]["managers"], 5);
}

TEST(CliStaff, TextShowsTheFiguresAndTheDefinitions) {
  auto r = run_cli(kQueue + "--managers 14");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto line_with = [&](const std::string& label) {
    const auto at = r.out.find(label);
    return at == std::string::npos ? std::string() : r.out.substr(at, r.out.find('\n', at) - at);
  };
  EXPECT_NE(line_with("wait probability").find("0.17413"), std::string::npos) << r.out;
  EXPECT_NE(line_with("service level within 20 s").find("0.88835"), std::string::npos) << r.out;
  EXPECT_NE(line_with("average speed of answer").find("7.84"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("M/M/c (Erlang C)"), std::string::npos);
}

TEST(CliStaff, UnstableQueueIsReportedNotAnError) {
  auto r = run_cli(kQueue + "--managers 10 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j["stable"].get<bool>());
  EXPECT_TRUE(j["average_speed_of_answer_seconds"].is_null());
  EXPECT_EQ(j["wait_probability"], 1.0);
}

TEST(CliStaff, UsageErrors) {
  EXPECT_EQ(run_cli(kQueue).exit_code, 2);  // neither --managers nor a target
  EXPECT_EQ(run_cli(kQueue + "--managers 14 --target-service-level 0.8").exit_code, 2);
  auto bad = run_cli(kQueue + "--managers fourteen");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--managers"), std::string::npos) << bad.err;
  EXPECT_EQ(run_cli(kQueue + "--target-service-level 1.2").exit_code, 2);
  EXPECT_EQ(run_cli(kQueue + "--managers 14 --max-occupancy 0.8").exit_code, 2);
  EXPECT_EQ(run_cli(kQueue + "--managers 14 --shrinkage 1").exit_code, 2);
  EXPECT_EQ(run_cli("staff --handle-seconds 180 --answer-within-seconds 20 --managers 3").exit_code, 2);
  EXPECT_EQ(run_cli(kQueue + "--target-service-level 0.8 --split-arrivals-per-hour 'A=100,B=50'").exit_code, 2);
  EXPECT_EQ(run_cli(kQueue + "--managers 14 --format xml").exit_code, 2);
}

}  // namespace
