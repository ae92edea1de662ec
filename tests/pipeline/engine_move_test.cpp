// The deal engine's create/move: every policy, every guard, every refusal code,
// and "a refused request changes nothing". Typed over both engine policies:
// they run the same code and must behave identically.
#include <stdexcept>
#include <type_traits>

#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace dealflow {
namespace {

using namespace engine_testing;

template <class E>
class EngineMove : public ::testing::Test {};
using Engines = ::testing::Types<Engine, ConcurrentEngine>;
TYPED_TEST_SUITE(EngineMove, Engines);

const Currency kRub = Currency::of("RUB");
const ManagerId kBoris{2};

NewDeal deal_at(std::string_view iso, std::int64_t kopecks = 100000) {
  NewDeal d;
  d.created_at = at(iso);
  d.amount = Money(kopecks, kRub);
  d.owner = kAnna;
  d.actor = kAnna;
  return d;
}

std::string policy_pipeline(std::string_view policy, std::string_view extra = "") {
  return std::string(R"({"id": "p", "policy": ")") + std::string(policy) + R"(", "stages": [
    {"id": "A", "kind": "open", "probability": 0.1}, {"id": "B", "kind": "open", "probability": 0.3},
    {"id": "C", "kind": "open", "probability": 0.6}, {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"}])" +
         std::string(extra) + "}";
}

// Moves a fresh deal from `from` (reached by an allowed path) to `to`.
template <class E>
Refusal try_move(std::string_view policy, std::string_view from, std::string_view to, std::string_view extra = "") {
  auto ws = workspace_of({policy_pipeline(policy, extra)});
  E e = make_engine<E>(ws);
  const DealId id = e.create(deal_at("2024-03-01T09:00:00Z")).deal;
  Instant t = at("2024-03-01T10:00:00Z");
  if (from != "A") {
    // Reach `from` through the funnel one step at a time (allowed by every policy).
    for (std::string_view s : {"B", "C"}) {
      EXPECT_TRUE(e.move(id, stage(*ws, s), t, kAnna)) << s;
      t = t + Duration(60);
      if (s == from) break;
    }
  }
  return e.move(id, stage(*ws, to), t, kAnna).refusal;
}

TYPED_TEST(EngineMove, FreePolicyAllowsAnyOpenToAnyStage) {
  EXPECT_EQ(try_move<TypeParam>("free", "A", "C"), Refusal::none);
  EXPECT_EQ(try_move<TypeParam>("free", "C", "A"), Refusal::none);
  EXPECT_EQ(try_move<TypeParam>("free", "A", "WON"), Refusal::none);
  EXPECT_EQ(try_move<TypeParam>("free", "B", "LOST"), Refusal::none);
}

TYPED_TEST(EngineMove, NoSkipPolicyAllowsOneStepForwardAnyBackAndTerminals) {
  EXPECT_EQ(try_move<TypeParam>("no_skip", "A", "B"), Refusal::none);
  EXPECT_EQ(try_move<TypeParam>("no_skip", "A", "C"), Refusal::not_allowed);
  EXPECT_EQ(try_move<TypeParam>("no_skip", "C", "A"), Refusal::none);
  EXPECT_EQ(try_move<TypeParam>("no_skip", "A", "WON"), Refusal::none);
  EXPECT_EQ(try_move<TypeParam>("no_skip", "A", "LOST"), Refusal::none);
}

TYPED_TEST(EngineMove, NoBackwardPolicyAllowsForwardSkipsButNotBack) {
  EXPECT_EQ(try_move<TypeParam>("no_backward", "A", "C"), Refusal::none);
  EXPECT_EQ(try_move<TypeParam>("no_backward", "C", "B"), Refusal::not_allowed);
  EXPECT_EQ(try_move<TypeParam>("no_backward", "B", "A"), Refusal::not_allowed);
  EXPECT_EQ(try_move<TypeParam>("no_backward", "B", "WON"), Refusal::none);
}

TYPED_TEST(EngineMove, ExplicitPolicyAllowsOnlyDeclaredTransitions) {
  const std::string transitions = R"(, "transitions": [{"from": "A", "to": "B"}, {"from": "B", "to": "C"},
      {"from": "C", "to": "WON"}, {"from": "A", "to": "LOST"}, {"from": "B", "to": "LOST"}, {"from": "C", "to": "LOST"}])";
  EXPECT_EQ(try_move<TypeParam>("explicit", "A", "B", transitions), Refusal::none);
  EXPECT_EQ(try_move<TypeParam>("explicit", "A", "C", transitions), Refusal::not_allowed);
  EXPECT_EQ(try_move<TypeParam>("explicit", "A", "WON", transitions), Refusal::not_allowed);
  EXPECT_EQ(try_move<TypeParam>("explicit", "C", "WON", transitions), Refusal::none);
  EXPECT_EQ(try_move<TypeParam>("explicit", "C", "B", transitions), Refusal::not_allowed);
}

TYPED_TEST(EngineMove, AppliedMoveUpdatesStateAndAppendsOneEvent) {
  auto ws = workspace_of({kFreePipeline});
  TypeParam e = make_engine<TypeParam>(ws);
  const MoveResult c = e.create(deal_at("2024-03-01T09:00:00Z"));
  ASSERT_TRUE(c) << c.message;
  EXPECT_EQ(c.deal, DealId{0});
  // Engine: the event's index; ConcurrentEngine stages events per thread (no index yet): ~0.
  const std::uint64_t none = ~std::uint64_t{0};
  const bool staged = std::is_same_v<TypeParam, ConcurrentEngine>;
  EXPECT_EQ(c.event, staged ? none : 0u);
  const MoveResult m = e.move(c.deal, stage(*ws, "TALK"), at("2024-03-01T10:30:00Z"), kBoris);
  ASSERT_TRUE(m) << m.message;
  EXPECT_TRUE(m.message.empty());
  EXPECT_EQ(m.event, staged ? none : 1u);
  EXPECT_EQ(e.history().size(), 2u);
  const Deal d = *e.deal(c.deal);
  EXPECT_EQ(d.stage, stage(*ws, "TALK"));
  EXPECT_EQ(d.stage_entered_at, at("2024-03-01T10:30:00Z"));
  EXPECT_EQ(d.last_event_at, at("2024-03-01T10:30:00Z"));
  EXPECT_EQ(d.created_at, at("2024-03-01T09:00:00Z"));
  EXPECT_EQ(d.stage_entries, 2u);
  ASSERT_EQ(e.history().size(), 2u);
  const DecodedEvent ev = e.history().decode(e.history().event(1));
  EXPECT_EQ(ev.deal, c.deal);
  EXPECT_EQ(ev.from, stage(*ws, "NEW"));
  EXPECT_EQ(ev.to, stage(*ws, "TALK"));
  EXPECT_EQ(ev.actor, kBoris);
  EXPECT_EQ(ev.cause, EventCause::moved);
  EXPECT_EQ(ev.at, at("2024-03-01T10:30:00Z"));
  const DecodedEvent created = e.history().decode(e.history().event(0));
  EXPECT_EQ(created.cause, EventCause::created);
  EXPECT_FALSE(created.from.valid());
  EXPECT_EQ(*e.probability(c.deal), 0.4);
}

TYPED_TEST(EngineMove, EqualTimestampIsAcceptedEarlierIsRefused) {
  auto ws = workspace_of({kFreePipeline});
  TypeParam e = make_engine<TypeParam>(ws);
  const DealId id = e.create(deal_at("2024-03-01T09:00:00Z")).deal;
  EXPECT_TRUE(e.move(id, stage(*ws, "TALK"), at("2024-03-01T09:00:00Z"), kAnna));
  const MoveResult r = e.move(id, stage(*ws, "INVOICE"), at("2024-03-01T08:59:59Z"), kAnna);
  EXPECT_EQ(r.refusal, Refusal::time_before_last_event);
  EXPECT_EQ(r.message,
            "deal 0: time 2024-03-01T08:59:59Z is earlier than the deal's last event at 2024-03-01T09:00:00Z");
}

TYPED_TEST(EngineMove, EveryMoveRefusalHasItsCodeAndMessage) {
  auto ws = workspace_of({kFreePipeline});
  TypeParam e = make_engine<TypeParam>(ws);
  const DealId id = e.create(deal_at("2024-03-01T09:00:00Z")).deal;
  const Instant t = at("2024-03-02T09:00:00Z");

  MoveResult r = e.move(DealId{7}, stage(*ws, "TALK"), t, kAnna);
  EXPECT_EQ(r.refusal, Refusal::unknown_deal);
  EXPECT_EQ(r.message, "deal 7 does not exist (the engine has 1 deals)");

  r = e.move(id, StageId{6}, t, kAnna);
  EXPECT_EQ(r.refusal, Refusal::unknown_stage);
  EXPECT_EQ(r.message, "deal 0: pipeline 'sales' has no stage #6 (it has 6 stages)");

  r = e.move(id, stage(*ws, "NEW"), t, kAnna);
  EXPECT_EQ(r.refusal, Refusal::already_in_stage);
  EXPECT_EQ(r.message, "deal 0 is already in stage NEW");

  r = e.move(id, stage(*ws, "TALK"), at("1999-12-31T23:59:59Z"), kAnna);
  EXPECT_EQ(r.refusal, Refusal::time_out_of_range);

  r = e.move(id, stage(*ws, "TALK"), t, ManagerId{70000});
  EXPECT_EQ(r.refusal, Refusal::invalid_actor);
  EXPECT_EQ(r.message, "actor 70000 cannot be recorded: expected a ManagerId below 65535");

  ASSERT_TRUE(e.move(id, stage(*ws, "WON"), t, kAnna));
  r = e.move(id, stage(*ws, "NEW"), t, kAnna);
  EXPECT_EQ(r.refusal, Refusal::terminal_without_reopen);
  EXPECT_EQ(r.message, "deal 0 is in won stage WON; pipeline 'sales' declares no reopen WON -> NEW");
  r = e.move(id, stage(*ws, "LOSE"), t, kAnna);
  EXPECT_EQ(r.refusal, Refusal::terminal_without_reopen);
  EXPECT_EQ(to_string(r.refusal), "terminal_without_reopen");
}

TYPED_TEST(EngineMove, NotAllowedMessageNamesPolicyAndStages) {
  auto ws = workspace_of({policy_pipeline("no_skip")});
  TypeParam e = make_engine<TypeParam>(ws);
  const DealId id = e.create(deal_at("2024-03-01T09:00:00Z")).deal;
  const MoveResult r = e.move(id, stage(*ws, "C"), at("2024-03-01T10:00:00Z"), kAnna);
  EXPECT_EQ(r.refusal, Refusal::not_allowed);
  EXPECT_EQ(r.message, "deal 0: pipeline 'p' (policy no_skip) does not allow the move A -> C");
}

TYPED_TEST(EngineMove, DeclaredReopenIsAppliedWithCauseReopened) {
  auto ws = workspace_of({kFreePipeline});
  TypeParam e = make_engine<TypeParam>(ws);
  const DealId id = e.create(deal_at("2024-03-01T09:00:00Z")).deal;
  ASSERT_TRUE(e.move(id, stage(*ws, "LOSE"), at("2024-03-01T10:00:00Z"), kAnna));
  EXPECT_EQ(e.move(id, stage(*ws, "TALK"), at("2024-03-01T11:00:00Z"), kAnna).refusal, Refusal::terminal_without_reopen);
  const MoveResult r = e.move(id, stage(*ws, "NEW"), at("2024-03-01T11:00:00Z"), kAnna);
  ASSERT_TRUE(r) << r.message;
  const History& h = e.history();  // the last event (a ConcurrentEngine's r.event is ~0)
  EXPECT_EQ(h.event(h.size() - 1).cause, EventCause::reopened);
}

const char* kGuarded = R"({"id": "g", "policy": "free", "roles": ["manager", "head"],
  "stages": [
    {"id": "NEW", "kind": "open", "probability": 0.1},
    {"id": "DOCS", "kind": "open", "probability": 0.3, "required_fields": ["client", "product"]},
    {"id": "INVOICE", "kind": "open", "probability": 0.5, "guards": [{"type": "amount_positive"}]},
    {"id": "SIGN", "kind": "open", "probability": 0.8, "guards": [{"type": "actor_role", "roles": ["head"]}]},
    {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"}],
  "transitions": [{"from": "SIGN", "to": "WON", "guards": [{"type": "predicate", "name": "paid"}]}]})";

template <class E>
E guarded_engine(std::shared_ptr<const Workspace> ws, bool* paid, bool* throw_it = nullptr) {
  EngineOptions o;
  EXPECT_TRUE(o.predicates
                  .add("paid",
                       [paid, throw_it](const GuardContext& g) {
                         if (throw_it && *throw_it) throw std::runtime_error("bank is down");
                         EXPECT_EQ(g.to.value(), 4);
                         return *paid;
                       })
                  .ok());
  o.actor_roles = {{kBoris, {"head"}}, {kAnna, {"manager"}}};
  return make_engine<E>(std::move(ws), std::move(o));
}

TYPED_TEST(EngineMove, RequiredFieldGuardNamesTheField) {
  auto ws = workspace_of({kGuarded});
  bool paid = false;
  TypeParam e = guarded_engine<TypeParam>(ws, &paid);
  const DealId id = e.create(deal_at("2024-03-01T09:00:00Z")).deal;
  MoveResult r = e.move(id, stage(*ws, "DOCS"), at("2024-03-01T10:00:00Z"), kAnna);
  EXPECT_EQ(r.refusal, Refusal::guard_failed);
  EXPECT_EQ(r.guard, GuardKind::required_fields);
  EXPECT_EQ(r.field, *e.find_field("client"));
  EXPECT_EQ(r.message, "deal 0: cannot move NEW -> DOCS: required field 'client' is empty");
  ASSERT_TRUE(e.set_client(id, ClientId{55}, at("2024-03-01T10:00:00Z"), kAnna));
  r = e.move(id, stage(*ws, "DOCS"), at("2024-03-01T10:00:00Z"), kAnna);
  EXPECT_EQ(r.field, *e.find_field("product"));
  EXPECT_EQ(r.message, "deal 0: cannot move NEW -> DOCS: required field 'product' is empty");
  ASSERT_TRUE(e.set_field(id, *e.find_field("product"), "Лицензии", at("2024-03-01T10:00:00Z"), kAnna));
  EXPECT_TRUE(e.move(id, stage(*ws, "DOCS"), at("2024-03-01T10:00:00Z"), kAnna));
}

TYPED_TEST(EngineMove, AmountPositiveGuard) {
  auto ws = workspace_of({kGuarded});
  bool paid = false;
  TypeParam e = guarded_engine<TypeParam>(ws, &paid);
  const DealId id = e.create(deal_at("2024-03-01T09:00:00Z", 0)).deal;
  MoveResult r = e.move(id, stage(*ws, "INVOICE"), at("2024-03-01T10:00:00Z"), kAnna);
  EXPECT_EQ(r.refusal, Refusal::guard_failed);
  EXPECT_EQ(r.guard, GuardKind::amount_positive);
  EXPECT_FALSE(r.field.valid());
  EXPECT_EQ(r.message, "deal 0: cannot move NEW -> INVOICE: the amount must be > 0 (it is 0.00 RUB)");
  ASSERT_TRUE(e.set_amount(id, Money(-500, kRub), at("2024-03-01T10:00:00Z"), kAnna));
  EXPECT_EQ(e.move(id, stage(*ws, "INVOICE"), at("2024-03-01T10:00:00Z"), kAnna).refusal, Refusal::guard_failed);
  ASSERT_TRUE(e.set_amount(id, Money(1, kRub), at("2024-03-01T10:00:00Z"), kAnna));
  EXPECT_TRUE(e.move(id, stage(*ws, "INVOICE"), at("2024-03-01T10:00:00Z"), kAnna));
}

TYPED_TEST(EngineMove, ActorRoleGuard) {
  auto ws = workspace_of({kGuarded});
  bool paid = false;
  TypeParam e = guarded_engine<TypeParam>(ws, &paid);
  const DealId id = e.create(deal_at("2024-03-01T09:00:00Z")).deal;
  MoveResult r = e.move(id, stage(*ws, "SIGN"), at("2024-03-01T10:00:00Z"), kAnna);
  EXPECT_EQ(r.refusal, Refusal::guard_failed);
  EXPECT_EQ(r.guard, GuardKind::actor_role);
  EXPECT_EQ(r.message, "deal 0: cannot move NEW -> SIGN: actor 1 holds none of the roles {head}");
  EXPECT_EQ(e.move(id, stage(*ws, "SIGN"), at("2024-03-01T10:00:00Z"), ManagerId{}).refusal, Refusal::guard_failed);
  EXPECT_EQ(e.move(id, stage(*ws, "SIGN"), at("2024-03-01T10:00:00Z"), ManagerId{9}).refusal, Refusal::guard_failed);
  EXPECT_TRUE(e.move(id, stage(*ws, "SIGN"), at("2024-03-01T10:00:00Z"), kBoris));
  // A role granted later (configuration) counts.
  const DealId other = e.create(deal_at("2024-03-01T09:00:00Z")).deal;
  ASSERT_TRUE(e.grant_role(ManagerId{9}, "head").ok());
  EXPECT_TRUE(e.move(other, stage(*ws, "SIGN"), at("2024-03-01T10:00:00Z"), ManagerId{9}));
}

TYPED_TEST(EngineMove, PredicateGuardFalseAndThrowing) {
  auto ws = workspace_of({kGuarded});
  bool paid = false, throw_it = false;
  TypeParam e = guarded_engine<TypeParam>(ws, &paid, &throw_it);
  const DealId id = e.create(deal_at("2024-03-01T09:00:00Z")).deal;
  ASSERT_TRUE(e.move(id, stage(*ws, "SIGN"), at("2024-03-01T10:00:00Z"), kBoris));
  MoveResult r = e.move(id, stage(*ws, "WON"), at("2024-03-01T11:00:00Z"), kBoris);
  EXPECT_EQ(r.refusal, Refusal::guard_failed);
  EXPECT_EQ(r.guard, GuardKind::predicate);
  EXPECT_EQ(r.predicate, *ws->vocabulary()->find_predicate("paid"));
  EXPECT_EQ(r.message, "deal 0: cannot move SIGN -> WON: predicate 'paid' returned false");
  throw_it = true;
  r = e.move(id, stage(*ws, "WON"), at("2024-03-01T11:00:00Z"), kBoris);
  EXPECT_EQ(r.refusal, Refusal::guard_failed);
  EXPECT_EQ(r.message, "deal 0: cannot move SIGN -> WON: predicate 'paid' threw: bank is down");
  throw_it = false;
  paid = true;
  // The deal is not left locked by the throwing predicate.
  EXPECT_TRUE(e.move(id, stage(*ws, "WON"), at("2024-03-01T11:00:00Z"), kBoris));
}

TYPED_TEST(EngineMove, ARefusedMoveChangesNothing) {
  auto ws = workspace_of({kGuarded});
  bool paid = false;
  TypeParam e = guarded_engine<TypeParam>(ws, &paid);
  NewDeal nd = deal_at("2024-03-01T09:00:00Z", 0);
  nd.attributes = {{"region", "Москва"}};
  const DealId id = e.create(nd).deal;
  ASSERT_TRUE(e.move(id, stage(*ws, "SIGN"), at("2024-03-01T10:00:00Z"), kBoris));
  const EngineSnapshot before = snapshot(e);
  const Instant t = at("2024-03-01T12:00:00Z");
  const std::vector<MoveResult> refused = {
      e.move(DealId{3}, stage(*ws, "NEW"), t, kBoris),                       // unknown deal
      e.move(id, StageId{99}, t, kBoris),                                     // unknown stage
      e.move(id, stage(*ws, "SIGN"), t, kBoris),                              // already there
      e.move(id, stage(*ws, "DOCS"), t, kBoris),                              // required field
      e.move(id, stage(*ws, "INVOICE"), t, kBoris),                           // amount
      e.move(id, stage(*ws, "WON"), t, kBoris),                               // predicate
      e.move(id, stage(*ws, "NEW"), at("2024-03-01T09:59:59Z"), kBoris),      // time
      e.move(id, stage(*ws, "NEW"), t, ManagerId{65535}),                     // actor
      e.set_field(id, *e.find_field("region"), "Сибирь", at("2024-03-01T09:00:00Z"), kBoris),  // time
      e.set_probability(id, 1.5, t, kBoris),                                  // value
      e.set_field(id, builtin_field::amount, "5", t, kBoris),                 // built-in field
  };
  for (const MoveResult& r : refused) {
    EXPECT_FALSE(r.applied());
    EXPECT_FALSE(r.message.empty());
    EXPECT_EQ(r.event, ~std::uint64_t{0});
  }
  EXPECT_EQ(snapshot(e), before);
  ASSERT_TRUE(e.move(id, stage(*ws, "LOST"), t, kBoris));
  const EngineSnapshot lost = snapshot(e);
  EXPECT_EQ(e.move(id, stage(*ws, "NEW"), t, kBoris).refusal, Refusal::terminal_without_reopen);
  EXPECT_EQ(snapshot(e), lost);
}

TYPED_TEST(EngineMove, CreateChecksPipelineEntryGuardsFieldsAndValues) {
  auto ws = workspace_of({kGuarded, R"({"id": "e", "entries": ["X", "Y"], "stages": [
      {"id": "X", "kind": "open", "probability": 0.1}, {"id": "Y", "kind": "open", "probability": 0.2,
       "required_fields": ["region"]}, {"id": "Z", "kind": "open", "probability": 0.5},
      {"id": "W", "kind": "won"}, {"id": "L", "kind": "lost"}]})"});
  bool paid = false;
  TypeParam e = guarded_engine<TypeParam>(ws, &paid);
  NewDeal nd = deal_at("2024-03-01T09:00:00Z");
  nd.pipeline = PipelineId{5};
  EXPECT_EQ(e.create(nd).refusal, Refusal::unknown_pipeline);
  nd.pipeline = PipelineId{1};
  nd.stage = stage(*ws, "Z", PipelineId{1});
  MoveResult r = e.create(nd);
  EXPECT_EQ(r.refusal, Refusal::not_entry_stage);
  EXPECT_EQ(r.message, "pipeline 'e': stage Z is not an entry stage (entries: X, Y)");
  nd.stage = StageId{40};
  EXPECT_EQ(e.create(nd).refusal, Refusal::unknown_stage);
  nd.stage = stage(*ws, "Y", PipelineId{1});
  r = e.create(nd);
  EXPECT_EQ(r.refusal, Refusal::guard_failed);
  EXPECT_EQ(r.field, *e.find_field("region"));
  EXPECT_EQ(r.message, "new deal: cannot enter Y of pipeline 'e': required field 'region' is empty");
  nd.attributes = {{"colour", "red"}};
  r = e.create(nd);
  EXPECT_EQ(r.refusal, Refusal::unknown_field);
  EXPECT_EQ(r.message, "unknown field 'colour' (declare custom fields in EngineOptions::extra_fields)");
  nd.attributes = {{"amount", "5"}};
  EXPECT_EQ(e.create(nd).refusal, Refusal::unknown_field);
  nd.attributes = {{"region", "Урал"}};
  nd.probability = -0.1;
  EXPECT_EQ(e.create(nd).refusal, Refusal::invalid_value);
  nd.probability = 0.25;
  nd.created_at = at("1990-01-01T00:00:00Z");
  EXPECT_EQ(e.create(nd).refusal, Refusal::time_out_of_range);
  nd.created_at = at("2024-03-01T09:00:00Z");
  nd.actor = ManagerId{100000};
  EXPECT_EQ(e.create(nd).refusal, Refusal::invalid_actor);
  EXPECT_EQ(e.deal_count(), 0u);
  EXPECT_EQ(e.history().size(), 0u);
  EXPECT_EQ(e.history().field_event_count(), 0u);
  nd.actor = kAnna;
  r = e.create(nd);
  ASSERT_TRUE(r) << r.message;
  const Deal d = *e.deal(r.deal);
  EXPECT_EQ(d.pipeline, PipelineId{1});
  EXPECT_EQ(d.stage, stage(*ws, "Y", PipelineId{1}));
  EXPECT_EQ(e.value_text(*e.find_field("region"), d.attribute(*e.find_field("region"))), "Урал");
  EXPECT_EQ(d.probability_override, 0.25);
  EXPECT_EQ(*e.probability(r.deal), 0.25);
  EXPECT_EQ(d.amount, Money(100000, kRub));
  EXPECT_EQ(d.owner, kAnna);
  EXPECT_FALSE(d.client.valid());
}

TEST(EngineMake, MissingPredicateIsAnErrorAtCreation) {
  auto ws = workspace_of({kGuarded});
  auto e = Engine::make(ws);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), ErrorCode::not_found);
  EXPECT_NE(e.status().message().find("guard predicate 'paid' is not registered"), std::string::npos)
      << e.status().message();
  EXPECT_NE(e.status().message().find("move SIGN -> WON"), std::string::npos) << e.status().message();
}

TEST(EngineMake, RejectsEmptyWorkspaceBadActorsAndDuplicatePredicates) {
  EXPECT_EQ(Engine::make(std::shared_ptr<const Workspace>{}).status().code(), ErrorCode::invalid_argument);
  EngineOptions o;
  o.actor_roles = {{ManagerId{65535}, {"head"}}};
  EXPECT_EQ(Engine::make(workspace_of({kFreePipeline}), std::move(o)).status().code(), ErrorCode::invalid_argument);
  PredicateRegistry r;
  ASSERT_TRUE(r.add("x", [](const GuardContext&) { return true; }).ok());
  EXPECT_EQ(r.add("x", [](const GuardContext&) { return true; }).code(), ErrorCode::duplicate);
  EXPECT_EQ(r.add("", [](const GuardContext&) { return true; }).code(), ErrorCode::invalid_argument);
  EXPECT_EQ(r.add("y", Predicate{}).code(), ErrorCode::invalid_argument);
}

// Validation allows 64 roles per workspace; the engine runs all of them, and a
// 65th can only come from grant_role, which refuses it.
TEST(EngineMake, SixtyFourRolesFitTheEngine) {
  std::string roles;
  for (int i = 0; i < 64; ++i) roles += (roles.empty() ? "\"r" : ", \"r") + std::to_string(i) + "\"";
  auto ws = workspace_of({R"({"id": "p", "roles": [)" + roles + R"(], "stages": [
      {"id": "NEW", "kind": "open", "probability": 0.1},
      {"id": "WON", "kind": "won", "guards": [{"type": "actor_role", "roles": [)" +
                          roles + R"(]}]},
      {"id": "LOSE", "kind": "lost"}]})"});
  ASSERT_TRUE(ws);
  EngineOptions o;
  o.actor_roles = {{ManagerId{1}, {"r63"}}};
  Engine e = make_engine<Engine>(ws, std::move(o));
  NewDeal nd;
  nd.created_at = at("2024-03-01T09:00:00Z");
  const DealId id = e.create(nd).deal;
  EXPECT_FALSE(e.move(id, stage(*ws, "WON"), at("2024-03-01T10:00:00Z"), ManagerId{2}));
  EXPECT_TRUE(e.move(id, stage(*ws, "WON"), at("2024-03-01T10:00:00Z"), ManagerId{1}));
  const Status beyond = e.grant_role(ManagerId{2}, "r64");
  EXPECT_EQ(beyond.code(), ErrorCode::invalid_argument);
  EXPECT_EQ(beyond.message(), "role 'r64' is beyond the engine's limit of 64 roles");
}

TEST(EngineMake, CustomFieldsAndValueDictionaries) {
  EngineOptions o;
  o.extra_fields = {"industry"};
  Engine e = make_engine<Engine>(workspace_of({kFreePipeline}), std::move(o));
  const FieldId industry = *e.find_field("industry");
  EXPECT_EQ(e.field_name(industry), "industry");
  NewDeal nd = deal_at("2024-03-01T09:00:00Z");
  nd.attributes = {{"industry", "Ритейл"}, {"region", "Москва"}, {"source", ""}};
  const DealId id = e.create(nd).deal;
  const Deal d = *e.deal(id);
  EXPECT_EQ(e.value_text(industry, d.attribute(industry)), "Ритейл");
  EXPECT_EQ(d.attribute(*e.find_field("source")), kNoValue);
  EXPECT_EQ(e.find_value(industry, "Ритейл"), d.attribute(industry));
  EXPECT_FALSE(e.find_value(industry, "Банки").has_value());
  EXPECT_EQ(e.intern_value(industry, "Банки"), 1u);
  // Initial values are history: amount, owner, region and industry.
  EXPECT_EQ(e.history().field_event_count(), 4u);
}

TEST(EngineMake, ClockIsInjected) {
  EngineOptions o;
  Instant fake = at("2024-05-06T07:08:09Z");
  o.clock = [&fake] { return fake; };
  auto ws = workspace_of({kFreePipeline});
  Engine e = make_engine<Engine>(ws, std::move(o));
  NewDeal nd;
  const DealId id = e.create(nd).deal;
  EXPECT_EQ(e.deal(id)->created_at, fake);
  fake = fake + Duration(3600);
  ASSERT_TRUE(e.move(id, stage(*ws, "TALK"), kAnna));
  EXPECT_EQ(e.deal(id)->stage_entered_at, at("2024-05-06T08:08:09Z"));
  EXPECT_EQ(e.now(), fake);
}

}  // namespace
}  // namespace dealflow
