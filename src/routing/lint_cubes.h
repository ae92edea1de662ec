// Cube algebra over finite attribute domains (internal to lint).
//
// A cube is a set of values per dimension (a bitset each); it stands for the
// cartesian product of its sets, so one cube of 6 × 100-value sets stands for
// up to 10^12 combinations without listing them. A CubeList stores cubes as
// one flat array of words. The operations lint needs:
//   intersects / contains / intersect_into   per-dimension word ANDs
//   sharp_into(c, r)   c minus r as at most D disjoint cubes (the disjoint
//                      sharp: piece d keeps c's sets on dims > d, r ∩ c on
//                      dims < d, and c_d \ r_d on dim d)
//   subtract(list, r)  the sharp of every cube of a disjoint list
//   compact(list)      merges cubes that differ in one dimension only (keeps
//                      the list disjoint)
//   count              Σ over cubes of Π over dims of the summed weights of
//                      the set bits, exact (CombinationCount). A bit may stand
//                      for a class of several values (its weight); without
//                      weights every bit weighs 1 (a popcount). With zero
//                      dimensions the universe is one combination (the empty
//                      product) and every cube is that combination.
// Cost: every operation is O(W) words per cube, W = Σ ceil(size_d / 64).
//
// Thread-safety: a CubeSpace is immutable; CubeLists are plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "dealflow/routing/lint_count.h"

namespace dealflow::routing::detail {

using Word = std::uint64_t;

class CubeList;

class CubeSpace {
 public:
  struct Dim {
    std::uint32_t size = 0;    // values in the domain
    std::uint32_t offset = 0;  // first word of this dimension in a cube
    std::uint32_t words = 0;
  };

  CubeSpace() = default;
  explicit CubeSpace(const std::vector<std::uint32_t>& sizes);
  // weights[d][bit]: how many values bit `bit` of dimension d stands for.
  explicit CubeSpace(std::vector<std::vector<std::uint32_t>> weights);

  std::size_t dims() const noexcept { return dims_.size(); }
  const Dim& dim(std::size_t d) const { return dims_[d]; }
  std::size_t words() const noexcept { return words_; }

  // Every value of every dimension.
  void fill_universe(Word* c) const;
  static void set_bit(Word* c, const Dim& d, std::uint32_t value) noexcept {
    c[d.offset + value / 64] |= Word{1} << (value % 64);
  }
  static bool test_bit(const Word* c, const Dim& d, std::uint32_t value) noexcept {
    return (c[d.offset + value / 64] >> (value % 64)) & 1u;
  }

  bool is_empty(const Word* c) const noexcept;  // some dimension has no value
  bool dim_empty(const Word* c, std::size_t d) const noexcept;
  bool dim_full(const Word* c, std::size_t d) const noexcept;
  std::uint32_t popcount(const Word* c, std::size_t d) const noexcept;
  // Σ weights of the set bits of dimension d (values, not classes).
  std::uint64_t weight(const Word* c, std::size_t d) const noexcept;
  bool intersects(const Word* a, const Word* b) const noexcept;
  // Whether a and b share values on every dimension except `skip`.
  bool intersects_except(const Word* a, const Word* b, std::size_t skip) const noexcept;
  bool contains(const Word* outer, const Word* inner) const noexcept;
  bool equal(const Word* a, const Word* b) const noexcept;
  void intersect_into(const Word* a, const Word* b, Word* out) const noexcept;

  // Appends the pieces of a \ b to `out` (disjoint, at most dims() of them).
  // Returns false, appending `a` unchanged, when they do not intersect.
  bool sharp_into(const Word* a, const Word* b, CubeList& out) const;
  // list := list \ r. Returns whether any cube of the list intersected r.
  bool subtract(CubeList& list, const Word* r, CubeList& scratch) const;
  // Merges cubes equal on all dimensions but one, for up to `rounds` passes
  // over the dimensions (fewer when a pass merges nothing). Keeps a disjoint
  // list disjoint. O(rounds × dims × n log n).
  void compact(CubeList& list, int rounds = 4) const;

  void count(const Word* c, CombinationCount& add_to) const;
  CombinationCount count(const Word* c) const;
  CombinationCount count(const CubeList& list) const;

 private:
  std::vector<Dim> dims_;
  std::vector<std::vector<std::uint32_t>> weights_;  // empty: every bit weighs 1
  std::vector<Word> full_;  // the universe cube
  std::size_t words_ = 0;
};

// The cube count is kept apart from the words: with zero dimensions (a schema
// without categorical attributes and no rule range) a cube has no words, yet
// the list still holds cubes (each is the one empty combination).
class CubeList {
 public:
  explicit CubeList(std::size_t stride = 0) : stride_(stride) {}
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t stride() const noexcept { return stride_; }
  Word* operator[](std::size_t i) noexcept { return data_.data() + i * stride_; }
  const Word* operator[](std::size_t i) const noexcept { return data_.data() + i * stride_; }
  void push(const Word* c) {
    data_.insert(data_.end(), c, c + stride_);
    ++size_;
  }
  // Appends an all-zero cube and returns it.
  Word* push_zero() {
    data_.resize(data_.size() + stride_, 0);
    ++size_;
    return data_.data() + data_.size() - stride_;
  }
  void pop() {
    data_.resize(data_.size() - stride_);
    --size_;
  }
  void clear() noexcept {
    data_.clear();
    size_ = 0;
  }
  void swap(CubeList& other) noexcept {
    data_.swap(other.data_);
    std::swap(stride_, other.stride_);
    std::swap(size_, other.size_);
  }
  void truncate(std::size_t n) {
    data_.resize(n * stride_);
    size_ = n;
  }

 private:
  std::vector<Word> data_;
  std::size_t stride_;
  std::size_t size_ = 0;
};

}  // namespace dealflow::routing::detail
