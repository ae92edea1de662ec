// RouterState: counters, the JSON form, load errors, concurrency.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "routing_test_util.h"

namespace dealflow::routing {
namespace {

using testing::kAttributes;
using testing::key_of;
using testing::LeadMaker;
using testing::router_from;

const std::string kStateTeam = std::string("{") + kAttributes + R"(,
  "calendars": {"nsk": {"utc_offset": "+07:00"}},
  "managers": [{"id": "a", "weight": 2}, {"id": "b", "calendar": "nsk"}, {"id": "c"}],
  "teams": [{"id": "t", "members": ["a", "b", "c"]}]})";
const std::string kStateRules = R"({"rules": [
    {"id": "w", "when": {"tier": "SMB"}, "target": {"managers": ["a", "b"], "strategy": "weighted_round_robin"}},
    {"id": "rr", "target": {"team": "t"}}]})";

TEST(RouterStateTest, DayCountersUseTheManagersLocalDate) {
  Router router = router_from(kStateTeam, kStateRules);
  RouterState state = router.initial_state();
  LeadMaker lead(router.team());
  // 2024-03-04T20:00Z is already 2024-03-05 in Novosibirsk (+07:00).
  const Lead l = lead({{"tier", "Enterprise"}}, "2024-03-04T20:00:00Z");
  Decision d;
  router.route(l, state, d);
  ASSERT_EQ(key_of(router, d), "a");
  router.route(l, state, d);
  ASSERT_EQ(key_of(router, d), "b");
  const ManagerId a = *router.team().find_manager("a");
  const ManagerId b = *router.team().find_manager("b");
  EXPECT_EQ(state.assigned_on(a, *Date::parse("2024-03-04")), 1u);
  EXPECT_EQ(state.assigned_on(b, *Date::parse("2024-03-05")), 1u);
  EXPECT_EQ(state.assigned_on(b, *Date::parse("2024-03-04")), 0u);
}

TEST(RouterStateTest, RollingWindowIsThirtyDatesEndingToday) {
  RouterState state(1, {});
  const ManagerId m(0);
  const Date d0 = *Date::parse("2024-03-01");
  state.record_assignment(m, d0);
  state.record_assignment(m, d0 + 10);
  state.record_assignment(m, d0 + 10);
  EXPECT_EQ(state.assigned_in_window(m, d0 + 29), 3u);  // d0 .. d0+29
  EXPECT_EQ(state.assigned_in_window(m, d0 + 30), 2u);  // d0 dropped
  EXPECT_EQ(state.assigned_in_window(m, d0 + 39), 2u);
  EXPECT_EQ(state.assigned_in_window(m, d0 + 40), 0u);
  EXPECT_EQ(state.open_deals(m), 3u);
  // A slot reused 30 days later forgets the old date.
  state.record_assignment(m, d0 + 30);
  EXPECT_EQ(state.assigned_on(m, d0), 0u);
  EXPECT_EQ(state.assigned_on(m, d0 + 30), 1u);
  // An assignment older than the slot's date is not recorded.
  state.record_assignment(m, d0);
  EXPECT_EQ(state.assigned_on(m, d0 + 30), 1u);
  EXPECT_EQ(state.open_deals(m), 5u);
}

TEST(RouterStateJsonTest, ExactFormAndRoundTrip) {
  Router router = router_from(kStateTeam, kStateRules);
  RouterState state = router.initial_state();
  LeadMaker lead(router.team());
  // Weighted (a:2, b:1): (2,1) -> a, current (-1,1); (1,2) -> b, current (1,-1).
  for (int i = 0; i < 2; ++i)
    EXPECT_TRUE(router.route(lead({{"tier", "SMB"}}, "2024-03-04T10:00:00Z"), state).assigned());
  EXPECT_TRUE(router.route(lead({}, "2024-03-04T10:00:00Z"), state).assigned());  // rr: a
  state.set_open_deals(*router.team().find_manager("c"), 7);
  const Json j = state_to_json(state, router.team(), router.rules());
  const Json expected = Json::parse(R"({
    "format": "dealflow-router-state", "version": 1,
    "managers": {
      "a": {"open_deals": 2, "assigned": {"2024-03-04": 2}},
      "b": {"open_deals": 1, "assigned": {"2024-03-04": 1}},
      "c": {"open_deals": 7, "assigned": {}}
    },
    "pools": {
      "rule:w": {"current_weights": {"a": 1, "b": -1}},
      "team:t": {"last_assigned": "a"}
    }})");
  EXPECT_EQ(j, expected) << j.dump(2);
  auto back = parse_router_state(JsonReader(j, "s.json"), router.team(), router.rules());
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_TRUE(*back == state);
  EXPECT_EQ(state_to_json(*back, router.team(), router.rules()), j);
}

TEST(RouterStateJsonTest, FileRoundTripAndUnknownEntriesDropped) {
  Router router = router_from(kStateTeam, kStateRules);
  const std::string path = std::string(DEALFLOW_TEST_TMP) + "/router_state_roundtrip.json";
  RouterState state = router.initial_state();
  EXPECT_TRUE(router.route(LeadMaker(router.team())({}), state).assigned());
  ASSERT_TRUE(save_router_state_file(path, state, router.team(), router.rules()).ok());
  auto loaded = load_router_state_file(path, router.team(), router.rules());
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_TRUE(*loaded == state);
  // A manager and a pool the team no longer has are ignored.
  auto doc = Json::parse(
      R"({"managers": {"gone": {"open_deals": 3}}, "pools": {"team:old": {"last_assigned": "gone"}}})");
  auto fresh = parse_router_state(JsonReader(doc, "s.json"), router.team(), router.rules());
  ASSERT_TRUE(fresh.ok()) << fresh.status().to_string();
  EXPECT_TRUE(*fresh == router.initial_state());
}

struct StateError {
  const char* name;
  const char* json;
  std::string path;
};

class RouterStateErrorTest : public ::testing::TestWithParam<StateError> {};

TEST_P(RouterStateErrorTest, ReportsPath) {
  Router router = router_from(kStateTeam, kStateRules);
  auto doc = Json::parse(GetParam().json);
  auto state = parse_router_state(JsonReader(doc, "s.json"), router.team(), router.rules());
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.status().location().json_path, GetParam().path) << state.status().to_string();
}

INSTANTIATE_TEST_SUITE_P(
    Errors, RouterStateErrorTest,
    ::testing::Values(StateError{"wrong_format", R"({"format": "other"})", "/format"},
                      StateError{"wrong_version", R"({"version": 2})", "/version"},
                      StateError{"negative_open", R"({"managers": {"a": {"open_deals": -1}}})",
                                 "/managers/a/open_deals"},
                      StateError{"bad_day", R"({"managers": {"a": {"assigned": {"2024-13-01": 1}}}})",
                                 "/managers/a/assigned/2024-13-01"},
                      StateError{"bad_cursor", R"({"pools": {"team:t": {"last_assigned": 5}}})",
                                 "/pools/team:t/last_assigned"},
                      StateError{"bad_weight", R"({"pools": {"rule:w": {"current_weights": {"a": "x"}}}})",
                                 "/pools/rule:w/current_weights/a"},
                      StateError{"weight_above_int64_max",
                                 R"({"pools": {"rule:w": {"current_weights": {"a": 9223372036854775808}}}})",
                                 "/pools/rule:w/current_weights/a"},
                      StateError{"typo", R"({"manager": {}})", "/manager"}),
    [](const ::testing::TestParamInfo<StateError>& info) { return std::string(info.param.name); });

// Concurrent routing: one immutable Router shared by threads, each with its own
// state, and a SynchronizedRouter sharing one state. Totals must add up and
// round robin must stay fair (differences <= 1) under contention.
TEST(RouterConcurrencyTest, SharedRouterAndSynchronizedState) {
  auto router = std::make_shared<const Router>(router_from(kStateTeam, kStateRules));
  const Lead lead = LeadMaker(router->team())({}, "2024-03-04T10:00:00Z");
  SynchronizedRouter shared(router, router->initial_state());
  std::vector<std::thread> threads;
  std::vector<std::array<int, 3>> own_counts(4, {0, 0, 0});
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      RouterState own = router->initial_state();
      for (int i = 0; i < 300; ++i) {
        Decision d = shared.route(lead);
        ASSERT_TRUE(d.assigned());
        Decision mine = router->route(lead, own);
        ++own_counts[t][mine.manager.value()];
      }
    });
  }
  for (auto& th : threads) th.join();
  const RouterState final_state = shared.snapshot();
  const Date day = *Date::parse("2024-03-04");
  std::uint32_t total = 0;
  std::uint32_t lo = ~0u, hi = 0;
  for (std::uint32_t m = 0; m < 3; ++m) {
    const std::uint32_t n = final_state.open_deals(ManagerId(m));
    total += n;
    lo = std::min(lo, n);
    hi = std::max(hi, n);
    EXPECT_EQ(final_state.assigned_on(ManagerId(m), day), n);
  }
  EXPECT_EQ(total, 1200u);
  EXPECT_LE(hi - lo, 1u);
  for (const auto& c : own_counts) EXPECT_EQ(c, (std::array<int, 3>{100, 100, 100}));
}

}  // namespace
}  // namespace dealflow::routing
