// Erlang C staffing: see include/dealflow/routing/erlang.h and docs/staffing.md.
#include "dealflow/routing/erlang.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace dealflow::routing {

namespace {

std::string number(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

Status check_queue(const InboundQueue& q) {
  if (!std::isfinite(q.arrivals_per_hour) || q.arrivals_per_hour < 0) {
    return Status(ErrorCode::invalid_argument,
                  "arrivals per hour must be a finite number >= 0, got " + number(q.arrivals_per_hour));
  }
  if (!std::isfinite(q.handle_seconds) || q.handle_seconds <= 0) {
    return Status(ErrorCode::invalid_argument,
                  "handle seconds must be a finite number > 0, got " + number(q.handle_seconds));
  }
  if (!std::isfinite(q.answer_within_seconds) || q.answer_within_seconds < 0) {
    return Status(ErrorCode::invalid_argument,
                  "answer-within seconds must be a finite number >= 0, got " + number(q.answer_within_seconds));
  }
  const double a = q.arrivals_per_hour * q.handle_seconds / 3600.0;
  if (!std::isfinite(a) || a >= static_cast<double>(kMaxManagersSearched)) {
    return Status(ErrorCode::invalid_argument, "offered load " + number(a) + " Erlangs is beyond " +
                                                   std::to_string(kMaxManagersSearched) + " managers");
  }
  return {};
}

Status check_target(const StaffingTarget& t) {
  if (!std::isfinite(t.service_level) || t.service_level <= 0 || t.service_level >= 1) {
    return Status(ErrorCode::invalid_argument,
                  "target service level must be in (0, 1), got " + number(t.service_level));
  }
  if (t.max_occupancy && (!std::isfinite(*t.max_occupancy) || *t.max_occupancy <= 0 || *t.max_occupancy > 1)) {
    return Status(ErrorCode::invalid_argument,
                  "maximum occupancy must be in (0, 1], got " + number(*t.max_occupancy));
  }
  if (!std::isfinite(t.shrinkage) || t.shrinkage < 0 || t.shrinkage >= 1) {
    return Status(ErrorCode::invalid_argument, "shrinkage must be in [0, 1), got " + number(t.shrinkage));
  }
  return {};
}

double offered_load(const InboundQueue& q) { return q.arrivals_per_hour * q.handle_seconds / 3600.0; }

// Metrics from a known Erlang B value (shared by erlang_c and the search).
QueueMetrics metrics_from_b(const InboundQueue& q, double a, std::uint32_t n, double b) {
  QueueMetrics m;
  m.managers = n;
  m.offered_load = a;
  const double nd = static_cast<double>(n);
  if (a == 0) {
    m.stable = true;
    m.wait_probability = 0;
    m.service_level = 1;
    m.average_speed_of_answer_seconds = 0.0;
    m.occupancy = 0;
    return m;
  }
  if (nd <= a) {
    m.stable = false;
    m.wait_probability = 1;
    m.service_level = 0;
    m.average_speed_of_answer_seconds = std::nullopt;
    m.occupancy = 1;
    return m;
  }
  m.stable = true;
  const double pw = erlang_c_from_b(a, n, b);
  m.wait_probability = pw;
  m.average_speed_of_answer_seconds = pw * q.handle_seconds / (nd - a);
  m.service_level = 1.0 - pw * std::exp(-(nd - a) * q.answer_within_seconds / q.handle_seconds);
  m.occupancy = a / nd;
  return m;
}

// Smallest N with a/N <= max_occupancy, allowing for rounding in the division
// (a = 8, 0.8 gives 10, not 11).
std::uint32_t occupancy_floor(double a, double max_occupancy) {
  const double x = a / max_occupancy;
  double n = std::ceil(x);
  if (n >= 1 && (n - 1) >= x * (1 - 1e-12)) n -= 1;
  return static_cast<std::uint32_t>(std::max(1.0, n));
}

}  // namespace

double erlang_b(double a, std::uint32_t managers) noexcept {
  double b = 1.0;
  for (std::uint32_t n = 1; n <= managers; ++n) {
    const double ab = a * b;
    b = ab / (static_cast<double>(n) + ab);
  }
  return b;
}

double erlang_c_from_b(double a, std::uint32_t managers, double b) noexcept {
  const double n = static_cast<double>(managers);
  if (a <= 0) return 0;
  if (n <= a) return 1;
  const double c = n * b / (n - a * (1.0 - b));
  return std::clamp(c, 0.0, 1.0);
}

Result<QueueMetrics> erlang_c(const InboundQueue& queue, std::uint32_t managers) {
  DEALFLOW_RETURN_IF_ERROR(check_queue(queue));
  if (managers == 0) return Status(ErrorCode::invalid_argument, "managers must be at least 1, got 0");
  const double a = offered_load(queue);
  return metrics_from_b(queue, a, managers, erlang_b(a, managers));
}

std::uint32_t scheduled_headcount(std::uint32_t needed, double shrinkage) noexcept {
  if (needed == 0) return 0;
  const double x = static_cast<double>(needed) / (1.0 - shrinkage);
  double n = std::ceil(x);
  if ((n - 1) >= x * (1 - 1e-12)) n -= 1;
  return static_cast<std::uint32_t>(std::max(static_cast<double>(needed), n));
}

Result<StaffingPlan> managers_for(const InboundQueue& queue, const StaffingTarget& target) {
  DEALFLOW_RETURN_IF_ERROR(check_queue(queue));
  DEALFLOW_RETURN_IF_ERROR(check_target(target));
  const double a = offered_load(queue);
  StaffingPlan plan;
  if (a == 0) {
    plan.needed = 0;
    plan.scheduled = 0;
    plan.metrics = metrics_from_b(queue, 0, 0, 1);
    return plan;
  }
  // Walk the recurrence up to the first stable N, then one step at a time
  // until the service level is reached: every B_n is computed exactly once.
  const auto first_stable = static_cast<std::uint32_t>(std::floor(a)) + 1;
  double b = erlang_b(a, first_stable);
  std::uint32_t n = first_stable;
  QueueMetrics m = metrics_from_b(queue, a, n, b);
  while (m.service_level < target.service_level) {
    if (n >= kMaxManagersSearched) {
      return Status(ErrorCode::invalid_argument, "service level " + number(target.service_level) +
                                                     " needs more than " + std::to_string(kMaxManagersSearched) +
                                                     " managers");
    }
    ++n;
    const double ab = a * b;
    b = ab / (static_cast<double>(n) + ab);
    m = metrics_from_b(queue, a, n, b);
  }
  plan.bound = StaffingBound::service_level;
  if (target.max_occupancy) {
    const std::uint32_t by_occupancy = occupancy_floor(a, *target.max_occupancy);
    if (by_occupancy > n) {
      for (std::uint32_t k = n + 1; k <= by_occupancy; ++k) {
        const double ab = a * b;
        b = ab / (static_cast<double>(k) + ab);
      }
      n = by_occupancy;
      m = metrics_from_b(queue, a, n, b);
      plan.bound = StaffingBound::occupancy;
    }
  }
  plan.needed = n;
  plan.scheduled = scheduled_headcount(n, target.shrinkage);
  plan.metrics = m;
  return plan;
}

Result<PoolingComparison> compare_pooled_split(const std::vector<SplitQueue>& queues, double handle_seconds,
                                               double answer_within_seconds, const StaffingTarget& target) {
  if (queues.empty()) return Status(ErrorCode::invalid_argument, "pooled vs split needs at least one queue");
  PoolingComparison out;
  double total = 0;
  for (const SplitQueue& sq : queues) {
    InboundQueue q{sq.arrivals_per_hour, handle_seconds, answer_within_seconds};
    Result<StaffingPlan> plan = managers_for(q, target);
    if (!plan) return plan.status().with_context("queue '" + sq.name + "'");
    out.split_needed_total += plan->needed;
    out.split_scheduled_total += plan->scheduled;
    out.split.push_back(*plan);
    total += sq.arrivals_per_hour;
  }
  Result<StaffingPlan> pooled = managers_for(InboundQueue{total, handle_seconds, answer_within_seconds}, target);
  if (!pooled) return pooled.status().with_context("pooled queue");
  out.pooled = *pooled;
  out.extra_needed = static_cast<std::int64_t>(out.split_needed_total) - out.pooled.needed;
  out.extra_scheduled = static_cast<std::int64_t>(out.split_scheduled_total) - out.pooled.scheduled;
  return out;
}

}  // namespace dealflow::routing
