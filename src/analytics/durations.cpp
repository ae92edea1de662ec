// Time in stage and cycle length: see dealflow/analytics/durations.h.
#include "dealflow/analytics/durations.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

#include "analytics/report_context.h"
#include "dealflow/analytics/survival.h"

namespace dealflow::analytics {
namespace {

constexpr std::uint8_t kEnded = 1;
constexpr std::uint8_t kWonCause = 1, kLostCause = 2;
constexpr double kQuantiles[4] = {0.25, 0.5, 0.75, 0.9};

struct StageObservations {
  std::vector<SurvivalObservation> first, latest, cumulative;
  std::uint64_t visits = 0;
  std::uint64_t in_stage_now = 0;
};

struct Accumulator {
  std::uint64_t deals = 0, won = 0, lost = 0, open = 0, without_history = 0;
  std::vector<StageObservations> stages;
  std::vector<SurvivalObservation> cycle;
};

std::optional<std::int64_t> naive_mean(std::span<const SurvivalObservation> obs, std::uint8_t cause) {
  std::int64_t sum = 0, n = 0;
  for (const auto& o : obs) {
    if (cause == kCensored ? o.cause != kCensored : o.cause == cause) {
      sum += o.time;
      ++n;
    }
  }
  if (n == 0) return std::nullopt;
  return (sum + n / 2) / n;
}

DurationStats kaplan_meier_stats(std::span<const SurvivalObservation> obs, bool with_mean) {
  DurationStats s;
  auto km = KaplanMeier::fit(obs);  // times are >= 0 by construction
  if (!km) return s;
  s.subjects = km->subjects();
  s.events = km->events();
  s.censored = km->censored();
  std::optional<std::int64_t>* q[4] = {&s.p25, &s.median, &s.p75, &s.p90};
  for (int i = 0; i < 4; ++i) *q[i] = km->quantile(kQuantiles[i]);
  if (with_mean) s.naive_mean_closed = naive_mean(obs, kCensored);
  return s;
}

DurationStats cause_stats(const CompetingRisks& cr, std::span<const SurvivalObservation> obs,
                          std::uint8_t cause, bool with_mean) {
  DurationStats s;
  s.subjects = obs.size();
  for (const auto& o : obs) {
    if (o.cause == cause) {
      ++s.events;
    } else if (o.cause == kCensored) {
      ++s.censored;
    } else {
      ++s.competing;
    }
  }
  std::optional<std::int64_t>* q[4] = {&s.p25, &s.median, &s.p75, &s.p90};
  for (int i = 0; i < 4; ++i) *q[i] = cr.conditional_quantile(cause, kQuantiles[i]);
  if (with_mean) s.naive_mean_closed = naive_mean(obs, cause);
  return s;
}

// Runs tasks[i] for every i, over `threads` std::threads (each task writes its
// own result slot, so the outcome does not depend on the thread count).
void run_tasks(const std::vector<std::function<void()>>& tasks, unsigned threads) {
  if (threads <= 1 || tasks.size() <= 1) {
    for (const auto& t : tasks) t();
    return;
  }
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < tasks.size(); i = next++) tasks[i]();
  };
  std::vector<std::thread> pool;
  for (unsigned k = 1; k < threads; ++k) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

// Observations at which the fits of a report go over threads.
constexpr std::size_t kParallelObservations = 200'000;

unsigned worker_threads(std::size_t work) {
  if (work < kParallelObservations) return 1;
  return std::max(1u, std::min(std::thread::hardware_concurrency(), 8u));
}

DurationFigures finish(const Accumulator& acc, const Pipeline& pipeline, bool with_mean) {
  DurationFigures f;
  f.deals = acc.deals;
  f.won = acc.won;
  f.lost = acc.lost;
  f.open = acc.open;
  f.without_history = acc.without_history;
  const auto open = pipeline.open_stages();
  // One fit per distribution: 3 per stage, the cycle's Kaplan-Meier, its competing risks.
  std::vector<std::function<void()>> tasks;
  f.stages.resize(open.size());
  for (std::size_t p = 0; p < open.size(); ++p) {
    const Stage& st = pipeline.stage(open[p]);
    StageDurationRow& row = f.stages[p];
    row.stage = open[p];
    row.id = st.id;
    row.name = st.name;
    if (p < acc.stages.size()) {
      const StageObservations& o = acc.stages[p];
      row.visits = o.visits;
      row.in_stage_now = o.in_stage_now;
      tasks.emplace_back([&row, &o, with_mean] { row.first_visit = kaplan_meier_stats(o.first, with_mean); });
      tasks.emplace_back(
          [&row, &o, with_mean] { row.latest_visit = kaplan_meier_stats(o.latest, with_mean); });
      tasks.emplace_back(
          [&row, &o, with_mean] { row.cumulative = kaplan_meier_stats(o.cumulative, with_mean); });
    }
  }
  tasks.emplace_back([&] { f.cycle.to_close = kaplan_meier_stats(acc.cycle, with_mean); });
  tasks.emplace_back([&] {
    auto cr = CompetingRisks::fit(acc.cycle, 2);
    if (cr) {
      f.cycle.to_won = cause_stats(*cr, acc.cycle, kWonCause, with_mean);
      f.cycle.to_lost = cause_stats(*cr, acc.cycle, kLostCause, with_mean);
      if (!cr->times().empty()) {
        f.cycle.won_incidence = cr->final_incidence(kWonCause);
        f.cycle.lost_incidence = cr->final_incidence(kLostCause);
      }
    }
  });
  run_tasks(tasks, worker_threads(acc.cycle.size()));
  return f;
}

// Appends b's observations after a's (deal order kept) and adds its counts.
void append(Accumulator& a, Accumulator&& b) {
  a.deals += b.deals;
  a.won += b.won;
  a.lost += b.lost;
  a.open += b.open;
  a.without_history += b.without_history;
  if (a.stages.size() < b.stages.size()) a.stages.resize(b.stages.size());
  for (std::size_t p = 0; p < b.stages.size(); ++p) {
    StageObservations& x = a.stages[p];
    StageObservations& y = b.stages[p];
    x.first.insert(x.first.end(), y.first.begin(), y.first.end());
    x.latest.insert(x.latest.end(), y.latest.begin(), y.latest.end());
    x.cumulative.insert(x.cumulative.end(), y.cumulative.begin(), y.cumulative.end());
    x.visits += y.visits;
    x.in_stage_now += y.in_stage_now;
  }
  a.cycle.insert(a.cycle.end(), b.cycle.begin(), b.cycle.end());
}

// Per-deal scratch for the visits of one deal.
struct VisitScratch {
  explicit VisitScratch(std::size_t m) : first(m), latest(m), cumulative(m, 0), visited(m, false) {}
  std::vector<SurvivalObservation> first, latest;
  std::vector<std::int64_t> cumulative;
  std::vector<bool> visited;
  std::vector<std::size_t> touched;
};

class Collector {
 public:
  Collector(const detail::ReportContext& ctx, const detail::DurationMeasure& measure)
      : ctx_(ctx), measure_(measure), m_(ctx.pipeline().open_stages().size()), scratch_(m_) {}

  void add(DealId d, Accumulator& total, Accumulator* group) {
    const EventLog& log = ctx_.log();
    const detail::DealState st = ctx_.state(d);
    const Instant created = log.created_at(d);
    for (Accumulator* acc : {&total, group}) {
      if (!acc) continue;
      if (acc->stages.size() < m_) acc->stages.resize(m_);
      ++acc->deals;
      switch (st.outcome) {
        case detail::Outcome::won:
          ++acc->won;
          break;
        case detail::Outcome::lost:
          ++acc->lost;
          break;
        case detail::Outcome::open:
          ++acc->open;
          break;
        case detail::Outcome::no_history:
          ++acc->open;
          ++acc->without_history;
          break;
      }
    }

    // Cycle: created -> close, or censored at as_of.
    SurvivalObservation cycle;
    if (st.outcome == detail::Outcome::won || st.outcome == detail::Outcome::lost) {
      cycle = {measure_(created, st.closed_at), st.outcome == detail::Outcome::won ? kWonCause : kLostCause};
    } else {
      cycle = {measure_(created, ctx_.as_of()), kCensored};
    }
    total.cycle.push_back(cycle);
    if (group) group->cycle.push_back(cycle);

    // Visits: runs of one stage.
    const auto stages = log.stage_column();
    for (std::uint32_t i = st.begin; i < st.end;) {
      const StageId s = stages[i];
      std::uint32_t j = i + 1;
      while (j < st.end && stages[j] == s) ++j;
      const int pos = ctx_.position(s);
      if (pos >= 0) {
        const auto p = static_cast<std::size_t>(pos);
        const bool ongoing = j == st.end;
        const std::int64_t dur = measure_(log.event_at(i), ongoing ? ctx_.as_of() : log.event_at(j));
        const SurvivalObservation visit{dur, ongoing ? kCensored : kEnded};
        if (!scratch_.visited[p]) {
          scratch_.visited[p] = true;
          scratch_.first[p] = visit;
          scratch_.cumulative[p] = 0;
          scratch_.touched.push_back(p);
        }
        scratch_.latest[p] = visit;
        scratch_.cumulative[p] += dur;
        ++total.stages[p].visits;
        if (group) ++group->stages[p].visits;
      }
      i = j;
    }
    for (std::size_t p : scratch_.touched) {
      const SurvivalObservation cumulative{scratch_.cumulative[p], scratch_.latest[p].cause};
      for (Accumulator* acc : {&total, group}) {
        if (!acc) continue;
        StageObservations& o = acc->stages[p];
        o.first.push_back(scratch_.first[p]);
        o.latest.push_back(scratch_.latest[p]);
        o.cumulative.push_back(cumulative);
        if (scratch_.latest[p].cause == kCensored) ++o.in_stage_now;
      }
      scratch_.visited[p] = false;
    }
    scratch_.touched.clear();
  }

 private:
  const detail::ReportContext& ctx_;
  const detail::DurationMeasure& measure_;
  std::size_t m_;
  VisitScratch scratch_;
};

}  // namespace

std::string DurationDefinition::visit_text() {
  return "time in stage: a visit is a run of events in one stage, from its first event to the next event in "
         "another stage; first_visit = the first visit, latest_visit = the latest visit, cumulative = the "
         "sum "
         "of all visits; a visit still running at the report instant is censored there";
}

std::string DurationDefinition::cycle_text() {
  return "cycle: created_at to the entry into the final won/lost stage as of the report instant (a reopened "
         "deal counts by its final outcome); to_close = Kaplan-Meier with open deals censored; to_won / "
         "to_lost "
         "= Aalen-Johansen, the other outcome competing, quantiles among deals ending that way as far as "
         "observed";
}

std::string DurationDefinition::quantile_text() {
  return "quantile p = the smallest time t with S(t) <= 1-p (Kaplan-Meier); 'not reached' when the curve "
         "never "
         "gets that low; naive_mean_closed ignores censored observations and is biased low";
}

std::string DurationDefinition::summary() const {
  std::string s = "definition: deals of pipeline " + pipeline_id + " created in [" +
                  detail::format_bound(from, "-inf") + ", " + detail::format_bound(to, "+inf") + "); as of " +
                  format_iso(as_of) + " (later events ignored, open " +
                  "deals and running visits censored there); basis " + std::string(to_string(basis));
  if (basis == TimeBasis::business)
    s += " (calendar " + (calendar_name.empty() ? std::string("unnamed") : calendar_name) + ")";
  if (!group_by.empty()) s += "; by " + group_by;
  return s;
}

Result<DurationReport> compute_durations(const EventLog& log, const Pipeline& pipeline,
                                         const DurationQuery& query) {
  if (query.basis == TimeBasis::business && !query.calendar) {
    return Status(ErrorCode::invalid_argument, "business-time durations need a calendar (--calendar C.json)");
  }
  auto ctx = detail::ReportContext::create(log, pipeline, query.from, query.to, query.as_of);
  if (!ctx) return ctx.status();
  const detail::DurationMeasure measure(query.basis, query.calendar);
  // Groups: the dimension values as of the report instant.
  detail::GroupIndex groups(log, query.group, query.utc_offset_minutes, ctx->as_of());

  Accumulator total;
  std::vector<Accumulator> by_group;
  const unsigned threads = groups.grouped() ? 1 : worker_threads(log.deal_count() + log.event_count());
  if (threads > 1) {
    // Ungrouped and large: shards of deals on threads, their observations
    // appended in deal order (the same vectors as one pass).
    std::vector<Accumulator> shards(threads);
    std::vector<std::thread> pool;
    const std::size_t n = log.deal_count();
    auto shard = [&](unsigned t) {
      Collector c(*ctx, measure);
      for (std::size_t i = n * t / threads; i < n * (t + 1) / threads; ++i) {
        const DealId d{static_cast<std::uint32_t>(i)};
        if (ctx->in_cohort(d)) c.add(d, shards[t], nullptr);
      }
    };
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(shard, t);
    shard(0);
    for (auto& th : pool) th.join();
    total = std::move(shards[0]);
    for (unsigned t = 1; t < threads; ++t) append(total, std::move(shards[t]));
  }
  Collector collector(*ctx, measure);
  for (std::size_t i = 0; threads == 1 && i < log.deal_count(); ++i) {
    const DealId d{static_cast<std::uint32_t>(i)};
    if (!ctx->in_cohort(d)) continue;
    Accumulator* group = nullptr;
    if (groups.grouped()) {
      const std::uint32_t g = groups.group_of(d);
      if (by_group.size() <= g) by_group.resize(std::max<std::size_t>(g + 1, groups.size()));
      group = &by_group[g];
    }
    collector.add(d, total, group);
  }

  DurationReport report;
  DurationDefinition& def = report.definition;
  def.from = query.from;
  def.to = query.to;
  def.as_of = ctx->as_of();
  def.basis = query.basis;
  if (query.basis == TimeBasis::business) def.calendar_name = query.calendar->name();
  def.pipeline_id = pipeline.id();
  def.group_by = groups.name();
  report.total = finish(total, pipeline, query.naive_mean);
  if (query.curves) {
    auto curves = cycle_curves(total.cycle);
    if (!curves) return curves.status();
    report.curves = std::move(*curves);
  }
  if (groups.grouped()) {
    by_group.resize(groups.size());
    for (std::uint32_t g : groups.ordered()) {
      if (by_group[g].deals == 0) continue;
      report.groups.push_back({groups.key(g), finish(by_group[g], pipeline, query.naive_mean)});
    }
  }
  return report;
}

}  // namespace dealflow::analytics
