// Hand-computed accuracy metrics (MAPE, WAPE, bias, Brier, calibration) and snapshot instants.
#include <gtest/gtest.h>

#include "backtest_fixture.h"
#include "dealflow/planning/backtest.h"

namespace dealflow::planning {
namespace {

using testing::at;

TEST(BacktestMetrics, MapeWapeBiasByHand) {
  // Snapshots (F, A): (110, 100), (80, 100), (50, 0), (300, 200).
  AccuracyMetrics m;
  ASSERT_TRUE(add_snapshot(m, 110, 100).ok());
  ASSERT_TRUE(add_snapshot(m, 80, 100).ok());
  ASSERT_TRUE(add_snapshot(m, 50, 0).ok());
  ASSERT_TRUE(add_snapshot(m, 300, 200).ok());
  finish(m);
  EXPECT_EQ(m.snapshots, 4u);
  EXPECT_EQ(m.mape_snapshots, 3u);
  // MAPE = (0.1 + 0.2 + 0.5) / 3 (the A = 0 snapshot has no term).
  EXPECT_DOUBLE_EQ(*m.mape, 0.8 / 3);
  // WAPE = (10 + 20 + 50 + 100) / (100 + 100 + 0 + 200) = 180 / 400.
  EXPECT_EQ(m.sum_abs_error, 180);
  EXPECT_EQ(m.sum_actual, 400);
  EXPECT_DOUBLE_EQ(*m.wape, 0.45);
  // bias = (10 - 20 + 50 + 100) / 400 = 140 / 400.
  EXPECT_EQ(m.sum_error, 140);
  EXPECT_DOUBLE_EQ(*m.bias, 0.35);
  EXPECT_FALSE(m.brier.has_value());
}

TEST(BacktestMetrics, NoActualMeansNoRatio) {
  AccuracyMetrics m;
  ASSERT_TRUE(add_snapshot(m, 10, 0).ok());
  finish(m);
  EXPECT_FALSE(m.mape || m.wape || m.bias);
  EXPECT_EQ(m.sum_abs_error, 10);
}

TEST(BacktestMetrics, Overflow) {
  AccuracyMetrics m;
  EXPECT_EQ(add_snapshot(m, INT64_MAX, -1).code(), ErrorCode::overflow);
  ASSERT_TRUE(add_snapshot(m, INT64_MAX - 1, 0).ok());
  EXPECT_EQ(add_snapshot(m, INT64_MAX - 1, 0).code(), ErrorCode::overflow);
}

TEST(BacktestMetrics, BrierAndCalibrationByHand) {
  // (p, y): (0.9, won), (0.9, lost), (0.25, lost), (0.05, lost), (1.0, won), (0.0, won).
  AccuracyMetrics m;
  Calibration c = empty_calibration();
  const std::vector<std::pair<double, bool>> cases = {{0.9, true},   {0.9, false}, {0.25, false},
                                                      {0.05, false}, {1.0, true},  {0.0, true}};
  for (auto [p, y] : cases) {
    add_prediction(m, p, y);
    add_prediction(c, p, y);
  }
  finish(m);
  // Brier = (0.01 + 0.81 + 0.0625 + 0.0025 + 0 + 1) / 6 = 1.885 / 6.
  EXPECT_NEAR(*m.brier, 1.885 / 6, 1e-15);
  EXPECT_EQ(c[0].deals, 2u);  // 0.05 and 0.0
  EXPECT_EQ(c[0].won, 1u);
  EXPECT_DOUBLE_EQ(*c[0].mean_predicted(), 0.025);
  EXPECT_DOUBLE_EQ(*c[0].observed(), 0.5);
  EXPECT_EQ(c[2].deals, 1u);  // 0.25
  EXPECT_EQ(c[9].deals, 3u);  // 0.9, 0.9 and 1.0 (the last bin includes 1)
  EXPECT_EQ(c[9].won, 2u);
  EXPECT_NEAR(*c[9].mean_predicted(), 2.8 / 3, 1e-15);
  EXPECT_FALSE(c[5].observed().has_value());
  EXPECT_DOUBLE_EQ(c[3].lower, 0.3);
  EXPECT_DOUBLE_EQ(c[3].upper, 0.4);
}

TEST(BacktestSnapshots, MondaysAndMonthStartsAtTheOffset) {
  // 2024-01-01 is a Monday. At +03:00 its local midnight is 2023-12-31T21:00Z.
  auto mondays =
      snapshot_instants(SnapshotEvery::monday, at("2023-12-31T21:00:00Z"), at("2024-01-22T00:00:00Z"), 180);
  ASSERT_EQ(mondays.size(), 4u);
  EXPECT_EQ(mondays[0], at("2023-12-31T21:00:00Z"));
  EXPECT_EQ(mondays[3], at("2024-01-21T21:00:00Z"));
  auto starts =
      snapshot_instants(SnapshotEvery::month_start, at("2024-01-15T00:00:00Z"), at("2024-04-01T00:00:00Z"));
  ASSERT_EQ(starts.size(), 3u);
  EXPECT_EQ(starts[0], at("2024-02-01T00:00:00Z"));
  EXPECT_EQ(starts[2], at("2024-04-01T00:00:00Z"));
  EXPECT_TRUE(snapshot_instants(SnapshotEvery::monday, at("2024-02-01T00:00:00Z"), at("2024-01-01T00:00:00Z"))
                  .empty());
  EXPECT_EQ(parse_snapshot_every("month-start"), SnapshotEvery::month_start);
  EXPECT_FALSE(parse_snapshot_every("tuesday").has_value());
}

}  // namespace
}  // namespace dealflow::planning
