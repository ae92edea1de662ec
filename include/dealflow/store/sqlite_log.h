// dealflow/store/sqlite_log.h: a durable, append-only log of records in one
// SQLite database, with the router's open-deal counts beside it.
//
// What it is for. The store persists the operations a Department applied (one
// record per operation: its sequence and its JSON line, opaque here) and the
// router state they lead to, so that reopening rebuilds the same department.
// The database runs in WAL mode with `synchronous=FULL` (default) or `NORMAL`
// (see Synchronous). Each append is one transaction: the record and the
// open-deal rows it changes are written together or not at all. With
// `group_commit`, appends join one open transaction that `flush()` commits.
// Schema: docs/store.md (tables `meta`, `changes`, `open_deals`; version 2,
// version 1 files are migrated forward on open).
//
// Durability. Without group_commit a record is durable when append() returns
// ok. With group_commit it is durable when the next flush() returns ok; the
// destructor (and a failed flush) ROLLS BACK an open group: records appended
// after the last flush are lost on close, by design (closing without flush is
// how a host abandons a group). read_since/open_deals/meta on the same object
// see the unflushed records.
//
// Ownership: a SqliteLog owns its connection and prepared statements (reused
// for every call) and closes them in its destructor; move-only (a moved-from log may only be destroyed
// or assigned to).
//
// Thread-safety: none inside; one SqliteLog must not be used from two threads
// at once. One writer per file: a second SqliteLog appending to the same file
// is refused by the sequence check or waits up to busy_timeout for SQLite's
// lock, then fails with SQLite's "database is locked".
//
// Errors (every one has the database path as location and, for SQLite
// failures, SQLite's own message and extended code; table in docs/store.md):
//   io_error          the file cannot be opened, read or written ("cannot open the database: unable to open
//                     database file (SQLite 14)", "cannot commit sequence 7: disk I/O error ..."), a lock
//                     held past busy_timeout ("database is locked"), a failed migration (rolled back)
//   parse_error       not an SQLite file ("not an SQLite database: file is not a database (SQLite 26)"), an
//                     SQLite database that is not a dealflow log, a log whose sequences are not 1..N
//   refused           a newer schema ("schema version 3 is newer than the newest this dealflow reads (2);
//   ...") invalid_argument  a sequence that is not last + 1 ("sequence 5 does not follow the last sequence 3
//                     (expected 4)"), an empty or reserved meta key
// A failed append or set_meta changes nothing (rolled back); the same sequence may be retried. A file
// is never written to before its version is checked: a newer, foreign or non-SQLite file is left as it was.
//
// Example:
//   auto log = dealflow::store::SqliteLog::open("crm.dealflow", {});
//   if (!log) return log.status();
//   const std::pair<std::uint32_t, std::uint32_t> counts[] = {{7, 3}};   // manager 7 has 3 open deals
//   if (Status s = log->append({log->last_sequence() + 1, line}, counts); !s.ok()) return s;
//   auto records = log->read_since(0);                                    // everything, in order
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dealflow/core/status.h"

namespace dealflow::store {

// SQLite's `PRAGMA synchronous` in WAL mode.
//   full:   every commit fsyncs the WAL: a committed record survives a power loss or an OS crash.
//   normal: the WAL is fsynced only at checkpoints: after a power loss or an OS crash the last commits
//           may be rolled back (the database stays consistent, never corrupt; a record is whole or
//           absent, and the open-deal rows agree with the records). A crash of the process alone
//           loses nothing.
enum class Synchronous { full, normal };

struct SqliteLogOptions {
  Synchronous synchronous = Synchronous::full;
  // Appends join one transaction; durable when flush() returns (see the banner).
  bool group_commit = false;
  // How long a call waits for another connection's lock before failing.
  std::chrono::milliseconds busy_timeout{5000};
};

struct LogRecord {
  std::uint64_t sequence = 0;  // 1, 2, 3, ... dense
  std::string payload;         // a change's JSON line (opaque here)
  friend bool operator==(const LogRecord&, const LogRecord&) = default;
};

// (manager id value, open deals)
using OpenDealCount = std::pair<std::uint32_t, std::uint32_t>;

class SqliteLog {
 public:
  // The schema version this build writes (and migrates older files to).
  static constexpr int kSchemaVersion = 2;

  // Creates the file (and the schema) or opens it, migrating an older schema forward in one transaction.
  static Result<SqliteLog> open(const std::filesystem::path& path, SqliteLogOptions options = {});

  SqliteLog(SqliteLog&&) noexcept;
  SqliteLog& operator=(SqliteLog&&) noexcept;
  SqliteLog(const SqliteLog&) = delete;
  SqliteLog& operator=(const SqliteLog&) = delete;
  ~SqliteLog();  // rolls back an unflushed group, closes the database

  // Appends `record` (its sequence must be last_sequence() + 1) and sets the open-deal count of each
  // listed manager (upsert; a later pair for the same manager wins), in one transaction (all or nothing).
  Status append(const LogRecord& record, std::span<const OpenDealCount> open_deals);
  // Commits the open group (group_commit); a no-op otherwise or when nothing is pending. On failure the
  // group is rolled back and last_sequence() returns to the last durable sequence.
  Status flush();

  // Records with sequence > `sequence`, in order.
  Result<std::vector<LogRecord>> read_since(std::uint64_t sequence) const;
  // Every manager's stored count, by manager id.
  Result<std::vector<OpenDealCount>> open_deals() const;
  // The last appended sequence (0 for an empty log); includes an unflushed group.
  std::uint64_t last_sequence() const noexcept;
  // The last sequence that is durable (committed).
  std::uint64_t durable_sequence() const noexcept;

  // Host-owned key/value pairs (e.g. the configuration fingerprint). Keys are non-empty and must not start
  // with "dealflow." (reserved: "dealflow.schema_version"). Joins the open group with group_commit.
  Status set_meta(std::string_view key, std::string_view value);
  Result<std::optional<std::string>> meta(std::string_view key) const;

  const std::filesystem::path& path() const noexcept;
  int schema_version() const noexcept;  // always kSchemaVersion once open

 private:
  struct Impl;
  explicit SqliteLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dealflow::store
