// dealflow/core/ids.h: strong integer ids.
//
// Every entity that dealflow indexes (deals, stages, pipelines, managers, rules,
// teams, ...) gets a dense 32-bit id of its own type. Ids of different types do
// not convert into each other, so passing a DealId where a ManagerId is expected
// does not compile (tests/core_fail/strong_id_misuse.cpp, run as the
// core.compile.* ctest cases, proves it).
//
// Thread-safety: trivially copyable values.
//
// Example:
//   dealflow::StageId won{3};
//   std::unordered_map<dealflow::StageId, int> counts;  // std::hash is provided
//   counts[won] += 1;
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <limits>

namespace dealflow {

template <class Tag, class Rep = std::uint32_t>
class StrongId {
 public:
  using rep_type = Rep;
  static constexpr Rep kInvalid = std::numeric_limits<Rep>::max();

  constexpr StrongId() noexcept = default;  // invalid
  constexpr explicit StrongId(Rep value) noexcept : value_(value) {}

  constexpr Rep value() const noexcept { return value_; }
  constexpr bool valid() const noexcept { return value_ != kInvalid; }
  static constexpr StrongId invalid() noexcept { return StrongId(); }

  friend constexpr auto operator<=>(StrongId, StrongId) noexcept = default;

 private:
  Rep value_ = kInvalid;
};

using DealId = StrongId<struct DealIdTag>;
using StageId = StrongId<struct StageIdTag, std::uint16_t>;
using PipelineId = StrongId<struct PipelineIdTag, std::uint16_t>;
using ManagerId = StrongId<struct ManagerIdTag>;
using TeamId = StrongId<struct TeamIdTag>;
using RuleId = StrongId<struct RuleIdTag>;
using ClientId = StrongId<struct ClientIdTag>;

}  // namespace dealflow

template <class Tag, class Rep>
struct std::hash<dealflow::StrongId<Tag, Rep>> {
  std::size_t operator()(dealflow::StrongId<Tag, Rep> id) const noexcept {
    return std::hash<Rep>{}(id.value());
  }
};
