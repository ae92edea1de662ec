// dealflow/analytics/csv_load.h: filling an EventLog from the canonical deals
// and stage-history CSV files (docs/analytics-formats.md).
//
//   deals.csv    required id,created_at; optional pipeline,amount,currency,
//                manager,region,product,tier,channel,business,source,client,
//                lost_reason; every other column becomes a dimension.
//   history.csv  required deal_id,at,stage; optional pipeline,actor; rows in
//                any order. A row naming another pipeline than the deal's is
//                a move between pipelines (its stage is one of that pipeline):
//                the deal keeps its id and history (EventLog::add_pipeline_move).
//   field_changes.csv  required deal_id,at,field,value; optional currency:
//                "deal `deal_id`'s `field` takes `value` from `at` on" for
//                manager, any dimension, amount, close_date, probability
//                (load_field_changes_csv, after the deals).
// deals.csv may also carry close_date (YYYY-MM-DD), closed_at (instant) and
// probability (percent) columns.
// UTF-8, comma, RFC 4180 quoting, header row. Timestamps are ISO 8601 (UTC when
// no offset, or `default_utc_offset_minutes`) or dates. Without a `pipeline`
// column every deal belongs to `default_pipeline`.
//
// The reader is a specialised single pass over the file text (fields parsed in
// place, a fast path for the common timestamp forms); errors carry
// file:line:column and what was expected. Strict mode (default) returns the
// first problem; lenient mode skips bad rows and counts them in the LoadReport
// (dealflow/analytics/validation.h). A failed load changes nothing.
//
// Ownership: the loader borrows the pipelines for the duration of the call; the
// returned log owns its data and refers to pipelines by their id strings
// (`log.pipelines()`), stage ids being the pipelines' StageIds.
//
// Thread-safety: reentrant; distinct calls may run concurrently.
//
// Example:
//   auto p = dealflow::load_pipeline_file("data/pipelines/bitrix24_default.json");
//   dealflow::analytics::CsvLoadOptions opt;
//   opt.default_pipeline = &p->pipeline;
//   auto loaded = dealflow::analytics::load_csv_files("deals.csv", "history.csv", {&p->pipeline}, opt);
//   if (!loaded) { std::cerr << loaded.status().to_string() << "\n"; return 1; }
//   const dealflow::analytics::EventLog& log = loaded->log;   // sealed
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/analytics/validation.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics {

enum class LoadMode : std::uint8_t { strict, lenient };

struct CsvLoadOptions {
  LoadMode mode = LoadMode::strict;
  // The pipeline of every deal when the deals file has no `pipeline` column
  // (or an empty cell); must be one of the pipelines passed to the loader.
  const Pipeline* default_pipeline = nullptr;
  // Offset east of UTC for timestamps and dates written without one.
  int default_utc_offset_minutes = 0;
  // Currency of amounts when there is no `currency` column / cell and the
  // amount carries no code ("1234.56 RUB"). Empty: such an amount is an error.
  Currency default_currency{};
  // History against the pipeline's rules. false (default): a move out of a
  // won/lost stage the pipeline does not declare as a reopen is history (kept,
  // counted as the note `undeclared_reopen`) and the move policy is not
  // checked. true: such a move is a `terminal_exit` error and an open -> open
  // move the policy forbids a `forbidden_move` error (skipped in lenient mode).
  bool check_policy = false;
  // Threads that parse a file at once (0: one per hardware thread). The
  // stage-history file is split at record boundaries into one chunk per
  // thread; the result (log, report, errors) is the same for every count,
  // strict mode still reports the problem on the smallest line. A chunk has
  // at least `min_chunk_bytes` (smaller files use fewer threads).
  unsigned threads = 1;
  std::size_t min_chunk_bytes = std::size_t{4} << 20;
  // For a progress line: when set, the loaders add the bytes and rows they
  // have read (every few thousand rows, from every thread). Not owned.
  std::atomic<std::uint64_t>* progress_bytes = nullptr;
  std::atomic<std::uint64_t>* progress_rows = nullptr;
};

// A sealed log, what was skipped (nothing in strict mode) and the notes
// (undeclared reopens, counted in both modes).
struct LoadedLog {
  EventLog log;
  LoadReport report;
};

// Parses a deals file's text into a fresh log (no events yet; sealed).
Result<LoadedLog> load_deals_csv(std::string_view text, std::string_view file_name,
                                 const std::vector<const Pipeline*>& pipelines, const CsvLoadOptions& options);

// Parses a history file's text and appends its events to `loaded.log`, runs
// the cross-row checks per deal in time order (event before creation,
// duplicate event, two pipelines at one instant; undeclared reopens noted, or
// with `check_policy` terminal exits and forbidden moves), records the
// deals' moves between pipelines and seals the log. Each move is judged
// against the deal's previous row in time order, even one skipped for the
// policy, so a skipped row never makes its successors illegal. Strict mode
// reports the root cause: per deal the first illegal row in time order (none
// of a deal with a bad row, whose policy issues may be consequences of it),
// and of those and the row errors the one on the smallest line. Notes are
// counted in `loaded.report` in both modes. On error (strict mode, or a fatal
// issue) `loaded` is unchanged.
Status load_history_csv(std::string_view text, std::string_view file_name,
                        const std::vector<const Pipeline*>& pipelines, const CsvLoadOptions& options,
                        LoadedLog& loaded);

// Parses a field-changes file's text (docs/analytics-formats.md,
// "field_changes.csv") and adds its changes to `loaded.log` (sealed again).
// `field`: amount (exact decimal; the `currency` cell, else the deal's
// currency, else options.default_currency, else a code in the value),
// close_date (YYYY-MM-DD), probability (percent, at most two decimals), or a
// dimension name (manager, region, ..., forecast_category, any other name:
// a new dimension column, as custom deals.csv columns); an empty value clears
// the field. Errors (strict) or skipped rows (lenient): wrong_field_count,
// empty_id (deal_id or field), unknown_deal, bad_timestamp, event_before_creation
// (a change before the deal's created_at), bad_amount, bad_currency, bad_date,
// bad_probability, unknown_field (id, deal_id, created_at, closed_at, pipeline,
// currency, stage, at: no history). Two changes of one field at one instant:
// the later row wins. On error `loaded` is unchanged (log and report).
Status load_field_changes_csv(std::string_view text, std::string_view file_name,
                              const CsvLoadOptions& options, LoadedLog& loaded);

// Reads both files (each exactly once) and loads them.
Result<LoadedLog> load_csv_files(const std::string& deals_path, const std::string& history_path,
                                 const std::vector<const Pipeline*>& pipelines, const CsvLoadOptions& options);

// Parses one timestamp as the loader does (fast path for YYYY-MM-DD,
// YYYY-MM-DD[T ]HH:MM[:SS][Z|±HH:MM], else dealflow::parse_instant).
Result<Instant> parse_csv_instant(std::string_view text, int default_utc_offset_minutes = 0);

}  // namespace dealflow::analytics
