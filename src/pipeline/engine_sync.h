// src/pipeline/engine_sync.h: the two locking policies of the deal engine
// (private). The engine's logic is written once against `Sync<Policy>`; for
// SingleWriter every lock is an empty inline function, for ThreadSafe the deal
// lock is a spinlock byte inside the deal record, short global sections use a
// spinlock and longer ones a std::mutex.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>

#include "dealflow/pipeline/engine.h"

namespace dealflow::detail {

inline void cpu_relax(unsigned& spins) noexcept {
  if (++spins < 64) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  } else {
    // The lock holder may be descheduled (more threads than cores): let it run.
    std::this_thread::yield();
  }
}

class SpinLock {
 public:
  void lock() noexcept {
    unsigned spins = 0;
    while (flag_.exchange(true, std::memory_order_acquire))
      while (flag_.load(std::memory_order_relaxed)) cpu_relax(spins);
  }
  void unlock() noexcept { flag_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> flag_{false};
};

struct NullLock {
  void lock() noexcept {}
  void unlock() noexcept {}
};

template <class Policy>
struct Sync;

template <>
struct Sync<SingleWriter> {
  static constexpr bool kThreadSafe = false;
  using Spin = NullLock;
  using Mutex = NullLock;
  static void lock_byte(std::uint8_t&) noexcept {}
  static void unlock_byte(std::uint8_t&) noexcept {}
};

template <>
struct Sync<ThreadSafe> {
  static constexpr bool kThreadSafe = true;
  using Spin = SpinLock;
  using Mutex = std::mutex;
  static void lock_byte(std::uint8_t& b) noexcept {
    std::atomic_ref<std::uint8_t> a(b);
    unsigned spins = 0;
    while (a.exchange(1, std::memory_order_acquire))
      while (a.load(std::memory_order_relaxed)) cpu_relax(spins);
  }
  static void unlock_byte(std::uint8_t& b) noexcept { std::atomic_ref<std::uint8_t>(b).store(0, std::memory_order_release); }
};

}  // namespace dealflow::detail
