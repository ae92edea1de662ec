// The backtest on a hand-computed history, its errors, and the no-look-ahead
// property: at every snapshot T the numbers equal those computed on the log
// cut at T.
#include "dealflow/planning/backtest.h"

#include <gtest/gtest.h>

#include "backtest_fixture.h"

namespace dealflow::planning {
namespace {

using testing::at;
using testing::sales_pipeline;
using testing::sales_stage;

// January 2024 (period kind month):
//   A: 1000 RUB, NEW from 01-01, expected close 01-20, won 01-10 (Иванов; owner Петрова from 01-12);
//   B: 2000 RUB, CONTRACT (90 %, commit) from 01-02, expected close 01-25, lost 01-20 (Петрова);
//   C: 500 RUB, won 01-05 (Иванов);
//   E: 300 RUB, QUAL (30 %, pipeline) from 01-02, expected close 03-10, still open (Петрова);
//   D: created 02-15, NEW 02-20 (the data end).
analytics::EventLog january_log() {
  analytics::EventLog log;
  const PipelineId sales = log.intern_pipeline("sales");
  const Currency rub = Currency::of("RUB");
  auto a = *log.add_deal("A", sales, at("2024-01-01T00:00:00Z"), Money(1000, rub));
  auto b = *log.add_deal("B", sales, at("2024-01-02T00:00:00Z"), Money(2000, rub));
  auto c = *log.add_deal("C", sales, at("2024-01-03T00:00:00Z"), Money(500, rub));
  auto d = *log.add_deal("D", sales, at("2024-02-15T00:00:00Z"), Money(700, rub));
  auto e = *log.add_deal("E", sales, at("2024-01-02T00:00:00Z"), Money(300, rub));
  log.set_dimension(e, analytics::StandardDimension::manager, "Петрова");
  log.set_close_date(e, Date::parse("2024-03-10").value());
  EXPECT_TRUE(log.append_event(e, at("2024-01-02T00:00:00Z"), sales_stage("QUAL")).ok());
  log.set_dimension(a, analytics::StandardDimension::manager, "Иванов");
  log.set_dimension(b, analytics::StandardDimension::manager, "Петрова");
  log.set_dimension(c, analytics::StandardDimension::manager, "Иванов");
  log.set_close_date(a, Date::parse("2024-01-20").value());
  log.set_close_date(b, Date::parse("2024-01-25").value());
  EXPECT_TRUE(log.append_event(a, at("2024-01-01T00:00:00Z"), sales_stage("NEW")).ok());
  EXPECT_TRUE(log.append_event(a, at("2024-01-10T00:00:00Z"), sales_stage("WON")).ok());
  EXPECT_TRUE(log.append_event(b, at("2024-01-02T00:00:00Z"), sales_stage("CONTRACT")).ok());
  EXPECT_TRUE(log.append_event(b, at("2024-01-20T00:00:00Z"), sales_stage("LOST")).ok());
  EXPECT_TRUE(log.append_event(c, at("2024-01-03T00:00:00Z"), sales_stage("NEW")).ok());
  EXPECT_TRUE(log.append_event(c, at("2024-01-05T00:00:00Z"), sales_stage("WON")).ok());
  EXPECT_TRUE(log.append_event(d, at("2024-02-20T00:00:00Z"), sales_stage("NEW")).ok());
  EXPECT_TRUE(log.add_dimension_change(a, at("2024-01-12T00:00:00Z"),
                                       analytics::to_dimension_id(analytics::StandardDimension::manager),
                                       "Петрова")
                  .ok());
  log.seal();
  return log;
}

BacktestQuery january_query() {
  BacktestQuery q;
  q.snapshots = {at("2024-01-15T00:00:00Z"), at("2024-01-08T00:00:00Z"), at("2024-02-05T00:00:00Z")};
  q.period_kind = PeriodKind::month;
  q.methods = {ForecastMethod::categories, ForecastMethod::weighted};
  return q;
}

const MethodAccuracy* find(const BacktestReport& r, ForecastMethod m,
                           const std::optional<std::string>& scope) {
  for (const auto& a : r.accuracy)
    if (a.method == m && a.scope == scope) return &a;
  return nullptr;
}

TEST(Backtest, HandComputedJanuary) {
  const analytics::EventLog log = january_log();
  auto r = backtest(log, sales_pipeline(), january_query());
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  ASSERT_EQ(r->snapshots.size(), 3u);
  EXPECT_TRUE(r->snapshots[0].evaluated && r->snapshots[1].evaluated);
  EXPECT_FALSE(r->snapshots[2].evaluated);  // February ends after the data end 02-20
  EXPECT_EQ(r->snapshots[0].period.label, "2024-01");
  EXPECT_EQ(r->currency, Currency::of("RUB"));
  // 01-08: fact 500 (C); open A (NEW 10 %, closes 01-20: 100), B (90 %: 1800, commit: 2000) and
  //   E (closes after January: 0). weighted 2400, categories 2500; actual 1500 (A + C).
  // 01-15: fact 1500; open B and E. weighted 3300, categories 3500.
  ASSERT_EQ(r->points.size(), 4u);
  const auto& p = r->points;
  EXPECT_EQ(p[0].method, ForecastMethod::categories);
  EXPECT_EQ(p[0].forecast, 2500);
  EXPECT_EQ(p[1].method, ForecastMethod::weighted);
  EXPECT_EQ(p[1].fact, 500);
  EXPECT_EQ(p[1].forecast, 2400);
  EXPECT_EQ(p[1].actual, 1500);
  EXPECT_EQ(p[2].forecast, 3500);
  EXPECT_EQ(p[3].fact, 1500);
  EXPECT_EQ(p[3].forecast, 3300);
  // weighted: errors +900, +1800: WAPE 2700/3000, bias +0.9, MAPE (0.6 + 1.2)/2.
  // categories: errors +1000, +2000: WAPE 1, bias +1.
  ASSERT_EQ(r->ranking.size(), 2u);
  EXPECT_EQ(r->ranking[0].method, ForecastMethod::weighted);
  EXPECT_DOUBLE_EQ(*r->ranking[0].total.wape, 0.9);
  EXPECT_DOUBLE_EQ(*r->ranking[0].total.bias, 0.9);
  EXPECT_DOUBLE_EQ(*r->ranking[0].total.mape, 0.9);
  EXPECT_EQ(r->ranking[1].method, ForecastMethod::categories);
  EXPECT_DOUBLE_EQ(*r->ranking[1].total.wape, 1.0);
  EXPECT_DOUBLE_EQ(*r->ranking[1].total.bias, 1.0);
  // Brier over 5 predictions (A, B, E; B, E): weighted (0.1 - 1)² + 2 (0.9 - 0)² + 0 + 0;
  // categories (0 - 1)² + 2 (1 - 0)² + 0 + 0.
  EXPECT_NEAR(*r->ranking[0].total.brier, 2.43 / 5, 1e-15);
  EXPECT_DOUBLE_EQ(*r->ranking[1].total.brier, 0.6);
  EXPECT_EQ(r->ranking[0].calibration[1].deals, 1u);  // A at 0.1
  EXPECT_EQ(r->ranking[0].calibration[1].won, 1u);
  EXPECT_EQ(r->ranking[0].calibration[9].deals, 2u);  // B twice at 0.9
  EXPECT_EQ(r->ranking[0].calibration[9].won, 0u);
  EXPECT_EQ(r->ranking[0].calibration[0].deals, 2u);  // E twice at 0
  const auto* company = find(*r, ForecastMethod::weighted, std::string("company"));
  ASSERT_NE(company, nullptr);
  EXPECT_EQ(company->metrics.sum_abs_error, 2700);
  ASSERT_FALSE(r->notes.empty());
  EXPECT_NE(r->notes.back().find("1 of 3 snapshots are not evaluated"), std::string::npos) << r->notes.back();
}

TEST(Backtest, ByManagerCreditsTheOwnerAtClosing) {
  const analytics::EventLog log = january_log();
  BacktestQuery q = january_query();
  q.scope.kind = ForecastScope::Kind::dimension;
  q.scope.dimension = analytics::to_dimension_id(analytics::StandardDimension::manager);
  q.scope.name = "manager";
  auto r = backtest(log, sales_pipeline(), q);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  // A was won by Иванов (owner changed to Петрова after closing): Иванов's actual is 1500.
  const auto* ivanov = find(*r, ForecastMethod::weighted, std::string("Иванов"));
  const auto* petrova = find(*r, ForecastMethod::weighted, std::string("Петрова"));
  ASSERT_NE(ivanov, nullptr);
  ASSERT_NE(petrova, nullptr);
  // Иванов: 01-08 forecast 600, 01-15 1500; actual 1500 each. Петрова: B and E, forecast 1800, actual 0.
  EXPECT_EQ(ivanov->metrics.sum_actual, 3000);
  EXPECT_EQ(ivanov->metrics.sum_abs_error, 900);
  EXPECT_EQ(petrova->metrics.sum_actual, 0);
  EXPECT_FALSE(petrova->metrics.wape.has_value());
  EXPECT_EQ(petrova->metrics.sum_abs_error, 3600);
  EXPECT_EQ(petrova->metrics.predictions, 4u);
  // Scope order: key bytes ascending ("Иванов" < "Петрова").
  EXPECT_EQ(r->accuracy.front().scope, std::string("Иванов"));
}

TEST(Backtest, Errors) {
  const analytics::EventLog log = january_log();
  BacktestQuery q = january_query();
  q.methods.clear();
  EXPECT_EQ(backtest(log, sales_pipeline(), q).status().code(), ErrorCode::invalid_argument);
  q = january_query();
  q.snapshots.clear();
  EXPECT_EQ(backtest(log, sales_pipeline(), q).status().code(), ErrorCode::invalid_argument);
  // Two currencies without an FX conversion.
  analytics::EventLog two = january_log();
  auto e =
      *two.add_deal("F", two.pipeline(DealId{0}), at("2024-01-02T00:00:00Z"), Money(1, Currency::of("USD")));
  ASSERT_TRUE(two.append_event(e, at("2024-01-02T00:00:00Z"), sales_stage("NEW")).ok());
  two.seal();
  auto r = backtest(two, sales_pipeline(), january_query());
  ASSERT_EQ(r.status().code(), ErrorCode::invalid_argument);
  EXPECT_NE(r.status().message().find("deal 'C' in RUB, deal 'F' in USD"), std::string::npos)
      << r.status().message();
  // An unsealed log.
  analytics::EventLog unsealed = january_log();
  ASSERT_TRUE(unsealed.append_event(DealId{0}, at("2024-01-02T00:00:00Z"), sales_stage("NEW")).ok());
  EXPECT_EQ(backtest(unsealed, sales_pipeline(), january_query()).status().code(),
            ErrorCode::invalid_argument);
}

// No look-ahead: fitting and forecasting at snapshot T on the full log gives
// exactly the numbers computed on the log cut at T (only what existed then),
// for every method and scope, over random histories and several T.
TEST(Backtest, NoLookAheadOnRandomHistories) {
  for (std::uint32_t seed = 1; seed <= 6; ++seed) {
    testing::RandomLogOptions o;
    o.deals = 80;
    o.moves = seed % 2 == 0;
    const analytics::EventLog full = testing::random_log(seed, o);
    for (const char* when : {"2024-02-05T00:00:00Z", "2024-03-04T00:00:00Z", "2024-04-15T00:00:00Z"}) {
      const Instant t = at(when);
      const analytics::EventLog cut = testing::cut_log(full, t);
      for (bool by_manager : {false, true}) {
        BacktestQuery q;
        q.snapshots = {t};
        q.period_kind = PeriodKind::quarter;
        q.data_end =
            at("2030-01-01T00:00:00Z");  // evaluate T on both logs (the actuals differ, not the forecasts)
        q.fit.training_window = std::chrono::days(60);
        if (by_manager) {
          q.scope.kind = ForecastScope::Kind::dimension;
          q.scope.dimension = analytics::to_dimension_id(analytics::StandardDimension::manager);
          q.scope.name = "manager";
        }
        auto a = backtest(full, sales_pipeline(), q);
        auto b = backtest(cut, sales_pipeline(), q);
        ASSERT_TRUE(a.ok()) << a.status().to_string();
        ASSERT_TRUE(b.ok()) << b.status().to_string();
        EXPECT_EQ(a->snapshots[0].open_deals, b->snapshots[0].open_deals);
        EXPECT_GT(a->snapshots[0].open_deals, 0u) << "seed " << seed << " " << when;
        // The points with a forecast (the cut log has no later actuals, so scopes present only
        // through later wins are missing there): every point of the cut log's report is in the full one.
        EXPECT_FALSE(b->points.empty());
        for (const BacktestPoint& pb : b->points) {
          auto it = std::find_if(a->points.begin(), a->points.end(), [&](const BacktestPoint& pa) {
            return pa.method == pb.method && pa.scope == pb.scope;
          });
          ASSERT_NE(it, a->points.end()) << "seed " << seed << " " << when;
          EXPECT_EQ(it->fact, pb.fact) << "seed " << seed << " " << when << " " << to_string(pb.method);
          EXPECT_EQ(it->forecast, pb.forecast)
              << "seed " << seed << " " << when << " " << to_string(pb.method);
        }
        for (std::size_t m = 0; m < a->ranking.size(); ++m) {
          EXPECT_EQ(a->ranking[m].total.predictions, b->ranking[m].total.predictions);
        }
        // Deal-level probabilities, method by method, on the two logs.
        auto sa = pipeline_state_as_of(full, sales_pipeline(), t);
        auto sb = pipeline_state_as_of(cut, sales_pipeline(), t);
        ASSERT_TRUE(sa.ok() && sb.ok());
        auto ma = fit_models(full, sales_pipeline(), t, q.fit);
        auto mb = fit_models(cut, sales_pipeline(), t, q.fit);
        ASSERT_TRUE(ma.ok() && mb.ok());
        const Instant end = period_containing(PeriodKind::quarter, t.date()).end_instant();
        for (ForecastMethod m : kForecastMethods) {
          EXPECT_EQ(deal_win_probabilities(m, *ma, sales_pipeline(), *sa, end),
                    deal_win_probabilities(m, *mb, sales_pipeline(), *sb, end))
              << "seed " << seed << " " << when << " " << to_string(m);
        }
      }
    }
  }
}

}  // namespace
}  // namespace dealflow::planning
