// dealflow/planning/backtest.h: which forecast method would have been right
// on this team's own history (docs/forecasting.md "Backtest").
//
// At each snapshot instant T (e.g. every Monday 00:00 at the team's UTC
// offset), with P the period of `period_kind` containing T's local date:
//   * the pipeline as it stood at T (pipeline_sweep.h: all snapshots in one
//     sweep over the log, never a rebuilt log);
//   * every method fitted only on data at or before T (fit_models(as_of = T));
//   * forecast(scope) = fact(scope) + Σ p_i × amount_i over the deals open at T
//     (p_i from deal_win_probabilities, amounts as of T), where fact = won
//     amount with closing instant in [P begin, T], amounts as of T;
//   * actual(scope) = won amount with closing instant in [P begin, P end), as
//     the log stood at the last second of P (P end − 1 s): a deal won in P and
//     reopened before P ended does not count; amounts as of then;
//   * y_i = 1 when open deal i is won (by that same state) before P ends.
// Only snapshots whose period ended by the data end (the log's latest
// instant) are evaluated; the others are listed and say so.
// Scopes: a won deal belongs to its scope as of its closing instant (manager:
// the owner who closed it), an open deal to its scope as of T.
//
// Metrics per method and scope, over the evaluated snapshots s with forecast
// F_s and actual A_s (minor units):
//   MAPE  = mean over snapshots with A_s ≠ 0 of |F_s − A_s| / |A_s|
//   WAPE  = Σ |F_s − A_s| / Σ |A_s|
//   bias  = Σ (F_s − A_s) / Σ |A_s|          (signed: > 0 over-forecasts)
//   Brier = mean over predicted deals of (p_i − y_i)²
//   calibration: deals by predicted probability decile [0, 0.1) .. [0.9, 1],
//                mean predicted vs observed win rate.
// The ranking orders the methods by the WAPE of the total (all scopes
// together), ties by |bias|, then by method order; a method without any
// evaluated actual amount ranks last.
//
// Money: every snapshot forecast is rounded once to minor units, half to even
// (weighted exactly: amount × hundredths in __int128). One currency, or an
// FxConversion into one.
//
// Ownership: plain values. Thread-safety: reentrant; concurrent calls on one
// sealed log are safe.
//
// Example:
//   dealflow::planning::BacktestQuery q;
//   q.snapshots = dealflow::planning::snapshot_instants(dealflow::planning::SnapshotEvery::monday,
//                                                       from, to, 180);
//   auto report = dealflow::planning::backtest(log, pipeline, q);
//   for (const auto& r : report->ranking) std::cout << to_string(r.method) << " " << *r.wape << "\n";
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/planning/forecast.h"
#include "dealflow/planning/period.h"
#include "dealflow/planning/pipeline_sweep.h"

namespace dealflow::planning {

enum class SnapshotEvery : std::uint8_t { monday, month_start };
std::string_view to_string(SnapshotEvery every) noexcept;  // "monday" | "month-start"
std::optional<SnapshotEvery> parse_snapshot_every(std::string_view text) noexcept;

// Local midnights (at the UTC offset) of every Monday / first day of a month
// whose instant lies in [from, to], ascending.
std::vector<Instant> snapshot_instants(SnapshotEvery every, Instant from, Instant to,
                                       int utc_offset_minutes = 0);

struct BacktestQuery {
  std::vector<Instant> snapshots;  // any order; sorted and deduplicated
  PeriodKind period_kind = PeriodKind::quarter;
  int fiscal_start_month = 1;
  int utc_offset_minutes = 0;
  ForecastScope scope;
  std::vector<ForecastMethod> methods{kForecastMethods.begin(), kForecastMethods.end()};
  FitOptions fit;
  std::optional<FxConversion> fx;
  std::optional<Instant> data_end;  // default: the log's latest_instant()
};

// The accuracy of one method over the evaluated snapshots of one scope.
struct AccuracyMetrics {
  std::uint64_t snapshots = 0;             // (snapshot, scope) pairs with a forecast or an actual
  std::uint64_t mape_snapshots = 0;        // of them, with an actual ≠ 0 (MAPE's terms)
  std::int64_t sum_actual = 0;             // Σ |A|
  std::int64_t sum_abs_error = 0;          // Σ |F − A|
  std::int64_t sum_error = 0;              // Σ (F − A)
  double sum_ape = 0.0;                    // Σ |F − A| / |A| over A ≠ 0
  std::optional<double> mape, wape, bias;  // nullopt without terms
  std::uint64_t predictions = 0;           // deal-level predictions
  double sum_squared = 0.0;                // Σ (p − y)²
  std::optional<double> brier;
};

// Adds one snapshot's forecast and actual (minor units); overflow of a sum.
Status add_snapshot(AccuracyMetrics& m, std::int64_t forecast, std::int64_t actual);
// Adds one deal's predicted probability and outcome.
void add_prediction(AccuracyMetrics& m, double p, bool won) noexcept;
// Sets mape, wape, bias and brier from the sums.
void finish(AccuracyMetrics& m) noexcept;

struct CalibrationBin {
  double lower = 0.0, upper = 0.0;  // [lower, upper); the last bin includes 1
  std::uint64_t deals = 0;
  std::uint64_t won = 0;
  double sum_predicted = 0.0;
  std::optional<double> mean_predicted() const noexcept {
    return deals ? std::optional<double>(sum_predicted / static_cast<double>(deals)) : std::nullopt;
  }
  std::optional<double> observed() const noexcept {
    return deals ? std::optional<double>(static_cast<double>(won) / static_cast<double>(deals))
                 : std::nullopt;
  }
};
using Calibration = std::array<CalibrationBin, 10>;
Calibration empty_calibration() noexcept;
// Bin min(9, floor(10 p)) (p clamped into [0, 1]).
void add_prediction(Calibration& c, double p, bool won) noexcept;

// One evaluated (snapshot, method, scope).
struct BacktestPoint {
  std::size_t snapshot = 0;  // index into BacktestReport::snapshots
  ForecastMethod method = ForecastMethod::weighted;
  std::optional<std::string> scope;  // nullopt: "(none)"; "company" without grouping
  std::int64_t fact = 0;
  std::int64_t forecast = 0;
  std::int64_t actual = 0;
};

struct BacktestSnapshot {
  Instant at;
  Period period;
  bool evaluated = false;  // its period ended by the data end
  std::uint64_t open_deals = 0;
};

struct MethodAccuracy {
  ForecastMethod method = ForecastMethod::weighted;
  std::optional<std::string> scope;  // as BacktestPoint::scope; the total has scope "total"
  AccuracyMetrics metrics;
};

struct MethodRank {
  ForecastMethod method = ForecastMethod::weighted;
  std::size_t rank = 0;  // 1 = best
  AccuracyMetrics total;
  Calibration calibration;
};

struct BacktestReport {
  PeriodKind period_kind = PeriodKind::quarter;
  int utc_offset_minutes = 0;
  std::string scope;  // "company", "manager", ...
  std::vector<ForecastMethod> methods;
  FitOptions fit;
  Instant data_end;
  Currency currency;  // of every amount (empty when no deal had an amount)
  bool converted = false;
  std::vector<BacktestSnapshot> snapshots;  // ascending
  std::vector<BacktestPoint> points;        // snapshot, then scope order, then method order
  std::vector<MethodAccuracy> accuracy;     // scope order (the empty scope last), then method
  std::vector<MethodRank> ranking;          // best first
  std::vector<std::string> notes;
};

// Errors: those of the sweep and fit_models; invalid_argument for no
// snapshot, no method, or amounts in several currencies without an
// FxConversion (naming two of them); not_found for a missing FX rate;
// overflow of a sum.
Result<BacktestReport> backtest(const analytics::EventLog& log, const Pipeline& pipeline,
                                const BacktestQuery& query);

}  // namespace dealflow::planning
