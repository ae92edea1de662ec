// The row pass of the stage-history loader over one chunk of the file: field
// checks, deal and stage lookup, timestamps, actors. Cross-row checks run
// after all chunks are merged (csv_load_history.cpp).
#include <limits>

#include "analytics/csv_chunks.h"
#include "analytics/csv_load_history_detail.h"

namespace dealflow::analytics::csv_detail {

void scan_history_chunk(const HistoryContext& ctx, HistoryChunk& c) {
  const Header& h = *ctx.header;
  const EventLog& log = *ctx.log;
  const auto& pipelines = *ctx.pipelines;
  auto& by_code = *ctx.by_code;
  auto& tables = *ctx.tables;
  const std::string_view text = ctx.text;
  const std::string_view file_name = ctx.file_name;
  const std::size_t col_deal = ctx.col_deal, col_at = ctx.col_at, col_stage = ctx.col_stage;
  const auto col_pipeline = ctx.col_pipeline;
  const auto col_actor = ctx.col_actor;

  auto code_of = [&](const Pipeline* p) -> std::optional<std::uint16_t> {
    for (std::size_t k = 0; k < by_code.size(); ++k) {
      if (by_code[k] == p) return static_cast<std::uint16_t>(k);
    }
    if (!ctx.may_add_pipelines) return std::nullopt;
    by_code.push_back(p);
    tables.push_back(make_stage_table(*p));
    return static_cast<std::uint16_t>(by_code.size() - 1);
  };
  std::string_view last_pipeline_text;
  std::uint16_t last_pipeline_code = 0;
  bool have_last_pipeline = false;

  IssueSink sink(c.report, ctx.options->mode);
  CsvScanner sc(text, file_name);
  sc.seek_offset(c.begin, c.first_line);
  // About 80 bytes a row in real exports: reserve a little more than needed.
  c.ev.reserve((c.end - c.begin) / 64 + 16);

  ProgressTicker progress(*ctx.options, c.begin);
  DealKeyCache deals(text);
  std::string_view last_actor;
  std::uint16_t last_actor_code = kNoActor;
  std::uint32_t row_deal = std::numeric_limits<std::uint32_t>::max();

  std::vector<std::string_view> f;
  const std::size_t n_cols = h.names.size();
  // Records a bad row (lenient: counted and skipped; strict: the first is kept).
  auto bad_row = [&](IssueKind kind, const Status& st, std::string_view value = {}) {
    if (row_deal != std::numeric_limits<std::uint32_t>::max()) c.bad_deals.push_back(row_deal);
    if (sink.add(kind, st, value) && !c.first_row_error) c.first_row_error = st;
  };
  while (true) {
    const auto r = sc.next(f, c.end);
    if (r == CsvScanner::Next::end) break;
    if (r == CsvScanner::Next::error) {
      c.fatal = sc.error();
      break;
    }
    ++c.rows;
    progress.tick(sc.position());
    row_deal = std::numeric_limits<std::uint32_t>::max();
    if (f.size() != n_cols) {
      Status st(
          ErrorCode::parse_error,
          "expected " + std::to_string(n_cols) + " fields as in the header, got " + std::to_string(f.size()),
          Location{std::string(file_name), sc.line(), 1, ""});
      bad_row(IssueKind::wrong_field_count, st);
      continue;
    }
    const std::string_view key = f[col_deal];
    const std::string_view stage_text = f[col_stage];
    if (key.empty() || stage_text.empty()) {
      const std::size_t col = key.empty() ? col_deal : col_stage;
      Status st = field_error(sc, h, col,
                              key.empty() ? "empty deal_id: expected the id of a deal in the deals file"
                                          : "empty stage: expected a stage id of the deal's pipeline");
      bad_row(IssueKind::empty_id, st);
      continue;
    }
    // deal
    const std::optional<std::uint32_t> found_deal = deals.find(log, key);
    if (!found_deal) {
      Status st =
          sink.wants_example(IssueKind::unknown_deal)
              ? field_error(sc, h, col_deal,
                            "unknown deal '" + std::string(key) + "': expected an id from the deals file")
              : Status(ErrorCode::not_found, "unknown deal");
      bad_row(IssueKind::unknown_deal, st, key);
      continue;
    }
    const std::uint32_t deal = *found_deal;
    row_deal = deal;
    // pipeline: the deal's, or another loaded one (a move between pipelines)
    std::uint16_t pcode = log.pipeline_column()[deal];
    if (col_pipeline && !f[*col_pipeline].empty() && f[*col_pipeline] != log.pipelines().at(pcode)) {
      const std::string_view ptext = f[*col_pipeline];
      const Pipeline* other = nullptr;
      if (have_last_pipeline && ptext == last_pipeline_text) {
        pcode = last_pipeline_code;
      } else if ((other = find_pipeline(pipelines, ptext)) != nullptr && code_of(other)) {
        pcode = *code_of(other);
        if (points_into(text, ptext)) {
          last_pipeline_text = ptext;
          last_pipeline_code = pcode;
          have_last_pipeline = true;
        }
      } else {
        Status st = field_error(
            sc, h, *col_pipeline,
            "unknown pipeline '" + std::string(ptext) + "': expected one of " + pipeline_list(pipelines));
        bad_row(IssueKind::unknown_pipeline, st, ptext);
        continue;
      }
    }
    if (!by_code[pcode]) {
      Status st = field_error(sc, h, col_deal,
                              "deal '" + std::string(key) + "' belongs to pipeline '" +
                                  std::string(log.pipelines().at(pcode)) +
                                  "', which was not loaded: expected one of " + pipeline_list(pipelines));
      bad_row(IssueKind::unknown_pipeline, st, log.pipelines().at(pcode));
      continue;
    }
    // stage
    const auto stage = tables[pcode].find(stage_text);
    if (!stage) {
      Status st = sink.wants_example(IssueKind::unknown_stage)
                      ? field_error(sc, h, col_stage,
                                    "unknown stage '" + std::string(stage_text) + "' in pipeline '" +
                                        by_code[pcode]->id() + "': expected one of " + tables[pcode].list())
                      : Status(ErrorCode::not_found, "unknown stage");
      bad_row(IssueKind::unknown_stage, st, stage_text);
      continue;
    }
    // at
    const std::string_view at_text = f[col_at];
    std::int64_t at = 0;
    {
      Status stop;
      const FieldRead r =
          read_timestamp(sc, h, col_at, at_text, ctx.options->default_utc_offset_minutes, sink, &at, &stop);
      if (r == FieldRead::stop && !c.first_row_error) c.first_row_error = std::move(stop);
      if (r != FieldRead::ok) {
        c.bad_deals.push_back(deal);
        continue;
      }
    }
    if (at < ctx.base || at - ctx.base > std::numeric_limits<std::uint32_t>::max()) {
      Status st = field_error(
          sc, h, col_at,
          "timestamp '" + std::string(at_text) + "' is outside the supported range: expected " +
              format_iso(log.time_base()) + " .. " + format_iso(log.time_base() + Duration(0xFFFFFFFFll)));
      bad_row(IssueKind::bad_timestamp, st);
      continue;
    }
    // actor
    std::uint16_t actor = kNoActor;
    if (col_actor && !f[*col_actor].empty()) {
      const std::string_view a = f[*col_actor];
      if (a == last_actor && last_actor_code != kNoActor) {
        actor = last_actor_code;
      } else {
        const auto code = c.actors.intern(a);
        if (code >= kNoActor) {
          // A file-level limit: stops at once (an earlier bad row still comes first).
          c.fatal = field_error(sc, h, *col_actor, "more than 65535 distinct actors: expected fewer");
          break;
        }
        actor = static_cast<std::uint16_t>(code);
        if (points_into(text, a)) {
          last_actor = a;
          last_actor_code = actor;
        }
      }
    }
    c.ev.deal.push_back(deal);
    c.ev.at.push_back(static_cast<std::uint32_t>(at - ctx.base));
    c.ev.stage.push_back(*stage);
    c.ev.pipe.push_back(pcode);
    c.ev.actor.push_back(actor);
    c.ev.line.push_back(static_cast<std::uint32_t>(sc.line()));
  }
  c.stop = sc.position();
  c.stop_line = sc.next_line();
  progress.flush(c.stop);
}

}  // namespace dealflow::analytics::csv_detail
