// src/store/sqlite_handle.h (internal): RAII over sqlite3* and sqlite3_stmt*,
// and the error text of the store's SQLite code ("<step>: <SQLite's message>").
// Not thread-safe; owned by one SqliteLog.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>

#include "dealflow/core/status.h"

namespace dealflow::store::detail {

struct DbCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using DbHandle = std::unique_ptr<sqlite3, DbCloser>;
using StmtHandle = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

// Resets a statement (and clears its bindings) when the scope ends, so that a reused statement never holds
// a read transaction open or a dangling pointer to bound text.
class StmtScope {
 public:
  explicit StmtScope(sqlite3_stmt* s) noexcept : s_(s) {}
  StmtScope(const StmtScope&) = delete;
  StmtScope& operator=(const StmtScope&) = delete;
  ~StmtScope() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  sqlite3_stmt* get() const noexcept { return s_; }

 private:
  sqlite3_stmt* s_;
};

// "<step>: <SQLite's message> (SQLite <extended code>)", located at `path`.
inline Status sqlite_status(ErrorCode code, const std::string& path, sqlite3* db, std::string_view step) {
  std::string message(step);
  if (db != nullptr) {
    message += ": ";
    message += sqlite3_errmsg(db);
    message += " (SQLite " + std::to_string(sqlite3_extended_errcode(db)) + ")";
  }
  return Status(code, std::move(message), Location{path, 0, 0, {}});
}

}  // namespace dealflow::store::detail
