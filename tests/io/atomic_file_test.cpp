// write_file_atomic and FileLock: content, cleanup after failures, no torn
// file under concurrent writers, and a lock that makes a second holder wait.
#include "dealflow/io/atomic_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace dealflow::io {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A fresh, empty folder per test.
std::string fresh_folder(const std::string& name) {
  const fs::path dir = fs::path(DEALFLOW_TEST_TMP) / ("atomic_" + std::to_string(::getpid()) + "_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

std::set<std::string> names_in(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(WriteFileAtomic, WritesTheBytesAndLeavesNoTemporary) {
  const std::string dir = fresh_folder("content");
  const std::string path = dir + "/состояние.json";
  ASSERT_TRUE(write_file_atomic(path, "{\"менеджер\": \"Фёдоров\"}\n").ok());
  EXPECT_EQ(slurp(path), "{\"менеджер\": \"Фёдоров\"}\n");
  ASSERT_TRUE(write_file_atomic(path, std::string("a\0b", 3)).ok());  // replaced, NUL kept
  EXPECT_EQ(slurp(path), std::string("a\0b", 3));
  ASSERT_TRUE(write_file_atomic(path, "").ok());
  EXPECT_EQ(fs::file_size(path), 0u);
  EXPECT_EQ(names_in(dir), std::set<std::string>{"состояние.json"});
}

TEST(WriteFileAtomic, KeepsTheModeOfTheReplacedFile) {
  const std::string dir = fresh_folder("mode");
  const std::string path = dir + "/s.json";
  ASSERT_TRUE(write_file_atomic(path, "1").ok());
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  ASSERT_TRUE(write_file_atomic(path, "2").ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_EQ(slurp(path), "2");
}

TEST(WriteFileAtomic, TargetThatIsADirectoryFailsAndRemovesTheTemporary) {
  const std::string dir = fresh_folder("isdir");
  const std::string path = dir + "/s.json";
  fs::create_directory(path);
  Status s = write_file_atomic(path, "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::io_error);
  EXPECT_NE(s.to_string().find(path + ": cannot replace the file with '" + path + ".tmp."), std::string::npos)
      << s.to_string();
  EXPECT_NE(s.to_string().find("Is a directory"), std::string::npos) << s.to_string();
  EXPECT_EQ(names_in(dir), std::set<std::string>{"s.json"});
}

TEST(WriteFileAtomic, MissingFolderIsALocatedError) {
  const std::string dir = fresh_folder("nofolder");
  const std::string path = dir + "/missing/s.json";
  Status s = write_file_atomic(path, "x");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.to_string(), path + ": cannot create a temporary file beside it: No such file or directory");
  EXPECT_TRUE(names_in(dir).empty());
}

// A write that fails half-way (the file size limit) removes its temporary and
// leaves the old content. Run in a child: the limit is per process.
TEST(WriteFileAtomic, FailedWriteRemovesTheTemporaryAndKeepsTheOldFile) {
  const std::string dir = fresh_folder("efbig");
  const std::string path = dir + "/s.json";
  ASSERT_TRUE(write_file_atomic(path, "old").ok());
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit {
      1024, 1024
    };
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(10);
    Status s = write_file_atomic(path, std::string(64 * 1024, 'n'));
    if (s.ok()) ::_exit(11);
    if (s.to_string().find(path + ": cannot write '" + path + ".tmp.") != 0) ::_exit(12);
    if (s.to_string().find("File too large") == std::string::npos) ::_exit(13);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(slurp(path), "old");
  EXPECT_EQ(names_in(dir), std::set<std::string>{"s.json"});
}

// Every version a reader sees is one writer's whole text.
bool whole(const std::string& text, std::size_t size) {
  if (text.size() != size) return false;
  return text.find_first_not_of(text[0]) == std::string::npos && text[0] >= 'a' && text[0] <= 'z';
}

TEST(WriteFileAtomic, ConcurrentWritersNeverLeaveATornFile) {
  const std::string dir = fresh_folder("threads");
  const std::string path = dir + "/s.json";
  constexpr std::size_t kSize = 64 * 1024;
  ASSERT_TRUE(write_file_atomic(path, std::string(kSize, 'z')).ok());
  std::atomic<int> running{4};
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      const std::string text(kSize, static_cast<char>('a' + t));
      for (int i = 0; i < 25; ++i) {
        if (!write_file_atomic(path, text).ok()) ++failures;
      }
      --running;
    });
  }
  int reads = 0;
  int torn = 0;
  while (running.load() > 0 || reads == 0) {
    if (!whole(slurp(path), kSize)) ++torn;
    ++reads;
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(torn, 0) << "of " << reads << " reads";
  EXPECT_TRUE(whole(slurp(path), kSize));
  EXPECT_EQ(names_in(dir), std::set<std::string>{"s.json"});
}

TEST(WriteFileAtomic, ConcurrentProcessesNeverLeaveATornFile) {
  const std::string dir = fresh_folder("processes");
  const std::string path = dir + "/s.json";
  constexpr std::size_t kSize = 32 * 1024;
  ASSERT_TRUE(write_file_atomic(path, std::string(kSize, 'z')).ok());
  std::vector<pid_t> children;
  for (int c = 0; c < 3; ++c) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      const std::string text(kSize, static_cast<char>('a' + c));
      for (int i = 0; i < 20; ++i) {
        if (!write_file_atomic(path, text).ok()) ::_exit(1);
      }
      ::_exit(0);
    }
    children.push_back(child);
  }
  int torn = 0;
  for (int i = 0; i < 200; ++i) {
    if (!whole(slurp(path), kSize)) ++torn;
  }
  for (pid_t child : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  EXPECT_EQ(torn, 0);
  EXPECT_EQ(names_in(dir), std::set<std::string>{"s.json"});
}

TEST(FileLock, SecondHolderTimesOutWithALocatedError) {
  const std::string dir = fresh_folder("lock");
  const std::string path = dir + "/s.json";
  auto first = FileLock::acquire(path, 0ms);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_TRUE(first->held());
  EXPECT_EQ(first->lock_path(), path + ".lock");
  const auto start = std::chrono::steady_clock::now();
  auto second = FileLock::acquire(path, 60ms);
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(second.ok());
  EXPECT_GE(waited, 60ms);
  EXPECT_EQ(second.status().code(), ErrorCode::io_error);
  EXPECT_EQ(second.status().to_string().rfind(path + ".lock: locked by another process (waited ", 0), 0u)
      << second.status().to_string();
  EXPECT_FALSE(FileLock::acquire(path, 0ms).ok());  // try once
  first->reset();
  EXPECT_TRUE(FileLock::acquire(path, 0ms).ok());
  EXPECT_EQ(names_in(dir), std::set<std::string>{"s.json.lock"});  // the lock file stays
}

TEST(FileLock, WaiterGetsTheLockWhenTheHolderReleasesIt) {
  const std::string dir = fresh_folder("wait");
  const std::string path = dir + "/s.json";
  for (auto timeout : {std::chrono::milliseconds(10000), FileLock::kWaitForever}) {
    auto first = FileLock::acquire(path);
    ASSERT_TRUE(first.ok());
    const auto start = std::chrono::steady_clock::now();
    std::thread releaser([&] {
      std::this_thread::sleep_for(100ms);
      first->reset();
    });
    auto second = FileLock::acquire(path, timeout);
    const auto waited = std::chrono::steady_clock::now() - start;
    releaser.join();
    ASSERT_TRUE(second.ok()) << second.status().to_string();
    EXPECT_GE(waited, 90ms);
  }
}

TEST(FileLock, BlocksAnotherProcessAndMovesOwnership) {
  const std::string dir = fresh_folder("process_lock");
  const std::string path = dir + "/s.json";
  auto held = FileLock::acquire(path);
  ASSERT_TRUE(held.ok());
  FileLock moved = std::move(*held);
  EXPECT_FALSE(held->held());
  EXPECT_TRUE(moved.held());
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child shares the parent's open description (which holds the lock);
    // a fresh acquire opens a new one, which must conflict.
    auto r = FileLock::acquire(path, 20ms);
    ::_exit(r.ok() ? 1 : 0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(FileLock, LockFileThatCannotBeCreatedIsALocatedError) {
  const std::string dir = fresh_folder("nolock");
  const std::string path = dir + "/missing/s.json";
  auto r = FileLock::acquire(path, 0ms);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().to_string(), path + ".lock: cannot open the lock file: No such file or directory");
}

}  // namespace
}  // namespace dealflow::io
