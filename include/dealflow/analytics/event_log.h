// dealflow/analytics/event_log.h: the columnar log of stage changes and the
// deals table that every analytics report reads.
//
// What it is. `EventLog` holds two tables, both columnar and dictionary-encoded:
//   * deals: one row per deal, addressed by a dense `DealId` (0, 1, 2, ... in
//     order of `add_deal`): the external id string, the pipeline, created-at,
//     the amount (Money: minor units + currency) and any number of dimension
//     columns (manager = owner, region, product, tier, channel, business,
//     source, client, lost_reason, then any custom column) stored as
//     dictionary codes of the narrowest width that holds them (nothing for a
//     column without values, else u8, u16 or u32 per deal).
//   * events: one row per stage change `{deal, at, stage, actor}`. After
//     `seal()` the events are grouped by deal and sorted by time within a deal
//     (ties keep the order in which they were appended), and the columns are
//     compact: u32 seconds since `time_base()`, u16 stage, u16 actor code, plus
//     one u32 offset per deal: 8 bytes per event, 4 per deal
//     (`memory_usage()` measures it).
//   * field changes: one row per change of a deal field `{deal, at, field,
//     value}` (owner = dimension manager, any other dimension, amount,
//     expected close date, probability). After `seal()` they are grouped by
//     deal and sorted by time within a deal (stable), in u32 columns: u32
//     seconds, u16 field, u32 value = 10 bytes per change, + 10 bytes
//     (i64 minor units + u16 currency) per amount change, + 4 bytes per deal
//     once the log has any change. "As of T" a field holds its latest change
//     at or before T, and before its first change the deals-table value.
// Stage ids are the pipeline's `StageId`s (the stage's index in its pipeline,
// see dealflow/pipeline/pipeline.h); the log itself stores no pipeline
// definition, so reports take the `Pipeline` beside the log.
//
// Ownership and lifetime. The log owns all its data. Spans and string_views
// returned by accessors stay valid until the next mutating call (add_deal,
// set_dimension, append_event, seal). Appending is allowed at any time (the log
// is append-only: nothing is ever removed or rewritten); appended events become
// visible to the per-deal accessors after the next `seal()`.
//
// Thread-safety: const member functions may be called concurrently from many
// threads on a sealed log that no thread is mutating; mutation needs exclusive
// access.
//
// Example:
//   dealflow::analytics::EventLog log;
//   auto d = *log.add_deal("D-1", log.intern_pipeline("sales"), *dealflow::parse_instant("2024-03-01"));
//   log.set_dimension(d, dealflow::analytics::StandardDimension::manager, "Иванов");
//   (void)log.append_event(d, *dealflow::parse_instant("2024-03-02T10:00:00Z"), dealflow::StageId{1}, "Иванов");
//   (void)log.add_dimension_change(d, *dealflow::parse_instant("2024-03-05"), DimensionId{0}, "Петрова");
//   log.seal();  // events and field changes by deal, then time; event_begin(d)..event_end(d)
//   log.dimension_value_as_of(d, DimensionId{0}, *dealflow::parse_instant("2024-03-04"));  // "Иванов"
//   log.dimension_value_as_of(d, DimensionId{0}, *dealflow::parse_instant("2024-03-05"));  // "Петрова"
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/analytics/detail/string_index.h"
#include "dealflow/core/dictionary.h"
#include "dealflow/core/ids.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"

namespace dealflow::analytics {

namespace detail {
struct SnapshotAccess;  // the binary snapshot (snapshot.h) reads and fills the columns in bulk
}  // namespace detail

// Index of a dimension column in the deals table.
using DimensionId = StrongId<struct DimensionIdTag, std::uint16_t>;

// The dimension columns every log has, at these fixed DimensionIds (0..8), in
// this order. `manager` is the deal's owner. Columns without data hold
// kNoValue for every deal.
enum class StandardDimension : std::uint16_t {
  manager = 0,
  region,
  product,
  tier,
  channel,
  business,  // new vs repeat business
  source,
  client,
  lost_reason,
};
inline constexpr std::size_t kStandardDimensionCount = 9;
// The CSV column names of the standard dimensions, indexed by StandardDimension.
inline constexpr std::array<std::string_view, kStandardDimensionCount> kStandardDimensionNames = {
    "manager", "region", "product", "tier", "channel", "business", "source", "client", "lost_reason"};

constexpr DimensionId to_dimension_id(StandardDimension d) noexcept {
  return DimensionId{static_cast<std::uint16_t>(d)};
}

// The code of an empty cell in a dimension column.
inline constexpr std::uint32_t kNoValue = 0xFFFFFFFFu;
// The actor code of an event without actor.
inline constexpr std::uint16_t kNoActor = 0xFFFFu;
// The currency code of a deal without amount.
inline constexpr std::uint16_t kNoCurrency = 0xFFFFu;

// The codes of one dimension column, one per deal, stored at the narrowest
// width that holds the column's codes: nothing while every cell is empty,
// then u8 (codes 0..254), u16 (..65534) or u32; the all-ones value of the
// width marks an empty cell. Widening re-encodes the column (at most three
// times in its life). `operator[]` gives kNoValue for an empty cell whatever
// the width; hot loops take the raw column of the current width.
class DimensionCodes {
 public:
  std::size_t size() const noexcept { return size_; }
  // Bytes per deal: 0 (every cell empty so far), 1, 2 or 4.
  unsigned width() const noexcept { return width_; }
  std::uint32_t operator[](std::size_t deal) const noexcept {
    switch (width_) {
      case 1: return u8_[deal] == 0xFFu ? kNoValue : u8_[deal];
      case 2: return u16_[deal] == 0xFFFFu ? kNoValue : u16_[deal];
      case 4: return u32_[deal];
      default: return kNoValue;
    }
  }
  // The raw column when width() == sizeof(T) (empty span otherwise); an empty
  // cell holds std::numeric_limits<T>::max().
  template <class T>
  std::span<const T> raw() const noexcept;

  void push_back_empty();
  // kNoValue empties the cell; out_of_range for a deal past size().
  void set(std::size_t deal, std::uint32_t code);
  void reserve(std::size_t deals);
  std::size_t memory_bytes() const noexcept;

 private:
  friend struct detail::SnapshotAccess;
  void widen(unsigned width);
  std::size_t size_ = 0;
  std::size_t reserved_ = 0;
  unsigned width_ = 0;
  std::uint32_t limit_ = 0;  // codes below it fit the current width
  std::vector<std::uint8_t> u8_;
  std::vector<std::uint16_t> u16_;
  std::vector<std::uint32_t> u32_;
};

template <>
inline std::span<const std::uint8_t> DimensionCodes::raw<std::uint8_t>() const noexcept {
  return width_ == 1 ? std::span<const std::uint8_t>(u8_) : std::span<const std::uint8_t>();
}
template <>
inline std::span<const std::uint16_t> DimensionCodes::raw<std::uint16_t>() const noexcept {
  return width_ == 2 ? std::span<const std::uint16_t>(u16_) : std::span<const std::uint16_t>();
}
template <>
inline std::span<const std::uint32_t> DimensionCodes::raw<std::uint32_t>() const noexcept {
  return width_ == 4 ? std::span<const std::uint32_t>(u32_) : std::span<const std::uint32_t>();
}

// A dimension column: its name, its dictionary and one code per deal
// (kNoValue when the cell is empty).
struct DimensionColumn {
  std::string name;
  Dictionary values;
  DimensionCodes codes;  // indexed by DealId
};

// A field of a deal that has a history of changes: a dimension column
// (manager = owner, region, ..., forecast_category, custom), the amount, the
// expected close date or the probability. A plain value; compare with ==.
class DealField {
 public:
  constexpr DealField() noexcept = default;
  static constexpr DealField dimension(DimensionId d) noexcept { return DealField(d.value()); }
  static constexpr DealField dimension(StandardDimension d) noexcept { return dimension(to_dimension_id(d)); }
  static constexpr DealField amount() noexcept { return DealField(kAmount); }
  static constexpr DealField close_date() noexcept { return DealField(kCloseDate); }
  static constexpr DealField probability() noexcept { return DealField(kProbability); }
  // The stored u16 code (dimension ids below 0xFFFD).
  static constexpr DealField from_code(std::uint16_t code) noexcept { return DealField(code); }

  constexpr bool is_dimension() const noexcept { return code_ < kProbability; }
  constexpr DimensionId dimension_id() const noexcept { return DimensionId{code_}; }
  constexpr std::uint16_t code() const noexcept { return code_; }
  friend constexpr bool operator==(DealField, DealField) noexcept = default;

 private:
  static constexpr std::uint16_t kProbability = 0xFFFD, kCloseDate = 0xFFFE, kAmount = 0xFFFF;
  constexpr explicit DealField(std::uint16_t code) noexcept : code_(code) {}
  std::uint16_t code_ = 0;
};

// Probabilities are exact integers in hundredths of a percent: 40 % = 4000,
// 12.5 % = 1250, 100 % = kProbabilityScale.
inline constexpr std::uint32_t kProbabilityScale = 10000;

// Bytes used by the log, by part.
struct EventLogMemory {
  std::size_t event_bytes = 0;       // event columns + per-deal offsets
  std::size_t field_change_bytes = 0;  // field-change columns, amount side table, per-deal offsets
  std::size_t deal_bytes = 0;        // deal columns (created, amount, currency, pipeline, dimension codes)
  std::size_t dictionary_bytes = 0;  // deal ids, dimension values, actors, pipelines
  std::size_t total() const noexcept {
    return event_bytes + field_change_bytes + deal_bytes + dictionary_bytes;
  }
};

class EventLog {
 public:
  // Instants are stored as u32 seconds since `time_base` (default the Unix
  // epoch), so the log covers [time_base, time_base + 2^32 s), i.e. 1970–2106
  // by default. append_event refuses instants outside that range.
  explicit EventLog(Instant time_base = Instant{});

  // ---- building -----------------------------------------------------------

  // The code of a pipeline id string ("sales"), adding it when new.
  PipelineId intern_pipeline(std::string_view pipeline_key);
  // Adds a deal; ErrorCode::duplicate when `key` is already a deal, overflow
  // past 2^32-1 deals. Every dimension of the new deal is kNoValue.
  Result<DealId> add_deal(std::string_view key, PipelineId pipeline, Instant created_at,
                          std::optional<Money> amount = std::nullopt);
  // The column named `name`, adding an empty one when new (standard names map
  // to their fixed ids).
  DimensionId add_dimension(std::string_view name);
  // Sets one cell; an empty `value` stores kNoValue.
  void set_dimension(DealId deal, DimensionId dimension, std::string_view value);
  void set_dimension(DealId deal, StandardDimension dimension, std::string_view value) {
    set_dimension(deal, to_dimension_id(dimension), value);
  }
  // The code of `value` in a dimension's dictionary, adding it when new.
  std::uint32_t intern_dimension_value(DimensionId dimension, std::string_view value);
  // Sets one cell from an existing code of that column (kNoValue clears it).
  void set_dimension_code(DealId deal, DimensionId dimension, std::uint32_t code);
  // The code of an actor name; "" is kNoActor. overflow past 65,535 actors.
  Result<std::uint16_t> intern_actor(std::string_view actor);
  // Appends a stage change. invalid_argument for an unknown deal or an instant
  // outside the covered range; the stage is not checked here (loaders do).
  Status append_event(DealId deal, Instant at, StageId stage, std::uint16_t actor_code = kNoActor);
  Status append_event(DealId deal, Instant at, StageId stage, std::string_view actor);
  // Groups pending events and field changes by deal in time order (stable).
  // Cheap when they were appended already in (deal, time) order. Idempotent.
  void seal();
  bool sealed() const noexcept { return pending_deal_.empty() && fc_pending_deal_.empty(); }
  // Reserves room for bulk loads.
  void reserve(std::size_t deals, std::size_t events);

  // ---- deals --------------------------------------------------------------

  std::size_t deal_count() const noexcept { return created_.size(); }
  std::string_view deal_key(DealId deal) const { return deal_keys_.at(deal.value()); }
  std::optional<DealId> find_deal(std::string_view key) const;

  PipelineId pipeline(DealId deal) const { return PipelineId{pipeline_[deal.value()]}; }
  const Dictionary& pipelines() const noexcept { return pipelines_; }
  Instant created_at(DealId deal) const { return Instant::from_unix_seconds(created_[deal.value()]); }
  // The amount, or nullopt when the deal has none.
  std::optional<Money> amount(DealId deal) const;
  // Optional deal columns (no memory until the first value is set): the
  // expected close date, the instant the deal was closed (as the CRM says;
  // reports derive closing from the stage history) and the probability in
  // hundredths of a percent (invalid_argument above kProbabilityScale).
  void set_close_date(DealId deal, std::optional<Date> date);
  void set_closed_at(DealId deal, std::optional<Instant> at);
  Status set_probability(DealId deal, std::optional<std::uint32_t> hundredths);
  std::optional<Date> close_date(DealId deal) const;
  std::optional<Instant> closed_at(DealId deal) const;
  std::optional<std::uint32_t> probability(DealId deal) const;

  // Raw deal columns, indexed by DealId, for hot loops.
  std::span<const std::uint16_t> pipeline_column() const noexcept { return pipeline_; }
  std::span<const std::int64_t> created_column() const noexcept { return created_; }  // unix seconds
  std::span<const std::int64_t> amount_column() const noexcept { return amount_minor_; }  // minor units (0 when none)
  std::span<const std::uint16_t> currency_column() const noexcept { return currency_; }  // index into currencies() or kNoCurrency
  const std::vector<Currency>& currencies() const noexcept { return currencies_; }

  // ---- dimensions ---------------------------------------------------------

  std::size_t dimension_count() const noexcept { return dimensions_.size(); }
  const DimensionColumn& dimension(DimensionId id) const { return dimensions_.at(id.value()); }
  const DimensionColumn& dimension(StandardDimension d) const { return dimension(to_dimension_id(d)); }
  std::optional<DimensionId> find_dimension(std::string_view name) const;
  // The string of a deal's cell ("" when empty).
  std::string_view dimension_value(DealId deal, DimensionId id) const;

  // ---- events (valid after seal()) -----------------------------------------

  std::size_t event_count() const noexcept { return at_.size(); }
  Instant time_base() const noexcept { return time_base_; }
  // The events of `deal` are the indices [event_begin, event_end) of the event
  // columns, in time order.
  std::size_t event_begin(DealId deal) const { return offsets_[deal.value()]; }
  std::size_t event_end(DealId deal) const { return offsets_[deal.value() + 1]; }
  Instant event_at(std::size_t i) const { return time_base_ + Duration(at_[i]); }
  StageId event_stage(std::size_t i) const { return stage_[i]; }
  std::uint16_t event_actor(std::size_t i) const { return actor_[i]; }
  std::string_view actor_name(std::uint16_t code) const {
    return code == kNoActor ? std::string_view{} : actors_.at(code);
  }
  const Dictionary& actors() const noexcept { return actors_; }
  // The latest event instant (time_base() when there are no events).
  Instant last_event_at() const noexcept { return time_base_ + Duration(max_at_); }
  // The later of last_event_at() and the latest created_at: the default
  // report instant of every analytics report (nothing in the log is after
  // it, so nothing is cut off).
  Instant latest_instant() const noexcept {
    return std::max(
        {last_event_at(), Instant::from_unix_seconds(max_created_), time_base_ + Duration(fc_max_at_)});
  }

  // ---- deals moved between pipelines --------------------------------------
  //
  // A deal's events are in its deals-table pipeline (`pipeline(deal)`) until a
  // move: `add_pipeline_move(deal, at, to)` records that its events at or after
  // `at` (up to its next move) are in pipeline `to`, their stage ids being
  // stages of `to` (Bitrix24 TYPE_ID 5, "moved to another category": one deal
  // id, one history). Reports see a deal in the pipeline of its latest stay at
  // their report instant, with the events of that stay (docs/analytics-formats.md).
  // Nothing is stored for deals that never moved (12 bytes per move).
  struct PipelineMove {
    std::uint32_t deal = 0;
    std::uint32_t at = 0;  // seconds since time_base()
    std::uint16_t pipeline = 0;
  };
  // invalid_argument for an unknown deal or an instant outside the log's range.
  // Moves of a deal may come in any order; two at one instant: the later call wins.
  Status add_pipeline_move(DealId deal, Instant at, PipelineId to);
  // Every move, by (deal, at).
  std::span<const PipelineMove> pipeline_moves() const noexcept { return moves_; }
  // The moves of one deal, by time (empty for most deals).
  std::span<const PipelineMove> pipeline_moves(DealId deal) const noexcept;
  // Where a deal is as of `as_of` (seconds since time_base(), as at_column()):
  // the pipeline of its latest move at or before it (else its deals-table
  // pipeline) and the index of its first event of that stay (event_begin()
  // when it never moved by then). Valid after seal().
  struct PipelineStay {
    PipelineId pipeline;
    std::uint32_t begin = 0;
  };
  PipelineStay stay_as_of(DealId deal, std::uint32_t as_of) const noexcept;

  // Raw event columns for hot loops: offsets has deal_count()+1 entries.
  std::span<const std::uint32_t> offset_column() const noexcept { return offsets_; }
  std::span<const std::uint32_t> at_column() const noexcept { return at_; }  // seconds since time_base()
  std::span<const StageId> stage_column() const noexcept { return stage_; }
  std::span<const std::uint16_t> actor_column() const noexcept { return actor_; }
  // Seconds since time_base() for `t`, clamped into the u32 range (for
  // comparisons against at_column()).
  std::uint32_t to_log_seconds(Instant t) const noexcept;

  // ---- field changes (implemented in field_changes.cpp) ---------------------
  //
  // Each add_*_change appends "the field takes this value from `at` on"
  // (nullopt / "" / kNoValue clears it). invalid_argument for an unknown deal,
  // an instant outside the log's range, a dimension the log does not have or a
  // probability above kProbabilityScale. Visible after the next seal(); two
  // changes of one field at one instant: the later appended wins.
  Status add_dimension_change(DealId deal, Instant at, DimensionId dimension, std::string_view value);
  Status add_dimension_change_code(DealId deal, Instant at, DimensionId dimension, std::uint32_t code);
  Status add_amount_change(DealId deal, Instant at, std::optional<Money> amount);
  Status add_close_date_change(DealId deal, Instant at, std::optional<Date> date);
  Status add_probability_change(DealId deal, Instant at, std::optional<std::uint32_t> hundredths);

  std::size_t field_change_count() const noexcept { return fc_at_.size(); }
  // Sealed changes of `field` in the whole log (0: reports take the deals table as it is).
  std::size_t field_change_count(DealField field) const noexcept;
  // The changes of `deal` are [field_change_begin, field_change_end), in time order.
  std::size_t field_change_begin(DealId deal) const noexcept {
    return fc_offsets_.empty() ? 0 : fc_offsets_[deal.value()];
  }
  std::size_t field_change_end(DealId deal) const noexcept {
    return fc_offsets_.empty() ? 0 : fc_offsets_[deal.value() + 1];
  }
  Instant field_change_at(std::size_t i) const { return time_base_ + Duration(fc_at_[i]); }
  DealField field_change_field(std::size_t i) const { return DealField::from_code(fc_field_[i]); }
  // The raw value: a dimension code, an index into the amount table, days
  // since 1970-01-01 + 2^31 (close_date), hundredths of a percent; kNoValue
  // when the change clears the field.
  std::uint32_t field_change_value(std::size_t i) const { return fc_value_[i]; }
  // The amount of an amount change (nullopt when it clears the amount).
  std::optional<Money> field_change_amount(std::size_t i) const;
  std::optional<Date> field_change_date(std::size_t i) const;

  // Values as of `t` (sealed log): the latest change of the field at or before
  // t, else the deals-table value.
  std::uint32_t dimension_code_as_of(DealId deal, DimensionId dimension, Instant t) const;
  std::string_view dimension_value_as_of(DealId deal, DimensionId dimension, Instant t) const;
  std::optional<Money> amount_as_of(DealId deal, Instant t) const;
  std::optional<Date> close_date_as_of(DealId deal, Instant t) const;
  std::optional<std::uint32_t> probability_as_of(DealId deal, Instant t) const;
  // Bulk, for reports: the codes of a dimension column as of `t`, one per
  // deal (kNoValue = empty). Empty vector when the dimension has no changes:
  // the stored column `dimension(d).codes` is then the answer.
  std::vector<std::uint32_t> dimension_codes_as_of(DimensionId dimension, Instant t) const;
  // Bulk amounts as of `t` into columns shaped like amount_column() and
  // currency_column(); false (columns untouched) when there are no amount changes.
  bool amounts_as_of(Instant t, std::vector<std::int64_t>& minor, std::vector<std::uint16_t>& currency) const;

  EventLogMemory memory_usage() const noexcept;

 private:
  friend struct detail::SnapshotAccess;
  std::uint16_t intern_currency(Currency c);
  Status check_change(DealId deal, Instant at, std::uint32_t* seconds) const;
  void push_change(std::uint32_t deal, std::uint32_t at, std::uint16_t field, std::uint32_t value);
  void seal_field_changes();
  // Index of the latest change of `field` of `deal` at or before `t`, if any.
  std::optional<std::size_t> latest_change(DealId deal, DealField field, std::uint32_t t) const noexcept;

  Instant time_base_;
  // deals
  detail::StringIndex deal_keys_;  // deal id string -> DealId (flat, ~25 bytes per short id)
  Dictionary pipelines_;
  std::vector<std::uint16_t> pipeline_;
  std::vector<std::int64_t> created_;
  std::int64_t max_created_ = std::numeric_limits<std::int64_t>::min();
  std::vector<std::int64_t> amount_minor_;
  std::vector<std::uint16_t> currency_;
  std::vector<Currency> currencies_;
  std::vector<DimensionColumn> dimensions_;
  std::vector<std::int32_t> close_date_;    // days since epoch, kNoDate when none; empty until first set
  std::vector<std::int64_t> closed_at_;     // unix seconds, kNoInstant when none; empty until first set
  std::vector<std::uint32_t> probability_;  // hundredths of a percent, kNoValue; empty until first set
  Dictionary actors_;
  // sealed events
  std::vector<std::uint32_t> offsets_{0};
  std::vector<std::uint32_t> at_;
  std::vector<StageId> stage_;
  std::vector<std::uint16_t> actor_;
  std::uint32_t max_at_ = 0;
  std::vector<PipelineMove> moves_;  // by (deal, at)
  // events appended since the last seal()
  std::vector<std::uint32_t> pending_deal_;
  std::vector<std::uint32_t> pending_at_;
  std::vector<StageId> pending_stage_;
  std::vector<std::uint16_t> pending_actor_;
  // sealed field changes (fc_offsets_ empty while there are none)
  std::vector<std::uint32_t> fc_offsets_;
  std::uint32_t fc_max_at_ = 0;
  std::vector<std::uint32_t> fc_at_;
  std::vector<std::uint16_t> fc_field_;
  std::vector<std::uint32_t> fc_value_;
  std::vector<std::int64_t> fc_amount_minor_;  // amount side table
  std::vector<std::uint16_t> fc_amount_currency_;
  std::vector<std::pair<std::uint16_t, std::uint32_t>> fc_field_counts_;  // field code -> sealed changes
  // field changes appended since the last seal()
  std::vector<std::uint32_t> fc_pending_deal_;
  std::vector<std::uint32_t> fc_pending_at_;
  std::vector<std::uint16_t> fc_pending_field_;
  std::vector<std::uint32_t> fc_pending_value_;
};

}  // namespace dealflow::analytics
