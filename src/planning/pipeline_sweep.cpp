// The pipeline states at many instants in one sweep: see
// dealflow/planning/pipeline_sweep.h. Each deal's record is built by the
// definition of pipeline_state_as_of (src/planning/pipeline_state.cpp and
// analytics::detail::ReportContext::state), restricted to the deal's rows at
// or before the instant, and rebuilt only when one of its rows was passed.
#include "dealflow/planning/pipeline_sweep.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <numeric>
#include <string>

#include "analytics/report_context.h"
#include "planning/category_decoder.h"

namespace dealflow::planning {
namespace {

using analytics::EventLog;

enum class RecordKind : std::uint8_t { none, open, closed };

// A deal of the active set: its cursors (the first row after the last
// instant) and its field values as of that instant.
struct ActiveDeal {
  DealId deal;
  std::uint32_t ev = 0, ev_end = 0;               // events
  std::uint32_t ev_begin = 0;                     // the first event (the stay's begin when never moved)
  std::uint16_t home = 0;                         // the deals-table pipeline
  std::uint32_t fc = 0, fc_end = 0;               // field changes
  std::uint32_t fc_begin = 0;                     // the deal's first field change
  std::uint32_t mv = 0;                           // moves of the deal passed
  std::span<const EventLog::PipelineMove> moves;  // looked up once, on activation
  std::optional<Money> amount;
  std::optional<Date> close_date;
  std::optional<std::uint32_t> probability;
  std::uint32_t owner = kNoValue;
  std::uint32_t category = kNoValue;
  RecordKind kind = RecordKind::none;
  OpenDeal open;
  ClosedDeal closed;
};

// Replaces, inserts or removes records of a vector sorted by deal: `updates`
// is sorted by deal, each with the new record or null (absent). Replacements
// happen in place; inserts and removals take one merge pass.
template <class T>
void apply_updates(std::vector<T>& v, const std::vector<std::pair<DealId, const T*>>& updates,
                   std::vector<T>& scratch) {
  if (updates.empty()) return;
  // Many updates: one merge pass is cheaper than a binary search each.
  bool structural = updates.size() * 32 > v.size();
  for (std::size_t i = 0; i < updates.size() && !structural; ++i) {
    const auto& [deal, record] = updates[i];
    auto it = std::lower_bound(v.begin(), v.end(), deal, [](const T& r, DealId d) { return r.deal < d; });
    const bool found = it != v.end() && it->deal == deal;
    if (found && record) {
      *it = *record;
    } else if (found || record) {
      structural = true;
    }
  }
  if (!structural) return;
  scratch.clear();
  scratch.reserve(v.size() + updates.size());
  auto it = v.begin();
  for (const auto& [deal, record] : updates) {
    while (it != v.end() && it->deal < deal) scratch.push_back(*it++);
    if (it != v.end() && it->deal == deal) ++it;  // replaced or removed
    if (record) scratch.push_back(*record);
  }
  scratch.insert(scratch.end(), it, v.end());
  v.swap(scratch);
}

// Whether the closed window [next, ...) lies within [current, ...) (nullopt: unbounded).
bool narrows(std::optional<Instant> current, std::optional<Instant> next) {
  return !current || (next && *next >= *current);
}

// Whether some point's closed window cannot be had from the previous one by
// narrowing it (a wider bound, or a point without closed deals before it):
// only then does the sweep keep every closed deal aside to rebuild windows.
bool widens_somewhere(std::span<const SweepPoint> points, Instant time_base) {
  std::optional<Instant> from;
  bool valid = true;
  for (const SweepPoint& p : points) {
    if (p.as_of < time_base) continue;  // sees nothing, touches no window
    if (!p.options.include_closed) {
      valid = false;
    } else if (!valid || !narrows(from, p.options.closed_from)) {
      return true;
    } else {
      from = p.options.closed_from;
    }
  }
  return false;
}

class Sweeper {
 public:
  Sweeper(const EventLog& log, const Pipeline& pipeline, const analytics::detail::ReportContext& ctx,
          std::uint16_t code, std::span<const SweepPoint> points, SweepStats& stats)
      : log_(log), pipeline_(pipeline), ctx_(ctx), code_(code), stats_(stats), categories_(log) {
    manager_ = analytics::to_dimension_id(analytics::StandardDimension::manager);
    category_dim_ = categories_.dimension();
    // Deals that can be in the pipeline (their table pipeline, or moved), by creation.
    const auto pipelines = log.pipeline_column();
    for (std::uint32_t i = 0; i < log.deal_count(); ++i) {
      if (pipelines[i] == code || !log.pipeline_moves(DealId{i}).empty()) order_.push_back(i);
    }
    const auto created = log.created_column();
    std::stable_sort(order_.begin(), order_.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return created[a] < created[b]; });
    // The points at or after the time base, in log seconds (earlier points see nothing).
    for (const SweepPoint& p : points) {
      point_seconds_.push_back(log.to_log_seconds(p.as_of));
    }
    buckets_.resize(points.size());
    keep_store_ = widens_somewhere(points, log.time_base());
    const std::size_t words = (log.deal_count() + 63) / 64;
    open_dirty_.assign(words, 0);
    closed_dirty_.assign(words, 0);
    summary_.assign((words + 63) / 64, 0);
    slot_of_.assign(log.deal_count(), 0);
  }

  // Moves the sweep to point k (at or after the time base) and fills `state`.
  void advance(std::size_t k, Instant t, const StateOptions& options, PipelineState& state) {
    t_ = t;
    tl_ = point_seconds_[k];
    const auto created = log_.created_column();
    std::vector<std::uint32_t> due = std::move(buckets_[k]);
    buckets_[k] = {};
    while (next_ < order_.size() && created[order_[next_]] <= t.unix_seconds()) {
      due.push_back(allocate(DealId{order_[next_++]}));
    }
    // The due deals are scattered over the pool and the log: their records
    // are prefetched 16 steps ahead, their next event rows 8 steps ahead.
    const auto at = log_.at_column();
    const auto stage = log_.stage_column();
    const std::size_t n = due.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (i + 16 < n) {
        const char* p = reinterpret_cast<const char*>(&pool_[due[i + 16]]);
        __builtin_prefetch(p);
        __builtin_prefetch(p + 64);
      }
      if (i + 8 < n) {
        const ActiveDeal& b = pool_[due[i + 8]];
        if (b.ev < b.ev_end) __builtin_prefetch(at.data() + b.ev);
        if (b.ev > 0) __builtin_prefetch(stage.data() + b.ev - 1);
      }
      step(due[i], k);
    }
    stats_.max_active = std::max<std::uint64_t>(stats_.max_active, pool_.size() - free_.size());
    collect_updates();
    apply_updates(state.open, open_updates_, open_scratch_);
    // The closed deals of the point's window [closed_from, ...): kept between
    // points while it stays or narrows, rebuilt from the store when it widens.
    const std::optional<Instant> from = options.closed_from;
    if (!options.include_closed) {
      window_valid_ = false;
    } else if (window_valid_ && narrows(window_from_, from)) {
      if (from != window_from_) {
        std::erase_if(window_, [&](const ClosedDeal& c) { return c.closed_at < *from; });
        window_from_ = from;
      }
      window_updates_.clear();
      for (const auto& [deal, record] : closed_updates_)
        window_updates_.push_back({deal, record && (!from || record->closed_at >= *from) ? record : nullptr});
      apply_updates(window_, window_updates_, closed_scratch_);
    } else {
      window_.clear();
      for (std::size_t i = 0; i < closed_store_.size(); ++i)
        if (closed_alive_[i] && (!from || closed_store_[i].closed_at >= *from))
          window_.push_back(closed_store_[i]);
      std::sort(window_.begin(), window_.end(),
                [](const ClosedDeal& a, const ClosedDeal& b) { return a.deal < b.deal; });
      window_from_ = from;
      window_valid_ = true;
    }
  }

  std::vector<ClosedDeal>& window() noexcept { return window_; }

 private:
  // Marks deal `d` (in slot `slot`) as changed in `dirty` (one bit per deal).
  void mark(std::vector<std::uint64_t>& dirty, std::uint32_t d, std::uint32_t slot) {
    dirty[d >> 6] |= std::uint64_t{1} << (d & 63);
    slot_of_[d] = slot;
    summary_[d >> 12] |= std::uint64_t{1} << ((d >> 6) & 63);
  }

  // The updates of this point in deal order, read off the dirty bits (no
  // sort): each with the deal's new record, or null when it left the list.
  void collect_updates() {
    open_updates_.clear();
    closed_updates_.clear();
    for (std::size_t sw = 0; sw < summary_.size(); ++sw) {
      for (std::uint64_t words = summary_[sw]; words != 0; words &= words - 1) {
        const std::uint32_t w =
            static_cast<std::uint32_t>(sw << 6) | static_cast<std::uint32_t>(std::countr_zero(words));
        collect_word(w);
      }
      summary_[sw] = 0;
    }
  }

  void collect_word(std::uint32_t w) {
    {
      for (std::uint64_t bits = open_dirty_[w]; bits != 0; bits &= bits - 1) {
        const std::uint32_t d = (w << 6) | static_cast<std::uint32_t>(std::countr_zero(bits));
        const ActiveDeal& a = pool_[slot_of_[d]];
        open_updates_.push_back({DealId{d}, a.kind == RecordKind::open ? &a.open : nullptr});
      }
      for (std::uint64_t bits = closed_dirty_[w]; bits != 0; bits &= bits - 1) {
        const std::uint32_t d = (w << 6) | static_cast<std::uint32_t>(std::countr_zero(bits));
        const ActiveDeal& a = pool_[slot_of_[d]];
        closed_updates_.push_back({DealId{d}, a.kind == RecordKind::closed ? &a.closed : nullptr});
      }
      open_dirty_[w] = 0;
      closed_dirty_[w] = 0;
    }
  }

  std::uint32_t allocate(DealId d) {
    std::uint32_t slot;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = static_cast<std::uint32_t>(pool_.size());
      pool_.emplace_back();
    }
    ActiveDeal& a = pool_[slot];
    a = ActiveDeal{};
    a.deal = d;
    a.ev = static_cast<std::uint32_t>(log_.event_begin(d));
    a.ev_begin = a.ev;
    a.home = log_.pipeline_column()[d.value()];
    a.open.created_at = log_.created_at(d);  // the one field of the open record that never changes
    a.ev_end = static_cast<std::uint32_t>(log_.event_end(d));
    a.fc = static_cast<std::uint32_t>(log_.field_change_begin(d));
    a.fc_begin = a.fc;
    a.fc_end = static_cast<std::uint32_t>(log_.field_change_end(d));
    a.moves = log_.pipeline_moves(d);
    a.amount = log_.amount(d);
    a.close_date = log_.close_date(d);
    a.probability = log_.probability(d);
    a.owner = log_.dimension(manager_).codes[d.value()];
    if (category_dim_) a.category = log_.dimension(*category_dim_).codes[d.value()];
    return slot;
  }

  // Passes the deal's rows at or before the instant, rebuilds its record, and
  // schedules it at the first later point its next row reaches (or frees it).
  void step(std::uint32_t slot, std::size_t k) {
    ActiveDeal& a = pool_[slot];
    const auto at = log_.at_column();
    while (a.ev < a.ev_end && at[a.ev] <= tl_) ++a.ev;
    // Changes passed are applied in order; of the amount changes only the last
    // is decoded (its side-table read is the costly one).
    std::uint32_t last_amount = kNoValue;
    for (; a.fc < a.fc_end && log_.field_change_at(a.fc) <= t_; ++a.fc) {
      if (log_.field_change_field(a.fc) == analytics::DealField::amount()) {
        last_amount = a.fc;
      } else {
        apply_change(a, a.fc);
      }
    }
    if (last_amount != kNoValue) a.amount = log_.field_change_amount(last_amount);
    const auto moves = a.moves;
    while (a.mv < moves.size() && moves[a.mv].at <= tl_) ++a.mv;
    const RecordKind before = a.kind;
    evaluate(a, moves.empty());
    const std::uint32_t d = a.deal.value();
    if (before == RecordKind::open || a.kind == RecordKind::open) mark(open_dirty_, d, slot);
    if (before == RecordKind::closed || a.kind == RecordKind::closed) {
      mark(closed_dirty_, d, slot);
      if (keep_store_) store_closed(a);
    }
    std::uint32_t next = std::numeric_limits<std::uint32_t>::max();
    bool ahead = false;
    if (a.ev < a.ev_end) next = std::min(next, at[a.ev]), ahead = true;
    if (a.fc < a.fc_end) next = std::min(next, log_.to_log_seconds(log_.field_change_at(a.fc))), ahead = true;
    if (a.mv < moves.size()) next = std::min(next, moves[a.mv].at), ahead = true;
    std::size_t j = point_seconds_.size();
    if (ahead) {
      j = static_cast<std::size_t>(
          std::lower_bound(point_seconds_.begin() + static_cast<std::ptrdiff_t>(k + 1), point_seconds_.end(),
                           next) -
          point_seconds_.begin());
    }
    if (j < buckets_.size()) {
      buckets_[j].push_back(slot);
    } else {
      released_.push_back(slot);  // freed once the updates pointing into it are applied
    }
  }

 public:
  void release() {
    free_.insert(free_.end(), released_.begin(), released_.end());
    released_.clear();
  }

 private:
  void store_closed(const ActiveDeal& a) {
    if (closed_slot_.empty()) closed_slot_.assign(log_.deal_count(), kNoValue);
    std::uint32_t& slot = closed_slot_[a.deal.value()];
    if (a.kind == RecordKind::closed) {
      if (slot == kNoValue) {
        if (!closed_free_.empty()) {
          slot = closed_free_.back();
          closed_free_.pop_back();
        } else {
          slot = static_cast<std::uint32_t>(closed_store_.size());
          closed_store_.emplace_back();
          closed_alive_.push_back(false);
        }
      }
      closed_store_[slot] = a.closed;
      closed_alive_[slot] = true;
    } else if (slot != kNoValue) {
      closed_alive_[slot] = false;
      closed_free_.push_back(slot);
      slot = kNoValue;
    }
  }

  // Applies a change of any field but the amount (decoded in step()).
  void apply_change(ActiveDeal& a, std::size_t i) {
    const analytics::DealField f = log_.field_change_field(i);
    const std::uint32_t v = log_.field_change_value(i);
    if (f == analytics::DealField::close_date()) {
      // The documented raw value: days since 1970-01-01 + 2^31, kNoValue when cleared.
      a.close_date = v == kNoValue ? std::nullopt
                                   : std::optional<Date>(Date(static_cast<std::int32_t>(
                                         static_cast<std::int64_t>(v) - (std::int64_t{1} << 31))));
    } else if (f == analytics::DealField::probability()) {
      a.probability = v == kNoValue ? std::nullopt : std::optional<std::uint32_t>(v);
    } else if (f == analytics::DealField::dimension(manager_)) {
      a.owner = v;
    } else if (category_dim_ && f == analytics::DealField::dimension(*category_dim_)) {
      a.category = v;
    }
  }

  // The owner as of `t` (at or before the sweep's instant): the current one
  // unless one of its changes passed lies after t (a short scan back over the
  // deal's changes after t), else a search in its history.
  std::uint32_t owner_at(const ActiveDeal& a, Instant t) const {
    const analytics::DealField owner = analytics::DealField::dimension(manager_);
    for (std::uint32_t j = a.fc; j > a.fc_begin && log_.field_change_at(j - 1) > t; --j) {
      if (log_.field_change_field(j - 1) == owner) return log_.dimension_code_as_of(a.deal, manager_, t);
    }
    return a.owner;
  }

  // The deal's record as of the instant (ReportContext::state + pipeline_state_as_of).
 private:
  void evaluate(ActiveDeal& a, bool never_moved) {
    ++stats_.evaluations;
    const RecordKind before = a.kind;
    a.kind = RecordKind::none;
    const DealId d = a.deal;
    EventLog::PipelineStay stay{PipelineId{a.home}, a.ev_begin};
    if (!never_moved) stay = log_.stay_as_of(d, tl_);
    if (stay.pipeline.value() != code_) return;
    const std::uint32_t begin = stay.begin, end = a.ev;
    if (end <= begin) return;
    const auto at = log_.at_column();
    const auto stage = log_.stage_column();
    const auto read = [&](std::uint32_t i) {
      ++stats_.events_read;
      if (at[i] > tl_) ++stats_.late_reads;
      return stage[i];
    };
    const StageId last = read(end - 1);
    if (last.value() >= pipeline_.stage_count()) return;
    std::uint32_t run = end - 1;
    while (run > begin && read(run - 1) == last) --run;
    if (!ctx_.is_terminal(last)) {
      OpenDeal& o = a.open;
      o.deal = d;
      o.stage = last;
      o.stage_entered = log_.event_at(run);
      o.amount = a.amount;
      o.close_date = a.close_date;
      o.probability = a.probability;
      o.owner = a.owner;
      o.category = categories_.category(a.category, pipeline_.stage(last));
      a.kind = RecordKind::open;
      return;
    }
    std::uint32_t k = end - 1;
    while (k > begin && ctx_.is_terminal(read(k - 1))) --k;
    ClosedDeal& c = a.closed;
    const Instant closed_at = log_.event_at(k);
    // The owner as of closed_at cannot change while closed_at stays: every
    // change applied since the last evaluation is after its instant.
    if (before != RecordKind::closed || c.closed_at != closed_at) c.owner = owner_at(a, closed_at);
    c.deal = d;
    c.stage = last;
    c.won = ctx_.is_won(last);
    c.closed_at = closed_at;
    c.amount = a.amount;
    a.kind = RecordKind::closed;
  }

  const EventLog& log_;
  const Pipeline& pipeline_;
  const analytics::detail::ReportContext& ctx_;
  std::uint16_t code_;
  SweepStats& stats_;
  analytics::DimensionId manager_;
  std::optional<analytics::DimensionId> category_dim_;
  detail::CategoryDecoder categories_;
  std::vector<std::uint32_t> order_;  // candidate deals by created_at
  std::size_t next_ = 0;              // the next of order_ to activate
  std::vector<std::uint32_t> point_seconds_;
  std::vector<std::vector<std::uint32_t>> buckets_;  // per point: the slots to step there
  Instant t_;
  std::uint32_t tl_ = 0;
  std::vector<ActiveDeal> pool_;  // deals with rows ahead of the sweep
  std::vector<std::uint32_t> free_, released_;
  // The deals whose records changed at this point: a bit per deal, a bit per
  // non-zero word of those (summary_), and each marked deal's slot.
  std::vector<std::uint64_t> open_dirty_, closed_dirty_, summary_;
  std::vector<std::uint32_t> slot_of_;
  std::vector<std::pair<DealId, const OpenDeal*>> open_updates_;
  std::vector<std::pair<DealId, const ClosedDeal*>> closed_updates_, window_updates_;
  std::vector<OpenDeal> open_scratch_;
  std::vector<ClosedDeal> window_, closed_scratch_;
  // Every deal closed as of the sweep's instant, unordered (slot per deal), for rebuilding windows.
  std::vector<std::uint32_t> closed_slot_;
  std::vector<ClosedDeal> closed_store_;
  std::vector<bool> closed_alive_;
  std::vector<std::uint32_t> closed_free_;
  std::optional<Instant> window_from_;  // nullopt: no lower bound
  bool window_valid_ = true;            // the empty window before any deal fits every bound
  bool keep_store_ = true;
};

}  // namespace

Status sweep_pipeline_states(const analytics::EventLog& log, const Pipeline& pipeline,
                             std::span<const SweepPoint> points, const StateVisitor& visit,
                             SweepStats* stats) {
  for (std::size_t i = 1; i < points.size(); ++i) {
    if (points[i].as_of < points[i - 1].as_of) {
      return Status(ErrorCode::invalid_argument, "sweep instants must be in non-decreasing order: instant " +
                                                     std::to_string(i) + " (" + format_iso(points[i].as_of) +
                                                     ") is before instant " + std::to_string(i - 1) + " (" +
                                                     format_iso(points[i - 1].as_of) + ")");
    }
  }
  auto ctx =
      analytics::detail::ReportContext::create(log, pipeline, std::nullopt, std::nullopt, std::nullopt);
  if (!ctx) return ctx.status();
  const std::uint16_t code = static_cast<std::uint16_t>(*log.pipelines().find(pipeline.id()));
  SweepStats local;
  SweepStats& s = stats ? *stats : local;
  Sweeper sweeper(log, pipeline, *ctx, code, points, s);
  PipelineState state;
  state.pipeline = PipelineId{code};
  std::vector<ClosedDeal> none;
  for (std::size_t i = 0; i < points.size(); ++i) {
    state.as_of = points[i].as_of;
    Status st;
    if (points[i].as_of < log.time_base()) {  // nothing is in the log before its base
      PipelineState empty;
      empty.as_of = state.as_of;
      empty.pipeline = state.pipeline;
      st = visit(i, empty);
    } else {
      sweeper.advance(i, points[i].as_of, points[i].options, state);
      // The state's closed deals are the sweeper's window, lent for the visit.
      if (points[i].options.include_closed) state.closed.swap(sweeper.window());
      st = visit(i, state);
      if (points[i].options.include_closed) state.closed.swap(sweeper.window());
      sweeper.release();
    }
    if (!st.ok()) return st;
  }
  return {};
}

}  // namespace dealflow::planning
