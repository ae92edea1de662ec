// Backtest snapshot instants and accuracy metrics: see dealflow/planning/backtest.h.
#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "dealflow/planning/backtest.h"

namespace dealflow::planning {

std::string_view to_string(SnapshotEvery every) noexcept {
  return every == SnapshotEvery::monday ? "monday" : "month-start";
}

std::optional<SnapshotEvery> parse_snapshot_every(std::string_view text) noexcept {
  if (text == "monday") return SnapshotEvery::monday;
  if (text == "month-start") return SnapshotEvery::month_start;
  return std::nullopt;
}

std::vector<Instant> snapshot_instants(SnapshotEvery every, Instant from, Instant to,
                                       int utc_offset_minutes) {
  std::vector<Instant> out;
  if (to < from) return out;
  for (Date d = from.date(utc_offset_minutes); d <= to.date(utc_offset_minutes); d = d + 1) {
    const bool take = every == SnapshotEvery::monday ? d.iso_weekday() == 1 : d.day() == 1;
    if (!take) continue;
    const Instant t = Instant::at_midnight(d, utc_offset_minutes);
    if (from <= t && t <= to) out.push_back(t);
  }
  return out;
}

Status add_snapshot(AccuracyMetrics& m, std::int64_t forecast, std::int64_t actual) {
  std::int64_t error = 0, abs_error = 0, abs_actual = 0;
  if (__builtin_sub_overflow(forecast, actual, &error) || error == INT64_MIN || actual == INT64_MIN) {
    return Status(ErrorCode::overflow, "backtest: forecast " + std::to_string(forecast) + " minus actual " +
                                           std::to_string(actual) + " overflows");
  }
  abs_error = std::llabs(error);
  abs_actual = std::llabs(actual);
  if (__builtin_add_overflow(m.sum_actual, abs_actual, &m.sum_actual) ||
      __builtin_add_overflow(m.sum_abs_error, abs_error, &m.sum_abs_error) ||
      __builtin_add_overflow(m.sum_error, error, &m.sum_error)) {
    return Status(ErrorCode::overflow, "backtest: the sum of errors over the snapshots overflows");
  }
  ++m.snapshots;
  if (actual != 0) {
    ++m.mape_snapshots;
    m.sum_ape += static_cast<double>(abs_error) / static_cast<double>(abs_actual);
  }
  return {};
}

void add_prediction(AccuracyMetrics& m, double p, bool won) noexcept {
  const double e = p - (won ? 1.0 : 0.0);
  ++m.predictions;
  m.sum_squared += e * e;
}

void finish(AccuracyMetrics& m) noexcept {
  m.mape = m.mape_snapshots ? std::optional<double>(m.sum_ape / static_cast<double>(m.mape_snapshots))
                            : std::nullopt;
  if (m.sum_actual != 0) {
    m.wape = static_cast<double>(m.sum_abs_error) / static_cast<double>(m.sum_actual);
    m.bias = static_cast<double>(m.sum_error) / static_cast<double>(m.sum_actual);
  } else {
    m.wape = m.bias = std::nullopt;
  }
  m.brier = m.predictions ? std::optional<double>(m.sum_squared / static_cast<double>(m.predictions))
                          : std::nullopt;
}

Calibration empty_calibration() noexcept {
  Calibration c;
  for (std::size_t i = 0; i < c.size(); ++i) {
    c[i].lower = static_cast<double>(i) / 10.0;
    c[i].upper = static_cast<double>(i + 1) / 10.0;
  }
  return c;
}

void add_prediction(Calibration& c, double p, bool won) noexcept {
  const double q = std::clamp(std::isnan(p) ? 0.0 : p, 0.0, 1.0);
  const std::size_t bin = std::min<std::size_t>(9, static_cast<std::size_t>(std::floor(q * 10.0)));
  ++c[bin].deals;
  c[bin].won += won ? 1 : 0;
  c[bin].sum_predicted += q;
}

}  // namespace dealflow::planning
