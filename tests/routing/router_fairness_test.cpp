// Round-robin fairness (no burst on add / return), caps never exceeded,
// absent / inactive never chosen, deterministic replay.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "routing_test_util.h"

namespace dealflow::routing {
namespace {

using testing::kAttributes;
using testing::key_of;
using testing::LeadMaker;
using testing::router_from;
using testing::rule_of;

std::string pool_team_json(const std::string& managers) {
  return std::string("{") + kAttributes + ", \"managers\": [" + managers +
         "], \"teams\": [{\"id\": \"pool\", \"members\": [" +
         [&] {
           // Every manager whose id starts with "m" is in the pool.
           std::string out;
           std::size_t pos = 0;
           while ((pos = managers.find("\"id\": \"m", pos)) != std::string::npos) {
             const std::size_t start = pos + 7;
             const std::size_t end = managers.find('"', start);
             out += std::string(out.empty() ? "" : ", ") + "\"" + managers.substr(start, end - start) + "\"";
             pos = end;
           }
           return out;
         }() +
         "]}]}";
}

const char* kRoundRobin =
    R"({"rules": [{"id": "rr", "target": {"team": "pool", "strategy": "round_robin"}}]})";

std::string day(int d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "2024-03-%02dT10:00:00Z", d);
  return buf;
}

int spread(const std::map<std::string, int>& counts, std::initializer_list<const char*> keys) {
  int lo = 1 << 30, hi = -1;
  for (const char* k : keys) {
    const int c = counts.count(k) ? counts.at(k) : 0;
    lo = std::min(lo, c);
    hi = std::max(hi, c);
  }
  return hi - lo;
}

TEST(RoundRobinFairnessTest, AlwaysEligibleDifferByAtMostOneAtEveryStep) {
  Router router = router_from(pool_team_json(R"({"id": "m1"}, {"id": "m2"}, {"id": "m3"}, {"id": "m4"},
      {"id": "m-flaky", "absences": [{"from": "2024-03-02", "to": "2024-03-03"}, {"from": "2024-03-06", "to": "2024-03-06"}]},
      {"id": "m-off", "active": false})"),
                              kRoundRobin);
  RouterState state = router.initial_state();
  LeadMaker lead(router.team());
  std::map<std::string, int> counts;
  for (int i = 0; i < 800; ++i) {
    Decision d = router.route(lead({}, day(1 + i / 100)), state);
    ASSERT_TRUE(d.assigned());
    ASSERT_NE(key_of(router, d), "m-off");
    ++counts[key_of(router, d)];
    ASSERT_LE(spread(counts, {"m1", "m2", "m3", "m4"}), 1) << "after lead " << i;
  }
  EXPECT_EQ(counts["m-off"], 0);
  EXPECT_GT(counts["m-flaky"], 0);
}

TEST(RoundRobinFairnessTest, ReturnFromAbsenceGivesNoBurst) {
  Router router = router_from(pool_team_json(R"({"id": "m1"}, {"id": "m2"}, {"id": "m3"},
      {"id": "m0", "absences": [{"from": "2024-03-01", "to": "2024-03-05"}]})"),
                              kRoundRobin);
  RouterState state = router.initial_state();
  LeadMaker lead(router.team());
  for (int i = 0; i < 301; ++i)
    EXPECT_TRUE(router.route(lead({}, day(1 + i / 100)), state).assigned());  // m0 away: m1..m3 share
  std::map<std::string, int> counts;
  std::string previous;
  for (int i = 0; i < 400; ++i) {
    Decision d = router.route(lead({}, day(6)), state);
    const std::string who = key_of(router, d);
    ASSERT_NE(who, previous) << "nobody gets two in a row, the returning manager included";
    previous = who;
    ++counts[who];
    ASSERT_LE(spread(counts, {"m0", "m1", "m2", "m3"}), 1) << "after lead " << i;
  }
}

// Adding or removing a member (a new team file, the state saved and loaded
// through JSON) neither resets the cursor nor gives anyone a burst.
TEST(RoundRobinFairnessTest, AddingAndRemovingMembersKeepsTheCursor) {
  const std::string three = R"({"id": "m-a"}, {"id": "m-c"}, {"id": "m-e"})";
  Router before = router_from(pool_team_json(three), kRoundRobin);
  RouterState state = before.initial_state();
  LeadMaker lead(before.team());
  std::map<std::string, int> counts;
  for (int i = 0; i < 7; ++i) ++counts[key_of(before, before.route(lead({}), state))];  // a c e a c e a
  const Json saved = state_to_json(state, before.team(), before.rules());
  EXPECT_EQ(saved["pools"]["team:pool"]["last_assigned"], "m-a");

  // m-b joins, sorting right after m-a (the last assigned): it simply takes
  // the next place in the cycle; everyone then gets one turn per cycle.
  Router after = router_from(pool_team_json(three + R"(, {"id": "m-b"})"), kRoundRobin);
  auto loaded = parse_router_state(JsonReader(saved, "state.json"), after.team(), after.rules());
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  RouterState s2 = std::move(*loaded);
  LeadMaker lead2(after.team());
  std::string order;
  for (int i = 0; i < 8; ++i) order += key_of(after, after.route(lead2({}), s2)).substr(2) + " ";
  EXPECT_EQ(order, "b c e a b c e a ");

  // m-b leaves: the turn after m-a goes to m-c, nobody starts over.
  const Json saved2 = state_to_json(s2, after.team(), after.rules());
  ASSERT_EQ(saved2["pools"]["team:pool"]["last_assigned"], "m-a");
  Router removed = router_from(pool_team_json(three), kRoundRobin);
  auto s3 = parse_router_state(JsonReader(saved2, "state.json"), removed.team(), removed.rules());
  ASSERT_TRUE(s3.ok());
  std::string rest;
  for (int i = 0; i < 4; ++i)
    rest += key_of(removed, removed.route(LeadMaker(removed.team())({}), *s3)).substr(2);
  EXPECT_EQ(rest, "ceac");
}

TEST(RoundRobinFairnessTest, LastAssignedManagerRemovedContinuesAfterItsKey) {
  const std::string three = R"({"id": "m-a"}, {"id": "m-c"}, {"id": "m-e"})";
  Router router = router_from(pool_team_json(three), kRoundRobin);
  RouterState state = router.initial_state();
  EXPECT_TRUE(router.route(LeadMaker(router.team())({}), state).assigned());  // m-a
  EXPECT_TRUE(router.route(LeadMaker(router.team())({}), state).assigned());  // m-c
  Json saved = state_to_json(state, router.team(), router.rules());
  ASSERT_EQ(saved["pools"]["team:pool"]["last_assigned"], "m-c");
  Router without_c =
      router_from(pool_team_json(R"({"id": "m-a"}, {"id": "m-e"}, {"id": "m-d"})"), kRoundRobin);
  auto loaded = parse_router_state(JsonReader(saved, "state.json"), without_c.team(), without_c.rules());
  ASSERT_TRUE(loaded.ok());
  // Next after "m-c" in key order: m-d (new), then m-e, then m-a.
  std::string order;
  for (int i = 0; i < 3; ++i)
    order += key_of(without_c, without_c.route(LeadMaker(without_c.team())({}), *loaded)).substr(2);
  EXPECT_EQ(order, "dea");
}

// The saved last_assigned names a manager who then leaves the team. Runs that
// send the pool no lead must save that key unchanged (not drift to the key
// before it): when the manager is re-added, the next turn still goes to the
// one after him, and nobody gets two turns in a cycle.
TEST(RoundRobinFairnessTest, RemovedLastAssignedKeyIsKeptUntilThePoolAssignsAgain) {
  const char* rules = R"({"rules": [
      {"id": "other", "when": {"tier": "SMB"}, "target": {"managers": ["m-a"]}},
      {"id": "rr", "target": {"team": "pool", "strategy": "round_robin"}}]})";
  const std::string all = R"({"id": "m-a"}, {"id": "m-c"}, {"id": "m-e"})";
  Router full = router_from(pool_team_json(all), rules);
  RouterState state = full.initial_state();
  std::map<std::string, int> counts;
  for (int i = 0; i < 2; ++i) ++counts[key_of(full, full.route(LeadMaker(full.team())({}), state))];  // a c
  Json saved = state_to_json(state, full.team(), full.rules());
  ASSERT_EQ(saved["pools"]["team:pool"]["last_assigned"], "m-c");

  // m-c leaves. A run that routes only an SMB lead (rule "other") and no lead
  // of the pool, then saves: the pool's key is still m-c.
  Router without_c = router_from(pool_team_json(R"({"id": "m-a"}, {"id": "m-e"})"), rules);
  auto loaded = parse_router_state(JsonReader(saved, "state.json"), without_c.team(), without_c.rules());
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(rule_of(without_c, without_c.route(LeadMaker(without_c.team())({{"tier", "SMB"}}), *loaded)),
            "other");
  const Json resaved = state_to_json(*loaded, without_c.team(), without_c.rules());
  EXPECT_EQ(resaved["pools"]["team:pool"]["last_assigned"], "m-c");
  EXPECT_EQ(resaved["pools"]["rule:other"]["last_assigned"], "m-a");
  // Loading what was saved gives the same state again (a fixed point).
  auto reloaded = parse_router_state(JsonReader(resaved, "state.json"), without_c.team(), without_c.rules());
  ASSERT_TRUE(reloaded.ok());
  EXPECT_TRUE(*reloaded == *loaded);
  EXPECT_EQ(state_to_json(*reloaded, without_c.team(), without_c.rules()), resaved);

  // m-c comes back: the turn after m-c is m-e's, then the cycle goes on.
  auto back = parse_router_state(JsonReader(resaved, "state.json"), full.team(), full.rules());
  ASSERT_TRUE(back.ok());
  std::string order;
  for (int i = 0; i < 6; ++i) {
    const std::string who = key_of(full, full.route(LeadMaker(full.team())({}), *back));
    order += who.substr(2);
    ++counts[who];
    ASSERT_LE(spread(counts, {"m-a", "m-c", "m-e"}), 1) << "after " << order;
  }
  EXPECT_EQ(order, "eaceac");

  // Once the pool assigns, the saved key is the new last assigned manager.
  RouterState fresh_run = std::move(*reloaded);
  EXPECT_EQ(key_of(without_c, without_c.route(LeadMaker(without_c.team())({}), fresh_run)), "m-e");
  EXPECT_EQ(
      state_to_json(fresh_run, without_c.team(), without_c.rules())["pools"]["team:pool"]["last_assigned"],
      "m-e");
}

// A removed key that sorts before every member (cursor at the start) is kept too.
TEST(RoundRobinFairnessTest, RemovedFirstKeyIsKeptToo) {
  const Json saved = Json::parse(R"({"pools": {"team:pool": {"last_assigned": "m-0"}}})");
  Router router = router_from(pool_team_json(R"({"id": "m-a"}, {"id": "m-b"})"), kRoundRobin);
  auto loaded = parse_router_state(JsonReader(saved, "state.json"), router.team(), router.rules());
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(state_to_json(*loaded, router.team(), router.rules())["pools"]["team:pool"]["last_assigned"],
            "m-0");
  EXPECT_EQ(key_of(router, router.route(LeadMaker(router.team())({}), *loaded)), "m-a");
}

// Property: over random teams, rules, leads and closed deals, an assigned
// manager is always active, present, skilled and under every cap, and the
// state's counters match an independent count.
TEST(RouterCapsPropertyTest, CapsNeverExceededIneligibleNeverChosen) {
  std::mt19937 rng(7);
  const char* strategies[] = {"round_robin", "weighted_round_robin", "least_loaded"};
  for (int round = 0; round < 12; ++round) {
    std::string managers;
    for (int m = 0; m < 6; ++m) {
      std::string cap = "\"daily\": " + std::to_string(rng() % 4) +
                        ", \"rolling_30_days\": " + std::to_string(rng() % 25) +
                        ", \"max_open_deals\": " + std::to_string(rng() % 12);
      std::string extra;
      if (rng() % 4 == 0) extra += ", \"active\": false";
      if (rng() % 3 == 0) {
        const int from = 1 + static_cast<int>(rng() % 25);
        extra += ", \"absences\": [{\"from\": \"" + day(from).substr(0, 10) + "\", \"to\": \"" +
                 day(from + static_cast<int>(rng() % 4)).substr(0, 10) + "\"}]";
      }
      if (rng() % 3 == 0) extra += ", \"skills\": {\"tier\": [\"SMB\"]}";
      managers += std::string(m ? "," : "") + "{\"id\": \"m" + std::to_string(m) +
                  "\", \"weight\": " + std::to_string(rng() % 3) + ", \"capacity\": {" + cap + "}" + extra +
                  "}";
    }
    std::string rules = "{\"rules\": [";
    for (int r = 0; r < 4; ++r) {
      rules += std::string(r ? "," : "") + "{\"id\": \"r" + std::to_string(r) +
               "\", \"when\": {\"channel\": \"" + (r % 2 ? "inbound" : "outbound") +
               "\"}, \"target\": {\"managers\": [\"m" + std::to_string(r) + "\", \"m" +
               std::to_string(r + 1) + "\", \"m" + std::to_string(r + 2) + "\"], \"strategy\": \"" +
               strategies[rng() % 3] + "\"}}";
    }
    rules += "], \"default\": {\"team\": \"pool\", \"strategy\": \"least_loaded\"}}";
    Router router = router_from(pool_team_json(managers), rules);
    RouterState state = router.initial_state();
    LeadMaker lead(router.team());
    std::map<std::pair<std::uint32_t, int>, std::uint32_t> per_day;  // (manager, day) -> count
    std::vector<std::uint32_t> open(router.team().managers().size(), 0);
    int assigned = 0;
    for (int i = 0; i < 300; ++i) {
      const int d = 1 + i / 10;
      Lead l =
          lead({{"channel", rng() % 2 ? "inbound" : "outbound"}, {"tier", rng() % 2 ? "SMB" : "Enterprise"}},
               day(d));
      Decision dec = router.route(l, state);
      if (!dec.assigned()) {
        ASSERT_FALSE(router.explain(dec).empty());
        continue;
      }
      ++assigned;
      const Manager& m = router.team().manager(dec.manager);
      const Date date = l.at.date();
      ASSERT_TRUE(m.active);
      ASSERT_EQ(m.absence_on(date), nullptr);
      ASSERT_TRUE(m.accepts(AttributeId(1), l.values[1]));
      const std::uint32_t today = ++per_day[{m.id.value(), d}];
      std::uint32_t window = 0;
      for (int k = d - 29; k <= d; ++k) {
        auto it = per_day.find({m.id.value(), k});
        if (it != per_day.end()) window += it->second;
      }
      ++open[m.id.value()];
      ASSERT_LE(today, m.capacity.daily);
      ASSERT_LE(window, m.capacity.rolling_30_days);
      ASSERT_LE(open[m.id.value()], m.capacity.max_open_deals);
      ASSERT_EQ(state.assigned_on(m.id, date), today);
      ASSERT_EQ(state.assigned_in_window(m.id, date), window);
      ASSERT_EQ(state.open_deals(m.id), open[m.id.value()]);
      // Some deals close, freeing open-deal capacity.
      if (rng() % 3 == 0) {
        const ManagerId victim(static_cast<std::uint32_t>(rng() % open.size()));
        if (open[victim.value()] > 0) {
          ASSERT_TRUE(state.close_deal(victim).ok());
          --open[victim.value()];
        }
      }
    }
    EXPECT_GT(assigned, 0) << "round " << round;
  }
}

TEST(RouterReplayTest, SameInputsAndStateGiveSameDecisions) {
  Router router = router_from(pool_team_json(R"({"id": "m1", "weight": 3, "capacity": {"daily": 20}},
                                           {"id": "m2", "weight": 1}, {"id": "m3", "weight": 2, "capacity": {"max_open_deals": 50}},
                                           {"id": "m4", "absences": [{"from": "2024-03-03", "to": "2024-03-04"}]})"),
                              R"({"rules": [
      {"id": "w", "when": {"tier": "SMB"}, "target": {"team": "pool", "strategy": "weighted_round_robin"}},
      {"id": "l", "when": {"channel": "outbound"}, "target": {"team": "pool", "strategy": "least_loaded"}}],
      "default": {"team": "pool"}})");
  LeadMaker lead(router.team());
  std::mt19937 rng(99);
  std::vector<Lead> leads;
  for (int i = 0; i < 400; ++i) {
    leads.push_back(
        lead({{"tier", rng() % 2 ? "SMB" : "Enterprise"}, {"channel", rng() % 2 ? "inbound" : "outbound"}},
             day(1 + i / 60)));
  }
  auto run = [&](RouterState state, std::size_t from, std::vector<std::string>& out) {
    for (std::size_t i = from; i < leads.size(); ++i) {
      Decision d = router.route(leads[i], state);
      out.push_back(key_of(router, d) + "|" + router.explain(d));
    }
    return state;
  };
  std::vector<std::string> first, second;
  RouterState end1 = run(router.initial_state(), 0, first);
  RouterState end2 = run(router.initial_state(), 0, second);
  EXPECT_EQ(first, second);
  EXPECT_TRUE(end1 == end2);

  // Stopping half way, saving the state as JSON text and resuming gives the
  // same decisions as an uninterrupted run.
  std::vector<std::string> part1, part2;
  RouterState half = router.initial_state();
  for (std::size_t i = 0; i < 200; ++i) {
    Decision d = router.route(leads[i], half);
    part1.push_back(key_of(router, d) + "|" + router.explain(d));
  }
  const std::string text = state_to_json(half, router.team(), router.rules()).dump();
  auto doc = parse_json(text, "state.json");
  ASSERT_TRUE(doc.ok());
  auto restored = parse_router_state(JsonReader(*doc, "state.json"), router.team(), router.rules());
  ASSERT_TRUE(restored.ok()) << restored.status().to_string();
  EXPECT_TRUE(*restored == half);
  RouterState end3 = run(std::move(*restored), 200, part2);
  part1.insert(part1.end(), part2.begin(), part2.end());
  EXPECT_EQ(part1, first);
  EXPECT_TRUE(end3 == end1);
}

}  // namespace
}  // namespace dealflow::routing
