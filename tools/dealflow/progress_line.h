// tools/dealflow/progress_line.h: a progress line on stderr for long loads.
// Not part of the library API.
//
// While a `ProgressLine` lives, a thread looks at the loader's counters
// (CsvLoadOptions::progress_bytes/progress_rows) four times a second and, once
// the load has taken more than a second, rewrites one line on stderr:
//   "loading: 2.1 M rows, 310 of 545 MB, 480 MB/s, ETA 0.5 s"
// It is silent when stderr is not a terminal (pipes, files, tests) or the
// stream is not std::cerr, and it erases its line when destroyed.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <thread>

namespace dealflow::cli {

class ProgressLine {
 public:
  // `total_bytes`: the size of the files being loaded.
  ProgressLine(std::ostream& err, std::uint64_t total_bytes);
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  ~ProgressLine();

  std::atomic<std::uint64_t>* bytes() noexcept { return &bytes_; }
  std::atomic<std::uint64_t>* rows() noexcept { return &rows_; }

 private:
  void run();
  std::atomic<std::uint64_t> bytes_{0}, rows_{0};
  std::uint64_t total_;
  bool active_ = false;
  bool shown_ = false;
  bool stop_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace dealflow::cli
