// Cube algebra for lint: see lint_cubes.h.
#include "lint_cubes.h"

#include <algorithm>
#include <bit>
#include <numeric>

namespace dealflow::routing::detail {

CubeSpace::CubeSpace(const std::vector<std::uint32_t>& sizes) {
  std::uint32_t offset = 0;
  for (std::uint32_t s : sizes) {
    Dim d;
    d.size = s;
    d.offset = offset;
    d.words = (s + 63) / 64;
    offset += d.words;
    dims_.push_back(d);
  }
  words_ = offset;
  full_.assign(words_, 0);
  for (const Dim& d : dims_) {
    for (std::uint32_t v = 0; v < d.size; ++v) set_bit(full_.data(), d, v);
  }
}

CubeSpace::CubeSpace(std::vector<std::vector<std::uint32_t>> weights) {
  std::vector<std::uint32_t> sizes;
  for (const auto& w : weights) sizes.push_back(static_cast<std::uint32_t>(w.size()));
  *this = CubeSpace(sizes);
  bool all_one = true;
  for (const auto& w : weights) {
    for (std::uint32_t x : w) all_one &= x == 1;
  }
  if (!all_one) weights_ = std::move(weights);
}

void CubeSpace::fill_universe(Word* c) const { std::copy(full_.begin(), full_.end(), c); }

bool CubeSpace::dim_empty(const Word* c, std::size_t d) const noexcept {
  const Dim& dim = dims_[d];
  for (std::uint32_t w = 0; w < dim.words; ++w) {
    if (c[dim.offset + w] != 0) return false;
  }
  return true;
}

bool CubeSpace::dim_full(const Word* c, std::size_t d) const noexcept {
  const Dim& dim = dims_[d];
  for (std::uint32_t w = 0; w < dim.words; ++w) {
    if (c[dim.offset + w] != full_[dim.offset + w]) return false;
  }
  return true;
}

bool CubeSpace::is_empty(const Word* c) const noexcept {
  for (std::size_t d = 0; d < dims_.size(); ++d) {
    if (dim_empty(c, d)) return true;
  }
  return false;
}

std::uint32_t CubeSpace::popcount(const Word* c, std::size_t d) const noexcept {
  const Dim& dim = dims_[d];
  std::uint32_t n = 0;
  for (std::uint32_t w = 0; w < dim.words; ++w) n += static_cast<std::uint32_t>(std::popcount(c[dim.offset + w]));
  return n;
}

std::uint64_t CubeSpace::weight(const Word* c, std::size_t d) const noexcept {
  if (weights_.empty()) return popcount(c, d);
  const Dim& dim = dims_[d];
  const std::vector<std::uint32_t>& w = weights_[d];
  std::uint64_t sum = 0;
  for (std::uint32_t i = 0; i < dim.words; ++i) {
    Word bits = c[dim.offset + i];
    while (bits != 0) {
      sum += w[i * 64 + static_cast<std::uint32_t>(std::countr_zero(bits))];
      bits &= bits - 1;
    }
  }
  return sum;
}

bool CubeSpace::intersects(const Word* a, const Word* b) const noexcept {
  for (const Dim& dim : dims_) {
    Word any = 0;
    for (std::uint32_t w = 0; w < dim.words; ++w) any |= a[dim.offset + w] & b[dim.offset + w];
    if (any == 0) return false;
  }
  return true;
}

bool CubeSpace::intersects_except(const Word* a, const Word* b, std::size_t skip) const noexcept {
  for (std::size_t d = 0; d < dims_.size(); ++d) {
    if (d == skip) continue;
    const Dim& dim = dims_[d];
    Word any = 0;
    for (std::uint32_t w = 0; w < dim.words; ++w) any |= a[dim.offset + w] & b[dim.offset + w];
    if (any == 0) return false;
  }
  return true;
}

bool CubeSpace::contains(const Word* outer, const Word* inner) const noexcept {
  for (std::size_t w = 0; w < words_; ++w) {
    if ((inner[w] & ~outer[w]) != 0) return false;
  }
  return true;
}

bool CubeSpace::equal(const Word* a, const Word* b) const noexcept { return std::equal(a, a + words_, b); }

void CubeSpace::intersect_into(const Word* a, const Word* b, Word* out) const noexcept {
  for (std::size_t w = 0; w < words_; ++w) out[w] = a[w] & b[w];
}

bool CubeSpace::sharp_into(const Word* a, const Word* b, CubeList& out) const {
  if (!intersects(a, b)) {
    out.push(a);
    return false;
  }
  // The last cube of `out` is what is left of a after the pieces so far: it
  // narrows to b one dimension at a time, and ends inside b (dropped).
  out.push(a);
  for (const Dim& dim : dims_) {
    {
      const Word* rest = out[out.size() - 1];
      bool differs = false;
      for (std::uint32_t w = 0; w < dim.words; ++w) {
        if ((rest[dim.offset + w] & ~b[dim.offset + w]) != 0) differs = true;
      }
      if (!differs) continue;
    }
    // Duplicate the remainder: the earlier copy becomes the piece
    // (rest_d \ b_d), the new last copy continues with rest_d ∩ b_d.
    out.push_zero();
    Word* piece = out[out.size() - 2];
    Word* next = out[out.size() - 1];
    std::copy(piece, piece + words_, next);
    for (std::uint32_t w = 0; w < dim.words; ++w) {
      piece[dim.offset + w] &= ~b[dim.offset + w];
      next[dim.offset + w] &= b[dim.offset + w];
    }
  }
  out.pop();  // the remainder lies inside b
  return true;
}

bool CubeSpace::subtract(CubeList& list, const Word* r, CubeList& scratch) const {
  scratch.clear();
  bool hit = false;
  for (std::size_t i = 0; i < list.size(); ++i) hit |= sharp_into(list[i], r, scratch);
  if (hit) list.swap(scratch);
  return hit;
}

void CubeSpace::compact(CubeList& list, int rounds) const {
  if (list.size() < 2) return;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys;
  std::vector<char> dead;
  for (int round = 0; round < rounds; ++round) {
    bool merged_any = false;
    for (std::size_t d = 0; d < dims_.size(); ++d) {
      const Dim& dim = dims_[d];
      const std::size_t n = list.size();
      // Group cubes by a hash of their words outside dimension d; equal
      // hashes are confirmed word by word before merging.
      keys.resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        const Word* c = list[i];
        std::uint64_t h = 0x9E3779B97F4A7C15ull;
        for (std::size_t w = 0; w < words_; ++w) {
          if (w >= dim.offset && w < dim.offset + dim.words) continue;
          h ^= c[w] + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
        }
        keys[i] = {h, static_cast<std::uint32_t>(i)};
      }
      std::sort(keys.begin(), keys.end());
      dead.assign(n, 0);
      bool merged = false;
      auto same_outside = [&](const Word* a, const Word* b) {
        for (std::size_t w = 0; w < words_; ++w) {
          if (w >= dim.offset && w < dim.offset + dim.words) continue;
          if (a[w] != b[w]) return false;
        }
        return true;
      };
      for (std::size_t i = 0; i < n;) {
        std::size_t j = i + 1;
        while (j < n && keys[j].first == keys[i].first) ++j;
        for (std::size_t x = i; x < j; ++x) {
          if (dead[keys[x].second]) continue;
          Word* keep = list[keys[x].second];
          for (std::size_t y = x + 1; y < j; ++y) {
            if (dead[keys[y].second]) continue;
            const Word* other = list[keys[y].second];
            if (!same_outside(keep, other)) continue;
            for (std::uint32_t w = 0; w < dim.words; ++w) keep[dim.offset + w] |= other[dim.offset + w];
            dead[keys[y].second] = 1;
            merged = true;
          }
        }
        i = j;
      }
      if (!merged) continue;
      merged_any = true;
      std::size_t out = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (dead[i]) continue;
        if (out != i) std::copy(list[i], list[i] + words_, list[out]);
        ++out;
      }
      list.truncate(out);
    }
    if (!merged_any) break;
  }
}

void CubeSpace::count(const Word* c, CombinationCount& add_to) const {
  CombinationCount product(1);
  for (std::size_t d = 0; d < dims_.size(); ++d) {
    const std::uint64_t w = weight(c, d);  // <= values of one attribute: fits 32 bits
    product.multiply(static_cast<std::uint32_t>(w));
    if (product.is_zero()) return;
  }
  add_to.add(product);
}

CombinationCount CubeSpace::count(const Word* c) const {
  CombinationCount n;
  count(c, n);
  return n;
}

CombinationCount CubeSpace::count(const CubeList& list) const {
  CombinationCount n;
  for (std::size_t i = 0; i < list.size(); ++i) count(list[i], n);
  return n;
}

}  // namespace dealflow::routing::detail
