// dealflow/analytics/survival.h: time-to-event estimates with right censoring.
//
// Sales durations are survival data: a deal still open at the report instant
// has an unknown cycle length, only a lower bound (it is right-censored).
// Averaging closed deals only biases durations low. This header provides
//   * `KaplanMeier`: the product-limit estimate of S(t) = P(T > t), with
//     Greenwood's variance, quantiles and the median;
//   * `CompetingRisks`: the Aalen–Johansen estimate of the cumulative
//     incidence CIF_k(t) = P(T <= t, cause = k) when several outcomes end a
//     subject (won vs lost), with S(t) + sum_k CIF_k(t) = 1.
// Times are integers (seconds of calendar or business time, or any unit the
// caller chooses) so ties are exact; they must lie in 0 .. 2^55 - 1
// (invalid_argument otherwise). Fitting sorts once (radix sort of packed
// time/cause keys): about 65 ms for a million observations.
//
// Conventions (docs/durations.md):
//   * at an instant t, events happen before censorings: a subject censored at
//     t is still at risk at t;
//   * S is right-continuous: survival(t) includes the events at t;
//   * quantile(p) is the smallest event time t with S(t) <= 1 - p (the median
//     is quantile(0.5)); nullopt when the curve never gets that low (say
//     "not reached", never substitute the last time). The comparison allows a
//     relative 1e-12 for rounding of the running product;
//   * Greenwood: Var S(t) = S(t)^2 * sum_{t_j <= t} d_j / (n_j (n_j - d_j));
//     reported as 0 once S(t) = 0.
//
// Thread-safety: immutable after fit; const methods may be called from any
// number of threads.
//
// Example:
//   std::vector<dealflow::analytics::SurvivalObservation> obs = {
//       {6, 1}, {6, 1}, {7, 1}, {9, dealflow::analytics::kCensored}, {10, 1}};
//   auto km = dealflow::analytics::KaplanMeier::fit(obs);
//   double s7 = km->survival(7);                        // (3/5) * (2/3) = 0.4
//   std::optional<std::int64_t> median = km->median();  // 7
//   auto cr = dealflow::analytics::CompetingRisks::fit(obs, 2);
//   double won_by_30 = cr->incidence(1, 30);
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "dealflow/core/status.h"

namespace dealflow::analytics {

// The cause code of a censored observation.
inline constexpr std::uint8_t kCensored = 0;

// One subject: time from its origin to the event or to censoring, and what
// ended the observation (kCensored, or a cause 1..255).
struct SurvivalObservation {
  std::int64_t time = 0;  // >= 0
  std::uint8_t cause = kCensored;
  friend bool operator==(const SurvivalObservation&, const SurvivalObservation&) = default;
};

// One row of the Kaplan–Meier table: a time at which at least one event happened.
struct KaplanMeierStep {
  std::int64_t time = 0;
  std::uint64_t at_risk = 0;   // n_j: subjects with time >= t_j
  std::uint64_t events = 0;    // d_j: events at t_j
  std::uint64_t censored = 0;  // censored at exactly t_j (still at risk at t_j)
  double survival = 1.0;       // S(t_j)
  double variance = 0.0;       // Greenwood variance of S(t_j)
};

class KaplanMeier {
 public:
  // Every cause other than kCensored counts as the event. invalid_argument
  // for a time outside 0 .. 2^55-1 (naming its index). An empty input gives S = 1.
  static Result<KaplanMeier> fit(std::span<const SurvivalObservation> observations);
  // Only `cause` counts as the event; other causes are treated as censored
  // (the "cause-specific" curve; see CompetingRisks for the incidence).
  static Result<KaplanMeier> fit_cause(std::span<const SurvivalObservation> observations, std::uint8_t cause);

  std::size_t subjects() const noexcept { return subjects_; }
  std::size_t events() const noexcept { return events_; }
  std::size_t censored() const noexcept { return subjects_ - events_; }
  std::span<const KaplanMeierStep> steps() const noexcept { return steps_; }

  // S(t) = P(T > t); 1 before the first event.
  double survival(std::int64_t t) const noexcept;
  // Greenwood variance of S(t).
  double variance(std::int64_t t) const noexcept;
  // Smallest event time with S(t) <= 1 - p, p in (0, 1); nullopt when not
  // reached or p outside (0, 1).
  std::optional<std::int64_t> quantile(double p) const noexcept;
  std::optional<std::int64_t> median() const noexcept { return quantile(0.5); }

 private:
  // only_cause < 0: every cause is the event.
  static Result<KaplanMeier> fit_impl(std::span<const SurvivalObservation> observations, int only_cause);
  const KaplanMeierStep* step_at(std::int64_t t) const noexcept;  // last step with time <= t
  std::vector<KaplanMeierStep> steps_;
  std::size_t subjects_ = 0;
  std::size_t events_ = 0;
};

// Aalen–Johansen cumulative incidence for causes 1..cause_count.
//   CIF_k(t) = sum_{t_j <= t} S(t_j-) * d_kj / n_j,   S = all-cause Kaplan–Meier.
class CompetingRisks {
 public:
  // invalid_argument for a time outside 0 .. 2^55-1, a cause above
  // cause_count, or cause_count 0.
  static Result<CompetingRisks> fit(std::span<const SurvivalObservation> observations,
                                    std::uint8_t cause_count);

  std::uint8_t cause_count() const noexcept { return causes_; }
  std::size_t subjects() const noexcept { return subjects_; }
  // Events of one cause over all times.
  std::size_t events(std::uint8_t cause) const noexcept;
  // Times at which at least one event (of any cause) happened, ascending.
  std::span<const std::int64_t> times() const noexcept { return times_; }

  // All-cause S(t).
  double survival(std::int64_t t) const noexcept;
  // CIF_cause(t) = P(T <= t and the cause is `cause`); 0 for an unknown cause.
  double incidence(std::uint8_t cause, std::int64_t t) const noexcept;
  // CIF at the last event time: the share ending by `cause` as far as observed.
  double final_incidence(std::uint8_t cause) const noexcept;
  // Smallest event time with CIF_cause(t) >= p (within 1e-12); nullopt when not reached.
  std::optional<std::int64_t> incidence_quantile(std::uint8_t cause, double p) const noexcept;
  // The quantile among subjects that end by `cause` as far as observed:
  // smallest event time with CIF_cause(t) >= p * final_incidence(cause).
  // E.g. the median time to win among won deals, open deals censored.
  std::optional<std::int64_t> conditional_quantile(std::uint8_t cause, double p) const noexcept;

 private:
  std::ptrdiff_t index_at(std::int64_t t) const noexcept;  // last time <= t, or -1
  std::uint8_t causes_ = 0;
  std::size_t subjects_ = 0;
  std::vector<std::int64_t> times_;
  std::vector<double> survival_;   // per time
  std::vector<double> incidence_;  // times x causes, row-major
  std::vector<std::size_t> events_by_cause_;
};

}  // namespace dealflow::analytics
