// The SqliteLog schema: creation, forward migrations, version checks.
#include "store/sqlite_schema.h"

#include <string>

#include "store/sqlite_handle.h"

namespace dealflow::store::detail {
namespace {

// One step per version: kMigrations[v - 1] turns version v - 1 into version v (index 0 creates v1).
constexpr const char* kMigrations[] = {
    // -> 1
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE changes(sequence INTEGER PRIMARY KEY, payload TEXT NOT NULL);",
    // -> 2
    "CREATE TABLE open_deals(manager INTEGER PRIMARY KEY, count INTEGER NOT NULL CHECK(count >= 0));",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kNewestSchema);

// The single integer of `sql` ("PRAGMA user_version", "SELECT count(*) ...").
Result<long long> query_int(sqlite3* db, const std::string& path, const char* sql, const char* step) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
  StmtHandle stmt(raw);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_ROW) return static_cast<long long>(sqlite3_column_int64(stmt.get(), 0));
  if ((sqlite3_extended_errcode(db) & 0xFF) == SQLITE_NOTADB) {
    return sqlite_status(ErrorCode::parse_error, path, db, "not an SQLite database");
  }
  return sqlite_status(ErrorCode::io_error, path, db, step);
}

Status newer_schema(const std::string& path, long long version) {
  return Status(ErrorCode::refused,
                "schema version " + std::to_string(version) +
                    " is newer than the newest this dealflow reads (" + std::to_string(kNewestSchema) +
                    "); open it with a newer dealflow",
                Location{path, 0, 0, {}});
}

}  // namespace

Status exec(sqlite3* db, const std::string& path, const char* sql, const char* step) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return sqlite_status(ErrorCode::io_error, path, db, step);
  }
  return {};
}

Result<int> read_schema_version(sqlite3* db, const std::string& path) {
  auto version = query_int(db, path, "PRAGMA user_version", "cannot read the schema version");
  if (!version) return version.status();
  if (*version > kNewestSchema) return newer_schema(path, *version);
  if (*version < 0) {
    return Status(ErrorCode::parse_error,
                  "not a dealflow log (schema version " + std::to_string(*version) + ")",
                  Location{path, 0, 0, {}});
  }
  if (*version == 0) {
    auto objects = query_int(db, path, "SELECT count(*) FROM sqlite_schema", "cannot list the tables");
    if (!objects) return objects.status();
    if (*objects > 0) {
      return Status(ErrorCode::parse_error,
                    "an SQLite database that is not a dealflow log (schema version 0, " +
                        std::to_string(*objects) + " schema objects)",
                    Location{path, 0, 0, {}});
    }
  }
  return static_cast<int>(*version);
}

Result<int> prepare_schema(sqlite3* db, const std::string& path) {
  auto version = read_schema_version(db, path);
  if (!version) return version.status();
  if (*version == kNewestSchema) return *version;

  DEALFLOW_RETURN_IF_ERROR(exec(db, path, "BEGIN IMMEDIATE", "cannot begin the schema transaction"));
  auto fail = [&](Status s) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return s;
  };
  // Read again under the write lock: another process may have created or migrated the file meanwhile.
  version = read_schema_version(db, path);
  if (!version) return fail(version.status());
  const int from = *version;
  for (int v = from + 1; v <= kNewestSchema; ++v) {
    const std::string step = "cannot migrate the schema to version " + std::to_string(v);
    Status s = exec(db, path, kMigrations[v - 1], step.c_str());
    if (!s.ok()) return fail(s);
  }
  const std::string stamp = "PRAGMA user_version = " + std::to_string(kNewestSchema) +
                            "; INSERT INTO meta(key, value) VALUES('dealflow.schema_version', '" +
                            std::to_string(kNewestSchema) +
                            "') ON CONFLICT(key) DO UPDATE SET value = excluded.value;";
  if (Status s = exec(db, path, stamp.c_str(), "cannot record the schema version"); !s.ok()) return fail(s);
  if (Status s = exec(db, path, "COMMIT", "cannot commit the schema"); !s.ok()) return fail(s);
  return from;
}

}  // namespace dealflow::store::detail
