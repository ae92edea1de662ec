// dealflow/io/atomic_file.h: replacing a file durably and in one step, and an
// advisory lock that serializes read-modify-write runs on one file.
//
// What it is for. State files (the router state of `dealflow route`) are read,
// changed and written back by short-lived processes. `write_file_atomic`
// writes the new bytes to a uniquely named temporary file in the target's
// folder, fsyncs it, renames it over the target and fsyncs the folder: a
// reader (or a crash at any moment) sees the old file or the new one, never a
// torn one, and when the call returns ok the new content survives a power
// loss. `FileLock` takes an exclusive flock(2) on "<target>.lock" beside the
// target so that a second run waits for (or refuses) the first one instead of
// both reading the same old state and one update being lost.
//
// Ownership: a FileLock owns its descriptor and releases the lock when it is
// destroyed (or reset); move-only. The lock file itself is never deleted
// (deleting it would let two processes lock two different files).
//
// Thread-safety: write_file_atomic may be called from many threads, also on
// the same target (the last rename wins; every version is whole). flock locks
// belong to an open file description, so two FileLock objects conflict even
// inside one process; one FileLock object must not be shared unsynchronized.
//
// Errors: io_error with the target (or lock file) as location and the step and
// errno text in the message, e.g. "S.json: cannot replace the file with
// 'S.json.tmp.4711.0.9f3c': Is a directory"; a failed write removes its
// temporary file. Advisory only: it does not stop a writer that takes no lock.
//
// Example:
//   auto lock = dealflow::io::FileLock::acquire("state.json", std::chrono::seconds(10));
//   if (!lock) return lock.status();
//   ... read state.json, change it ...
//   if (Status s = dealflow::io::write_file_atomic("state.json", text); !s.ok()) return s;
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "dealflow/core/status.h"

namespace dealflow::io {

// Replaces `path` with `bytes` (see the banner). The temporary file is
// "<path>.tmp.<pid>.<n>.<random>", created exclusively; it gets the mode of
// the file it replaces, or 0666 minus the umask for a new file.
Status write_file_atomic(const std::string& path, std::string_view bytes);

// The name of the lock file of `path`: "<path>.lock".
std::string lock_file_path(const std::string& path);

class FileLock {
 public:
  // Waits forever (see acquire).
  static constexpr std::chrono::milliseconds kWaitForever{-1};

  // Creates "<path>.lock" if needed and takes an exclusive lock on it.
  // timeout < 0: wait until the holder releases it; 0: try once; > 0: retry
  // until the timeout has passed. A lock still held then is an io_error
  // "<path>.lock: locked by another process (waited N ms)".
  static Result<FileLock> acquire(const std::string& path, std::chrono::milliseconds timeout = kWaitForever);

  FileLock() = default;
  FileLock(FileLock&& other) noexcept;
  FileLock& operator=(FileLock&& other) noexcept;
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  ~FileLock();

  bool held() const noexcept { return fd_ >= 0; }
  const std::string& lock_path() const noexcept { return lock_path_; }
  // Releases the lock now (the lock file stays).
  void reset() noexcept;

 private:
  int fd_ = -1;
  std::string lock_path_;
};

}  // namespace dealflow::io
