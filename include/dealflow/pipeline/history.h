// dealflow/pipeline/history.h: the append-only history of deals, and as-of
// reconstruction.
//
// Two logs of fixed 16-byte records, the source of truth for every metric:
//  - `HistoryEvent`: a deal entered a stage {deal, from, to, at, actor, cause}
//    (created, moved, reopened, timed move, hand-off). Stages are stored as
//    workspace-wide 16-bit *stage codes* (`StageCodes`), so one event also says
//    which pipeline each side is in (a hand-off crosses pipelines).
//  - `FieldEvent`: a field got a value {deal, field, value, at, actor} (the
//    initial values at creation, automation's set_field / set_probability, and
//    host edits). Amounts go to a side table of Money, the event holds its index.
//    A deal created by a create_linked hand-off also gets a kSourceDealField
//    event naming its source deal, so the link is history too.
// Times are u32 seconds since the history epoch (default 2000-01-01T00:00:00Z,
// so instants up to 2136); the engine refuses instants outside that range.
// Actors are the ManagerId value (< 65535); kSystemActor marks automation.
//
// `as_of(t)` rebuilds the state of every deal at instant t by replaying both
// logs: a deal exists at t when it was created at or before t; its stage is the
// `to` of its last event with at <= t; its fields (and its hand-off source) are
// their last values with at <= t. Per deal, events are appended in non-decreasing time, so a deal's
// events with at <= t are a prefix of its events.
//
// Ownership: a History owns its logs. The deal engine owns one and appends to it;
// a host may also build one by hand (e.g. from an imported CRM stage history).
// Thread-safety: appends need external mutual exclusion (the engine provides
// it); readers (size, event, as_of, ...) may run concurrently with ONE appending
// thread and see a published prefix of each log.
//
// Example:
//   const dealflow::History& h = engine.history();
//   for (std::size_t i = 0; i < h.size(); ++i) {
//     dealflow::DecodedEvent e = h.decode(h.event(i));
//     std::cout << e.deal.value() << " " << dealflow::format_iso(e.at) << "\n";
//   }
//   dealflow::HistoryState last_week = h.as_of(now - std::chrono::hours(24 * 7));
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "dealflow/core/ids.h"
#include "dealflow/core/money.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/deal.h"
#include "dealflow/pipeline/detail/segmented_log.h"

namespace dealflow {

class Workspace;

// Why a deal entered a stage.
enum class EventCause : std::uint8_t {
  created = 0,          // create(): the deal entered its first stage
  moved = 1,            // move() between stages of one pipeline
  reopened = 2,         // move() out of a won/lost stage along a declared reopen
  timed_move = 3,       // automation: a TimedMove fired by tick()
  handoff_created = 4,  // hand-off (create_linked): this deal was created from another one
  handoff_moved = 5,    // hand-off (move): the deal itself went to another pipeline
};
std::string_view to_string(EventCause cause) noexcept;

inline constexpr std::uint16_t kNoStageCode = 0xFFFF;  // `from` of a creation
inline constexpr std::uint16_t kSystemActor = 0xFFFF;  // automation, no manager
// FieldEvent::field of a probability override (value: parts per million, or kNoValue = cleared).
inline constexpr std::uint16_t kProbabilityField = 0xFFFF;
// FieldEvent::field recording the deal a create_linked hand-off created this
// deal from (value: the source DealId value), at the deal's creation instant.
// Field codes of real fields stay below it (the engine allows at most 65534 fields).
inline constexpr std::uint16_t kSourceDealField = 0xFFFE;

// One stage entry. Exactly 16 bytes (static_assert below), no padding holes
// other than `reserved`.
struct HistoryEvent {
  std::uint32_t deal;   // DealId value
  std::uint32_t at;     // seconds since the history epoch
  std::uint16_t from;   // stage code, kNoStageCode when the deal was created
  std::uint16_t to;     // stage code
  std::uint16_t actor;  // ManagerId value, or kSystemActor
  EventCause cause;
  std::uint8_t reserved;  // 0
  friend bool operator==(const HistoryEvent&, const HistoryEvent&) = default;
};
static_assert(sizeof(HistoryEvent) == 16, "a history event must stay 16 bytes");

// One field value. 16 bytes.
struct FieldEvent {
  std::uint32_t deal;   // DealId value
  std::uint32_t at;     // seconds since the history epoch
  std::uint16_t field;  // FieldId value, or kProbabilityField
  std::uint16_t actor;  // ManagerId value, or kSystemActor
  // amount: index into the money table; owner/client: the id value (kNoValue =
  // none); attributes: the value code (kNoValue = empty); probability: ppm;
  // kSourceDealField: the source DealId value.
  std::uint32_t value;
  friend bool operator==(const FieldEvent&, const FieldEvent&) = default;
};
static_assert(sizeof(FieldEvent) == 16, "a field event must stay 16 bytes");

// Workspace-wide stage codes: code = offset(pipeline) + stage, pipelines in
// PipelineId order. Fits u16 while the workspace has < 65535 stages in total.
class StageCodes {
 public:
  StageCodes() = default;
  // Fails (invalid_argument) when the workspace has 65535 stages or more.
  static Result<StageCodes> of(const Workspace& workspace);
  // From explicit stage counts per pipeline (tests, imported histories).
  static Result<StageCodes> from_counts(std::span<const std::uint16_t> stages_per_pipeline);

  std::uint16_t encode(PipelineId p, StageId s) const noexcept {
    return static_cast<std::uint16_t>(offsets_[p.value()] + s.value());
  }
  // (invalid, invalid) for kNoStageCode or an out-of-range code.
  std::pair<PipelineId, StageId> decode(std::uint16_t code) const noexcept;
  std::size_t pipeline_count() const noexcept { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  std::size_t code_count() const noexcept { return offsets_.empty() ? 0 : offsets_.back(); }
  std::uint16_t offset(PipelineId p) const noexcept { return offsets_[p.value()]; }

 private:
  std::vector<std::uint16_t> offsets_;  // pipeline_count + 1 entries
  std::vector<std::uint16_t> pipeline_of_code_;
};

// A HistoryEvent with its codes and offsets resolved.
struct DecodedEvent {
  DealId deal;
  Instant at;
  PipelineId from_pipeline;  // invalid for a creation
  StageId from;              // invalid for a creation
  PipelineId to_pipeline;
  StageId to;
  ManagerId actor;  // invalid for automation (kSystemActor)
  EventCause cause = EventCause::moved;
};

// The state of one deal at an instant, as rebuilt from the history.
struct DealState {
  DealId id;
  PipelineId pipeline;
  StageId stage;
  Instant created_at;
  Instant stage_entered_at;  // at of the last stage event <= t
  Instant last_event_at;     // at of the last stage or field event <= t
  std::uint32_t stage_entries = 0;  // stage events <= t (1 after creation)
  Money amount;
  ManagerId owner;
  ClientId client;
  std::optional<std::uint32_t> probability_ppm;  // the per-deal override, if any
  DealId source_deal;  // the create_linked hand-off source (kSourceDealField), else invalid
  friend bool operator==(const DealState&, const DealState&) = default;
};

// Every deal that existed at an instant: states[i] is the deal with id i for
// i < deal_count(); attribute values in a flat table.
class HistoryState {
 public:
  Instant at() const noexcept { return at_; }
  // Deals created at or before at(); ids 0..n-1 when ids are dense, else the
  // largest existing id + 1 with `exists(id)` false for the missing ones.
  std::size_t deal_count() const noexcept { return states_.size(); }
  bool exists(DealId id) const noexcept { return id.value() < states_.size() && states_[id.value()].id.valid(); }
  const DealState& deal(DealId id) const noexcept { return states_[id.value()]; }
  std::span<const DealState> deals() const noexcept { return states_; }
  // Attribute values of a deal, by attribute slot (FieldId - kFirstAttributeField).
  std::span<const ValueCode> attributes(DealId id) const noexcept {
    return {attributes_.data() + static_cast<std::size_t>(id.value()) * slots_, slots_};
  }
  std::size_t attribute_slots() const noexcept { return slots_; }

 private:
  friend class History;
  Instant at_;
  std::size_t slots_ = 0;
  std::vector<DealState> states_;
  std::vector<ValueCode> attributes_;
};

class History {
 public:
  static constexpr unsigned kSegmentBits = 16;  // 65536 records (1 MiB) per segment
  static constexpr std::size_t kSegmentSize = std::size_t{1} << kSegmentBits;
  // 2000-01-01T00:00:00Z.
  static constexpr Instant kDefaultEpoch = Instant::from_unix_seconds(946684800);

  // `attribute_slots`: how many attribute fields a deal has (field count - 3).
  History(StageCodes codes, std::size_t attribute_slots, Instant epoch = kDefaultEpoch);
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  Instant epoch() const noexcept { return epoch_; }
  const StageCodes& stage_codes() const noexcept { return codes_; }
  std::size_t attribute_slots() const noexcept { return slots_; }

  // The u32 offset of `t`, or nullopt when t is before the epoch or more than
  // 2^32-1 seconds after it.
  std::optional<std::uint32_t> offset_of(Instant t) const noexcept {
    const std::int64_t d = t.unix_seconds() - epoch_.unix_seconds();
    if (d < 0 || d > std::int64_t{0xFFFFFFFF}) return std::nullopt;
    return static_cast<std::uint32_t>(d);
  }
  Instant instant(std::uint32_t offset) const noexcept { return epoch_ + Duration(offset); }

  // Stage events.
  std::size_t size() const noexcept { return events_.size(); }
  const HistoryEvent& event(std::size_t i) const noexcept { return events_[i]; }
  DecodedEvent decode(const HistoryEvent& e) const noexcept;
  std::vector<HistoryEvent> events() const;  // a copy of the published prefix
  // Field events and the money table.
  std::size_t field_event_count() const noexcept { return fields_.size(); }
  const FieldEvent& field_event(std::size_t i) const noexcept { return fields_[i]; }
  Money money(std::uint32_t index) const noexcept { return money_[index].to_money(); }

  // Appends (external synchronization: one writer at a time). Return the index.
  std::size_t append(const HistoryEvent& e) { return events_.push_back(e); }
  std::size_t append_field(const FieldEvent& e) { return fields_.push_back(e); }
  std::uint32_t append_money(Money m) { return static_cast<std::uint32_t>(money_.push_back(StoredMoney::of(m))); }
  void reserve(std::size_t events) { events_.reserve(events); }

  // Rebuilds every deal's state at `t` (see the header comment).
  HistoryState as_of(Instant t) const;

  // Heap bytes of the stage-event log only: allocated segments (reserved ones
  // included) + their directory entries. Allocator bookkeeping is not counted.
  std::size_t event_memory_bytes() const noexcept { return events_.memory_bytes(); }
  // Heap bytes of the field-event log, and of the money table, counted the same way.
  std::size_t field_memory_bytes() const noexcept { return fields_.memory_bytes(); }
  std::size_t money_memory_bytes() const noexcept { return money_.memory_bytes(); }
  // Heap bytes of all logs (stage events, field events, money table).
  std::size_t memory_bytes() const noexcept {
    return event_memory_bytes() + field_memory_bytes() + money_memory_bytes();
  }

 private:
  struct StoredMoney {
    std::int64_t minor;
    char code[4];
    static StoredMoney of(Money m) noexcept;
    Money to_money() const noexcept;
  };

  StageCodes codes_;
  std::size_t slots_;
  Instant epoch_;
  detail::SegmentedLog<HistoryEvent, kSegmentBits> events_;
  detail::SegmentedLog<FieldEvent, kSegmentBits> fields_;
  detail::SegmentedLog<StoredMoney, 12> money_;
};

}  // namespace dealflow
