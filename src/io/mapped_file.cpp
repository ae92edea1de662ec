#include "dealflow/io/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

namespace dealflow::io {

namespace {

class Fd {
 public:
  explicit Fd(int fd) noexcept : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

Status read_error(const std::string& path) {
  return Status(ErrorCode::io_error, "error while reading file", Location{path, 0, 0, ""});
}

}  // namespace

Result<MappedFile> MappedFile::open(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0)
    return Status(ErrorCode::io_error, "cannot open file for reading", Location{path, 0, 0, ""});
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return read_error(path);
  if (S_ISDIR(st.st_mode)) {
    return Status(ErrorCode::io_error, "cannot read a directory as a file", Location{path, 0, 0, ""});
  }
  MappedFile out;
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    const auto size = static_cast<std::size_t>(st.st_size);
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd.get(), 0);
    if (p != MAP_FAILED) {
      (void)::madvise(p, size, MADV_SEQUENTIAL);
      out.map_ = p;
      out.size_ = size;
      return out;
    }
  }
  // Not mappable (pipe, character device, empty or special file): read it.
  char chunk[1 << 16];
  while (true) {
    const ssize_t n = ::read(fd.get(), chunk, sizeof chunk);
    if (n < 0) return read_error(path);
    if (n == 0) break;
    out.buffer_.append(chunk, static_cast<std::size_t>(n));
  }
  return out;
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : map_(std::exchange(other.map_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      buffer_(std::move(other.buffer_)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    reset();
    map_ = std::exchange(other.map_, nullptr);
    size_ = std::exchange(other.size_, 0);
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

MappedFile::~MappedFile() {
  reset();
}

void MappedFile::reset() noexcept {
  if (map_) ::munmap(map_, size_);
  map_ = nullptr;
  size_ = 0;
  std::string().swap(buffer_);
}

}  // namespace dealflow::io
