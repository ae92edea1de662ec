// dealflow/routing/erlang.h: Erlang C (M/M/c) staffing for inbound leads.
//
// Inbound leads arrive at rate λ (per hour, Poisson) and take h seconds each
// (exponential); N managers answer them from one queue. With offered load
// A = λ·h (in Erlangs) this header computes, for a given N:
//   wait probability P_W (Erlang C), average speed of answer ASA = P_W·h/(N−A),
//   service level SL(t) = 1 − P_W·e^(−(N−A)·t/h) and occupancy A/N;
// and, for a target service level, the fewest managers that reach it
// (optionally also keeping occupancy under a maximum), plus the scheduled
// headcount once shrinkage (breaks, training, absence) is accounted for:
// scheduled = ceil(needed / (1 − shrinkage)).
//
// Numerics: Erlang B by the recurrence B0 = 1, Bn = A·B(n−1)/(n + A·B(n−1)),
// which stays in [0, 1] (no factorials, no powers), then
// C = N·B/(N − A·(1 − B)). Exact to double precision for N in the thousands
// and A in the tens of thousands. N ≤ A is an unstable queue (it grows without
// bound): the result says so (`stable == false`, P_W = 1, SL = 0, no ASA)
// instead of returning NaN. Definitions: docs/staffing.md.
//
// Thread-safety: pure functions on values.
//
// Example:
//   using namespace dealflow::routing;
//   InboundQueue q{.arrivals_per_hour = 200, .handle_seconds = 180, .answer_within_seconds = 20};
//   Result<QueueMetrics> m = erlang_c(q, 14);      // P_W 0.17413, SL 0.88835, ASA 7.84 s
//   StaffingTarget goal{.service_level = 0.8, .max_occupancy = 0.85, .shrinkage = 0.3};
//   Result<StaffingPlan> plan = managers_for(q, goal);
//   // plan->needed managers answer leads; plan->scheduled must be on the roster.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dealflow/core/status.h"

namespace dealflow::routing {

// One inbound queue. All values must be finite; arrivals ≥ 0, handle > 0,
// answer-within ≥ 0.
struct InboundQueue {
  double arrivals_per_hour = 0;       // λ, leads per hour
  double handle_seconds = 0;          // h, mean time a manager spends on one lead
  double answer_within_seconds = 0;   // t, the service-level threshold
};

// Erlang B blocking probability for offered load `a` (Erlangs, ≥ 0) and
// `managers` servers, by the stable recurrence. erlang_b(a, 0) == 1.
double erlang_b(double offered_load, std::uint32_t managers) noexcept;

// Erlang C wait probability from Erlang B: C = N·B/(N − A(1 − B)).
// Defined for N > A; returns 1 for N ≤ A (every lead waits).
double erlang_c_from_b(double offered_load, std::uint32_t managers, double erlang_b_value) noexcept;

// What N managers achieve on a queue.
struct QueueMetrics {
  std::uint32_t managers = 0;
  double offered_load = 0;      // A = λ·h/3600, Erlangs
  bool stable = false;          // N > A (or A == 0)
  double wait_probability = 1;  // P_W: probability that a lead waits at all
  double service_level = 0;     // SL(t): share of leads answered within t
  // ASA = P_W·h/(N − A), seconds, over all leads (those that wait and those
  // that do not). nullopt when the queue is unstable (the wait is unbounded).
  std::optional<double> average_speed_of_answer_seconds;
  // A/N: share of the managers' time spent on leads; capped at 1 when unstable.
  double occupancy = 0;
};

// Metrics for `managers` ≥ 1 managers. invalid_argument on negative, NaN or
// infinite inputs, handle_seconds == 0, or managers == 0.
Result<QueueMetrics> erlang_c(const InboundQueue& queue, std::uint32_t managers);

// What to staff for.
struct StaffingTarget {
  double service_level = 0.8;            // in (0, 1): share answered within t
  std::optional<double> max_occupancy;   // in (0, 1]; none = no occupancy limit
  double shrinkage = 0;                  // in [0, 1): share of paid time not answering leads
};

// Which requirement set the number of managers.
enum class StaffingBound { service_level, occupancy };

struct StaffingPlan {
  std::uint32_t needed = 0;     // fewest managers answering that meet the target
  std::uint32_t scheduled = 0;  // ceil(needed / (1 − shrinkage))
  StaffingBound bound = StaffingBound::service_level;
  QueueMetrics metrics;         // at `needed`
};

// Upper limit on the managers the search will consider; a target that needs
// more is refused (invalid_argument) rather than looping.
inline constexpr std::uint32_t kMaxManagersSearched = 10'000'000;

// The fewest managers N > A with SL(t) ≥ target (and A/N ≤ max_occupancy when
// given), found by walking the Erlang B recurrence once: O(N) in total.
// invalid_argument on bad queue values or a target outside its range.
Result<StaffingPlan> managers_for(const InboundQueue& queue, const StaffingTarget& target);

// ceil(needed / (1 − shrinkage)), tolerant of the rounding in the division
// (14 / 0.7 is 20, not 21). shrinkage must be in [0, 1).
std::uint32_t scheduled_headcount(std::uint32_t needed, double shrinkage) noexcept;

// One specialized queue of a split (e.g. a region or product pool).
struct SplitQueue {
  std::string name;
  double arrivals_per_hour = 0;
};

// Pooled vs split: the same leads answered from one queue, or from one queue
// per specialization (same handle time and threshold), for the same target.
struct PoolingComparison {
  StaffingPlan pooled;                  // one queue with Σλ
  std::vector<StaffingPlan> split;      // one per SplitQueue, in input order
  std::uint32_t split_needed_total = 0;
  std::uint32_t split_scheduled_total = 0;
  // What specialization costs: split totals minus the pooled plan (≥ 0 in
  // practice; signed so an unusual case is reported as it is).
  std::int64_t extra_needed = 0;
  std::int64_t extra_scheduled = 0;
};

// invalid_argument when `queues` is empty or a queue is invalid. A queue with
// λ = 0 needs 0 managers (nobody has to wait for it).
Result<PoolingComparison> compare_pooled_split(const std::vector<SplitQueue>& queues, double handle_seconds,
                                               double answer_within_seconds, const StaffingTarget& target);

}  // namespace dealflow::routing
