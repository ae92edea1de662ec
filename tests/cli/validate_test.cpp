// `dealflow validate`: the acceptance cases (exit codes, messages naming the
// problem and its location), the summary, --format json and usage errors.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"

namespace dealflow::testing {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(CliValidate, Bitrix24DefaultIsValidAndSummarized) {
  CliResult r = run_cli("validate data/pipelines/bitrix24_default.json");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_TRUE(contains(r.out, "pipeline 'bitrix24_default'")) << r.out;
  EXPECT_TRUE(contains(r.out, "is valid: 8 stages, 5 open, 1 won, 2 lost")) << r.out;
  // Stages with kind and probability; Cyrillic names aligned by the table.
  EXPECT_TRUE(contains(r.out, "4  EXECUTING           В работе                open          60%")) << r.out;
  EXPECT_TRUE(contains(r.out, "8  APOLOGY             Анализ причины провала  lost           0%")) << r.out;
  // Allowed moves per stage, reopens marked.
  EXPECT_TRUE(contains(
      r.out, "  NEW -> PREPARATION, PREPAYMENT_INVOICE, EXECUTING, FINAL_INVOICE, WON, LOSE, APOLOGY\n"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "  LOSE -> NEW (reopen)\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "  WON -> (none)\n")) << r.out;
  // Terminal stages reachable from each open stage.
  EXPECT_TRUE(contains(r.out, "terminal stages reachable from each open stage:\n  NEW: WON, LOSE, APOLOGY\n"))
      << r.out;
}

TEST(CliValidate, UnreachableStageExitsOneNamingStageAndLocation) {
  CliResult r = run_cli("validate tests/pipeline/fixtures/unreachable_stage.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(
      contains(r.err,
               "tests/pipeline/fixtures/unreachable_stage.json: at /stages/2: error: stage 'ORPHAN' is "
               "unreachable"))
      << r.err;
  EXPECT_TRUE(contains(r.err, "[unreachable_stage]")) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(CliValidate, TransitionOutOfWonThatIsNotAReopenExitsOne) {
  CliResult r = run_cli("validate tests/pipeline/fixtures/transition_out_of_won.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err,
                       "transition_out_of_won.json: at /transitions/2/from: error: transition 'WON' -> 'NEW' "
                       "leaves won stage 'WON', which is not a declared reopen"))
      << r.err;
}

TEST(CliValidate, UnknownStageExitsOneNamingTheStage) {
  CliResult r = run_cli("validate tests/pipeline/fixtures/unknown_stage.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err,
                       "unknown_stage.json: at /transitions/2/to: error: transition 'NEW' -> 'INVOICE' names "
                       "unknown stage 'INVOICE'"))
      << r.err;
}

TEST(CliValidate, JsonSyntaxErrorExitsOneWithLineAndColumn) {
  CliResult r = run_cli("validate tests/pipeline/fixtures/syntax_error.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "error: tests/pipeline/fixtures/syntax_error.json:7:5: malformed JSON"))
      << r.err;
}

TEST(CliValidate, UnreadableFileExitsOne) {
  CliResult r = run_cli("validate tests/pipeline/fixtures/no_such_file.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(contains(r.err, "no_such_file.json: cannot open file")) << r.err;
}

TEST(CliValidate, EveryErrorIsListed) {
  CliResult r = run_cli("validate tests/pipeline/fixtures/many_errors.json");
  EXPECT_EQ(r.exit_code, 1);
  for (const char* part :
       {"at /colour: error: unknown key 'colour'", "at /stages/1/id: error: duplicate stage id 'NEW'",
        "at /stages/0/probability: error: probability 1.5",
        "at /stages: error: pipeline 'many_errors' "
        "has no stage of kind \"lost\"",
        "at /transitions/2/to: error: transition 'NEW' -> 'NOWHERE'",
        "at /stages/2: error: open stage 'STUCK' cannot reach any won or lost stage",
        "many_errors.json: 6 errors, 0 warnings"}) {
    EXPECT_TRUE(contains(r.err, part)) << part << "\n" << r.err;
  }
}

TEST(CliValidate, WarningsDoNotFail) {
  const std::string path = write_temp("warn.json", R"({"id": "w", "stages": [
      {"id": "A", "kind": "open"}, {"id": "WON", "kind": "won"}, {"id": "LOSE", "kind": "lost"}]})");
  CliResult r = run_cli("validate '" + path + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "warnings:\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "at /stages/0: warning: open stage 'A' has no \"probability\"")) << r.out;
}

TEST(CliValidate, JsonFormat) {
  CliResult ok = run_cli("validate data/pipelines/hubspot.json --format json");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  auto doc = nlohmann::json::parse(ok.out);
  EXPECT_EQ(doc["valid"], true);
  const auto& p = doc["files"][0]["pipeline"];
  EXPECT_EQ(p["policy"], "no_backward");
  EXPECT_EQ(p["stages"][3]["id"], "decisionmakerboughtin");
  EXPECT_EQ(p["stages"][3]["probability"], 0.8);
  EXPECT_EQ(p["stages"][3]["allowed_moves"], nlohmann::json({"contractsent", "closedwon", "closedlost"}));
  EXPECT_EQ(p["stages"][0]["reachable_terminals"], nlohmann::json({"closedwon", "closedlost"}));
  EXPECT_EQ(p["stages"][0]["entry"], true);

  CliResult bad = run_cli("validate tests/pipeline/fixtures/unknown_stage.json --format json");
  EXPECT_EQ(bad.exit_code, 1);
  auto b = nlohmann::json::parse(bad.out);
  EXPECT_EQ(b["valid"], false);
  const auto& e = b["files"][0]["errors"][0];
  EXPECT_EQ(e["kind"], "unknown_stage");
  EXPECT_EQ(e["json_path"], "/transitions/2/to");
  EXPECT_EQ(e["id"], "INVOICE");
  EXPECT_EQ(b["files"][0]["pipeline"], nullptr);

  CliResult syntax = run_cli("validate tests/pipeline/fixtures/syntax_error.json --format json");
  EXPECT_EQ(syntax.exit_code, 1);
  auto s = nlohmann::json::parse(syntax.out);
  EXPECT_EQ(s["files"][0]["errors"][0]["line"], 7);
  EXPECT_EQ(s["files"][0]["errors"][0]["column"], 5);
}

TEST(CliValidate, SeveralFilesAreCheckedAsOneWorkspace) {
  CliResult ok = run_cli("validate data/pipelines/b2b_sales.json data/pipelines/onboarding.json");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(contains(
      ok.out, "start_onboarding: on entering WON -> pipeline onboarding, stage KICKOFF (create_linked)"))
      << ok.out;
  EXPECT_TRUE(contains(ok.out, "CONTRACT -> WON: predicate payment_received")) << ok.out;
  // Without the target pipeline the hand-off cannot be resolved.
  CliResult alone = run_cli("validate data/pipelines/b2b_sales.json data/pipelines/hubspot.json");
  EXPECT_EQ(alone.exit_code, 1);
  EXPECT_TRUE(contains(alone.err,
                       "b2b_sales.json: at /handoffs/0/pipeline: hand-off 'start_onboarding' names unknown "
                       "pipeline 'onboarding'"))
      << alone.err;
}

TEST(CliValidate, UsageErrorsExitTwo) {
  EXPECT_EQ(run_cli("validate").exit_code, 2);
  EXPECT_EQ(run_cli("validate data/pipelines/hubspot.json --format xml").exit_code, 2);
  EXPECT_EQ(run_cli("validate data/pipelines/hubspot.json --strict").exit_code, 2);
  CliResult help = run_cli("validate --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(contains(help.out, "usage: dealflow validate PIPELINE.json")) << help.out;
  EXPECT_TRUE(contains(run_cli("--help").out, "validate")) << "listed in the tool's help";
}

}  // namespace
}  // namespace dealflow::testing
