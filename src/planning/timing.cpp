// Time from entering a stage to won / lost: see dealflow/planning/timing.h.
#include "dealflow/planning/timing.h"

#include <algorithm>

#include "analytics/report_context.h"

namespace dealflow::planning {

namespace {

constexpr std::uint8_t kWon = 1, kLost = 2;
// Times are whole minutes (floor): fewer distinct times, a shorter sort key; ample for sales cycles.
constexpr std::int64_t kUnit = 60;

struct PendingVisit {
  std::uint16_t stage;
  std::int64_t start;  // unix seconds
};

}  // namespace

Result<TimingModel> TimingModel::fit(const analytics::EventLog& log, const Pipeline& pipeline,
                                     Instant train_from, Instant as_of) {
  if (train_from > as_of)
    return Status(ErrorCode::invalid_argument, "timing model: the training window starts (" +
                                                   format_iso(train_from) + ") after its end (" +
                                                   format_iso(as_of) + ")");
  auto ctx = analytics::detail::ReportContext::create(log, pipeline, std::nullopt, std::nullopt, as_of);
  if (!ctx) return ctx.status();
  const std::size_t stage_count = pipeline.stage_count();
  std::vector<std::vector<analytics::SurvivalObservation>> obs(stage_count);
  std::vector<std::uint8_t> kind(stage_count, 0);  // 0 open, 1 won, 2 lost
  for (std::size_t s = 0; s < stage_count; ++s) {
    const StageKind k = pipeline.stage(StageId{static_cast<std::uint16_t>(s)}).kind;
    kind[s] = k == StageKind::won ? kWon : k == StageKind::lost ? kLost : 0;
  }
  const std::int64_t from = train_from.unix_seconds(), to = as_of.unix_seconds();
  std::vector<std::uint32_t> seen(stage_count, 0xFFFFFFFFu);  // last deal that visited the stage
  std::vector<PendingVisit> pending;
  for (std::size_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{static_cast<std::uint32_t>(i)};
    if (!ctx->exists(d)) continue;
    const analytics::detail::DealState st = ctx->state(d);
    if (st.begin >= st.end) continue;
    pending.clear();
    for (std::uint32_t e = st.begin; e < st.end; ++e) {
      const std::uint16_t s = log.event_stage(e).value();
      if (s >= stage_count) continue;
      const std::int64_t at = log.event_at(e).unix_seconds();
      if (kind[s] == 0) {
        if (seen[s] == i) continue;  // only the first visit per deal
        seen[s] = static_cast<std::uint32_t>(i);
        if (at >= from && at <= to) pending.push_back({s, at});
      } else {
        for (const PendingVisit& p : pending) obs[p.stage].push_back({(at - p.start) / kUnit, kind[s]});
        pending.clear();
      }
    }
    for (const PendingVisit& p : pending)
      obs[p.stage].push_back({(to - p.start) / kUnit, analytics::kCensored});
  }
  TimingModel model;
  model.train_from_ = train_from;
  model.as_of_ = as_of;
  model.stages_.resize(stage_count);
  for (std::size_t s = 0; s < stage_count; ++s) {
    StageTiming& t = model.stages_[s];
    t.stage = StageId{static_cast<std::uint16_t>(s)};
    if (kind[s] != 0 || obs[s].empty()) continue;
    t.visits = obs[s].size();
    for (const auto& o : obs[s]) {
      t.won += o.cause == kWon;
      t.lost += o.cause == kLost;
    }
    auto cr = analytics::CompetingRisks::fit(obs[s], 2);
    if (!cr) return cr.status();
    t.curve = std::move(*cr);
  }
  return model;
}

OutcomeProbabilities TimingModel::probabilities(StageId stage, std::int64_t age_seconds,
                                                std::int64_t horizon_seconds) const noexcept {
  const StageTiming* t = this->stage(stage);
  if (!t || !t->curve) return {};
  const std::int64_t age = std::max<std::int64_t>(age_seconds, 0);
  const std::int64_t a = age / kUnit, b = (age + std::max<std::int64_t>(horizon_seconds, 0)) / kUnit;
  const double s = t->curve->survival(a);
  if (!(s > 0.0)) return {};
  OutcomeProbabilities p;
  p.won = std::clamp((t->curve->incidence(kWon, b) - t->curve->incidence(kWon, a)) / s, 0.0, 1.0);
  p.lost = std::clamp((t->curve->incidence(kLost, b) - t->curve->incidence(kLost, a)) / s, 0.0, 1.0 - p.won);
  return p;
}

}  // namespace dealflow::planning
