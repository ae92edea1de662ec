// The pipeline at an instant: see dealflow/planning/pipeline_state.h.
#include "dealflow/planning/pipeline_state.h"

#include <algorithm>
#include <cmath>

#include "analytics/report_context.h"
#include "planning/category_decoder.h"

namespace dealflow::planning {

std::uint32_t stage_probability(const Pipeline& pipeline, StageId stage) noexcept {
  if (stage.value() >= pipeline.stage_count()) return 0;
  const double p = pipeline.stage(stage).probability;
  return static_cast<std::uint32_t>(std::lround(std::clamp(p, 0.0, 1.0) * analytics::kProbabilityScale));
}

Result<PipelineState> pipeline_state_as_of(const analytics::EventLog& log, const Pipeline& pipeline,
                                           Instant as_of, const StateOptions& options) {
  auto ctx = analytics::detail::ReportContext::create(log, pipeline, std::nullopt, std::nullopt, as_of);
  if (!ctx) return ctx.status();
  PipelineState state;
  state.as_of = as_of;
  if (auto code = log.pipelines().find(pipeline.id()))
    state.pipeline = PipelineId{static_cast<std::uint16_t>(*code)};
  const auto manager = analytics::to_dimension_id(analytics::StandardDimension::manager);
  const detail::CategoryDecoder categories(log);
  const std::size_t stage_count = pipeline.stage_count();
  for (std::size_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{static_cast<std::uint32_t>(i)};
    if (!ctx->exists(d)) continue;
    const analytics::detail::DealState st = ctx->state(d);
    if (st.outcome == analytics::detail::Outcome::no_history || st.stage.value() >= stage_count) continue;
    if (st.outcome == analytics::detail::Outcome::open) {
      OpenDeal o;
      o.deal = d;
      o.stage = st.stage;
      o.created_at = log.created_at(d);
      o.stage_entered = st.stage_since;
      o.amount = log.amount_as_of(d, as_of);
      o.close_date = log.close_date_as_of(d, as_of);
      o.probability = log.probability_as_of(d, as_of);
      o.owner = log.dimension_code_as_of(d, manager, as_of);
      const auto& dim = categories.dimension();
      o.category = categories.category(dim ? log.dimension_code_as_of(d, *dim, as_of) : kNoValue,
                                       pipeline.stage(st.stage));
      state.open.push_back(o);
    } else if (options.include_closed && (!options.closed_from || st.closed_at >= *options.closed_from)) {
      ClosedDeal c;
      c.deal = d;
      c.stage = st.stage;
      c.won = st.outcome == analytics::detail::Outcome::won;
      c.closed_at = st.closed_at;
      c.amount = log.amount_as_of(d, as_of);
      c.owner = log.dimension_code_as_of(d, manager, st.closed_at);
      state.closed.push_back(c);
    }
  }
  return state;
}

}  // namespace dealflow::planning
