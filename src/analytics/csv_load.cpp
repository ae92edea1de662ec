#include "dealflow/analytics/csv_load.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include <deque>
#include <optional>

#include "analytics/csv_chunks.h"
#include "analytics/csv_load_common.h"
#include "dealflow/io/encoding.h"
#include "dealflow/io/mapped_file.h"

namespace dealflow::analytics {
using namespace csv_detail;
namespace csv_detail {
bool text_is_valid(std::string_view text, unsigned threads) {
  const auto ranges = split_ranges(text, 0, 1, threads);
  std::vector<char> ok(ranges.size(), 0);
  run_chunks(ranges.size(), [&](std::size_t k) {
    ok[k] =
        io::is_valid_utf8_without_nul(text.substr(ranges[k].begin, ranges[k].end - ranges[k].begin)) ? 1 : 0;
  });
  return std::all_of(ok.begin(), ok.end(), [](char v) { return v == 1; });
}
}  // namespace csv_detail

Result<Instant> parse_csv_instant(std::string_view text, int default_utc_offset_minutes) {
  std::int64_t s = 0;
  if (fast_instant(text, default_utc_offset_minutes, &s)) return Instant::from_unix_seconds(s);
  return parse_instant(text, default_utc_offset_minutes);
}

// ---------------------------------------------------------------------------
// deals

namespace {

// The columns of a deals file and what every chunk reads (read-only).
struct DealsContext {
  std::string_view text;
  std::string_view file_name;
  const Header* header = nullptr;
  std::size_t col_id = 0, col_created = 0;
  std::optional<std::size_t> col_pipeline, col_amount, col_currency, col_close_date, col_closed_at,
      col_probability;
  std::vector<std::pair<std::size_t, DimensionId>> dims;  // dimension columns
  const std::vector<const Pipeline*>* pipelines = nullptr;
  const EventLog* log = nullptr;  // pipelines interned, read-only during the row pass
  const CsvLoadOptions* options = nullptr;
  const Pipeline* default_pipeline = nullptr;
  PipelineId default_code;
};

// One good row, converted; `dims` are the cells of ctx.dims, in order.
struct DealRow {
  std::string_view key;
  std::int64_t created = 0;
  PipelineId pipeline;
  std::optional<Money> amount;
  std::optional<Date> close_date;
  std::optional<Instant> closed_at;
  std::optional<std::uint32_t> probability;
  const std::vector<std::string_view>* fields = nullptr;
};

// The row pass over records starting in [range.begin, range.end): checks and
// converts each row and hands the good ones to `emit(row, scanner)`, which
// returns a Status to stop with (or ok). Returns what the load must stop with
// (strict: the first problem; lenient: a fatal one), or nullopt.
template <class Emit>
std::optional<Status> scan_deal_rows(const DealsContext& ctx, const ChunkRange& range, LoadReport& report,
                                     std::size_t& rows, std::size_t& stop, int& stop_line, Emit&& emit) {
  const Header& h = *ctx.header;
  const auto& pipelines = *ctx.pipelines;
  const CsvLoadOptions& options = *ctx.options;
  const std::string_view text = ctx.text;
  IssueSink sink(report, options.mode);
  CsvScanner sc(text, ctx.file_name);
  sc.seek_offset(range.begin, range.first_line);
  ProgressTicker progress(options, range.begin);
  auto finish = [&](std::optional<Status> result) {
    stop = sc.position();
    stop_line = sc.next_line();
    progress.flush(stop);
    return result;
  };
  std::string_view last_pipeline_text;
  PipelineId last_pipeline_code;
  bool have_last_pipeline = false;
  std::string_view last_currency_text;
  Currency last_currency;
  Currency digits_currency;  // the currency whose minor digits are cached
  int digits = digits_currency.minor_digits();
  std::vector<std::string_view> f;
  const std::size_t n_cols = h.names.size();
  const std::size_t col_id = ctx.col_id, col_created = ctx.col_created;
  while (true) {
    const auto r = sc.next(f, range.end);
    if (r == CsvScanner::Next::end) break;
    if (r == CsvScanner::Next::error) {
      sink.add(IssueKind::malformed_csv, sc.error());
      return finish(sc.error());
    }
    ++rows;
    progress.tick(sc.position());
    if (f.size() != n_cols) {
      Status st(
          ErrorCode::parse_error,
          "expected " + std::to_string(n_cols) + " fields as in the header, got " + std::to_string(f.size()),
          Location{std::string(ctx.file_name), sc.line(), 1, ""});
      if (sink.add(IssueKind::wrong_field_count, st)) return finish(st);
      continue;
    }
    DealRow row;
    row.key = f[col_id];
    row.fields = &f;
    if (row.key.empty()) {
      Status st = field_error(sc, h, col_id, "empty deal id: expected a non-empty id");
      if (sink.add(IssueKind::empty_id, st)) return finish(st);
      continue;
    }
    // created_at
    {
      Status stop_status;
      const FieldRead fr =
          read_timestamp(sc, h, col_created, f[col_created], options.default_utc_offset_minutes, sink,
                         &row.created, &stop_status);
      if (fr == FieldRead::stop) return finish(stop_status);
      if (fr == FieldRead::skip_row) continue;
    }
    // pipeline
    row.pipeline = ctx.default_code;
    const std::string_view pipeline_text = ctx.col_pipeline ? f[*ctx.col_pipeline] : std::string_view{};
    if (!pipeline_text.empty()) {
      if (have_last_pipeline && pipeline_text == last_pipeline_text) {
        row.pipeline = last_pipeline_code;
      } else if (find_pipeline(pipelines, pipeline_text)) {
        row.pipeline = PipelineId{static_cast<std::uint16_t>(*ctx.log->pipelines().find(pipeline_text))};
        if (points_into(text, pipeline_text)) {
          last_pipeline_text = pipeline_text;
          last_pipeline_code = row.pipeline;
          have_last_pipeline = true;
        }
      } else {
        Status st = field_error(sc, h, *ctx.col_pipeline,
                                "unknown pipeline '" + std::string(pipeline_text) + "': expected one of " +
                                    pipeline_list(pipelines));
        if (sink.add(IssueKind::unknown_pipeline, st, pipeline_text)) return finish(st);
        continue;
      }
    } else if (!ctx.default_pipeline) {
      Status st = ctx.col_pipeline
                      ? field_error(sc, h, *ctx.col_pipeline,
                                    "empty pipeline and no default pipeline given: expected one of " +
                                        pipeline_list(pipelines))
                      : Status(ErrorCode::invalid_argument,
                               "no 'pipeline' column and no default pipeline given: expected one of " +
                                   pipeline_list(pipelines),
                               Location{std::string(ctx.file_name), 1, 1, ""});
      if (sink.add(IssueKind::unknown_pipeline, st)) return finish(st);
      continue;
    }
    // amount + currency
    const std::string_view amount_text = ctx.col_amount ? f[*ctx.col_amount] : std::string_view{};
    if (!amount_text.empty()) {
      Currency currency = options.default_currency;
      const std::string_view currency_text = ctx.col_currency ? f[*ctx.col_currency] : std::string_view{};
      if (!currency_text.empty()) {
        if (currency_text == last_currency_text) {
          currency = last_currency;
        } else {
          auto c = Currency::parse(currency_text);
          if (!c) {
            Status st = field_error(sc, h, *ctx.col_currency, c.status().message());
            if (sink.add(IssueKind::bad_currency, st, currency_text)) return finish(st);
            continue;
          }
          currency = *c;
          if (points_into(text, currency_text)) {
            last_currency = currency;
            last_currency_text = currency_text;
          }
        }
      }
      if (currency.empty()) {
        auto with_code = Money::parse_with_code(amount_text);
        if (!with_code) {
          Status st = field_error(sc, h, *ctx.col_amount,
                                  "amount '" + std::string(amount_text) +
                                      "' has no currency: expected a 'currency' column, a code in the amount "
                                      "('1234.56 RUB') or a default currency");
          if (sink.add(IssueKind::bad_currency, st)) return finish(st);
          continue;
        }
        row.amount = *with_code;
      } else {
        std::int64_t minor = 0;
        if (!(currency == digits_currency)) {
          digits_currency = currency;
          digits = currency.minor_digits();
        }
        if (fast_amount(amount_text, digits, &minor)) {
          row.amount = Money(minor, currency);
        } else {
          auto parsed = Money::parse(amount_text, currency);
          if (!parsed) {
            Status st = field_error(sc, h, *ctx.col_amount, parsed.status().message());
            if (sink.add(IssueKind::bad_amount, st, amount_text)) return finish(st);
            continue;
          }
          row.amount = *parsed;
        }
      }
    }
    // the optional close_date, closed_at and probability
    if (ctx.col_close_date && !f[*ctx.col_close_date].empty()) {
      row.close_date = parse_calendar_date(f[*ctx.col_close_date]);
      if (!row.close_date) {
        Status st = field_error(
            sc, h, *ctx.col_close_date,
            "invalid date '" + std::string(f[*ctx.col_close_date]) + "': " + std::string(kDateExpected));
        if (sink.add(IssueKind::bad_date, st, f[*ctx.col_close_date])) return finish(st);
        continue;
      }
    }
    if (ctx.col_closed_at && !f[*ctx.col_closed_at].empty()) {
      std::int64_t s = 0;
      Status stop_status;
      const FieldRead fr = read_timestamp(sc, h, *ctx.col_closed_at, f[*ctx.col_closed_at],
                                          options.default_utc_offset_minutes, sink, &s, &stop_status);
      if (fr == FieldRead::stop) return finish(stop_status);
      if (fr == FieldRead::skip_row) continue;
      row.closed_at = Instant::from_unix_seconds(s);
    }
    if (ctx.col_probability && !f[*ctx.col_probability].empty()) {
      std::uint32_t p = 0;
      if (!parse_percent(f[*ctx.col_probability], &p)) {
        Status st = field_error(sc, h, *ctx.col_probability,
                                "invalid probability '" + std::string(f[*ctx.col_probability]) +
                                    "': " + std::string(kProbabilityExpected));
        if (sink.add(IssueKind::bad_probability, st, f[*ctx.col_probability])) return finish(st);
        continue;
      }
      row.probability = p;
    }
    if (Status st = emit(row, sc, sink); !st.ok()) return finish(st);
  }
  return finish(std::nullopt);
}

// Adds a converted row to the log: the deal, its optional columns and its
// dimension cells. duplicate when the id is already a deal.
Status add_deal_row(EventLog& log, const DealRow& row) {
  auto deal = log.add_deal(row.key, row.pipeline, Instant::from_unix_seconds(row.created), row.amount);
  if (!deal) return deal.status();
  if (row.close_date) log.set_close_date(*deal, row.close_date);
  if (row.closed_at) log.set_closed_at(*deal, row.closed_at);
  if (row.probability) (void)log.set_probability(*deal, row.probability);  // checked: <= 100 %
  return {};
}

Status duplicate_error(const CsvScanner& sc, const Header& h, std::size_t col_id, std::string_view key) {
  return field_error(sc, h, col_id, "duplicate deal id '" + std::string(key) + "': expected each id once");
}

// Rows of one chunk, converted and staged for the merge (several threads).
struct DealsChunk {
  ChunkRange range;
  std::size_t rows = 0, stop = 0;
  int stop_line = 1;
  LoadReport report;
  std::optional<Status> stop_with;
  // The good rows' columns.
  std::vector<std::string_view> key;
  std::deque<std::string> owned_keys;  // keys unquoted into scratch space
  std::vector<std::int64_t> created;
  std::vector<std::uint16_t> pipeline;
  std::vector<std::int64_t> minor;
  std::vector<Currency> currency;  // empty: no amount
  std::vector<std::optional<Date>> close_date;
  std::vector<std::optional<Instant>> closed_at;
  std::vector<std::optional<std::uint32_t>> probability;
  std::vector<std::uint32_t> line;
  std::vector<std::uint32_t> dim_codes;  // rows x dims, codes of the chunk's dictionaries
  std::vector<Dictionary> dim_values;    // per dimension column
};

void stage_deals_chunk(const DealsContext& ctx, DealsChunk& c) {
  const std::size_t n_dims = ctx.dims.size();
  c.dim_values.resize(n_dims);
  const std::size_t expect = (c.range.end - c.range.begin) / 160 + 16;
  c.key.reserve(expect);
  c.created.reserve(expect);
  c.pipeline.reserve(expect);
  c.minor.reserve(expect);
  c.currency.reserve(expect);
  c.line.reserve(expect);
  c.dim_codes.reserve(expect * n_dims);
  c.stop_with = scan_deal_rows(ctx, c.range, c.report, c.rows, c.stop, c.stop_line,
                               [&](const DealRow& row, const CsvScanner& sc, IssueSink&) -> Status {
                                 std::string_view key = row.key;
                                 if (!points_into(ctx.text, key)) key = c.owned_keys.emplace_back(key);
                                 c.key.push_back(key);
                                 c.created.push_back(row.created);
                                 c.pipeline.push_back(row.pipeline.value());
                                 c.minor.push_back(row.amount ? row.amount->minor_units() : 0);
                                 c.currency.push_back(row.amount ? row.amount->currency() : Currency{});
                                 if (ctx.col_close_date) c.close_date.push_back(row.close_date);
                                 if (ctx.col_closed_at) c.closed_at.push_back(row.closed_at);
                                 if (ctx.col_probability) c.probability.push_back(row.probability);
                                 c.line.push_back(static_cast<std::uint32_t>(sc.line()));
                                 for (std::size_t k = 0; k < n_dims; ++k) {
                                   const std::string_view v = (*row.fields)[ctx.dims[k].first];
                                   c.dim_codes.push_back(v.empty() ? kNoValue : c.dim_values[k].intern(v));
                                 }
                                 return {};
                               });
}

}  // namespace

Result<LoadedLog> load_deals_csv(std::string_view text, std::string_view file_name,
                                 const std::vector<const Pipeline*>& pipelines,
                                 const CsvLoadOptions& options) {
  LoadedLog out;
  LoadReport& report = out.report;
  EventLog& log = out.log;
  IssueSink sink(report, options.mode);
  CsvScanner sc(text, file_name);
  Header h;
  if (Status st = read_header(sc, h, "deals", parse_threads(options, text.size())); !st.ok()) {
    sink.add(IssueKind::malformed_csv, st);
    return st;
  }
  const auto col_id = h.find("id");
  const auto col_created = h.find("created_at");
  for (auto [col, name] : {std::pair{col_id, "id"}, std::pair{col_created, "created_at"}}) {
    if (!col) {
      Status st = missing_column(sc, h, name, "deals");
      sink.add(IssueKind::missing_column, st);
      return st;
    }
  }
  DealsContext ctx;
  ctx.text = text;
  ctx.file_name = file_name;
  ctx.header = &h;
  ctx.col_id = *col_id;
  ctx.col_created = *col_created;
  ctx.col_pipeline = h.find("pipeline");
  ctx.col_amount = h.find("amount");
  ctx.col_currency = h.find("currency");
  ctx.col_close_date = h.find("close_date");
  ctx.col_closed_at = h.find("closed_at");
  ctx.col_probability = h.find("probability");
  for (std::size_t i = 0; i < h.names.size(); ++i) {
    const std::string& n = h.names[i];
    if (n == "id" || n == "created_at" || n == "pipeline" || n == "amount" || n == "currency" ||
        n == "close_date" || n == "closed_at" || n == "probability") {
      continue;
    }
    ctx.dims.emplace_back(i, log.add_dimension(n));
  }
  ctx.pipelines = &pipelines;
  ctx.log = &log;
  ctx.options = &options;
  ctx.default_pipeline = options.default_pipeline;
  if (!ctx.default_pipeline && pipelines.size() == 1) ctx.default_pipeline = pipelines.front();
  if (ctx.default_pipeline) ctx.default_code = log.intern_pipeline(ctx.default_pipeline->id());
  // Every loaded pipeline is known to the log (a pipeline without deals gives
  // an empty report, and history rows may move deals into any of them).
  for (const Pipeline* p : pipelines) {
    if (p) (void)log.intern_pipeline(p->id());
  }

  const std::size_t body = text.size() - sc.position();
  const unsigned threads = parse_threads(options, body);
  if (threads <= 1) {
    // One pass: rows go straight into the log (duplicates found in file order).
    log.reserve(body / 160 + 16, 0);
    std::size_t stop = 0;
    int stop_line = 0;
    auto result = scan_deal_rows(
        ctx, ChunkRange{sc.position(), text.size(), sc.next_line()}, report, report.deal_rows, stop,
        stop_line, [&](const DealRow& row, const CsvScanner& rsc, IssueSink& rsink) -> Status {
          if (Status st = add_deal_row(log, row); !st.ok()) {
            Status located = duplicate_error(rsc, h, ctx.col_id, row.key);
            return rsink.add(IssueKind::duplicate_deal, located, row.key) ? located : Status{};
          }
          const DealId deal{static_cast<std::uint32_t>(log.deal_count() - 1)};
          for (std::size_t k = 0; k < ctx.dims.size(); ++k) {
            const auto [col, dim] = ctx.dims[k];
            const std::string_view v = (*row.fields)[col];
            if (!v.empty()) log.set_dimension_code(deal, dim, log.intern_dimension_value(dim, v));
          }
          return {};
        });
    if (result) return *result;
  } else {
    // Rows converted in parallel, one chunk per thread, then added in file order.
    const auto ranges = split_ranges(text, sc.position(), sc.next_line(), threads);
    std::vector<DealsChunk> chunks(ranges.size());
    for (std::size_t k = 0; k < ranges.size(); ++k) chunks[k].range = ranges[k];
    run_chunks(chunks.size(), [&](std::size_t k) { stage_deals_chunk(ctx, chunks[k]); });
    std::size_t staged = 0;
    for (const auto& c : chunks) staged += c.key.size();
    log.reserve(staged, 0);
    int line_shift = 0;
    for (std::size_t k = 0; k < chunks.size(); ++k) {
      DealsChunk& c = chunks[k];
      if (k > 0) {
        const DealsChunk& prev = chunks[k - 1];
        line_shift += prev.stop_line - 1;  // the line where chunk k begins, minus 1
        if (prev.stop != c.range.begin) {  // a quoted line break crossed the split: read again
          DealsChunk again;
          again.range = ChunkRange{prev.stop, std::max(prev.stop, c.range.end), 1};
          c = std::move(again);
          stage_deals_chunk(ctx, c);
        }
      }
      const int shift = line_shift;
      if (shift != 0) c.report.shift_lines(shift);
      // The chunk's dimension codes -> the log's (first-seen order is kept).
      std::vector<std::vector<std::uint32_t>> dim_map(ctx.dims.size());
      for (std::size_t d = 0; d < ctx.dims.size(); ++d) {
        const Dictionary& values = c.dim_values[d];
        dim_map[d].resize(values.size());
        for (std::uint32_t v = 0; v < values.size(); ++v) {
          dim_map[d][v] = log.intern_dimension_value(ctx.dims[d].second, values.at(v));
        }
      }
      const std::size_t n_dims = ctx.dims.size();
      for (std::size_t i = 0; i < c.key.size(); ++i) {
        DealRow row;
        row.key = c.key[i];
        row.created = c.created[i];
        row.pipeline = PipelineId{c.pipeline[i]};
        if (!c.currency[i].empty()) row.amount = Money(c.minor[i], c.currency[i]);
        if (ctx.col_close_date) row.close_date = c.close_date[i];
        if (ctx.col_closed_at) row.closed_at = c.closed_at[i];
        if (ctx.col_probability) row.probability = c.probability[i];
        if (Status st = add_deal_row(log, row); !st.ok()) {
          if (options.mode == LoadMode::lenient) {
            // Where a duplicate falls among the chunk's other issues decides the
            // report's examples: the one-pass reader keeps that order.
            CsvLoadOptions one = options;
            one.threads = 1;
            return load_deals_csv(text, file_name, pipelines, one);
          }
          CsvScanner at(text, file_name);
          at.seek_line(static_cast<int>(c.line[i]) + shift);
          std::vector<std::string_view> fields;
          (void)at.next(fields);
          return duplicate_error(at, h, ctx.col_id, row.key);
        }
        const DealId deal{static_cast<std::uint32_t>(log.deal_count() - 1)};
        const std::uint32_t* codes = c.dim_codes.data() + i * n_dims;
        for (std::size_t d = 0; d < n_dims; ++d) {
          if (codes[d] != kNoValue) log.set_dimension_code(deal, ctx.dims[d].second, dim_map[d][codes[d]]);
        }
      }
      report.deal_rows += c.rows;
      report.append(c.report);
      if (c.stop_with) {
        return shift_line(*c.stop_with, shift);
      }
      const std::size_t stop = c.stop;
      const int stop_line = c.stop_line;
      c = DealsChunk();  // release the chunk as soon as it is merged
      c.stop = stop;
      c.stop_line = stop_line;
    }
  }
  report.deals_loaded = log.deal_count();
  report.deals_without_history = log.deal_count();
  log.seal();
  return out;
}

Result<LoadedLog> load_csv_files(const std::string& deals_path, const std::string& history_path,
                                 const std::vector<const Pipeline*>& pipelines,
                                 const CsvLoadOptions& options) {
  // Mapped, not copied: the loaders parse the page cache in place, and each
  // file is unmapped as soon as its rows are in the log.
  auto deals_file = io::MappedFile::open(deals_path);
  if (!deals_file) return deals_file.status();
  auto loaded = load_deals_csv(deals_file->text(), deals_path, pipelines, options);
  if (!loaded) return loaded.status();
  deals_file->reset();
  auto history_file = io::MappedFile::open(history_path);
  if (!history_file) return history_file.status();
  DEALFLOW_RETURN_IF_ERROR(load_history_csv(history_file->text(), history_path, pipelines, options, *loaded));
  return loaded;
}

}  // namespace dealflow::analytics
