// The pipeline as an absorbing Markov chain: see dealflow/planning/markov.h.
#include "dealflow/planning/markov.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <sstream>

#include <Eigen/LU>

#include "analytics/report_context.h"
#include "dealflow/analytics/survival.h"

namespace dealflow::planning {
namespace {

std::string stage_list(const Pipeline& pipeline, const std::vector<StageId>& stages) {
  std::string out;
  for (const StageId s : stages) {
    if (!out.empty()) out += ", ";
    out += pipeline.stage(s).id;
  }
  return out;
}

std::string format_double(double v) {
  std::ostringstream os;
  os.precision(6);
  os << v;
  return os.str();
}

// Mean time per visit of every stage (by StageId value), and whether it is censoring-aware.
struct Sojourn {
  Eigen::VectorXd mean;  // by StageId value
  std::vector<std::string> notes;
  bool censoring_aware = false;
};

Sojourn naive_sojourn(const analytics::TransitionMatrix& counts, const Pipeline& pipeline) {
  Sojourn out;
  const auto n = static_cast<Eigen::Index>(pipeline.stage_count());
  out.mean = Eigen::VectorXd::Zero(n);
  std::vector<StageId> unseen;
  for (Eigen::Index s = 0; s < n; ++s) {
    const std::int64_t visits = counts.completed_visits(s);
    if (visits > 0) {
      out.mean(s) = static_cast<double>(counts.sojourn_seconds(s)) / static_cast<double>(visits);
    } else if (pipeline.kind(StageId{static_cast<std::uint16_t>(s)}) == StageKind::open) {
      unseen.push_back(StageId{static_cast<std::uint16_t>(s)});
    }
  }
  out.notes.push_back(
      "sojourn: naive mean of completed visits from the transition counts (running visits excluded, "
      "biased low)");
  if (!unseen.empty())
    out.notes.push_back("sojourn: no completed visit of " + stage_list(pipeline, unseen) + "; tau = 0");
  return out;
}

// Kaplan–Meier restricted mean of S over [0, horizon].
double restricted_mean(const analytics::KaplanMeier& km, std::int64_t horizon) {
  double area = 0.0, survival = 1.0;
  std::int64_t previous = 0;
  for (const analytics::KaplanMeierStep& step : km.steps()) {
    if (step.time > horizon) break;
    area += survival * static_cast<double>(step.time - previous);
    previous = step.time;
    survival = step.survival;
  }
  return area + survival * static_cast<double>(horizon - previous);
}

Result<Sojourn> censored_sojourn(const analytics::EventLog& log, const Pipeline& pipeline, Instant from,
                                 Instant as_of) {
  auto ctx = analytics::detail::ReportContext::create(log, pipeline, from, as_of, as_of);
  if (!ctx) return ctx.status();
  const std::size_t n = pipeline.stage_count();
  std::vector<std::vector<analytics::SurvivalObservation>> visits(n);
  const auto stages = log.stage_column();
  const auto at = log.at_column();
  for (std::size_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{static_cast<std::uint32_t>(i)};
    if (!ctx->in_cohort(d)) continue;
    const analytics::detail::DealState st = ctx->state(d);
    if (st.end == st.begin) continue;
    std::uint32_t run_start = st.begin;
    for (std::uint32_t e = st.begin + 1; e < st.end; ++e) {
      if (stages[e] == stages[e - 1]) continue;
      const StageId s = stages[e - 1];
      if (s.value() < n && !ctx->is_terminal(s))
        visits[s.value()].push_back(
            {static_cast<std::int64_t>(at[e]) - static_cast<std::int64_t>(at[run_start]), 1});
      run_start = e;
    }
    const StageId last = stages[st.end - 1];
    if (last.value() < n && !ctx->is_terminal(last)) {
      const std::int64_t running = std::max<std::int64_t>(0, (ctx->as_of() - st.stage_since).count());
      visits[last.value()].push_back({running, analytics::kCensored});
    }
  }
  Sojourn out;
  out.censoring_aware = true;
  out.mean = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n));
  std::vector<StageId> unseen, lower_bound;
  for (std::size_t s = 0; s < n; ++s) {
    const StageId id{static_cast<std::uint16_t>(s)};
    if (pipeline.kind(id) != StageKind::open) continue;
    if (visits[s].empty()) {
      unseen.push_back(id);
      continue;
    }
    auto km = analytics::KaplanMeier::fit(visits[s]);
    if (!km) return km.status();
    std::int64_t horizon = 0;
    bool longest_censored = false;
    for (const auto& o : visits[s]) {
      if (o.time > horizon || (o.time == horizon && o.cause == analytics::kCensored)) {
        longest_censored = o.cause == analytics::kCensored;
        horizon = o.time;
      }
    }
    out.mean(static_cast<Eigen::Index>(s)) = restricted_mean(*km, horizon);
    if (longest_censored && km->events() < km->subjects()) lower_bound.push_back(id);
  }
  out.notes.push_back(
      "sojourn: Kaplan-Meier restricted mean time per visit, running visits censored at as_of, up to the "
      "longest observed visit");
  if (!lower_bound.empty())
    out.notes.push_back("sojourn: the longest visit of " + stage_list(pipeline, lower_bound) +
                        " is still running (the restricted mean is a lower bound)");
  if (!unseen.empty())
    out.notes.push_back("sojourn: no visit of " + stage_list(pipeline, unseen) + "; tau = 0");
  return out;
}

Result<MarkovChain> solve(const analytics::CountMatrix& counts, const Pipeline& pipeline,
                          const MarkovOptions& options, Sojourn sojourn, Instant as_of) {
  if (!std::isfinite(options.smoothing) || options.smoothing < 0.0)
    return Status(ErrorCode::invalid_argument, "markov: smoothing " + format_double(options.smoothing) +
                                                   ": expected a finite number >= 0");
  const std::size_t n = pipeline.stage_count();
  if (static_cast<std::size_t>(counts.rows()) != n || static_cast<std::size_t>(counts.cols()) != n)
    return Status(ErrorCode::invalid_argument,
                  "markov: transition matrix is " + std::to_string(counts.rows()) + "x" +
                      std::to_string(counts.cols()) + ", expected " + std::to_string(n) + "x" +
                      std::to_string(n) + " (the stages of pipeline '" + pipeline.id() + "')");
  if (pipeline.won_stages().empty())
    return Status(ErrorCode::refused, "markov: pipeline '" + pipeline.id() + "' has no won stage");

  MarkovChain chain;
  chain.smoothing = options.smoothing;
  chain.as_of = as_of;
  chain.censoring_aware_sojourn = sojourn.censoring_aware;
  std::vector<int> column(n, -1), row(n, -1);
  for (std::size_t s = 0; s < n; ++s) {
    const StageId id{static_cast<std::uint16_t>(s)};
    if (pipeline.kind(id) == StageKind::open) {
      row[s] = static_cast<int>(chain.transient.size());
      chain.transient.push_back(id);
    } else {
      column[s] = static_cast<int>(chain.absorbing.size());
      chain.absorbing.push_back(id);
      chain.absorbing_won.push_back(pipeline.kind(id) == StageKind::won);
    }
  }
  const auto t = static_cast<Eigen::Index>(chain.transient.size());
  const auto a = static_cast<Eigen::Index>(chain.absorbing.size());

  // Weights: counts plus the pseudo-count on allowed moves.
  Eigen::MatrixXd weight = Eigen::MatrixXd::Zero(t, static_cast<Eigen::Index>(n));
  std::int64_t reopen_moves = 0;
  for (std::size_t s = 0; s < n; ++s) {
    if (row[s] < 0) {
      reopen_moves += counts.row(static_cast<Eigen::Index>(s)).sum();
      continue;
    }
    for (std::size_t j = 0; j < n; ++j) {
      if (j == s) continue;
      double w = static_cast<double>(counts(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(j)));
      if (options.smoothing > 0.0 &&
          pipeline.allows(StageId{static_cast<std::uint16_t>(s)}, StageId{static_cast<std::uint16_t>(j)}))
        w += options.smoothing;
      weight(row[s], static_cast<Eigen::Index>(j)) = w;
    }
    chain.row_exits.push_back(static_cast<std::size_t>(counts.row(static_cast<Eigen::Index>(s)).sum()));
  }
  if (options.smoothing > 0.0)
    chain.notes.push_back("smoothing: additive pseudo-count " + format_double(options.smoothing) +
                          " on every move the pipeline allows out of an open stage");
  else
    chain.notes.push_back("smoothing: none");
  if (reopen_moves > 0)
    chain.notes.push_back("ignored " + std::to_string(reopen_moves) +
                          " reopen move(s) out of won or lost stages (absorbing states)");

  // Rows without data, then stages that cannot reach absorption.
  std::vector<char> imputed(static_cast<std::size_t>(t), 0), reaches(static_cast<std::size_t>(t), 0);
  std::vector<StageId> empty_rows;
  for (Eigen::Index i = 0; i < t; ++i) {
    if (weight.row(i).sum() <= 0.0) {
      imputed[static_cast<std::size_t>(i)] = 1;
      empty_rows.push_back(chain.transient[static_cast<std::size_t>(i)]);
    }
  }
  std::deque<Eigen::Index> queue;
  for (Eigen::Index i = 0; i < t; ++i) {
    bool absorbs = imputed[static_cast<std::size_t>(i)] != 0;
    for (const StageId k : chain.absorbing) absorbs = absorbs || weight(i, k.value()) > 0.0;
    if (absorbs) {
      reaches[static_cast<std::size_t>(i)] = 1;
      queue.push_back(i);
    }
  }
  while (!queue.empty()) {  // backwards: whoever moves into a reaching stage reaches too
    const Eigen::Index j = queue.front();
    queue.pop_front();
    const StageId target = chain.transient[static_cast<std::size_t>(j)];
    for (Eigen::Index i = 0; i < t; ++i) {
      if (reaches[static_cast<std::size_t>(i)] || weight(i, target.value()) <= 0.0) continue;
      reaches[static_cast<std::size_t>(i)] = 1;
      queue.push_back(i);
    }
  }
  for (Eigen::Index i = 0; i < t; ++i) {
    if (reaches[static_cast<std::size_t>(i)]) continue;
    imputed[static_cast<std::size_t>(i)] = 1;
    chain.closed_class.push_back(chain.transient[static_cast<std::size_t>(i)]);
  }
  for (Eigen::Index i = 0; i < t; ++i)
    if (imputed[static_cast<std::size_t>(i)])
      chain.no_data.push_back(chain.transient[static_cast<std::size_t>(i)]);

  const StageId won = pipeline.won_stages().front();
  const bool has_lost = !pipeline.lost_stages().empty();
  const StageId lost = has_lost ? pipeline.lost_stages().front() : won;
  if (!empty_rows.empty())
    chain.notes.push_back("no data: no observed exit from " + stage_list(pipeline, empty_rows) +
                          "; their absorption is imputed from the stage default probability");
  if (!chain.closed_class.empty())
    chain.notes.push_back(
        "no data: " + stage_list(pipeline, chain.closed_class) +
        " never reach a won or lost stage through observed moves (a closed class: I - Q "
        "would be singular); their absorption is imputed from the stage default probability");
  if (!chain.no_data.empty())
    chain.notes.push_back(
        std::string("imputed row: P(") + pipeline.stage(won).id + ") = stage default probability" +
        (has_lost ? ", P(" + pipeline.stage(lost).id + ") = 1 - it" : " (no lost stage: 1)"));

  chain.Q = Eigen::MatrixXd::Zero(t, t);
  chain.R = Eigen::MatrixXd::Zero(t, a);
  for (Eigen::Index i = 0; i < t; ++i) {
    if (imputed[static_cast<std::size_t>(i)]) {
      const double p =
          std::clamp(pipeline.stage(chain.transient[static_cast<std::size_t>(i)]).probability, 0.0, 1.0);
      if (has_lost) {
        chain.R(i, column[won.value()]) = p;
        chain.R(i, column[lost.value()]) += 1.0 - p;
      } else {
        chain.R(i, column[won.value()]) = 1.0;
      }
      continue;
    }
    const double total = weight.row(i).sum();
    for (Eigen::Index j = 0; j < t; ++j)
      chain.Q(i, j) = weight(i, chain.transient[static_cast<std::size_t>(j)].value()) / total;
    for (Eigen::Index k = 0; k < a; ++k)
      chain.R(i, k) = weight(i, chain.absorbing[static_cast<std::size_t>(k)].value()) / total;
  }

  const Eigen::MatrixXd i_minus_q = Eigen::MatrixXd::Identity(t, t) - chain.Q;
  Eigen::FullPivLU<Eigen::MatrixXd> lu(i_minus_q);
  if (t > 0 && !lu.isInvertible())
    return Status(ErrorCode::refused, "markov: I - Q is numerically singular (rank " +
                                          std::to_string(lu.rank()) + " of " + std::to_string(t) + ")");
  chain.N = t > 0 ? Eigen::MatrixXd(lu.solve(Eigen::MatrixXd::Identity(t, t))) : Eigen::MatrixXd(0, 0);
  chain.B = chain.N * chain.R;
  chain.expected_steps = chain.N * Eigen::VectorXd::Ones(t);
  chain.mean_sojourn_seconds = Eigen::VectorXd::Zero(t);
  for (Eigen::Index i = 0; i < t; ++i)
    chain.mean_sojourn_seconds(i) = sojourn.mean(chain.transient[static_cast<std::size_t>(i)].value());
  chain.expected_seconds_to_absorption = chain.N * chain.mean_sojourn_seconds;
  for (std::string& note : sojourn.notes) chain.notes.push_back(std::move(note));
  return chain;
}

}  // namespace

std::optional<std::size_t> MarkovChain::transient_index(StageId s) const noexcept {
  const auto it = std::find(transient.begin(), transient.end(), s);
  if (it == transient.end()) return std::nullopt;
  return static_cast<std::size_t>(it - transient.begin());
}

double MarkovChain::p_won(StageId s) const noexcept {
  if (const auto i = transient_index(s)) {
    double p = 0.0;
    for (std::size_t k = 0; k < absorbing.size(); ++k)
      if (absorbing_won.size() > k && absorbing_won[k])
        p += B(static_cast<Eigen::Index>(*i), static_cast<Eigen::Index>(k));
    return std::clamp(p, 0.0, 1.0);
  }
  const auto it = std::find(absorbing.begin(), absorbing.end(), s);
  if (it == absorbing.end()) return 0.0;
  const auto k = static_cast<std::size_t>(it - absorbing.begin());
  return absorbing_won.size() > k && absorbing_won[k] ? 1.0 : 0.0;
}

double MarkovChain::steps_from(StageId s) const noexcept {
  const auto i = transient_index(s);
  return i ? expected_steps(static_cast<Eigen::Index>(*i)) : 0.0;
}

double MarkovChain::seconds_from(StageId s) const noexcept {
  const auto i = transient_index(s);
  return i ? expected_seconds_to_absorption(static_cast<Eigen::Index>(*i)) : 0.0;
}

Result<MarkovChain> fit_markov(const analytics::TransitionMatrix& counts, const Pipeline& pipeline,
                               const MarkovOptions& options) {
  if (static_cast<std::size_t>(counts.completed_visits.size()) != pipeline.stage_count() ||
      static_cast<std::size_t>(counts.sojourn_seconds.size()) != pipeline.stage_count())
    return Status(ErrorCode::invalid_argument,
                  "markov: transition matrix has " + std::to_string(counts.completed_visits.size()) +
                      " stages, expected " + std::to_string(pipeline.stage_count()) +
                      " (the stages of pipeline '" + pipeline.id() + "')");
  auto chain = solve(counts.counts, pipeline, options, naive_sojourn(counts, pipeline), counts.as_of);
  return chain;
}

Result<MarkovChain> fit_markov(const analytics::EventLog& log, const Pipeline& pipeline, Instant train_from,
                               Instant as_of, const MarkovOptions& options) {
  analytics::TransitionQuery query;
  query.from = train_from;
  query.to = as_of;
  query.as_of = as_of;
  auto counts = analytics::count_transitions(log, pipeline, query);
  if (!counts) return counts.status();
  auto sojourn = censored_sojourn(log, pipeline, train_from, as_of);
  if (!sojourn) return sojourn.status();
  auto chain = solve(counts->counts, pipeline, options, std::move(*sojourn), as_of);
  return chain;
}

}  // namespace dealflow::planning
