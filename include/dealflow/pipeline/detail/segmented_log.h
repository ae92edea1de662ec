// dealflow/pipeline/detail/segmented_log.h: an append-only array in fixed-size
// segments (implementation detail of History and the deal engine).
//
// Elements never move once written, so a reader may index [0, size()) while
// ONE writer appends (size() is published with release, read with acquire;
// segment pointers are written before the size that makes them reachable).
// Several writers need external mutual exclusion. Memory is one segment of
// 2^SegmentBits elements at a time plus 8 bytes of directory per segment, so the
// memory per element converges to sizeof(T). Segments are allocated without
// initialization: T must be trivially default-constructible.
//
// Thread-safety: one writer + any number of concurrent readers of [0, size()).
//
// Example:
//   dealflow::detail::SegmentedLog<Event, 16> log;  // 64 Ki events per segment
//   log.push_back(e);
//   for (std::size_t i = 0; i < log.size(); ++i) use(log[i]);
#pragma once

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>

namespace dealflow::detail {

// At most 2^(SegmentBits + DirectoryBits) elements; the directory (8 bytes per
// possible segment) is allocated uninitialized, so only used entries are touched.
template <class T, unsigned SegmentBits, unsigned DirectoryBits = 16>
class SegmentedLog {
  static_assert(std::is_trivially_default_constructible_v<T> && std::is_trivially_copyable_v<T>);
  static_assert(SegmentBits >= 4 && SegmentBits <= 24 && DirectoryBits <= 20 && SegmentBits + DirectoryBits <= 32);

 public:
  static constexpr std::size_t kSegmentSize = std::size_t{1} << SegmentBits;
  static constexpr std::size_t kMaxSegments = std::size_t{1} << DirectoryBits;
  static constexpr std::size_t kMaxSize = kSegmentSize * kMaxSegments;

  SegmentedLog() = default;
  SegmentedLog(const SegmentedLog&) = delete;
  SegmentedLog& operator=(const SegmentedLog&) = delete;
  ~SegmentedLog() {
    for (std::size_t s = 0; s < allocated_; ++s) delete[] directory_[s];
  }

  // Elements published so far.
  std::size_t size() const noexcept { return size_.load(std::memory_order_acquire); }
  bool empty() const noexcept { return size() == 0; }

  const T& operator[](std::size_t i) const noexcept {
    assert(i < size_.load(std::memory_order_relaxed));
    return directory_[i >> SegmentBits][i & (kSegmentSize - 1)];
  }
  // Writer only.
  T& mutable_at(std::size_t i) noexcept { return directory_[i >> SegmentBits][i & (kSegmentSize - 1)]; }

  // Appends and publishes one element (writer only). Returns its index.
  std::size_t push_back(const T& value) {
    const std::size_t n = count_;
    if (cursor_ == segment_end_) [[unlikely]]
      grow(n);
    *cursor_++ = value;
    count_ = n + 1;
    size_.store(n + 1, std::memory_order_release);
    return n;
  }

  // Appends one uninitialized slot (writer only) and returns its index; it is
  // invisible to readers until publish(). Fill it through mutable_at().
  std::size_t emplace_unpublished() {
    const std::size_t n = count_;
    if (cursor_ == segment_end_) [[unlikely]]
      grow(n);
    ++cursor_;
    count_ = n + 1;
    return n;
  }
  // Makes every element appended so far visible to readers.
  void publish() noexcept { size_.store(count_, std::memory_order_release); }

  // Allocates segments so that `n` elements fit without further allocation.
  void reserve(std::size_t n) {
    if (n > kMaxSize) throw std::length_error("SegmentedLog::reserve beyond capacity");
    ensure_directory();
    const std::size_t want = (n + kSegmentSize - 1) >> SegmentBits;
    while (allocated_ < want) directory_[allocated_++] = new T[kSegmentSize];
  }

  // Heap bytes held: allocated segments plus the used part of the directory.
  std::size_t memory_bytes() const noexcept { return allocated_ * (kSegmentSize * sizeof(T) + sizeof(T*)); }

 private:
  void ensure_directory() {
    if (!directory_) directory_.reset(new T*[kMaxSegments]);  // uninitialized: only used entries are read
  }
  void grow(std::size_t n) {
    const std::size_t segment = n >> SegmentBits;
    if (segment >= kMaxSegments) throw std::length_error("SegmentedLog full");
    ensure_directory();
    if (segment >= allocated_) directory_[allocated_++] = new T[kSegmentSize];
    cursor_ = directory_[segment];
    segment_end_ = cursor_ + kSegmentSize;
  }

  std::unique_ptr<T*[]> directory_;
  std::size_t allocated_ = 0;  // segments allocated (some maybe reserved ahead)
  T* cursor_ = nullptr;
  T* segment_end_ = nullptr;
  std::size_t count_ = 0;  // appended by the writer (published or not)
  std::atomic<std::size_t> size_{0};  // published to readers
};

}  // namespace dealflow::detail
