#include "dealflow/analytics/event_log.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace dealflow::analytics {

namespace {
constexpr std::int32_t kNoDate = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kNoInstant = std::numeric_limits<std::int64_t>::min();
}  // namespace

void DimensionCodes::push_back_empty() {
  switch (width_) {
    case 1: u8_.push_back(0xFFu); break;
    case 2: u16_.push_back(0xFFFFu); break;
    case 4: u32_.push_back(kNoValue); break;
    default: break;
  }
  ++size_;
}

void DimensionCodes::set(std::size_t deal, std::uint32_t code) {
  if (deal >= size_) throw std::out_of_range("DimensionCodes::set: no such deal");
  if (code != kNoValue && code >= limit_) widen(code < 0xFFu ? 1 : code < 0xFFFFu ? 2 : 4);
  switch (width_) {
    case 1: u8_[deal] = static_cast<std::uint8_t>(code); break;  // kNoValue -> 0xFF
    case 2: u16_[deal] = static_cast<std::uint16_t>(code); break;  // kNoValue -> 0xFFFF
    case 4: u32_[deal] = code; break;
    default: break;  // width 0: every cell is empty, code is kNoValue
  }
}

void DimensionCodes::widen(unsigned width) {
  // Empty cells stay empty: the all-ones value of the old width maps to the new one's.
  switch (width) {
    case 1:
      u8_.reserve(std::max(reserved_, size_));
      u8_.assign(size_, 0xFFu);
      break;
    case 2:
      u16_.reserve(std::max(reserved_, size_));
      u16_.resize(size_, 0xFFFFu);
      for (std::size_t i = 0; i < u8_.size(); ++i) u16_[i] = u8_[i] == 0xFFu ? 0xFFFFu : u8_[i];
      std::vector<std::uint8_t>().swap(u8_);
      break;
    default:
      u32_.reserve(std::max(reserved_, size_));
      u32_.resize(size_, kNoValue);
      for (std::size_t i = 0; i < u8_.size(); ++i) u32_[i] = u8_[i] == 0xFFu ? kNoValue : u8_[i];
      for (std::size_t i = 0; i < u16_.size(); ++i) u32_[i] = u16_[i] == 0xFFFFu ? kNoValue : u16_[i];
      std::vector<std::uint8_t>().swap(u8_);
      std::vector<std::uint16_t>().swap(u16_);
      break;
  }
  width_ = width;
  limit_ = width == 1 ? 0xFFu : width == 2 ? 0xFFFFu : kNoValue;
}

void DimensionCodes::reserve(std::size_t deals) {
  reserved_ = std::max(reserved_, deals);
  switch (width_) {
    case 1: u8_.reserve(deals); break;
    case 2: u16_.reserve(deals); break;
    case 4: u32_.reserve(deals); break;
    default: break;
  }
}

std::size_t DimensionCodes::memory_bytes() const noexcept {
  return u8_.capacity() + u16_.capacity() * 2 + u32_.capacity() * 4;
}

EventLog::EventLog(Instant time_base) : time_base_(time_base) {
  dimensions_.reserve(kStandardDimensionCount);
  for (std::string_view name : kStandardDimensionNames) {
    dimensions_.push_back(DimensionColumn{std::string(name), {}, {}});
  }
}

PipelineId EventLog::intern_pipeline(std::string_view pipeline_key) {
  return PipelineId{static_cast<std::uint16_t>(pipelines_.intern(pipeline_key))};
}

Result<DealId> EventLog::add_deal(std::string_view key, PipelineId pipeline, Instant created_at,
                                  std::optional<Money> amount) {
  const std::size_t before = deal_keys_.size();
  if (before >= std::numeric_limits<std::uint32_t>::max() - 1) {
    return Status(ErrorCode::overflow, "the log holds at most 2^32-2 deals");
  }
  const auto [code, added] = deal_keys_.intern(key);  // one hash lookup for the common (new) case
  if (!added) {
    return Status(ErrorCode::duplicate, "deal '" + std::string(key) + "' is already in the log");
  }
  pipeline_.push_back(pipeline.value());
  created_.push_back(created_at.unix_seconds());
  max_created_ = std::max(max_created_, created_at.unix_seconds());
  if (amount) {
    amount_minor_.push_back(amount->minor_units());
    currency_.push_back(intern_currency(amount->currency()));
  } else {
    amount_minor_.push_back(0);
    currency_.push_back(kNoCurrency);
  }
  for (auto& dim : dimensions_) dim.codes.push_back_empty();
  offsets_.push_back(offsets_.back());
  if (!fc_offsets_.empty()) fc_offsets_.push_back(fc_offsets_.back());
  if (!close_date_.empty()) close_date_.push_back(kNoDate);
  if (!closed_at_.empty()) closed_at_.push_back(kNoInstant);
  if (!probability_.empty()) probability_.push_back(kNoValue);
  return DealId{code};
}

DimensionId EventLog::add_dimension(std::string_view name) {
  if (auto id = find_dimension(name)) return *id;
  DimensionColumn column{std::string(name), {}, {}};
  for (std::size_t d = 0; d < deal_count(); ++d) column.codes.push_back_empty();  // width 0: no bytes
  dimensions_.push_back(std::move(column));
  return DimensionId{static_cast<std::uint16_t>(dimensions_.size() - 1)};
}

std::optional<DimensionId> EventLog::find_dimension(std::string_view name) const {
  for (std::size_t i = 0; i < dimensions_.size(); ++i) {
    if (dimensions_[i].name == name) return DimensionId{static_cast<std::uint16_t>(i)};
  }
  return std::nullopt;
}

void EventLog::set_dimension(DealId deal, DimensionId dimension, std::string_view value) {
  auto& col = dimensions_.at(dimension.value());
  col.codes.set(deal.value(), value.empty() ? kNoValue : col.values.intern(value));
}

std::uint32_t EventLog::intern_dimension_value(DimensionId dimension, std::string_view value) {
  return dimensions_.at(dimension.value()).values.intern(value);
}

void EventLog::set_dimension_code(DealId deal, DimensionId dimension, std::uint32_t code) {
  dimensions_.at(dimension.value()).codes.set(deal.value(), code);
}

std::string_view EventLog::dimension_value(DealId deal, DimensionId id) const {
  const auto& col = dimension(id);
  if (deal.value() >= col.codes.size()) throw std::out_of_range("dimension_value: no such deal");
  const std::uint32_t code = col.codes[deal.value()];
  return code == kNoValue ? std::string_view{} : col.values.at(code);
}

std::optional<DealId> EventLog::find_deal(std::string_view key) const {
  if (auto code = deal_keys_.find(key)) return DealId{*code};
  return std::nullopt;
}

std::optional<Money> EventLog::amount(DealId deal) const {
  const std::uint16_t c = currency_.at(deal.value());
  if (c == kNoCurrency) return std::nullopt;
  return Money(amount_minor_[deal.value()], currencies_[c]);
}

void EventLog::set_close_date(DealId deal, std::optional<Date> date) {
  if (deal.value() >= deal_count()) throw std::out_of_range("set_close_date: no such deal");
  if (!date && close_date_.empty()) return;
  if (close_date_.empty()) close_date_.assign(deal_count(), kNoDate);
  close_date_[deal.value()] = date ? date->days_since_epoch() : kNoDate;
}

void EventLog::set_closed_at(DealId deal, std::optional<Instant> at) {
  if (deal.value() >= deal_count()) throw std::out_of_range("set_closed_at: no such deal");
  if (!at && closed_at_.empty()) return;
  if (closed_at_.empty()) closed_at_.assign(deal_count(), kNoInstant);
  closed_at_[deal.value()] = at ? at->unix_seconds() : kNoInstant;
}

Status EventLog::set_probability(DealId deal, std::optional<std::uint32_t> hundredths) {
  if (deal.value() >= deal_count()) {
    return Status(ErrorCode::invalid_argument,
                  "set_probability: no deal with id " + std::to_string(deal.value()));
  }
  if (hundredths && *hundredths > kProbabilityScale) {
    return Status(ErrorCode::invalid_argument,
                  "probability " + std::to_string(*hundredths) + " hundredths of a percent is above 100 %");
  }
  if (!hundredths && probability_.empty()) return {};
  if (probability_.empty()) probability_.assign(deal_count(), kNoValue);
  probability_[deal.value()] = hundredths ? *hundredths : kNoValue;
  return {};
}

std::optional<Date> EventLog::close_date(DealId deal) const {
  if (close_date_.empty() || close_date_.at(deal.value()) == kNoDate) return std::nullopt;
  return Date(close_date_[deal.value()]);
}

std::optional<Instant> EventLog::closed_at(DealId deal) const {
  if (closed_at_.empty() || closed_at_.at(deal.value()) == kNoInstant) return std::nullopt;
  return Instant::from_unix_seconds(closed_at_[deal.value()]);
}

std::optional<std::uint32_t> EventLog::probability(DealId deal) const {
  if (probability_.empty() || probability_.at(deal.value()) == kNoValue) return std::nullopt;
  return probability_[deal.value()];
}

Result<std::uint16_t> EventLog::intern_actor(std::string_view actor) {
  if (actor.empty()) return kNoActor;
  if (auto code = actors_.find(actor)) return static_cast<std::uint16_t>(*code);
  if (actors_.size() >= kNoActor) {
    return Status(ErrorCode::overflow, "the log holds at most 65535 distinct actors; '" + std::string(actor) +
                                           "' is one too many");
  }
  return static_cast<std::uint16_t>(actors_.intern(actor));
}

std::uint32_t EventLog::to_log_seconds(Instant t) const noexcept {
  const std::int64_t s = (t - time_base_).count();
  if (s < 0) return 0;
  if (s > std::numeric_limits<std::uint32_t>::max()) return std::numeric_limits<std::uint32_t>::max();
  return static_cast<std::uint32_t>(s);
}

Status EventLog::append_event(DealId deal, Instant at, StageId stage, std::uint16_t actor_code) {
  if (!deal.valid() || deal.value() >= deal_count()) {
    return Status(ErrorCode::invalid_argument, "append_event: no deal with id " + std::to_string(deal.value()));
  }
  const std::int64_t s = (at - time_base_).count();
  if (s < 0 || s > std::numeric_limits<std::uint32_t>::max()) {
    return Status(ErrorCode::invalid_argument, "instant " + format_iso(at) + " is outside the log's range [" +
                                                   format_iso(time_base_) + ", " +
                                                   format_iso(time_base_ + Duration(0xFFFFFFFFll)) + "]");
  }
  pending_deal_.push_back(deal.value());
  pending_at_.push_back(static_cast<std::uint32_t>(s));
  pending_stage_.push_back(stage);
  pending_actor_.push_back(actor_code);
  return {};
}

Status EventLog::append_event(DealId deal, Instant at, StageId stage, std::string_view actor) {
  auto code = intern_actor(actor);
  if (!code) return code.status();
  return append_event(deal, at, stage, *code);
}

Status EventLog::add_pipeline_move(DealId deal, Instant at, PipelineId to) {
  if (!deal.valid() || deal.value() >= deal_count()) {
    return Status(ErrorCode::invalid_argument, "add_pipeline_move: no deal with id " + std::to_string(deal.value()));
  }
  const std::int64_t s = (at - time_base_).count();
  if (s < 0 || s > std::numeric_limits<std::uint32_t>::max()) {
    return Status(ErrorCode::invalid_argument, "instant " + format_iso(at) + " is outside the log's range");
  }
  const PipelineMove move{deal.value(), static_cast<std::uint32_t>(s), to.value()};
  auto it = std::lower_bound(moves_.begin(), moves_.end(), move, [](const PipelineMove& a, const PipelineMove& b) {
    return a.deal != b.deal ? a.deal < b.deal : a.at < b.at;
  });
  if (it != moves_.end() && it->deal == move.deal && it->at == move.at) {
    it->pipeline = move.pipeline;
  } else {
    moves_.insert(it, move);
  }
  return {};
}

std::span<const EventLog::PipelineMove> EventLog::pipeline_moves(DealId deal) const noexcept {
  const auto by_deal = [](const PipelineMove& m, std::uint32_t d) { return m.deal < d; };
  const auto b = std::lower_bound(moves_.begin(), moves_.end(), deal.value(), by_deal);
  const auto e = std::lower_bound(b, moves_.end(), deal.value() + 1, by_deal);
  return {moves_.data() + (b - moves_.begin()), static_cast<std::size_t>(e - b)};
}

EventLog::PipelineStay EventLog::stay_as_of(DealId deal, std::uint32_t as_of) const noexcept {
  PipelineStay stay{PipelineId{pipeline_[deal.value()]}, offsets_[deal.value()]};
  if (moves_.empty()) return stay;
  const PipelineMove* last = nullptr;
  for (const PipelineMove& m : pipeline_moves(deal)) {
    if (m.at > as_of) break;
    last = &m;
  }
  if (!last) return stay;
  stay.pipeline = PipelineId{last->pipeline};
  const auto b = at_.begin() + offsets_[deal.value()], e = at_.begin() + offsets_[deal.value() + 1];
  stay.begin = static_cast<std::uint32_t>(std::lower_bound(b, e, last->at) - at_.begin());
  return stay;
}

void EventLog::reserve(std::size_t deals, std::size_t events) {
  deal_keys_.reserve(deals, deals * 8);
  pipeline_.reserve(deals);
  created_.reserve(deals);
  amount_minor_.reserve(deals);
  currency_.reserve(deals);
  offsets_.reserve(deals + 1);
  for (auto& d : dimensions_) d.codes.reserve(deals);
  pending_deal_.reserve(events);
  pending_at_.reserve(events);
  pending_stage_.reserve(events);
  pending_actor_.reserve(events);
}

void EventLog::seal() {
  seal_field_changes();
  if (pending_deal_.empty()) return;
  const std::size_t n_pending = pending_deal_.size();
  for (std::uint32_t a : pending_at_) max_at_ = std::max(max_at_, a);

  // Fast path: nothing sealed yet and the pending events are in (deal, at) order.
  bool sorted = at_.empty();
  for (std::size_t i = 1; sorted && i < n_pending; ++i) {
    sorted = pending_deal_[i - 1] < pending_deal_[i] ||
             (pending_deal_[i - 1] == pending_deal_[i] && pending_at_[i - 1] <= pending_at_[i]);
  }
  const std::size_t n_deals = deal_count();
  if (sorted) {
    std::fill(offsets_.begin(), offsets_.end(), 0u);
    for (std::uint32_t d : pending_deal_) ++offsets_[d + 1];
    std::partial_sum(offsets_.begin(), offsets_.end(), offsets_.begin());
    at_ = std::move(pending_at_);
    stage_ = std::move(pending_stage_);
    actor_ = std::move(pending_actor_);
  } else {
    // Counting sort by deal: sealed events of a deal first, then its pending
    // events in append order; then a stable sort by time within each deal.
    std::vector<std::uint32_t> offsets(n_deals + 1, 0);
    for (std::size_t d = 0; d < n_deals; ++d) offsets[d + 1] = offsets_[d + 1] - offsets_[d];
    for (std::uint32_t d : pending_deal_) ++offsets[d + 1];
    std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
    const std::size_t total = at_.size() + n_pending;
    std::vector<std::uint32_t> at(total);
    std::vector<StageId> stage(total);
    std::vector<std::uint16_t> actor(total);
    std::vector<std::uint32_t> cursor(offsets.begin(), offsets.end() - 1);
    for (std::size_t d = 0; d < n_deals; ++d) {
      for (std::uint32_t i = offsets_[d]; i < offsets_[d + 1]; ++i) {
        const std::uint32_t j = cursor[d]++;
        at[j] = at_[i];
        stage[j] = stage_[i];
        actor[j] = actor_[i];
      }
    }
    for (std::size_t i = 0; i < n_pending; ++i) {
      const std::uint32_t j = cursor[pending_deal_[i]]++;
      at[j] = pending_at_[i];
      stage[j] = pending_stage_[i];
      actor[j] = pending_actor_[i];
    }
    std::vector<std::uint32_t> perm;
    for (std::size_t d = 0; d < n_deals; ++d) {
      const std::uint32_t b = offsets[d], e = offsets[d + 1];
      if (std::is_sorted(at.begin() + b, at.begin() + e)) continue;
      perm.resize(e - b);
      std::iota(perm.begin(), perm.end(), b);
      std::stable_sort(perm.begin(), perm.end(), [&](std::uint32_t x, std::uint32_t y) { return at[x] < at[y]; });
      std::vector<std::uint32_t> at_tmp(e - b);
      std::vector<StageId> stage_tmp(e - b);
      std::vector<std::uint16_t> actor_tmp(e - b);
      for (std::size_t k = 0; k < perm.size(); ++k) {
        at_tmp[k] = at[perm[k]];
        stage_tmp[k] = stage[perm[k]];
        actor_tmp[k] = actor[perm[k]];
      }
      std::copy(at_tmp.begin(), at_tmp.end(), at.begin() + b);
      std::copy(stage_tmp.begin(), stage_tmp.end(), stage.begin() + b);
      std::copy(actor_tmp.begin(), actor_tmp.end(), actor.begin() + b);
    }
    offsets_ = std::move(offsets);
    at_ = std::move(at);
    stage_ = std::move(stage);
    actor_ = std::move(actor);
  }
  // Release the staging buffers and trim the columns: the sealed log is what
  // stays in memory (8 bytes per event + 4 per deal).
  std::vector<std::uint32_t>().swap(pending_deal_);
  std::vector<std::uint32_t>().swap(pending_at_);
  std::vector<StageId>().swap(pending_stage_);
  std::vector<std::uint16_t>().swap(pending_actor_);
  offsets_.shrink_to_fit();
  at_.shrink_to_fit();
  stage_.shrink_to_fit();
  actor_.shrink_to_fit();
}

EventLogMemory EventLog::memory_usage() const noexcept {
  EventLogMemory m;
  m.event_bytes = offsets_.capacity() * sizeof(std::uint32_t) + at_.capacity() * sizeof(std::uint32_t) +
                  stage_.capacity() * sizeof(StageId) + actor_.capacity() * sizeof(std::uint16_t) +
                  pending_deal_.capacity() * 4 + pending_at_.capacity() * 4 + pending_stage_.capacity() * 2 +
                  pending_actor_.capacity() * 2 + moves_.capacity() * sizeof(PipelineMove);
  m.field_change_bytes = fc_offsets_.capacity() * 4 + fc_at_.capacity() * 4 + fc_field_.capacity() * 2 +
                         fc_value_.capacity() * 4 + fc_amount_minor_.capacity() * 8 +
                         fc_amount_currency_.capacity() * 2 + fc_field_counts_.capacity() * 8 +
                         fc_pending_deal_.capacity() * 4 + fc_pending_at_.capacity() * 4 +
                         fc_pending_field_.capacity() * 2 + fc_pending_value_.capacity() * 4;
  m.deal_bytes = pipeline_.capacity() * 2 + created_.capacity() * 8 + amount_minor_.capacity() * 8 +
                 currency_.capacity() * 2 + close_date_.capacity() * 4 + closed_at_.capacity() * 8 +
                 probability_.capacity() * 4;
  for (const auto& d : dimensions_) {
    m.deal_bytes += d.codes.memory_bytes();
    m.dictionary_bytes += d.values.memory_bytes();
  }
  m.dictionary_bytes += deal_keys_.memory_bytes() + pipelines_.memory_bytes() + actors_.memory_bytes();
  return m;
}

}  // namespace dealflow::analytics
