// Exact combination counts: see include/dealflow/routing/lint_count.h.
#include "dealflow/routing/lint_count.h"

#include <algorithm>

namespace dealflow::routing {

CombinationCount::CombinationCount(std::uint64_t value) : small_(value) {}

std::vector<std::uint32_t> CombinationCount::limbs() const {
  if (!big_.empty()) return big_;
  std::vector<std::uint32_t> out;
  if (small_ != 0) out.push_back(static_cast<std::uint32_t>(small_));
  if ((small_ >> 32) != 0) out.push_back(static_cast<std::uint32_t>(small_ >> 32));
  return out;
}

void CombinationCount::assign(std::vector<std::uint32_t> limbs) {
  while (!limbs.empty() && limbs.back() == 0) limbs.pop_back();
  if (limbs.size() <= 2) {
    small_ = 0;
    for (std::size_t i = limbs.size(); i-- > 0;) small_ = (small_ << 32) | limbs[i];
    big_.clear();
  } else {
    small_ = 0;
    big_ = std::move(limbs);
  }
}

void CombinationCount::add(const CombinationCount& other) {
  if (big_.empty() && other.big_.empty()) {
    std::uint64_t sum = 0;
    if (!__builtin_add_overflow(small_, other.small_, &sum)) {
      small_ = sum;
      return;
    }
  }
  std::vector<std::uint32_t> a = limbs();
  const std::vector<std::uint32_t> b = other.limbs();
  if (a.size() < b.size()) a.resize(b.size(), 0);
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::uint64_t s = std::uint64_t{a[i]} + (i < b.size() ? b[i] : 0) + carry;
    a[i] = static_cast<std::uint32_t>(s);
    carry = s >> 32;
  }
  if (carry) a.push_back(static_cast<std::uint32_t>(carry));
  assign(std::move(a));
}

void CombinationCount::multiply(std::uint32_t factor) {
  if (big_.empty()) {
    std::uint64_t product = 0;
    if (!__builtin_mul_overflow(small_, std::uint64_t{factor}, &product)) {
      small_ = product;
      return;
    }
  }
  std::vector<std::uint32_t> a = limbs();
  std::uint64_t carry = 0;
  for (auto& limb : a) {
    const std::uint64_t p = std::uint64_t{limb} * factor + carry;
    limb = static_cast<std::uint32_t>(p);
    carry = p >> 32;
  }
  if (carry) a.push_back(static_cast<std::uint32_t>(carry));
  assign(std::move(a));
}

bool CombinationCount::is_zero() const noexcept { return big_.empty() && small_ == 0; }

std::optional<std::uint64_t> CombinationCount::to_u64() const noexcept {
  if (!big_.empty()) return std::nullopt;
  return small_;
}

std::string CombinationCount::to_string() const {
  if (big_.empty()) return std::to_string(small_);
  std::vector<std::uint32_t> a = big_;
  std::string digits;
  while (!a.empty()) {
    // Divide by 10^9, collecting the remainder as nine digits.
    std::uint64_t rem = 0;
    for (std::size_t i = a.size(); i-- > 0;) {
      const std::uint64_t cur = (rem << 32) | a[i];
      a[i] = static_cast<std::uint32_t>(cur / 1'000'000'000u);
      rem = cur % 1'000'000'000u;
    }
    while (!a.empty() && a.back() == 0) a.pop_back();
    std::string chunk = std::to_string(rem);
    if (!a.empty()) chunk.insert(0, 9 - chunk.size(), '0');
    digits.insert(0, chunk);
  }
  return digits;
}

bool operator==(const CombinationCount& a, const CombinationCount& b) noexcept {
  return a.small_ == b.small_ && a.big_ == b.big_;
}

std::strong_ordering operator<=>(const CombinationCount& a, const CombinationCount& b) noexcept {
  if (a.big_.empty() && b.big_.empty()) return a.small_ <=> b.small_;
  if (a.big_.size() != b.big_.size()) return a.big_.size() <=> b.big_.size();  // empty big_ = fewer limbs
  for (std::size_t i = a.big_.size(); i-- > 0;) {
    if (a.big_[i] != b.big_[i]) return a.big_[i] <=> b.big_[i];
  }
  return std::strong_ordering::equal;
}

}  // namespace dealflow::routing
