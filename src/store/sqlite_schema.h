// src/store/sqlite_schema.h (internal): the SqliteLog schema and its forward
// migrations. Schema versions (PRAGMA user_version, mirrored in meta row
// "dealflow.schema_version"):
//   1  meta(key, value), changes(sequence, payload)
//   2  + open_deals(manager, count): the router's open-deal counts
// Not thread-safe; called by SqliteLog::open on its own connection.
#pragma once

#include <sqlite3.h>

#include <string>

#include "dealflow/core/status.h"

namespace dealflow::store::detail {

inline constexpr int kNewestSchema = 2;

// Brings the database at `path` to kNewestSchema: creates it when empty, migrates an older version in one
// IMMEDIATE transaction, refuses a newer one, a foreign SQLite database and a file that is not SQLite.
// Returns the version the file had before (0 = created).
Result<int> prepare_schema(sqlite3* db, const std::string& path);

// The file's schema version (PRAGMA user_version) without writing anything: refuses a newer version, a
// file that is not SQLite and an SQLite database with version 0 that already holds tables (not ours).
Result<int> read_schema_version(sqlite3* db, const std::string& path);

// Executes `sql` (no results expected); the error names `step`.
Status exec(sqlite3* db, const std::string& path, const char* sql, const char* step);

}  // namespace dealflow::store::detail
