// Store: reopening gives the same Department (property over random operations), what each operation
// writes (one record + the open-deal rows it moved), group commit, the stored initial router state,
// sink errors. Errors of open: store_errors_test.cpp; SIGKILL: store_crash_test.cpp.
#include <gtest/gtest.h>

#include "dealflow/store/change_json.h"
#include "dealflow/store/store.h"
#include "store/department_test_util.h"
#include "store/random_ops.h"
#include "store/store_test_util.h"

namespace dealflow::store {
namespace {

using namespace dealflow::store::testing;

// The same seed applied to a memory-only Department and to a store's; `n` operations each.
void step_both(RandomOps& a, Department& memory, RandomOps& b, Department& stored, int n) {
  for (int i = 0; i < n; ++i) {
    const Status sa = a.step(memory);
    ASSERT_TRUE(sa.ok()) << sa.to_string();
    const Status sb = b.step(stored);
    ASSERT_TRUE(sb.ok()) << sb.to_string();
    ASSERT_EQ(stored.sequence(), memory.sequence());
  }
}

class Reopen : public ::testing::TestWithParam<std::uint64_t> {};

// NORMAL: equality does not depend on the fsync policy, and FULL costs ~5 ms per operation here.
TEST_P(Reopen, GivesTheSameDepartmentAndContinuesIdentically) {
  const DepartmentConfig config = b2b_config();
  const auto path = store_file("reopen_" + std::to_string(GetParam()));
  const StoreOptions options{.synchronous = Synchronous::normal};
  Department memory = make_department(config);
  RandomOps a(GetParam(), at("2024-03-04T06:00:00Z"));
  RandomOps b(GetParam(), at("2024-03-04T06:00:00Z"));
  {
    Store store = open_store(path, config, options);
    EXPECT_EQ(store.department().sequence(), 0u);
    step_both(a, memory, b, store.department(), 300);
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(store.durable_sequence(), memory.sequence());
  }
  const Counts counts = count_events(memory, a.refused());
  EXPECT_GT(counts.reopened, 0u);
  EXPECT_GT(counts.timed, 0u);
  EXPECT_GT(counts.handoffs, 0u);
  EXPECT_GT(counts.won, 0u);
  EXPECT_GT(counts.lost, 0u);
  EXPECT_GT(counts.refused, 0u);
  {
    Store store = open_store(path, config, options);
    expect_same(memory, store.department());
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(store.department().changes(), memory.changes());
    expect_invariant(store.department(), config.initial_router_state);
    step_both(a, memory, b, store.department(), 100);  // both continue identically
    ASSERT_FALSE(HasFatalFailure());
  }
  Store store = open_store(path, config, options);
  expect_same(memory, store.department());
  EXPECT_EQ(store.department().changes(), memory.changes());
}

INSTANTIATE_TEST_SUITE_P(Seeds, Reopen, ::testing::Values(3u, 17u, 2024u));

TEST(Store, FullSynchronousRoundTrip) {
  const DepartmentConfig config = b2b_config();
  const auto path = store_file("full");
  Department memory = make_department(config);
  RandomOps a(8, at("2024-03-04T06:00:00Z"));
  RandomOps b(8, at("2024-03-04T06:00:00Z"));
  {
    Store store = open_store(path, config);  // FULL is the default
    step_both(a, memory, b, store.department(), 30);
  }
  Store store = open_store(path, config);
  expect_same(memory, store.department());
  EXPECT_EQ(RawDb(path).text("PRAGMA journal_mode"), "wal");
}

// simple pipeline, the test router: Томск goes to m-c (manager 2).
DepartmentConfig simple_config() {
  return config_of(simple_workspace(), {}, test_router());
}

TEST(Store, EachOperationWritesItsRecordAndTheOpenDealsItMovedTogether) {
  const DepartmentConfig config = simple_config();
  const auto path = store_file("rows");
  Store store = open_store(path, config);
  Department& d = store.department();
  const Pipeline& p = d.workspace().pipeline(PipelineId{0});
  RawDb raw(path);

  NewDeal nd;
  nd.amount = Money(5000000, Currency::of("RUB"));
  nd.created_at = at("2024-03-04T09:00:00Z");
  auto routed = d.route_and_create(lead_in(*d.router(), "Томск", at("2024-03-04T09:00:00Z")), nd);
  ASSERT_TRUE(routed.ok()) << routed.status().to_string();
  EXPECT_EQ(routed->owner, ManagerId{2});
  // Record 1 and manager 2's new count are in the file when route_and_create returns.
  EXPECT_EQ(raw.text("SELECT count(*) FROM changes"), "1");
  EXPECT_EQ(raw.text("SELECT payload FROM changes WHERE sequence = 1"), to_json_line(d.changes()[0], d));
  EXPECT_EQ(raw.text("SELECT group_concat(manager || '=' || count) FROM open_deals"), "2=1");

  // A move between open stages moves no count: a record, no row change.
  ASSERT_TRUE(
      d.move(routed->deal, *p.find_stage("WORK"), at("2024-03-04T10:00:00Z"), ManagerId{2})->applied());
  EXPECT_EQ(raw.text("SELECT count(*) FROM changes"), "2");
  EXPECT_EQ(raw.text("SELECT group_concat(manager || '=' || count) FROM open_deals"), "2=1");

  // Closing lowers the owner's count in the same append; a reassign of a closed deal moves nothing.
  ASSERT_TRUE(
      d.move(routed->deal, *p.find_stage("LOST"), at("2024-03-04T11:00:00Z"), ManagerId{2})->applied());
  EXPECT_EQ(raw.text("SELECT count(*) FROM changes"), "3");
  EXPECT_EQ(raw.text("SELECT group_concat(manager || '=' || count) FROM open_deals"), "2=0");
  ASSERT_TRUE(d.reassign(routed->deal, ManagerId{0}, at("2024-03-04T12:00:00Z"), ManagerId{})->applied());
  EXPECT_EQ(raw.text("SELECT group_concat(manager || '=' || count) FROM open_deals"), "2=0");
  // Reopening raises the new owner's count.
  ASSERT_TRUE(
      d.move(routed->deal, *p.find_stage("WORK"), at("2024-03-04T13:00:00Z"), ManagerId{0})->applied());
  EXPECT_EQ(raw.text("SELECT group_concat(manager || '=' || count) FROM open_deals ORDER BY manager"),
            "0=1,2=0");
  // A refused operation writes nothing.
  ASSERT_FALSE(
      d.move(routed->deal, *p.find_stage("WORK"), at("2024-03-01T00:00:00Z"), ManagerId{0})->applied());
  EXPECT_EQ(raw.text("SELECT count(*) FROM changes"), "5");
  EXPECT_EQ(raw.text("SELECT max(sequence) FROM changes"), "5");
}

TEST(Store, GroupCommitKeepsWhatWasFlushedAndDropsTheRestOnClose) {
  const DepartmentConfig config = b2b_config();
  const auto path = store_file("group");
  const StoreOptions options{.group_commit = true};
  Department memory = make_department(config);
  RandomOps a(21, at("2024-03-04T06:00:00Z"));
  RandomOps b(21, at("2024-03-04T06:00:00Z"));
  std::uint64_t flushed = 0;
  {
    Store store = open_store(path, config, options);
    step_both(a, memory, b, store.department(), 60);
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(store.durable_sequence(), 0u);
    ASSERT_TRUE(store.flush().ok());
    flushed = memory.sequence();
    EXPECT_EQ(store.durable_sequence(), flushed);
    step_both(a, memory, b, store.department(), 20);  // closed without flush: dropped
  }
  ASSERT_GT(memory.sequence(), flushed);
  Snapshot prefix = memory.snapshot();
  prefix.changes.resize(flushed);
  prefix.sequence = flushed;
  auto expected = Department::restore(config, prefix);
  ASSERT_TRUE(expected.ok()) << expected.status().to_string();
  Store store = open_store(path, config, options);
  EXPECT_EQ(store.department().sequence(), flushed);
  expect_same(*expected, store.department());
  // Continuing after the dropped tail works (the sequences follow the flushed ones).
  RandomOps c(22, memory.changes()[flushed - 1].at);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(c.step(store.department()).ok());
  ASSERT_TRUE(store.department().flush().ok());
  EXPECT_EQ(store.durable_sequence(), store.department().sequence());
}

TEST(Store, TheInitialRouterStateIsStoredOnFirstOpenAndUsedOnReopen) {
  DepartmentConfig config = b2b_config();  // m0 starts with 2 open deals, m2 with 1
  const auto path = store_file("initial");
  routing::RouterState after;
  {
    Store store = open_store(path, config);
    const auto& router = *store.department().router();
    NewDeal nd;
    nd.created_at = at("2024-03-04T09:00:00Z");
    nd.amount = Money(100000, Currency::of("RUB"));
    ASSERT_TRUE(store.department().route_and_create(lead_in(router, "Томск", *nd.created_at), nd).ok());
    after = store.department().router_state();
    EXPECT_EQ(after.open_deals(ManagerId{0}), 2u);
    EXPECT_EQ(after.open_deals(ManagerId{2}), 2u);
  }
  DepartmentConfig restarted = config;
  restarted.initial_router_state = restarted.router->initial_state();  // a host passing zeros on restart
  Store store = open_store(path, restarted);
  EXPECT_TRUE(store.department().router_state() == after);
  EXPECT_TRUE(store.department().snapshot().initial_router_state == config.initial_router_state);
}

TEST(Store, ASinkErrorFailsTheDepartmentAndTheOperationIsNotStored) {
  const DepartmentConfig config = simple_config();
  const auto path = store_file("locked");
  {
    Store store = open_store(path, config, {.busy_timeout = std::chrono::milliseconds(0)});
    Department& d = store.department();
    NewDeal nd;
    nd.created_at = at("2024-03-04T09:00:00Z");
    nd.owner = ManagerId{1};
    ASSERT_TRUE(d.create(nd)->applied());
    RawDb other(path);
    other.exec("BEGIN IMMEDIATE");  // another writer holds the lock
    auto moved = d.move(DealId{0}, StageId{1}, at("2024-03-04T10:00:00Z"), ManagerId{1});
    ASSERT_FALSE(moved.ok());
    EXPECT_EQ(moved.status().code(), ErrorCode::io_error);
    EXPECT_NE(moved.status().message().find("change 2 (move) is applied in memory but the sink refused it"),
              std::string::npos)
        << moved.status().to_string();
    EXPECT_NE(moved.status().to_string().find("database is locked"), std::string::npos);
    EXPECT_FALSE(d.failed().ok());
    EXPECT_FALSE(d.tick(at("2024-03-05T00:00:00Z")).ok());  // refused from now on
    other.exec("ROLLBACK");
  }
  Store store = open_store(path, config);
  EXPECT_EQ(store.department().sequence(), 1u);  // the failed move is not in the store
  EXPECT_TRUE(
      store.department().move(DealId{0}, StageId{1}, at("2024-03-04T10:00:00Z"), ManagerId{1})->applied());
}

TEST(Store, WorksWithoutARouter) {
  const DepartmentConfig config = config_of(simple_workspace(), {}, nullptr);
  const auto path = store_file("no_router");
  Department memory = make_department(config);
  {
    Store store = open_store(path, config);
    for (Department* d : {&memory, &store.department()}) {
      NewDeal nd;
      nd.created_at = at("2024-03-04T09:00:00Z");
      nd.owner = ManagerId{4};
      ASSERT_TRUE(d->create(nd)->applied());
      ASSERT_TRUE(d->move(DealId{0}, StageId{2}, at("2024-03-04T10:00:00Z"), ManagerId{4})->applied());
    }
  }
  Store store = open_store(path, config);
  expect_same(memory, store.department());
  EXPECT_EQ(RawDb(path).text("SELECT value FROM meta WHERE key = 'store.initial_router_state'"), "null");
}

TEST(Store, MovingTheStoreKeepsTheDepartmentAttached) {
  const auto path = store_file("moved");
  Store first = open_store(path, simple_config());
  Store second = std::move(first);
  NewDeal nd;
  nd.created_at = at("2024-03-04T09:00:00Z");
  ASSERT_TRUE(second.department().create(nd)->applied());
  EXPECT_EQ(second.durable_sequence(), 1u);
  EXPECT_EQ(second.path(), path);
}

}  // namespace
}  // namespace dealflow::store
