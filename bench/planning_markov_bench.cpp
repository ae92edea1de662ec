// Markov benchmark: fitting and solving the absorbing chain of a 20-stage
// pipeline (18 open stages, WON, LOST), with baselines in the same binary.
//
//   BM_MarkovFitFromCounts    fit_markov from a TransitionMatrix: Q, R, the
//                             no-data checks, N = (I - Q)^-1 by FullPivLU, B, steps, N tau
//   BM_SolveFullPivLU         only B = (I - Q)^-1 R by FullPivLU (what the fit does for B)
//   BM_SolveExplicitInverse   baseline: B = (I - Q).inverse() * R (Eigen's explicit inverse)
//   BM_SolveIteration         baseline: B_{k+1} = Q B_k + R from B_0 = 0 until the largest
//                             change is below 1e-12 (the absorption probabilities by iteration)
//   BM_MarkovFitFromLog       fit_markov from an EventLog of DEALFLOW_BENCH_DEALS deals
//                             (default 200 000; a simulated walk over the 20 stages):
//                             transition counts plus the Kaplan–Meier sojourns; items = deals
//
// The ratio of BM_SolveIteration to BM_SolveFullPivLU is the speed-up of the
// direct solve over the iteration (docs/forecasting.md "Markov").
#include <benchmark/benchmark.h>

#include <Eigen/LU>
#include <random>
#include <stdexcept>
#include <string>

#include "bench_options.h"
#include "dealflow/analytics/transitions.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/planning/markov.h"

namespace {

using namespace dealflow;

constexpr int kOpen = 18;

const Pipeline& pipeline20() {
  static const LoadedPipeline loaded = [] {
    std::string text = R"({"id": "p20", "name": "Двадцать этапов", "stages": [)";
    for (int i = 0; i < kOpen; ++i)
      text += R"({"id": "S)" + std::to_string(i) + R"(", "name": "Этап )" + std::to_string(i) +
              R"(", "kind": "open", "probability": 0.)" + std::to_string(i * 5 / kOpen + 1) + "},";
    text +=
        R"({"id": "WON", "name": "Успех", "kind": "won"}, {"id": "LOST", "name": "Провал", "kind": "lost"}]})";
    auto p = parse_pipeline_text(text, "p20.json");
    if (!p) throw std::runtime_error(p.status().to_string());
    return std::move(*p);
  }();
  return loaded.pipeline;
}

// One step of the simulated walk from open stage i: forward 0.6, back 0.1
// (none from the first), won 0.05 + 0.5 at the last stage, lost the rest.
int next_stage(int i, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double x = u(rng);
  const int won = kOpen, lost = kOpen + 1;
  if (i == kOpen - 1) return x < 0.7 ? won : x < 0.8 ? i - 1 : lost;
  if (x < 0.6) return i + 1;
  if (x < 0.7) return i > 0 ? i - 1 : lost;
  if (x < 0.75) return won;
  return lost;
}

analytics::TransitionMatrix counts20() {
  const Pipeline& p = pipeline20();
  const auto n = static_cast<Eigen::Index>(p.stage_count());
  analytics::TransitionMatrix m;
  m.counts = analytics::CountMatrix::Zero(n, n);
  m.sojourn_seconds = analytics::CountVector::Zero(n);
  m.completed_visits = analytics::CountVector::Zero(n);
  std::mt19937_64 rng(42);
  for (int deal = 0; deal < 100'000; ++deal) {
    int s = 0;
    while (s < kOpen) {
      const int t = next_stage(s, rng);
      ++m.counts(s, t);
      ++m.completed_visits(s);
      m.sojourn_seconds(s) += 86400 * (1 + s % 5);
      s = t;
    }
  }
  return m;
}

const analytics::EventLog& log20() {
  static const analytics::EventLog* log = [] {
    auto* out = new analytics::EventLog();
    const PipelineId pid = out->intern_pipeline("p20");
    std::mt19937_64 rng(7);
    std::exponential_distribution<double> sojourn(1.0 / (3.0 * 86400.0));
    const std::int64_t t0 = 1704067200;  // 2024-01-01
    const std::uint64_t deals = dealflow::bench::deals_from_env(200'000);
    for (std::uint64_t d = 0; d < deals; ++d) {
      const std::int64_t created = t0 + static_cast<std::int64_t>(d * 365 * 86400 / deals);
      auto id = out->add_deal("D" + std::to_string(d), pid, Instant::from_unix_seconds(created));
      if (!id) throw std::runtime_error(id.status().to_string());
      std::int64_t at = created;
      int s = 0;
      if (!out->append_event(*id, Instant::from_unix_seconds(at), StageId{0}).ok())
        throw std::runtime_error("event");
      while (s < kOpen) {
        at += 1 + static_cast<std::int64_t>(sojourn(rng));
        s = next_stage(s, rng);
        if (!out->append_event(*id, Instant::from_unix_seconds(at), StageId{static_cast<std::uint16_t>(s)})
                 .ok())
          throw std::runtime_error("event");
      }
    }
    out->seal();
    return out;
  }();
  return *log;
}

// Q and R of the 20-stage chain (from the fit, so every variant solves the same system).
const planning::MarkovChain& chain20() {
  static const planning::MarkovChain chain = [] {
    auto c = planning::fit_markov(counts20(), pipeline20());
    if (!c) throw std::runtime_error(c.status().to_string());
    return std::move(*c);
  }();
  return chain;
}

void BM_MarkovFitFromCounts(benchmark::State& state) {
  const auto counts = counts20();
  for (auto _ : state) {
    auto chain = planning::fit_markov(counts, pipeline20());
    benchmark::DoNotOptimize(chain);
  }
}
BENCHMARK(BM_MarkovFitFromCounts);

void BM_SolveFullPivLU(benchmark::State& state) {
  const auto& c = chain20();
  const Eigen::MatrixXd a = Eigen::MatrixXd::Identity(c.Q.rows(), c.Q.cols()) - c.Q;
  for (auto _ : state) {
    Eigen::FullPivLU<Eigen::MatrixXd> lu(a);
    Eigen::MatrixXd b = lu.solve(c.R);
    benchmark::DoNotOptimize(b.data());
  }
}
BENCHMARK(BM_SolveFullPivLU);

void BM_SolveExplicitInverse(benchmark::State& state) {
  const auto& c = chain20();
  const Eigen::MatrixXd a = Eigen::MatrixXd::Identity(c.Q.rows(), c.Q.cols()) - c.Q;
  for (auto _ : state) {
    Eigen::MatrixXd b = a.inverse() * c.R;
    benchmark::DoNotOptimize(b.data());
  }
}
BENCHMARK(BM_SolveExplicitInverse);

void BM_SolveIteration(benchmark::State& state) {
  const auto& c = chain20();
  std::int64_t iterations = 0;
  double error = 0.0;
  for (auto _ : state) {
    Eigen::MatrixXd b = Eigen::MatrixXd::Zero(c.R.rows(), c.R.cols());
    for (int k = 0; k < 100000; ++k) {
      Eigen::MatrixXd next = c.Q * b + c.R;
      const double change = (next - b).cwiseAbs().maxCoeff();
      b.swap(next);
      ++iterations;
      if (change < 1e-12) break;
    }
    error = (b - c.B).cwiseAbs().maxCoeff();
    benchmark::DoNotOptimize(b.data());
  }
  state.counters["iterations"] = static_cast<double>(iterations) / static_cast<double>(state.iterations());
  state.counters["max_abs_diff_vs_lu"] = error;
}
BENCHMARK(BM_SolveIteration);

void BM_MarkovFitFromLog(benchmark::State& state) {
  const auto& log = log20();
  const Instant from = Instant::from_unix_seconds(1704067200);
  const Instant as_of = Instant::from_unix_seconds(1704067200 + 365 * 86400);
  for (auto _ : state) {
    auto chain = planning::fit_markov(log, pipeline20(), from, as_of);
    if (!chain) state.SkipWithError(chain.status().to_string().c_str());
    benchmark::DoNotOptimize(chain);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(log.deal_count()));
  state.counters["events"] = static_cast<double>(log.event_count());
}
BENCHMARK(BM_MarkovFitFromLog)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
