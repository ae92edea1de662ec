// Every documented validation error and warning (docs/pipeline-config.md), each
// with its JSON path and offending id; and that all errors are collected.
#include <limits>

#include <gtest/gtest.h>

#include "dealflow/pipeline/duration_text.h"
#include "definition_test_util.h"

namespace dealflow {
namespace {

using testing::check_text;
using testing::kThreeStages;
using testing::pipeline_json;

const std::string kWonLose = R"({"id": "WON", "kind": "won"}, {"id": "LOSE", "kind": "lost"})";

TEST(PipelineValidation, ValidConfigHasNoDiagnostics) {
  auto c = check_text(pipeline_json(kThreeStages));
  EXPECT_TRUE(c.ok()) << testing::dump(c.report);
  EXPECT_TRUE(c.report.warnings.empty());
  EXPECT_TRUE(c.pipeline.has_value());
}

TEST(PipelineValidation, DuplicateStageId) {
  auto c = check_text(pipeline_json(kThreeStages + R"(, {"id": "WON", "name": "Ещё раз", "kind": "won"})"));
  EXPECT_ERROR(c, duplicate_stage_id, "/stages/3/id", "WON");
  EXPECT_EQ(c.report.errors.size(), 1u) << testing::dump(c.report);
  EXPECT_NE(c.report.errors[0].message.find("/stages/1"), std::string::npos);  // names the first definition
  EXPECT_FALSE(c.pipeline.has_value());
}

TEST(PipelineValidation, EmptyStageAndPipelineIds) {
  auto c = check_text(R"({"id": "", "stages": [{"id": "", "kind": "open", "probability": 0.1}, )" +
                      kThreeStages + "]}");
  EXPECT_ERROR(c, empty_id, "/id", "");
  EXPECT_ERROR(c, empty_id, "/stages/0/id", "");
}

TEST(PipelineValidation, TransitionNamingUnknownStages) {
  auto c = check_text(pipeline_json(kThreeStages, R"("policy": "explicit", "transitions": [
      {"from": "NEW", "to": "WON"}, {"from": "NEW", "to": "LOSE"},
      {"from": "NEW", "to": "INVOICE"}, {"from": "Новый", "to": "WON"}])"));
  EXPECT_ERROR(c, unknown_stage, "/transitions/2/to", "INVOICE");
  EXPECT_ERROR(c, unknown_stage, "/transitions/3/from", "Новый");
  EXPECT_EQ(c.report.errors.size(), 2u) << testing::dump(c.report);
  EXPECT_NE(c.report.errors[0].message.find("known stages: NEW, WON, LOSE"), std::string::npos);
}

TEST(PipelineValidation, UnknownStagesInEntriesReopensTimedMovesAndHandoffs) {
  auto c = check_text(pipeline_json(
      R"({"id": "NEW", "kind": "open", "probability": 0.1,
          "on_enter": [{"action": "timed_move", "to": "GONE", "after": "1h"}]}, )" +
          kWonLose,
      R"("entries": ["START"], "reopens": [{"from": "CLOSED", "to": "NEW"}],
         "handoffs": [{"id": "h", "from": "DONE", "pipeline": "other", "stage": "X"}])"));
  EXPECT_ERROR(c, unknown_stage, "/stages/0/on_enter/0/to", "GONE");
  EXPECT_ERROR(c, unknown_stage, "/entries/0", "START");
  EXPECT_ERROR(c, unknown_stage, "/reopens/0/from", "CLOSED");
  EXPECT_ERROR(c, unknown_stage, "/handoffs/0/from", "DONE");
}

TEST(PipelineValidation, NoWonNoLostNoOpenStage) {
  auto no_won = check_text(
      pipeline_json(R"({"id": "NEW", "kind": "open", "probability": 0.1}, {"id": "LOSE", "kind": "lost"})"));
  EXPECT_ERROR(no_won, no_won_stage, "/stages", "p");
  EXPECT_EQ(no_won.report.errors.size(), 1u) << testing::dump(no_won.report);
  auto no_lost = check_text(
      pipeline_json(R"({"id": "NEW", "kind": "open", "probability": 0.1}, {"id": "WON", "kind": "won"})"));
  EXPECT_ERROR(no_lost, no_lost_stage, "/stages", "p");
  EXPECT_EQ(no_lost.report.errors.size(), 1u) << testing::dump(no_lost.report);
  auto no_open = check_text(pipeline_json(kWonLose));
  EXPECT_ERROR(no_open, no_open_stage, "/stages", "p");
  auto empty = check_text(pipeline_json(""));
  EXPECT_ERROR(empty, no_open_stage, "/stages", "p");
  EXPECT_ERROR(empty, no_won_stage, "/stages", "p");
  EXPECT_ERROR(empty, no_lost_stage, "/stages", "p");
}

TEST(PipelineValidation, TooManyStages) {
  PipelineSpec spec;
  spec.id = "huge";
  for (std::size_t i = 0; i <= Pipeline::kMaxStages; ++i) {
    spec.stages.push_back(make_stage("S" + std::to_string(i), "",
                                     i == 0   ? StageKind::won
                                     : i == 1 ? StageKind::lost
                                              : StageKind::open,
                                     0.5));
  }
  auto r = validate_pipeline(spec);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].kind, DiagnosticKind::too_many_stages);
  // Exactly kMaxStages compiles. A chain S2 -> S3 -> ... -> S255 -> S0 (won),
  // each open stage also -> S1 (lost), keeps the graph small for Debug builds.
  spec.stages.pop_back();
  spec.policy = MovePolicy::explicit_transitions;
  for (std::size_t i = 2; i < Pipeline::kMaxStages; ++i) {
    const std::string next = i + 1 < Pipeline::kMaxStages ? "S" + std::to_string(i + 1) : "S0";
    spec.transitions.push_back({"S" + std::to_string(i), next, {}, ""});
    spec.transitions.push_back({"S" + std::to_string(i), "S1", {}, ""});
  }
  auto ok = compile_pipeline(spec);
  ASSERT_TRUE(ok.pipeline.has_value()) << testing::dump(ok.report);
  const Pipeline& p = *ok.pipeline;
  EXPECT_EQ(p.stage_count(), Pipeline::kMaxStages);
  EXPECT_TRUE(p.allows(StageId(Pipeline::kMaxStages - 1), StageId(0)));
  EXPECT_FALSE(p.allows(StageId(Pipeline::kMaxStages - 1), StageId(2)));
  EXPECT_EQ(p.reachable_terminals(StageId(2)).size(), 2u);
}

TEST(PipelineValidation, EntryStageMustBeOpenAndListedOnce) {
  auto c = check_text(pipeline_json(kThreeStages, R"("entries": ["NEW", "WON", "NEW"])"));
  EXPECT_ERROR(c, entry_not_open, "/entries/1", "WON");
  EXPECT_ERROR(c, bad_value, "/entries/2", "NEW");
  EXPECT_EQ(c.report.errors.size(), 2u) << testing::dump(c.report);
}

TEST(PipelineValidation, ProbabilitiesOutsideZeroOne) {
  auto c = check_text(pipeline_json(
      R"({"id": "NEW", "kind": "open", "probability": 10,
          "on_enter": [{"action": "set_probability", "probability": -0.5}]},
         {"id": "WON", "kind": "won", "probability": 1.01}, {"id": "LOSE", "kind": "lost", "probability": 0})"));
  EXPECT_ERROR(c, probability_out_of_range, "/stages/0/probability", "NEW");
  EXPECT_ERROR(c, probability_out_of_range, "/stages/0/on_enter/0/probability", "NEW");
  EXPECT_ERROR(c, probability_out_of_range, "/stages/1/probability", "WON");
  EXPECT_EQ(c.report.errors.size(), 3u) << testing::dump(c.report);
}

TEST(PipelineValidation, TransitionOutOfAWonStageThatIsNotAReopen) {
  auto c = check_text(pipeline_json(kThreeStages, R"("policy": "explicit", "transitions": [
      {"from": "NEW", "to": "WON"}, {"from": "NEW", "to": "LOSE"}, {"from": "WON", "to": "NEW"}])"));
  EXPECT_ERROR(c, transition_from_terminal, "/transitions/2/from", "WON");
  EXPECT_EQ(c.report.errors.size(), 1u) << testing::dump(c.report);
  // The same under a non-explicit policy.
  auto free = check_text(pipeline_json(kThreeStages, R"("transitions": [{"from": "LOSE", "to": "NEW"}])"));
  EXPECT_ERROR(free, transition_from_terminal, "/transitions/0/from", "LOSE");
  // Declared as a reopen it is fine.
  auto reopen = check_text(pipeline_json(kThreeStages, R"("reopens": [{"from": "WON", "to": "NEW"}])"));
  EXPECT_TRUE(reopen.ok()) << testing::dump(reopen.report);
}

TEST(PipelineValidation, ReopenMustLeaveATerminalStage) {
  auto c = check_text(pipeline_json(kThreeStages, R"("reopens": [{"from": "NEW", "to": "WON"}])"));
  EXPECT_ERROR(c, reopen_not_from_terminal, "/reopens/0/from", "NEW");
}

TEST(PipelineValidation, SelfAndDuplicateTransitions) {
  auto c = check_text(pipeline_json(kThreeStages, R"("policy": "explicit", "transitions": [
      {"from": "NEW", "to": "WON"}, {"from": "NEW", "to": "LOSE"}, {"from": "NEW", "to": "NEW"},
      {"from": "NEW", "to": "WON"}], "reopens": [{"from": "LOSE", "to": "NEW"}, {"from": "LOSE", "to": "NEW"}])"));
  EXPECT_ERROR(c, self_transition, "/transitions/2", "NEW");
  EXPECT_ERROR(c, duplicate_transition, "/transitions/3", "NEW");
  EXPECT_ERROR(c, duplicate_transition, "/reopens/1", "LOSE");
  EXPECT_EQ(c.report.errors.size(), 3u) << testing::dump(c.report);
}

TEST(PipelineValidation, GuardedTransitionThePolicyForbids) {
  auto c = check_text(pipeline_json(
      R"({"id": "A", "kind": "open", "probability": 0.1}, {"id": "B", "kind": "open", "probability": 0.2}, )" +
          kWonLose,
      R"("policy": "no_backward", "transitions": [{"from": "B", "to": "A", "guards": [{"type": "amount_positive"}]}])"));
  EXPECT_ERROR(c, transition_forbidden_by_policy, "/transitions/0", "B");
}

TEST(PipelineValidation, UnreachableStage) {
  auto c = check_text(pipeline_json(
      R"({"id": "NEW", "kind": "open", "probability": 0.1}, {"id": "ORPHAN", "kind": "open", "probability": 0.5}, )" +
          kWonLose,
      R"("policy": "explicit", "transitions": [{"from": "NEW", "to": "WON"}, {"from": "NEW", "to": "LOSE"},
                                                 {"from": "ORPHAN", "to": "WON"}])"));
  EXPECT_ERROR(c, unreachable_stage, "/stages/1", "ORPHAN");
  EXPECT_EQ(c.report.errors.size(), 1u) << testing::dump(c.report);
  // A terminal no move leads to is unreachable too.
  auto t = check_text(pipeline_json(
      kThreeStages + R"(, {"id": "JUNK", "kind": "lost"})",
      R"("policy": "explicit", "transitions": [{"from": "NEW", "to": "WON"}, {"from": "NEW", "to": "LOSE"}])"));
  EXPECT_ERROR(t, unreachable_stage, "/stages/3", "JUNK");
  // Reachable only through a declared reopen counts as reachable.
  auto r = check_text(pipeline_json(
      R"({"id": "NEW", "kind": "open", "probability": 0.1}, {"id": "RETRY", "kind": "open", "probability": 0.5}, )" +
          kWonLose,
      R"("policy": "explicit", "transitions": [{"from": "NEW", "to": "LOSE"}, {"from": "RETRY", "to": "WON"}],
         "reopens": [{"from": "LOSE", "to": "RETRY"}])"));
  EXPECT_TRUE(r.ok()) << testing::dump(r.report);
}

TEST(PipelineValidation, OpenStageThatCannotReachATerminal) {
  auto c = check_text(pipeline_json(
      R"({"id": "NEW", "kind": "open", "probability": 0.1}, {"id": "LIMBO", "kind": "open", "probability": 0.2}, )" +
          kWonLose,
      R"("policy": "explicit", "transitions": [{"from": "NEW", "to": "WON"}, {"from": "NEW", "to": "LOSE"},
                                                 {"from": "NEW", "to": "LIMBO"}])"));
  EXPECT_ERROR(c, cannot_reach_terminal, "/stages/1", "LIMBO");
  EXPECT_EQ(c.report.errors.size(), 1u) << testing::dump(c.report);
}

TEST(PipelineValidation, TimedMoveMustBeAnAllowedMove) {
  auto c = check_text(pipeline_json(
      R"({"id": "A", "kind": "open", "probability": 0.1}, {"id": "B", "kind": "open", "probability": 0.2,
          "on_enter": [{"action": "timed_move", "to": "A", "after": "2h"}]}, )" +
          kWonLose,
      R"("policy": "no_backward")"));
  EXPECT_ERROR(c, timed_move_not_allowed, "/stages/1/on_enter/0/to", "A");
}

TEST(PipelineValidation, RolesMustBeDeclaredWhenRolesAreListed) {
  auto c = check_text(pipeline_json(
      R"({"id": "NEW", "kind": "open", "probability": 0.1,
          "on_enter": [{"action": "escalate", "after": "8h", "notify_role": "director"}]},
         {"id": "WON", "kind": "won", "guards": [{"type": "actor_role", "roles": ["manager", "РОП"]}]},
         {"id": "LOSE", "kind": "lost"})",
      R"("roles": ["manager", "head", "manager"])"));
  EXPECT_ERROR(c, unknown_role, "/stages/1/guards/0/roles/1", "РОП");
  EXPECT_ERROR(c, unknown_role, "/stages/0/on_enter/0/notify_role", "director");
  EXPECT_ERROR(c, bad_value, "/roles/2", "manager");
  EXPECT_WARNING(c, unused_role, "/roles/1", "head");
  // Without "roles", any role name is accepted.
  auto open = check_text(pipeline_json(
      R"({"id": "NEW", "kind": "open", "probability": 0.1},
         {"id": "WON", "kind": "won", "guards": [{"type": "actor_role", "roles": ["РОП"]}]}, {"id": "LOSE", "kind": "lost"})"));
  EXPECT_TRUE(open.ok()) << testing::dump(open.report);
}

// The engine keeps amount, owner and client as deal members: set_field sets
// attributes only, and validation (not Engine::make) says so.
TEST(PipelineValidation, SetFieldOnABuiltInMemberField) {
  auto c = check_text(pipeline_json(
                          R"({"id": "NEW", "kind": "open", "probability": 0.1,
          "on_enter": [{"action": "set_field", "field": "amount", "value": "100"},
                       {"action": "set_field", "field": "owner", "value": "7"},
                       {"action": "set_field", "field": "client", "value": ""},
                       {"action": "set_field", "field": "region", "value": "Урал"},
                       {"action": "set_field", "field": "Договор", "value": "есть"},
                       {"action": "set_field", "field": "", "value": "x"}]}, )" +
                          kWonLose),
                      "sales.json");
  ASSERT_EQ(c.report.errors.size(), 4u) << testing::dump(c.report);
  EXPECT_ERROR(c, bad_value, "/stages/0/on_enter/0/field", "amount");
  EXPECT_ERROR(c, bad_value, "/stages/0/on_enter/1/field", "owner");
  EXPECT_ERROR(c, bad_value, "/stages/0/on_enter/2/field", "client");
  EXPECT_ERROR(c, bad_value, "/stages/0/on_enter/5/field", "NEW");
  EXPECT_EQ(
      c.report.errors[0].to_string(),
      "sales.json: at /stages/0/on_enter/0/field: error: set_field action of stage 'NEW' cannot set built-in "
      "field 'amount': it sets attributes (region, product, tier, channel, business, source, custom fields); "
      "amount, owner and client change through the engine's set_amount/set_owner/set_client [bad_value]");
  EXPECT_EQ(
      c.report.errors[3].to_string(),
      "sales.json: at /stages/0/on_enter/5/field: error: set_field action of stage 'NEW' needs a field name "
      "[bad_value]");
}

std::string role_list(int first, int count) {
  std::string out;
  for (int i = first; i < first + count; ++i)
    out += (out.empty() ? "\"r" : ", \"r") + std::to_string(i) + "\"";
  return out;
}

// Role sets are 64-bit masks in the engine: at most 64 distinct roles.
TEST(PipelineValidation, AtMostSixtyFourRoles) {
  const std::string won_guard =
      R"({"id": "WON", "kind": "won", "guards": [{"type": "actor_role", "roles": [)";
  const std::string stages = R"({"id": "NEW", "kind": "open", "probability": 0.1}, )";
  auto declared = check_text(
      pipeline_json(stages + won_guard + role_list(0, 65) + R"(]}]}, {"id": "LOSE", "kind": "lost"})",
                    R"("roles": [)" + role_list(0, 65) + "]"));
  ASSERT_EQ(declared.report.errors.size(), 1u) << testing::dump(declared.report);
  EXPECT_ERROR(declared, too_many_roles, "/roles/64", "r64");
  EXPECT_EQ(declared.report.errors[0].message,
            "role 'r64' is distinct role number 65 of pipeline 'p'; at most 64 are supported (the deal "
            "engine keeps an actor's roles in a 64-bit mask)");
  // Without "roles", the names used are counted, in the order they appear.
  auto used = check_text(pipeline_json(
      R"({"id": "NEW", "kind": "open", "probability": 0.1,
          "on_enter": [{"action": "escalate", "after": "1h", "notify_role": "r0"}]}, )" +
      won_guard + role_list(1, 64) + R"(, "r0"]}]}, {"id": "LOSE", "kind": "lost"})"));
  ASSERT_EQ(used.report.errors.size(), 1u) << testing::dump(used.report);
  EXPECT_ERROR(used, too_many_roles, "/stages/1/guards/0/roles/63", "r64");
  // 64 is fine.
  auto limit = check_text(
      pipeline_json(stages + won_guard + role_list(0, 64) + R"(]}]}, {"id": "LOSE", "kind": "lost"})",
                    R"("roles": [)" + role_list(0, 64) + "]"));
  EXPECT_TRUE(limit.ok()) << testing::dump(limit.report);
}

TEST(PipelineValidation, EmptyGuardContents) {
  auto c = check_text(pipeline_json(
      R"({"id": "NEW", "kind": "open", "probability": 0.1, "required_fields": [""]},
         {"id": "WON", "kind": "won", "guards": [{"type": "required_fields", "fields": []},
                                                 {"type": "actor_role", "roles": []},
                                                 {"type": "required_fields", "fields": ["amount", ""]}]},
         {"id": "LOSE", "kind": "lost"})"));
  // Guard diagnostics name the stage (or transition) the guard belongs to.
  EXPECT_ERROR(c, bad_value, "/stages/0/required_fields/0", "NEW");
  EXPECT_ERROR(c, bad_value, "/stages/1/guards/0/fields", "WON");
  EXPECT_ERROR(c, bad_value, "/stages/1/guards/1/roles", "WON");
  EXPECT_ERROR(c, bad_value, "/stages/1/guards/2/fields/1", "WON");
  EXPECT_EQ(c.report.errors.size(), 4u) << testing::dump(c.report);
}

TEST(PipelineValidation, EmptyPredicateNameIsAnErrorNotADroppedGuard) {
  auto c = check_text(
      pipeline_json(
          R"({"id": "NEW", "kind": "open", "probability": 0.1},
                       {"id": "WON", "kind": "won", "guards": [{"type": "predicate", "name": ""}]},
                       {"id": "LOSE", "kind": "lost"})",
          R"("reopens": [{"from": "LOSE", "to": "NEW", "guards": [{"type": "predicate", "name": ""}]}])"),
      "sales.json");
  ASSERT_EQ(c.report.errors.size(), 2u) << testing::dump(c.report);
  EXPECT_ERROR(c, bad_value, "/stages/1/guards/0/name", "WON");
  EXPECT_ERROR(c, bad_value, "/reopens/0/guards/0/name", "LOSE");
  EXPECT_EQ(
      c.report.errors[0].to_string(),
      "sales.json: at /stages/1/guards/0/name: error: a predicate guard of stage 'WON' needs the name of a "
      "predicate the host registers (\"name\": \"...\") [bad_value]");
  EXPECT_EQ(c.report.errors[0].file, "sales.json");
  EXPECT_FALSE(c.pipeline.has_value());
  // A missing or non-string name is a schema error, reported once.
  auto missing = check_text(pipeline_json(
      R"({"id": "NEW", "kind": "open", "probability": 0.1},
         {"id": "WON", "kind": "won", "guards": [{"type": "predicate"}, {"type": "predicate", "name": 7}]},
         {"id": "LOSE", "kind": "lost"})"));
  ASSERT_EQ(missing.report.errors.size(), 2u) << testing::dump(missing.report);
  EXPECT_ERROR(missing, missing_key, "/stages/1/guards/0/name", "");
  EXPECT_ERROR(missing, wrong_type, "/stages/1/guards/1/name", "");
}

// A spec built in code: stages A (open), W, L; A has `sla` and one on-enter
// action of `kind` with `delay` (a timed move goes to L).
PipelineSpec spec_with_durations(Duration sla, ActionKind kind, Duration delay) {
  PipelineSpec spec;
  spec.id = "d";
  spec.stages = {make_stage("A", "", StageKind::open, 0.1), make_stage("W", "", StageKind::won),
                 make_stage("L", "", StageKind::lost)};
  spec.stages[0].json_path = "/stages/0";
  spec.stages[0].sla = Sla{sla, TimeBasis::calendar};
  ActionSpec action;
  action.kind = kind;
  action.target_stage = "L";
  action.delay = delay;
  action.json_path = "/stages/0/on_enter/0";
  spec.stages[0].on_enter.push_back(action);
  return spec;
}

TEST(PipelineValidation, DurationsMustBePositive) {
  auto r = validate_pipeline(spec_with_durations(Duration(0), ActionKind::escalate, Duration(-5)));
  ASSERT_EQ(r.errors.size(), 2u) << testing::dump(r);
  EXPECT_EQ(r.errors[0].kind, DiagnosticKind::bad_duration);
  EXPECT_EQ(r.errors[0].json_path, "/stages/0/sla/limit");
  EXPECT_EQ(r.errors[1].kind, DiagnosticKind::bad_duration);
  EXPECT_EQ(r.errors[1].json_path, "/stages/0/on_enter/0/after");
  // In JSON, a zero or malformed duration is rejected while reading.
  auto c = check_text(pipeline_json(
      R"({"id": "NEW", "kind": "open", "probability": 0.1, "sla": {"limit": "0h"},
          "on_enter": [{"action": "escalate", "after": "3d"}, {"action": "timed_move", "to": "LOSE", "after": "1x"}]}, )" +
      kWonLose));
  EXPECT_ERROR(c, bad_duration, "/stages/0/sla/limit", "0h");
  EXPECT_ERROR(c, bad_duration, "/stages/0/on_enter/0/after", "3d");  // days are not business time
  EXPECT_ERROR(c, bad_duration, "/stages/0/on_enter/1/after", "1x");
}

// Durations are capped at kMaxConfigDuration (2^32 - 1 s): "entry + delay"
// must not overflow, and no later instant fits the history anyway.
TEST(PipelineValidation, DurationsAreAtMostTheHistorySpan) {
  auto c = check_text(
      pipeline_json(
          R"({"id": "NEW", "kind": "open", "probability": 0.1, "sla": {"limit": "2562047788015215h"},
          "on_enter": [{"action": "escalate", "after": "1193046h28m16s"},
                       {"action": "timed_move", "to": "LOSE", "after": "7102w", "basis": "calendar"},
                       {"action": "timed_move", "to": "LOSE", "after": "7101w", "basis": "calendar"},
                       {"action": "escalate", "after": "1193046h28m15s"}]}, )" +
          kWonLose),
      "sales.json");
  // 7101 weeks and exactly 1193046h28m15s (2^32 - 1 s) are accepted.
  ASSERT_EQ(c.report.errors.size(), 3u) << testing::dump(c.report);
  EXPECT_ERROR(c, bad_duration, "/stages/0/sla/limit", "2562047788015215h");
  EXPECT_ERROR(c, bad_duration, "/stages/0/on_enter/0/after", "1193046h28m16s");
  EXPECT_ERROR(c, bad_duration, "/stages/0/on_enter/1/after", "7102w");
  EXPECT_EQ(
      c.report.errors[1].to_string(),
      "sales.json: at /stages/0/on_enter/0/after: error: invalid duration '1193046h28m16s': longer than the "
      "maximum 4294967295s (about 136 years, the time span of the history) [bad_duration]");
  // A spec built in code is checked the same way.
  auto r = validate_pipeline(spec_with_durations(kMaxConfigDuration, ActionKind::timed_move,
                                                 Duration(std::numeric_limits<std::int64_t>::max())));
  ASSERT_EQ(r.errors.size(), 1u) << testing::dump(r);
  EXPECT_EQ(r.errors[0].kind, DiagnosticKind::bad_duration);
  EXPECT_EQ(r.errors[0].json_path, "/stages/0/on_enter/0/after");
  EXPECT_EQ(
      r.errors[0].message,
      "timed move delay of stage 'A' is 9223372036854775807s, longer than the maximum 4294967295s (about 136 "
      "years, the time span of the history)");
}

TEST(PipelineValidation, DuplicateHandoffIds) {
  auto c = check_text(pipeline_json(kThreeStages, R"("handoffs": [
      {"id": "h", "from": "WON", "pipeline": "service", "stage": "START"},
      {"id": "h", "from": "WON", "pipeline": "billing", "stage": "START"}])"));
  EXPECT_ERROR(c, duplicate_handoff_id, "/handoffs/1/id", "h");
  EXPECT_EQ(c.report.errors.size(), 1u) << testing::dump(c.report);
}

// A `move` hand-off takes the deal itself out of its trigger stage: out of a
// won/lost stage that is a reopen, so it needs a declared reopen from there.
TEST(PipelineValidation, MoveHandoffOutOfATerminalStageNeedsADeclaredReopen) {
  const std::string handoffs = R"("handoffs": [
      {"id": "rescue", "from": "LOSE", "pipeline": "service", "stage": "START", "mode": "move"},
      {"id": "onboard", "from": "WON", "pipeline": "service", "stage": "START", "mode": "create_linked"},
      {"id": "early", "from": "NEW", "pipeline": "service", "stage": "START", "mode": "move"}])";
  auto c = check_text(pipeline_json(kThreeStages, handoffs), "sales.json");
  ASSERT_EQ(c.report.errors.size(), 1u) << testing::dump(c.report);
  EXPECT_ERROR(c, transition_from_terminal, "/handoffs/0/mode", "LOSE");
  EXPECT_EQ(
      c.report.errors[0].to_string(),
      "sales.json: at /handoffs/0/mode: error: hand-off 'rescue' would move deals out of lost stage 'LOSE', "
      "which declares no reopen (use \"mode\": \"create_linked\", or declare a reopen from 'LOSE' under "
      "\"reopens\") [transition_from_terminal]");
  // A reopen out of LOSE (to any stage) says deals may leave it: the hand-off is accepted.
  auto reopened =
      check_text(pipeline_json(kThreeStages, R"("reopens": [{"from": "LOSE", "to": "NEW"}], )" + handoffs));
  EXPECT_TRUE(reopened.ok()) << testing::dump(reopened.report);
  // A reopen out of another terminal stage does not count.
  auto other =
      check_text(pipeline_json(kThreeStages, R"("reopens": [{"from": "WON", "to": "NEW"}], )" + handoffs));
  ASSERT_EQ(other.report.errors.size(), 1u) << testing::dump(other.report);
  EXPECT_ERROR(other, transition_from_terminal, "/handoffs/0/mode", "LOSE");
}

TEST(PipelineValidation, EmptyHandoffId) {
  auto c = check_text(pipeline_json(kThreeStages, R"("handoffs": [
      {"id": "", "from": "WON", "pipeline": "service", "stage": "START"}])"),
                      "sales.json");
  ASSERT_EQ(c.report.errors.size(), 1u) << testing::dump(c.report);
  EXPECT_ERROR(c, empty_id, "/handoffs/0/id", "");
  EXPECT_EQ(
      c.report.errors[0].to_string(),
      "sales.json: at /handoffs/0/id: error: hand-off from 'WON' to pipeline 'service' stage 'START' has an "
      "empty id [empty_id]");
}

TEST(PipelineValidation, WarningsAreSeparateAndDoNotFail) {
  auto c = check_text(pipeline_json(
      R"({"id": "A", "kind": "open", "probability": 0.5},
         {"id": "B", "kind": "open", "probability": 0.3},
         {"id": "DOOMED", "kind": "open"},
         {"id": "WON", "kind": "won"}, {"id": "LOSE", "kind": "lost"})",
      R"("policy": "explicit", "transitions": [{"from": "A", "to": "B"}, {"from": "A", "to": "DOOMED"},
         {"from": "B", "to": "WON"}, {"from": "B", "to": "LOSE"}, {"from": "DOOMED", "to": "LOSE"}])"));
  EXPECT_TRUE(c.ok()) << testing::dump(c.report);
  ASSERT_TRUE(c.pipeline.has_value());
  EXPECT_WARNING(c, cannot_reach_won, "/stages/2", "DOOMED");
  EXPECT_WARNING(c, missing_probability, "/stages/2", "DOOMED");
  EXPECT_WARNING(c, probability_not_monotonic, "/stages/1/probability", "B");
  EXPECT_EQ(c.report.warnings.size(), 3u) << testing::dump(c.report);
  EXPECT_DOUBLE_EQ(c.pipeline->stage(StageId(2)).probability, 0.0);
  // The loader returns them beside the pipeline.
  auto loaded = parse_pipeline_text(pipeline_json(R"({"id": "A", "kind": "open"}, )" + kWonLose));
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->warnings.size(), 1u);
  EXPECT_EQ(loaded->warnings[0].kind, DiagnosticKind::missing_probability);
  EXPECT_EQ(loaded->warnings[0].severity, Severity::warning);
}

TEST(PipelineValidation, CollectsEveryErrorNotJustTheFirst) {
  auto c =
      check_pipeline_file(std::string(DEALFLOW_SOURCE_DIR) + "/tests/pipeline/fixtures/many_errors.json");
  ASSERT_FALSE(c.syntax.has_value());
  std::vector<DiagnosticKind> kinds;
  for (const auto& e : c.report.errors) kinds.push_back(e.kind);
  EXPECT_EQ(kinds, (std::vector<DiagnosticKind>{
                       DiagnosticKind::unknown_key, DiagnosticKind::duplicate_stage_id,
                       DiagnosticKind::probability_out_of_range, DiagnosticKind::no_lost_stage,
                       DiagnosticKind::unknown_stage, DiagnosticKind::cannot_reach_terminal}))
      << testing::dump(c.report);
  for (const auto& e : c.report.errors) {
    EXPECT_NE(e.file.find("many_errors.json"), std::string::npos);
    EXPECT_FALSE(e.json_path.empty());
  }
  EXPECT_FALSE(c.pipeline.has_value());
  // The one-Status form lists them all, located at the first.
  Status s = c.report.to_status();
  EXPECT_EQ(s.code(), ErrorCode::validation_failed);
  EXPECT_EQ(s.location().json_path, "/colour");
  EXPECT_NE(s.message().find("6 errors"), std::string::npos);
  EXPECT_NE(s.message().find("NOWHERE"), std::string::npos);
  EXPECT_NE(s.message().find("STUCK"), std::string::npos);
}

TEST(PipelineValidation, DiagnosticTextNamesFilePathKindAndId) {
  auto c = check_text(
      pipeline_json(kThreeStages, R"("policy": "explicit", "transitions": [{"from": "NEW", "to": "X"}])"),
      "sales.json");
  ASSERT_FALSE(c.report.errors.empty());
  const Diagnostic* d =
      testing::find_diag(c.report.errors, DiagnosticKind::unknown_stage, "/transitions/0/to", "X");
  ASSERT_NE(d, nullptr) << testing::dump(c.report);
  EXPECT_EQ(d->to_string(),
            "sales.json: at /transitions/0/to: error: transition 'NEW' -> 'X' names unknown stage 'X' "
            "(known stages: NEW, WON, LOSE) [unknown_stage]");
  EXPECT_EQ(d->to_status().location().file, "sales.json");
}

// The offending id is printed when the message does not already quote it.
TEST(PipelineValidation, DiagnosticTextAppendsTheIdWhenTheMessageLacksIt) {
  const Diagnostic bare{Severity::error, DiagnosticKind::bad_value, "a.json", "/stages/0/x", "NEW",
                        "value is bad"};
  EXPECT_EQ(bare.text(), "value is bad (id 'NEW') [bad_value]");
  EXPECT_EQ(bare.to_string(), "a.json: at /stages/0/x: error: value is bad (id 'NEW') [bad_value]");
  EXPECT_EQ(bare.to_status().message(), "value is bad (id 'NEW') [bad_value]");
  EXPECT_EQ(bare.to_status().location().json_path, "/stages/0/x");
  const Diagnostic named{Severity::warning,
                         DiagnosticKind::missing_probability,
                         "",
                         "/stages/0",
                         "NEW",
                         "stage 'NEW' has no probability"};
  EXPECT_EQ(named.to_string(), "at /stages/0: warning: stage 'NEW' has no probability [missing_probability]");
  const Diagnostic no_id{Severity::error,       DiagnosticKind::empty_id, "a.json", "/id", "",
                         "id must not be empty"};
  EXPECT_EQ(no_id.to_string(), "a.json: at /id: error: id must not be empty [empty_id]");
  // The one-Status form of a report uses the same text.
  ValidationReport r;
  r.add(bare);
  r.add(no_id);
  EXPECT_EQ(r.to_status().message(),
            "2 errors: value is bad (id 'NEW') [bad_value]; a.json: at /id: error: id must not be empty "
            "[empty_id]");
}

}  // namespace
}  // namespace dealflow
