// ConcurrentEngine under load: 4 writer threads creating and moving their own
// deals and fighting over a shared set, plus a reader; no history event may be
// lost and every deal's events must chain (each event's `from` is the previous
// event's `to`), which only holds if moves of one deal were serialized.
#include <atomic>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace dealflow {
namespace {

using namespace engine_testing;

const char* kOpenCycle = R"({"id": "c", "policy": "free", "stages": [
    {"id": "A", "kind": "open", "probability": 0.1}, {"id": "B", "kind": "open", "probability": 0.2},
    {"id": "C", "kind": "open", "probability": 0.3, "on_enter": [{"action": "set_field", "field": "source", "value": "C"}]},
    {"id": "D", "kind": "open", "probability": 0.4},
    {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"}]})";

TEST(EngineConcurrency, FourThreadsLoseNoEventAndKeepPerDealOrder) {
  constexpr int kThreads = 4, kOwnDeals = 40, kOwnMoves = 1500, kSharedDeals = 6, kSharedMoves = 1500;
  auto ws = workspace_of({kOpenCycle});
  ConcurrentEngine e = make_engine<ConcurrentEngine>(ws);
  std::atomic<int> callbacks{0};
  ASSERT_TRUE(e.on_enter(PipelineId{0}, stage(*ws, "D"), "count", [&](const MoveNotice&) { ++callbacks; }).ok());
  const Instant t0 = at("2024-03-01T09:00:00Z");
  std::vector<DealId> shared;
  for (int i = 0; i < kSharedDeals; ++i) {
    NewDeal nd;
    nd.created_at = t0;
    shared.push_back(e.create(nd).deal);
  }
  std::vector<std::atomic<int>> applied_per_deal(kSharedDeals + kThreads * kOwnDeals);
  std::atomic<int> moves_into_d{0};
  std::atomic<bool> stop{false};
  std::atomic<int> ready{0};

  std::thread reader([&] {
    // Reads while writers run: every published prefix is consistent.
    while (!stop.load()) {
      const std::size_t n = e.history().size();
      for (std::size_t i = 0; i < n; ++i) ASSERT_NE(e.history().event(i).to, kNoStageCode);
      const HistoryState s = e.as_of(t0 + Duration(86400));
      for (const DealState& d : s.deals()) ASSERT_TRUE(!d.id.valid() || d.stage.valid());
      std::this_thread::yield();
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kThreads; ++w) {
    writers.emplace_back([&, w] {
      std::mt19937 rng(1000 + static_cast<unsigned>(w));
      // Start together so that the threads really overlap.
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      std::vector<DealId> own;
      for (int i = 0; i < kOwnDeals; ++i) {
        NewDeal nd;
        nd.created_at = t0;
        nd.actor = ManagerId{static_cast<std::uint32_t>(w)};
        nd.attributes = {{"region", std::string("R").append(std::to_string(w))}};  // concurrent interning
        const MoveResult r = e.create(nd);
        ASSERT_TRUE(r) << r.message;
        own.push_back(r.deal);
      }
      // Own deals: time advances per thread; every move lands on another open stage.
      for (int i = 0; i < kOwnMoves; ++i) {
        const DealId id = own[rng() % own.size()];
        const StageId to{static_cast<std::uint16_t>(rng() % 4)};
        const MoveResult r = e.move(id, to, t0 + Duration(i + 1), ManagerId{static_cast<std::uint32_t>(w)});
        if (r) {
          ++applied_per_deal[id.value()];
          if (to == StageId{3}) ++moves_into_d;
        } else {
          ASSERT_EQ(r.refusal, Refusal::already_in_stage) << r.message;
        }
      }
      // Shared deals: all threads at the same instant, so only already_in_stage may refuse.
      for (int i = 0; i < kSharedMoves; ++i) {
        const DealId id = shared[rng() % shared.size()];
        const StageId to{static_cast<std::uint16_t>(rng() % 4)};
        const MoveResult r = e.move(id, to, t0 + Duration(100000), ManagerId{static_cast<std::uint32_t>(w)});
        if (r) {
          ++applied_per_deal[id.value()];
          if (to == StageId{3}) ++moves_into_d;
        } else {
          ASSERT_EQ(r.refusal, Refusal::already_in_stage) << r.message;
        }
      }
    });
  }
  for (std::thread& t : writers) t.join();
  stop = true;
  reader.join();

  const std::size_t deals = kSharedDeals + kThreads * kOwnDeals;
  ASSERT_EQ(e.deal_count(), deals);
  int applied = 0;
  for (const auto& a : applied_per_deal) applied += a.load();
  // No event lost: one per creation, one per applied move.
  ASSERT_EQ(e.history().size(), deals + static_cast<std::size_t>(applied));
  EXPECT_EQ(callbacks.load(), moves_into_d.load());
  // Per-deal order: the events of each deal chain from its creation to its current stage.
  std::vector<std::uint16_t> current(deals, kNoStageCode);
  std::vector<int> count(deals, 0);
  for (const HistoryEvent& ev : e.history().events()) {
    ASSERT_LT(ev.deal, deals);
    ASSERT_EQ(ev.from, current[ev.deal]) << "deal " << ev.deal << " event " << count[ev.deal];
    current[ev.deal] = ev.to;
    ++count[ev.deal];
  }
  for (std::uint32_t i = 0; i < deals; ++i) {
    EXPECT_EQ(count[i], 1 + applied_per_deal[i].load()) << "deal " << i;
    EXPECT_EQ(current[i], e.deal(DealId{i})->stage.value()) << "deal " << i;
  }
  // Dictionaries stayed consistent under concurrent interning.
  const FieldId region = *e.find_field("region");
  for (int w = 0; w < kThreads; ++w) EXPECT_TRUE(e.find_value(region, std::string("R") + std::to_string(w)).has_value());
  for (std::uint32_t i = kSharedDeals; i < deals; ++i) {
    const std::string text = e.value_text(region, e.deal(DealId{i})->attribute(region));
    EXPECT_EQ(text.substr(0, 1), "R");
  }
  // as_of after everything equals the live state.
  const HistoryState last = e.as_of(t0 + Duration(200000));
  for (std::uint32_t i = 0; i < deals; ++i) EXPECT_EQ(last.deal(DealId{i}).stage, e.deal(DealId{i})->stage);
}

TEST(EngineConcurrency, ConcurrentTicksFireEachTimerOnce) {
  auto ws = workspace_of({R"({"id": "t", "stages": [
      {"id": "NEW", "kind": "open", "probability": 0.1,
       "on_enter": [{"action": "timed_move", "to": "LOST", "after": "1h", "basis": "calendar"}]},
      {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"}]})"});
  ConcurrentEngine e = make_engine<ConcurrentEngine>(ws);
  const Instant t0 = at("2024-03-01T09:00:00Z");
  constexpr int kDeals = 400;
  for (int i = 0; i < kDeals; ++i) {
    NewDeal nd;
    nd.created_at = t0 + Duration(i);
    ASSERT_TRUE(e.create(nd));
  }
  std::atomic<int> fired{0};
  std::vector<std::thread> ticks;
  for (int w = 0; w < 3; ++w)
    ticks.emplace_back([&] {
      const TickReport r = e.tick(t0 + Duration(7200));
      for (const FiredTimedMove& m : r.timed_moves) fired += m.result.applied();
    });
  for (std::thread& t : ticks) t.join();
  EXPECT_EQ(fired.load(), kDeals);
  EXPECT_EQ(e.history().size(), 2u * kDeals);
  for (std::uint32_t i = 0; i < kDeals; ++i) EXPECT_EQ(e.deal(DealId{i})->stage, stage(*ws, "LOST"));
}

}  // namespace
}  // namespace dealflow
