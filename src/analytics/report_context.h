// Internal: what the duration, velocity, stale-deal, transition and scorecard
// reports share when they replay deals from an EventLog against a Pipeline:
// the pipeline's stage tables, the report instant, the events of a deal at or
// before it, a deal's outcome then, grouping by a dimension and measuring
// durations in calendar or business time. The conventions are the funnel's
// (docs/funnel.md): only events at or before `as_of` count; a deal created
// after `as_of` does not exist yet; a deal's outcome is the kind of its last
// stage then; it closed when it entered its final run of terminal stages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/core/calendar.h"
#include "dealflow/core/fx.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics::detail {

enum class Outcome : std::uint8_t { open, won, lost, no_history };

struct DealState {
  std::uint32_t begin = 0;  // event indices [begin, end) of the stay at as_of, at or before as_of
  std::uint32_t end = 0;
  Outcome outcome = Outcome::no_history;
  Instant closed_at;    // won/lost: entry into the final run of terminal stages
  StageId stage;        // the stage at as_of (invalid when no history)
  Instant stage_since;  // start of the current visit (run of that stage)
};

class ReportContext {
 public:
  // Errors: the log is not sealed; the pipeline has no deals in the log
  // (not_found, listing the log's pipelines); from >= to.
  static Result<ReportContext> create(const EventLog& log, const Pipeline& pipeline,
                                      std::optional<Instant> from, std::optional<Instant> to,
                                      std::optional<Instant> as_of);

  const EventLog& log() const noexcept { return *log_; }
  const Pipeline& pipeline() const noexcept { return *pipeline_; }
  Instant as_of() const noexcept { return as_of_; }
  bool as_of_given() const noexcept { return as_of_given_; }

  // The deal belongs to the pipeline at as_of (the pipeline of its latest stay
  // then, see EventLog::stay_as_of) and existed at as_of.
  bool exists(DealId d) const noexcept;
  // exists() and created in [from, to) (the cohort).
  bool in_cohort(DealId d) const noexcept;
  DealState state(DealId d) const noexcept;

  // -1 for terminal stages and ids outside the pipeline.
  int position(StageId s) const noexcept { return s.value() < position_.size() ? position_[s.value()] : -1; }
  bool is_won(StageId s) const noexcept { return s.value() < kind_.size() && kind_[s.value()] == 1; }
  bool is_lost(StageId s) const noexcept { return s.value() < kind_.size() && kind_[s.value()] == 2; }
  bool is_terminal(StageId s) const noexcept { return is_won(s) || is_lost(s); }

 private:
  const EventLog* log_ = nullptr;
  const Pipeline* pipeline_ = nullptr;
  std::uint16_t pipeline_code_ = 0;
  bool single_pipeline_ = true;
  std::optional<Instant> from_, to_;
  Instant as_of_;
  bool as_of_given_ = false;
  std::uint32_t as_of_log_ = 0;
  // Deals moved between pipelines: their stay at as_of, by deal (empty when
  // the log has no moves, so deals that never moved cost one branch).
  struct Stay {
    std::uint32_t deal;
    std::uint16_t pipeline;
    std::uint32_t begin;
  };
  std::vector<Stay> stays_;
  const Stay* find_stay(DealId d) const noexcept;
  std::vector<std::int16_t> position_;  // StageId -> open position
  std::vector<std::uint8_t> kind_;      // StageId -> 0 open, 1 won, 2 lost
};

// Durations in calendar seconds, or working seconds of a BusinessCalendar.
class DurationMeasure {
 public:
  DurationMeasure(TimeBasis basis, const BusinessCalendar* calendar) : basis_(basis), calendar_(calendar) {}
  std::int64_t operator()(Instant from, Instant to) const noexcept {
    if (to <= from) return 0;
    if (basis_ == TimeBasis::business && calendar_) return calendar_->business_duration(from, to).count();
    return (to - from).count();
  }
  TimeBasis basis() const noexcept { return basis_; }

 private:
  TimeBasis basis_;
  const BusinessCalendar* calendar_;
};

// Dense group indices for a FunnelGrouping; keys in output order.
class GroupIndex {
 public:
  // A dimension groups by the value of each deal as of `as_of` (the log's
  // field changes; the stored column when it has none).
  GroupIndex(const EventLog& log, const FunnelGrouping& grouping, int utc_offset_minutes,
             std::optional<Instant> as_of = std::nullopt);
  bool grouped() const noexcept { return grouping_.kind != FunnelGrouping::Kind::none; }
  // The group of a deal; adds created_month groups as they appear.
  std::uint32_t group_of(DealId d);
  std::size_t size() const noexcept { return size_; }
  // nullopt: deals with an empty cell.
  std::optional<std::string> key(std::uint32_t group) const;
  // Group indices in output order: key bytes ascending, the empty key last.
  std::vector<std::uint32_t> ordered() const;
  std::string name() const;  // "" when not grouped

 private:
  const EventLog* log_;
  FunnelGrouping grouping_;
  int offset_;
  std::size_t size_ = 0;
  std::unordered_map<std::int32_t, std::uint32_t> month_group_;
  std::vector<std::int32_t> group_month_;
  std::vector<std::uint32_t> as_of_codes_;  // empty: the stored column
};

// The lower middle element (index (n-1)/2 of the sorted values): integer
// results for even counts. nullopt for no values. Reorders `values`.
std::optional<std::int64_t> lower_median(std::vector<std::int64_t>& values);

// sum / n rounded to the nearest integer, halves away from zero (n > 0).
std::int64_t divide_rounded(std::int64_t sum, std::int64_t n) noexcept;

// Sums amounts per currency with overflow detection (overflow naming the
// deal); entries in currency code order. Optionally keeps each amount (for
// medians).
class CurrencySums {
 public:
  struct Entry {
    Currency currency;
    std::int64_t minor = 0;
    std::int64_t count = 0;
    std::vector<std::int64_t> values;  // with keep_values only
  };
  explicit CurrencySums(bool keep_values = false) : keep_values_(keep_values) {}
  Status add(Money amount, std::string_view deal_key);
  const std::vector<Entry>& entries() const noexcept { return entries_; }
  std::int64_t count() const noexcept;  // amounts added, all currencies
  // "COP, MXN, USD"
  std::string codes() const;

 private:
  std::vector<Entry> entries_;
  bool keep_values_ = false;
};

// A deal's amount for a report: as stored in the log, or converted into one
// currency by an FxConversion (core/fx.h) at the date its policy picks.
class AmountSource {
 public:
  // invalid_argument when `fx` has no table or no target currency.
  static Result<AmountSource> create(const EventLog& log, const std::optional<FxConversion>& fx,
                                     Instant report_instant);
  // nullopt: the deal has no amount. `closed_at`: the deal's closing as of the
  // report instant, nullopt while open (rate-at-close). A missing rate is
  // not_found naming the deal, the policy, the date and the pair.
  // The amount is the deal's amount as of `value_as_of` (its field changes
  // applied; default: the report instant), then converted.
  Result<std::optional<Money>> amount(DealId d, std::optional<Instant> closed_at,
                                      std::optional<Instant> value_as_of = std::nullopt) const;
  bool converting() const noexcept { return fx_.has_value(); }

 private:
  const EventLog* log_ = nullptr;
  std::optional<FxConversion> fx_;
  Instant report_instant_;
};

// The amounts of a funnel's basis converted into one currency, as columns
// parallel to the log's: for each deal of `pipeline` existing at `as_of` and
// in the basis (created in [from, to), or closed in it on the closed basis;
// unix seconds), its amount converted per `fx` at currency index 0;
// kNoCurrency for the other deals and for deals without an amount.
struct ConvertedColumns {
  std::vector<std::int64_t> amount;
  std::vector<std::uint16_t> currency;
};
Result<ConvertedColumns> convert_basis_amounts(const EventLog& log, const Pipeline& pipeline,
                                               const FxConversion& fx, Instant as_of, bool closed_basis,
                                               std::int64_t from, std::int64_t to);

// "2024-03-01T00:00:00Z", or `unbounded` ("-inf" / "+inf") when absent.
std::string format_bound(const std::optional<Instant>& t, const char* unbounded);

}  // namespace dealflow::analytics::detail
