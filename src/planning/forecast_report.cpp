// The forecast report of `dealflow forecast`: see dealflow/planning/forecast.h.
#include <algorithm>
#include <cfenv>
#include <cmath>
#include <map>
#include <string>

#include "analytics/report_context.h"
#include "dealflow/planning/forecast.h"
#include "dealflow/planning/monte_carlo.h"
#include "planning/exact.h"

namespace dealflow::planning {

namespace {

using analytics::detail::AmountSource;
using detail::Int128;
using detail::round_half_even;
using detail::uses_models;
// One deal of the report: its group and amount.
struct Item {
  std::uint32_t group = 0;
  std::int64_t amount = 0;
};

// Scope keys and currencies to dense groups, in output order at the end.
class Groups {
 public:
  std::uint32_t of(const std::optional<std::string>& scope, Currency currency) {
    auto [it, added] =
        index_.try_emplace({scope.has_value() ? 0 : 1, scope.value_or(""), std::string(currency.code())},
                           static_cast<std::uint32_t>(keys_.size()));
    if (added) keys_.push_back({scope, currency});
    return it->second;
  }
  std::size_t size() const noexcept { return keys_.size(); }
  std::vector<std::uint32_t> ordered() const {
    std::vector<std::uint32_t> out;
    for (const auto& [key, g] : index_) out.push_back(g);
    return out;
  }
  const std::optional<std::string>& scope(std::uint32_t g) const { return keys_[g].first; }
  Currency currency(std::uint32_t g) const { return keys_[g].second; }

 private:
  std::map<std::tuple<int, std::string, std::string>, std::uint32_t> index_;
  std::vector<std::pair<std::optional<std::string>, Currency>> keys_;
};

class ScopeOf {
 public:
  ScopeOf(const analytics::EventLog& log, const Pipeline& pipeline, const ForecastScope& scope, Instant as_of)
      : log_(log), pipeline_(pipeline), scope_(scope), as_of_(as_of) {}
  // `owner`: the manager code by the owner rule (as of T, or of closing).
  std::optional<std::string> key(DealId d, std::uint32_t owner) const {
    using K = ForecastScope::Kind;
    const auto manager = analytics::to_dimension_id(analytics::StandardDimension::manager);
    switch (scope_.kind) {
      case K::company:
        return std::string("company");
      case K::pipeline:
        return pipeline_.id();
      case K::team: {
        if (owner == kNoValue) return std::nullopt;
        auto it = scope_.team_of_manager.find(log_.dimension(manager).values.at(owner));
        if (it == scope_.team_of_manager.end()) return std::nullopt;
        return it->second;
      }
      case K::dimension: {
        const std::uint32_t code =
            scope_.dimension == manager ? owner : log_.dimension_code_as_of(d, scope_.dimension, as_of_);
        if (code == kNoValue) return std::nullopt;
        return std::string(log_.dimension(scope_.dimension).values.at(code));
      }
    }
    return std::nullopt;
  }

 private:
  const analytics::EventLog& log_;
  const Pipeline& pipeline_;
  const ForecastScope& scope_;
  Instant as_of_;
};

}  // namespace

Result<ForecastReport> forecast(const analytics::EventLog& log, const Pipeline& pipeline,
                                const ForecastQuery& query) {
  if (query.methods.empty()) return Status(ErrorCode::invalid_argument, "forecast: no method requested");
  if (query.trials == 0) return Status(ErrorCode::invalid_argument, "forecast: trials must be at least 1");
  if (query.scope.kind == ForecastScope::Kind::dimension &&
      query.scope.dimension.value() >= log.dimension_count())
    return Status(ErrorCode::invalid_argument, "forecast: scope '" + query.scope.name + "' names dimension " +
                                                   std::to_string(query.scope.dimension.value()) +
                                                   ", the log has " + std::to_string(log.dimension_count()));
  ForecastReport report;
  report.period = query.period;
  report.as_of = query.as_of.value_or(log.latest_instant());
  report.utc_offset_minutes = query.utc_offset_minutes;
  report.period_begin = query.period.begin_instant(query.utc_offset_minutes);
  report.period_end = query.period.end_instant(query.utc_offset_minutes);
  report.scope = query.scope.kind == ForecastScope::Kind::company ? "company" : query.scope.name;
  report.methods = query.methods;
  report.fit = query.fit;
  report.trials = query.trials;
  report.seed = query.seed;
  report.target = query.target;
  report.converted = query.fx.has_value();

  StateOptions so;
  so.closed_from = report.period_begin;
  auto state = pipeline_state_as_of(log, pipeline, report.as_of, so);
  if (!state) return state.status();
  std::optional<ForecastModels> models;
  if (uses_models(query.methods)) {
    auto m = fit_models(log, pipeline, report.as_of, query.fit);
    if (!m) return m.status();
    models = std::move(*m);
    report.notes = models->notes;
    if (models->markov && std::find(query.methods.begin(), query.methods.end(), ForecastMethod::markov) !=
                              query.methods.end()) {
      const MarkovChain& chain = *models->markov;
      for (std::size_t i = 0; i < chain.transient.size(); ++i) {
        const StageId s = chain.transient[i];
        MarkovStageRow row;
        row.stage = pipeline.stage(s).id;
        row.p_won = chain.p_won(s);
        for (Eigen::Index c = 0; c < chain.B.cols(); ++c)
          if (!chain.absorbing_won[static_cast<std::size_t>(c)])
            row.p_lost += chain.B(static_cast<Eigen::Index>(i), c);
        row.expected_steps = chain.steps_from(s);
        row.mean_sojourn_seconds = chain.mean_sojourn_seconds(static_cast<Eigen::Index>(i));
        row.expected_seconds_to_absorption = chain.seconds_from(s);
        row.exits = i < chain.row_exits.size() ? chain.row_exits[i] : 0;
        row.no_data = std::find(chain.no_data.begin(), chain.no_data.end(), s) != chain.no_data.end();
        report.markov_chain.push_back(std::move(row));
      }
    }
    const bool timing = std::any_of(query.methods.begin(), query.methods.end(), [](ForecastMethod m) {
      return m == ForecastMethod::timing || m == ForecastMethod::monte_carlo;
    });
    if (timing) {
      const std::int64_t horizon = std::max<std::int64_t>(0, (report.period_end - report.as_of).count());
      for (const StageTiming& st : models->timing.stages()) {
        if (st.stage.value() >= pipeline.stage_count() || pipeline.stage(st.stage).kind != StageKind::open)
          continue;
        TimingStageRow row;
        row.stage = pipeline.stage(st.stage).id;
        row.visits = st.visits;
        row.won = st.won;
        row.lost = st.lost;
        for (std::size_t k = 0; k < kTimingAgesDays.size(); ++k)
          row.p_won_by_age[k] =
              models->timing.probabilities(st.stage, std::int64_t{kTimingAgesDays[k]} * 86400, horizon).won;
        report.timing_by_age.push_back(std::move(row));
      }
    }
  } else {
    models = ForecastModels{report.as_of, std::nullopt, {}, {}};
  }
  auto amounts = AmountSource::create(log, query.fx, report.as_of);
  if (!amounts) return amounts.status();
  const ScopeOf scope_of(log, pipeline, query.scope, report.as_of);
  Groups groups;

  // The fact: won deals closed in [period begin, as_of] (closed_from = begin).
  std::vector<std::int64_t> fact, fact_deals;
  auto grow = [&] {
    fact.resize(groups.size(), 0);
    fact_deals.resize(groups.size(), 0);
  };
  std::int64_t without_amount = 0;
  for (const ClosedDeal& c : state->closed) {
    if (!c.won || c.closed_at >= report.period_end) continue;
    auto a = amounts->amount(c.deal, c.closed_at);
    if (!a) return a.status();
    if (!*a) {
      ++without_amount;
      continue;
    }
    const std::uint32_t g = groups.of(scope_of.key(c.deal, c.owner), (*a)->currency());
    grow();
    if (__builtin_add_overflow(fact[g], (*a)->minor_units(), &fact[g]))
      return Status(ErrorCode::overflow,
                    "forecast: the won amount overflows at deal " + std::string(log.deal_key(c.deal)));
    ++fact_deals[g];
  }
  // Open deals with an amount (the others cannot add to a won amount).
  std::vector<Item> open(state->open.size());
  std::vector<bool> has_amount(state->open.size(), false);
  for (std::size_t i = 0; i < state->open.size(); ++i) {
    const OpenDeal& d = state->open[i];
    auto a = amounts->amount(d.deal, std::nullopt);
    if (!a) return a.status();
    if (!*a) {
      ++without_amount;
      continue;
    }
    has_amount[i] = true;
    open[i] = {groups.of(scope_of.key(d.deal, d.owner), (*a)->currency()), (*a)->minor_units()};
  }
  grow();
  if (without_amount > 0)
    report.notes.push_back(std::to_string(without_amount) + " deal(s) without an amount are not counted");
  const bool ended = report.as_of >= report.period_end;
  if (ended)
    report.notes.push_back(
        "the period ended before as_of: every forecast is the fact (no open deal can still "
        "be won in it)");
  // The close-date rule (forecast.h): the expected close date lies in the period.
  const Date end_date = report.period_end.date(query.utc_offset_minutes);
  const Date first_date = report.period_begin.date(query.utc_offset_minutes);
  auto expected_in_period = [&](std::size_t i) {
    const OpenDeal& d = state->open[i];
    return !ended && has_amount[i] && d.close_date && *d.close_date < end_date && *d.close_date >= first_date;
  };
  std::vector<std::int64_t> open_count(groups.size(), 0);
  for (std::size_t i = 0; i < open.size(); ++i) open_count[open[i].group] += has_amount[i];

  const auto order = groups.ordered();
  for (const ForecastMethod method : query.methods) {
    std::vector<std::int64_t> expected(groups.size(), 0);
    std::vector<std::optional<CategoryRollups>> rollups(groups.size());
    std::vector<std::optional<WonDistribution>> dist(groups.size());
    const auto p = ended ? std::vector<double>(open.size(), 0.0)
                         : deal_win_probabilities(method, *models, pipeline, *state, report.period_end,
                                                  query.utc_offset_minutes, report.period_begin);
    if (method == ForecastMethod::weighted) {
      std::vector<Int128> sum(groups.size(), 0);
      for (std::size_t i = 0; i < open.size(); ++i) {
        const OpenDeal& d = state->open[i];
        if (!expected_in_period(i)) continue;
        sum[open[i].group] += static_cast<Int128>(open[i].amount) * effective_probability(pipeline, d);
      }
      for (std::size_t g = 0; g < groups.size(); ++g)
        expected[g] = detail::round_half_even(sum[g], analytics::kProbabilityScale);
    } else if (method == ForecastMethod::categories) {
      std::vector<std::array<std::int64_t, 3>> by(groups.size(), {0, 0, 0});  // commit, best case, pipeline
      for (std::size_t i = 0; i < open.size(); ++i) {
        const OpenDeal& d = state->open[i];
        if (!expected_in_period(i)) continue;
        const int k = d.category == ForecastCategory::commit      ? 0
                      : d.category == ForecastCategory::best_case ? 1
                      : d.category == ForecastCategory::pipeline  ? 2
                                                                  : -1;
        if (k >= 0) by[open[i].group][static_cast<std::size_t>(k)] += open[i].amount;
      }
      for (std::size_t g = 0; g < groups.size(); ++g) {
        CategoryRollups r;
        r.closed = fact[g];
        r.commit = by[g][0] + fact[g];
        r.best_case = by[g][1] + by[g][0] + fact[g];
        r.open_pipeline = by[g][2] + by[g][1] + by[g][0];
        const std::string scope = groups.scope(static_cast<std::uint32_t>(g)).value_or("(none)");
        const Currency cur = groups.currency(static_cast<std::uint32_t>(g));
        const ForecastCategory cats[3] = {ForecastCategory::commit, ForecastCategory::best_case,
                                          ForecastCategory::pipeline};
        for (std::size_t k = 0; k < 3; ++k)
          if (const Adjustment* a = adjustment_in_force(query.adjustments, scope, query.period.label, cats[k],
                                                        cur, report.as_of))
            r.adjusted[k] = *a;
        const std::int64_t commit = r.adjusted[0] ? r.adjusted[0]->amount.minor_units() : r.commit;
        expected[g] = commit - fact[g];
        rollups[g] = r;
      }
    } else if (method == ForecastMethod::monte_carlo) {
      std::vector<SimDeal> deals;
      deals.reserve(open.size());
      for (std::size_t i = 0; i < open.size(); ++i) {
        if (!has_amount[i]) continue;
        const OpenDeal& d = state->open[i];
        OutcomeProbabilities o;
        if (!ended)
          o = timing_window_probabilities(models->timing, d, report.as_of, report.period_begin,
                                          report.period_end);
        // Keyed by the deal's id so a deal's draws do not depend on the other deals.
        deals.push_back(make_sim_deal(o.won, o.lost, std::max<std::int64_t>(open[i].amount, 0), open[i].group,
                                      d.deal.value()));
      }
      const auto negative =
          std::count_if(open.begin(), open.end(), [](const Item& x) { return x.amount < 0; });
      if (negative > 0)
        report.notes.push_back("monte-carlo: " + std::to_string(negative) +
                               " open deal(s) with a negative amount count as 0 in the draws");
      if (query.target && query.scope.kind == ForecastScope::Kind::company &&
          std::none_of(order.begin(), order.end(),
                       [&](std::uint32_t g) { return groups.currency(g) == query.target->currency(); }))
        report.notes.push_back("monte-carlo: no amount in the target's currency " +
                               std::string(query.target->currency().code()) +
                               " (convert with --fx and --report-currency)");
      if (query.target && query.scope.kind != ForecastScope::Kind::company)
        report.notes.push_back(
            "monte-carlo: the target applies to the company scope only; P(>= target) is not "
            "computed per " +
            report.scope);
      auto sim = simulate(deals, groups.size(), {query.trials, query.seed, query.threads});
      if (!sim) return sim.status();
      for (std::size_t g = 0; g < groups.size(); ++g) {
        std::optional<std::int64_t> target;
        const Currency cur = groups.currency(static_cast<std::uint32_t>(g));
        if (query.target && query.target->currency() == cur &&
            query.scope.kind == ForecastScope::Kind::company)
          target = query.target->minor_units();
        auto scoped =
            query.scope_targets.find(groups.scope(static_cast<std::uint32_t>(g)).value_or("(none)"));
        if (scoped != query.scope_targets.end() && scoped->second.currency() == cur)
          target = scoped->second.minor_units();
        const DistributionSummary s = summarize(*sim, g, fact[g], target);
        WonDistribution w;
        w.mean = round_half_even(static_cast<long double>(s.mean));
        w.p10 = s.p10;
        w.p50 = s.p50;
        w.p90 = s.p90;
        w.mean_won_deals = s.mean_won_deals;
        w.mean_lost_deals = s.mean_lost_deals;
        w.p_reach_target = s.p_reach_target;
        w.histogram = histogram(*sim, g, fact[g]);
        expected[g] = w.mean - fact[g];
        dist[g] = w;
      }
    } else {
      std::vector<long double> sum(groups.size(), 0);
      for (std::size_t i = 0; i < open.size(); ++i)
        if (has_amount[i]) sum[open[i].group] += static_cast<long double>(open[i].amount) * p[i];
      for (std::size_t g = 0; g < groups.size(); ++g) expected[g] = round_half_even(sum[g]);
    }
    for (const std::uint32_t g : order) {
      ForecastRow row;
      row.method = method;
      row.scope = groups.scope(g);
      row.currency = groups.currency(g);
      row.fact = fact[g];
      row.fact_deals = fact_deals[g];
      row.expected = expected[g];
      row.forecast = fact[g] + expected[g];
      row.open_deals = open_count[g];
      row.categories = rollups[g];
      row.distribution = dist[g];
      report.rows.push_back(std::move(row));
    }
  }
  // Rows by scope, then method (in the query's order), then currency.
  std::stable_sort(report.rows.begin(), report.rows.end(), [&](const ForecastRow& a, const ForecastRow& b) {
    if (a.scope.has_value() != b.scope.has_value()) return a.scope.has_value();
    if (a.scope != b.scope) return *a.scope < *b.scope;
    return false;
  });
  return report;
}

}  // namespace dealflow::planning
