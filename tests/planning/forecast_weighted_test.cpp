// The weighted and categories forecasts on a hand-computed log.
#include <gtest/gtest.h>

#include "dealflow/planning/forecast.h"
#include "forecast_fixture.h"

namespace dealflow::planning {
namespace {

using forecast_testing::at;
using forecast_testing::forecast_pipeline;
using forecast_testing::rub;

ForecastQuery q3(std::vector<ForecastMethod> methods) {
  ForecastQuery q;
  q.period = *parse_period("2026-Q3");
  q.as_of = at("2026-08-01T00:00:00Z");
  q.methods = std::move(methods);
  return q;
}

TEST(ForecastWeighted, CompanyByHand) {
  const auto log = forecast_testing::hand_log();
  auto r = forecast(log, forecast_pipeline(), q3({ForecastMethod::weighted}));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->rows.size(), 1u);
  const ForecastRow& row = r->rows[0];
  EXPECT_EQ(row.scope, "company");
  EXPECT_EQ(row.currency, Currency::of("RUB"));
  EXPECT_EQ(row.fact, 70000);  // F only: G closed before the period, H lost
  EXPECT_EQ(row.fact_deals, 1);
  // (100000*1000 + 200000*3333 + 50001*9000) / 10000 = 121660.9 -> 121661
  EXPECT_EQ(row.expected, 121661);
  EXPECT_EQ(row.forecast, 191661);
  EXPECT_EQ(row.open_deals, 5);
}

TEST(ForecastWeighted, ByManagerCreditsTheOwnerAtClosing) {
  const auto log = forecast_testing::hand_log();
  auto q = q3({ForecastMethod::weighted});
  q.scope = {ForecastScope::Kind::dimension,
             analytics::to_dimension_id(analytics::StandardDimension::manager),
             "manager",
             {}};
  auto r = forecast(log, forecast_pipeline(), q);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->rows.size(), 3u);
  // Byte order: "Иванов" < "Петрова"; the empty owner (E) last.
  EXPECT_EQ(r->rows[0].scope, "Иванов");
  EXPECT_EQ(r->rows[0].fact, 70000);      // F was Иванов's when won, Петрова's later
  EXPECT_EQ(r->rows[0].expected, 76660);  // (100000*1000 + 200000*3333) / 10000
  EXPECT_EQ(r->rows[1].scope, "Петрова");
  EXPECT_EQ(r->rows[1].fact, 0);
  EXPECT_EQ(r->rows[1].expected, 45001);      // 50001*9000/10000 = 45000.9; D after the period
  EXPECT_EQ(r->rows[2].scope, std::nullopt);  // "(none)"
  EXPECT_EQ(r->rows[2].expected, 0);          // E has no close date
}

TEST(ForecastWeighted, RoundsHalfToEvenOncePerTotal) {
  for (const auto& [deals, expected] :
       std::vector<std::pair<int, std::int64_t>>{{1, 0}, {2, 1}, {3, 2}, {5, 2}}) {
    analytics::EventLog log;
    for (int i = 0; i < deals; ++i) {
      const auto d = forecast_testing::add(
          log,
          {("D" + std::to_string(i)).c_str(), "2026-07-01", rub(1), "m", {{"NEW", "2026-07-01T10:00:00Z"}}});
      (void)log.add_close_date_change(d, at("2026-07-01T10:00:00Z"), forecast_testing::date("2026-07-31"));
      (void)log.add_probability_change(d, at("2026-07-01T10:00:00Z"), 5000);
    }
    log.seal();
    auto r = forecast(log, forecast_pipeline(), q3({ForecastMethod::weighted}));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->rows[0].expected, expected) << deals << " deals of 1 kopeck at 50 %";
  }
}

TEST(ForecastCategories, CumulativeRollupsWithAnAdjustmentByHand) {
  const auto log = forecast_testing::hand_log();
  auto q = q3({ForecastMethod::categories});
  auto adj = parse_adjustments_csv(
      "scope,period,category,amount,currency,author,at,note\n"
      "company,2026-Q3,commit,1200.00,RUB,Петрова,2026-07-01T09:00:00Z,first call\n"
      "company,2026-Q3,commit,1500.00,RUB,Петрова,2026-07-20T10:00:00Z,\"two renewals, signed\"\n"
      "company,2026-Q3,commit,9999.00,RUB,Петрова,2026-08-05T10:00:00Z,after as_of\n"
      "company,2026-Q4,best_case,1.00,RUB,Иванов,2026-07-20T10:00:00Z,another period\n",
      "adj.csv");
  ASSERT_TRUE(adj.ok()) << adj.status().to_string();
  q.adjustments = *adj;
  auto r = forecast(log, forecast_pipeline(), q);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->rows.size(), 1u);
  const auto& c = *r->rows[0].categories;
  // Open in the period: C commit 50001, B best case 200000, A pipeline 100000 (D after, E undated).
  EXPECT_EQ(c.closed, 70000);
  EXPECT_EQ(c.commit, 120001);         // 50001 + 70000
  EXPECT_EQ(c.best_case, 320001);      // 200000 + 50001 + 70000
  EXPECT_EQ(c.open_pipeline, 350001);  // 100000 + 200000 + 50001
  ASSERT_TRUE(c.adjusted[0].has_value());
  EXPECT_EQ(c.adjusted[0]->amount, rub(150000));
  EXPECT_EQ(c.adjusted[0]->author, "Петрова");
  EXPECT_EQ(c.adjusted[0]->note, "two renewals, signed");
  EXPECT_EQ(c.adjusted[0]->at, at("2026-07-20T10:00:00Z"));
  EXPECT_FALSE(c.adjusted[1].has_value());
  EXPECT_FALSE(c.adjusted[2].has_value());
  EXPECT_EQ(r->rows[0].forecast, 150000);  // the adjusted commit roll-up
  EXPECT_EQ(r->rows[0].expected, 80000);
}

TEST(ForecastCategories, UnadjustedCommitIsThePointForecast) {
  const auto log = forecast_testing::hand_log();
  auto r = forecast(log, forecast_pipeline(), q3({ForecastMethod::categories}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows[0].forecast, 120001);
}

TEST(ForecastPerDeal, WeightedAndCategoriesProbabilities) {
  const auto log = forecast_testing::hand_log();
  const auto as_of = at("2026-08-01T00:00:00Z");
  auto state = pipeline_state_as_of(log, forecast_pipeline(), as_of);
  ASSERT_TRUE(state.ok());
  auto models = fit_models(log, forecast_pipeline(), as_of);
  ASSERT_TRUE(models.ok()) << models.status().to_string();
  const Instant end = parse_period("2026-Q3")->end_instant();
  const auto w = deal_win_probabilities(ForecastMethod::weighted, *models, forecast_pipeline(), *state, end);
  ASSERT_EQ(w.size(), 5u);  // A B C D E, by DealId
  EXPECT_DOUBLE_EQ(w[0], 0.1);
  EXPECT_DOUBLE_EQ(w[1], 0.3333);
  EXPECT_DOUBLE_EQ(w[2], 0.9);
  EXPECT_DOUBLE_EQ(w[3], 0.0);
  EXPECT_DOUBLE_EQ(w[4], 0.0);
  const auto c =
      deal_win_probabilities(ForecastMethod::categories, *models, forecast_pipeline(), *state, end);
  EXPECT_EQ(c, (std::vector<double>{0, 0, 1, 0, 0}));
}

TEST(ForecastPerDeal, APeriodAheadCountsOnlyCloseDatesInIt) {
  analytics::EventLog log;
  const auto p =
      forecast_testing::add(log, {"P", "2026-06-01", rub(100), "m", {{"NEW", "2026-06-01T10:00:00Z"}}});
  const auto q =
      forecast_testing::add(log, {"Q", "2026-06-01", rub(100), "m", {{"NEW", "2026-06-01T10:00:00Z"}}});
  (void)log.add_close_date_change(p, at("2026-06-01T10:00:00Z"), forecast_testing::date("2026-06-30"));
  (void)log.add_close_date_change(q, at("2026-06-01T10:00:00Z"), forecast_testing::date("2026-07-15"));
  log.seal();
  const Instant as_of = at("2026-06-15T00:00:00Z");
  auto state = pipeline_state_as_of(log, forecast_pipeline(), as_of);
  auto models = fit_models(log, forecast_pipeline(), as_of);
  ASSERT_TRUE(state.ok() && models.ok());
  const Period q3 = *parse_period("2026-Q3");
  EXPECT_EQ(deal_win_probabilities(ForecastMethod::weighted, *models, forecast_pipeline(), *state,
                                   q3.end_instant(), 0, q3.begin_instant()),
            (std::vector<double>{0.0, 0.1}));
  // Without the period's begin: everything expected before its end (the contract's form).
  EXPECT_EQ(deal_win_probabilities(ForecastMethod::weighted, *models, forecast_pipeline(), *state,
                                   q3.end_instant()),
            (std::vector<double>{0.1, 0.1}));
  // The report stands before the period: fact 0, only Q counts (100 x 1000 / 10000 = 10).
  ForecastQuery query;
  query.period = q3;
  query.as_of = as_of;
  query.methods = {ForecastMethod::weighted};
  auto r = forecast(log, forecast_pipeline(), query);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->rows[0].fact, 0);
  EXPECT_EQ(r->rows[0].expected, 10);
}

TEST(ForecastMonteCarlo, PerScopeTargets) {
  const auto log = forecast_testing::hand_log();
  auto q = q3({ForecastMethod::monte_carlo});
  q.scope = {ForecastScope::Kind::dimension,
             analytics::to_dimension_id(analytics::StandardDimension::manager),
             "manager",
             {}};
  q.scope_targets.emplace("Иванов", rub(70000));                     // the fact alone reaches it
  q.scope_targets.emplace("Петрова", rub(1));                        // in reach only if C or D is won
  q.scope_targets.emplace("(none)", Money(1, Currency::of("USD")));  // no USD row: not computed
  q.trials = 1000;
  auto r = forecast(log, forecast_pipeline(), q);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->rows.size(), 3u);
  EXPECT_EQ(r->rows[0].distribution->p_reach_target, 1.0);
  ASSERT_TRUE(r->rows[1].distribution->p_reach_target.has_value());
  EXPECT_LE(*r->rows[1].distribution->p_reach_target, 1.0);
  EXPECT_FALSE(r->rows[2].distribution->p_reach_target.has_value());
}

TEST(ForecastMethodNames, RoundTrip) {
  for (ForecastMethod m : kForecastMethods) EXPECT_EQ(parse_forecast_method(to_string(m)), m);
  EXPECT_EQ(parse_forecast_method("monte_carlo"), ForecastMethod::monte_carlo);
  EXPECT_EQ(parse_forecast_method("linear"), std::nullopt);
}

TEST(ForecastErrors, NoMethodNoTrialsUnsealedLogAndNegativeWindow) {
  const auto log = forecast_testing::hand_log();
  EXPECT_EQ(forecast(log, forecast_pipeline(), q3({})).status().code(), ErrorCode::invalid_argument);
  auto q = q3({ForecastMethod::monte_carlo});
  q.trials = 0;
  EXPECT_EQ(forecast(log, forecast_pipeline(), q).status().code(), ErrorCode::invalid_argument);
  FitOptions bad;
  bad.training_window = std::chrono::seconds(-1);
  EXPECT_EQ(fit_models(log, forecast_pipeline(), at("2026-08-01"), bad).status().code(),
            ErrorCode::invalid_argument);
  q = q3({ForecastMethod::weighted});
  q.scope = {ForecastScope::Kind::dimension, analytics::DimensionId{999}, "nothing", {}};
  EXPECT_EQ(forecast(log, forecast_pipeline(), q).status().code(), ErrorCode::invalid_argument);
  analytics::EventLog unsealed;
  forecast_testing::add(unsealed, {"X", "2026-06-01", rub(1), "m", {{"NEW", "2026-06-01T10:00:00Z"}}});
  EXPECT_FALSE(forecast(unsealed, forecast_pipeline(), q3({ForecastMethod::weighted})).ok());
}

}  // namespace
}  // namespace dealflow::planning

namespace dealflow::planning {
namespace {

// The close-date rule is "in the period": a deal still open whose expected close
// date lies in an earlier period (overdue since June) is not in Q3's forecast
// (weighted, categories, markov), as in CRMs' forecast views; one expected on
// 2026-07-01 (the first day) is.
TEST(ForecastWeighted, CloseDateBeforeThePeriodDoesNotCount) {
  analytics::EventLog log;
  const DealId overdue = forecast_testing::add(
      log,
      {"OLD", "2026-05-01", forecast_testing::rub(100000), "Иванов", {{"COMMIT", "2026-05-01T10:00:00Z"}}});
  const DealId first = forecast_testing::add(
      log,
      {"FIRST", "2026-05-02", forecast_testing::rub(10000), "Иванов", {{"COMMIT", "2026-05-02T10:00:00Z"}}});
  log.set_close_date(overdue, *Date::parse("2026-06-30"));
  log.set_close_date(first, *Date::parse("2026-07-01"));
  log.seal();
  auto r = forecast(log, forecast_pipeline(), q3({ForecastMethod::weighted, ForecastMethod::categories}));
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->rows[0].expected, 9000);   // FIRST only: 10000 x 90 %
  EXPECT_EQ(r->rows[1].expected, 10000);  // FIRST is Commit; OLD is not in the period
  EXPECT_EQ(r->rows[0].open_deals, 2);    // both are open (with an amount) all the same
}

}  // namespace
}  // namespace dealflow::planning
