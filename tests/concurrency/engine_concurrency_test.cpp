// ConcurrentEngine under load (2 and 4 writer threads): creations, moves of
// own and shared deals, field edits, ticks, and readers calling history() and
// as_of() during the writes. No history event may be lost; every deal's events
// must chain (each event's `from` is the previous event's `to`) in
// non-decreasing time, which only holds if one deal's requests were serialized
// and the per-thread history shards were merged in a per-deal order; a reader
// must only ever see a prefix-closed, append-only log; replaying the final log
// must give the live state.
#include <algorithm>
#include <atomic>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "pipeline/engine_test_util.h"

namespace dealflow {
namespace {

using namespace engine_testing;

const char* kOpenCycle = R"({"id": "c", "policy": "free", "stages": [
    {"id": "A", "kind": "open", "probability": 0.1}, {"id": "B", "kind": "open", "probability": 0.2},
    {"id": "C", "kind": "open", "probability": 0.3, "on_enter": [{"action": "set_field", "field": "source", "value": "C"}]},
    {"id": "D", "kind": "open", "probability": 0.4},
    {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"}]})";

// Checks that the events [0, n) of `h` chain per deal with non-decreasing time
// (what any published prefix must satisfy) and returns them.
std::vector<HistoryEvent> expect_chained_prefix(const History& h) {
  const std::size_t n = h.size();
  std::vector<HistoryEvent> events;
  events.reserve(n);
  std::vector<HistoryEvent> last;  // per deal; `to` == kNoStageCode: none seen yet
  for (std::size_t i = 0; i < n; ++i) {
    const HistoryEvent& e = h.event(i);
    events.push_back(e);
    if (e.deal >= last.size())
      last.resize(std::size_t{e.deal} + 1, HistoryEvent{0, 0, 0, kNoStageCode, 0, {}, 0});
    HistoryEvent& prev = last[e.deal];
    if (prev.to == kNoStageCode) {
      EXPECT_EQ(e.from, kNoStageCode) << "deal " << e.deal << ": its first visible event is not its creation";
    } else {
      EXPECT_EQ(e.from, prev.to) << "deal " << e.deal << " at event " << i;
      EXPECT_GE(e.at, prev.at) << "deal " << e.deal << " at event " << i;
    }
    prev = e;
  }
  return events;
}

void contended_moves(const int kThreads) {
  constexpr int kOwnDeals = 40, kOwnMoves = 5000, kSharedDeals = 6, kSharedMoves = 5000;
  auto ws = workspace_of({kOpenCycle});
  ConcurrentEngine e = make_engine<ConcurrentEngine>(ws);
  std::atomic<int> callbacks{0};
  ASSERT_TRUE(
      e.on_enter(PipelineId{0}, stage(*ws, "D"), "count", [&](const MoveNotice&) { ++callbacks; }).ok());
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
    // Reads while writers run: every published prefix is consistent and the
    // log only grows (what was seen once never changes).
    std::vector<HistoryEvent> seen;
    while (!stop.load()) {
      const std::vector<HistoryEvent> now = expect_chained_prefix(e.history());
      ASSERT_GE(now.size(), seen.size());
      ASSERT_TRUE(std::equal(seen.begin(), seen.end(), now.begin()));
      seen = now;
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
  for (int w = 0; w < kThreads; ++w)
    EXPECT_TRUE(e.find_value(region, std::string("R") + std::to_string(w)).has_value());
  for (std::uint32_t i = kSharedDeals; i < deals; ++i) {
    const std::string text = e.value_text(region, e.deal(DealId{i})->attribute(region));
    EXPECT_EQ(text.substr(0, 1), "R");
  }
  // as_of after everything equals the live state.
  const HistoryState last = e.as_of(t0 + Duration(200000));
  for (std::uint32_t i = 0; i < deals; ++i) EXPECT_EQ(last.deal(DealId{i}).stage, e.deal(DealId{i})->stage);
}

TEST(EngineConcurrency, TwoThreadsLoseNoEventAndKeepPerDealOrder) {
  contended_moves(2);
}
TEST(EngineConcurrency, FourThreadsLoseNoEventAndKeepPerDealOrder) {
  contended_moves(4);
}

// C sets a field and schedules a timed move to D one hour later.
const char* kTimedCycle = R"({"id": "m", "policy": "free", "stages": [
    {"id": "A", "kind": "open", "probability": 0.1}, {"id": "B", "kind": "open", "probability": 0.2},
    {"id": "C", "kind": "open", "probability": 0.3, "on_enter": [
       {"action": "set_field", "field": "source", "value": "C"},
       {"action": "timed_move", "to": "D", "after": "1h", "basis": "calendar"}]},
    {"id": "D", "kind": "open", "probability": 0.4},
    {"id": "WON", "kind": "won"}, {"id": "LOST", "kind": "lost"}]})";

// Writers create deals, move them and edit their fields while a ticker fires
// timed moves and two readers call history() / as_of(); then the final log is
// checked against the counts the threads saw applied and against the live state.
void mixed_load(const int kThreads) {
  constexpr int kDealsPerThread = 30, kOpsPerThread = 6000;
  auto ws = workspace_of({kTimedCycle});
  ConcurrentEngine e = make_engine<ConcurrentEngine>(ws);
  const Instant t0 = at("2024-03-01T09:00:00Z");
  const StageId c = stage(*ws, "C");
  const FieldId region = *e.find_field("region");
  std::atomic<std::uint64_t> applied_moves{0}, into_c{0}, field_edits{0}, timed{0};
  std::atomic<bool> stop{false};
  std::atomic<int> ready{0};

  auto read_loop = [&](int which) {
    std::vector<HistoryEvent> seen;
    std::size_t fields_seen = 0;
    while (!stop.load()) {
      if (which == 0) {
        const std::vector<HistoryEvent> now = expect_chained_prefix(e.history());
        ASSERT_GE(now.size(), seen.size());
        ASSERT_TRUE(std::equal(seen.begin(), seen.end(), now.begin()));
        seen = now;
        const std::size_t f = e.history().field_event_count();
        ASSERT_GE(f, fields_seen);
        fields_seen = f;
      } else {
        const HistoryState s = e.as_of(t0 + Duration(3000));
        for (const DealState& d : s.deals()) {
          if (!d.id.valid()) continue;
          ASSERT_TRUE(d.stage.valid());
          ASSERT_GE(d.stage_entries, 1u);
          ASSERT_GE(d.last_event_at, d.created_at);
        }
        (void)e.links(DealId{0});
        (void)e.automation_failures();
      }
      std::this_thread::yield();
    }
  };
  std::thread reader0(read_loop, 0), reader1(read_loop, 1);
  std::thread ticker([&] {
    for (std::int64_t k = 0; !stop.load(); ++k) {
      const TickReport r = e.tick(t0 + Duration(std::min<std::int64_t>(k * 20, 4000)));
      for (const FiredTimedMove& m : r.timed_moves) timed += m.result.applied();
      std::this_thread::yield();
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kThreads; ++w) {
    writers.emplace_back([&, w] {
      std::mt19937 rng(77 + static_cast<unsigned>(w));
      const ManagerId me{static_cast<std::uint32_t>(w)};
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      std::vector<DealId> own;
      for (int i = 0; i < kDealsPerThread; ++i) {
        NewDeal nd;
        nd.created_at = t0;
        nd.actor = me;
        nd.amount = Money(1000 * (w + 1), Currency::of("RUB"));
        nd.attributes = {{"region", "Москва"}};
        const MoveResult r = e.create(nd);
        ASSERT_TRUE(r) << r.message;
        own.push_back(r.deal);
      }
      for (int i = 0; i < kOpsPerThread; ++i) {
        const DealId id = own[rng() % own.size()];
        const Instant when = t0 + Duration(i + 1);
        MoveResult r;
        bool is_move = false;
        switch (rng() % 6) {
          case 0:
            r = e.set_field(id, region, i % 2 ? "Сибирь" : "Урал", when, me);
            break;
          case 1:
            r = e.set_amount(id, Money(100 * i + w, Currency::of("RUB")), when, me);
            break;
          case 2:
            r = e.set_owner(id, ManagerId{static_cast<std::uint32_t>(i % 7)}, when, me);
            break;
          case 3:
            r = e.set_probability(id, (i % 10) / 10.0, when, me);
            break;
          default: {
            const StageId to{static_cast<std::uint16_t>(rng() % 4)};
            r = e.move(id, to, when, me);
            is_move = true;
            if (r && to == c) ++into_c;
          }
        }
        if (r) {
          ++(is_move ? applied_moves : field_edits);
        } else {
          // A timed move may have put the deal past `when`; a move may target the current stage.
          ASSERT_TRUE(r.refusal == Refusal::time_before_last_event ||
                      (is_move && r.refusal == Refusal::already_in_stage))
              << r.message;
        }
      }
    });
  }
  for (std::thread& t : writers) t.join();
  stop = true;
  reader0.join();
  reader1.join();
  ticker.join();
  const TickReport last_tick = e.tick(t0 + Duration(100000));
  for (const FiredTimedMove& m : last_tick.timed_moves) timed += m.result.applied();
  ASSERT_EQ(e.pending_timers(), 0u);

  const std::size_t deals = static_cast<std::size_t>(kThreads) * kDealsPerThread;
  ASSERT_EQ(e.deal_count(), deals);
  // The workload did what it is meant to (the checks below are not vacuous).
  ASSERT_GT(applied_moves.load(), 0u);
  ASSERT_GT(field_edits.load(), 0u);
  ASSERT_GT(into_c.load(), 0u);
  ASSERT_GT(timed.load(), 0u);
  const History& h = e.history();
  // No event lost: stage events = creations + moves + timed moves; field events =
  // 2 initial values per deal (amount, region) + edits + C's set_field per entry.
  EXPECT_EQ(h.size(), deals + applied_moves.load() + timed.load());
  EXPECT_EQ(h.field_event_count(), 2 * deals + field_edits.load() + into_c.load());
  // Per-deal order in both logs; the replay equals the live state.
  const std::vector<HistoryEvent> events = expect_chained_prefix(h);
  std::vector<std::uint32_t> last_field_at(deals, 0);
  for (std::size_t i = 0; i < h.field_event_count(); ++i) {
    const FieldEvent& f = h.field_event(i);
    ASSERT_LT(f.deal, deals);
    EXPECT_GE(f.at, last_field_at[f.deal]) << "field event " << i;
    last_field_at[f.deal] = f.at;
  }
  const HistoryState s = e.as_of(t0 + Duration(200000));
  const FieldId source = *e.find_field("source");
  for (std::uint32_t i = 0; i < deals; ++i) {
    const Deal d = *e.deal(DealId{i});
    const DealState& st = s.deal(DealId{i});
    EXPECT_EQ(st.stage, d.stage) << i;
    EXPECT_EQ(st.stage_entries, d.stage_entries) << i;
    EXPECT_EQ(st.amount, d.amount) << i;
    EXPECT_EQ(st.owner, d.owner) << i;
    EXPECT_EQ(st.probability_ppm.has_value(), d.probability_override.has_value()) << i;
    EXPECT_EQ(st.last_event_at, d.last_event_at) << i;
    EXPECT_EQ(s.attributes(DealId{i})[attribute_slot(region)], d.attribute(region)) << i;
    EXPECT_EQ(s.attributes(DealId{i})[attribute_slot(source)], d.attribute(source)) << i;
  }
}

TEST(EngineConcurrency, TwoThreadsMixedLoadWithTicksAndReaders) {
  mixed_load(2);
}
TEST(EngineConcurrency, FourThreadsMixedLoadWithTicksAndReaders) {
  mixed_load(4);
}

// Two threads take turns moving ONE deal (a handshake forces the interleaving),
// so its events sit in both threads' shards when history() merges them: the
// merge must restore the order they were applied in, and with it the chain.
TEST(EngineConcurrency, DealMovedByTwoThreadsInTurnKeepsItsOrder) {
  auto ws = workspace_of({kOpenCycle});
  ConcurrentEngine e = make_engine<ConcurrentEngine>(ws);
  const Instant t0 = at("2024-03-01T09:00:00Z");
  NewDeal nd;
  nd.created_at = t0;
  const DealId id = e.create(nd).deal;
  constexpr int kRounds = 60;
  std::atomic<int> turn{0};
  auto player = [&](int me) {
    for (int i = me; i < 2 * kRounds; i += 2) {
      while (turn.load() != i) std::this_thread::yield();
      // Alternate A -> B -> A ...; the amount edit puts field events in both shards too.
      ASSERT_TRUE(
          e.move(id, StageId{static_cast<std::uint16_t>(i % 2 ? 0 : 1)}, t0 + Duration(i), ManagerId{1}));
      ASSERT_TRUE(e.set_amount(id, Money(i, Currency::of("RUB")), t0 + Duration(i), ManagerId{1}));
      turn.store(i + 1);
    }
  };
  std::thread a(player, 0), b(player, 1);
  a.join();
  b.join();
  const History& h = e.history();
  ASSERT_EQ(h.size(), 1u + 2 * kRounds);
  expect_chained_prefix(h);
  ASSERT_EQ(h.field_event_count(), 2u * kRounds);
  for (std::size_t i = 0; i < h.field_event_count(); ++i) {
    EXPECT_EQ(h.instant(h.field_event(i).at), t0 + Duration(static_cast<std::int64_t>(i)))
        << i;  // applied order
    EXPECT_EQ(h.money(h.field_event(i).value), Money(static_cast<std::int64_t>(i), Currency::of("RUB"))) << i;
  }
}

// Without any reader, a writer's shard is merged when it holds 512 unmerged records:
// a History reference obtained earlier sees them; history() publishes the rest.
TEST(EngineConcurrency, FullShardIsMergedWithoutAReader) {
  auto ws = workspace_of({kOpenCycle});
  ConcurrentEngine e = make_engine<ConcurrentEngine>(ws);
  const Instant t0 = at("2024-03-01T09:00:00Z");
  NewDeal nd;
  nd.created_at = t0;
  const DealId id = e.create(nd).deal;
  const History& h = e.history();
  ASSERT_EQ(h.size(), 1u);
  constexpr int kMoves = 10000;
  for (int i = 0; i < kMoves; ++i)
    ASSERT_TRUE(
        e.move(id, StageId{static_cast<std::uint16_t>(i % 2 ? 0 : 1)}, t0 + Duration(i), ManagerId{1}));
  EXPECT_EQ(h.size(), 1u + 19u * 512u);  // merged at every 512 unmerged records; 272 still staged
  EXPECT_EQ(e.history().size(), 1u + kMoves);
  expect_chained_prefix(h);
}

// One operation writing more records than a shard's ring holds (1024): a
// creation with 1500 attribute values. The writer publishes and merges part of
// it mid-operation; nothing is lost and the replay equals the deal.
TEST(EngineConcurrency, OperationLargerThanTheShardRingIsStagedInParts) {
  constexpr int kFields = 1500;
  EngineOptions o;
  for (int i = 0; i < kFields; ++i) o.extra_fields.push_back("f" + std::to_string(i));
  ConcurrentEngine e = make_engine<ConcurrentEngine>(workspace_of({kOpenCycle}), std::move(o));
  const Instant t0 = at("2024-03-01T09:00:00Z");
  NewDeal nd;
  nd.created_at = t0;
  nd.amount = Money(12345, Currency::of("RUB"));
  for (int i = 0; i < kFields; ++i)
    nd.attributes.emplace_back("f" + std::to_string(i), "v" + std::to_string(i % 7));
  std::thread writer([&] { ASSERT_TRUE(e.create(nd)); });
  writer.join();
  const History& h = e.history();
  EXPECT_EQ(h.size(), 1u);
  EXPECT_EQ(h.field_event_count(), 1u + kFields);  // the amount and every attribute
  const HistoryState s = e.as_of(t0);
  EXPECT_EQ(s.deal(DealId{0}).amount, Money(12345, Currency::of("RUB")));
  const Deal d = *e.deal(DealId{0});
  for (int i = 0; i < kFields; i += 149) {
    const FieldId f = *e.find_field("f" + std::to_string(i));
    EXPECT_EQ(s.attributes(DealId{0})[attribute_slot(f)], d.attribute(f)) << i;
    EXPECT_EQ(e.value_text(f, d.attribute(f)), "v" + std::to_string(i % 7));
  }
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
