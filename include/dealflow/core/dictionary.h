// dealflow/core/dictionary.h: interning UTF-8 strings into dense integer codes.
//
// A `Dictionary` maps each distinct string to a code 0, 1, 2, ... in order of
// first appearance, and back. Routing and analytics compile strings (regions,
// products, manager ids, stage ids) into these codes once, so hot paths compare
// integers. Strings are stored as given (byte-exact UTF-8, no normalization).
//
// Thread-safety: `find`, `at` and `size` are safe to call concurrently on a
// dictionary no thread is modifying; `intern` needs exclusive access.
//
// Example:
//   dealflow::Dictionary regions;
//   std::uint32_t msk = regions.intern("Москва");    // 0
//   regions.intern("Сибирь");                        // 1
//   assert(regions.find("Москва") == msk && regions.at(1) == "Сибирь");
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dealflow {

class Dictionary {
 public:
  using Code = std::uint32_t;

  Dictionary() = default;
  Dictionary(const Dictionary& other);
  Dictionary& operator=(const Dictionary& other);
  Dictionary(Dictionary&&) noexcept = default;
  Dictionary& operator=(Dictionary&&) noexcept = default;

  // The code of `value`, adding it when new.
  Code intern(std::string_view value);
  // The code of `value`, or nullopt when it was never interned.
  std::optional<Code> find(std::string_view value) const;
  // The string of a code; `code` must be < size(). The view stays valid for
  // the dictionary's life (interning more never moves stored strings).
  std::string_view at(Code code) const { return values_[code]; }
  std::size_t size() const noexcept { return values_.size(); }
  bool empty() const noexcept { return values_.empty(); }
  // Approximate heap bytes used (strings, index).
  std::size_t memory_bytes() const noexcept;
  // Reserves index room for `values` strings.
  void reserve(std::size_t values);

 private:
  std::string_view store(std::string_view value);
  void grow(std::size_t slots);

  // Strings live in blocks that never move (a new block when one is full).
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t block_used_ = 0, block_size_ = 0;
  std::vector<std::string_view> values_;
  // Open addressing, linear probing: (hash >> 32) << 32 | (code + 1); 0 = empty.
  std::vector<std::uint64_t> slots_;
  std::size_t arena_bytes_ = 0;
};

}  // namespace dealflow
