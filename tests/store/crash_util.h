// Helpers of the SIGKILL tests (sqlite_crash_test.cpp, store_crash_test.cpp): fork a child that works on
// a database and reports what it made durable through a pipe, kill it at a random moment, collect the
// reports.
//
// Protocol: the child writes one Report once its database is open (sequence 0: "ready", the parent's
// random delay starts then) and one Report per durable sequence after the call that made it durable
// returned. A Report is 16 bytes (< PIPE_BUF, so each write is atomic); the child never returns (it
// _exits with a code naming what failed: 2 open, 3 operation, 4 flush, 5 pipe).
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace dealflow::store::testing {

struct Report {
  std::uint64_t sequence = 0;  // 0: the child is ready
  std::uint64_t digest = 0;    // what the child wrote at that sequence (the test decides)
};

// Called in the child: writes one report, _exits(5) when the pipe is gone.
inline void report(int fd, Report r) {
  if (write(fd, &r, sizeof r) != static_cast<ssize_t>(sizeof r)) _exit(5);
}

// Forks `child(fd)` (which must not return: it is killed), waits for its ready report, sleeps `delay`,
// SIGKILLs it and returns every durable report it made (ready excluded), in order. Fails the test when the
// child was not ready or exited on its own.
inline std::vector<Report> run_and_kill(const std::function<void(int fd)>& child,
                                        std::chrono::microseconds delay) {
  std::vector<Report> out;
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  const pid_t pid = fork();
  EXPECT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    child(fds[1]);
    _exit(6);  // the child returned: reported as "exited on its own"
  }
  close(fds[1]);
  Report r;
  const bool ready = read(fds[0], &r, sizeof r) == static_cast<ssize_t>(sizeof r);
  if (ready) std::this_thread::sleep_for(delay);
  kill(pid, SIGKILL);
  int wstatus = 0;
  EXPECT_EQ(waitpid(pid, &wstatus, 0), pid);
  EXPECT_TRUE(ready) << "the child did not open its database (exit " << WEXITSTATUS(wstatus) << ")";
  EXPECT_TRUE(WIFSIGNALED(wstatus)) << "the child exited on its own with " << WEXITSTATUS(wstatus);
  while (read(fds[0], &r, sizeof r) == static_cast<ssize_t>(sizeof r)) out.push_back(r);
  close(fds[0]);
  return out;
}

// An unsigned from the environment (the long mode's DEALFLOW_CRASH_KILLS), else `fallback`.
inline unsigned env_count(const char* name, unsigned fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  const long n = std::strtol(v, nullptr, 10);
  return n > 0 ? static_cast<unsigned>(n) : fallback;
}

}  // namespace dealflow::store::testing
