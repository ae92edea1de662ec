#include "dealflow/analytics/csv_load.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "analytics/csv_load_common.h"

namespace dealflow::analytics {
using namespace csv_detail;
Result<Instant> parse_csv_instant(std::string_view text, int default_utc_offset_minutes) {
  std::int64_t s = 0;
  if (fast_instant(text, default_utc_offset_minutes, &s)) return Instant::from_unix_seconds(s);
  return parse_instant(text, default_utc_offset_minutes);
}

// ---------------------------------------------------------------------------
// deals

Result<LoadedLog> load_deals_csv(std::string_view text, std::string_view file_name,
                                 const std::vector<const Pipeline*>& pipelines, const CsvLoadOptions& options) {
  LoadedLog out;
  LoadReport& report = out.report;
  EventLog& log = out.log;
  IssueSink sink(report, options.mode);
  CsvScanner sc(text, file_name);
  Header h;
  if (Status st = read_header(sc, h, "deals"); !st.ok()) {
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
  const auto col_pipeline = h.find("pipeline");
  const auto col_amount = h.find("amount");
  const auto col_currency = h.find("currency");
  const auto col_close_date = h.find("close_date");
  const auto col_closed_at = h.find("closed_at");
  const auto col_probability = h.find("probability");
  std::vector<std::pair<std::size_t, DimensionId>> dims;
  for (std::size_t i = 0; i < h.names.size(); ++i) {
    const std::string& n = h.names[i];
    if (n == "id" || n == "created_at" || n == "pipeline" || n == "amount" || n == "currency" ||
        n == "close_date" || n == "closed_at" || n == "probability") {
      continue;
    }
    dims.emplace_back(i, log.add_dimension(n));
  }

  const Pipeline* default_pipeline = options.default_pipeline;
  if (!default_pipeline && pipelines.size() == 1) default_pipeline = pipelines.front();
  // Log pipeline code -> Pipeline, filled as pipelines are first seen.
  std::string_view last_pipeline_text;
  PipelineId last_pipeline_code;
  bool have_last_pipeline = false;
  PipelineId default_code;
  if (default_pipeline) default_code = log.intern_pipeline(default_pipeline->id());
  // Every loaded pipeline is known to the log (a pipeline without deals gives
  // an empty report, and history rows may move deals into any of them).
  for (const Pipeline* p : pipelines) {
    if (p) (void)log.intern_pipeline(p->id());
  }

  std::string_view last_currency_text;
  Currency last_currency;

  const std::size_t expected_rows = count_lines(text);
  log.reserve(expected_rows, 0);

  std::vector<detail::ViewCodeMap> dim_cache(dims.size());

  std::vector<std::string_view> f;
  const std::size_t n_cols = h.names.size();
  while (true) {
    const auto r = sc.next(f);
    if (r == CsvScanner::Next::end) break;
    if (r == CsvScanner::Next::error) {
      sink.add(IssueKind::malformed_csv, sc.error());
      return sc.error();
    }
    ++report.deal_rows;
    if (f.size() != n_cols) {
      Status st(ErrorCode::parse_error,
                "expected " + std::to_string(n_cols) + " fields as in the header, got " + std::to_string(f.size()),
                Location{std::string(file_name), sc.line(), 1, ""});
      if (sink.add(IssueKind::wrong_field_count, st)) return st;
      continue;
    }
    const std::string_view key = f[*col_id];
    if (key.empty()) {
      Status st = field_error(sc, h, *col_id, "empty deal id: expected a non-empty id");
      if (sink.add(IssueKind::empty_id, st)) return st;
      continue;
    }
    // created_at
    std::int64_t created = 0;
    {
      Status stop;
      const FieldRead r = read_timestamp(sc, h, *col_created, f[*col_created], options.default_utc_offset_minutes,
                                         sink, &created, &stop);
      if (r == FieldRead::stop) return stop;
      if (r == FieldRead::skip_row) continue;
    }
    // pipeline
    PipelineId pipeline_code = default_code;
    const std::string_view pipeline_text = col_pipeline ? f[*col_pipeline] : std::string_view{};
    if (!pipeline_text.empty()) {
      if (have_last_pipeline && pipeline_text == last_pipeline_text) {
        pipeline_code = last_pipeline_code;
      } else if (find_pipeline(pipelines, pipeline_text)) {
        pipeline_code = log.intern_pipeline(pipeline_text);
        if (points_into(text, pipeline_text)) {
          last_pipeline_text = pipeline_text;
          last_pipeline_code = pipeline_code;
          have_last_pipeline = true;
        }
      } else {
        Status st = field_error(sc, h, *col_pipeline,
                                "unknown pipeline '" + std::string(pipeline_text) + "': expected one of " +
                                    pipeline_list(pipelines));
        if (sink.add(IssueKind::unknown_pipeline, st, pipeline_text)) return st;
        continue;
      }
    } else if (!default_pipeline) {
      Status st = col_pipeline ? field_error(sc, h, *col_pipeline, "empty pipeline and no default pipeline given: expected one of " + pipeline_list(pipelines))
                               : Status(ErrorCode::invalid_argument,
                                        "no 'pipeline' column and no default pipeline given: expected one of " +
                                            pipeline_list(pipelines),
                                        Location{std::string(file_name), 1, 1, ""});
      if (sink.add(IssueKind::unknown_pipeline, st)) return st;
      continue;
    }
    // amount + currency
    std::optional<Money> amount;
    const std::string_view amount_text = col_amount ? f[*col_amount] : std::string_view{};
    if (!amount_text.empty()) {
      Currency currency = options.default_currency;
      const std::string_view currency_text = col_currency ? f[*col_currency] : std::string_view{};
      if (!currency_text.empty()) {
        if (currency_text == last_currency_text) {
          currency = last_currency;
        } else {
          auto c = Currency::parse(currency_text);
          if (!c) {
            Status st = field_error(sc, h, *col_currency, c.status().message());
            if (sink.add(IssueKind::bad_currency, st, currency_text)) return st;
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
          Status st = field_error(sc, h, *col_amount,
                                  "amount '" + std::string(amount_text) +
                                      "' has no currency: expected a 'currency' column, a code in the amount "
                                      "('1234.56 RUB') or a default currency");
          if (sink.add(IssueKind::bad_currency, st)) return st;
          continue;
        }
        amount = *with_code;
      } else {
        std::int64_t minor = 0;
        if (fast_amount(amount_text, currency.minor_digits(), &minor)) {
          amount = Money(minor, currency);
        } else {
          auto parsed = Money::parse(amount_text, currency);
          if (!parsed) {
            Status st = field_error(sc, h, *col_amount, parsed.status().message());
            if (sink.add(IssueKind::bad_amount, st, amount_text)) return st;
            continue;
          }
          amount = *parsed;
        }
      }
    }
    // the optional close_date, closed_at and probability
    std::optional<Date> close_date;
    if (col_close_date && !f[*col_close_date].empty()) {
      close_date = parse_calendar_date(f[*col_close_date]);
      if (!close_date) {
        Status st = field_error(
            sc, h, *col_close_date,
            "invalid date '" + std::string(f[*col_close_date]) + "': " + std::string(kDateExpected));
        if (sink.add(IssueKind::bad_date, st, f[*col_close_date])) return st;
        continue;
      }
    }
    std::optional<Instant> closed_at;
    if (col_closed_at && !f[*col_closed_at].empty()) {
      std::int64_t s = 0;
      Status stop;
      const FieldRead r = read_timestamp(sc, h, *col_closed_at, f[*col_closed_at],
                                         options.default_utc_offset_minutes, sink, &s, &stop);
      if (r == FieldRead::stop) return stop;
      if (r == FieldRead::skip_row) continue;
      closed_at = Instant::from_unix_seconds(s);
    }
    std::optional<std::uint32_t> probability;
    if (col_probability && !f[*col_probability].empty()) {
      std::uint32_t p = 0;
      if (!parse_percent(f[*col_probability], &p)) {
        Status st = field_error(sc, h, *col_probability,
                                "invalid probability '" + std::string(f[*col_probability]) +
                                    "': " + std::string(kProbabilityExpected));
        if (sink.add(IssueKind::bad_probability, st, f[*col_probability])) return st;
        continue;
      }
      probability = p;
    }
    auto deal = log.add_deal(key, pipeline_code, Instant::from_unix_seconds(created), amount);
    if (!deal) {
      Status st = field_error(sc, h, *col_id, "duplicate deal id '" + std::string(key) + "': expected each id once");
      if (sink.add(IssueKind::duplicate_deal, st, key)) return st;
      continue;
    }
    if (close_date) log.set_close_date(*deal, close_date);
    if (closed_at) log.set_closed_at(*deal, closed_at);
    if (probability) (void)log.set_probability(*deal, probability);  // checked: <= 100 %
    for (std::size_t k = 0; k < dims.size(); ++k) {
      const auto [col, dim] = dims[k];
      const std::string_view v = f[col];
      if (v.empty()) continue;
      // Cache the codes by views into the file text (quoted fields with doubled
      // quotes live in the scanner's scratch space and are interned directly).
      if (!points_into(text, v)) {
        log.set_dimension_code(*deal, dim, log.intern_dimension_value(dim, v));
        continue;
      }
      const std::uint64_t h = detail::hash_bytes(v);
      auto code = dim_cache[k].find(v, h);
      if (!code) {
        code = log.intern_dimension_value(dim, v);
        dim_cache[k].insert(v, h, *code);
      }
      log.set_dimension_code(*deal, dim, *code);
    }
  }
  report.deals_loaded = log.deal_count();
  report.deals_without_history = log.deal_count();
  log.seal();
  return out;
}

Result<LoadedLog> load_csv_files(const std::string& deals_path, const std::string& history_path,
                                 const std::vector<const Pipeline*>& pipelines, const CsvLoadOptions& options) {
  auto deals_text = read_text_file(deals_path);
  if (!deals_text) return deals_text.status();
  auto loaded = load_deals_csv(*deals_text, deals_path, pipelines, options);
  if (!loaded) return loaded.status();
  deals_text->clear();
  deals_text->shrink_to_fit();
  auto history_text = read_text_file(history_path);
  if (!history_text) return history_text.status();
  DEALFLOW_RETURN_IF_ERROR(load_history_csv(*history_text, history_path, pipelines, options, *loaded));
  return loaded;
}

}  // namespace dealflow::analytics
