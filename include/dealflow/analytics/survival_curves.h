// dealflow/analytics/survival_curves.h: the cycle's Kaplan–Meier and
// Aalen–Johansen estimates as point lists for charts (`dealflow durations
// --curves`, docs/durations.md "Curves").
//
// From the cycle observations of a duration report (time from created_at to
// the close, cause 1 = won, 2 = lost, kCensored = still open at the report
// instant):
//   * to_close: the Kaplan–Meier S(t) of time to close (won or lost), one
//     point per distinct event time with n_j (at risk), d_j (events) and the
//     censorings at exactly t_j (survival.h's conventions: events before
//     censorings, S right-continuous);
//   * censor_times: the distinct times at which deals were censored, ascending
//     (the tick marks of a KM plot);
//   * incidence: Aalen–Johansen CIF_won(t), CIF_lost(t) and the all-cause S(t)
//     at the same event times (won + lost + survival = 1 at every point, up to
//     rounding).
// Downsampling (only when a list has more than `max_points` entries): runs of
// k = ⌈size / max_points⌉ consecutive points become one, at the run's last
// time, with that time's S / CIF (the curve is exact at every point kept),
// the events and censorings of the run summed and the at-risk count of the
// run's first point (so events and censored still add up to the totals); the
// censor times keep every k-th time and the last. `stride` says k (1: none).
//
// Ownership: plain values. Thread-safety: reentrant.
//
// Example:
//   std::vector<dealflow::analytics::SurvivalObservation> obs = {{6, 1}, {7, 2}, {9, 0}};
//   auto curves = dealflow::analytics::cycle_curves(obs);
//   for (const auto& p : curves->to_close) std::cout << p.time << " " << p.survival << "\n";
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "dealflow/analytics/survival.h"
#include "dealflow/core/status.h"

namespace dealflow::analytics {

struct SurvivalPoint {
  std::int64_t time = 0;
  double survival = 1.0;
  std::uint64_t at_risk = 0;
  std::uint64_t events = 0;
  std::uint64_t censored = 0;  // censored at exactly this time (still at risk at it)
};

struct IncidencePoint {
  std::int64_t time = 0;
  double won = 0.0;       // CIF of cause 1
  double lost = 0.0;      // CIF of cause 2
  double survival = 1.0;  // all-cause S(t)
};

struct CycleCurves {
  std::vector<SurvivalPoint> to_close;
  std::vector<std::int64_t> censor_times;
  std::vector<IncidencePoint> incidence;
  std::size_t event_times = 0;    // distinct event times before downsampling
  std::size_t censor_count = 0;   // distinct censor times before downsampling
  std::size_t stride = 1;         // points merged into one (to_close and incidence)
  std::size_t censor_stride = 1;  // censor_times kept every censor_stride-th
};

inline constexpr std::size_t kMaxCurvePoints = 2000;

// Errors: as KaplanMeier::fit and CompetingRisks::fit (a time outside
// 0 .. 2^55-1, a cause above 2), and invalid_argument for max_points 0.
Result<CycleCurves> cycle_curves(std::span<const SurvivalObservation> observations,
                                 std::size_t max_points = kMaxCurvePoints);

}  // namespace dealflow::analytics
