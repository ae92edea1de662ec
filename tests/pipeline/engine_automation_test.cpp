// On-enter automation: set_probability and set_field actions, host callbacks
// (after commit, in order, re-entrant), and callbacks that throw.
#include <stdexcept>

#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace dealflow {
namespace {

using namespace engine_testing;

template <class E>
class EngineAutomation : public ::testing::Test {};
using Engines = ::testing::Types<Engine, ConcurrentEngine>;
TYPED_TEST_SUITE(EngineAutomation, Engines);

const char* kActions = R"({"id": "a", "policy": "free", "stages": [
    {"id": "NEW", "kind": "open", "probability": 0.1},
    {"id": "TALK", "kind": "open", "probability": 0.4,
     "on_enter": [{"action": "set_probability", "probability": 0.55},
                  {"action": "set_field", "field": "source", "value": "Звонок"},
                  {"action": "set_field", "field": "segment", "value": "Ключевой"}]},
    {"id": "PAUSE", "kind": "open", "probability": 0.2,
     "on_enter": [{"action": "set_field", "field": "segment", "value": ""}]},
    {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"}]})";

NewDeal new_deal(std::string_view iso) {
  NewDeal d;
  d.created_at = at(iso);
  d.amount = Money(5000000, Currency::of("RUB"));
  d.actor = kAnna;
  return d;
}

TYPED_TEST(EngineAutomation, SetProbabilityAndSetFieldRunOnEnter) {
  auto ws = workspace_of({kActions});
  TypeParam e = make_engine<TypeParam>(ws);
  const DealId id = e.create(new_deal("2024-03-01T09:00:00Z")).deal;
  EXPECT_EQ(*e.probability(id), 0.1);
  const std::size_t fields_before = e.history().field_event_count();
  ASSERT_TRUE(e.move(id, stage(*ws, "TALK"), at("2024-03-01T10:00:00Z"), kAnna));
  const Deal d = *e.deal(id);
  EXPECT_EQ(d.probability_override, 0.55);
  EXPECT_EQ(*e.probability(id), 0.55);
  const FieldId source = *e.find_field("source"), segment = *e.find_field("segment");
  EXPECT_EQ(e.value_text(source, d.attribute(source)), "Звонок");
  EXPECT_EQ(e.value_text(segment, d.attribute(segment)), "Ключевой");
  // Three field events by the system actor at the move's instant.
  ASSERT_EQ(e.history().field_event_count(), fields_before + 3);
  const FieldEvent& p = e.history().field_event(fields_before);
  EXPECT_EQ(p.field, kProbabilityField);
  EXPECT_EQ(p.value, 550000u);
  EXPECT_EQ(p.actor, kSystemActor);
  EXPECT_EQ(e.history().instant(p.at), at("2024-03-01T10:00:00Z"));
  EXPECT_EQ(e.history().field_event(fields_before + 1).field, source.value());
  // "" clears the field.
  ASSERT_TRUE(e.move(id, stage(*ws, "PAUSE"), at("2024-03-01T11:00:00Z"), kAnna));
  EXPECT_EQ(e.deal(id)->attribute(segment), kNoValue);
  EXPECT_EQ(e.deal(id)->attribute(source), d.attribute(source));
  // The override stays until changed; set_probability(nullopt) clears it.
  EXPECT_EQ(*e.probability(id), 0.55);
  ASSERT_TRUE(e.set_probability(id, std::nullopt, at("2024-03-01T11:00:00Z"), kAnna));
  EXPECT_EQ(*e.probability(id), 0.2);
}

TYPED_TEST(EngineAutomation, ActionsRunOnCreationInTheEntryStage) {
  auto ws = workspace_of({R"({"id": "c", "stages": [
      {"id": "NEW", "kind": "open", "probability": 0.1,
       "on_enter": [{"action": "set_field", "field": "channel", "value": "Сайт"},
                    {"action": "set_probability", "probability": 0.15}]},
      {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"}]})"});
  TypeParam e = make_engine<TypeParam>(ws);
  NewDeal nd = new_deal("2024-03-01T09:00:00Z");
  nd.attributes = {{"channel", "Звонок"}};
  const MoveResult r = e.create(nd);
  ASSERT_TRUE(r) << r.message;
  const FieldId channel = *e.find_field("channel");
  // The action runs after the initial values: it overrides the given channel.
  EXPECT_EQ(e.value_text(channel, e.deal(r.deal)->attribute(channel)), "Сайт");
  EXPECT_EQ(*e.probability(r.deal), 0.15);
  // amount + channel (initial), then channel + probability (automation).
  EXPECT_EQ(e.history().field_event_count(), 4u);
  EXPECT_EQ(e.history().field_event(3).actor, kSystemActor);
}

TYPED_TEST(EngineAutomation, CallbacksRunAfterCommitInOrder) {
  auto ws = workspace_of({kActions});
  TypeParam e = make_engine<TypeParam>(ws);
  std::vector<std::string> log;
  TypeParam* engine = &e;
  ASSERT_TRUE(e.on_enter(PipelineId{0}, stage(*ws, "TALK"), "talk", [&](const MoveNotice& n) {
                 // Committed: the engine already shows the new stage and the event.
                 const Deal d = *engine->deal(n.deal);
                 log.push_back(std::string("talk ") + std::to_string(n.deal.value()) + " stage=" + std::to_string(d.stage.value()) +
                               " events=" + std::to_string(engine->history().size()) +
                               " from=" + std::to_string(n.from.value()) + " cause=" + std::string(to_string(n.cause)));
               }).ok());
  ASSERT_TRUE(e.on_any_entry("all", [&](const MoveNotice& n) {
                 log.push_back(std::string("all ") + std::to_string(n.deal.value()) + "->" + std::to_string(n.to.value()));
               }).ok());
  const DealId id = e.create(new_deal("2024-03-01T09:00:00Z")).deal;
  ASSERT_TRUE(e.move(id, stage(*ws, "TALK"), at("2024-03-01T10:00:00Z"), kAnna));
  EXPECT_EQ(log, (std::vector<std::string>{"all 0->0", "talk 0 stage=1 events=2 from=0 cause=moved", "all 0->1"}));
  EXPECT_EQ(e.on_enter(PipelineId{3}, StageId{0}, "x", [](const MoveNotice&) {}).code(), ErrorCode::not_found);
  EXPECT_EQ(e.on_enter(PipelineId{0}, StageId{9}, "x", [](const MoveNotice&) {}).code(), ErrorCode::not_found);
  EXPECT_EQ(e.on_any_entry("x", StageCallback{}).code(), ErrorCode::invalid_argument);
}

TYPED_TEST(EngineAutomation, ACallbackMayCallBackIntoTheEngine) {
  auto ws = workspace_of({kActions});
  TypeParam e = make_engine<TypeParam>(ws);
  TypeParam* engine = &e;
  const DealId a = e.create(new_deal("2024-03-01T09:00:00Z")).deal;
  const DealId b = e.create(new_deal("2024-03-01T09:00:00Z")).deal;
  // Entering WON with deal a loses the competing deal b, and moves a itself on.
  ASSERT_TRUE(e.on_enter(PipelineId{0}, stage(*ws, "TALK"), "follow", [&](const MoveNotice& n) {
                 if (n.deal == a) {
                   EXPECT_TRUE(engine->move(b, stage(*ws, "LOST"), n.at, n.actor));
                   EXPECT_TRUE(engine->move(a, stage(*ws, "PAUSE"), n.at, n.actor));
                 }
               }).ok());
  ASSERT_TRUE(e.move(a, stage(*ws, "TALK"), at("2024-03-01T10:00:00Z"), kAnna));
  EXPECT_EQ(e.deal(a)->stage, stage(*ws, "PAUSE"));
  EXPECT_EQ(e.deal(b)->stage, stage(*ws, "LOST"));
  EXPECT_EQ(e.history().size(), 5u);
}

TYPED_TEST(EngineAutomation, AThrowingCallbackIsRecordedAndCorruptsNothing) {
  auto ws = workspace_of({kActions});
  TypeParam e = make_engine<TypeParam>(ws);
  int later_ran = 0;
  ASSERT_TRUE(e.on_enter(PipelineId{0}, stage(*ws, "TALK"), "crm_webhook",
                         [](const MoveNotice&) { throw std::runtime_error("HTTP 503"); })
                  .ok());
  ASSERT_TRUE(e.on_enter(PipelineId{0}, stage(*ws, "TALK"), "int_thrower", [](const MoveNotice&) { throw 42; }).ok());
  ASSERT_TRUE(e.on_enter(PipelineId{0}, stage(*ws, "TALK"), "counter", [&](const MoveNotice&) { ++later_ran; }).ok());
  const DealId id = e.create(new_deal("2024-03-01T09:00:00Z")).deal;
  const MoveResult r = e.move(id, stage(*ws, "TALK"), at("2024-03-01T10:00:00Z"), kAnna);
  EXPECT_TRUE(r.applied());
  EXPECT_EQ(r.automation_failures, 2u);
  EXPECT_EQ(later_ran, 1);  // the callbacks after the throwing ones still ran
  EXPECT_EQ(e.deal(id)->stage, stage(*ws, "TALK"));
  const auto failures = e.automation_failures();
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].kind, AutomationFailureKind::callback_threw);
  EXPECT_EQ(failures[0].name, "crm_webhook");
  EXPECT_EQ(failures[0].message, "HTTP 503");
  EXPECT_EQ(failures[0].deal, id);
  EXPECT_EQ(failures[0].stage, stage(*ws, "TALK"));
  EXPECT_EQ(failures[0].at, at("2024-03-01T10:00:00Z"));
  EXPECT_EQ(failures[1].message, "unknown exception");
  // The deal is not left locked; the engine keeps working.
  EXPECT_TRUE(e.move(id, stage(*ws, "WON"), at("2024-03-01T11:00:00Z"), kAnna));
  EXPECT_EQ(e.history().size(), 3u);
}

}  // namespace
}  // namespace dealflow
