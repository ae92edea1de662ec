// The cycle's survival curves as point lists: see dealflow/analytics/survival_curves.h.
#include "dealflow/analytics/survival_curves.h"

#include <algorithm>

namespace dealflow::analytics {

Result<CycleCurves> cycle_curves(std::span<const SurvivalObservation> observations, std::size_t max_points) {
  if (max_points == 0) return Status(ErrorCode::invalid_argument, "curve points: max_points must be > 0");
  auto km = KaplanMeier::fit(observations);
  if (!km) return km.status();
  auto cr = CompetingRisks::fit(observations, 2);
  if (!cr) return cr.status();

  CycleCurves c;
  const auto steps = km->steps();
  c.event_times = steps.size();
  c.stride = steps.size() > max_points ? (steps.size() + max_points - 1) / max_points : 1;
  for (std::size_t i = 0; i < steps.size(); i += c.stride) {
    const std::size_t last = std::min(i + c.stride, steps.size()) - 1;
    SurvivalPoint p{steps[last].time, steps[last].survival, steps[i].at_risk, 0, 0};
    for (std::size_t j = i; j <= last; ++j) {
      p.events += steps[j].events;
      p.censored += steps[j].censored;
    }
    c.to_close.push_back(p);
    // The competing-risks event times are the same distinct times (any cause).
    c.incidence.push_back({p.time, cr->incidence(1, p.time), cr->incidence(2, p.time), cr->survival(p.time)});
  }

  std::vector<std::int64_t> censored;
  for (const auto& o : observations)
    if (o.cause == kCensored) censored.push_back(o.time);
  std::sort(censored.begin(), censored.end());
  censored.erase(std::unique(censored.begin(), censored.end()), censored.end());
  c.censor_count = censored.size();
  c.censor_stride = censored.size() > max_points ? (censored.size() + max_points - 1) / max_points : 1;
  for (std::size_t i = 0; i < censored.size(); i += c.censor_stride) c.censor_times.push_back(censored[i]);
  if (c.censor_stride > 1 && c.censor_times.back() != censored.back())
    c.censor_times.push_back(censored.back());
  return c;
}

}  // namespace dealflow::analytics
