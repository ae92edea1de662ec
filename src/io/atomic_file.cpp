#include "dealflow/io/atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <thread>
#include <utility>

namespace dealflow::io {

namespace {

std::string errno_text(int err) {
  return std::strerror(err);  // glibc: a static table for known codes
}

Status io_failure(const std::string& file, const std::string& what, int err) {
  return Status(ErrorCode::io_error, what + ": " + errno_text(err), Location{file, 0, 0, ""});
}

std::string folder_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Creates "<path>.tmp.<pid>.<n>.<random>" exclusively; returns the descriptor.
int create_temporary(const std::string& path, std::string& tmp, int& err) {
  static std::atomic<unsigned> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  for (int attempt = 0; attempt < 100; ++attempt) {
    char suffix[64];
    std::snprintf(suffix, sizeof suffix, ".tmp.%ld.%u.%04x", static_cast<long>(::getpid()),
                  counter.fetch_add(1, std::memory_order_relaxed), static_cast<unsigned>(rng() & 0xffffu));
    tmp = path + suffix;
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno != EEXIST) {
      err = errno;
      return -1;
    }
  }
  err = EEXIST;
  return -1;
}

bool write_all(int fd, std::string_view bytes, int& err) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

Status write_file_atomic(const std::string& path, std::string_view bytes) {
  std::string tmp;
  int err = 0;
  const int fd = create_temporary(path, tmp, err);
  if (fd < 0) return io_failure(path, "cannot create a temporary file beside it", err);
  auto fail = [&](const std::string& what, int e, bool close_fd) {
    if (close_fd) ::close(fd);
    ::unlink(tmp.c_str());
    return io_failure(path, what + " '" + tmp + "'", e);
  };
  // Keep the permissions of the file being replaced.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    if (::fchmod(fd, st.st_mode & 07777) != 0) return fail("cannot set the mode of", errno, true);
  }
  if (!write_all(fd, bytes, err)) return fail("cannot write", err, true);
  if (::fsync(fd) != 0) return fail("cannot fsync", errno, true);
  if (::close(fd) != 0) return fail("cannot close", errno, false);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("cannot replace the file with", errno, false);
  // Make the rename itself durable. File systems that cannot fsync a folder
  // (EINVAL) give no stronger guarantee anyway.
  const std::string folder = folder_of(path);
  const int dfd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return io_failure(path, "replaced, but cannot open the folder '" + folder + "' to fsync it", errno);
  if (::fsync(dfd) != 0 && errno != EINVAL) {
    const int e = errno;
    ::close(dfd);
    return io_failure(path, "replaced, but cannot fsync the folder '" + folder + "'", e);
  }
  ::close(dfd);
  return {};
}

std::string lock_file_path(const std::string& path) {
  return path + ".lock";
}

Result<FileLock> FileLock::acquire(const std::string& path, std::chrono::milliseconds timeout) {
  FileLock lock;
  lock.lock_path_ = lock_file_path(path);
  lock.fd_ = ::open(lock.lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (lock.fd_ < 0) return io_failure(lock.lock_path_, "cannot open the lock file", errno);
  if (timeout.count() < 0) {
    while (::flock(lock.fd_, LOCK_EX) != 0) {
      if (errno != EINTR) return io_failure(lock.lock_path_, "cannot lock", errno);
    }
    return lock;
  }
  const auto start = std::chrono::steady_clock::now();
  while (true) {
    if (::flock(lock.fd_, LOCK_EX | LOCK_NB) == 0) return lock;
    if (errno != EWOULDBLOCK && errno != EINTR) return io_failure(lock.lock_path_, "cannot lock", errno);
    const auto waited =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    if (waited >= timeout) {
      return Status(ErrorCode::io_error,
                    "locked by another process (waited " + std::to_string(waited.count()) + " ms)",
                    Location{lock.lock_path_, 0, 0, ""});
    }
    std::this_thread::sleep_for(std::min(std::chrono::milliseconds(10), timeout - waited));
  }
}

FileLock::FileLock(FileLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), lock_path_(std::move(other.lock_path_)) {}

FileLock& FileLock::operator=(FileLock&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = std::exchange(other.fd_, -1);
    lock_path_ = std::move(other.lock_path_);
  }
  return *this;
}

FileLock::~FileLock() {
  reset();
}

void FileLock::reset() noexcept {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
  fd_ = -1;
}

}  // namespace dealflow::io
