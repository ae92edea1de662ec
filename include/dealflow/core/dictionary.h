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
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

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
  // The string of a code; `code` must be < size().
  std::string_view at(Code code) const { return values_[code]; }
  std::size_t size() const noexcept { return values_.size(); }
  bool empty() const noexcept { return values_.empty(); }
  // Approximate heap bytes used (strings, index).
  std::size_t memory_bytes() const noexcept;

 private:
  std::deque<std::string> values_;  // deque: string_view keys stay valid on growth
  std::unordered_map<std::string_view, Code> index_;
};

}  // namespace dealflow
