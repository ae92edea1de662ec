// SqliteLog: the durable record log (see dealflow/store/sqlite_log.h).
#include "dealflow/store/sqlite_log.h"

#include <limits>
#include <string>

#include "store/sqlite_handle.h"
#include "store/sqlite_schema.h"

namespace dealflow::store {

using detail::sqlite_status;
using detail::StmtHandle;
using detail::StmtScope;

struct SqliteLog::Impl {
  std::filesystem::path path;
  std::string where;  // path as text, the location of every error
  SqliteLogOptions options;
  detail::DbHandle db;  // declared before the statements: destroyed after them
  StmtHandle begin, commit, rollback, savepoint, release, rollback_to;
  StmtHandle insert_change, upsert_open, select_since, select_open, select_meta, upsert_meta;
  std::uint64_t last = 0;     // last appended sequence
  std::uint64_t durable = 0;  // last committed sequence
  bool in_group = false;      // a group transaction is open

  ~Impl() {
    if (in_group && rollback) {
      sqlite3_step(rollback.get());
      sqlite3_reset(rollback.get());
    }
  }

  Status error(ErrorCode code, std::string_view step) const {
    return sqlite_status(code, where, db.get(), step);
  }

  Status prepare(StmtHandle& out, const char* sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v3(db.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr) != SQLITE_OK) {
      return error(ErrorCode::io_error, std::string("cannot prepare \"") + sql + "\"");
    }
    out.reset(raw);
    return {};
  }

  // Runs a statement that returns no rows.
  Status run(const StmtHandle& stmt, std::string_view step) {
    StmtScope scope(stmt.get());
    if (sqlite3_step(stmt.get()) != SQLITE_DONE) return error(ErrorCode::io_error, step);
    return {};
  }

  void roll_back() {
    StmtScope scope(rollback.get());
    sqlite3_step(rollback.get());
  }

  Status write_rows(const LogRecord& record, std::span<const OpenDealCount> open_deals) {
    {
      StmtScope scope(insert_change.get());
      sqlite3_bind_int64(insert_change.get(), 1, static_cast<sqlite3_int64>(record.sequence));
      sqlite3_bind_text64(insert_change.get(), 2, record.payload.data(), record.payload.size(), SQLITE_STATIC,
                          SQLITE_UTF8);
      if (sqlite3_step(insert_change.get()) != SQLITE_DONE) {
        return error(ErrorCode::io_error, "cannot append sequence " + std::to_string(record.sequence));
      }
    }
    for (const auto& [manager, count] : open_deals) {
      StmtScope scope(upsert_open.get());
      sqlite3_bind_int64(upsert_open.get(), 1, manager);
      sqlite3_bind_int64(upsert_open.get(), 2, count);
      if (sqlite3_step(upsert_open.get()) != SQLITE_DONE) {
        return error(ErrorCode::io_error, "cannot store the open deals of manager " +
                                              std::to_string(manager) + " (sequence " +
                                              std::to_string(record.sequence) + ")");
      }
    }
    return {};
  }

  Status begin_group() {
    if (in_group) return {};
    DEALFLOW_RETURN_IF_ERROR(run(begin, "cannot begin the group transaction"));
    in_group = true;
    return {};
  }
};

namespace {

// The stored sequences must be 1..N: anything else is a damaged or foreign log.
Status load_sequence(sqlite3* db, const std::string& where, std::uint64_t& last) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(
      db, "SELECT count(*), coalesce(min(sequence), 1), coalesce(max(sequence), 0) FROM changes", -1, &raw,
      nullptr);
  StmtHandle stmt(raw);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW) return sqlite_status(ErrorCode::io_error, where, db, "cannot read the last sequence");
  const sqlite3_int64 count = sqlite3_column_int64(stmt.get(), 0);
  const sqlite3_int64 min = sqlite3_column_int64(stmt.get(), 1);
  const sqlite3_int64 max = sqlite3_column_int64(stmt.get(), 2);
  if (min != 1 || count != max) {
    return Status(ErrorCode::parse_error,
                  "the log is not dense: " + std::to_string(count) + " records with sequences " +
                      std::to_string(min) + ".." + std::to_string(max) + " (expected 1.." +
                      std::to_string(count) + ")",
                  Location{where, 0, 0, {}});
  }
  last = static_cast<std::uint64_t>(max);
  return {};
}

}  // namespace

SqliteLog::SqliteLog(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteLog::SqliteLog(SqliteLog&&) noexcept = default;
SqliteLog& SqliteLog::operator=(SqliteLog&&) noexcept = default;
SqliteLog::~SqliteLog() = default;

Result<SqliteLog> SqliteLog::open(const std::filesystem::path& path, SqliteLogOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->where = path.string();
  impl->options = options;
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(impl->where.c_str(), &raw,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  impl->db.reset(raw);
  if (rc != SQLITE_OK) {
    if (raw == nullptr) {
      return Status(ErrorCode::io_error, "cannot open the database: out of memory",
                    Location{impl->where, 0, 0, {}});
    }
    return impl->error(ErrorCode::io_error, "cannot open the database");
  }
  sqlite3* db = impl->db.get();
  sqlite3_extended_result_codes(db, 1);
  const auto timeout = options.busy_timeout.count();
  sqlite3_busy_timeout(db, timeout <= 0                                ? 0
                           : timeout > std::numeric_limits<int>::max() ? std::numeric_limits<int>::max()
                                                                       : static_cast<int>(timeout));

  // Checks the version before anything writes to the file (a newer or foreign file is left untouched).
  if (auto version = detail::read_schema_version(db, impl->where); !version) return version.status();

  {
    sqlite3_stmt* s = nullptr;
    int r = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &s, nullptr);
    StmtHandle stmt(s);
    if (r == SQLITE_OK) r = sqlite3_step(stmt.get());
    if (r != SQLITE_ROW) return impl->error(ErrorCode::io_error, "cannot switch to WAL mode");
    const auto* mode = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0));
    if (mode == nullptr || std::string_view(mode) != "wal") {
      return Status(
          ErrorCode::io_error,
          std::string("cannot switch to WAL mode: SQLite kept journal mode '") + (mode ? mode : "?") + "'",
          Location{impl->where, 0, 0, {}});
    }
  }
  DEALFLOW_RETURN_IF_ERROR(detail::exec(
      db, impl->where,
      options.synchronous == Synchronous::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
      "cannot set synchronous"));
  auto before = detail::prepare_schema(db, impl->where);
  if (!before) return before.status();
  DEALFLOW_RETURN_IF_ERROR(load_sequence(db, impl->where, impl->last));
  impl->durable = impl->last;

  Impl& m = *impl;
  DEALFLOW_RETURN_IF_ERROR(m.prepare(m.begin, "BEGIN IMMEDIATE"));
  DEALFLOW_RETURN_IF_ERROR(m.prepare(m.commit, "COMMIT"));
  DEALFLOW_RETURN_IF_ERROR(m.prepare(m.rollback, "ROLLBACK"));
  DEALFLOW_RETURN_IF_ERROR(m.prepare(m.savepoint, "SAVEPOINT dealflow_append"));
  DEALFLOW_RETURN_IF_ERROR(m.prepare(m.release, "RELEASE dealflow_append"));
  DEALFLOW_RETURN_IF_ERROR(m.prepare(m.rollback_to, "ROLLBACK TO dealflow_append"));
  DEALFLOW_RETURN_IF_ERROR(
      m.prepare(m.insert_change, "INSERT INTO changes(sequence, payload) VALUES(?1, ?2)"));
  DEALFLOW_RETURN_IF_ERROR(m.prepare(m.upsert_open,
                                     "INSERT INTO open_deals(manager, count) VALUES(?1, ?2) "
                                     "ON CONFLICT(manager) DO UPDATE SET count = excluded.count"));
  DEALFLOW_RETURN_IF_ERROR(m.prepare(
      m.select_since, "SELECT sequence, payload FROM changes WHERE sequence > ?1 ORDER BY sequence"));
  DEALFLOW_RETURN_IF_ERROR(
      m.prepare(m.select_open, "SELECT manager, count FROM open_deals ORDER BY manager"));
  DEALFLOW_RETURN_IF_ERROR(m.prepare(m.select_meta, "SELECT value FROM meta WHERE key = ?1"));
  DEALFLOW_RETURN_IF_ERROR(m.prepare(m.upsert_meta,
                                     "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
  return SqliteLog(std::move(impl));
}

Status SqliteLog::append(const LogRecord& record, std::span<const OpenDealCount> open_deals) {
  Impl& m = *impl_;
  if (record.sequence != m.last + 1) {
    return Status(ErrorCode::invalid_argument,
                  "sequence " + std::to_string(record.sequence) + " does not follow the last sequence " +
                      std::to_string(m.last) + " (expected " + std::to_string(m.last + 1) + ")",
                  Location{m.where, 0, 0, {}});
  }
  if (record.sequence > static_cast<std::uint64_t>(std::numeric_limits<sqlite3_int64>::max())) {
    return Status(ErrorCode::invalid_argument,
                  "sequence " + std::to_string(record.sequence) + " exceeds 2^63 - 1",
                  Location{m.where, 0, 0, {}});
  }
  if (m.options.group_commit) {
    DEALFLOW_RETURN_IF_ERROR(m.begin_group());
    DEALFLOW_RETURN_IF_ERROR(m.run(m.savepoint, "cannot open the append savepoint"));
    if (Status s = m.write_rows(record, open_deals); !s.ok()) {
      (void)m.run(m.rollback_to, "cannot roll back the append");
      (void)m.run(m.release, "cannot release the append savepoint");
      return s;
    }
    DEALFLOW_RETURN_IF_ERROR(m.run(m.release, "cannot release the append savepoint"));
    m.last = record.sequence;
    return {};
  }
  DEALFLOW_RETURN_IF_ERROR(m.run(m.begin, "cannot begin the append transaction"));
  Status s = m.write_rows(record, open_deals);
  if (s.ok()) s = m.run(m.commit, "cannot commit sequence " + std::to_string(record.sequence));
  if (!s.ok()) {
    if (!sqlite3_get_autocommit(m.db.get())) m.roll_back();
    return s;
  }
  m.last = m.durable = record.sequence;
  return {};
}

Status SqliteLog::flush() {
  Impl& m = *impl_;
  if (!m.in_group) return {};
  Status s = m.run(m.commit, "cannot commit the group up to sequence " + std::to_string(m.last));
  if (!s.ok()) {
    if (!sqlite3_get_autocommit(m.db.get())) m.roll_back();
    m.in_group = false;
    m.last = m.durable;
    return s;
  }
  m.in_group = false;
  m.durable = m.last;
  return {};
}

Result<std::vector<LogRecord>> SqliteLog::read_since(std::uint64_t sequence) const {
  Impl& m = *impl_;
  const auto max = static_cast<std::uint64_t>(std::numeric_limits<sqlite3_int64>::max());
  StmtScope scope(m.select_since.get());
  sqlite3_bind_int64(scope.get(), 1, static_cast<sqlite3_int64>(sequence > max ? max : sequence));
  std::vector<LogRecord> out;
  int rc;
  while ((rc = sqlite3_step(scope.get())) == SQLITE_ROW) {
    LogRecord r;
    r.sequence = static_cast<std::uint64_t>(sqlite3_column_int64(scope.get(), 0));
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(scope.get(), 1));
    r.payload.assign(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(scope.get(), 1)));
    out.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE)
    return m.error(ErrorCode::io_error, "cannot read the records after " + std::to_string(sequence));
  return out;
}

Result<std::vector<OpenDealCount>> SqliteLog::open_deals() const {
  Impl& m = *impl_;
  StmtScope scope(m.select_open.get());
  std::vector<OpenDealCount> out;
  int rc;
  while ((rc = sqlite3_step(scope.get())) == SQLITE_ROW) {
    out.emplace_back(static_cast<std::uint32_t>(sqlite3_column_int64(scope.get(), 0)),
                     static_cast<std::uint32_t>(sqlite3_column_int64(scope.get(), 1)));
  }
  if (rc != SQLITE_DONE) return m.error(ErrorCode::io_error, "cannot read the open deals");
  return out;
}

std::uint64_t SqliteLog::last_sequence() const noexcept {
  return impl_->last;
}
std::uint64_t SqliteLog::durable_sequence() const noexcept {
  return impl_->durable;
}
const std::filesystem::path& SqliteLog::path() const noexcept {
  return impl_->path;
}
int SqliteLog::schema_version() const noexcept {
  return kSchemaVersion;
}

namespace {
Status check_key(std::string_view key, const std::string& where) {
  if (key.empty()) return Status(ErrorCode::invalid_argument, "empty meta key", Location{where, 0, 0, {}});
  if (key.starts_with("dealflow.")) {
    return Status(ErrorCode::invalid_argument,
                  "meta key '" + std::string(key) + "' is reserved (keys starting with \"dealflow.\")",
                  Location{where, 0, 0, {}});
  }
  return {};
}
}  // namespace

Status SqliteLog::set_meta(std::string_view key, std::string_view value) {
  Impl& m = *impl_;
  DEALFLOW_RETURN_IF_ERROR(check_key(key, m.where));
  if (m.options.group_commit) DEALFLOW_RETURN_IF_ERROR(m.begin_group());
  StmtScope scope(m.upsert_meta.get());
  sqlite3_bind_text64(scope.get(), 1, key.data(), key.size(), SQLITE_STATIC, SQLITE_UTF8);
  sqlite3_bind_text64(scope.get(), 2, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (sqlite3_step(scope.get()) != SQLITE_DONE) {
    return m.error(ErrorCode::io_error, "cannot set meta '" + std::string(key) + "'");
  }
  return {};
}

Result<std::optional<std::string>> SqliteLog::meta(std::string_view key) const {
  Impl& m = *impl_;
  StmtScope scope(m.select_meta.get());
  sqlite3_bind_text64(scope.get(), 1, key.data(), key.size(), SQLITE_STATIC, SQLITE_UTF8);
  const int rc = sqlite3_step(scope.get());
  if (rc == SQLITE_DONE) return std::optional<std::string>{};
  if (rc != SQLITE_ROW) return m.error(ErrorCode::io_error, "cannot read meta '" + std::string(key) + "'");
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(scope.get(), 0));
  return std::optional<std::string>(
      std::string(text ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(scope.get(), 0))));
}

}  // namespace dealflow::store
