#include "dealflow/analytics/csv_load.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "analytics/csv_chunks.h"
#include "analytics/csv_load_history_detail.h"

namespace dealflow::analytics {
using namespace csv_detail;
// ---------------------------------------------------------------------------
// history

Status load_history_csv(std::string_view text, std::string_view file_name,
                        const std::vector<const Pipeline*>& pipelines, const CsvLoadOptions& options,
                        LoadedLog& loaded) {
  EventLog& log = loaded.log;
  LoadReport report = loaded.report;
  CsvScanner sc(text, file_name);
  Header h;
  if (Status st = read_header(sc, h, "stage history", parse_threads(options, text.size())); !st.ok())
    return st;
  const auto col_deal = h.find("deal_id");
  const auto col_at = h.find("at");
  const auto col_stage = h.find("stage");
  for (auto [col, name] :
       {std::pair{col_deal, "deal_id"}, std::pair{col_at, "at"}, std::pair{col_stage, "stage"}}) {
    if (!col) {
      return missing_column(sc, h, name, "stage history");
    }
  }
  const auto col_pipeline = h.find("pipeline");
  const auto col_actor = h.find("actor");

  // Per log pipeline code: its Pipeline and stage table. A loaded pipeline the
  // log does not know yet gets the next code (interned at commit, so that a
  // failed load leaves the log unchanged).
  const std::size_t n_pipelines = log.pipelines().size();
  std::vector<const Pipeline*> by_code(n_pipelines, nullptr);
  std::vector<StageTable> tables(n_pipelines);
  for (std::size_t c = 0; c < n_pipelines; ++c) {
    by_code[c] = find_pipeline(pipelines, log.pipelines().at(static_cast<Dictionary::Code>(c)));
    if (by_code[c]) tables[c] = make_stage_table(*by_code[c]);
  }
  const bool all_pipelines_known = std::all_of(pipelines.begin(), pipelines.end(), [&](const Pipeline* p) {
    return !p || std::find(by_code.begin(), by_code.end(), p) != by_code.end();
  });

  HistoryContext ctx;
  ctx.text = text;
  ctx.file_name = file_name;
  ctx.header = &h;
  ctx.col_deal = *col_deal;
  ctx.col_at = *col_at;
  ctx.col_stage = *col_stage;
  ctx.col_pipeline = col_pipeline;
  ctx.col_actor = col_actor;
  ctx.log = &log;
  ctx.pipelines = &pipelines;
  ctx.options = &options;
  ctx.base = log.time_base().unix_seconds();
  ctx.by_code = &by_code;
  ctx.tables = &tables;

  // The row pass: one chunk per thread when every loaded pipeline already has
  // its code (a history naming a new one is read by one thread, so that new
  // codes follow the file order). The header scanner stands at the first row.
  const unsigned threads = all_pipelines_known ? parse_threads(options, text.size() - sc.position()) : 1;
  ctx.may_add_pipelines = threads == 1;
  const std::vector<ChunkRange> ranges = split_ranges(text, sc.position(), sc.next_line(), threads);
  std::vector<HistoryChunk> chunks(ranges.size());
  for (std::size_t k = 0; k < ranges.size(); ++k) {
    chunks[k].begin = ranges[k].begin;
    chunks[k].end = ranges[k].end;
    chunks[k].first_line = ranges[k].first_line;
  }
  run_chunks(chunks.size(), [&](std::size_t k) { scan_history_chunk(ctx, chunks[k]); });

  // Merge the chunks in file order. A chunk that did not begin where the one
  // before it stopped (a quoted field with a line break across the split)
  // is read again from there. Lines become the file's.
  const std::int64_t base = ctx.base;
  Dictionary local_actors;
  StagedEvents ev;
  std::size_t total_events = 0;
  for (const auto& c : chunks) total_events += c.ev.size();
  ev.reserve(total_events);
  std::optional<Status> first_row_error;
  std::vector<std::uint8_t> deal_row_error(log.deal_count(), 0);
  int line_shift = 0;
  for (std::size_t k = 0; k < chunks.size(); ++k) {
    HistoryChunk& c = chunks[k];
    if (k > 0) {
      const HistoryChunk& prev = chunks[k - 1];
      line_shift += prev.stop_line - 1;  // the line where chunk k begins, minus 1
      if (prev.stop != c.begin) {
        HistoryChunk again;
        again.begin = prev.stop;
        again.end = std::max(prev.stop, c.end);
        again.first_line = 1;
        c = std::move(again);
        scan_history_chunk(ctx, c);
      }
    }
    const int shift = line_shift;
    if (shift != 0) c.report.shift_lines(shift);
    report.history_rows += c.rows;
    report.append(c.report);
    for (std::uint32_t d : c.bad_deals) deal_row_error[d] = 1;
    if (c.first_row_error && !first_row_error) first_row_error = shift_line(*c.first_row_error, shift);
    std::vector<std::uint16_t> actor_map(c.actors.size());
    for (std::size_t a = 0; a < c.actors.size(); ++a) {
      actor_map[a] =
          static_cast<std::uint16_t>(local_actors.intern(c.actors.at(static_cast<Dictionary::Code>(a))));
    }
    if (chunks.size() > 1 && local_actors.size() > kNoActor) {
      // More than 65535 actors over the chunks: the single pass names the row.
      CsvLoadOptions one = options;
      one.threads = 1;
      return load_history_csv(text, file_name, pipelines, one, loaded);
    }
    if (c.fatal) return first_row_error ? *first_row_error : shift_line(*c.fatal, shift);
    ev.deal.insert(ev.deal.end(), c.ev.deal.begin(), c.ev.deal.end());
    ev.at.insert(ev.at.end(), c.ev.at.begin(), c.ev.at.end());
    ev.stage.insert(ev.stage.end(), c.ev.stage.begin(), c.ev.stage.end());
    ev.pipe.insert(ev.pipe.end(), c.ev.pipe.begin(), c.ev.pipe.end());
    for (std::uint16_t a : c.ev.actor) ev.actor.push_back(a == kNoActor ? kNoActor : actor_map[a]);
    for (std::uint32_t l : c.ev.line) ev.line.push_back(l + static_cast<std::uint32_t>(shift));
    c.ev = StagedEvents();  // release the chunk's columns as soon as they are merged
  }
  chunks.clear();
  IssueSink sink(report, options.mode);

  // Group by deal (counting sort keeps file order), then by time.
  const std::size_t n_deals = log.deal_count();
  const std::size_t n = ev.size();
  std::vector<std::uint32_t> start(n_deals + 1, 0);
  for (std::uint32_t d : ev.deal) ++start[d + 1];
  for (std::size_t d = 0; d < n_deals; ++d) start[d + 1] += start[d];
  std::vector<std::uint32_t> order(n);
  {
    std::vector<std::uint32_t> cursor(start.begin(), start.end() - 1);
    for (std::uint32_t i = 0; i < n; ++i) order[cursor[ev.deal[i]]++] = i;
  }
  for (std::size_t d = 0; d < n_deals; ++d) {
    auto b = order.begin() + start[d], e = order.begin() + start[d + 1];
    if (e - b > 1) {
      std::stable_sort(b, e, [&](std::uint32_t x, std::uint32_t y) { return ev.at[x] < ev.at[y]; });
    }
  }

  // Cross-row checks per deal in time order. Each move is judged against the
  // deal's previous row in time order (a row skipped for the move policy still
  // counts as where the deal was, so its successors are not judged against a
  // stage the deal had left); rows before creation, duplicates and rows in a
  // second pipeline at one instant are no moves at all.
  struct CrossIssue {
    IssueKind kind;
    std::uint32_t event;
    std::uint32_t from;  // the previous row (moves, pipeline_mismatch)
  };
  constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
  std::vector<CrossIssue> cross;
  std::vector<CrossIssue> notes;  // undeclared reopens (kept)
  std::vector<std::uint8_t> keep(n, 1);
  // Rows at one instant of a deal (a run) are checked against the run's kept
  // rows in one pass: those all share one pipeline (a row in another is a
  // mismatch, not kept), so a row is checked against the run's last kept row
  // (pipeline) and the run's last kept row at its stage (duplicate) — linear
  // in the rows, however many share an instant.
  std::size_t max_stages = 0;
  for (const Pipeline* p : by_code) {
    if (p) max_stages = std::max(max_stages, p->stage_count());
  }
  std::vector<std::uint32_t> kept_at_stage(max_stages, kNone);
  std::vector<std::uint16_t> run_stages;
  for (std::size_t d = 0; d < n_deals; ++d) {
    const std::uint32_t b = start[d], e = start[d + 1];
    if (b == e) continue;
    const std::int64_t created = log.created_column()[d] - base;
    const std::size_t first_issue = cross.size();
    std::uint32_t prev = kNone;  // the deal's previous row
    std::uint32_t run_last_kept = kNone;
    for (std::uint32_t k = b; k < e; ++k) {
      const std::uint32_t i = order[k];
      if (k == b || ev.at[i] != ev.at[order[k - 1]]) {
        for (std::uint16_t st : run_stages) kept_at_stage[st] = kNone;
        run_stages.clear();
        run_last_kept = kNone;
      }
      if (static_cast<std::int64_t>(ev.at[i]) < created) {
        cross.push_back({IssueKind::event_before_creation, i, kNone});
        keep[i] = 0;
        continue;
      }
      IssueKind same_instant{};
      std::uint32_t other = kNone;
      if (run_last_kept != kNone) {
        if (ev.pipe[run_last_kept] != ev.pipe[i]) {
          same_instant = IssueKind::pipeline_mismatch;
          other = run_last_kept;
        } else if (kept_at_stage[ev.stage[i].value()] != kNone) {
          same_instant = IssueKind::duplicate_event;
          other = kept_at_stage[ev.stage[i].value()];
        }
      }
      if (other != kNone) {
        cross.push_back({same_instant, i, other});
        keep[i] = 0;
        continue;
      }
      if (prev != kNone && ev.pipe[prev] == ev.pipe[i] && ev.stage[prev] != ev.stage[i]) {
        const Pipeline& p = *by_code[ev.pipe[i]];
        const StageId from = ev.stage[prev], to = ev.stage[i];
        if (p.is_terminal(from) && !p.is_reopen(from, to)) {
          if (options.check_policy) {
            cross.push_back({IssueKind::terminal_exit, i, prev});
            keep[i] = 0;
          } else {
            notes.push_back({IssueKind::undeclared_reopen, i, prev});
          }
        } else if (options.check_policy && !p.is_terminal(from) && !p.is_terminal(to) &&
                   !p.allows(from, to)) {
          cross.push_back({IssueKind::forbidden_move, i, prev});
          keep[i] = 0;
        }
      }
      if (keep[i]) {
        const std::uint16_t st = ev.stage[i].value();
        if (kept_at_stage[st] == kNone) run_stages.push_back(st);
        kept_at_stage[st] = i;
        run_last_kept = i;
      }
      prev = i;
    }
    // Strict mode: only the deal's first issue in time order is a root cause.
    // A policy issue of a deal with a bad row may only be a consequence of the
    // missing row (the deal was elsewhere): never reported, the bad row is.
    if (sink.strict() && cross.size() > first_issue) {
      std::size_t w = first_issue;
      for (std::size_t k = first_issue; k < cross.size(); ++k) {
        const bool policy =
            cross[k].kind == IssueKind::terminal_exit || cross[k].kind == IssueKind::forbidden_move;
        if (deal_row_error[d] && policy) continue;
        cross[w++] = cross[k];
        break;
      }
      cross.resize(w);
    }
  }
  auto describe = [&](const CrossIssue& c) -> Status {
    const std::uint32_t i = c.event;
    CsvScanner at_line(text, file_name);
    at_line.seek_line(static_cast<int>(ev.line[i]));
    std::vector<std::string_view> row;
    (void)at_line.next(row);
    const std::string key(log.deal_key(DealId{ev.deal[i]}));
    const Pipeline& p = *by_code[ev.pipe[i]];
    const std::string stage_id = p.stage(ev.stage[i]).id;
    const std::string when = format_iso(log.time_base() + Duration(ev.at[i]));
    const std::string from =
        c.from == kNone ? std::string() : by_code[ev.pipe[c.from]]->stage(ev.stage[c.from]).id;
    const std::string from_line =
        c.from == kNone ? std::string() : " line " + std::to_string(ev.line[c.from]);
    switch (c.kind) {
      case IssueKind::event_before_creation:
        return Status(ErrorCode::validation_failed,
                      column_prefix(h, *col_at) + "stage change of deal '" + key + "' at " + when +
                          " is before the deal's creation: expected at or after created_at " +
                          format_iso(log.created_at(DealId{ev.deal[i]})),
                      at_line.location(*col_at));
      case IssueKind::duplicate_event:
        return Status(ErrorCode::duplicate,
                      "duplicate event: deal '" + key + "' entered stage '" + stage_id + "' at " + when +
                          " twice (first on" + from_line + "): expected each stage change once",
                      Location{std::string(file_name), static_cast<int>(ev.line[i]), 1, ""});
      case IssueKind::pipeline_mismatch:
        return Status(ErrorCode::validation_failed,
                      column_prefix(h, col_pipeline ? *col_pipeline : *col_stage) + "deal '" + key +
                          "' is in pipeline '" + p.id() + "' at " + when + " and in pipeline '" +
                          by_code[ev.pipe[c.from]]->id() + "' at the same instant (" + from_line.substr(1) +
                          "): expected one pipeline per instant",
                      at_line.location(col_pipeline ? *col_pipeline : *col_stage));
      case IssueKind::undeclared_reopen:
        return Status(
            ErrorCode::validation_failed,
            column_prefix(h, *col_stage) + "deal '" + key + "' moves out of " +
                std::string(to_string(p.kind(ev.stage[c.from]))) + " stage '" + from + "' to '" + stage_id +
                "' at " + when + ", a reopen pipeline '" + p.id() +
                "' does not declare: kept as history (check_policy makes it an error; previous row" +
                from_line + ")",
            at_line.location(*col_stage));
      case IssueKind::forbidden_move:
        return Status(ErrorCode::validation_failed,
                      column_prefix(h, *col_stage) + "deal '" + key + "' moves from '" + from + "' to '" +
                          stage_id + "' at " + when + ": expected a move the '" +
                          std::string(to_string(p.policy())) + "' policy of pipeline '" + p.id() +
                          "' allows (previous row" + from_line + ")",
                      at_line.location(*col_stage));
      default:
        return Status(ErrorCode::validation_failed,
                      column_prefix(h, *col_stage) + "deal '" + key + "' moves out of terminal stage '" +
                          from + "' to '" + stage_id + "' at " + when +
                          ": expected a reopen declared in pipeline '" + p.id() + "' (previous row" +
                          from_line + ")",
                      at_line.location(*col_stage));
    }
  };
  if (!cross.empty()) {
    if (sink.strict()) {
      const auto first = std::min_element(
          cross.begin(), cross.end(),
          [&](const CrossIssue& a, const CrossIssue& b) { return ev.line[a.event] < ev.line[b.event]; });
      if (first_row_error && first_row_error->location().line < static_cast<int>(ev.line[first->event])) {
        return *first_row_error;
      }
      return describe(*first);
    }
    for (const auto& c : cross) {
      const std::uint32_t d = ev.deal[c.event];
      const std::string_view key = log.deal_key(DealId{d});
      Status st =
          sink.wants_example(c.kind) ? describe(c) : Status(ErrorCode::validation_failed, "cross-row issue");
      sink.add(c.kind, std::move(st), key);
    }
  }

  if (first_row_error) return *first_row_error;

  // Commit: actor codes into the log, events in (deal, time) order, seal. The
  // actor dictionary's room is checked first, so that a refused load leaves
  // the log unchanged (no actor names interned either).
  std::size_t new_actors = 0;
  for (std::size_t a = 0; a < local_actors.size(); ++a) {
    new_actors += !log.actors().find(local_actors.at(static_cast<Dictionary::Code>(a))).has_value();
  }
  if (log.actors().size() + new_actors > kNoActor) {
    return Status(ErrorCode::overflow,
                  "the log would hold " + std::to_string(log.actors().size() + new_actors) +
                      " distinct actors (" + std::to_string(new_actors) +
                      " new in this file): expected at most 65535",
                  Location{std::string(file_name), 0, 0, ""});
  }
  // Notes (kept rows), then the pipelines first named here, in code order.
  for (const auto& c : notes) {
    const bool example = report.examples(c.kind).size() < LoadReport::kMaxExamples;
    report.add(c.kind, example ? describe(c) : Status(ErrorCode::validation_failed, "note"),
               log.deal_key(DealId{ev.deal[c.event]}));
  }
  for (std::size_t c = n_pipelines; c < by_code.size(); ++c) (void)log.intern_pipeline(by_code[c]->id());
  std::vector<std::uint16_t> actor_map(local_actors.size(), kNoActor);
  for (std::size_t a = 0; a < local_actors.size(); ++a) {
    actor_map[a] =
        *log.intern_actor(local_actors.at(static_cast<Dictionary::Code>(a)));  // room checked above
  }
  log.reserve(0, n);
  std::size_t kept = 0;
  for (std::size_t d = 0; d < n_deals; ++d) {
    // A kept row in another pipeline than the deal's current one moves it there.
    std::uint16_t in = log.pipeline_column()[d];
    for (std::uint32_t k = start[d]; k < start[d + 1]; ++k) {
      const std::uint32_t i = order[k];
      if (!keep[i]) continue;
      const std::uint16_t actor = ev.actor[i] == kNoActor ? kNoActor : actor_map[ev.actor[i]];
      const Instant at = log.time_base() + Duration(ev.at[i]);
      (void)log.append_event(DealId{ev.deal[i]}, at, ev.stage[i], actor);
      if (ev.pipe[i] != in) {
        in = ev.pipe[i];
        (void)log.add_pipeline_move(DealId{ev.deal[i]}, at, PipelineId{in});
      }
      ++kept;
    }
  }
  log.seal();
  report.events_loaded += kept;
  report.deals_without_history = 0;
  for (std::size_t d = 0; d < n_deals; ++d) {
    report.deals_without_history += log.event_begin(DealId{static_cast<std::uint32_t>(d)}) ==
                                    log.event_end(DealId{static_cast<std::uint32_t>(d)});
  }
  loaded.report = std::move(report);
  return {};
}

}  // namespace dealflow::analytics
