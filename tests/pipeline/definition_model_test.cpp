// The compiled Pipeline: the minimal example, accessors, Unicode, entries,
// guards composition, actions, vocabulary.
#include <gtest/gtest.h>

#include "dealflow/pipeline/duration_text.h"
#include "definition_test_util.h"

namespace dealflow {
namespace {

using testing::check_text;

constexpr const char* kMinimal = R"({"id": "sales", "name": "Продажи",
 "stages": [{"id": "NEW", "name": "Новая", "kind": "open", "probability": 0.1},
            {"id": "WON", "name": "Сделка успешна", "kind": "won"},
            {"id": "LOSE", "name": "Сделка провалена", "kind": "lost"}]})";

TEST(PipelineDefinition, MinimalExampleFromTheIssueLoads) {
  auto loaded = parse_pipeline_text(kMinimal, "minimal.json");
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_TRUE(loaded->warnings.empty());
  const Pipeline& p = loaded->pipeline;
  EXPECT_EQ(p.id(), "sales");
  EXPECT_EQ(p.name(), "Продажи");
  EXPECT_EQ(p.policy(), MovePolicy::free);
  EXPECT_EQ(p.source_file(), "minimal.json");
  EXPECT_EQ(p.index(), PipelineId(0));
  ASSERT_EQ(p.stage_count(), 3u);
  const StageId s_new{0}, s_won{1}, s_lose{2};
  EXPECT_EQ(p.stage(s_new).id, "NEW");
  EXPECT_EQ(p.stage(s_new).kind, StageKind::open);
  EXPECT_DOUBLE_EQ(p.stage(s_new).probability, 0.1);
  EXPECT_DOUBLE_EQ(p.stage(s_won).probability, 1.0);   // won default
  EXPECT_DOUBLE_EQ(p.stage(s_lose).probability, 0.0);  // lost default
  EXPECT_EQ(p.stage(s_new).funnel_position, 0);
  EXPECT_EQ(p.stage(s_won).funnel_position, -1);
  EXPECT_FALSE(p.stage(s_new).sla.has_value());
  EXPECT_FALSE(p.is_terminal(s_new));
  EXPECT_TRUE(p.is_terminal(s_won));
  EXPECT_TRUE(p.is_terminal(s_lose));
  ASSERT_EQ(p.entry_stages().size(), 1u);
  EXPECT_EQ(p.default_entry(), s_new);
  EXPECT_TRUE(p.is_entry(s_new));
  EXPECT_FALSE(p.is_entry(s_won));
  EXPECT_EQ(std::vector<StageId>(p.open_stages().begin(), p.open_stages().end()),
            std::vector<StageId>{s_new});
  EXPECT_EQ(std::vector<StageId>(p.won_stages().begin(), p.won_stages().end()), std::vector<StageId>{s_won});
  EXPECT_EQ(std::vector<StageId>(p.lost_stages().begin(), p.lost_stages().end()),
            std::vector<StageId>{s_lose});
  EXPECT_EQ(p.terminal_stages().size(), 2u);
  EXPECT_TRUE(p.allows(s_new, s_won));
  EXPECT_TRUE(p.allows(s_new, s_lose));
  EXPECT_FALSE(p.allows(s_new, s_new));
  EXPECT_FALSE(p.allows(s_won, s_new));
  EXPECT_FALSE(p.allows(s_lose, s_won));
  EXPECT_TRUE(p.guards(s_new, s_won).empty());
  EXPECT_EQ(std::vector<StageId>(p.reachable_terminals(s_new).begin(), p.reachable_terminals(s_new).end()),
            (std::vector<StageId>{s_won, s_lose}));
  EXPECT_TRUE(p.reachable_terminals(s_won).empty());
  EXPECT_TRUE(p.handoffs().empty());
}

TEST(PipelineDefinition, FindStageByUnicodeAndAsciiIds) {
  auto loaded = parse_pipeline_text(testing::pipeline_json(
      R"({"id": "Новая", "name": "Новая сделка", "kind": "open", "probability": 0.1},
         {"id": "Счёт", "name": "Счёт на предоплату 🧾", "kind": "open", "probability": 0.5},
         {"id": "WON", "name": "Сделка успешна", "kind": "won"},
         {"id": "LOSE", "kind": "lost"})"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const Pipeline& p = loaded->pipeline;
  EXPECT_EQ(p.find_stage("Счёт"), StageId(1));
  EXPECT_EQ(p.find_stage("Новая"), StageId(0));
  EXPECT_EQ(p.find_stage("LOSE"), StageId(3));
  EXPECT_EQ(p.find_stage("Счет"), std::nullopt);  // е is not ё: byte-exact ids
  EXPECT_EQ(p.find_stage(""), std::nullopt);
  EXPECT_EQ(p.stage(StageId(1)).name, "Счёт на предоплату 🧾");
  EXPECT_EQ(p.stage(StageId(3)).name, "LOSE");  // name defaults to the id
}

TEST(PipelineDefinition, OutOfRangeIdsAreRefusedNotUndefined) {
  auto loaded = parse_pipeline_text(kMinimal);
  ASSERT_TRUE(loaded.ok());
  const Pipeline& p = loaded->pipeline;
  EXPECT_FALSE(p.allows(StageId(0), StageId(3)));
  EXPECT_FALSE(p.allows(StageId(), StageId(1)));
  EXPECT_FALSE(p.is_reopen(StageId(7), StageId(0)));
  EXPECT_TRUE(p.guards(StageId(0), StageId(9)).empty());
  EXPECT_TRUE(p.successors(StageId(9)).empty());
  EXPECT_TRUE(p.entry_guards(StageId(9)).empty());
}

TEST(PipelineDefinition, OpenStagesInFunnelOrderWhateverTheTerminalsPosition) {
  auto loaded = parse_pipeline_text(testing::pipeline_json(
      R"({"id": "LOSE", "kind": "lost"},
         {"id": "A", "kind": "open", "probability": 0.1},
         {"id": "WON", "kind": "won"},
         {"id": "B", "kind": "open", "probability": 0.2},
         {"id": "JUNK", "kind": "lost"},
         {"id": "C", "kind": "open", "probability": 0.3})"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const Pipeline& p = loaded->pipeline;
  EXPECT_EQ(std::vector<StageId>(p.open_stages().begin(), p.open_stages().end()),
            (std::vector<StageId>{StageId(1), StageId(3), StageId(5)}));
  EXPECT_EQ(std::vector<StageId>(p.lost_stages().begin(), p.lost_stages().end()),
            (std::vector<StageId>{StageId(0), StageId(4)}));
  EXPECT_EQ(p.stage(StageId(3)).funnel_position, 1);
  EXPECT_EQ(p.default_entry(), StageId(1));  // the first OPEN stage, not the first stage
}

TEST(PipelineDefinition, DeclaredEntriesReplaceTheFirstOpenStage) {
  auto loaded = parse_pipeline_text(testing::pipeline_json(
      R"({"id": "A", "kind": "open", "probability": 0.1},
         {"id": "B", "kind": "open", "probability": 0.2},
         {"id": "WON", "kind": "won"}, {"id": "LOSE", "kind": "lost"})",
      R"("entries": ["B", "A"])"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const Pipeline& p = loaded->pipeline;
  EXPECT_EQ(std::vector<StageId>(p.entry_stages().begin(), p.entry_stages().end()),
            (std::vector<StageId>{StageId(1), StageId(0)}));
  EXPECT_EQ(p.default_entry(), StageId(1));
}

TEST(PipelineDefinition, GuardsOfAMoveAreTargetRequiredFieldsThenStageGuardsThenTransitionGuards) {
  auto loaded = parse_pipeline_text(testing::pipeline_json(
      R"({"id": "A", "kind": "open", "probability": 0.1},
         {"id": "B", "kind": "open", "probability": 0.5, "required_fields": ["client", "Регион сделки"],
          "guards": [{"type": "amount_positive"}, {"type": "actor_role", "roles": ["head", "manager", "head"]}]},
         {"id": "WON", "kind": "won", "guards": [{"type": "predicate", "name": "paid"}]},
         {"id": "LOSE", "kind": "lost"})",
      R"("roles": ["manager", "head"],
         "transitions": [{"from": "A", "to": "B", "guards": [{"type": "predicate", "name": "credit_ok"}]}],
         "reopens": [{"from": "LOSE", "to": "B", "guards": [{"type": "actor_role", "roles": ["head"]}]}])"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const Pipeline& p = loaded->pipeline;
  const Vocabulary& v = p.vocabulary();
  const StageId a{0}, b{1}, won{2}, lose{3};

  auto ab = p.guards(a, b);
  ASSERT_EQ(ab.size(), 4u);
  EXPECT_EQ(ab[0].kind, GuardKind::required_fields);
  ASSERT_EQ(ab[0].fields.size(), 2u);
  EXPECT_EQ(ab[0].fields[0], builtin_field::client);
  EXPECT_EQ(v.field_name(ab[0].fields[1]), "Регион сделки");
  EXPECT_EQ(ab[1].kind, GuardKind::amount_positive);
  EXPECT_EQ(ab[2].kind, GuardKind::actor_role);
  // roles are sorted by id and unique: manager (declared first) = 0, head = 1
  EXPECT_EQ(ab[2].roles, (std::vector<RoleId>{*v.find_role("manager"), *v.find_role("head")}));
  EXPECT_EQ(ab[3].kind, GuardKind::predicate);
  EXPECT_EQ(v.predicate_name(ab[3].predicate), "credit_ok");

  // A move without its own guards gets exactly the target's (the entry guards).
  auto wonb = p.guards(a, won);
  ASSERT_EQ(wonb.size(), 1u);
  EXPECT_EQ(v.predicate_name(wonb[0].predicate), "paid");
  EXPECT_EQ(p.entry_guards(b).size(), 3u);
  EXPECT_TRUE(p.entry_guards(a).empty());

  // The reopen adds its guard after B's.
  ASSERT_TRUE(p.allows(lose, b));
  EXPECT_TRUE(p.is_reopen(lose, b));
  auto reopen = p.guards(lose, b);
  ASSERT_EQ(reopen.size(), 4u);
  EXPECT_EQ(reopen[3].kind, GuardKind::actor_role);
  EXPECT_EQ(reopen[3].roles, (std::vector<RoleId>{*v.find_role("head")}));
  EXPECT_EQ(std::vector<RoleId>(p.declared_roles().begin(), p.declared_roles().end()),
            (std::vector<RoleId>{*v.find_role("manager"), *v.find_role("head")}));
  // Not allowed: no guards.
  EXPECT_TRUE(p.guards(won, a).empty());
}

TEST(PipelineDefinition, OnEnterActionsAndSlaCompileToData) {
  auto loaded = parse_pipeline_text(testing::pipeline_json(
      R"({"id": "A", "kind": "open", "probability": 0.1, "sla": {"limit": "1h30m"},
          "on_enter": [{"action": "set_probability", "probability": 0.25},
                       {"action": "set_field", "field": "этап_документа", "value": "КП"},
                       {"action": "timed_move", "to": "LOSE", "after": "30d", "basis": "calendar"},
                       {"action": "escalate", "after": "8h", "name": "stuck", "notify_role": "head"},
                       {"action": "escalate", "after": "2w", "basis": "calendar"}]},
         {"id": "WON", "kind": "won", "sla": {"limit": "2d", "basis": "calendar"}},
         {"id": "LOSE", "kind": "lost"})",
      R"("roles": ["head"])"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  const Pipeline& p = loaded->pipeline;
  const Stage& a = p.stage(StageId(0));
  ASSERT_TRUE(a.sla.has_value());
  EXPECT_EQ(*a.sla, (Sla{Duration(5400), TimeBasis::business}));  // business is the default basis
  EXPECT_EQ(*p.stage(StageId(1)).sla, (Sla{Duration(2 * 86400), TimeBasis::calendar}));
  ASSERT_EQ(a.on_enter.size(), 5u);
  EXPECT_EQ(action_kind(a.on_enter[0]), ActionKind::set_probability);
  EXPECT_EQ(std::get<SetProbability>(a.on_enter[0]).probability, 0.25);
  const auto& set = std::get<SetField>(a.on_enter[1]);
  EXPECT_EQ(p.vocabulary().field_name(set.field), "этап_документа");
  EXPECT_EQ(set.value, "КП");
  EXPECT_EQ(std::get<TimedMove>(a.on_enter[2]),
            (TimedMove{StageId(2), Duration(30 * 86400), TimeBasis::calendar}));
  const auto& esc = std::get<Escalation>(a.on_enter[3]);
  EXPECT_EQ(esc.after, Duration(8 * 3600));
  EXPECT_EQ(esc.basis, TimeBasis::business);
  EXPECT_EQ(esc.name, "stuck");
  EXPECT_EQ(p.vocabulary().role_name(esc.notify_role), "head");
  const auto& esc2 = std::get<Escalation>(a.on_enter[4]);
  EXPECT_EQ(esc2.name, "escalation");
  EXPECT_FALSE(esc2.notify_role.valid());
  EXPECT_EQ(action_kind(a.on_enter[4]), ActionKind::escalate);
}

TEST(PipelineDefinition, VocabularyStartsWithTheBuiltinFieldsAtFixedIds) {
  Vocabulary v;
  EXPECT_EQ(v.field_count(), builtin_field::kCount);
  EXPECT_EQ(v.find_field("amount"), builtin_field::amount);
  EXPECT_EQ(v.find_field("owner"), builtin_field::owner);
  EXPECT_EQ(v.find_field("client"), builtin_field::client);
  EXPECT_EQ(v.find_field("region"), builtin_field::region);
  EXPECT_EQ(v.find_field("source"), builtin_field::source);
  EXPECT_EQ(v.intern_field("Отрасль"), FieldId(9));
  EXPECT_EQ(v.intern_field("Отрасль"), FieldId(9));
  EXPECT_EQ(v.find_role("head"), std::nullopt);
  EXPECT_EQ(v.intern_role("head"), RoleId(0));
  EXPECT_EQ(v.intern_predicate("paid"), PredicateId(0));
  EXPECT_EQ(v.predicate_name(PredicateId(0)), "paid");
}

TEST(PipelineDefinition, PipelinesLoadedWithOneVocabularyShareFieldIds) {
  auto vocab = std::make_shared<Vocabulary>();
  auto p1 = parse_pipeline_text(
      testing::pipeline_json(
          R"({"id": "A", "kind": "open", "probability": 0.1, "required_fields": ["Отрасль"]},
         {"id": "WON", "kind": "won"}, {"id": "LOSE", "kind": "lost"})"),
      "a.json", vocab);
  auto p2 = parse_pipeline_text(R"({"id": "q", "stages": [
         {"id": "X", "kind": "open", "probability": 0.1, "required_fields": ["Размер", "Отрасль"]},
         {"id": "WON", "kind": "won"}, {"id": "LOSE", "kind": "lost"}]})",
                                "b.json", vocab);
  ASSERT_TRUE(p1.ok() && p2.ok());
  EXPECT_EQ(p1->pipeline.stage(StageId(0)).required_fields[0],
            p2->pipeline.stage(StageId(0)).required_fields[1]);
  EXPECT_EQ(&p1->pipeline.vocabulary(), &p2->pipeline.vocabulary());
  EXPECT_EQ(p2->pipeline.name(), "q");  // name defaults to the id
}

TEST(PipelineDefinition, CompileFromASpecBuiltInCode) {
  PipelineSpec spec;
  spec.id = "code";
  spec.policy = MovePolicy::no_backward;
  spec.stages = {make_stage("A", "Первый", StageKind::open, 0.3),
                 make_stage("B", "Второй", StageKind::open, 0.6), make_stage("W", "W", StageKind::won),
                 make_stage("L", "L", StageKind::lost)};
  CompiledPipeline c = compile_pipeline(spec);
  ASSERT_TRUE(c.pipeline.has_value()) << testing::dump(c.report);
  EXPECT_TRUE(c.report.ok());
  EXPECT_TRUE(c.pipeline->allows(StageId(0), StageId(1)));
  EXPECT_FALSE(c.pipeline->allows(StageId(1), StageId(0)));
  spec.stages[1].kind = StageKind::won;
  spec.stages[0].probability = 2.0;
  CompiledPipeline bad = compile_pipeline(spec);
  EXPECT_FALSE(bad.pipeline.has_value());
  ASSERT_EQ(bad.report.errors.size(), 1u) << testing::dump(bad.report);
  EXPECT_EQ(bad.report.errors[0].kind, DiagnosticKind::probability_out_of_range);
  EXPECT_EQ(bad.report.errors[0].file, "");
  EXPECT_EQ(bad.report.errors[0].offending_id, "A");
}

TEST(PipelineDefinition, ShippedPipelinesLoadWithTheirDocumentedStages) {
  const std::string dir = std::string(DEALFLOW_SOURCE_DIR) + "/data/pipelines/";
  auto bitrix = load_pipeline_file(dir + "bitrix24_default.json");
  ASSERT_TRUE(bitrix.ok()) << bitrix.status().to_string();
  EXPECT_TRUE(bitrix->warnings.empty());
  const Pipeline& b = bitrix->pipeline;
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"NEW", "Новая"},
      {"PREPARATION", "Подготовка документов"},
      {"PREPAYMENT_INVOICE", "Счёт на предоплату"},
      {"EXECUTING", "В работе"},
      {"FINAL_INVOICE", "Финальный счёт"},
      {"WON", "Сделка успешна"},
      {"LOSE", "Сделка провалена"},
      {"APOLOGY", "Анализ причины провала"}};
  ASSERT_EQ(b.stage_count(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(b.stage(StageId(static_cast<std::uint16_t>(i))).id, expected[i].first);
    EXPECT_EQ(b.stage(StageId(static_cast<std::uint16_t>(i))).name, expected[i].second);
  }
  EXPECT_EQ(b.policy(), MovePolicy::free);
  EXPECT_EQ(b.open_stages().size(), 5u);
  EXPECT_EQ(b.lost_stages().size(), 2u);
  EXPECT_TRUE(b.is_reopen(*b.find_stage("LOSE"), *b.find_stage("NEW")));
  EXPECT_FALSE(b.allows(*b.find_stage("APOLOGY"), *b.find_stage("NEW")));

  auto sf = load_pipeline_file(dir + "salesforce.json");
  ASSERT_TRUE(sf.ok()) << sf.status().to_string();
  EXPECT_EQ(sf->pipeline.stage_count(), 10u);
  EXPECT_DOUBLE_EQ(sf->pipeline.stage(*sf->pipeline.find_stage("Proposal/Price Quote")).probability, 0.75);
  EXPECT_DOUBLE_EQ(sf->pipeline.stage(*sf->pipeline.find_stage("Negotiation/Review")).probability, 0.9);

  auto hs = load_pipeline_file(dir + "hubspot.json");
  ASSERT_TRUE(hs.ok()) << hs.status().to_string();
  EXPECT_EQ(hs->pipeline.policy(), MovePolicy::no_backward);
  EXPECT_DOUBLE_EQ(hs->pipeline.stage(*hs->pipeline.find_stage("contractsent")).probability, 0.9);
  EXPECT_DOUBLE_EQ(hs->pipeline.stage(*hs->pipeline.find_stage("appointmentscheduled")).probability, 0.2);
}

TEST(PipelineDefinition, DurationText) {
  EXPECT_EQ(*parse_duration_text("8h", TimeBasis::business), Duration(28800));
  EXPECT_EQ(*parse_duration_text("1h30m", TimeBasis::business), Duration(5400));
  EXPECT_EQ(*parse_duration_text("45s", TimeBasis::business), Duration(45));
  EXPECT_EQ(*parse_duration_text("1w2d", TimeBasis::calendar), Duration(9 * 86400));
  EXPECT_FALSE(parse_duration_text("3d", TimeBasis::business).ok());
  EXPECT_FALSE(parse_duration_text("", TimeBasis::calendar).ok());
  EXPECT_FALSE(parse_duration_text("h", TimeBasis::calendar).ok());
  EXPECT_FALSE(parse_duration_text("8", TimeBasis::calendar).ok());
  EXPECT_FALSE(parse_duration_text("8x", TimeBasis::calendar).ok());
  EXPECT_FALSE(parse_duration_text("0h", TimeBasis::calendar).ok());
  EXPECT_FALSE(parse_duration_text("-1h", TimeBasis::calendar).ok());
  // At most 2^32 - 1 s, the history's time span (so entry + delay cannot overflow).
  EXPECT_EQ(*parse_duration_text("4294967295s", TimeBasis::calendar), Duration(4294967295));
  EXPECT_EQ(*parse_duration_text("1193046h28m15s", TimeBasis::business), kMaxConfigDuration);
  const auto too_long = parse_duration_text("4294967296s", TimeBasis::calendar);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().code(), ErrorCode::parse_error);
  EXPECT_EQ(too_long.status().message(),
            "invalid duration '4294967296s': longer than the maximum 4294967295s (about 136 years, the time "
            "span of "
            "the history)");
  EXPECT_EQ(*parse_duration_text("7101w", TimeBasis::calendar), Duration(std::int64_t{7101} * 604800));
  EXPECT_EQ(
      parse_duration_text("7102w", TimeBasis::calendar).status().message(),
      "invalid duration '7102w': longer than the maximum 4294967295s (about 136 years, the time span of the "
      "history)");
  // Before the cap existed, this parsed to 9.2e18 s and overflowed the due instant.
  EXPECT_EQ(
      parse_duration_text("2562047788015215h", TimeBasis::business).status().message(),
      "invalid duration '2562047788015215h': longer than the maximum 4294967295s (about 136 years, the time "
      "span of the history)");
  EXPECT_FALSE(parse_duration_text("99999999999999999999h", TimeBasis::calendar).ok());
  EXPECT_EQ(format_duration_text(Duration(5400)), "1h30m");
  EXPECT_EQ(format_duration_text(Duration(3 * 86400)), "3d");
  EXPECT_EQ(format_duration_text(Duration(0)), "0s");
  EXPECT_EQ(format_duration_text(Duration(86400 + 61)), "1d1m1s");
}

}  // namespace
}  // namespace dealflow
