// Properties of the per-deal forecast layer over random histories: no
// look-ahead (a log cut at T gives the same probabilities as the full log seen
// at T), probabilities in [0, 1], markov as Σ amount × p_won, and the report's
// expected amounts equal to the per-deal probabilities summed.
#include <gtest/gtest.h>

#include <random>

#include "dealflow/planning/forecast.h"
#include "forecast_fixture.h"

namespace dealflow::planning {
namespace {

using forecast_testing::forecast_pipeline;

struct RandomEvent {
  std::int64_t at;
  std::uint16_t stage;
};
struct RandomDeal {
  std::string key;
  std::int64_t created;
  std::int64_t amount;
  std::string manager;
  std::vector<RandomEvent> events;
  std::vector<std::pair<std::int64_t, std::int32_t>> close_dates;  // at, days since epoch
  std::vector<std::pair<std::int64_t, std::uint32_t>> probabilities;
};

std::vector<RandomDeal> random_deals(std::uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  const std::int64_t t0 = forecast_testing::at("2025-01-01").unix_seconds();
  std::vector<RandomDeal> out;
  for (int i = 0; i < n; ++i) {
    RandomDeal d;
    d.key = "D" + std::to_string(i);
    d.created = t0 + static_cast<std::int64_t>(rng() % (500 * 86400));
    d.amount = 1000 + static_cast<std::int64_t>(rng() % 1'000'000);
    d.manager = std::vector<std::string>{"Иванов", "Петрова", "Lindqvist", ""}[rng() % 4];
    std::int64_t t = d.created;
    const int steps = 1 + static_cast<int>(rng() % 5);
    for (int k = 0; k < steps; ++k) {
      std::uint16_t stage = static_cast<std::uint16_t>(rng() % 3);  // open
      if (k == steps - 1 && rng() % 3 != 0) stage = static_cast<std::uint16_t>(3 + rng() % 2);
      d.events.push_back({t, stage});
      t += 3600 + static_cast<std::int64_t>(rng() % (40 * 86400));
    }
    for (int k = 0; k < 2; ++k) {
      const std::int64_t at = d.created + static_cast<std::int64_t>(rng() % (90 * 86400));
      d.close_dates.push_back(
          {at, static_cast<std::int32_t>(at / 86400 + static_cast<std::int64_t>(rng() % 200))});
      if (rng() % 2) d.probabilities.push_back({at, static_cast<std::uint32_t>(rng() % 10001)});
    }
    out.push_back(std::move(d));
  }
  return out;
}

// The log of `deals` with only what happened at or before `cut` (all when absent).
analytics::EventLog build(const std::vector<RandomDeal>& deals, std::optional<std::int64_t> cut) {
  analytics::EventLog log;
  auto keep = [&](std::int64_t at) { return !cut || at <= *cut; };
  for (const RandomDeal& r : deals) {
    auto d = *log.add_deal(r.key, log.intern_pipeline("sales"), Instant::from_unix_seconds(r.created),
                           forecast_testing::rub(r.amount));
    log.set_dimension(d, analytics::StandardDimension::manager, r.manager);
    for (const auto& e : r.events) {
      if (keep(e.at)) {
        EXPECT_TRUE(log.append_event(d, Instant::from_unix_seconds(e.at), StageId{e.stage}).ok());
      }
    }
    for (const auto& [at, day] : r.close_dates) {
      if (keep(at)) {
        const Date date = Instant::from_unix_seconds(std::int64_t{day} * 86400).date();
        EXPECT_TRUE(log.add_close_date_change(d, Instant::from_unix_seconds(at), date).ok());
      }
    }
    for (const auto& [at, p] : r.probabilities) {
      if (keep(at)) {
        EXPECT_TRUE(log.add_probability_change(d, Instant::from_unix_seconds(at), p).ok());
      }
    }
  }
  log.seal();
  return log;
}

TEST(ForecastProperty, NoLookAheadAndProbabilitiesInRange) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const auto deals = random_deals(seed, 400);
    const auto full = build(deals, std::nullopt);
    const Instant as_of = forecast_testing::at("2025-10-15T12:00:00Z");
    const auto cut = build(deals, as_of.unix_seconds());
    const Instant end = parse_period("2025-Q4")->end_instant();
    auto s_full = pipeline_state_as_of(full, forecast_pipeline(), as_of);
    auto s_cut = pipeline_state_as_of(cut, forecast_pipeline(), as_of);
    ASSERT_TRUE(s_full.ok() && s_cut.ok());
    ASSERT_EQ(s_full->open, s_cut->open);
    FitOptions fo;
    fo.training_window = std::chrono::days(200);
    auto m_full = fit_models(full, forecast_pipeline(), as_of, fo);
    auto m_cut = fit_models(cut, forecast_pipeline(), as_of, fo);
    ASSERT_TRUE(m_full.ok() && m_cut.ok());
    ASSERT_GT(s_full->open.size(), 20u);
    for (ForecastMethod m : kForecastMethods) {
      const auto a = deal_win_probabilities(m, *m_full, forecast_pipeline(), *s_full, end);
      const auto b = deal_win_probabilities(m, *m_cut, forecast_pipeline(), *s_cut, end);
      EXPECT_EQ(a, b) << to_string(m) << " seed " << seed;
      for (double p : a) {
        EXPECT_GE(p, 0.0);
        EXPECT_LE(p, 1.0);
      }
    }
  }
}

TEST(ForecastProperty, ReportExpectedIsTheSumOfPerDealProbabilities) {
  const auto deals = random_deals(9, 300);
  const auto log = build(deals, std::nullopt);
  const Instant as_of = forecast_testing::at("2025-10-15T12:00:00Z");
  ForecastQuery q;
  q.period = *parse_period("2025-Q4");
  q.as_of = as_of;
  q.methods = {ForecastMethod::weighted, ForecastMethod::categories, ForecastMethod::markov,
               ForecastMethod::timing, ForecastMethod::monte_carlo};
  q.trials = 20000;
  auto r = forecast(log, forecast_pipeline(), q);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  auto state = pipeline_state_as_of(log, forecast_pipeline(), as_of);
  auto models = fit_models(log, forecast_pipeline(), as_of);
  ASSERT_TRUE(state.ok() && models.ok());
  ASSERT_TRUE(models->markov.has_value()) << (models->notes.empty() ? "" : models->notes[0]);
  ASSERT_EQ(r->rows.size(), 5u);
  double sd = 0;  // the Monte Carlo mean's standard error
  for (const ForecastRow& row : r->rows) {
    const auto p = deal_win_probabilities(row.method, *models, forecast_pipeline(), *state, r->period_end, 0,
                                          r->period_begin);
    long double sum = 0, var = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      const auto amount = static_cast<long double>(state->open[i].amount->minor_units());
      sum += amount * p[i];
      var += amount * amount * p[i] * (1 - p[i]);
    }
    if (row.method == ForecastMethod::monte_carlo) {
      sd = std::sqrt(static_cast<double>(var) / 20000.0);
      EXPECT_NEAR(static_cast<double>(row.expected), static_cast<double>(sum), 3 * sd + 1);
    } else {
      EXPECT_NEAR(static_cast<double>(row.expected), static_cast<double>(sum),
                  0.5 + 1e-6 * static_cast<double>(sum))
          << to_string(row.method);
    }
  }
}

}  // namespace
}  // namespace dealflow::planning
