// The engine's clock (docs/deal-engine.md, "The clock"): NewDeal::created_at =
// nullopt and operations without an instant read EngineOptions::clock, the
// system clock by default, so a deal created "now" refuses a later move at a
// historical instant (time_before_last_event). Hosts replaying history set
// created_at and every instant, or inject a clock.
#include <gtest/gtest.h>

#include <chrono>

#include "engine_test_util.h"

namespace dealflow {
namespace {

using namespace engine_testing;

const char* kPipeline = R"({"id": "sales", "policy": "free", "stages": [
    {"id": "NEW", "kind": "open", "probability": 0.1}, {"id": "QUAL", "kind": "open", "probability": 0.3},
    {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"}]})";

Instant system_now() {
  return Instant::from_unix_seconds(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

TEST(EngineClock, WithoutCreatedAtAHistoricalMoveIsRefused) {
  Engine e = make_engine<Engine>(workspace_of({kPipeline}));  // default clock: the system clock
  const Instant before = system_now();
  const MoveResult created = e.create(NewDeal{});  // created_at = nullopt: now
  ASSERT_TRUE(created) << created.message;
  const Instant after = system_now();
  const Instant created_at = e.deal(created.deal)->created_at;
  EXPECT_GE(created_at, before);
  EXPECT_LE(created_at, after);
  // A move at a historical instant is before the deal's creation event.
  const MoveResult r =
      e.move(created.deal, stage(e.workspace(), "QUAL"), at("2024-03-01T10:00:00Z"), ManagerId{1});
  EXPECT_FALSE(r);
  EXPECT_EQ(r.refusal, Refusal::time_before_last_event);
  EXPECT_EQ(e.history().size(), 1u);  // nothing applied
  EXPECT_EQ(e.deal(created.deal)->stage, stage(e.workspace(), "NEW"));
}

TEST(EngineClock, AnExplicitCreatedAtAcceptsTheHistoricalMove) {
  Engine e = make_engine<Engine>(workspace_of({kPipeline}));
  NewDeal nd;
  nd.created_at = at("2024-03-01T09:00:00Z");
  const MoveResult created = e.create(nd);
  ASSERT_TRUE(created) << created.message;
  const MoveResult r =
      e.move(created.deal, stage(e.workspace(), "QUAL"), at("2024-03-01T10:00:00Z"), ManagerId{1});
  EXPECT_TRUE(r) << r.message;
}

TEST(EngineClock, AnInjectedClockIsNowForCreationMovesAndTick) {
  Instant now = at("2024-03-01T09:00:00Z");
  EngineOptions o;
  o.clock = [&now] { return now; };
  Engine e = make_engine<Engine>(workspace_of({kPipeline}), std::move(o));
  EXPECT_EQ(e.now(), now);
  const MoveResult created = e.create(NewDeal{});
  ASSERT_TRUE(created) << created.message;
  EXPECT_EQ(e.deal(created.deal)->created_at, at("2024-03-01T09:00:00Z"));
  now = at("2024-03-01T10:00:00Z");
  const MoveResult r = e.move(created.deal, stage(e.workspace(), "QUAL"), ManagerId{1});  // at = clock()
  ASSERT_TRUE(r) << r.message;
  EXPECT_EQ(e.deal(created.deal)->stage_entered_at, at("2024-03-01T10:00:00Z"));
}

}  // namespace
}  // namespace dealflow
