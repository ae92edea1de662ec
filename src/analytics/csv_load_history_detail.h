// Internal: the row pass of the stage-history CSV loader, run on one chunk of
// the file per thread (csv_load_history_rows.cpp), and what a chunk produces.
// Not part of the API.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "analytics/csv_load_common.h"
#include "dealflow/core/dictionary.h"

namespace dealflow::analytics::csv_detail {

// Good rows, staged in file order before the cross-row checks.
struct StagedEvents {
  std::vector<std::uint32_t> deal;
  std::vector<std::uint32_t> at;
  std::vector<StageId> stage;
  std::vector<std::uint16_t> pipe;   // log pipeline code (or a pending one, see HistoryContext)
  std::vector<std::uint16_t> actor;  // actor codes of the chunk's own dictionary
  std::vector<std::uint32_t> line;
  void reserve(std::size_t n) {
    deal.reserve(n);
    pipe.reserve(n);
    at.reserve(n);
    stage.reserve(n);
    actor.reserve(n);
    line.reserve(n);
  }
  std::size_t size() const noexcept { return deal.size(); }
};

// What every chunk reads (shared, read-only while chunks run in parallel).
struct HistoryContext {
  std::string_view text;
  std::string_view file_name;
  const Header* header = nullptr;
  std::size_t col_deal = 0, col_at = 0, col_stage = 0;
  std::optional<std::size_t> col_pipeline, col_actor;
  const EventLog* log = nullptr;  // sealed, with its deals
  const std::vector<const Pipeline*>* pipelines = nullptr;
  const CsvLoadOptions* options = nullptr;
  std::int64_t base = 0;  // the log's time base, Unix seconds
  // Per log pipeline code: its Pipeline (nullptr: not loaded) and stage
  // table. A loaded pipeline the log does not know yet gets the next code;
  // only the single-chunk pass may add one (`may_add_pipelines`).
  std::vector<const Pipeline*>* by_code = nullptr;
  std::vector<StageTable>* tables = nullptr;
  bool may_add_pipelines = false;
};

// One chunk: rows whose records start in [begin, end) of the text.
struct HistoryChunk {
  std::size_t begin = 0, end = 0;
  int first_line = 1;    // the line of `begin` as the chunk counts (1 for all but the first)
  std::size_t stop = 0;  // where the scan ended: the next chunk must begin there
  int stop_line = 1;     // the line there, as the chunk counts
  std::size_t rows = 0;  // records read
  StagedEvents ev;
  Dictionary actors;  // the chunk's actor names; ev.actor codes index it
  LoadReport report;  // the chunk's row issues (lines as the chunk counts)
  // Strict mode: the chunk's first bad row.
  std::optional<Status> first_row_error;
  // A problem that ends the load at once (malformed CSV, too many actors).
  std::optional<Status> fatal;
  std::vector<std::uint32_t> bad_deals;  // deals with a bad row
};

// Reads the chunk's rows (c.begin, c.end, c.first_line set; the rest empty).
void scan_history_chunk(const HistoryContext& ctx, HistoryChunk& c);

}  // namespace dealflow::analytics::csv_detail
