// The Store under SIGKILL (issue 12: "a child process applies random operations against the store and is
// killed at random moments"). A forked child opens a Store on b2b_sales + onboarding (won and lost stages,
// a guarded reopen, 30- and 60-day timed moves, a create_linked hand-off) with the test router, applies
// random operations (route_and_create, create, moves into won / lost and reopens, reassign, field edits,
// tick) and, after each operation that returned, reports its sequence and a digest of its change line.
// The parent kills it after a random 0..20 ms, reopens the store and checks:
//   * the store opens (every record parses and replays, and the open_deals table agrees with the
//     replayed router: Store::open checks it);
//   * every reported sequence is there, holding the change line the child reported (nothing lost);
//   * for every manager, router open deals == initial + open deals the engine holds owned by them
//     (nothing half-applied: a record without its counts, or counts without their record);
// then starts a new child on the same file. A series continues on one file for 10 kills (so that replay
// stays short), then a fresh file starts.
//
// Speed: FULL fsyncs every commit (~5 ms on this VM), so most kills (8 in 10) run with synchronous NORMAL
// (a process kill loses nothing with NORMAL: the commit is in the OS, only a power loss could roll it
// back), kills 4, 14, 24, ... with FULL and kills 9, 19, 29, ... with FULL + group commit (flush every 4
// operations; the child reports after the flush). 200 kills by default (~12 s on the loaded 2-core VM,
// mostly waiting for fsync); DEALFLOW_CRASH_KILLS=N for a long run.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "crash_util.h"
#include "dealflow/core/hash.h"
#include "dealflow/store/change_json.h"
#include "dealflow/store/store.h"
#include "store/department_test_util.h"
#include "store/random_ops.h"
#include "store/store_test_util.h"

namespace dealflow::store {
namespace {

using namespace dealflow::store::testing;

constexpr unsigned kSeries = 10;     // kills per file
constexpr unsigned kFlushEvery = 4;  // group-commit rounds

StoreOptions options_of(unsigned kill) {
  if (kill % 10 == 9) return {.synchronous = Synchronous::full, .group_commit = true};
  if (kill % 5 == 4) return {.synchronous = Synchronous::full};
  return {.synchronous = Synchronous::normal};
}

std::uint64_t digest(const Change& c, const Department& d) {
  return detail::hash_bytes(to_json_line(c, d));
}

// The child: opens the store, reports ready, applies operations until killed.
[[noreturn]] void child(const std::filesystem::path& path, const DepartmentConfig& config,
                        StoreOptions options, std::uint64_t seed, int fd) {
  auto store = Store::open(path, config, options);
  if (!store) _exit(2);
  Department& d = store->department();
  report(fd, {});
  RandomOps ops(seed, d.sequence() == 0 ? at("2024-03-04T06:00:00Z") : d.changes().back().at);
  std::uint64_t reported = d.sequence();
  for (;;) {
    if (!ops.step(d).ok()) _exit(3);
    if (options.group_commit && d.sequence() % kFlushEvery != 0) continue;
    if (!store->flush().ok()) _exit(4);
    for (; reported < d.sequence(); ++reported) {
      report(fd, {reported + 1, digest(d.changes()[reported], d)});
    }
  }
}

TEST(StoreCrash, EveryReportedOperationSurvivesAndHistoryAndRouterAgree) {
  const unsigned kills = env_count("DEALFLOW_CRASH_KILLS", 200);
  const DepartmentConfig config = b2b_config();
  std::mt19937_64 rng(20261205);
  std::filesystem::path path;
  std::vector<std::uint64_t> digests;  // by sequence - 1: what the children reported
  std::uint64_t total_reported = 0, most = 0;
  std::size_t closed = 0, reopened = 0;
  for (unsigned kill = 0; kill < kills; ++kill) {
    SCOPED_TRACE("kill " + std::to_string(kill));
    if (kill % kSeries == 0) {
      path = store_file("crash_" + std::to_string(kill / kSeries));
      digests.clear();
    }
    const StoreOptions options = options_of(kill);
    const std::uint64_t seed = rng();
    const auto reports = run_and_kill([&](int fd) { child(path, config, options, seed, fd); },
                                      std::chrono::microseconds(rng() % 20001));
    ASSERT_FALSE(::testing::Test::HasFailure());
    for (const Report& r : reports) {
      // Each child continues after everything the last reopen found, one sequence after the other.
      ASSERT_EQ(r.sequence, digests.size() + 1) << "the child reported sequences out of order";
      digests.push_back(r.digest);
    }
    total_reported += reports.size();

    auto store = Store::open(path, config, options);
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    const Department& d = store->department();
    ASSERT_GE(d.sequence(), digests.size()) << "an operation the child reported durable is missing";
    for (std::size_t i = 0; i < digests.size(); ++i) {
      ASSERT_EQ(digest(d.changes()[i], d), digests[i]) << "sequence " << i + 1 << " is not what was reported";
    }
    // Unreported operations that did survive (committed, killed before the report) count as done.
    for (std::size_t i = digests.size(); i < d.sequence(); ++i) digests.push_back(digest(d.changes()[i], d));
    expect_invariant(d, config.initial_router_state);
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    most = std::max<std::uint64_t>(most, d.sequence());
    const Counts counts = count_events(d);
    closed += counts.won + counts.lost;
    reopened += counts.reopened;
  }
  // The test checked something: operations were made durable, deals closed and reopened.
  EXPECT_GT(total_reported, kills);
  EXPECT_GT(most, 100u);
  EXPECT_GT(closed, 0u);
  EXPECT_GT(reopened, 0u);
  std::printf("[ crash    ] %u kills, %llu reported operations, longest store %llu changes\n", kills,
              static_cast<unsigned long long>(total_reported), static_cast<unsigned long long>(most));
}

}  // namespace
}  // namespace dealflow::store
