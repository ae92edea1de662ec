// `dealflow funnel|durations|scorecard` on what CRMs really export (issue 8 §3):
// undeclared reopens are history (same numbers, a notes line), --check-policy,
// several pipelines (repeated --pipeline, a folder, a workspace file), one
// section per pipeline, --only-pipeline, a pipeline without deals.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"

namespace {

using dealflow::testing::run_cli;
using dealflow::testing::slurp;
using dealflow::testing::write_temp;
using nlohmann::json;

const std::string kFixture = "tests/analytics/fixtures/";
const std::string kPipelinesData =
    " --deals " + kFixture + "funnel_deals.csv --history " + kFixture + "funnel_history.csv";

// The fixture pipeline without its declared reopen LOST -> NEW.
std::string undeclared_pipeline() {
  std::string text = slurp(std::string(DEALFLOW_SOURCE_DIR) + "/" + kFixture + "funnel_pipeline.json");
  const std::string declared = ",\n  \"reopens\": [{\"from\": \"LOST\", \"to\": \"NEW\"}]";
  const auto pos = text.find(declared);
  EXPECT_NE(pos, std::string::npos);
  text.erase(pos, declared.size());
  return write_temp("undeclared_sales.json", text);
}

TEST(CliPipelines, UndeclaredReopenGivesTheSameNumbersAndANote) {
  const std::string declared = " --pipeline " + kFixture + "funnel_pipeline.json" + kPipelinesData;
  const std::string undeclared = " --pipeline " + undeclared_pipeline() + kPipelinesData;
  const std::string note =
      "notes: 1 move out of won/lost that the pipeline does not declare as a reopen kept as history "
      "(undeclared_reopen); a reopened deal counts by its stage and outcome as of the report instant "
      "(--check-policy rejects them)\n";
  for (const std::string cmd : {"funnel", "durations", "scorecard --from 2024-02-01 --to 2024-03-01"}) {
    auto a = run_cli(cmd + declared);
    auto b = run_cli(cmd + undeclared);
    ASSERT_EQ(a.exit_code, 0) << a.err;
    ASSERT_EQ(b.exit_code, 0) << b.err;
    EXPECT_EQ(b.out, a.out + note) << cmd;
    EXPECT_EQ(a.out.find("notes:"), std::string::npos);
    auto ca = run_cli(cmd + declared + " --format csv");
    auto cb = run_cli(cmd + undeclared + " --format csv");
    EXPECT_EQ(ca.out, cb.out) << cmd;
    EXPECT_EQ(cb.err, note);
    auto ja = json::parse(run_cli(cmd + declared + " --format json").out);
    auto jb = json::parse(run_cli(cmd + undeclared + " --format json").out);
    ASSERT_TRUE(jb.contains("load_report")) << cmd;
    EXPECT_EQ(jb["load_report"]["notes"]["undeclared_reopen"]["count"], 1);
    EXPECT_EQ(jb["load_report"]["notes"]["undeclared_reopen"]["values"], json::array({"D4"}));
    EXPECT_NE(
        jb["load_report"]["notes"]["undeclared_reopen"]["examples"][0].get<std::string>().find(
            "funnel_history.csv:23:25: column 'stage': deal 'D4' moves out of lost stage 'LOST' to 'NEW'"),
        std::string::npos);
    EXPECT_EQ(jb["load_report"]["reopened_deals"],
              "count by their stage and outcome as of the report instant");
    jb.erase("load_report");
    EXPECT_EQ(ja, jb) << cmd;
  }
  // --check-policy: the reopen row is the error.
  auto strict = run_cli("funnel" + undeclared + " --check-policy");
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find(
                "funnel_history.csv:23:25: column 'stage': deal 'D4' moves out of terminal stage 'LOST' "
                "to 'NEW' at 2024-02-01T10:00:00Z: expected a reopen declared in pipeline 'sales' "
                "(previous row line 19)"),
            std::string::npos)
      << strict.err;
  auto lenient = run_cli("funnel" + undeclared + " --check-policy --lenient --format json");
  EXPECT_EQ(lenient.exit_code, 0);
  EXPECT_EQ(json::parse(lenient.out)["load_report"]["skipped"]["terminal_exit"]["count"], 1);
  EXPECT_EQ(
      run_cli("funnel --pipeline " + kFixture + "funnel_pipeline.json" + kPipelinesData + " --check-policy")
          .exit_code,
      0);
}

// Two pipelines plus one without deals; deal A moves from sales into service.
struct MultiFiles {
  std::string dir = std::string(DEALFLOW_TEST_TMP) + "/pipelines_" + std::to_string(::getpid());
  std::string sales, service, empty, deals, history, workspace;
  MultiFiles() {
    std::filesystem::create_directories(dir + "/configs");
    std::filesystem::create_directories(dir + "/nothing");
    auto write = [&](const std::string& name, const std::string& text) {
      const std::string path = dir + "/" + name;
      std::ofstream(path, std::ios::binary) << text;
      return path;
    };
    sales = write("configs/sales.json",
                  R"({"id":"sales","name":"Продажи","stages":[{"id":"NEW","name":"Новая","kind":"open"},
                  {"id":"OFFER","name":"КП","kind":"open"},{"id":"WON","name":"Успех","kind":"won"},
                  {"id":"LOST","name":"Провал","kind":"lost"}]})");
    service = write("configs/service.json",
                    R"({"id":"service","name":"Сервис","stages":[{"id":"OPEN","name":"Открыта","kind":"open"},
                    {"id":"DONE","name":"Готово","kind":"won"},{"id":"FAIL","name":"Отказ","kind":"lost"}]})");
    empty = write("configs/empty.json",
                  R"({"id":"empty","name":"Пусто","stages":[{"id":"A","name":"А","kind":"open"},
                  {"id":"W","name":"W","kind":"won"},{"id":"L","name":"L","kind":"lost"}]})");
    deals = write("deals.csv",
                  "id,created_at,pipeline,amount,currency,manager\n"
                  "A,2024-01-02,sales,100,RUB,Иванов\n"
                  "B,2024-01-03,sales,200,RUB,Петрова\n"
                  "C,2024-01-04,service,300,RUB,Петрова\n");
    history = write("history.csv",
                    "deal_id,at,stage,pipeline\n"
                    "A,2024-01-02,NEW,sales\n"
                    "A,2024-01-05,OPEN,service\n"
                    "A,2024-01-08,DONE,service\n"
                    "B,2024-01-03,NEW,\n"
                    "B,2024-01-06,OFFER,\n"
                    "C,2024-01-04,OPEN,service\n"
                    "C,2024-01-07,FAIL,service\n");
    workspace = write("workspace.json", R"({"pipelines": ["configs/service.json", "configs/sales.json"]})");
  }
  ~MultiFiles() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::string data() const { return " --deals " + deals + " --history " + history; }
  std::string repeated() const { return " --pipeline " + service + " --pipeline " + sales + data(); }
};

TEST(CliPipelines, RepeatedPipelinesGiveOneSectionPerPipelineInIdOrder) {
  const MultiFiles f;
  auto table = run_cli("funnel" + f.repeated());
  ASSERT_EQ(table.exit_code, 0) << table.err;
  const auto s = table.out.find("== pipeline sales: Продажи ==\n");
  const auto v = table.out.find("\n== pipeline service: Сервис ==\n");
  ASSERT_EQ(s, 0u) << table.out;
  ASSERT_NE(v, std::string::npos) << table.out;
  EXPECT_EQ(table.out.find("notes:"), std::string::npos);

  auto j = json::parse(run_cli("funnel" + f.repeated() + " --format json").out);
  ASSERT_EQ(j["pipelines"].size(), 2u);
  const json& sales = j["pipelines"][0];
  const json& service = j["pipelines"][1];
  EXPECT_EQ(sales["pipeline"], "sales");
  EXPECT_EQ(service["pipeline"], "service");
  // A moved into service on 01-05 and was won there; B is open in sales.
  EXPECT_EQ(sales["deals"], 1);
  EXPECT_EQ(sales["open"], 1);
  EXPECT_EQ(service["deals"], 2);
  EXPECT_EQ(service["won"], 1);
  EXPECT_EQ(service["lost"], 1);
  // As of 01-04 A was still in sales.
  auto then = json::parse(run_cli("funnel" + f.repeated() + " --as-of 2024-01-04 --format json").out);
  EXPECT_EQ(then["pipelines"][0]["deals"], 2);
  EXPECT_EQ(then["pipelines"][1]["deals"], 1);

  auto csv = run_cli("funnel" + f.repeated() + " --format csv");
  ASSERT_EQ(csv.exit_code, 0);
  EXPECT_EQ(csv.out.rfind("pipeline,rule,basis,", 0), 0u) << csv.out;
  EXPECT_NE(csv.out.find("\nsales,high-water,created,"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("\nservice,high-water,created,"), std::string::npos) << csv.out;
  EXPECT_EQ(csv.out.find("\npipeline,"), std::string::npos) << "one header row";

  for (const std::string cmd : {"durations", "scorecard --from 2024-01-01 --to 2024-02-01"}) {
    auto r = run_cli(cmd + f.repeated());
    ASSERT_EQ(r.exit_code, 0) << cmd << ": " << r.err;
    EXPECT_LT(r.out.find("== pipeline sales"), r.out.find("== pipeline service")) << r.out;
    auto rj = json::parse(run_cli(cmd + f.repeated() + " --format json").out);
    EXPECT_EQ(rj["pipelines"].size(), 2u);
    EXPECT_EQ(rj["pipelines"][1]["pipeline"], "service");
  }
  auto card = json::parse(
      run_cli("scorecard --from 2024-01-01 --to 2024-02-01" + f.repeated() + " --format json").out);
  EXPECT_EQ(card["pipelines"][1]["team"]["current"]["won"], 1);  // A, won in service
}

TEST(CliPipelines, FolderAndWorkspaceFileLoadEveryPipeline) {
  const MultiFiles f;
  // The folder holds the pipeline without deals too: its section is empty.
  auto folder =
      json::parse(run_cli("funnel --pipeline " + f.dir + "/configs" + f.data() + " --format json").out);
  ASSERT_EQ(folder["pipelines"].size(), 3u);
  EXPECT_EQ(folder["pipelines"][0]["pipeline"], "empty");
  EXPECT_EQ(folder["pipelines"][0]["deals"], 0);
  EXPECT_EQ(folder["pipelines"][1]["pipeline"], "sales");
  auto ws = run_cli("funnel --pipeline " + f.workspace + f.data());
  auto rep = run_cli("funnel" + f.repeated());
  ASSERT_EQ(ws.exit_code, 0) << ws.err;
  EXPECT_EQ(ws.out, rep.out);
  auto none = run_cli("funnel --pipeline " + f.dir + "/nothing" + f.data());
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("the folder has no *.json file"), std::string::npos) << none.err;
}

TEST(CliPipelines, OnlyPipeline) {
  const MultiFiles f;
  auto one = run_cli("funnel" + f.repeated() + " --only-pipeline service --format json");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const json j = json::parse(one.out);
  EXPECT_FALSE(j.contains("pipelines"));
  EXPECT_EQ(j["deals"], 2);
  auto table = run_cli("funnel" + f.repeated() + " --only-pipeline service");
  EXPECT_EQ(table.out.find("== pipeline"), std::string::npos);
  // A pipeline without deals: an empty report, exit 0.
  auto empty =
      run_cli("funnel --pipeline " + f.dir + "/configs" + f.data() + " --only-pipeline empty --format json");
  EXPECT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_EQ(json::parse(empty.out)["deals"], 0);
  for (const std::string cmd : {"durations", "scorecard --from 2024-01-01 --to 2024-02-01"}) {
    auto r = run_cli(cmd + " --pipeline " + f.dir + "/configs" + f.data() + " --only-pipeline empty");
    EXPECT_EQ(r.exit_code, 0) << cmd << ": " << r.err;
  }
  auto unknown = run_cli("funnel" + f.repeated() + " --only-pipeline nope");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.err,
            "error: --only-pipeline 'nope': no such pipeline was loaded: expected one of sales, service\n");
  EXPECT_EQ(unknown.out, "");
}

TEST(CliPipelines, DealsOfAnUnloadedPipelineAreAnError) {
  const MultiFiles f;
  auto r = run_cli("funnel --pipeline " + f.sales + f.data());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(
      r.err.find("deals.csv:4:14: column 'pipeline': unknown pipeline 'service': expected one of sales"),
      std::string::npos)
      << r.err;
}

}  // namespace
