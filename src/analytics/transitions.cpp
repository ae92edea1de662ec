// Direct-transition counts: see dealflow/analytics/transitions.h.
#include "dealflow/analytics/transitions.h"

#include "analytics/report_context.h"

namespace dealflow::analytics {

Result<TransitionMatrix> count_transitions(const EventLog& log, const Pipeline& pipeline,
                                           const TransitionQuery& query) {
  auto ctx = detail::ReportContext::create(log, pipeline, query.from, query.to, query.as_of);
  if (!ctx) return ctx.status();
  const auto n = static_cast<Eigen::Index>(pipeline.stage_count());
  TransitionMatrix m;
  m.as_of = ctx->as_of();
  for (const Stage& s : pipeline.stages()) m.stage_ids.push_back(s.id);
  m.counts = CountMatrix::Zero(n, n);
  m.entries = CountVector::Zero(n);
  m.current = CountVector::Zero(n);
  m.sojourn_seconds = CountVector::Zero(n);
  m.completed_visits = CountVector::Zero(n);
  const auto stages = log.stage_column();
  const auto at = log.at_column();
  const std::size_t stage_count = pipeline.stage_count();
  for (std::size_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{static_cast<std::uint32_t>(i)};
    if (!ctx->in_cohort(d)) continue;
    ++m.deals;
    const detail::DealState st = ctx->state(d);
    if (st.end == st.begin) continue;
    if (stages[st.begin].value() < stage_count) ++m.entries(stages[st.begin].value());
    if (st.stage.value() < stage_count) ++m.current(st.stage.value());
    std::uint32_t run_start = st.begin;
    for (std::uint32_t e = st.begin + 1; e < st.end; ++e) {
      const StageId from = stages[e - 1], to = stages[e];
      if (from == to) continue;
      if (from.value() < stage_count && to.value() < stage_count) {
        ++m.counts(from.value(), to.value());
        ++m.moves;
        m.sojourn_seconds(from.value()) +=
            static_cast<std::int64_t>(at[e]) - static_cast<std::int64_t>(at[run_start]);
        ++m.completed_visits(from.value());
      }
      run_start = e;
    }
  }
  m.probabilities = Eigen::MatrixXd::Zero(n, n);
  for (Eigen::Index r = 0; r < n; ++r) {
    const std::int64_t total = m.counts.row(r).sum();
    if (total == 0) continue;
    for (Eigen::Index c = 0; c < n; ++c) {
      m.probabilities(r, c) = static_cast<double>(m.counts(r, c)) / static_cast<double>(total);
    }
  }
  return m;
}

}  // namespace dealflow::analytics
