// Hand-offs between pipelines: create_linked (the shipped b2b_sales ->
// onboarding tunnel) and move, the link kept both ways, and a hand-off whose
// target refuses the deal.
#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace dealflow {
namespace {

using namespace engine_testing;

template <class E>
class EngineHandoff : public ::testing::Test {};
using Engines = ::testing::Types<Engine, ConcurrentEngine>;
TYPED_TEST_SUITE(EngineHandoff, Engines);

const ManagerId kHead{2};

template <class E>
E b2b_engine(std::shared_ptr<const Workspace> ws) {
  EngineOptions o;
  EXPECT_TRUE(o.predicates.add("payment_received", [](const GuardContext&) { return true; }).ok());
  o.actor_roles = {{kAnna, {"manager"}}, {kHead, {"head"}}};
  return make_engine<E>(std::move(ws), std::move(o));
}

TYPED_TEST(EngineHandoff, WonB2bDealOpensALinkedOnboardingDeal) {
  auto ws = workspace_files({"b2b_sales.json", "onboarding.json"});
  ASSERT_TRUE(ws);
  const PipelineId sales = *ws->find_pipeline("b2b_sales"), onboarding = *ws->find_pipeline("onboarding");
  TypeParam e = b2b_engine<TypeParam>(ws);
  NewDeal nd;
  nd.pipeline = sales;
  nd.created_at = at("2024-03-01T09:00:00Z");
  nd.amount = Money(250000000, Currency::of("RUB"));
  nd.owner = kAnna;
  nd.client = ClientId{77};
  nd.actor = kAnna;
  nd.attributes = {{"region", "Казань"}, {"product", "CRM"}};
  const DealId id = e.create(nd).deal;
  Instant t = at("2024-03-01T10:00:00Z");
  for (const char* s : {"QUALIFIED", "PROPOSAL", "CONTRACT"}) {
    const MoveResult r = e.move(id, stage(*ws, s, sales), t, kAnna);
    ASSERT_TRUE(r) << r.message;
  }
  const std::size_t events_before = e.history().size();
  const MoveResult won = e.move(id, stage(*ws, "WON", sales), at("2024-03-05T12:00:00Z"), kAnna);
  ASSERT_TRUE(won) << won.message;
  EXPECT_EQ(won.automation_failures, 0u);

  // The source stays WON; a new deal sits in onboarding KICKOFF.
  ASSERT_EQ(e.deal_count(), 2u);
  const Deal src = *e.deal(id), linked = *e.deal(DealId{1});
  EXPECT_EQ(src.stage, stage(*ws, "WON", sales));
  EXPECT_EQ(linked.pipeline, onboarding);
  EXPECT_EQ(linked.stage, stage(*ws, "KICKOFF", onboarding));
  EXPECT_EQ(linked.source_deal, id);
  EXPECT_FALSE(src.source_deal.valid());
  EXPECT_EQ(linked.amount, src.amount);
  EXPECT_EQ(linked.owner, kAnna);
  EXPECT_EQ(linked.client, ClientId{77});
  EXPECT_EQ(linked.attributes, src.attributes);
  EXPECT_EQ(linked.created_at, at("2024-03-05T12:00:00Z"));
  EXPECT_FALSE(linked.probability_override.has_value());  // the source's 0.85 override is not copied
  EXPECT_EQ(*e.probability(DealId{1}), 0.7);

  // Two events: the move to WON, the linked deal's creation.
  ASSERT_EQ(e.history().size(), events_before + 2);
  const DecodedEvent created = e.history().decode(e.history().event(events_before + 1));
  EXPECT_EQ(created.deal, DealId{1});
  EXPECT_EQ(created.cause, EventCause::handoff_created);
  EXPECT_EQ(created.to_pipeline, onboarding);
  EXPECT_FALSE(created.from.valid());
  EXPECT_EQ(created.actor, kAnna);
  // The link is history too: the linked deal's initial field events start with
  // its source, then amount, owner, client, region, product, document (set by PROPOSAL).
  std::vector<FieldEvent> linked_fields;
  for (std::size_t i = 0; i < e.history().field_event_count(); ++i)
    if (e.history().field_event(i).deal == 1) linked_fields.push_back(e.history().field_event(i));
  ASSERT_EQ(linked_fields.size(), 7u);
  const std::uint32_t t_won = *e.history().offset_of(at("2024-03-05T12:00:00Z"));
  EXPECT_EQ(linked_fields.front(),
            (FieldEvent{1, t_won, kSourceDealField, static_cast<std::uint16_t>(kAnna.value()), 0}));
  EXPECT_FALSE(e.as_of(at("2024-03-05T11:59:59Z")).exists(DealId{1}));
  const HistoryState s = e.as_of(at("2024-03-05T12:00:00Z"));
  EXPECT_EQ(s.deal(DealId{1}).source_deal, id);
  EXPECT_FALSE(s.deal(id).source_deal.valid());

  // The link, from both sides.
  for (DealId d : {id, DealId{1}}) {
    const auto links = e.links(d);
    ASSERT_EQ(links.size(), 1u);
    EXPECT_EQ(links[0].source, id);
    EXPECT_EQ(links[0].target, DealId{1});
    EXPECT_EQ(links[0].source_pipeline, sales);
    EXPECT_EQ(links[0].trigger, stage(*ws, "WON", sales));
    EXPECT_EQ(links[0].target_pipeline, onboarding);
    EXPECT_EQ(links[0].target_stage, stage(*ws, "KICKOFF", onboarding));
    EXPECT_EQ(links[0].mode, HandoffMode::create_linked);
    EXPECT_EQ(links[0].handoff_id, "start_onboarding");
  }
  // KICKOFF has an 8h business SLA: rotting after Tuesday 12:00 + 8 business hours.
  const TickReport r = e.tick(at("2024-03-06T12:00:01Z"));
  ASSERT_EQ(r.rotting.size(), 1u);
  EXPECT_EQ(r.rotting[0].deal, DealId{1});
}

const char* kHandoffSales = R"({"id": "sales", "policy": "free", "stages": [
    {"id": "NEW", "kind": "open", "probability": 0.1},
    {"id": "TO_SERVICE", "kind": "open", "probability": 0.5,
     "on_enter": [{"action": "set_field", "field": "channel", "value": "Передача"}]},
    {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"}],
  "handoffs": [{"id": "to_service", "from": "TO_SERVICE", "pipeline": "service", "stage": "INTAKE", "mode": "move"}]})";
const char* kHandoffService = R"({"id": "service", "policy": "no_skip", "stages": [
    {"id": "INTAKE", "kind": "open", "probability": 0.3, "required_fields": ["product"],
     "on_enter": [{"action": "set_probability", "probability": 0.35}]},
    {"id": "DONE", "kind": "won"}, {"id": "DROPPED", "kind": "lost"}]})";

TYPED_TEST(EngineHandoff, MoveModeTakesTheDealItselfToTheOtherPipeline) {
  auto ws = workspace_of({kHandoffSales, kHandoffService});
  TypeParam e = make_engine<TypeParam>(ws);
  const PipelineId sales{0}, service{1};
  std::vector<std::string> seen;
  ASSERT_TRUE(e.on_any_entry("log", [&](const MoveNotice& n) {
                 seen.push_back(std::to_string(n.pipeline.value()) + ":" + std::to_string(n.to.value()) + ":" +
                                std::string(to_string(n.cause)));
               }).ok());
  NewDeal nd;
  nd.created_at = at("2024-03-01T09:00:00Z");
  nd.attributes = {{"product", "Сервис"}};
  const DealId id = e.create(nd).deal;
  const MoveResult r = e.move(id, stage(*ws, "TO_SERVICE", sales), at("2024-03-01T10:00:00Z"), kAnna);
  ASSERT_TRUE(r) << r.message;
  const Deal d = *e.deal(id);
  EXPECT_EQ(d.pipeline, service);
  EXPECT_EQ(d.stage, stage(*ws, "INTAKE", service));
  EXPECT_EQ(d.stage_entries, 3u);
  EXPECT_EQ(*e.probability(id), 0.35);  // the target stage's actions ran
  const FieldId channel = *e.find_field("channel");
  EXPECT_EQ(e.value_text(channel, d.attribute(channel)), "Передача");  // and the trigger stage's
  EXPECT_EQ(e.deal_count(), 1u);
  ASSERT_EQ(e.history().size(), 3u);
  const DecodedEvent ev = e.history().decode(e.history().event(2));
  EXPECT_EQ(ev.cause, EventCause::handoff_moved);
  EXPECT_EQ(ev.from_pipeline, sales);
  EXPECT_EQ(ev.from, stage(*ws, "TO_SERVICE", sales));
  EXPECT_EQ(ev.to_pipeline, service);
  EXPECT_EQ(ev.to, stage(*ws, "INTAKE", service));
  const auto links = e.links(id);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].source, id);
  EXPECT_EQ(links[0].target, id);
  EXPECT_EQ(links[0].mode, HandoffMode::move);
  EXPECT_EQ(seen, (std::vector<std::string>{"0:0:created", "0:1:moved", "1:0:handoff_moved"}));
  // Now the service pipeline's policy applies (no_skip, from INTAKE).
  EXPECT_TRUE(e.move(id, stage(*ws, "DONE", service), at("2024-03-01T11:00:00Z"), kAnna));
}

// A move hand-off out of a lost stage is accepted only because the pipeline
// declares a reopen out of it (validation); the deal leaves LOST for the
// service pipeline, cause handoff_moved.
TYPED_TEST(EngineHandoff, MoveModeOutOfALostStageWithADeclaredReopen) {
  const char* rescue = R"({"id": "sales", "policy": "free", "stages": [
      {"id": "NEW", "kind": "open", "probability": 0.1}, {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"}],
    "reopens": [{"from": "LOST", "to": "NEW"}],
    "handoffs": [{"id": "rescue", "from": "LOST", "pipeline": "service", "stage": "INTAKE", "mode": "move"}]})";
  auto ws = workspace_of({rescue, kHandoffService});
  TypeParam e = make_engine<TypeParam>(ws);
  NewDeal nd;
  nd.created_at = at("2024-03-01T09:00:00Z");
  nd.attributes = {{"product", "Сервис"}};
  const DealId id = e.create(nd).deal;
  const MoveResult r = e.move(id, stage(*ws, "LOST"), at("2024-03-01T10:00:00Z"), kAnna);
  ASSERT_TRUE(r) << r.message;
  EXPECT_EQ(r.automation_failures, 0u);
  EXPECT_EQ(e.deal(id)->pipeline, PipelineId{1});
  EXPECT_EQ(e.deal(id)->stage, stage(*ws, "INTAKE", PipelineId{1}));
  ASSERT_EQ(e.history().size(), 3u);
  const DecodedEvent ev = e.history().decode(e.history().event(2));
  EXPECT_EQ(ev.cause, EventCause::handoff_moved);
  EXPECT_EQ(ev.from_pipeline, PipelineId{0});
  EXPECT_EQ(ev.from, stage(*ws, "LOST"));
  EXPECT_EQ(ev.at, at("2024-03-01T10:00:00Z"));
}

TYPED_TEST(EngineHandoff, ARefusedHandoffLeavesTheMoveAppliedAndIsRecorded) {
  auto ws = workspace_of({kHandoffSales, kHandoffService});
  TypeParam e = make_engine<TypeParam>(ws);
  NewDeal nd;
  nd.created_at = at("2024-03-01T09:00:00Z");
  const DealId id = e.create(nd).deal;  // no product: INTAKE's required field fails
  const MoveResult r = e.move(id, stage(*ws, "TO_SERVICE"), at("2024-03-01T10:00:00Z"), kAnna);
  ASSERT_TRUE(r) << r.message;
  EXPECT_EQ(r.automation_failures, 1u);
  EXPECT_EQ(e.deal(id)->pipeline, PipelineId{0});
  EXPECT_EQ(e.deal(id)->stage, stage(*ws, "TO_SERVICE"));
  EXPECT_TRUE(e.links(id).empty());
  const auto failures = e.automation_failures();
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, AutomationFailureKind::handoff_refused);
  EXPECT_EQ(failures[0].name, "to_service");
  EXPECT_EQ(failures[0].message, "deal 0: cannot enter INTAKE of pipeline 'service': required field 'product' is empty");
}

}  // namespace
}  // namespace dealflow
