#include "progress_line.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace dealflow::cli {

ProgressLine::ProgressLine(std::ostream& err, std::uint64_t total_bytes) : total_(total_bytes) {
  active_ = &err == &std::cerr && ::isatty(STDERR_FILENO) == 1;
  if (active_) thread_ = std::thread([this] { run(); });
}

ProgressLine::~ProgressLine() {
  if (!active_) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (shown_) std::fputs("\r\033[K", stderr);  // erase the line
}

void ProgressLine::run() {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_; })) {
    const double seconds = std::chrono::duration<double>(clock::now() - start).count();
    if (seconds < 1.0) continue;
    const double bytes = static_cast<double>(bytes_.load(std::memory_order_relaxed));
    const double rows = static_cast<double>(rows_.load(std::memory_order_relaxed));
    const double rate = bytes / seconds;
    const double left =
        rate > 0 && static_cast<double>(total_) > bytes ? (static_cast<double>(total_) - bytes) / rate : 0;
    std::fprintf(stderr, "\rloading: %.1f M rows, %.0f of %.0f MB, %.0f MB/s, ETA %.1f s\033[K", rows / 1e6,
                 bytes / 1e6, static_cast<double>(total_) / 1e6, rate / 1e6, left);
    std::fflush(stderr);
    shown_ = true;
  }
}

}  // namespace dealflow::cli
