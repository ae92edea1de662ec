#include "dealflow/analytics/csv_load.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "analytics/csv_load_common.h"

namespace dealflow::analytics {
using namespace csv_detail;
// ---------------------------------------------------------------------------
// history

namespace {

struct StagedEvents {
  std::vector<std::uint32_t> deal;
  std::vector<std::uint32_t> at;
  std::vector<StageId> stage;
  std::vector<std::uint16_t> pipe;   // log pipeline code (or a pending one, see below)
  std::vector<std::uint16_t> actor;  // local actor codes
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

}  // namespace

Status load_history_csv(std::string_view text, std::string_view file_name,
                        const std::vector<const Pipeline*>& pipelines, const CsvLoadOptions& options,
                        LoadedLog& loaded) {
  EventLog& log = loaded.log;
  LoadReport report = loaded.report;
  IssueSink sink(report, options.mode);
  CsvScanner sc(text, file_name);
  Header h;
  if (Status st = read_header(sc, h, "stage history"); !st.ok()) return st;
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
  auto code_of = [&](const Pipeline* p) -> std::uint16_t {
    for (std::size_t c = 0; c < by_code.size(); ++c) {
      if (by_code[c] == p) return static_cast<std::uint16_t>(c);
    }
    by_code.push_back(p);
    tables.push_back(make_stage_table(*p));
    return static_cast<std::uint16_t>(by_code.size() - 1);
  };
  std::string_view last_pipeline_text;
  std::uint16_t last_pipeline_code = 0;
  bool have_last_pipeline = false;

  const std::int64_t base = log.time_base().unix_seconds();
  Dictionary local_actors;
  StagedEvents ev;
  ev.reserve(count_lines(text));

  DealKeyCache deals(text);
  std::string_view last_actor;
  std::uint16_t last_actor_code = kNoActor;

  // Strict mode: the first bad row. The scan goes on (staging only good rows)
  // so that the cross-row checks below can find a problem on an earlier line;
  // the one on the smallest line is reported.
  std::optional<Status> first_row_error;
  // Deals with a bad row: their policy issues may be consequences of the
  // missing row, so strict mode never reports them (the bad row comes first).
  std::vector<std::uint8_t> deal_row_error(log.deal_count(), 0);
  std::uint32_t row_deal = std::numeric_limits<std::uint32_t>::max();

  std::vector<std::string_view> f;
  const std::size_t n_cols = h.names.size();
  // Records a bad row (lenient: counted and skipped; strict: the first is kept).
  auto bad_row = [&](IssueKind kind, const Status& st, std::string_view value = {}) {
    if (row_deal != std::numeric_limits<std::uint32_t>::max()) deal_row_error[row_deal] = 1;
    if (sink.add(kind, st, value) && !first_row_error) first_row_error = st;
  };
  while (true) {
    const auto r = sc.next(f);
    if (r == CsvScanner::Next::end) break;
    if (r == CsvScanner::Next::error) return first_row_error ? *first_row_error : sc.error();
    ++report.history_rows;
    row_deal = std::numeric_limits<std::uint32_t>::max();
    if (f.size() != n_cols) {
      Status st(
          ErrorCode::parse_error,
          "expected " + std::to_string(n_cols) + " fields as in the header, got " + std::to_string(f.size()),
          Location{std::string(file_name), sc.line(), 1, ""});
      bad_row(IssueKind::wrong_field_count, st);
      continue;
    }
    const std::string_view key = f[*col_deal];
    const std::string_view stage_text = f[*col_stage];
    if (key.empty() || stage_text.empty()) {
      const std::size_t col = key.empty() ? *col_deal : *col_stage;
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
              ? field_error(sc, h, *col_deal,
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
      if (have_last_pipeline && ptext == last_pipeline_text) {
        pcode = last_pipeline_code;
      } else if (const Pipeline* other = find_pipeline(pipelines, ptext)) {
        pcode = code_of(other);
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
      Status st = field_error(sc, h, *col_deal,
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
                      ? field_error(sc, h, *col_stage,
                                    "unknown stage '" + std::string(stage_text) + "' in pipeline '" +
                                        by_code[pcode]->id() + "': expected one of " + tables[pcode].list())
                      : Status(ErrorCode::not_found, "unknown stage");
      bad_row(IssueKind::unknown_stage, st, stage_text);
      continue;
    }
    // at
    const std::string_view at_text = f[*col_at];
    std::int64_t at = 0;
    {
      Status stop;
      const FieldRead r =
          read_timestamp(sc, h, *col_at, at_text, options.default_utc_offset_minutes, sink, &at, &stop);
      if (r == FieldRead::stop && !first_row_error) first_row_error = std::move(stop);
      if (r != FieldRead::ok) {
        deal_row_error[deal] = 1;
        continue;
      }
    }
    if (at < base || at - base > std::numeric_limits<std::uint32_t>::max()) {
      Status st = field_error(
          sc, h, *col_at,
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
        const auto code = local_actors.intern(a);
        if (code >= kNoActor) {
          // A file-level limit: stops at once (an earlier bad row still comes first).
          if (first_row_error) return *first_row_error;
          return field_error(sc, h, *col_actor, "more than 65535 distinct actors: expected fewer");
        }
        actor = static_cast<std::uint16_t>(code);
        if (points_into(text, a)) {
          last_actor = a;
          last_actor_code = actor;
        }
      }
    }
    ev.deal.push_back(deal);
    ev.at.push_back(static_cast<std::uint32_t>(at - base));
    ev.stage.push_back(*stage);
    ev.pipe.push_back(pcode);
    ev.actor.push_back(actor);
    ev.line.push_back(static_cast<std::uint32_t>(sc.line()));
  }

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
  for (std::size_t d = 0; d < n_deals; ++d) {
    const std::uint32_t b = start[d], e = start[d + 1];
    if (b == e) continue;
    const std::int64_t created = log.created_column()[d] - base;
    const std::size_t first_issue = cross.size();
    std::uint32_t prev = kNone;  // the deal's previous row
    for (std::uint32_t k = b; k < e; ++k) {
      const std::uint32_t i = order[k];
      if (static_cast<std::int64_t>(ev.at[i]) < created) {
        cross.push_back({IssueKind::event_before_creation, i, kNone});
        keep[i] = 0;
        continue;
      }
      IssueKind same_instant{};
      std::uint32_t other = kNone;
      for (std::uint32_t j = k; j > b; --j) {
        const std::uint32_t o = order[j - 1];
        if (ev.at[o] != ev.at[i]) break;
        if (!keep[o]) continue;
        if (ev.pipe[o] != ev.pipe[i]) {
          same_instant = IssueKind::pipeline_mismatch;
          other = o;
          break;
        }
        if (ev.stage[o] == ev.stage[i]) {
          same_instant = IssueKind::duplicate_event;
          other = o;
          break;
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
