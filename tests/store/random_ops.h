// Random Department operations for the store's property tests (replay, reopen, crash): the b2b_sales +
// onboarding configuration (guards, roles, a predicate, won and lost stages, a guarded reopen, timed
// moves, an escalation and a create_linked hand-off) with the test router, and a generator of creations,
// routed creations, moves (mostly along allowed moves so that deals win, lose and reopen), reassignments,
// field / amount / probability / client edits and ticks, with time moving forward.
#pragma once

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dealflow/store/department.h"
#include "store/department_test_util.h"

namespace dealflow::store::testing {

// b2b_sales + onboarding, the test router; m0 starts with 2 open deals, m2 with 1.
inline DepartmentConfig b2b_config() {
  auto router = test_router();
  DepartmentConfig c = config_of(b2b_workspace(), b2b_options(), router);
  c.initial_router_state.set_open_deals(ManagerId{0}, 2);
  c.initial_router_state.set_open_deals(ManagerId{2}, 1);
  return c;
}

struct Counts {
  std::size_t reopened = 0, timed = 0, handoffs = 0, won = 0, lost = 0, refused = 0;
};

class RandomOps {
 public:
  RandomOps(std::uint64_t seed, Instant start) : rng_(seed), t_(start) {}

  // Applies one random operation. An error Status is an operation's error (the Department is failed, or a
  // lead could not be routed); a refused operation is ok (counted in refused()).
  Status step(Department& d) {
    const Workspace& ws = d.workspace();
    const routing::Router& router = *d.router();
    static const std::vector<std::string_view> regions = {"Москва", "Томск", "Урал"};
    static const std::vector<ManagerId> actors = {ManagerId{0}, ManagerId{1}, ManagerId{2}, kHead,
                                                  ManagerId{}};
    t_ = t_ + Duration(static_cast<std::int64_t>(pick(12 * 3600)));
    if (pick(40) == 0) t_ = t_ + Duration(35 * 86400);  // now and then past the 30-day timed move
    const Instant t = t_;
    const std::size_t deals = d.engine().deal_count();
    // Half the time one of the 4 newest deals, so that deals get far enough to close and reopen.
    const std::size_t index = deals == 0 ? 0
                              : pick(2)  ? deals - 1 - pick(std::min<std::size_t>(deals, 4))
                                         : pick(deals);
    const DealId deal{static_cast<std::uint32_t>(index)};
    ManagerId actor = actors[pick(actors.size())];
    const std::size_t op = deals == 0 ? 0 : pick(16);
    Result<MoveResult> r = MoveResult{};
    if (op <= 1) {
      NewDeal nd;
      nd.amount =
          Money(static_cast<std::int64_t>(1 + pick(20)) * (pick(2) ? 100000 : 12345), Currency::of("RUB"));
      nd.created_at = t;
      nd.client = pick(4) ? ClientId{static_cast<std::uint32_t>(pick(50))} : ClientId{};
      const std::string_view region = regions[pick(regions.size())];
      nd.attributes = {{"region", std::string(region)}};
      if (pick(3) == 0) nd.probability = static_cast<double>(pick(1000)) / 999.0;
      nd.actor = actor;
      if (op == 0) {
        auto routed = d.route_and_create(lead_in(router, region, t), nd);
        if (!routed) return routed.status();
      } else {
        nd.owner = actors[pick(actors.size())];
        r = d.create(nd);
      }
    } else if (op <= 9) {
      const Deal current = *d.engine().deal(deal);
      const Pipeline& p = ws.pipeline(current.pipeline);
      if (p.kind(current.stage) == StageKind::lost && pick(2) == 0)
        actor = kHead;  // the reopen needs the head
      // Mostly along allowed moves (so deals reach won, lost and reopen), sometimes anywhere.
      const auto next = p.successors(current.stage);
      std::vector<StageId> ahead;  // not into a lost stage
      for (StageId s : next)
        if (p.kind(s) != StageKind::lost) ahead.push_back(s);
      StageId to{static_cast<StageId::rep_type>(pick(p.stage_count()))};
      if (!ahead.empty() && pick(4) != 0) {
        to = ahead[pick(ahead.size())];
      } else if (!next.empty() && pick(4) != 0) {
        to = next[pick(next.size())];
      }
      r = d.move(deal, to, t, actor);
    } else if (op == 10) {
      r = d.reassign(deal, actors[pick(3)], t, actor);
    } else if (op == 11) {
      const std::string_view field = pick(2) ? "region" : "document";
      r = d.set_field(deal, *d.engine().find_field(field), pick(2) ? "Урал" : "КП №7", t, actor);
    } else if (op == 12) {
      r = d.set_amount(deal, Money(static_cast<std::int64_t>(pick(5)) * 100000, Currency::of("RUB")), t,
                       actor);
    } else if (op == 13) {
      r = d.set_probability(
          deal, pick(3) ? std::optional<double>(static_cast<double>(pick(7)) / 7.0) : std::nullopt, t, actor);
    } else if (op == 14) {
      r = d.set_client(deal, pick(4) ? ClientId{static_cast<std::uint32_t>(pick(9))} : ClientId{}, t, actor);
    } else {
      auto ticked = d.tick(t);
      if (!ticked) return ticked.status();
    }
    if (!r) return r.status();
    if (!r->applied()) ++refused_;
    return {};
  }

  std::size_t refused() const noexcept { return refused_; }
  Instant now() const noexcept { return t_; }

 private:
  std::size_t pick(std::size_t k) { return static_cast<std::size_t>(rng_() % k); }

  std::mt19937_64 rng_;
  Instant t_;
  std::size_t refused_ = 0;
};

// What the history holds: reopens, timed moves, hand-offs, entries into won and lost stages.
inline Counts count_events(const Department& d, std::size_t refused = 0) {
  Counts counts;
  counts.refused = refused;
  const Engine& e = d.engine();
  const Workspace& ws = d.workspace();
  for (const HistoryEvent& ev : e.history().events()) {
    const DecodedEvent de = e.history().decode(ev);
    counts.reopened += ev.cause == EventCause::reopened;
    counts.timed += ev.cause == EventCause::timed_move;
    counts.handoffs += ev.cause == EventCause::handoff_created;
    counts.won += ws.pipeline(de.to_pipeline).kind(de.to) == StageKind::won;
    counts.lost += ws.pipeline(de.to_pipeline).kind(de.to) == StageKind::lost;
  }
  return counts;
}

// Applies `n` random operations from 2024-03-04T06:00:00Z; checks the router invariant after each.
inline Counts run_random(Department& d, const routing::RouterState& initial, std::uint64_t seed, int n) {
  RandomOps ops(seed, at("2024-03-04T06:00:00Z"));
  for (int i = 0; i < n; ++i) {
    const Status s = ops.step(d);
    EXPECT_TRUE(s.ok()) << s.to_string();
    expect_invariant(d, initial);
    if (::testing::Test::HasFatalFailure()) return count_events(d, ops.refused());
  }
  return count_events(d, ops.refused());
}

}  // namespace dealflow::store::testing
