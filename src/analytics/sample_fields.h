// Internal: the sample's field history (owner, amount, expected close date,
// probability) drawn from its own random stream, so that adding it changed no
// byte of deals.csv or history.csv. See docs/sample-data.md "Field changes".
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "analytics/sample_random.h"
#include "dealflow/analytics/sample.h"

namespace dealflow::analytics::detail {

struct FieldHistoryInput {
  std::int64_t period_end = 0;  // unix seconds; every change is before it
  std::span<const SampleStageEvent> history;
  std::uint8_t manager = 0;            // the current owner (deals.csv)
  std::span<const std::uint8_t> pool;  // the managers of the owner's role
  std::int64_t amount = 0;             // the current amount (deals.csv), minor units
  bool enterprise = false;
};

struct FieldHistory {
  std::array<SampleFieldChange, 96> changes{};
  std::size_t count = 0;
  std::int64_t close_date = 0;  // the last close_date value, days since the epoch
  int probability = 0;          // the last probability value
  bool reassigned = false;
  int pushes = 0;
  int amount_changes = 0;
};

class FieldHistoryGenerator {
 public:
  explicit FieldHistoryGenerator(std::uint64_t seed);
  // Fills `out` with the deal's changes sorted by time, then field order. The
  // first change of each field is at the deal's creation with the creation
  // value; the last equals the current value.
  void draw(const FieldHistoryInput& in, FieldHistory& out);

 private:
  void add(FieldHistory& out, std::int64_t at, SampleField field, std::int64_t value);
  void draw_managers(const FieldHistoryInput& in, std::int64_t horizon, FieldHistory& out);
  void draw_amounts(const FieldHistoryInput& in, std::int64_t horizon, FieldHistory& out);
  void draw_close_dates(const FieldHistoryInput& in, FieldHistory& out);
  SampleRandom rng_;
};

}  // namespace dealflow::analytics::detail
