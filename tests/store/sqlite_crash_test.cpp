// SqliteLog under SIGKILL: a child process appends records (each with an open-deal row derived from its
// sequence) and reports every sequence that append/flush returned ok for; the parent kills it at a random
// moment and reopens the log. The log must hold every reported record, be dense, and its open-deal row
// must agree with its last record (nothing half-applied). With group commit, only whole flushed groups
// may survive. This covers the log alone; the Department-level crash test is the store's own.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "crash_util.h"
#include "dealflow/store/sqlite_log.h"
#include "sqlite_test_util.h"

namespace dealflow::store {
namespace {

using testing::fresh_folder;

constexpr std::uint64_t kGroup = 10;

std::string payload_of(std::uint64_t sequence) {
  return "{\"v\":1,\"seq\":" + std::to_string(sequence) + ",\"менеджер\":\"Фёдоров\"}";
}
std::uint32_t count_of(std::uint64_t sequence) {
  return static_cast<std::uint32_t>(sequence % 1000);
}

// The child: appends until killed; reports each durable sequence.
[[noreturn]] void child(const std::filesystem::path& path, SqliteLogOptions options, int fd) {
  auto log = SqliteLog::open(path, options);
  if (!log) _exit(2);
  testing::report(fd, {});  // opened: the parent starts its random delay now
  for (std::uint64_t seq = log->last_sequence() + 1;; ++seq) {
    const OpenDealCount row[] = {{1, count_of(seq)}};
    if (!log->append({seq, payload_of(seq)}, row).ok()) _exit(3);
    if (options.group_commit && seq % kGroup != 0) continue;
    if (!log->flush().ok()) _exit(4);
    testing::report(fd, {seq, 0});
  }
}

void kill_and_check(SqliteLogOptions options, const std::string& name, std::uint32_t seed) {
  const auto path = fresh_folder("crash_" + name) / "log.db";
  std::mt19937 rng(seed);
  std::uint64_t reported = 0;
  for (int round = 0; round < 15; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const auto reports = testing::run_and_kill([&](int fd) { child(path, options, fd); },
                                               std::chrono::milliseconds(20 + rng() % 80));
    ASSERT_FALSE(::testing::Test::HasFailure());
    for (const testing::Report& r : reports) reported = std::max(reported, r.sequence);

    auto log = SqliteLog::open(path, options);  // refuses a log that is not dense
    ASSERT_TRUE(log.ok()) << log.status().to_string();
    const std::uint64_t last = log->last_sequence();
    ASSERT_GE(last, reported) << "a record reported durable is missing";
    if (options.group_commit) {
      ASSERT_EQ(last % kGroup, 0u) << "part of a group survived";
    }
    auto records = log->read_since(0);
    ASSERT_TRUE(records.ok());
    ASSERT_EQ(records->size(), last);
    for (std::uint64_t i = 0; i < last; ++i) ASSERT_EQ((*records)[i].payload, payload_of(i + 1));
    const std::vector<OpenDealCount> expected =
        last == 0 ? std::vector<OpenDealCount>{} : std::vector<OpenDealCount>{{1, count_of(last)}};
    ASSERT_EQ(*log->open_deals(), expected) << "the open-deal row disagrees with the last record";
  }
  EXPECT_GT(reported, 0u) << "no round made anything durable: the test checked nothing";
}

TEST(SqliteLogCrash, FullKeepsEveryReportedRecordAcrossKills) {
  kill_and_check({}, "full", 1);
}
TEST(SqliteLogCrash, NormalKeepsEveryReportedRecordAcrossProcessKills) {
  kill_and_check({.synchronous = Synchronous::normal}, "normal", 2);
}
TEST(SqliteLogCrash, GroupCommitKeepsWholeFlushedGroupsAcrossKills) {
  kill_and_check({.group_commit = true}, "group", 3);
}

}  // namespace
}  // namespace dealflow::store
