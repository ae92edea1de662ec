// Internal: splitting a CSV file into chunks for parallel parsing. A chunk
// begins after a newline (a guess at a record boundary: the loaders check it
// after the scan and read a chunk again from where the one before it stopped
// when a quoted field with a line break crossed the split). Not part of the API.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string_view>
#include <thread>
#include <vector>

#include "dealflow/analytics/csv_load.h"

namespace dealflow::analytics::csv_detail {

struct ChunkRange {
  std::size_t begin = 0, end = 0;
  int first_line = 1;  // the line of `begin` as the chunk counts: the file's for the first, 1 for the others
};

// [begin, text.size()) in `parts` ranges of about equal size, each but the
// first starting after a '\n'. Always at least one range.
inline std::vector<ChunkRange> split_ranges(std::string_view text, std::size_t begin, int first_line,
                                            unsigned parts) {
  std::vector<ChunkRange> out;
  const std::size_t n = text.size();
  std::size_t at = begin;
  for (unsigned k = 0; k < parts && at < n; ++k) {
    std::size_t end = k + 1 == parts ? n : begin + (n - begin) / parts * (k + 1);
    end = std::max(end, at);
    if (end < n) {
      const void* nl = std::memchr(text.data() + end, '\n', n - end);
      end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1 : n;
    }
    out.push_back({at, end, k == 0 ? first_line : 1});
    at = end;
  }
  if (out.empty()) out.push_back({begin, begin, first_line});
  return out;
}

// The threads to parse `bytes` with: options.threads (0: one per hardware
// thread), at most one per options.min_chunk_bytes, at most 64.
inline unsigned parse_threads(const CsvLoadOptions& options, std::size_t bytes) {
  const unsigned wanted =
      options.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options.threads;
  const std::size_t useful =
      std::max<std::size_t>(1, bytes / std::max<std::size_t>(1, options.min_chunk_bytes));
  return static_cast<unsigned>(std::min<std::size_t>({wanted, useful, 64}));
}

// `s` with `lines` added to its location's line (a problem found in a chunk
// whose lines were counted from its start); a status without a line as is.
inline Status shift_line(const Status& s, int lines) {
  if (lines == 0 || s.location().line <= 0) return s;
  Location where = s.location();
  where.line += lines;
  return Status(s.code(), s.message(), std::move(where));
}

// Reports parse progress to options.progress_* every few thousand rows.
class ProgressTicker {
 public:
  ProgressTicker(const CsvLoadOptions& options, std::size_t begin) noexcept
      : bytes_(options.progress_bytes), rows_(options.progress_rows), at_(begin) {}
  // Called once per record; `position` is where the scan stands.
  void tick(std::size_t position) noexcept {
    if (++pending_rows_ < 4096) return;
    flush(position);
  }
  void flush(std::size_t position) noexcept {
    if (bytes_ && position > at_) bytes_->fetch_add(position - at_, std::memory_order_relaxed);
    if (rows_) rows_->fetch_add(pending_rows_, std::memory_order_relaxed);
    at_ = std::max(at_, position);
    pending_rows_ = 0;
  }

 private:
  std::atomic<std::uint64_t>* bytes_;
  std::atomic<std::uint64_t>* rows_;
  std::size_t at_;
  std::uint64_t pending_rows_ = 0;
};

// Runs work(k) for k in [0, count): k = 0 on the calling thread, the others on
// their own threads; returns when all are done.
template <class Work>
void run_chunks(std::size_t count, const Work& work) {
  std::vector<std::thread> workers;
  workers.reserve(count > 0 ? count - 1 : 0);
  for (std::size_t k = 1; k < count; ++k) workers.emplace_back([&work, k] { work(k); });
  if (count > 0) work(0);
  for (auto& w : workers) w.join();
}

}  // namespace dealflow::analytics::csv_detail
