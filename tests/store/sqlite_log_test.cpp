// SqliteLog: append / read_since / reopen round trips, open-deal rows, group commit (what survives a close
// without flush), meta, and a property test against an in-memory model over random appends, flushes and
// reopens.
#include "dealflow/store/sqlite_log.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "sqlite_test_util.h"

namespace dealflow::store {
namespace {

using testing::fresh_folder;
using testing::RawDb;

std::vector<LogRecord> all(const SqliteLog& log) {
  auto r = log.read_since(0);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r.ok() ? *r : std::vector<LogRecord>{};
}

std::vector<OpenDealCount> counts(const SqliteLog& log) {
  auto r = log.open_deals();
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  return r.ok() ? *r : std::vector<OpenDealCount>{};
}

TEST(SqliteLog, ANewFileIsAnEmptyVersion2WalLog) {
  const auto path = fresh_folder("new") / "журнал.dealflow";
  {
    auto log = SqliteLog::open(path);
    ASSERT_TRUE(log.ok()) << log.status().to_string();
    EXPECT_EQ(log->last_sequence(), 0u);
    EXPECT_EQ(log->durable_sequence(), 0u);
    EXPECT_TRUE(all(*log).empty());
    EXPECT_TRUE(counts(*log).empty());
    EXPECT_EQ(log->schema_version(), 2);
    EXPECT_EQ(log->path(), path);
    auto v = log->meta("dealflow.schema_version");
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(*v, std::optional<std::string>("2"));
  }
  RawDb raw(path);
  EXPECT_EQ(raw.text("PRAGMA user_version"), "2");
  EXPECT_EQ(raw.text("PRAGMA journal_mode"), "wal");  // WAL is persistent in the file
}

TEST(SqliteLog, AppendThenReadSinceAndReopenGiveTheSameRecords) {
  const auto path = fresh_folder("roundtrip") / "log.db";
  const std::vector<LogRecord> records = {
      {1, R"({"v":1,"kind":"create","owner":"Фёдоров"})"},
      {2, std::string("with a NUL \0 inside", 19)},
      {3, ""},
  };
  {
    auto log = SqliteLog::open(path);
    ASSERT_TRUE(log.ok()) << log.status().to_string();
    const OpenDealCount first[] = {{7, 1}};
    ASSERT_TRUE(log->append(records[0], first).ok());
    ASSERT_TRUE(log->append(records[1], {}).ok());
    const OpenDealCount third[] = {{7, 0}, {3, 2}};
    ASSERT_TRUE(log->append(records[2], third).ok());
    EXPECT_EQ(log->last_sequence(), 3u);
    EXPECT_EQ(log->durable_sequence(), 3u);
    EXPECT_EQ(all(*log), records);
  }
  auto log = SqliteLog::open(path);
  ASSERT_TRUE(log.ok()) << log.status().to_string();
  EXPECT_EQ(log->last_sequence(), 3u);
  EXPECT_EQ(all(*log), records);
  auto since1 = log->read_since(1);
  ASSERT_TRUE(since1.ok());
  EXPECT_EQ(*since1, (std::vector<LogRecord>{records[1], records[2]}));
  auto since3 = log->read_since(3);
  ASSERT_TRUE(since3.ok());
  EXPECT_TRUE(since3->empty());
  auto huge = log->read_since(~std::uint64_t{0});
  ASSERT_TRUE(huge.ok());
  EXPECT_TRUE(huge->empty());
  EXPECT_EQ(counts(*log), (std::vector<OpenDealCount>{{3, 2}, {7, 0}}));  // by manager id
}

TEST(SqliteLog, OpenDealRowsAreUpsertedAndALaterPairForTheSameManagerWins) {
  auto log = SqliteLog::open(fresh_folder("upsert") / "log.db");
  ASSERT_TRUE(log.ok());
  const OpenDealCount a[] = {{7, 3}, {7, 4}, {2, 0}};
  ASSERT_TRUE(log->append({1, "a"}, a).ok());
  EXPECT_EQ(counts(*log), (std::vector<OpenDealCount>{{2, 0}, {7, 4}}));
  const OpenDealCount b[] = {{7, 2}, {4294967295u, 4294967295u}};
  ASSERT_TRUE(log->append({2, "b"}, b).ok());
  EXPECT_EQ(counts(*log), (std::vector<OpenDealCount>{{2, 0}, {7, 2}, {4294967295u, 4294967295u}}));
}

TEST(SqliteLog, NormalSynchronousRoundTrips) {
  const auto path = fresh_folder("normal") / "log.db";
  {
    auto log = SqliteLog::open(path, {.synchronous = Synchronous::normal});
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE(log->append({1, "x"}, {}).ok());
  }
  auto log = SqliteLog::open(path, {.synchronous = Synchronous::full});
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(all(*log), (std::vector<LogRecord>{{1, "x"}}));
}

// Decided behaviour: closing with an open group rolls it back; only flushed records survive.
TEST(SqliteLog, GroupCommitKeepsOnlyFlushedRecordsAfterACloseWithoutFlush) {
  const auto path = fresh_folder("group") / "log.db";
  {
    auto log = SqliteLog::open(path, {.group_commit = true});
    ASSERT_TRUE(log.ok());
    const OpenDealCount c1[] = {{1, 1}};
    ASSERT_TRUE(log->append({1, "one"}, c1).ok());
    ASSERT_TRUE(log->append({2, "two"}, {}).ok());
    EXPECT_EQ(log->durable_sequence(), 0u);
    ASSERT_TRUE(log->flush().ok());
    EXPECT_EQ(log->durable_sequence(), 2u);
    ASSERT_TRUE(log->flush().ok());  // nothing pending: a no-op

    const OpenDealCount c3[] = {{1, 5}};
    ASSERT_TRUE(log->append({3, "three"}, c3).ok());
    ASSERT_TRUE(log->set_meta("fingerprint", "unflushed").ok());
    // The writer sees its own group ...
    EXPECT_EQ(log->last_sequence(), 3u);
    EXPECT_EQ(log->durable_sequence(), 2u);
    EXPECT_EQ(all(*log).size(), 3u);
    EXPECT_EQ(counts(*log), (std::vector<OpenDealCount>{{1, 5}}));
    // ... another connection sees only what was flushed.
    auto reader = SqliteLog::open(path, {.busy_timeout = std::chrono::milliseconds(0)});
    ASSERT_TRUE(reader.ok()) << reader.status().to_string();
    EXPECT_EQ(reader->last_sequence(), 2u);
    EXPECT_EQ(counts(*reader), (std::vector<OpenDealCount>{{1, 1}}));
  }  // closed without flush: record 3, its counts and the meta are rolled back
  auto log = SqliteLog::open(path, {.group_commit = true});
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(all(*log), (std::vector<LogRecord>{{1, "one"}, {2, "two"}}));
  EXPECT_EQ(counts(*log), (std::vector<OpenDealCount>{{1, 1}}));
  auto fp = log->meta("fingerprint");
  ASSERT_TRUE(fp.ok());
  EXPECT_FALSE(fp->has_value());
  EXPECT_EQ(log->last_sequence(), 2u);
  ASSERT_TRUE(log->append({3, "three again"}, {}).ok());
  ASSERT_TRUE(log->flush().ok());
}

TEST(SqliteLog, AFailedAppendInsideAGroupLeavesTheGroupIntact) {
  const auto path = fresh_folder("group_fail") / "log.db";
  auto log = SqliteLog::open(path, {.group_commit = true});
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE(log->append({1, "one"}, {}).ok());
  EXPECT_FALSE(log->append({3, "gap"}, {}).ok());
  ASSERT_TRUE(log->append({2, "two"}, {}).ok());
  ASSERT_TRUE(log->flush().ok());
  auto again = SqliteLog::open(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(all(*again), (std::vector<LogRecord>{{1, "one"}, {2, "two"}}));
}

TEST(SqliteLog, MetaIsStoredAndReplaced) {
  const auto path = fresh_folder("meta") / "log.db";
  {
    auto log = SqliteLog::open(path);
    ASSERT_TRUE(log.ok());
    auto none = log->meta("fingerprint");
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
    ASSERT_TRUE(log->set_meta("fingerprint", "1").ok());
    ASSERT_TRUE(log->set_meta("fingerprint", "9f3c").ok());
    ASSERT_TRUE(log->set_meta("владелец", "Отдел продаж").ok());
  }
  auto log = SqliteLog::open(path);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(*log->meta("fingerprint"), std::optional<std::string>("9f3c"));
  EXPECT_EQ(*log->meta("владелец"), std::optional<std::string>("Отдел продаж"));
}

TEST(SqliteLog, AMovedLogKeepsWorking) {
  const auto path = fresh_folder("move") / "log.db";
  auto opened = SqliteLog::open(path);
  ASSERT_TRUE(opened.ok());
  SqliteLog log = std::move(*opened);
  ASSERT_TRUE(log.append({1, "a"}, {}).ok());
  SqliteLog other = std::move(log);
  ASSERT_TRUE(other.append({2, "b"}, {}).ok());
  EXPECT_EQ(all(other).size(), 2u);
}

// Property: over random appends (with random open-deal rows), flushes and reopens (with or without a
// flush first), the log equals a model that keeps the flushed prefix of a group and every plain append.
TEST(SqliteLog, RandomAppendsFlushesAndReopensMatchTheModel) {
  for (std::uint32_t seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const auto path = fresh_folder("random_" + std::to_string(seed)) / "log.db";
    const bool group = seed % 2 == 0;
    const SqliteLogOptions options{.synchronous = Synchronous::normal, .group_commit = group};
    std::vector<LogRecord> durable, pending;
    std::map<std::uint32_t, std::uint32_t> durable_counts, pending_counts;
    auto log = SqliteLog::open(path, options);
    ASSERT_TRUE(log.ok());
    for (int step = 0; step < 150; ++step) {
      const int action = static_cast<int>(rng() % 20);
      if (action == 0) {  // reopen; an unflushed group is lost
        log = Result<SqliteLog>(Status(ErrorCode::io_error, "closed"));
        log = SqliteLog::open(path, options);
        ASSERT_TRUE(log.ok());
        pending.clear();
        pending_counts = durable_counts;
      } else if (action <= 3) {
        ASSERT_TRUE(log->flush().ok());
        durable.insert(durable.end(), pending.begin(), pending.end());
        pending.clear();
        durable_counts = pending_counts;
      } else {
        const std::uint64_t seq = durable.size() + pending.size() + 1;
        LogRecord r{seq,
                    "{\"seq\":" + std::to_string(seq) + ",\"имя\":\"" + std::string(rng() % 5, 'x') + "\"}"};
        std::vector<OpenDealCount> c;
        for (std::uint32_t k = rng() % 3; k > 0; --k) {
          c.emplace_back(rng() % 4, rng() % 10);
          pending_counts[c.back().first] = c.back().second;
        }
        ASSERT_TRUE(log->append(r, c).ok());
        pending.push_back(r);
        if (!group) {
          durable.push_back(r);
          pending.clear();
          durable_counts = pending_counts;
        }
      }
      std::vector<LogRecord> expected = durable;
      expected.insert(expected.end(), pending.begin(), pending.end());
      ASSERT_EQ(log->last_sequence(), expected.size());
      ASSERT_EQ(log->durable_sequence(), durable.size());
      if (step % 10 == 0) {
        ASSERT_EQ(all(*log), expected);
        ASSERT_EQ(counts(*log), (std::vector<OpenDealCount>(pending_counts.begin(), pending_counts.end())));
      }
    }
    ASSERT_TRUE(log->flush().ok());
    durable.insert(durable.end(), pending.begin(), pending.end());
    log = SqliteLog::open(path, options);  // everything is flushed: the old connection has nothing pending
    ASSERT_TRUE(log.ok());
    EXPECT_EQ(all(*log), durable);
    EXPECT_EQ(counts(*log), (std::vector<OpenDealCount>(pending_counts.begin(), pending_counts.end())));
  }
}

}  // namespace
}  // namespace dealflow::store
