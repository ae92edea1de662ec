// dealflow/analytics/detail/string_index.h: implementation detail of the
// event log (not a stable API). Open-addressing hash tables for strings:
//   StringIndex  owns its keys (one contiguous arena + offsets): string -> dense
//                code 0, 1, 2, ... in order of first insertion; about 25 bytes
//                per short key, one probe per lookup on average. Keys that
//                are consecutive decimal integers (CRM ids "1001", "1002",
//                ...) need no hash table at all: while every key is the
//                first key's number plus its code, lookups parse the number
//                (the table is built on the first key that breaks the run).
// Thread-safety: const member functions may run concurrently; mutation needs
// exclusive access.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "dealflow/core/hash.h"

namespace dealflow::analytics::detail {

struct SnapshotAccess;  // snapshot.h stores and restores the table as it is

using ::dealflow::detail::hash_bytes;

class StringIndex {
 public:
  std::size_t size() const noexcept { return offsets_.size() - 1; }
  std::string_view at(std::uint32_t code) const noexcept {
    return {arena_.data() + offsets_[code], static_cast<std::size_t>(offsets_[code + 1] - offsets_[code])};
  }
  std::optional<std::uint32_t> find(std::string_view key) const noexcept {
    if (dense_) {
      std::uint64_t v = 0;
      if (!parse_decimal(key, &v) || v < dense_base_ || v - dense_base_ >= size()) return std::nullopt;
      return static_cast<std::uint32_t>(v - dense_base_);
    }
    if (slots_.empty()) return std::nullopt;
    const std::uint64_t h = hash_bytes(key);
    const std::uint32_t tag = static_cast<std::uint32_t>(h >> 32);
    for (std::size_t i = bucket(h, mask_);; i = (i + 1) & mask_) {
      const std::uint64_t slot = slots_[i];
      if (slot == 0) return std::nullopt;
      const std::uint32_t code = static_cast<std::uint32_t>(slot) - 1;
      if (static_cast<std::uint32_t>(slot >> 32) == tag && at(code) == key) return code;
    }
  }
  // The code of `key` and whether it was added now.
  std::pair<std::uint32_t, bool> intern(std::string_view key) {
    if (dense_) {
      std::uint64_t v = 0;
      const bool decimal = parse_decimal(key, &v);
      if (size() == 0 && decimal && v <= kMaxDenseBase) dense_base_ = v;
      if (decimal && v >= dense_base_ && v - dense_base_ <= size()) {
        if (v - dense_base_ < size()) return {static_cast<std::uint32_t>(v - dense_base_), false};
        return {append(key), true};
      }
      // The run of consecutive ids ends: index every key from now on.
      dense_ = false;
      std::size_t n = 16;
      while ((size() + 1) * 2 > n) n *= 2;
      grow(n);
    }
    if ((size() + 1) * 2 > slots_.size()) grow();
    const std::uint64_t h = hash_bytes(key);
    const std::uint32_t tag = static_cast<std::uint32_t>(h >> 32);
    std::size_t i = bucket(h, mask_);
    for (;; i = (i + 1) & mask_) {
      const std::uint64_t slot = slots_[i];
      if (slot == 0) break;
      const std::uint32_t code = static_cast<std::uint32_t>(slot) - 1;
      if (static_cast<std::uint32_t>(slot >> 32) == tag && at(code) == key) return {code, false};
    }
    const auto code = append(key);
    slots_[i] = (static_cast<std::uint64_t>(tag) << 32) | (code + 1u);
    return {code, true};
  }
  void reserve(std::size_t keys, std::size_t bytes) {
    offsets_.reserve(keys + 1);
    arena_.reserve(bytes);
    if (!dense_) {
      std::size_t n = slots_.empty() ? 16 : slots_.size();
      while (n < keys * 2) n *= 2;
      if (n != slots_.size()) grow(n);
    }
  }
  // Whether the keys so far are consecutive decimal integers (no hash table).
  bool dense() const noexcept { return dense_; }
  std::size_t memory_bytes() const noexcept {
    return arena_.capacity() + offsets_.capacity() * sizeof(std::uint64_t) +
           slots_.capacity() * sizeof(std::uint64_t);
  }

  // A canonical decimal: 1..19 digits, no sign, no leading zero (but "0").
  static bool parse_decimal(std::string_view s, std::uint64_t* out) noexcept {
    if (s.empty() || s.size() > 19 || (s[0] == '0' && s.size() > 1)) return false;
    std::uint64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    *out = v;
    return true;
  }

 private:
  friend struct SnapshotAccess;
  static constexpr std::uint64_t kMaxDenseBase = 1'000'000'000'000'000'000ull;
  std::uint32_t append(std::string_view key) {
    const auto code = static_cast<std::uint32_t>(size());
    arena_.insert(arena_.end(), key.begin(), key.end());
    offsets_.push_back(arena_.size());
    return code;
  }
  void grow() { grow(slots_.empty() ? 16 : slots_.size() * 2); }
  // The bucket comes from the hash's high 32 bits, which the slot keeps as
  // its tag: growing moves slots without hashing the keys again.
  static std::size_t bucket(std::uint64_t hash_or_slot, std::size_t mask) noexcept {
    return static_cast<std::size_t>((hash_or_slot >> 32) * 0x9E3779B97F4A7C15ull >> 20) & mask;
  }
  void grow(std::size_t n) {
    std::vector<std::uint64_t> slots(n, 0);
    const std::size_t mask = n - 1;
    if (slots_.empty() && size() > 0) {
      // Leaving the dense run: hash every key once.
      for (std::uint32_t code = 0; code < size(); ++code) {
        const std::uint64_t h = hash_bytes(at(code));
        std::size_t i = bucket(h, mask);
        while (slots[i] != 0) i = (i + 1) & mask;
        slots[i] = ((h >> 32) << 32) | (code + 1u);
      }
    } else {
      for (const std::uint64_t slot : slots_) {
        if (slot == 0) continue;
        std::size_t i = bucket(slot, mask);
        while (slots[i] != 0) i = (i + 1) & mask;
        slots[i] = slot;
      }
    }
    slots_ = std::move(slots);
    mask_ = mask;
  }

  std::vector<char> arena_;
  std::vector<std::uint64_t> offsets_{0};
  std::vector<std::uint64_t> slots_;  // (hash >> 32) << 32 | (code + 1); 0 = empty
  std::size_t mask_ = 0;
  bool dense_ = true;             // every key is dense_base_ + its code, in decimal
  std::uint64_t dense_base_ = 0;  // the first key's number
};

}  // namespace dealflow::analytics::detail
