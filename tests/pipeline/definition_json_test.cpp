// The JSON format: schema errors with their JSON paths, syntax errors with line
// and column, I/O errors, and workspaces with hand-offs.
#include <fstream>

#include <gtest/gtest.h>

#include "definition_test_util.h"

namespace dealflow {
namespace {

using testing::check_text;
using testing::kThreeStages;
using testing::pipeline_json;

const std::string kFixtures = std::string(DEALFLOW_SOURCE_DIR) + "/tests/pipeline/fixtures/";

TEST(PipelineJson, UnknownKeysAreRejectedWithTheirPath) {
  auto c = check_text(R"({"id": "p", "colour": "red", "stages": [
      {"id": "NEW", "kind": "open", "probability": 0.1, "probabilty": 0.2,
       "sla": {"limit": "1h", "bassis": "calendar"},
       "guards": [{"type": "amount_positive", "min": 1}],
       "on_enter": [{"action": "set_probability", "probability": 0.2, "when": "now"}]},
      {"id": "WON", "kind": "won"}, {"id": "LOSE", "kind": "lost"}],
    "transitions": [{"from": "NEW", "to": "WON", "label": "win"}],
    "handoffs": [{"from": "WON", "pipeline": "x", "stage": "y", "tunnel": true}]})");
  EXPECT_ERROR(c, unknown_key, "/colour", "colour");
  EXPECT_ERROR(c, unknown_key, "/stages/0/probabilty", "probabilty");
  EXPECT_ERROR(c, unknown_key, "/stages/0/sla/bassis", "bassis");
  EXPECT_ERROR(c, unknown_key, "/stages/0/guards/0/min", "min");
  EXPECT_ERROR(c, unknown_key, "/stages/0/on_enter/0/when", "when");
  EXPECT_ERROR(c, unknown_key, "/transitions/0/label", "label");
  EXPECT_ERROR(c, unknown_key, "/handoffs/0/tunnel", "tunnel");
  EXPECT_EQ(c.report.errors.size(), 7u) << testing::dump(c.report);
  EXPECT_NE(c.report.errors[0].message.find("expected one of: id, name"), std::string::npos);
  EXPECT_FALSE(c.pipeline.has_value());
}

TEST(PipelineJson, KeysWithSlashAndTildeAreEscapedInThePath) {
  auto c = check_text(pipeline_json(kThreeStages, R"("a/b~c": 1)"));
  EXPECT_ERROR(c, unknown_key, "/a~1b~0c", "a/b~c");
}

TEST(PipelineJson, WrongTypes) {
  auto c = check_text(R"({"id": 7, "name": ["x"], "policy": true, "stages": [
      {"id": "NEW", "kind": "open", "probability": "10%", "required_fields": "client"},
      "WON", {"id": "LOSE", "kind": "lost", "sla": "1h", "guards": {}}], "entries": [1]})");
  EXPECT_ERROR(c, wrong_type, "/id", "");
  EXPECT_ERROR(c, wrong_type, "/name", "");
  EXPECT_ERROR(c, wrong_type, "/policy", "");
  EXPECT_ERROR(c, wrong_type, "/stages/0/probability", "");
  EXPECT_ERROR(c, wrong_type, "/stages/0/required_fields", "");
  EXPECT_ERROR(c, wrong_type, "/stages/1", "");
  EXPECT_ERROR(c, wrong_type, "/stages/2/sla", "");
  EXPECT_ERROR(c, wrong_type, "/stages/2/guards", "");
  EXPECT_ERROR(c, wrong_type, "/entries/0", "");
  auto not_object = check_text("[1, 2]");
  EXPECT_ERROR(not_object, wrong_type, "/", "");
  auto stages_not_array = check_text(R"({"id": "p", "stages": {}})");
  EXPECT_ERROR(stages_not_array, wrong_type, "/stages", "");
}

TEST(PipelineJson, MissingKeys) {
  auto c = check_text(R"({"name": "без id", "stages": [
      {"name": "no id", "kind": "open"}, {"id": "NEW", "probability": 0.1},
      {"id": "WON", "kind": "won", "guards": [{"fields": ["a"]}, {"type": "required_fields"}]},
      {"id": "LOSE", "kind": "lost", "on_enter": [{"probability": 1}, {"action": "set_field", "field": "x"}]}],
    "transitions": [{"from": "NEW"}], "handoffs": [{"from": "WON"}]})");
  EXPECT_ERROR(c, missing_key, "/id", "");
  EXPECT_ERROR(c, missing_key, "/stages/0/id", "");
  EXPECT_ERROR(c, missing_key, "/stages/1/kind", "");
  EXPECT_ERROR(c, missing_key, "/stages/2/guards/0/type", "");
  EXPECT_ERROR(c, missing_key, "/stages/2/guards/1/fields", "");
  EXPECT_ERROR(c, missing_key, "/stages/3/on_enter/0/action", "");
  EXPECT_ERROR(c, missing_key, "/stages/3/on_enter/1/value", "");
  EXPECT_ERROR(c, missing_key, "/transitions/0/to", "");
  EXPECT_ERROR(c, missing_key, "/handoffs/0/pipeline", "");
  EXPECT_ERROR(c, missing_key, "/handoffs/0/stage", "");
  auto no_stages = check_text(R"({"id": "p"})");
  EXPECT_ERROR(no_stages, missing_key, "/stages", "");
}

TEST(PipelineJson, BadEnumeratedValues) {
  auto c = check_text(pipeline_json(
      R"({"id": "NEW", "kind": "done", "probability": 0.1, "sla": {"limit": "1h", "basis": "working"},
          "guards": [{"type": "amount_above"}],
          "on_enter": [{"action": "notify"}]},
         {"id": "WON", "kind": "won"}, {"id": "LOSE", "kind": "lost"})",
      R"("policy": "strict", "handoffs": [{"from": "WON", "pipeline": "s", "stage": "A", "mode": "copy"}])"));
  EXPECT_ERROR(c, bad_value, "/stages/0/kind", "NEW");
  EXPECT_ERROR(c, bad_value, "/stages/0/sla/basis", "working");
  EXPECT_ERROR(c, bad_value, "/stages/0/guards/0/type", "amount_above");
  EXPECT_ERROR(c, bad_value, "/stages/0/on_enter/0/action", "notify");
  EXPECT_ERROR(c, bad_value, "/policy", "strict");
  EXPECT_ERROR(c, bad_value, "/handoffs/0/mode", "copy");
  const Diagnostic* kind =
      testing::find_diag(c.report.errors, DiagnosticKind::bad_value, "/stages/0/kind", "NEW");
  ASSERT_NE(kind, nullptr);
  EXPECT_NE(kind->message.find("expected one of open, won, lost"), std::string::npos);
}

TEST(PipelineJson, SyntaxErrorNamesFileLineAndColumn) {
  auto c = check_pipeline_file(kFixtures + "syntax_error.json");
  ASSERT_TRUE(c.syntax.has_value());
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.syntax->code(), ErrorCode::parse_error);
  EXPECT_EQ(c.syntax->location().line, 7);
  EXPECT_EQ(c.syntax->location().column, 5);
  EXPECT_NE(c.syntax->location().file.find("syntax_error.json"), std::string::npos);
  auto loaded = load_pipeline_file(kFixtures + "syntax_error.json");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().location().line, 7);
  auto text = parse_pipeline_text("{\"id\": \"p\",\n  \"stages\": [}", "inline.json");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().location().to_string(), "inline.json:2:14");
}

TEST(PipelineJson, UnreadableFileIsAnIoError) {
  auto loaded = load_pipeline_file(kFixtures + "does_not_exist.json");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), ErrorCode::io_error);
  EXPECT_NE(loaded.status().location().file.find("does_not_exist.json"), std::string::npos);
}

TEST(PipelineJson, FixturesFailWithTheExpectedError) {
  struct Case {
    const char* file;
    DiagnosticKind kind;
    const char* path;
    const char* id;
  };
  for (const Case& k :
       {Case{"unreachable_stage.json", DiagnosticKind::unreachable_stage, "/stages/2", "ORPHAN"},
        Case{"transition_out_of_won.json", DiagnosticKind::transition_from_terminal, "/transitions/2/from",
             "WON"},
        Case{"unknown_stage.json", DiagnosticKind::unknown_stage, "/transitions/2/to", "INVOICE"}}) {
    auto c = check_pipeline_file(kFixtures + k.file);
    ASSERT_EQ(c.report.errors.size(), 1u) << k.file << "\n" << testing::dump(c.report);
    EXPECT_EQ(c.report.errors[0].kind, k.kind) << k.file;
    EXPECT_EQ(c.report.errors[0].json_path, k.path) << k.file;
    EXPECT_EQ(c.report.errors[0].offending_id, k.id) << k.file;
    auto loaded = load_pipeline_file(kFixtures + k.file);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().code(), ErrorCode::validation_failed);
    EXPECT_EQ(loaded.status().location().json_path, k.path);
  }
}

TEST(PipelineJson, DescriptionsAndNullNamesAreAccepted) {
  auto c = check_text(R"({"id": "p", "description": "Воронка", "stages": [
      {"id": "NEW", "kind": "open", "probability": 0.1, "description": "первый контакт"},
      {"id": "WON", "kind": "won"}, {"id": "LOSE", "kind": "lost"}]})");
  EXPECT_TRUE(c.ok()) << testing::dump(c.report);
}

std::string write(const std::string& name, const std::string& text) {
  const std::string path = std::string(DEALFLOW_TEST_TMP) + "/pipedef_" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

const std::string kSales = R"({"id": "sales", "stages": [
    {"id": "NEW", "kind": "open", "probability": 0.1},
    {"id": "WON", "kind": "won"}, {"id": "LOSE", "kind": "lost"}],
  "reopens": [{"from": "LOSE", "to": "NEW"}],
  "handoffs": [{"id": "onboard", "from": "WON", "pipeline": "service", "stage": "START"},
               {"id": "rescue", "from": "LOSE", "pipeline": "service", "stage": "START", "mode": "move"}]})";
const std::string kService = R"({"id": "service", "name": "Сервис", "stages": [
    {"id": "START", "kind": "open", "probability": 0.5, "required_fields": ["Договор"]},
    {"id": "DONE", "kind": "won"}, {"id": "DROP", "kind": "lost"}]})";

TEST(PipelineWorkspace, LoadsSeveralPipelinesAndResolvesHandoffs) {
  auto ws = load_workspace({write("sales.json", kSales), write("service.json", kService)});
  ASSERT_TRUE(ws.ok()) << ws.status().to_string();
  const Workspace& w = ws->workspace;
  ASSERT_EQ(w.pipeline_count(), 2u);
  EXPECT_EQ(w.find_pipeline("sales"), PipelineId(0));
  EXPECT_EQ(w.find_pipeline("service"), PipelineId(1));
  EXPECT_EQ(w.find_pipeline("nope"), std::nullopt);
  const Pipeline& sales = w.pipeline(PipelineId(0));
  EXPECT_EQ(sales.index(), PipelineId(0));
  EXPECT_EQ(w.pipeline(PipelineId(1)).index(), PipelineId(1));
  ASSERT_EQ(sales.handoffs().size(), 2u);
  const Handoff& h = sales.handoffs()[0];
  EXPECT_EQ(h.id, "onboard");
  EXPECT_EQ(h.trigger, StageId(1));
  EXPECT_EQ(h.target_pipeline, PipelineId(1));
  EXPECT_EQ(h.target_stage, StageId(0));
  EXPECT_EQ(h.mode, HandoffMode::create_linked);
  EXPECT_EQ(sales.handoffs()[1].mode, HandoffMode::move);
  auto on_won = sales.handoffs_on_enter(StageId(1));
  ASSERT_EQ(on_won.size(), 1u);
  EXPECT_EQ(on_won[0], 0u);
  EXPECT_EQ(sales.handoffs_on_enter(StageId(2)).size(), 1u);
  EXPECT_TRUE(sales.handoffs_on_enter(StageId(0)).empty());
  // One vocabulary for the whole workspace.
  ASSERT_NE(w.vocabulary(), nullptr);
  EXPECT_EQ(w.vocabulary(), &w.pipeline(PipelineId(1)).vocabulary());
  EXPECT_TRUE(w.vocabulary()->find_field("Договор").has_value());
}

TEST(PipelineWorkspace, StandAlonePipelineKeepsHandoffTargetsUnresolved) {
  auto p = parse_pipeline_text(kSales);
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ(p->pipeline.handoffs()[0].target_pipeline_id, "service");
  EXPECT_FALSE(p->pipeline.handoffs()[0].target_pipeline.valid());
  EXPECT_FALSE(p->pipeline.handoffs()[0].target_stage.valid());
}

TEST(PipelineWorkspace, HandoffErrorsAreAllReported) {
  const std::string bad = R"({"id": "sales", "stages": [
      {"id": "NEW", "kind": "open", "probability": 0.1}, {"id": "WON", "kind": "won"}, {"id": "LOSE", "kind": "lost"}],
    "handoffs": [{"id": "a", "from": "WON", "pipeline": "nowhere", "stage": "START"},
                 {"id": "b", "from": "WON", "pipeline": "service", "stage": "MISSING"},
                 {"id": "c", "from": "WON", "pipeline": "service", "stage": "DONE"},
                 {"id": "d", "from": "NEW", "pipeline": "sales", "stage": "NEW", "mode": "move"}]})";
  auto ws = load_workspace({write("bad_sales.json", bad), write("service2.json", kService)});
  ASSERT_FALSE(ws.ok());
  const std::string m = ws.status().to_string();
  EXPECT_EQ(ws.status().code(), ErrorCode::validation_failed);
  EXPECT_EQ(ws.status().location().json_path, "/handoffs/0/pipeline");
  EXPECT_NE(m.find("4 errors"), std::string::npos) << m;
  EXPECT_NE(m.find("unknown pipeline 'nowhere'"), std::string::npos) << m;
  EXPECT_NE(m.find("unknown stage 'MISSING'"), std::string::npos) << m;
  EXPECT_NE(m.find("won stage 'DONE'"), std::string::npos) << m;
  EXPECT_NE(m.find("into its own pipeline"), std::string::npos) << m;
  EXPECT_NE(m.find("bad_sales.json"), std::string::npos) << m;
}

// Each pipeline is within the 64 roles, but the workspace's shared vocabulary
// is not: the engine could not hold the second pipeline's last 16 roles.
TEST(PipelineWorkspace, AtMostSixtyFourRolesAcrossTheWorkspace) {
  auto roles_pipeline = [](const std::string& id, int first) {
    std::string roles;
    for (int i = first; i < first + 40; ++i)
      roles += (roles.empty() ? "\"r" : ", \"r") + std::to_string(i) + "\"";
    return R"({"id": ")" + id + R"(", "roles": [)" + roles + R"(], "stages": [
        {"id": "NEW", "kind": "open", "probability": 0.1},
        {"id": "WON", "kind": "won", "guards": [{"type": "actor_role", "roles": [)" +
           roles + R"(]}]},
        {"id": "LOSE", "kind": "lost"}]})";
  };
  auto ws = load_workspace(
      {write("roles_a.json", roles_pipeline("a", 0)), write("roles_b.json", roles_pipeline("b", 40))});
  ASSERT_FALSE(ws.ok());
  EXPECT_EQ(ws.status().code(), ErrorCode::validation_failed);
  EXPECT_EQ(ws.status().location().json_path, "/roles");
  EXPECT_NE(ws.status().location().file.find("roles_b.json"), std::string::npos) << ws.status().to_string();
  EXPECT_EQ(
      ws.status().message(),
      "pipeline 'b' uses role 'r64', role number 65 of the workspace's shared vocabulary; the deal engine "
      "supports at most 64 roles in one workspace");
  // Sharing roles keeps the vocabulary small: 40 + 24 new = 64 is fine.
  auto ok = load_workspace(
      {write("roles_c.json", roles_pipeline("c", 0)), write("roles_d.json", roles_pipeline("d", 24))});
  EXPECT_TRUE(ok.ok()) << ok.status().to_string();
}

TEST(PipelineWorkspace, DuplicatePipelineIdsAndSeparateVocabularies) {
  auto a = parse_pipeline_text(kService, "a.json");
  auto b = parse_pipeline_text(kService, "b.json");
  ASSERT_TRUE(a.ok() && b.ok());
  auto ws = Workspace::create({a->pipeline, b->pipeline});
  ASSERT_FALSE(ws.ok());
  EXPECT_NE(ws.status().message().find("different Vocabulary"), std::string::npos) << ws.status().to_string();
  EXPECT_NE(ws.status().message().find("duplicate pipeline id 'service'"), std::string::npos)
      << ws.status().to_string();

  auto both = load_workspace({write("s1.json", kService), write("s2.json", kService)});
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.status().message().find("duplicate pipeline id 'service'"), std::string::npos);
  EXPECT_EQ(both.status().location().json_path, "/id");
}

TEST(PipelineWorkspace, AFailingFileFailsTheWorkspaceNamingEveryFile) {
  auto ws = load_workspace({kFixtures + "unknown_stage.json", kFixtures + "syntax_error.json",
                            std::string(DEALFLOW_SOURCE_DIR) + "/data/pipelines/hubspot.json"});
  ASSERT_FALSE(ws.ok());
  EXPECT_NE(ws.status().to_string().find("unknown_stage.json"), std::string::npos);
  EXPECT_NE(ws.status().to_string().find("syntax_error.json:7:5"), std::string::npos)
      << ws.status().to_string();
  EXPECT_NE(ws.status().message().find("2 files failed"), std::string::npos);
}

TEST(PipelineWorkspace, ShippedB2bAndOnboardingLoadTogether) {
  const std::string dir = std::string(DEALFLOW_SOURCE_DIR) + "/data/pipelines/";
  auto ws = load_workspace({dir + "b2b_sales.json", dir + "onboarding.json"});
  ASSERT_TRUE(ws.ok()) << ws.status().to_string();
  // Their SLAs are in business time and they name no calendar (the engine's
  // default, Mon–Fri 09:00–18:00 UTC): one warning each, nothing else.
  ASSERT_EQ(ws->warnings.size(), 2u);
  for (const Diagnostic& w : ws->warnings) EXPECT_EQ(w.kind, DiagnosticKind::business_time_without_calendar);
  const Pipeline& b2b = ws->workspace.pipeline(PipelineId(0));
  EXPECT_EQ(b2b.handoffs()[0].target_pipeline, PipelineId(1));
  EXPECT_EQ(b2b.handoffs()[0].target_stage, StageId(0));
  const StageId contract = *b2b.find_stage("CONTRACT"), won = *b2b.find_stage("WON");
  ASSERT_EQ(b2b.guards(contract, won).size(), 1u);
  EXPECT_EQ(b2b.guards(contract, won)[0].kind, GuardKind::predicate);
}

}  // namespace
}  // namespace dealflow

namespace dealflow {
namespace {

TEST(PipelineJson, ForecastCategoriesExplicitOrFromKindAndProbability) {
  auto c = testing::check_text(testing::pipeline_json(
      R"({"id": "NEW", "kind": "open", "probability": 0.1},
         {"id": "TALK", "kind": "open", "probability": 0.6},
         {"id": "SIGN", "kind": "open", "probability": 0.9},
         {"id": "HOPE", "kind": "open", "probability": 0.3, "forecast_category": "Best Case"},
         {"id": "WON", "kind": "won"}, {"id": "LOSE", "kind": "lost"})"));
  ASSERT_TRUE(c.pipeline.has_value()) << testing::dump(c.report);
  const Pipeline& p = *c.pipeline;
  auto category = [&](const char* id) { return p.stage(*p.find_stage(id)).forecast_category; };
  EXPECT_EQ(category("NEW"), ForecastCategory::pipeline);
  EXPECT_EQ(category("TALK"), ForecastCategory::best_case);
  EXPECT_EQ(category("SIGN"), ForecastCategory::commit);
  EXPECT_EQ(category("HOPE"), ForecastCategory::best_case);
  EXPECT_EQ(category("WON"), ForecastCategory::closed);
  EXPECT_EQ(category("LOSE"), ForecastCategory::omitted);
}

TEST(PipelineJson, UnknownForecastCategoryIsABadValue) {
  auto c = testing::check_text(testing::pipeline_json(
      R"({"id": "NEW", "kind": "open", "probability": 0.1, "forecast_category": "maybe"},
         {"id": "WON", "kind": "won"}, {"id": "LOSE", "kind": "lost"})"));
  EXPECT_ERROR(c, bad_value, "/stages/0/forecast_category", "NEW");
  const Diagnostic* d =
      testing::find_diag(c.report.errors, DiagnosticKind::bad_value, "/stages/0/forecast_category", "NEW");
  ASSERT_NE(d, nullptr);
  EXPECT_NE(d->message.find("'maybe'"), std::string::npos);
  EXPECT_NE(d->message.find("expected one of pipeline, best_case, commit, closed, omitted"), std::string::npos);
}

TEST(ForecastCategory, CrmSpellingsParse) {
  EXPECT_EQ(parse_forecast_category("Pipeline"), ForecastCategory::pipeline);
  EXPECT_EQ(parse_forecast_category("BestCase"), ForecastCategory::best_case);
  EXPECT_EQ(parse_forecast_category("best-case"), ForecastCategory::best_case);
  EXPECT_EQ(parse_forecast_category("COMMIT"), ForecastCategory::commit);
  EXPECT_EQ(parse_forecast_category("Closed Won"), ForecastCategory::closed);
  EXPECT_EQ(parse_forecast_category("Omitted"), ForecastCategory::omitted);
  EXPECT_EQ(parse_forecast_category("Closed Lost"), ForecastCategory::omitted);
  EXPECT_FALSE(parse_forecast_category("").has_value());
  EXPECT_FALSE(parse_forecast_category("likely").has_value());
  for (auto c : {ForecastCategory::pipeline, ForecastCategory::best_case, ForecastCategory::commit,
                 ForecastCategory::closed, ForecastCategory::omitted})
    EXPECT_EQ(parse_forecast_category(to_string(c)), c);
}

}  // namespace
}  // namespace dealflow
