// The pipeline states at many instants in one sweep: see
// dealflow/planning/pipeline_sweep.h. Each deal's record is built by the
// definition of pipeline_state_as_of (src/planning/pipeline_state.cpp and
// analytics::detail::ReportContext::state), restricted to the deal's rows at
// or before the instant, and rebuilt only when one of its rows was passed.
#include "dealflow/planning/pipeline_sweep.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "analytics/report_context.h"

namespace dealflow::planning {
namespace {

using analytics::EventLog;

enum class RecordKind : std::uint8_t { none, open, closed };

// A deal of the active set: its cursors (the first row after the last
// instant) and its field values as of that instant.
struct ActiveDeal {
  DealId deal;
  std::uint32_t ev = 0, ev_end = 0;  // events
  std::uint32_t fc = 0, fc_end = 0;  // field changes
  std::uint32_t mv = 0;              // moves of the deal passed
  std::optional<Money> amount;
  std::optional<Date> close_date;
  std::optional<std::uint32_t> probability;
  std::uint32_t owner = kNoValue;
  std::uint32_t category = kNoValue;
  RecordKind kind = RecordKind::none;
  OpenDeal open;
  ClosedDeal closed;
};

class Sweeper {
 public:
  Sweeper(const EventLog& log, const Pipeline& pipeline, const analytics::detail::ReportContext& ctx,
          std::uint16_t code, SweepStats& stats)
      : log_(log), pipeline_(pipeline), ctx_(ctx), code_(code), stats_(stats) {
    manager_ = analytics::to_dimension_id(analytics::StandardDimension::manager);
    category_dim_ = log.find_dimension("forecast_category");
    if (category_dim_) {
      const Dictionary& values = log.dimension(*category_dim_).values;
      for (std::uint32_t c = 0; c < values.size(); ++c)
        category_of_code_.push_back(parse_forecast_category(values.at(c)));
    }
    // Deals that can be in the pipeline (their table pipeline, or moved), by creation.
    const auto pipelines = log.pipeline_column();
    for (std::uint32_t i = 0; i < log.deal_count(); ++i) {
      if (pipelines[i] == code || !log.pipeline_moves(DealId{i}).empty()) order_.push_back(i);
    }
    const auto created = log.created_column();
    std::stable_sort(order_.begin(), order_.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return created[a] < created[b]; });
  }

  // Moves the sweep to `t` (non-decreasing, at or after the log's time base).
  void advance(Instant t) {
    t_ = t;
    tl_ = log_.to_log_seconds(t);
    const auto created = log_.created_column();
    for (std::size_t i = 0; i < active_.size();) {
      if (step(active_[i])) {
        ++i;
      } else {
        freeze(active_[i]);
        if (i + 1 != active_.size()) active_[i] = std::move(active_.back());
        active_.pop_back();
      }
    }
    while (next_ < order_.size() && created[order_[next_]] <= t.unix_seconds()) {
      ActiveDeal a = activate(DealId{order_[next_++]});
      if (step(a, true)) {
        active_.push_back(std::move(a));
      } else {
        freeze(a);
      }
    }
    stats_.max_active = std::max<std::uint64_t>(stats_.max_active, active_.size());
    if (!new_open_.empty()) {
      std::sort(new_open_.begin(), new_open_.end(), by_deal<OpenDeal>);
      std::vector<OpenDeal> merged;
      merged.reserve(frozen_open_.size() + new_open_.size());
      std::merge(frozen_open_.begin(), frozen_open_.end(), new_open_.begin(), new_open_.end(),
                 std::back_inserter(merged), by_deal<OpenDeal>);
      frozen_open_ = std::move(merged);
      new_open_.clear();
    }
    if (!new_closed_.empty()) {
      std::sort(new_closed_.begin(), new_closed_.end(), by_closing);
      const auto mid = static_cast<std::ptrdiff_t>(frozen_closed_.size());
      frozen_closed_.insert(frozen_closed_.end(), new_closed_.begin(), new_closed_.end());
      std::inplace_merge(frozen_closed_.begin(), frozen_closed_.begin() + mid, frozen_closed_.end(),
                         by_closing);
      new_closed_.clear();
    }
  }

  void fill(const StateOptions& options, PipelineState& state) const {
    state.open.clear();
    state.closed.clear();
    std::vector<OpenDeal> open;
    for (const ActiveDeal& a : active_)
      if (a.kind == RecordKind::open) open.push_back(a.open);
    std::sort(open.begin(), open.end(), by_deal<OpenDeal>);
    state.open.reserve(open.size() + frozen_open_.size());
    std::merge(open.begin(), open.end(), frozen_open_.begin(), frozen_open_.end(),
               std::back_inserter(state.open), by_deal<OpenDeal>);
    if (!options.include_closed) return;
    const auto keep = [&](const ClosedDeal& c) {
      return !options.closed_from || c.closed_at >= *options.closed_from;
    };
    for (const ActiveDeal& a : active_)
      if (a.kind == RecordKind::closed && keep(a.closed)) state.closed.push_back(a.closed);
    auto first = frozen_closed_.begin();
    if (options.closed_from) {
      first = std::lower_bound(frozen_closed_.begin(), frozen_closed_.end(), *options.closed_from,
                               [](const ClosedDeal& c, Instant t) { return c.closed_at < t; });
    }
    state.closed.insert(state.closed.end(), first, frozen_closed_.end());
    std::sort(state.closed.begin(), state.closed.end(), by_deal<ClosedDeal>);
  }

 private:
  template <class T>
  static bool by_deal(const T& a, const T& b) {
    return a.deal < b.deal;
  }
  static bool by_closing(const ClosedDeal& a, const ClosedDeal& b) { return a.closed_at < b.closed_at; }

  ActiveDeal activate(DealId d) const {
    ActiveDeal a;
    a.deal = d;
    a.ev = static_cast<std::uint32_t>(log_.event_begin(d));
    a.ev_end = static_cast<std::uint32_t>(log_.event_end(d));
    a.fc = static_cast<std::uint32_t>(log_.field_change_begin(d));
    a.fc_end = static_cast<std::uint32_t>(log_.field_change_end(d));
    a.amount = log_.amount(d);
    a.close_date = log_.close_date(d);
    a.probability = log_.probability(d);
    a.owner = log_.dimension(manager_).codes[d.value()];
    if (category_dim_) a.category = log_.dimension(*category_dim_).codes[d.value()];
    return a;
  }

  // Passes the deal's rows at or before the instant; rebuilds its record when
  // one was passed (or `force`). False when nothing is left ahead (freeze it).
  bool step(ActiveDeal& a, bool force = false) {
    const auto at = log_.at_column();
    bool changed = force;
    while (a.ev < a.ev_end && at[a.ev] <= tl_) ++a.ev, changed = true;
    while (a.fc < a.fc_end && log_.field_change_at(a.fc) <= t_) {
      apply_change(a, a.fc++);
      changed = true;
    }
    const auto moves = log_.pipeline_moves(a.deal);
    while (a.mv < moves.size() && moves[a.mv].at <= tl_) ++a.mv, changed = true;
    if (changed) evaluate(a, moves.empty());
    return a.ev < a.ev_end || a.fc < a.fc_end || a.mv < moves.size();
  }

  void apply_change(ActiveDeal& a, std::size_t i) {
    const analytics::DealField f = log_.field_change_field(i);
    const std::uint32_t v = log_.field_change_value(i);
    if (f == analytics::DealField::amount()) {
      a.amount = log_.field_change_amount(i);
    } else if (f == analytics::DealField::close_date()) {
      a.close_date = log_.field_change_date(i);
    } else if (f == analytics::DealField::probability()) {
      a.probability = v == kNoValue ? std::nullopt : std::optional<std::uint32_t>(v);
    } else if (f == analytics::DealField::dimension(manager_)) {
      a.owner = v;
    } else if (category_dim_ && f == analytics::DealField::dimension(*category_dim_)) {
      a.category = v;
    }
  }

  // The deal's record as of the instant (ReportContext::state + pipeline_state_as_of).
  void evaluate(ActiveDeal& a, bool never_moved) {
    ++stats_.evaluations;
    a.kind = RecordKind::none;
    const DealId d = a.deal;
    EventLog::PipelineStay stay{log_.pipeline(d), static_cast<std::uint32_t>(log_.event_begin(d))};
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
      o.created_at = log_.created_at(d);
      o.stage_entered = log_.event_at(run);
      o.amount = a.amount;
      o.close_date = a.close_date;
      o.probability = a.probability;
      o.owner = a.owner;
      o.category = pipeline_.stage(last).forecast_category;
      if (a.category != kNoValue && a.category < category_of_code_.size() && category_of_code_[a.category])
        o.category = *category_of_code_[a.category];
      a.kind = RecordKind::open;
      return;
    }
    std::uint32_t k = end - 1;
    while (k > begin && ctx_.is_terminal(read(k - 1))) --k;
    ClosedDeal& c = a.closed;
    c.deal = d;
    c.stage = last;
    c.won = ctx_.is_won(last);
    c.closed_at = log_.event_at(k);
    c.amount = a.amount;
    c.owner = log_.dimension_code_as_of(d, manager_, c.closed_at);
    a.kind = RecordKind::closed;
  }

  void freeze(const ActiveDeal& a) {
    if (a.kind == RecordKind::open) new_open_.push_back(a.open);
    if (a.kind == RecordKind::closed) new_closed_.push_back(a.closed);
  }

  const EventLog& log_;
  const Pipeline& pipeline_;
  const analytics::detail::ReportContext& ctx_;
  std::uint16_t code_;
  SweepStats& stats_;
  analytics::DimensionId manager_;
  std::optional<analytics::DimensionId> category_dim_;
  std::vector<std::optional<ForecastCategory>> category_of_code_;
  std::vector<std::uint32_t> order_;  // candidate deals by created_at
  std::size_t next_ = 0;              // the next of order_ to activate
  Instant t_;
  std::uint32_t tl_ = 0;
  std::vector<ActiveDeal> active_;
  std::vector<OpenDeal> frozen_open_;      // by deal
  std::vector<ClosedDeal> frozen_closed_;  // by closed_at
  std::vector<OpenDeal> new_open_;
  std::vector<ClosedDeal> new_closed_;
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
  Sweeper sweeper(log, pipeline, *ctx, code, s);
  PipelineState state;
  state.pipeline = PipelineId{code};
  for (std::size_t i = 0; i < points.size(); ++i) {
    state.as_of = points[i].as_of;
    if (points[i].as_of < log.time_base()) {  // nothing is in the log before its base
      state.open.clear();
      state.closed.clear();
    } else {
      sweeper.advance(points[i].as_of);
      sweeper.fill(points[i].options, state);
    }
    if (Status st = visit(i, state); !st.ok()) return st;
  }
  return {};
}

}  // namespace dealflow::planning
