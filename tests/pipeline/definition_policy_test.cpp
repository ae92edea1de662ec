// Each move policy's allowed-move table, hand-checked cell by cell.
//
// The pipeline: open A, B, C, D (funnel order) with LOST listed between B and C
// and WON last, and one declared reopen LOST -> B. Rows are "from", columns
// "to" in stage order A B LOST C D WON; 'x' = allowed, 'r' = allowed reopen.
#include <gtest/gtest.h>

#include "definition_test_util.h"

namespace dealflow {
namespace {

const std::string kStages = R"(
  {"id": "A", "kind": "open", "probability": 0.1},
  {"id": "B", "kind": "open", "probability": 0.2},
  {"id": "LOST", "kind": "lost"},
  {"id": "C", "kind": "open", "probability": 0.3},
  {"id": "D", "kind": "open", "probability": 0.4},
  {"id": "WON", "kind": "won"})";

std::string table(const Pipeline& p) {
  std::string out;
  for (std::uint16_t f = 0; f < p.stage_count(); ++f) {
    out += p.stage(StageId(f)).id + ":";
    for (std::uint16_t t = 0; t < p.stage_count(); ++t) {
      const bool allowed = p.allows(StageId(f), StageId(t));
      const bool reopen = p.is_reopen(StageId(f), StageId(t));
      EXPECT_FALSE(reopen && !allowed);
      out += reopen ? 'r' : allowed ? 'x' : '.';
    }
    out += "\n";
  }
  return out;
}

Pipeline load_with_policy(const std::string& policy, const std::string& transitions = "") {
  std::string extra = R"("policy": ")" + policy + R"(", "reopens": [{"from": "LOST", "to": "B"}])";
  if (!transitions.empty()) extra += R"(, "transitions": [)" + transitions + "]";
  auto loaded = parse_pipeline_text(testing::pipeline_json(kStages, extra));
  EXPECT_TRUE(loaded.ok()) << loaded.status().to_string();
  return std::move(loaded->pipeline);
}

void expect_successors_match_table(const Pipeline& p) {
  for (std::uint16_t f = 0; f < p.stage_count(); ++f) {
    std::vector<StageId> expected;
    for (std::uint16_t t = 0; t < p.stage_count(); ++t) {
      if (p.allows(StageId(f), StageId(t))) expected.push_back(StageId(t));
    }
    auto succ = p.successors(StageId(f));
    EXPECT_EQ(std::vector<StageId>(succ.begin(), succ.end()), expected) << p.stage(StageId(f)).id;
  }
}

TEST(PipelinePolicy, FreeAllowsAnyOpenStageToAnyOtherStage) {
  const Pipeline p = load_with_policy("free");
  // columns: A B LOST C D WON
  EXPECT_EQ(table(p),
            "A:.xxxxx\n"
            "B:x.xxxx\n"
            "LOST:.r....\n"
            "C:xxx.xx\n"
            "D:xxxx.x\n"
            "WON:......\n");
  expect_successors_match_table(p);
}

TEST(PipelinePolicy, NoSkipAllowsTheNextOpenStageAnyEarlierOneAndAnyTerminal) {
  const Pipeline p = load_with_policy("no_skip");
  // columns: A B LOST C D WON
  EXPECT_EQ(table(p),
            "A:.xx..x\n"
            "B:x.xx.x\n"
            "LOST:.r....\n"
            "C:xxx.xx\n"
            "D:xxxx.x\n"
            "WON:......\n");
  expect_successors_match_table(p);
}

TEST(PipelinePolicy, NoBackwardAllowsAnyLaterOpenStageAndAnyTerminal) {
  const Pipeline p = load_with_policy("no_backward");
  // columns: A B LOST C D WON
  EXPECT_EQ(table(p),
            "A:.xxxxx\n"
            "B:..xxxx\n"
            "LOST:.r....\n"
            "C:..x.xx\n"
            "D:..x..x\n"
            "WON:......\n");
  expect_successors_match_table(p);
}

TEST(PipelinePolicy, ExplicitAllowsOnlyTheDeclaredTransitions) {
  const Pipeline p = load_with_policy("explicit", R"(
    {"from": "A", "to": "B"}, {"from": "A", "to": "LOST"},
    {"from": "B", "to": "C"}, {"from": "B", "to": "LOST"},
    {"from": "C", "to": "D"}, {"from": "C", "to": "A"}, {"from": "C", "to": "LOST"},
    {"from": "D", "to": "WON"}, {"from": "D", "to": "LOST"})");
  // columns: A B LOST C D WON
  EXPECT_EQ(table(p),
            "A:.xx...\n"
            "B:..xx..\n"
            "LOST:.r....\n"
            "C:x.x.x.\n"
            "D:..x..x\n"
            "WON:......\n");
  expect_successors_match_table(p);
  EXPECT_EQ(p.policy(), MovePolicy::explicit_transitions);
}

TEST(PipelinePolicy, TransitionsUnderANonExplicitPolicyOnlyAttachGuards) {
  const Pipeline p =
      load_with_policy("no_skip", R"({"from": "A", "to": "B", "guards": [{"type": "amount_positive"}]})");
  EXPECT_EQ(table(p), table(load_with_policy("no_skip")));  // the same moves, one with a guard
  ASSERT_EQ(p.guards(StageId(0), StageId(1)).size(), 1u);
  EXPECT_EQ(p.guards(StageId(0), StageId(1))[0].kind, GuardKind::amount_positive);
  EXPECT_TRUE(p.guards(StageId(1), StageId(3)).empty());
}

TEST(PipelinePolicy, ReachableTerminalsFollowTheMovesBeforeClosing) {
  // Under explicit: C can reach LOST directly and WON via D; B only via C.
  const Pipeline p = load_with_policy("explicit", R"(
    {"from": "A", "to": "B"}, {"from": "A", "to": "LOST"},
    {"from": "B", "to": "C"},
    {"from": "C", "to": "D"}, {"from": "C", "to": "LOST"},
    {"from": "D", "to": "WON"})");
  auto terms = [&](const char* id) {
    auto r = p.reachable_terminals(*p.find_stage(id));
    std::string out;
    for (StageId s : r) out += p.stage(s).id + " ";
    return out;
  };
  EXPECT_EQ(terms("A"), "LOST WON ");
  EXPECT_EQ(terms("B"), "LOST WON ");
  EXPECT_EQ(terms("D"), "WON ");
  EXPECT_EQ(terms("WON"), "");
}

TEST(PipelinePolicy, PolicyNamesRoundTrip) {
  for (MovePolicy policy :
       {MovePolicy::free, MovePolicy::no_skip, MovePolicy::no_backward, MovePolicy::explicit_transitions}) {
    EXPECT_EQ(parse_move_policy(to_string(policy)), policy);
  }
  EXPECT_EQ(parse_move_policy("strict"), std::nullopt);
  EXPECT_EQ(to_string(MovePolicy::explicit_transitions), "explicit");
  for (StageKind kind : {StageKind::open, StageKind::won, StageKind::lost}) {
    EXPECT_EQ(parse_stage_kind(to_string(kind)), kind);
  }
}

}  // namespace
}  // namespace dealflow
