// dealflow/analytics/movement.h: pipeline movement between two instants (the
// "pipeline waterfall"): the period's open pipeline at the start, every way a
// deal entered or left it during [from, to), the amount changes of the deals
// in it, and the pipeline at the end, per currency, in counts and exact money,
// with the deal ids of every bar (`dealflow movement`, docs/movement.md).
//
// Definitions. The period is [from, to). A deal is *in the period's pipeline*
// at an instant T when, as of T (planning::pipeline_state_as_of's rules: its
// stay at T is in the pipeline, it has a stage event at or before T and the
// latest one is an open stage), it is open and, with the default scope, its
// expected close date as of T falls in the period (the date's midnight at the
// query's UTC offset is in [from, to)); with MovementScope::all_open every
// open deal is in it. The start is the pipeline as of from - 1 s, the end as
// of to - 1 s. *Period to date* (MovementQuery::as_of, in (from, to]): the
// pipeline is still the period's (close dates in [from, to)), but the changes
// end at as_of: the end is the pipeline as of as_of - 1 s and "[from, to)"
// below reads "[from, as_of)" for the changes (slipped_out still means on or
// after `to`). Each deal is replayed at every instant in [from, to) where its
// creation, a stage event, a pipeline move or an amount or close-date change
// happens (all changes at one instant at once), and each change of membership
// is one movement, named by what the deal was before (entries) or became
// (exits):
//   + created      it did not exist before;
//   + pulled_in    its close date moved into the period from a later date;
//   + slipped_in   ... from an earlier date (it slipped out of an earlier period);
//   + dated        ... from no close date;
//   + reopened     it was won or lost and is open again;
//   + moved_in     it came from another pipeline;
//   - won, - lost  it closed;
//   - slipped_out  its close date moved past the period (on or after `to`);
//   - pulled_out   ... before the period (before `from`);
//   - undated      its close date was cleared;
//   - moved_out    it moved to another pipeline.
// ± amount_changed: the change of a deal's amount while in the pipeline
// (including a change at the instant it leaves: exits carry the amount the
// deal left with). ± currency_changed: a deal in the pipeline whose amount
// changed currency, or was set or cleared, leaves the old currency's section
// and enters the new one's. Sections are per currency of the deal's amount,
// plus one for deals without an amount (counts only). In every section:
//   start + Σ entries + amount_changed + currency_changed - Σ exits = end
// holds exactly, in counts and in minor units (bars are signed).
//
// Ownership: the report owns its strings. Thread-safety: reentrant; the log is
// only read.
//
// Example:
//   dealflow::analytics::MovementQuery q;
//   q.from = *dealflow::parse_instant("2024-01-01");
//   q.to = *dealflow::parse_instant("2024-04-01");
//   auto r = dealflow::analytics::compute_pipeline_movement(log, pipeline, q);
//   if (r) std::cout << dealflow::analytics::movement_to_table(*r);  // movement_output.h
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics {

// Which open deals make the period's pipeline.
enum class MovementScope : std::uint8_t {
  close_in_period,  // open deals whose expected close date is in [from, to) (the forecast's pipeline)
  all_open,         // every open deal (the date bars stay empty)
};

// The bars, in waterfall order.
enum class MovementBar : std::uint8_t {
  start,
  created,
  pulled_in,
  slipped_in,
  dated,
  reopened,
  moved_in,
  amount_changed,
  currency_changed,
  won,
  lost,
  slipped_out,
  pulled_out,
  undated,
  moved_out,
  end,
};
inline constexpr std::size_t kMovementBarCount = 16;

enum class MovementBarKind : std::uint8_t { level, entry, change, exit };

std::string_view movement_bar_name(MovementBar bar) noexcept;   // "slipped_out"
std::string_view movement_bar_label(MovementBar bar) noexcept;  // "slipped out"
MovementBarKind movement_bar_kind(MovementBar bar) noexcept;
std::string_view movement_bar_kind_name(MovementBarKind kind) noexcept;  // "level" | "entry" | ...
// One line: what a deal of this bar did; `to_date`: the report has an as_of
// (the end bar reads "as of as_of - 1 s").
std::string movement_bar_definition(MovementBar bar, MovementScope scope, bool to_date = false);
std::string_view movement_scope_name(MovementScope scope) noexcept;  // "close_in_period" | "all_open"

struct MovementQuery {
  Instant from;
  Instant to;
  MovementScope scope = MovementScope::close_in_period;
  int utc_offset_minutes = 0;  // the midnight of a close date (Instant::at_midnight)
  // Period to date: changes counted in [from, as_of), the end as of as_of - 1 s;
  // the pipeline stays the period's [from, to). Must be in (from, to].
  std::optional<Instant> as_of;
};

struct MovementFigures {
  MovementBar bar = MovementBar::start;
  // Signed: levels and entries >= 0, exits <= 0, changes either. amount_changed has count 0.
  std::int64_t count = 0;
  std::int64_t amount = 0;  // minor units of the section's currency (0 in the no-amount section)
  // Levels and entries/exits: one id per deal counted (count == ±size; a deal that
  // leaves the same way twice is listed twice), in the log's deal order.
  // amount_changed: each deal whose amount changed while in the pipeline, once.
  // currency_changed: one id per deal moved into or out of this section.
  std::vector<std::string> deals;
};

struct MovementSection {
  std::optional<Currency> currency;  // nullopt: deals without an amount
  std::array<MovementFigures, kMovementBarCount> bars;
  const MovementFigures& bar(MovementBar b) const { return bars[static_cast<std::size_t>(b)]; }
  // start + every flow bar, for the identity check against end.
  std::int64_t computed_end_count() const noexcept;
  std::int64_t computed_end_amount() const noexcept;
  bool identity_holds() const noexcept {
    return computed_end_count() == bar(MovementBar::end).count &&
           computed_end_amount() == bar(MovementBar::end).amount;
  }
};

struct MovementReport {
  std::string pipeline_id;
  Instant from, to;
  MovementScope scope = MovementScope::close_in_period;
  int utc_offset_minutes = 0;
  std::optional<Instant> as_of;    // the query's (period to date), else nullopt
  Instant start_as_of, end_as_of;  // from - 1 s, (as_of or to) - 1 s
  // Currency code order, the no-amount section last; a section only when a
  // deal counted in it (all bars zero and empty: left out).
  std::vector<MovementSection> sections;
  std::string definition_text() const;  // the definition line
};

// Errors: the log is not sealed (invalid_argument); the pipeline has no deals
// in the log (not_found); from >= to, or an as_of outside (from, to]
// (invalid_argument); a sum outside int64 (overflow, naming the deal).
Result<MovementReport> compute_pipeline_movement(const EventLog& log, const Pipeline& pipeline,
                                                 const MovementQuery& query);

}  // namespace dealflow::analytics
