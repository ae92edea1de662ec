// dealflow/analytics/validation.h: what was wrong with loaded deal data.
//
// Loading deals and stage history from CSV (dealflow/analytics/csv_load.h)
// checks every row. In strict mode the first problem stops the load and is
// returned as a Status ("deals.csv:14:12: column 'created_at': invalid
// timestamp ..."). In lenient mode bad rows are skipped and a `LoadReport`
// counts each kind of problem and keeps a few examples (with their
// file:line:column) so the analyst sees what was dropped and why. Every kind is
// documented in docs/analytics-formats.md.
//
// A few kinds are notes, not problems (`is_note`): the row is kept, in both
// modes, and the report counts it so that every report can say how such rows
// count (an undeclared reopen is history a CRM really recorded). Notes never
// stop a load, never become `first()` and are not in `total()`.
//
// The engine bridge (dealflow/analytics/engine_log.h) makes no LoadReport and
// does not run these checks: the deal engine admitted every move of its
// history already. It only refuses a history that names a pipeline or stage
// code outside the workspace.
//
// Thread-safety: a plain value; one writer at a time.
//
// Example:
//   LoadReport report;
//   report.add(IssueKind::unknown_stage, status_with_location, "PAYED");
//   if (!report.clean()) std::cerr << report.to_text();
//   std::cout << report.count(IssueKind::unknown_stage);   // 1
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/core/status.h"

namespace dealflow::analytics {

namespace detail {
struct SnapshotAccess;  // the binary snapshot (snapshot.h) stores and restores the report
}  // namespace detail

enum class IssueKind : std::uint8_t {
  // file level (fatal in both modes)
  missing_column,         // a required column is not in the header
  malformed_csv,          // unterminated quote, text after a closing quote, bad header
  // row level (skipped in lenient mode)
  wrong_field_count,      // a record with more or fewer fields than the header
  empty_id,               // an empty deal id / deal_id / stage
  bad_timestamp,          // not ISO 8601, or outside 1970..2106
  bad_amount,             // not a decimal amount in the currency's minor units
  bad_currency,           // not an ISO 4217 code, or an amount without any currency
  duplicate_deal,         // a deal id defined twice in the deals file
  unknown_pipeline,       // a pipeline id that is not among the loaded pipelines
  pipeline_mismatch,      // two rows of one deal at the same instant in different pipelines
  unknown_stage,          // a stage id the deal's pipeline does not have
  unknown_deal,           // a history row for a deal not in the deals file
  too_many_actors,        // more than 65,535 distinct actors
  // cross-row (checked per deal after sorting by time; skipped in lenient mode)
  event_before_creation,  // a stage change earlier than the deal's created_at
  duplicate_event,        // the same deal, instant and stage twice
  terminal_exit,          // check_policy: a move out of a won/lost stage that is not a declared reopen
  // notes (rows kept, counted for information)
  undeclared_reopen,      // a move out of a won/lost stage the pipeline does not declare (kept as history)
  // cross-row, check_policy only (skipped in lenient mode)
  forbidden_move,         // an open -> open move the pipeline's move policy forbids
  // field changes and the optional deals columns (row level, skipped in lenient mode)
  bad_date,               // a close_date that is not a calendar date YYYY-MM-DD
  bad_probability,        // not a percent 0..100 with at most two decimals
  unknown_field,          // a field_changes row naming a field that has no history (id, pipeline, ...)
};
inline constexpr std::size_t kIssueKindCount = 21;
std::string_view to_string(IssueKind kind) noexcept;
// Whether the kind stops a load even in lenient mode.
bool is_fatal(IssueKind kind) noexcept;
// Whether the kind is a note: the row is kept and only counted.
bool is_note(IssueKind kind) noexcept;

class LoadReport {
 public:
  // Examples kept per kind.
  static constexpr std::size_t kMaxExamples = 5;

  // Counts one issue (or note); keeps `example` when fewer than kMaxExamples are kept.
  // `value` (e.g. the unknown stage id) is listed among the distinct values of
  // the kind (at most 100 are kept, in order of first appearance).
  void add(IssueKind kind, Status example, std::string_view value = {});
  // Adds the issues of `later`, a report of rows that come after every row of
  // this one (e.g. the next chunk of a file parsed in parallel), so that the
  // result equals one report over all rows: counts add up, examples and
  // values keep their first-come order and limits. The row counters are not
  // touched.
  void append(const LoadReport& later);
  // Adds `lines` to the line of every example's location (examples of a
  // chunk parsed with lines counted from its start).
  void shift_lines(int lines);

  std::size_t count(IssueKind kind) const noexcept { return counts_[static_cast<std::size_t>(kind)]; }
  // Rows skipped: every kind but the notes.
  std::size_t total() const noexcept;
  bool clean() const noexcept { return total() == 0; }
  // Rows kept and noted (is_note kinds).
  std::size_t noted() const noexcept;
  const std::vector<Status>& examples(IssueKind kind) const { return examples_[static_cast<std::size_t>(kind)]; }
  // Distinct offending values of a kind (unknown stage ids, unknown deals...).
  const std::vector<std::string>& values(IssueKind kind) const { return values_[static_cast<std::size_t>(kind)]; }
  // The first issue added that is not a note, if any (what strict mode reports).
  const std::optional<Status>& first() const noexcept { return first_; }

  // Rows seen and kept.
  std::size_t deal_rows = 0;
  std::size_t deals_loaded = 0;
  std::size_t history_rows = 0;
  std::size_t events_loaded = 0;
  std::size_t deals_without_history = 0;  // not an error; reported for information
  std::size_t field_change_rows = 0;
  std::size_t field_changes_loaded = 0;

  // A multi-line human summary: one line per kind with a count ("rows
  // skipped", or "rows kept" for a note), its values and examples. "" when
  // there is neither.
  std::string to_text() const;

 private:
  friend struct detail::SnapshotAccess;
  std::array<std::size_t, kIssueKindCount> counts_{};
  std::array<std::vector<Status>, kIssueKindCount> examples_{};
  std::array<std::vector<std::string>, kIssueKindCount> values_{};
  std::optional<Status> first_;
};

}  // namespace dealflow::analytics
