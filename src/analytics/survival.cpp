// Kaplan–Meier and Aalen–Johansen estimators: see dealflow/analytics/survival.h.
#include "dealflow/analytics/survival.h"

#include <algorithm>
#include <string>

namespace dealflow::analytics {
namespace {

constexpr double kTolerance = 1e-12;
// Times are packed with the cause into one 64-bit sort key: time << 8 | cause.
constexpr std::int64_t kMaxTime = (std::int64_t{1} << 55) - 1;

Status check_times(std::span<const SurvivalObservation> observations) {
  for (std::size_t i = 0; i < observations.size(); ++i) {
    if (observations[i].time < 0 || observations[i].time > kMaxTime) {
      return Status(ErrorCode::invalid_argument, "observation " + std::to_string(i) + " has time " +
                                                     std::to_string(observations[i].time) +
                                                     ": expected a duration in 0 .. 2^55-1");
    }
  }
  return {};
}

// LSD radix sort on 16-bit digits, skipping the high digits no key uses
// (durations in seconds need three passes); std::sort for small inputs.
void sort_keys(std::vector<std::uint64_t>& keys) {
  if (keys.size() < 4096) {
    std::sort(keys.begin(), keys.end());
    return;
  }
  std::uint64_t any = 0;
  for (std::uint64_t k : keys) any |= k;
  std::vector<std::uint64_t> buffer(keys.size());
  std::vector<std::size_t> offsets(65536);
  for (int shift = 0; shift < 64 && (any >> shift) != 0; shift += 16) {
    std::fill(offsets.begin(), offsets.end(), 0);
    for (std::uint64_t k : keys) ++offsets[(k >> shift) & 0xFFFF];
    std::size_t sum = 0;
    for (std::size_t& o : offsets) {
      const std::size_t count = o;
      o = sum;
      sum += count;
    }
    for (std::uint64_t k : keys) buffer[offsets[(k >> shift) & 0xFFFF]++] = k;
    keys.swap(buffer);
  }
}

// Sort keys (time << 8 | cause) in ascending order: by time, then cause. The
// estimators count a whole time at once, so the order inside a time is moot.
std::vector<std::uint64_t> sorted_keys(std::span<const SurvivalObservation> observations) {
  std::vector<std::uint64_t> keys(observations.size());
  for (std::size_t i = 0; i < observations.size(); ++i) {
    keys[i] = static_cast<std::uint64_t>(observations[i].time) << 8 | observations[i].cause;
  }
  sort_keys(keys);
  return keys;
}

constexpr std::int64_t key_time(std::uint64_t key) noexcept {
  return static_cast<std::int64_t>(key >> 8);
}
constexpr std::uint8_t key_cause(std::uint64_t key) noexcept {
  return static_cast<std::uint8_t>(key & 0xFF);
}

}  // namespace

Result<KaplanMeier> KaplanMeier::fit_impl(std::span<const SurvivalObservation> observations, int only_cause) {
  DEALFLOW_RETURN_IF_ERROR(check_times(observations));
  const std::vector<std::uint64_t> v = sorted_keys(observations);
  KaplanMeier km;
  km.subjects_ = v.size();
  std::uint64_t at_risk = v.size();
  double s = 1.0, greenwood_sum = 0.0;
  for (std::size_t i = 0; i < v.size();) {
    const std::int64_t t = key_time(v[i]);
    std::uint64_t d = 0, c = 0;
    for (; i < v.size() && key_time(v[i]) == t; ++i) {
      const std::uint8_t cause = key_cause(v[i]);
      const bool event = only_cause < 0 ? cause != kCensored : cause == only_cause;
      (event ? d : c) += 1;
    }
    if (d > 0) {
      s = s * static_cast<double>(at_risk - d) / static_cast<double>(at_risk);
      if (at_risk > d) {
        greenwood_sum +=
            static_cast<double>(d) / (static_cast<double>(at_risk) * static_cast<double>(at_risk - d));
      }
      km.steps_.push_back({t, at_risk, d, c, s, s > 0 ? s * s * greenwood_sum : 0.0});
      km.events_ += d;
    }
    at_risk -= d + c;
  }
  return km;
}

Result<KaplanMeier> KaplanMeier::fit(std::span<const SurvivalObservation> observations) {
  return fit_impl(observations, -1);
}

Result<KaplanMeier> KaplanMeier::fit_cause(std::span<const SurvivalObservation> observations,
                                           std::uint8_t cause) {
  return fit_impl(observations, cause);
}

const KaplanMeierStep* KaplanMeier::step_at(std::int64_t t) const noexcept {
  auto it = std::upper_bound(steps_.begin(), steps_.end(), t,
                             [](std::int64_t value, const KaplanMeierStep& s) { return value < s.time; });
  return it == steps_.begin() ? nullptr : &*(it - 1);
}

double KaplanMeier::survival(std::int64_t t) const noexcept {
  const KaplanMeierStep* s = step_at(t);
  return s ? s->survival : 1.0;
}

double KaplanMeier::variance(std::int64_t t) const noexcept {
  const KaplanMeierStep* s = step_at(t);
  return s ? s->variance : 0.0;
}

std::optional<std::int64_t> KaplanMeier::quantile(double p) const noexcept {
  if (!(p > 0.0 && p < 1.0)) return std::nullopt;
  const double target = 1.0 - p;
  for (const KaplanMeierStep& s : steps_) {
    if (s.survival <= target * (1.0 + kTolerance)) return s.time;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------------------

Result<CompetingRisks> CompetingRisks::fit(std::span<const SurvivalObservation> observations,
                                           std::uint8_t cause_count) {
  if (cause_count == 0)
    return Status(ErrorCode::invalid_argument, "cause_count 0: expected at least one cause");
  DEALFLOW_RETURN_IF_ERROR(check_times(observations));
  for (std::size_t i = 0; i < observations.size(); ++i) {
    if (observations[i].cause > cause_count) {
      return Status(ErrorCode::invalid_argument, "observation " + std::to_string(i) + " has cause " +
                                                     std::to_string(observations[i].cause) +
                                                     ": expected 0 .. " + std::to_string(cause_count));
    }
  }
  const std::vector<std::uint64_t> v = sorted_keys(observations);
  CompetingRisks cr;
  cr.causes_ = cause_count;
  cr.subjects_ = v.size();
  cr.events_by_cause_.assign(cause_count, 0);
  std::vector<std::uint64_t> d(cause_count);
  std::vector<double> cif(cause_count, 0.0);
  std::uint64_t at_risk = v.size();
  double s = 1.0;
  for (std::size_t i = 0; i < v.size();) {
    const std::int64_t t = key_time(v[i]);
    std::fill(d.begin(), d.end(), 0);
    std::uint64_t events = 0, leaving = 0;
    for (; i < v.size() && key_time(v[i]) == t; ++i, ++leaving) {
      const std::uint8_t cause = key_cause(v[i]);
      if (cause != kCensored) {
        ++d[cause - 1u];
        ++events;
      }
    }
    if (events > 0) {
      const double n = static_cast<double>(at_risk);
      for (std::size_t k = 0; k < cause_count; ++k) {
        cif[k] += s * static_cast<double>(d[k]) / n;
        cr.events_by_cause_[k] += d[k];
      }
      s = s * static_cast<double>(at_risk - events) / n;
      cr.times_.push_back(t);
      cr.survival_.push_back(s);
      cr.incidence_.insert(cr.incidence_.end(), cif.begin(), cif.end());
    }
    at_risk -= leaving;
  }
  return cr;
}

std::size_t CompetingRisks::events(std::uint8_t cause) const noexcept {
  return cause >= 1 && cause <= causes_ ? events_by_cause_[cause - 1u] : 0;
}

std::ptrdiff_t CompetingRisks::index_at(std::int64_t t) const noexcept {
  return std::upper_bound(times_.begin(), times_.end(), t) - times_.begin() - 1;
}

double CompetingRisks::survival(std::int64_t t) const noexcept {
  const std::ptrdiff_t i = index_at(t);
  return i < 0 ? 1.0 : survival_[static_cast<std::size_t>(i)];
}

double CompetingRisks::incidence(std::uint8_t cause, std::int64_t t) const noexcept {
  const std::ptrdiff_t i = index_at(t);
  if (i < 0 || cause < 1 || cause > causes_) return 0.0;
  return incidence_[static_cast<std::size_t>(i) * causes_ + (cause - 1u)];
}

double CompetingRisks::final_incidence(std::uint8_t cause) const noexcept {
  if (times_.empty()) return 0.0;
  return incidence(cause, times_.back());
}

std::optional<std::int64_t> CompetingRisks::incidence_quantile(std::uint8_t cause, double p) const noexcept {
  if (cause < 1 || cause > causes_ || !(p > 0.0)) return std::nullopt;
  for (std::size_t i = 0; i < times_.size(); ++i) {
    if (incidence_[i * causes_ + (cause - 1u)] >= p * (1.0 - kTolerance)) return times_[i];
  }
  return std::nullopt;
}

std::optional<std::int64_t> CompetingRisks::conditional_quantile(std::uint8_t cause,
                                                                 double p) const noexcept {
  if (!(p > 0.0 && p <= 1.0)) return std::nullopt;
  const double total = final_incidence(cause);
  if (total <= 0.0) return std::nullopt;
  return incidence_quantile(cause, p * total);
}

}  // namespace dealflow::analytics
