// dealflow/io/mapped_file.h: the bytes of a file without copying them.
//
// What it is for. The CSV loaders read exports of hundreds of megabytes; a
// `MappedFile` maps a regular file read-only into memory (POSIX mmap, with
// sequential read-ahead advice) so that the loaders parse the page cache in
// place instead of copying the file into a string first. A file that cannot be
// mapped (a pipe, /dev/stdin, an empty file) is read into an owned buffer
// instead; `text()` is the same either way.
//
// Ownership: the object owns the mapping (or the buffer); views from text()
// stay valid until it is destroyed or moved from. Move-only.
//
// Thread-safety: text() may be read from many threads at once.
//
// Errors: io_error "path: cannot open file for reading" / "error while reading
// file" (a Status with the path as location), never an exception.
//
// Example:
//   auto file = dealflow::io::MappedFile::open("history.csv");
//   if (!file) { std::cerr << file.status().to_string() << "\n"; return 1; }
//   std::string_view bytes = file->text();
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "dealflow/core/status.h"

namespace dealflow::io {

class MappedFile {
 public:
  static Result<MappedFile> open(const std::string& path);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::string_view text() const noexcept {
    return map_ ? std::string_view(static_cast<const char*>(map_), size_) : std::string_view(buffer_);
  }
  // Whether the bytes are mapped (false: read into a buffer).
  bool mapped() const noexcept { return map_ != nullptr; }
  // Unmaps (or frees) the bytes now; text() is empty afterwards.
  void reset() noexcept;

 private:
  void* map_ = nullptr;
  std::size_t size_ = 0;
  std::string buffer_;
};

}  // namespace dealflow::io
