// Properties of the Markov fit and of the reverse funnel over random histories:
// B is the limit of the iteration B_{k+1} = Q B_k + R; the fit at T reads
// nothing after T (a log cut at T gives the same chain); the reverse funnel's
// ranges bracket its point values and entries never grow down the funnel. And
// the fit on the bundled sample data.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "analytics/durations_fixture.h"
#include "dealflow/analytics/csv_load.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/planning/markov.h"
#include "dealflow/planning/reverse_funnel.h"

namespace dealflow::planning {
namespace {

using analytics::testing::day;
using analytics::testing::LogBuilder;
using analytics::testing::small_pipeline;

// A random history: deals created over 90 days, walking A/B/C with random
// moves (backward ones included), won, lost or still open. Events at or before
// `cut` only when `cut` is given (and deals created before it).
struct Walk {
  double created;
  std::vector<std::pair<double, const char*>> events;
  std::string manager;
  std::int64_t amount;
};

std::vector<Walk> random_walks(std::uint32_t seed, int deals) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> gap(0.1, 9.0);
  std::uniform_int_distribution<int> move(0, 9);
  const char* open[] = {"A", "B", "C"};
  std::vector<Walk> out;
  for (int i = 0; i < deals; ++i) {
    Walk w;
    w.created = std::uniform_real_distribution<double>(0.0, 90.0)(rng);
    w.manager = i % 3 == 0 ? "Иванов" : "Петров";
    w.amount = 10 + move(rng) * 10;
    double t = w.created;
    int s = 0;
    w.events.push_back({t, "A"});
    for (int step = 0; step < 12; ++step) {
      t += gap(rng);
      const int m = move(rng);
      if (m == 0) break;  // stays open
      const char* next = m <= 4   ? (s < 2 ? open[s + 1] : "WON")
                         : m <= 5 ? open[s > 0 ? s - 1 : 0]
                         : m <= 7 ? "LOST"
                                  : "JUNK";
      if (next == open[s]) continue;
      w.events.push_back({t, next});
      if (std::string(next) == "WON" || std::string(next) == "LOST" || std::string(next) == "JUNK") break;
      s = next[0] - 'A';
    }
    out.push_back(std::move(w));
  }
  return out;
}

const analytics::EventLog& build(LogBuilder& b, const std::vector<Walk>& walks, std::optional<double> cut) {
  int i = 0;
  for (const Walk& w : walks) {
    ++i;
    if (cut && w.created > *cut) continue;
    const DealId d = b.deal("d" + std::to_string(i), w.created, w.manager, w.amount);
    for (const auto& [t, stage] : w.events)
      if (!cut || t <= *cut) b.event(d, t, stage);
  }
  return b.log();
}

TEST(MarkovProperty, AbsorptionIsTheLimitOfTheIteration) {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    LogBuilder b;
    const auto& log = build(b, random_walks(seed, 60), std::nullopt);
    auto chain = fit_markov(log, small_pipeline(), day(-1), day(200), {.smoothing = seed % 2 ? 0.0 : 0.25});
    ASSERT_TRUE(chain) << chain.status().to_string();
    Eigen::MatrixXd iterated = Eigen::MatrixXd::Zero(chain->R.rows(), chain->R.cols());
    for (int k = 0; k < 5000; ++k) iterated = chain->Q * iterated + chain->R;
    EXPECT_LT((iterated - chain->B).cwiseAbs().maxCoeff(), 1e-9) << seed;
    Eigen::VectorXd steps = Eigen::VectorXd::Zero(chain->Q.rows());
    for (int k = 0; k < 5000; ++k) steps = chain->Q * steps + Eigen::VectorXd::Ones(chain->Q.rows());
    EXPECT_LT((steps - chain->expected_steps).cwiseAbs().maxCoeff(), 1e-6) << seed;
  }
}

TEST(MarkovProperty, NoLookAhead) {
  for (std::uint32_t seed = 1; seed <= 20; ++seed) {
    const auto walks = random_walks(seed, 60);
    const double cut = 40.0 + seed;
    LogBuilder full, cut_log;
    const auto& a = build(full, walks, std::nullopt);
    const auto& c = build(cut_log, walks, cut);
    auto fa = fit_markov(a, small_pipeline(), day(0), day(cut));
    auto fc = fit_markov(c, small_pipeline(), day(0), day(cut));
    ASSERT_TRUE(fa && fc) << seed;
    EXPECT_EQ(fa->Q, fc->Q) << seed;
    EXPECT_EQ(fa->R, fc->R) << seed;
    EXPECT_EQ(fa->mean_sojourn_seconds, fc->mean_sojourn_seconds) << seed;
    EXPECT_EQ(fa->notes, fc->notes) << seed;
    EXPECT_LT(c.event_count(), a.event_count()) << seed;  // the cut removed something
  }
}

TEST(ReverseFunnelProperty, RangesBracketAndEntriesShrinkDownTheFunnel) {
  int checked = 0;
  for (std::uint32_t seed = 1; seed <= 30; ++seed) {
    LogBuilder b;
    const auto& log = build(b, random_walks(seed, 80), std::nullopt);
    ReverseFunnelQuery q;
    q.period = *parse_period("2024-04");
    auto reference = parse_period("2024-01-01..2024-03-31");
    ASSERT_TRUE(reference) << reference.status().to_string();
    q.reference = *reference;
    q.target_amount = Money(100'000 + seed * 777, Currency::of("RUB"));
    q.by = seed % 2 ? "manager" : "";
    auto r = compute_reverse_funnel(log, small_pipeline(), q);
    ASSERT_TRUE(r) << r.status().to_string();
    for (const ReverseFunnelScope& s : r->scopes) {
      if (s.cannot) continue;
      ++checked;
      // W * avg >= target > (W - 1) * avg, exactly (small amounts: int64 is enough).
      const std::int64_t sum = s.won_amount_sum->minor_units(),
                         count = static_cast<std::int64_t>(s.won_in_reference);
      const auto w = static_cast<std::int64_t>(s.won_needed);
      EXPECT_GE(w * sum, q.target_amount->minor_units() * count);
      EXPECT_LT((w - 1) * sum, q.target_amount->minor_units() * count);
      std::uint64_t previous = std::numeric_limits<std::uint64_t>::max();
      for (const ReverseStageRow& st : s.stages) {
        ASSERT_TRUE(st.needed);
        EXPECT_GE(*st.needed, s.won_needed);
        EXPECT_LE(*st.needed, previous);
        previous = *st.needed;
        EXPECT_LE(*st.needed_low, *st.needed);
        if (st.needed_high) {
          EXPECT_GE(*st.needed_high, *st.needed);
        }
        if (st.by_date) {
          EXPECT_LT(*st.by_date, q.period.end);
        }
      }
    }
  }
  EXPECT_GT(checked, 30);  // not vacuous
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(MarkovSample, FitsTheBundledSample) {
  auto p = load_pipeline_file(std::string(DEALFLOW_SOURCE_DIR) + "/data/pipelines/bitrix24_default.json");
  ASSERT_TRUE(p) << p.status().to_string();
  analytics::CsvLoadOptions options;
  options.default_pipeline = &p->pipeline;
  const std::string deals = slurp(std::string(DEALFLOW_SOURCE_DIR) + "/data/sample/deals.csv");
  const std::string history = slurp(std::string(DEALFLOW_SOURCE_DIR) + "/data/sample/history.csv");
  auto loaded = analytics::load_deals_csv(deals, "deals.csv", {&p->pipeline}, options);
  ASSERT_TRUE(loaded) << loaded.status().to_string();
  ASSERT_TRUE(analytics::load_history_csv(history, "history.csv", {&p->pipeline}, options, *loaded).ok());
  const analytics::EventLog& log = loaded->log;
  const Instant as_of = *parse_instant("2024-10-01");
  auto chain = fit_markov(log, p->pipeline, as_of - std::chrono::days(365), as_of);
  ASSERT_TRUE(chain) << chain.status().to_string();
  EXPECT_TRUE(chain->no_data.empty());
  for (Eigen::Index i = 0; i < chain->B.rows(); ++i) {
    EXPECT_NEAR(chain->B.row(i).sum(), 1.0, 1e-9);
    EXPECT_GT(chain->mean_sojourn_seconds(i), 0.0);
    EXPECT_GT(chain->expected_seconds_to_absorption(i), chain->mean_sojourn_seconds(i) - 1e-6);
  }
  // Deals further down the funnel win more often.
  const auto open = p->pipeline.open_stages();
  EXPECT_LT(chain->p_won(open.front()), chain->p_won(open.back()));
}

}  // namespace
}  // namespace dealflow::planning
