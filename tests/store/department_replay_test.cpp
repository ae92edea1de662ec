// Restore = replay: random operation sequences on pipelines with won/lost
// stages, guards, a reopen, timed moves and a hand-off; the router open-deal
// invariant after every operation; equality after restore (in memory, from a
// snapshot prefix, and through the JSON wire format); replay refusals.
#include <gtest/gtest.h>

#include "dealflow/store/change_json.h"
#include "dealflow/store/department.h"
#include "store/department_test_util.h"
#include "store/random_ops.h"

namespace dealflow::store {
namespace {

using namespace dealflow::store::testing;

class Replay : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(Replay, RestoreGivesAnEqualDepartment) {
  DepartmentConfig config = b2b_config();
  const routing::RouterState initial = config.initial_router_state;
  Department original = make_department(config);
  MemorySink sink;
  original.set_sink(&sink);
  const Counts counts = run_random(original, initial, GetParam(), 400);
  ASSERT_FALSE(HasFatalFailure());
  // The sequence exercised what the store must reproduce.
  EXPECT_GT(counts.reopened, 0u);
  EXPECT_GT(counts.timed, 0u);
  EXPECT_GT(counts.handoffs, 0u);
  EXPECT_GT(counts.won, 0u);
  EXPECT_GT(counts.lost, 0u);
  EXPECT_GT(counts.refused, 0u);
  ASSERT_EQ(sink.entries().size(), original.changes().size());
  for (std::size_t i = 0; i < sink.entries().size(); ++i) {
    ASSERT_EQ(sink.entries()[i].change, original.changes()[i]);
    ASSERT_EQ(sink.entries()[i].change.sequence, i + 1);
  }

  // 1. The whole stream from the initial snapshot.
  auto all = Department::restore(config, Department::initial_snapshot(config), original.changes());
  ASSERT_TRUE(all.ok()) << all.status().to_string();
  expect_same(original, *all);
  EXPECT_EQ(all->changes(), original.changes());

  // 2. A snapshot prefix + the changes after it.
  Snapshot prefix = original.snapshot();
  const std::uint64_t cut = prefix.sequence / 3;
  prefix.changes.resize(cut);
  prefix.sequence = cut;
  const std::vector<Change> tail = original.changes_since(cut);
  auto from_prefix = Department::restore(config, prefix, tail);
  ASSERT_TRUE(from_prefix.ok()) << from_prefix.status().to_string();
  expect_same(original, *from_prefix);

  // 3. Through the wire format: JSON lines, and a snapshot document.
  std::string lines;
  for (const Change& c : original.changes()) lines += to_json_line(c, ChangeNames(original)) + "\n";
  auto parsed = parse_change_lines(lines, ChangeNames(original));
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  ASSERT_EQ(*parsed, original.changes());
  auto wired = Department::restore(config, Department::initial_snapshot(config), *parsed);
  ASSERT_TRUE(wired.ok()) << wired.status().to_string();
  expect_same(original, *wired);
  auto doc =
      parse_snapshot(snapshot_to_json(original.snapshot(), ChangeNames(original)), ChangeNames(original));
  ASSERT_TRUE(doc.ok()) << doc.status().to_string();
  EXPECT_EQ(doc->fingerprint, original.fingerprint());
  EXPECT_TRUE(doc->initial_router_state == initial);
  auto from_doc = Department::restore(config, *doc);
  ASSERT_TRUE(from_doc.ok()) << from_doc.status().to_string();
  expect_same(original, *from_doc);

  // 4. Both continue identically.
  ASSERT_TRUE(original.tick(at("2026-01-01T00:00:00Z")).ok());
  ASSERT_TRUE(all->tick(at("2026-01-01T00:00:00Z")).ok());
  expect_same(original, *all);
}

INSTANTIATE_TEST_SUITE_P(Seeds, Replay, ::testing::Values(1u, 7u, 42u, 2024u, 31337u));

class ReplayErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = b2b_config();
    Department d = make_department(config_);
    run_random(d, config_.initial_router_state, 5, 60);
    changes_ = d.changes();
    ASSERT_GT(changes_.size(), 20u);
  }
  Status restore_error(const std::vector<Change>& changes) {
    auto r = Department::restore(config_, Department::initial_snapshot(config_), changes);
    EXPECT_FALSE(r.ok());
    return r.ok() ? Status{} : r.status();
  }
  std::size_t first(ChangeKind kind) const {
    for (std::size_t i = 0; i < changes_.size(); ++i)
      if (changes_[i].kind == kind) return i;
    ADD_FAILURE() << "no " << to_string(kind);
    return 0;
  }
  DepartmentConfig config_;
  std::vector<Change> changes_;
};

TEST_F(ReplayErrors, AFingerprintMismatchIsRefused) {
  DepartmentConfig other = config_of(simple_workspace(), {}, test_router());
  auto r = Department::restore(other, Department::initial_snapshot(config_), changes_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("other configs"), std::string::npos) << r.status().to_string();
  EXPECT_NE(config_.fingerprint(), other.fingerprint());
  EXPECT_EQ(config_.fingerprint(), b2b_config().fingerprint());  // stable for the same configs
}

TEST_F(ReplayErrors, AGapIsRefusedNamingTheSequence) {
  changes_.erase(changes_.begin() + 4);
  const Status s = restore_error(changes_);
  EXPECT_NE(s.message().find("change 6"), std::string::npos) << s.to_string();
  EXPECT_NE(s.message().find("expected sequence 5 (a gap)"), std::string::npos) << s.to_string();
}

TEST_F(ReplayErrors, AChangeTheEngineRefusesOnReplayIsRefused) {
  const std::size_t i = first(ChangeKind::move);
  changes_[i].at = Instant::from_unix_seconds(946684800 - 10);  // before the history epoch
  const Status s = restore_error(changes_);
  EXPECT_NE(s.message().find("change " + std::to_string(i + 1) + " (move): the engine refused it on replay"),
            std::string::npos)
      << s.to_string();
}

TEST_F(ReplayErrors, ARoutedOwnerThatDiffersOnReplayIsRefused) {
  const std::size_t i = first(ChangeKind::route_and_create);
  changes_[i].owner = ManagerId{(changes_[i].owner.value() + 1) % 3};
  const Status s = restore_error(changes_);
  EXPECT_NE(
      s.message().find("change " + std::to_string(i + 1) + " (route_and_create): replays differently: owner"),
      std::string::npos)
      << s.to_string();
}

TEST_F(ReplayErrors, ASnapshotWhoseSequenceDisagreesWithItsChangesIsRefused) {
  Snapshot s = Department::initial_snapshot(config_);
  s.changes = changes_;
  s.sequence = changes_.size() + 1;
  auto r = Department::restore(config_, s);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("does not match"), std::string::npos);
}

}  // namespace
}  // namespace dealflow::store

namespace dealflow::store {
namespace {

using namespace dealflow::store::testing;

TEST(Restore, UsesTheSnapshotsInitialRouterStateNotTheConfigs) {
  DepartmentConfig config = b2b_config();  // m0 starts with 2 open deals, m2 with 1
  Department original = make_department(config);
  run_random(original, config.initial_router_state, 11, 80);
  DepartmentConfig later = config;
  later.initial_router_state = later.router->initial_state();  // what a restarted host may pass
  auto restored = Department::restore(later, original.snapshot());
  ASSERT_TRUE(restored.ok()) << restored.status().to_string();
  EXPECT_TRUE(restored->router_state() == original.router_state());
  EXPECT_TRUE(restored->snapshot().initial_router_state == config.initial_router_state);
  EXPECT_EQ(restored->changes(), original.changes());
  EXPECT_EQ(restored->sequence(), original.sequence());
}

}  // namespace
}  // namespace dealflow::store
