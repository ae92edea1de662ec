// dealflow/store/store.h: a durable Department, kept in one SQLite database.
//
// What it is for. `Store::open(path, config, options)` joins the Department
// (department.h: engine + router) and the SQLite change log (sqlite_log.h):
// it opens or creates the log, replays every stored change into a fresh
// Department built from `config`, checks the result against the stored
// router state, and attaches itself as the Department's sink, so that every
// operation applied afterwards is appended (its change line and the open-deal
// counts it moved) in ONE SQLite transaction before the operation returns.
// Routing a lead, creating its deal and raising the owner's open deals are
// therefore one transaction; closing a deal and lowering the count are one.
//
// What open checks (each failure is an error, nothing is written):
//   * the configuration fingerprint stored on first open (meta key
//     "store.fingerprint") equals config.fingerprint(): refused otherwise,
//     naming both;
//   * every record parses (parse_change_line, line = the record's sequence)
//     and replays (Department::replay): the error names the database and the
//     sequence ("crm.dealflow:17: at /stage: unknown stage ...");
//   * the open_deals table equals the replayed router's open deals for every
//     manager ("history and router state disagree").
// The router state before the first change (the CRM's open deals, cursors)
// is stored on first open (meta key "store.initial_router_state") and used on
// every reopen: config.initial_router_state matters only for a new file.
//
// Durability (docs/store.md): without group_commit an operation is durable
// when it returns (FULL; NORMAL: survives a process crash, may roll back on a
// power loss). With group_commit it is durable when flush() returns; closing
// the store without flush() drops the changes since the last flush (they are
// rolled back in the file, and the next open replays only what was flushed).
// A sink error (disk full, lock timeout) makes the Department failed(): it
// refuses every later operation; reopen the store to continue.
//
// Ownership: a Store owns its log and its Department (and is movable: the
// Department reference stays valid across moves). Do not replace the
// Department's sink or move the Department out of the store.
//
// Thread-safety: none (like Department): one thread at a time; one Store per
// file (a second writer waits busy_timeout for SQLite's lock, then fails).
//
// Example:
//   auto store = dealflow::store::Store::open("crm.dealflow", config, {});
//   if (!store) return store.status();          // located: "crm.dealflow: ..."
//   Department& dept = store->department();      // the state of every earlier run
//   auto routed = dept.route_and_create(lead, new_deal);   // durable on return
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>

#include "dealflow/core/status.h"
#include "dealflow/store/department.h"
#include "dealflow/store/sqlite_log.h"

namespace dealflow::store {

struct StoreOptions {
  // SQLite's synchronous mode (see Synchronous in sqlite_log.h).
  Synchronous synchronous = Synchronous::full;
  // Operations join one transaction; durable when flush() returns.
  bool group_commit = false;
  // How long an operation waits for another connection's lock before failing.
  std::chrono::milliseconds busy_timeout{5000};
};

class Store {
 public:
  // Meta keys of the store (docs/store.md).
  static constexpr const char* kFingerprintKey = "store.fingerprint";
  static constexpr const char* kInitialStateKey = "store.initial_router_state";

  // Opens or creates the store at `path` (see the banner for what is checked).
  // Errors: SqliteLog::open's (io_error, parse_error, refused for a newer
  // schema); refused: another configuration fingerprint; parse_error: a record
  // that does not parse, a stored initial router state that does not parse, a
  // log with records but no fingerprint; validation_failed: a record that does
  // not replay, history and router state that disagree; Department::make's.
  static Result<Store> open(const std::filesystem::path& path, DepartmentConfig config,
                            StoreOptions options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();  // closes the database (an unflushed group is rolled back)

  Department& department() noexcept;
  const Department& department() const noexcept;
  // Group commit: every operation applied so far is durable when this returns
  // ok (a no-op without group_commit). Department::flush() does the same.
  Status flush();

  const std::filesystem::path& path() const noexcept;
  // The last durable change (== department().sequence() without group commit).
  std::uint64_t durable_sequence() const noexcept;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dealflow::store
