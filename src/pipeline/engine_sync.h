// src/pipeline/engine_sync.h: the two locking policies of the deal engine
// (private). The engine's logic is written once against `Sync<Policy>`; for
// SingleWriter every lock is an empty inline function, for ThreadSafe the deal
// lock is a spinlock byte inside the deal record, short global sections use a
// spinlock and longer ones a std::mutex. ThreadSafe engines stage history
// records in per-thread `HistoryShard`s (see engine_impl.h, "history staging").
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

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

// ---- history staging (ThreadSafe only)
// A stage or field record waiting in a writer thread's shard (32 bytes). A
// shard numbers its records 1, 2, ... (the seq, implied by the position). When
// the deal's previous record (in either log) was staged by ANOTHER shard,
// `after_shard`/`after_seq` name it: the merge emits this record only once
// that one is emitted. Records of deals only one thread touches carry no
// predecessor, so the shards merge as whole runs.
struct StagedRecord {
  enum Kind : std::uint8_t { stage_event, field_event, amount_event };
  union {
    HistoryEvent event;  // stage_event
    FieldEvent field;    // field_event, amount_event (value: index into the shard's `money`)
  };
  std::uint64_t after_seq;  // 0: no predecessor in another shard
  std::uint32_t after_shard;
  Kind kind;
};

static_assert(sizeof(StagedRecord) == 32);

// One writer thread's staging buffer. The owning thread appends under `lock`;
// the merger takes every shard's lock at once and swaps the buffers out, so the
// lock is contended only during that swap and its cache line otherwise stays
// with its thread (no line written by two threads per move).
struct alignas(64) HistoryShard {
  SpinLock lock;
  std::uint32_t index = 0;  // position in the engine's shard list
  std::uint64_t clock = 0;  // seq of the last record staged here
  std::thread::id owner;    // the thread this shard was made for (reused after a cache eviction)
  std::vector<StagedRecord> records;  // seqs clock - size() + 1 .. clock
  std::vector<Money> money;  // amounts of amount_event records
};

// Per-thread cache of (engine uid -> the thread's shard in that engine); uids
// are never reused, so entries of destroyed engines never match again.
struct ShardSlot {
  std::uint64_t engine;
  HistoryShard* shard;
};
inline constexpr int kShardSlots = 4;
inline thread_local constinit ShardSlot t_shard_slots[kShardSlots] = {};
inline std::atomic<std::uint64_t> g_next_engine_uid{1};

}  // namespace dealflow::detail
