#include "dealflow/core/dictionary.h"

#include "dealflow/core/hash.h"

#include <cstring>

namespace dealflow {

namespace {

constexpr std::size_t kBlockBytes = 64 * 1024;

}  // namespace

Dictionary::Dictionary(const Dictionary& other) {
  reserve(other.size());
  for (std::string_view v : other.values_) (void)intern(v);
}

Dictionary& Dictionary::operator=(const Dictionary& other) {
  if (this != &other) {
    Dictionary copy(other);
    *this = std::move(copy);
  }
  return *this;
}

std::string_view Dictionary::store(std::string_view value) {
  if (value.empty()) return std::string_view();
  if (blocks_.empty() || value.size() > block_size_ - block_used_) {
    const std::size_t size = value.size() > kBlockBytes / 4 ? value.size() : kBlockBytes;
    // Not zero-filled: only the bytes written below are ever read (a zeroed 64 KB block cost
    // a memset and 16 page faults per dictionary, most of a small file's load time).
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(size));
    block_size_ = size;
    block_used_ = 0;
    arena_bytes_ += size;
  }
  char* dst = blocks_.back().get() + block_used_;
  std::memcpy(dst, value.data(), value.size());
  block_used_ += value.size();
  return std::string_view(dst, value.size());
}

// A slot holds the hash's high 32 bits (the tag) and code + 1; the tag also
// picks the bucket, so growing moves slots without hashing strings again.
inline std::size_t bucket_of(std::uint64_t slot_or_hash_high, std::size_t mask) noexcept {
  return static_cast<std::size_t>((slot_or_hash_high >> 32) * 0x9E3779B97F4A7C15ull >> 20) & mask;
}

void Dictionary::grow(std::size_t slots) {
  std::vector<std::uint64_t> next(slots, 0);
  const std::size_t mask = slots - 1;
  for (const std::uint64_t slot : slots_) {
    if (slot == 0) continue;
    std::size_t i = bucket_of(slot, mask);
    while (next[i] != 0) i = (i + 1) & mask;
    next[i] = slot;
  }
  slots_ = std::move(next);
}

void Dictionary::reserve(std::size_t values) {
  values_.reserve(values);
  std::size_t slots = slots_.empty() ? 16 : slots_.size();
  while (slots < values * 2) slots *= 2;
  if (slots != slots_.size()) grow(slots);
}

Dictionary::Code Dictionary::intern(std::string_view value) {
  if ((values_.size() + 1) * 2 > slots_.size()) grow(slots_.empty() ? 16 : slots_.size() * 2);
  const std::uint64_t h = detail::hash_bytes(value);
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = bucket_of(h, mask);
  for (;; i = (i + 1) & mask) {
    const std::uint64_t slot = slots_[i];
    if (slot == 0) break;
    const auto code = static_cast<Code>(slot - 1);  // low 32 bits
    if (static_cast<std::uint32_t>(slot >> 32) == tag && values_[code] == value) return code;
  }
  const auto code = static_cast<Code>(values_.size());
  values_.push_back(store(value));
  slots_[i] = (static_cast<std::uint64_t>(tag) << 32) | (static_cast<std::uint64_t>(code) + 1);
  return code;
}

std::optional<Dictionary::Code> Dictionary::find(std::string_view value) const {
  if (slots_.empty()) return std::nullopt;
  const std::uint64_t h = detail::hash_bytes(value);
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = bucket_of(h, mask);; i = (i + 1) & mask) {
    const std::uint64_t slot = slots_[i];
    if (slot == 0) return std::nullopt;
    const auto code = static_cast<Code>(slot - 1);
    if (static_cast<std::uint32_t>(slot >> 32) == tag && values_[code] == value) return code;
  }
}

std::size_t Dictionary::memory_bytes() const noexcept {
  return arena_bytes_ + values_.capacity() * sizeof(std::string_view) +
         slots_.capacity() * sizeof(std::uint64_t) + blocks_.capacity() * sizeof(void*);
}

}  // namespace dealflow
