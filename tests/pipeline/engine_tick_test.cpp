// tick(now): timed moves in due order, stale timers, escalations, refused
// automation, and SLA ("rotting") lists on business time across a weekend.
// Calendar: the default BusinessCalendar, Monday-Friday 09:00-18:00 UTC.
// 2024-03-01 is a Friday, 2024-03-04 the next Monday.
#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace dealflow {
namespace {

using namespace engine_testing;

template <class E>
class EngineTick : public ::testing::Test {};
using Engines = ::testing::Types<Engine, ConcurrentEngine>;
TYPED_TEST_SUITE(EngineTick, Engines);

const char* kTimed = R"({"id": "t", "policy": "free", "roles": ["head"], "stages": [
    {"id": "NEW", "kind": "open", "probability": 0.1,
     "sla": {"limit": "4h", "basis": "business"},
     "on_enter": [{"action": "escalate", "after": "8h", "basis": "business", "name": "no_call", "notify_role": "head"}]},
    {"id": "WAIT", "kind": "open", "probability": 0.3,
     "sla": {"limit": "2d", "basis": "calendar"},
     "on_enter": [{"action": "timed_move", "to": "LOST", "after": "3d", "basis": "calendar"}]},
    {"id": "HOLD", "kind": "open", "probability": 0.3,
     "on_enter": [{"action": "timed_move", "to": "NEW", "after": "2h", "basis": "business"}]},
    {"id": "PARK", "kind": "open", "probability": 0.3,
     "on_enter": [{"action": "timed_move", "to": "DOCS", "after": "1h", "basis": "calendar"}]},
    {"id": "DOCS", "kind": "open", "probability": 0.5, "required_fields": ["product"]},
    {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"}]})";

template <class E>
DealId create_at(E& e, std::string_view iso) {
  NewDeal nd;
  nd.created_at = at(iso);
  nd.actor = kAnna;
  const MoveResult r = e.create(nd);
  EXPECT_TRUE(r) << r.message;
  return r.deal;
}

TYPED_TEST(EngineTick, EscalationAndSlaOnBusinessTimeAcrossTheWeekend) {
  auto ws = workspace_of({kTimed});
  TypeParam e = make_engine<TypeParam>(ws);
  const DealId id = create_at(e, "2024-03-01T16:00:00Z");  // Friday 16:00, NEW
  EXPECT_EQ(e.pending_timers(), 1u);

  // Friday 16:00 -> Monday 11:00 is 2h + 2h = exactly the 4h SLA: not over it.
  TickReport r = e.tick(at("2024-03-04T11:00:00Z"));
  EXPECT_TRUE(r.rotting.empty());
  EXPECT_TRUE(r.escalations.empty());

  r = e.tick(at("2024-03-04T11:00:01Z"));
  ASSERT_EQ(r.rotting.size(), 1u);
  EXPECT_EQ(r.rotting[0].deal, id);
  EXPECT_EQ(r.rotting[0].stage, stage(*ws, "NEW"));
  EXPECT_EQ(r.rotting[0].entered_at, at("2024-03-01T16:00:00Z"));
  EXPECT_EQ(r.rotting[0].in_stage, Duration(4 * 3600 + 1));
  EXPECT_EQ(r.rotting[0].limit, Duration(4 * 3600));
  EXPECT_EQ(r.rotting[0].basis, TimeBasis::business);
  EXPECT_TRUE(r.escalations.empty());

  // The escalation is due 8 business hours later: Friday 2h + Monday 09:00-15:00.
  r = e.tick(at("2024-03-04T14:59:59Z"));
  EXPECT_TRUE(r.escalations.empty());
  r = e.tick(at("2024-03-04T15:00:00Z"));
  ASSERT_EQ(r.escalations.size(), 1u);
  EXPECT_EQ(r.escalations[0].deal, id);
  EXPECT_EQ(r.escalations[0].due, at("2024-03-04T15:00:00Z"));
  EXPECT_EQ(r.escalations[0].name, "no_call");
  EXPECT_EQ(r.escalations[0].notify_role, *e.find_role("head"));
  EXPECT_EQ(r.rotting.size(), 1u);
  EXPECT_EQ(r.rotting[0].in_stage, Duration(8 * 3600));
  // Raised once.
  EXPECT_TRUE(e.tick(at("2024-03-05T15:00:00Z")).escalations.empty());
  EXPECT_EQ(e.pending_timers(), 0u);
  // Escalations change no state.
  EXPECT_EQ(e.history().size(), 1u);
}

TYPED_TEST(EngineTick, CalendarSlaCountsTheWeekend) {
  auto ws = workspace_of({kTimed});
  TypeParam e = make_engine<TypeParam>(ws);
  const DealId id = create_at(e, "2024-03-01T16:00:00Z");
  ASSERT_TRUE(e.move(id, stage(*ws, "WAIT"), at("2024-03-01T16:00:00Z"), kAnna));
  EXPECT_TRUE(e.tick(at("2024-03-03T16:00:00Z")).rotting.empty());  // exactly 2 days
  const TickReport r = e.tick(at("2024-03-03T16:00:01Z"));          // Sunday
  ASSERT_EQ(r.rotting.size(), 1u);
  EXPECT_EQ(r.rotting[0].in_stage, Duration(2 * 86400 + 1));
  EXPECT_EQ(r.rotting[0].basis, TimeBasis::calendar);
  EXPECT_EQ(r.stale_timers, 0u);  // nothing was due yet
  EXPECT_EQ(e.pending_timers(), 2u);
  // The NEW escalation (8 business hours from Friday 16:00: Monday 15:00) went
  // stale when the deal left NEW: it is dropped, not raised, when it falls due.
  const TickReport stale = e.tick(at("2024-03-04T15:00:00Z"));
  EXPECT_EQ(stale.stale_timers, 1u);
  EXPECT_TRUE(stale.escalations.empty());
  EXPECT_TRUE(stale.timed_moves.empty());
  EXPECT_EQ(e.pending_timers(), 1u);
  // WAIT's timed move (3 calendar days: Monday 16:00) is still live and fires.
  const TickReport fired = e.tick(at("2024-03-04T16:00:00Z"));
  EXPECT_EQ(fired.stale_timers, 0u);
  ASSERT_EQ(fired.timed_moves.size(), 1u);
  EXPECT_TRUE(fired.timed_moves[0].result.applied());
  EXPECT_EQ(e.deal(id)->stage, stage(*ws, "LOST"));
}

TYPED_TEST(EngineTick, TimedMovesFireInDueOrderAndStaleTimersAreDropped) {
  auto ws = workspace_of({kTimed});
  TypeParam e = make_engine<TypeParam>(ws);
  const StageId wait = stage(*ws, "WAIT"), lost = stage(*ws, "LOST");
  // Created in the order c, b, a; they enter WAIT in the order a, b, c.
  const DealId c = create_at(e, "2024-03-01T08:00:00Z");
  const DealId b = create_at(e, "2024-03-01T08:00:00Z");
  const DealId a = create_at(e, "2024-03-01T08:00:00Z");
  const DealId gone = create_at(e, "2024-03-01T08:00:00Z");
  ASSERT_TRUE(e.move(c, wait, at("2024-03-01T12:00:00Z"), kAnna));
  ASSERT_TRUE(e.move(a, wait, at("2024-03-01T10:00:00Z"), kAnna));
  ASSERT_TRUE(e.move(b, wait, at("2024-03-01T11:00:00Z"), kAnna));
  ASSERT_TRUE(e.move(gone, wait, at("2024-03-01T09:00:00Z"), kAnna));
  ASSERT_TRUE(e.move(gone, stage(*ws, "WON"), at("2024-03-02T09:00:00Z"), kAnna));
  // b leaves WAIT and comes back: its first timer is stale, the second counts.
  ASSERT_TRUE(e.move(b, stage(*ws, "NEW"), at("2024-03-01T13:00:00Z"), kAnna));
  ASSERT_TRUE(e.move(b, wait, at("2024-03-01T14:00:00Z"), kAnna));

  const TickReport r = e.tick(at("2024-03-04T13:00:00Z"));  // a (10:00) and c (12:00) due, b (14:00) not
  ASSERT_EQ(r.timed_moves.size(), 2u);
  EXPECT_EQ(r.timed_moves[0].deal, a);
  EXPECT_EQ(r.timed_moves[0].due, at("2024-03-04T10:00:00Z"));
  EXPECT_EQ(r.timed_moves[0].from, wait);
  EXPECT_EQ(r.timed_moves[0].to, lost);
  EXPECT_TRUE(r.timed_moves[0].result.applied());
  EXPECT_EQ(r.timed_moves[1].deal, c);
  // Stale: gone's WAIT timer, b's first WAIT timer, and the NEW escalations of
  // every deal that left NEW (c, b twice, a, gone), all due by Monday 13:00.
  EXPECT_EQ(r.stale_timers, 2u + 5u);
  EXPECT_EQ(e.deal(a)->stage, lost);
  EXPECT_EQ(e.deal(b)->stage, wait);
  EXPECT_EQ(e.deal(gone)->stage, stage(*ws, "WON"));
  // The history says who did it: the system, at the due instant.
  // a's is the last event but one, before c's (a ConcurrentEngine's result.event is ~0).
  const History& h = e.history();
  const DecodedEvent ev = h.decode(h.event(h.size() - 2));
  EXPECT_EQ(ev.deal, a);
  EXPECT_EQ(ev.cause, EventCause::timed_move);
  EXPECT_FALSE(ev.actor.valid());
  EXPECT_EQ(ev.at, at("2024-03-04T10:00:00Z"));
  EXPECT_EQ(e.deal(a)->stage_entered_at, at("2024-03-04T10:00:00Z"));

  const TickReport later = e.tick(at("2024-03-04T14:00:00Z"));
  ASSERT_EQ(later.timed_moves.size(), 1u);
  EXPECT_EQ(later.timed_moves[0].deal, b);
}

TYPED_TEST(EngineTick, BusinessTimedMoveWaitsForMonday) {
  auto ws = workspace_of({kTimed});
  TypeParam e = make_engine<TypeParam>(ws);
  const DealId id = create_at(e, "2024-03-01T17:00:00Z");
  ASSERT_TRUE(e.move(id, stage(*ws, "HOLD"), at("2024-03-01T17:30:00Z"), kAnna));  // Friday 17:30 + 2h business
  EXPECT_TRUE(e.tick(at("2024-03-04T10:29:59Z")).timed_moves.empty());
  const TickReport r = e.tick(at("2024-03-04T10:30:00Z"));
  ASSERT_EQ(r.timed_moves.size(), 1u);
  EXPECT_EQ(r.timed_moves[0].due, at("2024-03-04T10:30:00Z"));
  // Back in NEW: a fresh escalation was scheduled by the timed move's entry
  // (due Tuesday 09:30); the first NEW escalation (due Monday 16:00) is still
  // queued and will be dropped as stale when it falls due.
  EXPECT_EQ(e.deal(id)->stage, stage(*ws, "NEW"));
  EXPECT_EQ(e.pending_timers(), 2u);
  const TickReport tuesday = e.tick(at("2024-03-05T09:30:00Z"));
  EXPECT_EQ(tuesday.stale_timers, 1u);
  ASSERT_EQ(tuesday.escalations.size(), 1u);
  EXPECT_EQ(tuesday.escalations[0].due, at("2024-03-05T09:30:00Z"));
}

TYPED_TEST(EngineTick, ARefusedTimedMoveIsReportedNotSilent) {
  auto ws = workspace_of({kTimed});
  TypeParam e = make_engine<TypeParam>(ws);
  const DealId id = create_at(e, "2024-03-01T09:00:00Z");
  ASSERT_TRUE(e.move(id, stage(*ws, "PARK"), at("2024-03-01T09:00:00Z"), kAnna));
  const EngineSnapshot before = snapshot(e);
  const TickReport r = e.tick(at("2024-03-01T10:00:00Z"));
  ASSERT_EQ(r.timed_moves.size(), 1u);
  EXPECT_EQ(r.timed_moves[0].result.refusal, Refusal::guard_failed);
  EXPECT_EQ(r.timed_moves[0].result.message, "deal 0: cannot move PARK -> DOCS: required field 'product' is empty");
  EXPECT_EQ(e.deal(id)->stage, stage(*ws, "PARK"));
  EngineSnapshot after = snapshot(e);
  EXPECT_EQ(after.events, before.events);
  EXPECT_EQ(after.deals, before.deals);
  const auto failures = e.automation_failures();
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].kind, AutomationFailureKind::timed_move_refused);
  EXPECT_EQ(failures[0].name, "DOCS");
  EXPECT_EQ(failures[0].at, at("2024-03-01T10:00:00Z"));
}

TYPED_TEST(EngineTick, TimedMoveAfterALaterFieldEditUsesTheDealsLastEvent) {
  auto ws = workspace_of({kTimed});
  TypeParam e = make_engine<TypeParam>(ws);
  const DealId id = create_at(e, "2024-03-01T09:00:00Z");
  ASSERT_TRUE(e.move(id, stage(*ws, "PARK"), at("2024-03-01T09:00:00Z"), kAnna));
  // The product is filled in after the timer fell due, before tick ran.
  ASSERT_TRUE(e.set_field(id, *e.find_field("product"), "Лицензии", at("2024-03-01T10:30:00Z"), kAnna));
  const TickReport r = e.tick(at("2024-03-01T11:00:00Z"));
  ASSERT_EQ(r.timed_moves.size(), 1u);
  ASSERT_TRUE(r.timed_moves[0].result.applied()) << r.timed_moves[0].result.message;
  EXPECT_EQ(e.deal(id)->stage_entered_at, at("2024-03-01T10:30:00Z"));
}

TEST(EngineTickClock, TickWithoutInstantUsesTheInjectedClock) {
  auto ws = workspace_of({kTimed});
  Instant now = at("2024-03-01T09:00:00Z");
  EngineOptions o;
  o.clock = [&now] { return now; };
  Engine e = make_engine<Engine>(ws, std::move(o));
  const DealId id = create_at(e, "2024-03-01T09:00:00Z");
  ASSERT_TRUE(e.move(id, stage(*ws, "WAIT"), kAnna));
  now = at("2024-03-04T08:59:59Z");
  EXPECT_TRUE(e.tick().timed_moves.empty());
  now = at("2024-03-04T09:00:00Z");
  const TickReport r = e.tick();
  EXPECT_EQ(r.now, now);
  EXPECT_EQ(r.timed_moves.size(), 1u);
}

}  // namespace
}  // namespace dealflow
