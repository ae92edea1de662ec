// Pipeline movement between two instants: see dealflow/analytics/movement.h.
#include "dealflow/analytics/movement.h"

#include <algorithm>
#include <map>

namespace dealflow::analytics {
namespace {

constexpr std::uint32_t kNoAmount = 0xFFFF'FFFFu;  // section key of deals without an amount

enum class Where : std::uint8_t { absent, elsewhere, open, won, lost };

// What a deal is as of one instant, as far as the movement cares.
struct Situation {
  Where where = Where::absent;
  bool member = false;  // in the period's pipeline
  std::optional<Date> close_date;
  std::optional<Money> amount;
};

class Replay {
 public:
  Replay(const EventLog& log, const Pipeline& pipeline, std::uint16_t pipeline_code, const MovementQuery& q)
      : log_(log), pipeline_(pipeline), code_(pipeline_code), q_(q) {}

  Situation at(DealId d, Instant t) const {
    Situation s;
    if (t < log_.time_base() || log_.created_at(d) > t) return s;
    const std::uint32_t secs = log_.to_log_seconds(t);
    const auto at = log_.at_column();
    const std::uint32_t begin = log_.event_begin(d);
    const auto end = static_cast<std::uint32_t>(
        std::upper_bound(at.begin() + begin, at.begin() + log_.event_end(d), secs) - at.begin());
    if (end == begin) return s;  // no stage event yet: the deal does not exist
    s.where = Where::elsewhere;
    s.close_date = log_.close_date_as_of(d, t);  // read for every existing deal: an exit carries its amount
    s.amount = log_.amount_as_of(d, t);
    const EventLog::PipelineStay stay = log_.stay_as_of(d, secs);
    if (stay.pipeline.value() != code_ || stay.begin >= end) return s;
    const StageId stage = log_.event_stage(end - 1);
    if (stage.value() >= pipeline_.stage_count()) return s;
    const StageKind kind = pipeline_.kind(stage);
    s.where = kind == StageKind::won ? Where::won : kind == StageKind::lost ? Where::lost : Where::open;
    s.member = s.where == Where::open &&
               (q_.scope == MovementScope::all_open || (s.close_date && position(*s.close_date) == 0));
    return s;
  }

  // -1: before the period, 0: in it, 1: on or after its end.
  int position(Date d) const noexcept {
    const Instant midnight = Instant::at_midnight(d, q_.utc_offset_minutes);
    return midnight < q_.from ? -1 : midnight < q_.to ? 0 : 1;
  }

 private:
  const EventLog& log_;
  const Pipeline& pipeline_;
  std::uint16_t code_;
  const MovementQuery& q_;
};

MovementBar entry_bar(const Situation& before, const Replay& replay) {
  switch (before.where) {
    case Where::absent:
      return MovementBar::created;
    case Where::elsewhere:
      return MovementBar::moved_in;
    case Where::won:
    case Where::lost:
      return MovementBar::reopened;
    case Where::open:
      break;
  }
  if (!before.close_date) return MovementBar::dated;
  return replay.position(*before.close_date) > 0 ? MovementBar::pulled_in : MovementBar::slipped_in;
}

MovementBar exit_bar(const Situation& after, const Replay& replay) {
  switch (after.where) {
    case Where::absent:
    case Where::elsewhere:
      return MovementBar::moved_out;
    case Where::won:
      return MovementBar::won;
    case Where::lost:
      return MovementBar::lost;
    case Where::open:
      break;
  }
  if (!after.close_date) return MovementBar::undated;
  return replay.position(*after.close_date) > 0 ? MovementBar::slipped_out : MovementBar::pulled_out;
}

class Sections {
 public:
  Sections(const EventLog& log) : log_(log) {}

  std::uint32_t key(const std::optional<Money>& amount) const {
    if (!amount) return kNoAmount;
    const auto& cs = log_.currencies();
    return static_cast<std::uint32_t>(std::find(cs.begin(), cs.end(), amount->currency()) - cs.begin());
  }

  // Adds one movement; `list` false only adds money (amount_changed lists a deal once).
  Status add(MovementBar bar, std::uint32_t section, std::int64_t count, std::int64_t amount, DealId d,
             bool list = true) {
    MovementFigures& f = at(section)[static_cast<std::size_t>(bar)];
    if (__builtin_add_overflow(f.count, count, &f.count) ||
        __builtin_add_overflow(f.amount, amount, &f.amount)) {
      return Status(ErrorCode::overflow, "pipeline movement: the " + std::string(movement_bar_label(bar)) +
                                             " sum overflows at deal '" + std::string(log_.deal_key(d)) +
                                             "'");
    }
    if (list) f.deals.emplace_back(log_.deal_key(d));
    return Status::ok_status();
  }

  std::vector<MovementSection> finish() {
    std::vector<std::pair<std::string, std::uint32_t>> order;
    for (const auto& [k, bars] : map_) {
      const bool used = std::any_of(bars.begin(), bars.end(), [](const MovementFigures& f) {
        return f.count != 0 || f.amount != 0 || !f.deals.empty();
      });
      if (!used) continue;
      // The no-amount section sorts last: "\x7f" is after every currency code.
      order.emplace_back(k == kNoAmount ? std::string("\x7f") : std::string(log_.currencies()[k].code()), k);
    }
    std::sort(order.begin(), order.end());
    std::vector<MovementSection> out;
    for (const auto& [code, k] : order) {
      MovementSection s;
      if (k != kNoAmount) s.currency = log_.currencies()[k];
      s.bars = std::move(map_[k]);
      out.push_back(std::move(s));
    }
    return out;
  }

 private:
  std::array<MovementFigures, kMovementBarCount>& at(std::uint32_t section) {
    auto [it, added] = map_.try_emplace(section);
    if (added) {
      for (std::size_t i = 0; i < kMovementBarCount; ++i) it->second[i].bar = static_cast<MovementBar>(i);
    }
    return it->second;
  }

  const EventLog& log_;
  std::map<std::uint32_t, std::array<MovementFigures, kMovementBarCount>> map_;
};

std::int64_t minor(const std::optional<Money>& m) {
  return m ? m->minor_units() : 0;
}

// The instants in [from, to) where something that decides membership happens
// to the deal, ascending and distinct.
std::vector<Instant> change_instants(const EventLog& log, DealId d, Instant from, Instant to) {
  std::vector<Instant> out;
  auto keep = [&](Instant t) {
    if (t >= from && t < to) out.push_back(t);
  };
  keep(log.created_at(d));
  for (std::size_t i = log.event_begin(d); i < log.event_end(d); ++i) keep(log.event_at(i));
  for (std::size_t i = log.field_change_begin(d); i < log.field_change_end(d); ++i) {
    const DealField f = log.field_change_field(i);
    if (f == DealField::amount() || f == DealField::close_date()) keep(log.field_change_at(i));
  }
  for (const EventLog::PipelineMove& m : log.pipeline_moves(d)) keep(log.time_base() + Duration(m.at));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// One step of a deal from `b` to `a` (as of consecutive instants); `changed`
// holds the sections whose amount_changed list has the deal already.
Status step(const EventLog& log, Sections& sections, const Replay& replay, DealId d, const Situation& b,
            const Situation& a, std::vector<std::uint32_t>& changed) {
  if (!b.member && !a.member) return Status::ok_status();
  if (!b.member) return sections.add(entry_bar(b, replay), sections.key(a.amount), 1, minor(a.amount), d);
  // In the pipeline before: its amount change counts first (an exit carries the amount it left with).
  const std::uint32_t kb = sections.key(b.amount), ka = sections.key(a.amount);
  if (kb != ka) {
    if (auto st = sections.add(MovementBar::currency_changed, kb, -1, -minor(b.amount), d); !st.ok())
      return st;
    if (auto st = sections.add(MovementBar::currency_changed, ka, 1, minor(a.amount), d); !st.ok()) return st;
  } else if (minor(a.amount) != minor(b.amount)) {
    std::int64_t delta = 0;
    if (__builtin_sub_overflow(minor(a.amount), minor(b.amount), &delta)) {
      return Status(ErrorCode::overflow, "pipeline movement: the amount change of deal '" +
                                             std::string(log.deal_key(d)) + "' overflows");
    }
    const bool listed = std::find(changed.begin(), changed.end(), ka) != changed.end();
    if (auto st = sections.add(MovementBar::amount_changed, ka, 0, delta, d, !listed); !st.ok()) return st;
    if (!listed) changed.push_back(ka);
  }
  if (a.member) return Status::ok_status();
  return sections.add(exit_bar(a, replay), ka, -1, -minor(a.amount), d);
}

}  // namespace

std::int64_t MovementSection::computed_end_count() const noexcept {
  std::int64_t n = 0;
  for (std::size_t i = 0; i + 1 < kMovementBarCount; ++i) n += bars[i].count;
  return n;
}

std::int64_t MovementSection::computed_end_amount() const noexcept {
  // Wrapping sum: the per-bar sums did not overflow, and a wrapped total can
  // only equal end when the true total does (both are exact modulo 2^64).
  std::uint64_t n = 0;
  for (std::size_t i = 0; i + 1 < kMovementBarCount; ++i) n += static_cast<std::uint64_t>(bars[i].amount);
  return static_cast<std::int64_t>(n);
}

Result<MovementReport> compute_pipeline_movement(const EventLog& log, const Pipeline& pipeline,
                                                 const MovementQuery& query) {
  if (!log.sealed())
    return Status(ErrorCode::invalid_argument, "the event log must be sealed before a report");
  const auto code = log.pipelines().find(pipeline.id());
  if (!code) return Status(ErrorCode::not_found, "pipeline '" + pipeline.id() + "' has no deals in the log");
  if (query.from >= query.to) {
    return Status(ErrorCode::invalid_argument, "empty period: from " + format_iso(query.from) +
                                                   " is not before to " + format_iso(query.to));
  }
  if (query.as_of && (*query.as_of <= query.from || *query.as_of > query.to)) {
    return Status(ErrorCode::invalid_argument, "as_of " + format_iso(*query.as_of) + " is not in (from " +
                                                   format_iso(query.from) + ", to " + format_iso(query.to) +
                                                   "]");
  }
  // Period to date: the changes end at as_of (the pipeline stays [from, to)).
  const Instant changes_end = query.as_of.value_or(query.to);
  MovementReport report;
  report.pipeline_id = pipeline.id();
  report.from = query.from;
  report.to = query.to;
  report.scope = query.scope;
  report.utc_offset_minutes = query.utc_offset_minutes;
  report.start_as_of = query.from - Duration(1);
  report.as_of = query.as_of;
  report.end_as_of = changes_end - Duration(1);
  const Replay replay(log, pipeline, static_cast<std::uint16_t>(*code), query);
  Sections sections(log);
  std::vector<std::uint32_t> changed;
  for (std::size_t i = 0; i < log.deal_count(); ++i) {
    const DealId d{static_cast<std::uint32_t>(i)};
    Situation s = replay.at(d, report.start_as_of);
    if (s.member) {
      if (auto st = sections.add(MovementBar::start, sections.key(s.amount), 1, minor(s.amount), d); !st.ok())
        return st;
    }
    changed.clear();
    for (const Instant t : change_instants(log, d, query.from, changes_end)) {
      Situation next = replay.at(d, t);
      if (auto st = step(log, sections, replay, d, s, next, changed); !st.ok()) return st;
      s = std::move(next);
    }
    // The end is evaluated afresh (not taken from the replay), so the
    // identity checks that no change was missed.
    const Situation end = replay.at(d, report.end_as_of);
    if (end.member) {
      if (auto st = sections.add(MovementBar::end, sections.key(end.amount), 1, minor(end.amount), d);
          !st.ok())
        return st;
    }
  }
  report.sections = sections.finish();
  return report;
}

}  // namespace dealflow::analytics
