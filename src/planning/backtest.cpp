// The backtest: see dealflow/planning/backtest.h. One sweep over the log
// visits every snapshot (the open pipeline then, fact so far) and every
// evaluated period's last second (what was then won); the forecasts of a
// snapshot wait in `pending_` until its period's end is visited.
#include "dealflow/planning/backtest.h"

#include <algorithm>
#include <cfenv>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "analytics/report_context.h"
#include "planning/exact.h"

namespace dealflow::planning {
namespace {

using analytics::detail::AmountSource;
using detail::Int128;
using detail::round_half_even;
using detail::uses_models;
// The per-deal probabilities of one method at a snapshot: the one dispatch
// point to the forecast methods (forecast.h).
std::vector<double> method_probabilities(ForecastMethod method, const ForecastModels& models,
                                         const Pipeline& pipeline, const PipelineState& state,
                                         Instant period_begin, Instant period_end, int utc_offset_minutes) {
  return deal_win_probabilities(method, models, pipeline, state, period_end, utc_offset_minutes,
                                period_begin);
}

// An open deal of a snapshot waiting for its outcome.
struct PredictedDeal {
  DealId deal;
  std::uint32_t scope = 0;
};

// A snapshot whose period has not ended yet in the sweep.
struct PendingSnapshot {
  std::size_t snapshot = 0;
  std::vector<std::int64_t> fact;                   // per scope
  std::vector<std::vector<std::int64_t>> forecast;  // per method, per scope (fact included)
  std::vector<std::int64_t> total_forecast;         // per method
  std::int64_t total_fact = 0;
  std::vector<PredictedDeal> deals;
  std::vector<std::vector<double>> p;  // per method, per deal
};

class Engine {
 public:
  Engine(const analytics::EventLog& log, const Pipeline& pipeline, const BacktestQuery& query,
         BacktestReport& report)
      : log_(log), pipeline_(pipeline), q_(query), report_(report) {
    manager_ = analytics::to_dimension_id(analytics::StandardDimension::manager);
    const std::size_t methods = query.methods.size();
    totals_.resize(methods);
    calibration_.assign(methods, empty_calibration());
  }

  Status snapshot(std::size_t s, const PipelineState& state, Instant period_begin, Instant period_end) {
    auto source = amount_source(state.as_of);
    if (!source) return source.status();
    PendingSnapshot p;
    p.snapshot = s;
    for (const ClosedDeal& c : state.closed) {
      if (!c.won) continue;
      auto a = amount(*source, c.deal, c.amount, c.closed_at, state.as_of);
      if (!a) return a.status();
      const std::uint32_t g = scope(c.deal, c.owner, state.as_of);
      grow(p.fact, g);
      if (__builtin_add_overflow(p.fact[g], *a, &p.fact[g]) ||
          __builtin_add_overflow(p.total_fact, *a, &p.total_fact))
        return overflow(c.deal);
    }
    std::optional<ForecastModels> models;
    if (uses_models(q_.methods)) {
      auto m = fit_models(log_, pipeline_, state.as_of, q_.fit);
      if (!m) return m.status();
      models = std::move(*m);
      for (const std::string& n : models->notes) notes_.insert(n);
    } else {
      models = ForecastModels{state.as_of, std::nullopt, TimingModel{}, {}};
    }
    std::vector<std::int64_t> amounts(state.open.size(), 0);
    for (std::size_t i = 0; i < state.open.size(); ++i) {
      const OpenDeal& o = state.open[i];
      auto a = amount(*source, o.deal, o.amount, std::nullopt, state.as_of);
      if (!a) return a.status();
      amounts[i] = *a;
      p.deals.push_back({o.deal, scope(o.deal, o.owner, state.as_of)});
      grow(p.fact, p.deals.back().scope);
    }
    report_.snapshots[s].open_deals = state.open.size();
    const std::size_t groups = scopes_.size();
    p.fact.resize(groups, 0);
    for (const ForecastMethod method : q_.methods) {
      std::vector<double> prob = method_probabilities(method, *models, pipeline_, state, period_begin,
                                                      period_end, q_.utc_offset_minutes);
      std::vector<std::int64_t> forecast(groups, 0);
      std::int64_t total = 0;
      if (method == ForecastMethod::weighted) {  // hundredths of a percent, exactly
        std::vector<Int128> sum(groups, 0);
        Int128 all = 0;
        for (std::size_t i = 0; i < prob.size(); ++i) {
          const Int128 term =
              static_cast<Int128>(amounts[i]) * std::llround(prob[i] * analytics::kProbabilityScale);
          sum[p.deals[i].scope] += term;
          all += term;
        }
        for (std::size_t g = 0; g < groups; ++g)
          forecast[g] = detail::round_half_even(sum[g], analytics::kProbabilityScale);
        total = detail::round_half_even(all, analytics::kProbabilityScale);
      } else {
        std::vector<long double> sum(groups, 0.0L);
        long double all = 0.0L;
        for (std::size_t i = 0; i < prob.size(); ++i) {
          const long double term = static_cast<long double>(amounts[i]) * prob[i];
          sum[p.deals[i].scope] += term;
          all += term;
        }
        for (std::size_t g = 0; g < groups; ++g) forecast[g] = round_half_even(sum[g]);
        total = round_half_even(all);
      }
      for (std::size_t g = 0; g < groups; ++g) forecast[g] += p.fact[g];
      p.forecast.push_back(std::move(forecast));
      p.total_forecast.push_back(total + p.total_fact);
      p.p.push_back(std::move(prob));
    }
    pending_.push_back(std::move(p));
    return {};
  }

  // The state at the last second of a period: what was won in it.
  Status period_end(const PipelineState& state, const std::vector<std::size_t>& snapshots) {
    auto source = amount_source(state.as_of);
    if (!source) return source.status();
    std::vector<std::int64_t> actual(scopes_.size(), 0);
    std::int64_t total_actual = 0;
    std::vector<DealId> won;
    for (const ClosedDeal& c : state.closed) {
      if (!c.won) continue;
      auto a = amount(*source, c.deal, c.amount, c.closed_at, state.as_of);
      if (!a) return a.status();
      const std::uint32_t g = scope(c.deal, c.owner, state.as_of);
      grow(actual, g);
      if (__builtin_add_overflow(actual[g], *a, &actual[g]) ||
          __builtin_add_overflow(total_actual, *a, &total_actual))
        return overflow(c.deal);
      won.push_back(c.deal);
    }
    actual.resize(scopes_.size(), 0);
    for (const std::size_t s : snapshots) {
      auto it = std::find_if(pending_.begin(), pending_.end(),
                             [&](const PendingSnapshot& p) { return p.snapshot == s; });
      if (it == pending_.end()) continue;
      PendingSnapshot& p = *it;
      p.fact.resize(scopes_.size(), 0);
      for (auto& f : p.forecast) f.resize(scopes_.size(), 0);
      std::vector<bool> present(scopes_.size(), false);
      for (const PredictedDeal& d : p.deals) present[d.scope] = true;
      for (std::uint32_t g = 0; g < scopes_.size(); ++g)
        present[g] = present[g] || p.fact[g] != 0 || actual[g] != 0;
      for (std::size_t m = 0; m < q_.methods.size(); ++m) {
        for (std::uint32_t g = 0; g < scopes_.size(); ++g) {
          if (!present[g]) continue;
          const std::int64_t forecast = p.forecast[m][g];
          points_.push_back({s, m, g, p.fact[g], forecast, actual[g]});
          if (Status st = add_snapshot(accuracy(m, g), forecast, actual[g]); !st.ok()) return st;
        }
        if (Status st = add_snapshot(totals_[m], p.total_forecast[m], total_actual); !st.ok()) return st;
        for (std::size_t i = 0; i < p.deals.size(); ++i) {
          const bool y = std::binary_search(won.begin(), won.end(), p.deals[i].deal);
          add_prediction(accuracy(m, p.deals[i].scope), p.p[m][i], y);
          add_prediction(totals_[m], p.p[m][i], y);
          add_prediction(calibration_[m], p.p[m][i], y);
        }
      }
      pending_.erase(it);
    }
    return {};
  }

  void finish_report() {
    // Scope order: key bytes ascending, the empty scope last.
    std::vector<std::uint32_t> order(scopes_.size());
    for (std::uint32_t g = 0; g < order.size(); ++g) order[g] = g;
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      return std::make_tuple(!scopes_[a].has_value(), scopes_[a].value_or("")) <
             std::make_tuple(!scopes_[b].has_value(), scopes_[b].value_or(""));
    });
    std::vector<std::uint32_t> rank_of(order.size());
    for (std::uint32_t r = 0; r < order.size(); ++r) rank_of[order[r]] = r;
    std::stable_sort(points_.begin(), points_.end(), [&](const Point& a, const Point& b) {
      return std::make_tuple(a.snapshot, rank_of[a.scope], a.method) <
             std::make_tuple(b.snapshot, rank_of[b.scope], b.method);
    });
    for (const Point& p : points_)
      report_.points.push_back(
          {p.snapshot, q_.methods[p.method], scopes_[p.scope], p.fact, p.forecast, p.actual});
    for (const std::uint32_t g : order) {
      for (std::size_t m = 0; m < q_.methods.size(); ++m) {
        auto it = accuracy_.find({g, m});
        if (it == accuracy_.end()) continue;
        finish(it->second);
        report_.accuracy.push_back({q_.methods[m], scopes_[g], it->second});
      }
    }
    std::vector<std::size_t> methods(q_.methods.size());
    for (std::size_t m = 0; m < methods.size(); ++m) {
      methods[m] = m;
      finish(totals_[m]);
    }
    // By WAPE of the total, ties by |bias|, then method order; no WAPE last.
    std::stable_sort(methods.begin(), methods.end(), [&](std::size_t a, std::size_t b) {
      const AccuracyMetrics &x = totals_[a], &y = totals_[b];
      if (x.wape.has_value() != y.wape.has_value()) return x.wape.has_value();
      if (!x.wape) return false;
      if (*x.wape != *y.wape) return *x.wape < *y.wape;
      return std::fabs(*x.bias) < std::fabs(*y.bias);
    });
    for (std::size_t r = 0; r < methods.size(); ++r)
      report_.ranking.push_back(
          {q_.methods[methods[r]], r + 1, totals_[methods[r]], calibration_[methods[r]]});
    report_.notes.insert(report_.notes.end(), notes_.begin(), notes_.end());
  }

 private:
  struct Point {
    std::size_t snapshot, method;
    std::uint32_t scope;
    std::int64_t fact, forecast, actual;
  };

  static void grow(std::vector<std::int64_t>& v, std::uint32_t g) {
    if (v.size() <= g) v.resize(g + 1, 0);
  }

  Status overflow(DealId d) const {
    return Status(ErrorCode::overflow,
                  "backtest: the won amount overflows at deal '" + std::string(log_.deal_key(d)) + "'");
  }

  AccuracyMetrics& accuracy(std::size_t m, std::uint32_t g) { return accuracy_[{g, m}]; }

  Result<std::optional<AmountSource>> amount_source(Instant at) const {
    if (!q_.fx) return std::optional<AmountSource>();
    auto s = AmountSource::create(log_, q_.fx, at);
    if (!s) return s.status();
    return std::optional<AmountSource>(std::move(*s));
  }

  // A deal's amount in minor units of the report's one currency (0 without amount).
  Result<std::int64_t> amount(const std::optional<AmountSource>& source, DealId d,
                              const std::optional<Money>& raw, std::optional<Instant> closed_at,
                              Instant as_of) {
    std::optional<Money> m = raw;
    if (source) {
      auto converted = source->amount(d, closed_at, as_of);
      if (!converted) return converted.status();
      m = *converted;
    }
    if (!m) return std::int64_t{0};
    if (!currency_) {
      currency_ = m->currency();
      currency_deal_ = d;
    } else if (!(*currency_ == m->currency())) {
      return Status(ErrorCode::invalid_argument,
                    "backtest: amounts in several currencies (deal '" +
                        std::string(log_.deal_key(*currency_deal_)) + "' in " +
                        std::string(currency_->code()) + ", deal '" + std::string(log_.deal_key(d)) +
                        "' in " + std::string(m->currency().code()) +
                        "): convert them into one with an FX table (--fx FILE --currency CODE)");
    }
    report_.currency = *currency_;
    return m->minor_units();
  }

  std::uint32_t scope(DealId d, std::uint32_t owner, Instant as_of) {
    using K = ForecastScope::Kind;
    std::optional<std::string> key;
    switch (q_.scope.kind) {
      case K::company:
        key = "company";
        break;
      case K::pipeline:
        key = pipeline_.id();
        break;
      case K::team:
        if (owner != kNoValue) {
          auto it = q_.scope.team_of_manager.find(log_.dimension(manager_).values.at(owner));
          if (it != q_.scope.team_of_manager.end()) key = it->second;
        }
        break;
      case K::dimension: {
        const std::uint32_t code =
            q_.scope.dimension == manager_ ? owner : log_.dimension_code_as_of(d, q_.scope.dimension, as_of);
        if (code != kNoValue) key = std::string(log_.dimension(q_.scope.dimension).values.at(code));
        break;
      }
    }
    auto [it, added] = scope_index_.try_emplace(std::make_pair(!key.has_value(), key.value_or("")),
                                                static_cast<std::uint32_t>(scopes_.size()));
    if (added) scopes_.push_back(key);
    return it->second;
  }

  const analytics::EventLog& log_;
  const Pipeline& pipeline_;
  const BacktestQuery& q_;
  BacktestReport& report_;
  analytics::DimensionId manager_;
  std::optional<Currency> currency_;
  std::optional<DealId> currency_deal_;
  std::map<std::pair<bool, std::string>, std::uint32_t> scope_index_;
  std::vector<std::optional<std::string>> scopes_;
  std::vector<PendingSnapshot> pending_;
  std::vector<Point> points_;
  std::map<std::pair<std::uint32_t, std::size_t>, AccuracyMetrics> accuracy_;
  std::vector<AccuracyMetrics> totals_;
  std::vector<Calibration> calibration_;
  std::set<std::string> notes_;
};

}  // namespace

Result<BacktestReport> backtest(const analytics::EventLog& log, const Pipeline& pipeline,
                                const BacktestQuery& query) {
  if (query.methods.empty()) return Status(ErrorCode::invalid_argument, "backtest: no method requested");
  if (query.snapshots.empty()) return Status(ErrorCode::invalid_argument, "backtest: no snapshot instant");
  if (!log.sealed()) return Status(ErrorCode::invalid_argument, "backtest: the event log is not sealed");
  BacktestReport report;
  report.period_kind = query.period_kind;
  report.utc_offset_minutes = query.utc_offset_minutes;
  report.scope = query.scope.kind == ForecastScope::Kind::company ? "company" : query.scope.name;
  report.methods = query.methods;
  report.fit = query.fit;
  report.data_end = query.data_end.value_or(log.latest_instant());
  report.converted = query.fx.has_value();
  if (query.fx) report.currency = query.fx->target;

  std::vector<Instant> instants = query.snapshots;
  std::sort(instants.begin(), instants.end());
  instants.erase(std::unique(instants.begin(), instants.end()), instants.end());
  // The sweep's points: each evaluated snapshot, then each evaluated period's last second.
  struct Role {
    bool period_end = false;
    std::size_t index = 0;  // snapshot index, or period index
  };
  std::vector<Period> periods;
  std::vector<std::vector<std::size_t>> period_snapshots;
  std::vector<std::tuple<Instant, int, SweepPoint, Role>> plan;
  std::size_t unevaluated = 0;
  for (std::size_t i = 0; i < instants.size(); ++i) {
    const Period p = period_containing(query.period_kind, instants[i].date(query.utc_offset_minutes),
                                       query.fiscal_start_month);
    const bool evaluated = p.end_instant(query.utc_offset_minutes) <= report.data_end;
    report.snapshots.push_back({instants[i], p, evaluated, 0});
    if (!evaluated) {
      ++unevaluated;
      continue;
    }
    const Instant begin = p.begin_instant(query.utc_offset_minutes);
    StateOptions so;
    so.closed_from = begin;
    plan.emplace_back(instants[i], 0, SweepPoint{instants[i], so}, Role{false, i});
    auto it = std::find(periods.begin(), periods.end(), p);
    if (it == periods.end()) {
      periods.push_back(p);
      period_snapshots.emplace_back();
      plan.emplace_back(p.end_instant(query.utc_offset_minutes) - Duration(1), 1,
                        SweepPoint{p.end_instant(query.utc_offset_minutes) - Duration(1), so},
                        Role{true, periods.size() - 1});
      it = periods.end() - 1;
    }
    period_snapshots[static_cast<std::size_t>(it - periods.begin())].push_back(i);
  }
  std::stable_sort(plan.begin(), plan.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
  });
  std::vector<SweepPoint> points;
  for (const auto& e : plan) points.push_back(std::get<2>(e));

  Engine engine(log, pipeline, query, report);
  Status st =
      sweep_pipeline_states(log, pipeline, points, [&](std::size_t i, const PipelineState& state) -> Status {
        const Role& role = std::get<3>(plan[i]);
        if (role.period_end) return engine.period_end(state, period_snapshots[role.index]);
        const Period& p = report.snapshots[role.index].period;
        return engine.snapshot(role.index, state, p.begin_instant(query.utc_offset_minutes),
                               p.end_instant(query.utc_offset_minutes));
      });
  if (!st.ok()) return st;
  engine.finish_report();
  if (unevaluated > 0) {
    report.notes.push_back(std::to_string(unevaluated) + " of " + std::to_string(instants.size()) +
                           " snapshots are not evaluated: their period ends after the data end " +
                           format_iso(report.data_end));
  }
  if (unevaluated == instants.size())
    report.notes.push_back(
        "no snapshot is evaluated: choose snapshots in periods that ended by the data end");
  return report;
}

}  // namespace dealflow::planning
