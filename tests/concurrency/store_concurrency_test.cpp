// The store under threads (run under ThreadSanitizer by scripts/test.sh):
//  - several Stores, one file each, written from one thread each at the same time: no shared mutable
//    state between them (parsers, the fingerprint, SQLite's connections), and each reopens equal;
//  - one Department shared by several threads behind the host's mutex (department.h: not thread-safe,
//    one mutex around it): every applied operation is in the stream exactly once, the router's open
//    deals keep the invariant, and a restore from the stream equals the live department.
#include <gtest/gtest.h>

#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "store/random_ops.h"
#include "store/store_test_util.h"

namespace dealflow::store::testing {
namespace {

const Instant kStart = Instant::from_unix_seconds(1717200000);  // 2024-06-01T00:00:00Z

TEST(StoreConcurrency, StoresOnSeparateFilesWrittenFromSeparateThreadsEachReopenEqual) {
  constexpr int kThreads = 4;
  constexpr int kOps = 60;
  std::vector<std::filesystem::path> paths;
  for (int i = 0; i < kThreads; ++i) paths.push_back(store_file("threads_" + std::to_string(i)));
  std::vector<std::uint64_t> sequences(kThreads, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      StoreOptions options;
      options.synchronous = Synchronous::normal;  // fsync cost is not what this test is about
      auto store = Store::open(paths[i], b2b_config(), options);
      ASSERT_TRUE(store.ok()) << store.status().to_string();
      RandomOps ops(1000 + static_cast<std::uint64_t>(i), kStart);
      for (int k = 0; k < kOps; ++k) {
        const Status s = ops.step(store->department());
        ASSERT_TRUE(s.ok()) << s.to_string();
      }
      sequences[i] = store->department().sequence();
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_GT(sequences[i], 0u);
    Store reopened = open_store(paths[i], b2b_config());
    EXPECT_EQ(reopened.department().sequence(), sequences[i]);
    expect_invariant(reopened.department(), b2b_config().initial_router_state);
  }
}

TEST(StoreConcurrency, ADepartmentBehindTheHostsMutexKeepsEveryOperationOnceAndRestoresEqual) {
  auto made = Department::make(b2b_config());
  ASSERT_TRUE(made.ok()) << made.status().to_string();
  Department& dept = *made;
  std::mutex mutex;  // the host's mutex: Department is not thread-safe
  constexpr int kWriters = 3;
  constexpr int kOps = 150;
  RandomOps ops(77, kStart);  // one generator, used under the mutex: time moves forward across writers
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&] {
      for (int k = 0; k < kOps; ++k) {
        std::lock_guard<std::mutex> lock(mutex);
        const Status s = ops.step(dept);
        ASSERT_TRUE(s.ok()) << s.to_string();
      }
    });
  }
  threads.emplace_back([&] {  // a reader taking the same mutex
    for (int k = 0; k < 200; ++k) {
      std::lock_guard<std::mutex> lock(mutex);
      expect_invariant(dept, b2b_config().initial_router_state);
    }
  });
  for (auto& t : threads) t.join();

  const std::vector<Change>& changes = dept.changes();
  ASSERT_FALSE(changes.empty());
  for (std::size_t i = 0; i < changes.size(); ++i) EXPECT_EQ(changes[i].sequence, i + 1);
  auto restored = Department::restore(b2b_config(), Department::initial_snapshot(b2b_config()), changes);
  ASSERT_TRUE(restored.ok()) << restored.status().to_string();
  expect_same(dept, *restored);
}

}  // namespace
}  // namespace dealflow::store::testing
