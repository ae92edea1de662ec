// Stale deals: see dealflow/analytics/stale.h.
#include "dealflow/analytics/stale.h"

#include <algorithm>

#include "analytics/report_context.h"
#include "dealflow/analytics/durations.h"

namespace dealflow::analytics {

std::string StaleReport::definition() {
  return "stale: open at the report instant and no move since entering the current stage for longer than the "
         "stage SLA (in the SLA's basis) or than the stage's Kaplan-Meier 90th percentile of time in stage "
         "(latest visit, running visits censored, same cohort); strictly longer";
}

Result<StaleReport> find_stale_deals(const EventLog& log, const Pipeline& pipeline, const StaleQuery& query) {
  DurationQuery dq;
  dq.from = query.from;
  dq.to = query.to;
  dq.as_of = query.as_of;
  dq.basis = query.basis;
  dq.calendar = query.calendar;
  auto durations = compute_durations(log, pipeline, dq);
  if (!durations) return durations.status();
  return find_stale_deals(log, pipeline, query, *durations);
}

Result<StaleReport> find_stale_deals(const EventLog& log, const Pipeline& pipeline, const StaleQuery& query,
                                     const DurationReport& durations) {
  auto ctx = detail::ReportContext::create(log, pipeline, query.from, query.to, query.as_of);
  if (!ctx) return ctx.status();
  const DurationDefinition& d = durations.definition;
  if (d.pipeline_id != pipeline.id() || d.as_of != ctx->as_of() || d.basis != query.basis ||
      d.from != query.from || d.to != query.to ||
      durations.total.stages.size() != pipeline.open_stages().size()) {
    return Status(ErrorCode::invalid_argument,
                  "the duration report was computed for another pipeline, cohort, report instant or basis");
  }

  StaleReport report;
  report.as_of = ctx->as_of();
  report.basis = query.basis;
  const BusinessCalendar default_calendar;
  const BusinessCalendar* sla_calendar = query.calendar ? query.calendar : &default_calendar;
  const detail::DurationMeasure measure(query.basis, query.calendar);
  const detail::DurationMeasure business(TimeBasis::business, sla_calendar);
  const detail::DurationMeasure calendar_time(TimeBasis::calendar, nullptr);

  const auto open = pipeline.open_stages();
  for (std::size_t p = 0; p < open.size(); ++p) {
    StaleThreshold t;
    t.stage = open[p];
    t.stage_id = pipeline.stage(open[p]).id;
    if (query.use_sla) t.sla = pipeline.stage(open[p]).sla;
    if (query.use_p90) t.p90 = durations.total.stages[p].latest_visit.p90;
    if (t.sla && t.sla->basis == TimeBasis::business && !query.calendar) report.default_sla_calendar = true;
    report.stages.push_back(std::move(t));
  }

  const std::optional<DimensionId> manager = log.find_dimension("manager");
  for (std::size_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{static_cast<std::uint32_t>(i)};
    if (!ctx->in_cohort(d)) continue;
    const detail::DealState st = ctx->state(d);
    if (st.outcome != detail::Outcome::open) continue;
    const int pos = ctx->position(st.stage);
    if (pos < 0) continue;
    StaleThreshold& t = report.stages[static_cast<std::size_t>(pos)];
    ++t.open_deals;
    StaleDeal s;
    s.idle = measure(st.stage_since, ctx->as_of());
    if (t.sla) {
      s.sla_idle =
          (t.sla->basis == TimeBasis::business ? business : calendar_time)(st.stage_since, ctx->as_of());
      s.over_sla = *s.sla_idle > t.sla->limit.count();
    }
    s.over_p90 = t.p90 && s.idle > *t.p90;
    if (!s.over_sla && !s.over_p90) continue;
    ++t.stale_deals;
    s.deal = d;
    s.deal_key = std::string(log.deal_key(d));
    if (manager) s.manager = std::string(log.dimension_value_as_of(d, *manager, ctx->as_of()));  // owner then
    s.stage = st.stage;
    s.stage_id = t.stage_id;
    s.since = st.stage_since;
    report.deals.push_back(std::move(s));
  }
  std::sort(report.deals.begin(), report.deals.end(), [&](const StaleDeal& a, const StaleDeal& b) {
    const int pa = ctx->position(a.stage), pb = ctx->position(b.stage);
    if (pa != pb) return pa < pb;
    if (a.idle != b.idle) return a.idle > b.idle;
    return a.deal_key < b.deal_key;
  });
  return report;
}

}  // namespace dealflow::analytics
