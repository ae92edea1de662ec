// dealflow/routing/lint_count.h: exact counts of attribute combinations.
//
// Lint counts combinations of attribute values (a product of set sizes per
// attribute, summed over cubes). Six attributes of a thousand values each are
// 10^18 combinations and sixteen overflow any machine integer, so the count is
// an exact unsigned integer of arbitrary size: never saturated, never rounded.
// Counts that fit in 64 bits stay in one word (no allocation).
//
// Thread-safety: a plain value.
//
// Example:
//   dealflow::routing::CombinationCount n(100);
//   n.multiply(1000);                 // 100000
//   n.add(CombinationCount(5));       // 100005
//   n.to_string();                    // "100005"
//   n.to_u64();                       // optional<uint64_t>{100005}
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dealflow::routing {

class CombinationCount {
 public:
  CombinationCount() = default;
  explicit CombinationCount(std::uint64_t value);

  void add(const CombinationCount& other);
  void multiply(std::uint32_t factor);

  bool is_zero() const noexcept;
  // The value when it fits in 64 bits.
  std::optional<std::uint64_t> to_u64() const noexcept;
  // Decimal digits, e.g. "1000000000000000000000".
  std::string to_string() const;

  friend bool operator==(const CombinationCount& a, const CombinationCount& b) noexcept;
  friend std::strong_ordering operator<=>(const CombinationCount& a, const CombinationCount& b) noexcept;

 private:
  std::vector<std::uint32_t> limbs() const;   // little-endian base 2^32
  void assign(std::vector<std::uint32_t> limbs);
  std::uint64_t small_ = 0;            // the value while big_ is empty
  std::vector<std::uint32_t> big_;     // little-endian base 2^32, > 64 bits only
};

}  // namespace dealflow::routing
