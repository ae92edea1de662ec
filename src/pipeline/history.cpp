// The append-only history: stage codes, decoding and as-of reconstruction.
#include "dealflow/pipeline/history.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <tuple>

#include "dealflow/pipeline/pipeline.h"

namespace dealflow {

std::string_view to_string(EventCause cause) noexcept {
  switch (cause) {
    case EventCause::created: return "created";
    case EventCause::moved: return "moved";
    case EventCause::reopened: return "reopened";
    case EventCause::timed_move: return "timed_move";
    case EventCause::handoff_created: return "handoff_created";
    case EventCause::handoff_moved: return "handoff_moved";
  }
  return "?";
}

Result<StageCodes> StageCodes::from_counts(std::span<const std::uint16_t> stages_per_pipeline) {
  StageCodes c;
  c.offsets_.reserve(stages_per_pipeline.size() + 1);
  std::size_t total = 0;
  c.offsets_.push_back(0);
  for (std::size_t p = 0; p < stages_per_pipeline.size(); ++p) {
    total += stages_per_pipeline[p];
    if (total >= kNoStageCode)
      return Status(ErrorCode::invalid_argument, std::string("the workspace has ") + std::to_string(total) +
                                                     " stages or more; the history's 16-bit stage codes allow 65534");
    c.offsets_.push_back(static_cast<std::uint16_t>(total));
    c.pipeline_of_code_.insert(c.pipeline_of_code_.end(), stages_per_pipeline[p], static_cast<std::uint16_t>(p));
  }
  return c;
}

Result<StageCodes> StageCodes::of(const Workspace& workspace) {
  std::vector<std::uint16_t> counts;
  for (const Pipeline& p : workspace.pipelines()) counts.push_back(static_cast<std::uint16_t>(p.stage_count()));
  return from_counts(counts);
}

std::pair<PipelineId, StageId> StageCodes::decode(std::uint16_t code) const noexcept {
  if (code >= pipeline_of_code_.size()) return {PipelineId{}, StageId{}};
  const std::uint16_t p = pipeline_of_code_[code];
  return {PipelineId{p}, StageId{static_cast<std::uint16_t>(code - offsets_[p])}};
}

History::History(StageCodes codes, std::size_t attribute_slots, Instant epoch)
    : codes_(std::move(codes)), slots_(attribute_slots), epoch_(epoch) {}

History::StoredMoney History::StoredMoney::of(Money m) noexcept {
  StoredMoney s;
  s.minor = m.minor_units();
  std::memset(s.code, 0, sizeof(s.code));
  const Currency currency = m.currency();  // code() views into it: keep it alive
  const std::string_view code = currency.code();
  std::memcpy(s.code, code.data(), std::min(code.size(), sizeof(s.code) - 1));
  return s;
}

Money History::StoredMoney::to_money() const noexcept {
  if (code[0] == '\0') return Money(minor, Currency{});
  Result<Currency> c = Currency::parse(std::string_view(code, std::strlen(code)));
  return Money(minor, c ? *c : Currency{});
}

DecodedEvent History::decode(const HistoryEvent& e) const noexcept {
  DecodedEvent d;
  d.deal = DealId{e.deal};
  d.at = instant(e.at);
  if (e.from != kNoStageCode) std::tie(d.from_pipeline, d.from) = codes_.decode(e.from);
  std::tie(d.to_pipeline, d.to) = codes_.decode(e.to);
  if (e.actor != kSystemActor) d.actor = ManagerId{e.actor};
  d.cause = e.cause;
  return d;
}

std::vector<HistoryEvent> History::events() const {
  const std::size_t n = events_.size();
  std::vector<HistoryEvent> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(events_[i]);
  return out;
}

HistoryState History::as_of(Instant t) const {
  HistoryState s;
  s.at_ = t;
  s.slots_ = slots_;
  const std::int64_t d = t.unix_seconds() - epoch_.unix_seconds();
  if (d < 0) return s;
  const std::uint32_t limit = d > std::int64_t{0xFFFFFFFF} ? 0xFFFFFFFFu : static_cast<std::uint32_t>(d);

  // Stage events: per deal they are in non-decreasing time, so those at or
  // before t are a prefix of the deal's events.
  const std::size_t n = events_.size();
  for (std::size_t i = 0; i < n; ++i) {
    const HistoryEvent& e = events_[i];
    if (e.at > limit) continue;
    if (e.deal >= s.states_.size()) s.states_.resize(std::size_t{e.deal} + 1);
    DealState& st = s.states_[e.deal];
    const auto [pipeline, stage] = codes_.decode(e.to);
    if (e.from == kNoStageCode && !st.id.valid()) {
      st.id = DealId{e.deal};
      st.created_at = instant(e.at);
    }
    st.pipeline = pipeline;
    st.stage = stage;
    st.stage_entered_at = instant(e.at);
    st.last_event_at = std::max(st.last_event_at, st.stage_entered_at);
    ++st.stage_entries;
  }

  s.attributes_.assign(s.states_.size() * slots_, kNoValue);
  const std::size_t m = fields_.size();
  for (std::size_t i = 0; i < m; ++i) {
    const FieldEvent& f = fields_[i];
    if (f.at > limit || f.deal >= s.states_.size() || !s.states_[f.deal].id.valid()) continue;
    DealState& st = s.states_[f.deal];
    st.last_event_at = std::max(st.last_event_at, instant(f.at));
    if (f.field == kProbabilityField) {
      st.probability_ppm = f.value == kNoValue ? std::nullopt : std::optional<std::uint32_t>(f.value);
    } else if (f.field == kSourceDealField) {
      st.source_deal = DealId{f.value};
    } else if (f.field == builtin_field::amount.value()) {
      st.amount = money(f.value);
    } else if (f.field == builtin_field::owner.value()) {
      st.owner = f.value == kNoValue ? ManagerId{} : ManagerId{f.value};
    } else if (f.field == builtin_field::client.value()) {
      st.client = f.value == kNoValue ? ClientId{} : ClientId{f.value};
    } else if (f.field >= kFirstAttributeField && f.field - kFirstAttributeField < slots_) {
      s.attributes_[std::size_t{f.deal} * slots_ + (f.field - kFirstAttributeField)] = f.value;
    }
  }
  return s;
}

}  // namespace dealflow
