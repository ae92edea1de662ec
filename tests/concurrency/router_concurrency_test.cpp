// SynchronizedRouter from several threads: every lead is routed exactly once,
// the counters add up to the decisions the threads received, and — since the
// rules' strategies (weighted and plain round robin, no caps) depend only on
// how many leads each rule saw, not on their interleaving — the final state
// equals a serial replay of the same leads.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <thread>
#include <vector>

#include "routing/routing_test_util.h"

namespace dealflow::routing {
namespace {

using testing::kAttributes;
using testing::LeadMaker;
using testing::router_from;

const std::string kTeam = std::string("{") + kAttributes + R"(,
  "managers": [{"id": "a", "weight": 2}, {"id": "b"}, {"id": "c"}, {"id": "Ёлкин"}],
  "teams": [{"id": "t", "members": ["a", "b", "c", "Ёлкин"]}]})";
const std::string kRules = R"({"rules": [
    {"id": "w", "when": {"tier": "SMB"}, "target": {"managers": ["a", "b"], "strategy": "weighted_round_robin"}},
    {"id": "rr", "target": {"team": "t"}}]})";

void route_from_threads(int threads) {
  constexpr int kLeadsPerThread = 600;
  auto router = std::make_shared<const Router>(router_from(kTeam, kRules));
  const LeadMaker make(router->team());
  const Lead smb = make({{"tier", "SMB"}}, "2024-03-04T10:00:00Z");
  const Lead enterprise = make({{"tier", "Enterprise"}}, "2024-03-04T10:00:00Z");
  SynchronizedRouter shared(router, router->initial_state());
  std::vector<std::vector<Decision>> decisions(static_cast<std::size_t>(threads));
  std::atomic<int> ready{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      ++ready;
      while (ready.load() < threads) std::this_thread::yield();
      for (int i = 0; i < kLeadsPerThread; ++i)
        decisions[static_cast<std::size_t>(t)].push_back(shared.route((i + t) % 3 == 0 ? smb : enterprise));
    });
  for (std::thread& th : pool) th.join();

  // Every lead routed once; per-manager counters equal the decisions received.
  const std::size_t managers = router->team().managers().size();
  std::vector<std::uint32_t> received(managers, 0);
  std::size_t total = 0, smb_count = 0;
  for (int t = 0; t < threads; ++t) {
    ASSERT_EQ(decisions[static_cast<std::size_t>(t)].size(), static_cast<std::size_t>(kLeadsPerThread));
    for (int i = 0; i < kLeadsPerThread; ++i) {
      const Decision& d = decisions[static_cast<std::size_t>(t)][static_cast<std::size_t>(i)];
      ASSERT_TRUE(d.assigned());
      ++received[d.manager.value()];
      ++total;
      smb_count += (i + t) % 3 == 0;
    }
  }
  ASSERT_EQ(total, static_cast<std::size_t>(threads) * kLeadsPerThread);
  const RouterState final_state = shared.snapshot();
  const Date day = *Date::parse("2024-03-04");
  std::uint32_t sum = 0;
  for (std::uint32_t m = 0; m < managers; ++m) {
    EXPECT_EQ(final_state.open_deals(ManagerId(m)), received[m]) << m;
    EXPECT_EQ(final_state.assigned_on(ManagerId(m), day), received[m]) << m;
    sum += final_state.open_deals(ManagerId(m));
  }
  EXPECT_EQ(sum, total);

  // A serial replay of the same leads (SMB first, then the rest) ends in the same state.
  RouterState serial = router->initial_state();
  for (std::size_t i = 0; i < smb_count; ++i) ASSERT_TRUE(router->route(smb, serial).assigned());
  for (std::size_t i = smb_count; i < total; ++i) ASSERT_TRUE(router->route(enterprise, serial).assigned());
  EXPECT_EQ(state_to_json(final_state, router->team(), router->rules()),
            state_to_json(serial, router->team(), router->rules()));
}

TEST(RouterConcurrency, TwoThreadsRouteEveryLeadOnceAndMatchASerialReplay) {
  route_from_threads(2);
}
TEST(RouterConcurrency, FourThreadsRouteEveryLeadOnceAndMatchASerialReplay) {
  route_from_threads(4);
}

}  // namespace
}  // namespace dealflow::routing
