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
#include <type_traits>
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
// shard numbers its records 1, 2, ... (the seq = position in the shard + 1).
// When the deal's previous record (in either log) was staged by ANOTHER shard,
// `after_shard`/`after_seq` name it: the merge emits this record only once
// that one is emitted. Records of deals only one thread touches carry no
// predecessor, so the shards merge as whole runs. An amount_event is followed
// by a money_payload record holding its Money.
struct StagedRecord {
  enum Kind : std::uint8_t { stage_event, field_event, amount_event, money_payload };
  union {
    HistoryEvent event;                  // stage_event
    FieldEvent field;                    // field_event, amount_event
    alignas(8) unsigned char money[16];  // money_payload: the bytes of a Money
  };
  std::uint64_t after_seq;  // 0: no predecessor in another shard
  std::uint32_t after_shard;
  Kind kind;
};
static_assert(sizeof(StagedRecord) == 32);
static_assert(sizeof(Money) <= 16 && std::is_trivially_copyable_v<Money>);

// One writer thread's staging ring: a single-producer / single-consumer queue.
// The owning thread writes records and publishes how many with one release
// store per operation (no read-modify-write, no line another writer touches);
// the merger (one at a time) reads published records and hands the slots back
// through `consumed`.
struct HistoryShard {
  static constexpr std::uint64_t kCapacity = 1024;  // records (32 KiB, within L1), a power of two
  // Owner's line.
  alignas(64) std::uint64_t written = 0;  // records written (published or not)
  std::uint64_t known_consumed = 0;       // the last `consumed` the owner read
  std::uint32_t index = 0;                // position in the engine's shard list
  std::thread::id owner;                  // the thread it was made for (reused after a cache eviction)
  std::unique_ptr<StagedRecord[]> ring = std::make_unique<StagedRecord[]>(kCapacity);
  std::atomic<std::uint64_t> published{0};  // owner -> merger: records readable
  // Merger's line.
  alignas(64) std::atomic<std::uint64_t> consumed{0};  // merger -> owner: records merged
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
