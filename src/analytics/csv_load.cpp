#include "dealflow/analytics/csv_load.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "analytics/csv_scan.h"
#include "dealflow/io/json.h"

namespace dealflow::analytics {
namespace {

using detail::CsvScanner;

constexpr bool is_leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

inline bool two_digits(const char* p, int* out) noexcept {
  const unsigned a = static_cast<unsigned>(p[0] - '0'), b = static_cast<unsigned>(p[1] - '0');
  if (a > 9 || b > 9) return false;
  *out = static_cast<int>(a * 10 + b);
  return true;
}

// The common forms, parsed without allocation; false means "ask parse_instant"
// (which either accepts a rarer form or produces the error message).
inline bool fast_instant(std::string_view s, int default_offset, std::int64_t* out) noexcept {
  const std::size_t n = s.size();
  if (n < 10 || s[4] != '-' || s[7] != '-') return false;
  const char* p = s.data();
  int c = 0, yy = 0, mo = 0, d = 0;
  if (!two_digits(p, &c) || !two_digits(p + 2, &yy) || !two_digits(p + 5, &mo) || !two_digits(p + 8, &d)) return false;
  const int y = c * 100 + yy;
  static constexpr unsigned char kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  if (d > kDays[mo - 1] + (mo == 2 && is_leap(y) ? 1 : 0)) return false;
  std::int64_t seconds = 0;
  int offset = default_offset;
  if (n > 10) {
    if ((p[10] != 'T' && p[10] != ' ') || n < 16 || p[13] != ':') return false;
    int hh = 0, mm = 0, ss = 0;
    if (!two_digits(p + 11, &hh) || !two_digits(p + 14, &mm)) return false;
    std::size_t pos = 16;
    if (pos < n && p[pos] == ':') {
      if (n < 19 || !two_digits(p + 17, &ss)) return false;
      pos = 19;
    }
    if (hh > 23 || mm > 59 || ss > 59) return false;
    seconds = hh * 3600 + mm * 60 + ss;
    if (pos < n) {
      const char sign = p[pos];
      if (sign == 'Z' && pos + 1 == n) {
        offset = 0;
      } else if (sign == '+' || sign == '-') {
        int oh = 0, om = 0;
        const std::size_t rest = n - pos - 1;
        if (rest < 2 || !two_digits(p + pos + 1, &oh)) return false;
        if (rest == 5 && p[pos + 3] == ':') {
          if (!two_digits(p + pos + 4, &om)) return false;
        } else if (rest == 4) {
          if (!two_digits(p + pos + 3, &om)) return false;
        } else if (rest != 2) {
          return false;
        }
        if (oh > 18 || om > 59) return false;
        offset = (oh * 60 + om) * (sign == '-' ? -1 : 1);
      } else {
        return false;
      }
    }
  }
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  *out = days * 86400 + seconds - static_cast<std::int64_t>(offset) * 60;
  return true;
}

// "-12345.67" with at most `digits` fraction digits; false: use Money::parse.
// The value in minor units has at most 18 decimal digits (integer digits +
// `digits`), so it stays below 10^18 < 2^63: no overflow for any currency
// (CLF and UYW have 4 minor digits). Longer numbers go to the exact parser.
inline bool fast_amount(std::string_view s, int digits, std::int64_t* out) noexcept {
  std::size_t i = 0;
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) ++i;
  if (i >= s.size() || digits < 0 || digits > 18) return false;
  const std::size_t max_int_digits = 18 - static_cast<std::size_t>(digits);
  std::int64_t v = 0;
  std::size_t int_digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++int_digits) {
    if (int_digits >= max_int_digits) return false;  // leave big numbers to the exact parser
    v = v * 10 + (s[i] - '0');
  }
  if (int_digits == 0) return false;
  int frac = 0;
  if (i < s.size()) {
    if (s[i] != '.') return false;
    ++i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (++frac > digits) return false;
      v = v * 10 + (s[i] - '0');
    }
    if (i != s.size() || frac == 0) return false;
  }
  for (; frac < digits; ++frac) v *= 10;
  *out = negative ? -v : v;
  return true;
}

// Whether `v` is a view into `text` (not into the scanner's scratch space,
// which the next record reuses): only such views may be cached across rows.
inline bool points_into(std::string_view text, std::string_view v) noexcept {
  return v.data() >= text.data() && v.data() + v.size() <= text.data() + text.size();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::size_t count_lines(std::string_view text) {
  std::size_t n = 0;
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
    if (!nl) break;
    ++n;
    p = static_cast<const char*>(nl) + 1;
  }
  return n + 1;
}

struct Header {
  std::vector<std::string> names;
  std::optional<std::size_t> find(std::string_view name) const {
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) return std::nullopt;
    return static_cast<std::size_t>(it - names.begin());
  }
  std::string list() const {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "" : ",") + n;
    return s;
  }
};

// Reads and checks the header row.
Status read_header(CsvScanner& sc, Header& header, std::string_view what) {
  std::vector<std::string_view> fields;
  const auto r = sc.next(fields);
  if (r == CsvScanner::Next::error) return sc.error();
  if (r == CsvScanner::Next::end) {
    return Status(ErrorCode::parse_error, "empty file: expected a header row of a " + std::string(what) + " file",
                  Location{std::string(sc.file_name()), 1, 1, ""});
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string name(trim(fields[i]));
    if (name.empty()) return Status(ErrorCode::parse_error, "empty column name in the header", sc.location(i));
    if (header.find(name)) {
      return Status(ErrorCode::parse_error, "duplicate column '" + name + "' in the header", sc.location(i));
    }
    header.names.push_back(std::move(name));
  }
  return {};
}

Status missing_column(const CsvScanner& sc, const Header& header, std::string_view name, std::string_view what) {
  return Status(ErrorCode::parse_error,
                "missing required column '" + std::string(name) + "': a " + std::string(what) +
                    " file needs it (header has: " + header.list() + ")",
                Location{std::string(sc.file_name()), 1, 1, ""});
}

// Collects issues: strict mode stops at the first, lenient counts and goes on.
class IssueSink {
 public:
  IssueSink(LoadReport& report, LoadMode mode) : report_(report), strict_(mode == LoadMode::strict) {}
  // Whether the caller needs a Status with a location (strict: for the first
  // problem only; fatal kinds; or an example slot free).
  bool wants_example(IssueKind kind) const {
    if (strict_) return report_.total() == 0;
    return is_fatal(kind) || report_.examples(kind).size() < LoadReport::kMaxExamples;
  }
  // Records the issue; returns true when the load must stop.
  bool add(IssueKind kind, Status status, std::string_view value = {}) {
    report_.add(kind, std::move(status), value);
    return strict_ || is_fatal(kind);
  }
  bool strict() const noexcept { return strict_; }

 private:
  LoadReport& report_;
  bool strict_;
};

std::string column_prefix(const Header& h, std::size_t col) {
  return col < h.names.size() ? "column '" + h.names[col] + "': " : std::string();
}

Status field_error(const CsvScanner& sc, const Header& h, std::size_t col, const std::string& message) {
  return Status(ErrorCode::parse_error, column_prefix(h, col) + message, sc.location(col));
}

const Pipeline* find_pipeline(const std::vector<const Pipeline*>& pipelines, std::string_view id) {
  for (const Pipeline* p : pipelines) {
    if (p && p->id() == id) return p;
  }
  return nullptr;
}

std::string pipeline_list(const std::vector<const Pipeline*>& pipelines) {
  std::string s;
  for (const Pipeline* p : pipelines) {
    if (p) s += (s.empty() ? "" : ", ") + p->id();
  }
  return s;
}

// Stage lookup for one pipeline: a short list compared by length then bytes.
struct StageTable {
  std::vector<std::pair<std::string_view, StageId>> ids;
  std::optional<StageId> find(std::string_view id) const noexcept {
    for (const auto& [s, stage] : ids) {
      if (s.size() == id.size() && std::memcmp(s.data(), id.data(), id.size()) == 0) return stage;
    }
    return std::nullopt;
  }
  std::string list() const {
    std::string out;
    for (const auto& [s, stage] : ids) out += (out.empty() ? "" : ", ") + std::string(s);
    return out;
  }
};

StageTable make_stage_table(const Pipeline& p) {
  StageTable t;
  for (std::size_t i = 0; i < p.stage_count(); ++i) {
    t.ids.emplace_back(p.stages()[i].id, StageId{static_cast<std::uint16_t>(i)});
  }
  return t;
}

constexpr std::string_view kTimestampExpected =
    "expected ISO 8601 like 2024-03-01, 2024-03-01T10:00:00Z or 2024-03-01T10:00:00+03:00";

// What reading one field of a row came to: a value, a row to skip (lenient) or a stop (strict).
enum class FieldRead { ok, skip_row, stop };

// Reads the timestamp in column `col` into *out (Unix seconds). A bad value is recorded in the
// sink; on FieldRead::stop, *stop holds the error to return.
FieldRead read_timestamp(const CsvScanner& sc, const Header& h, std::size_t col, std::string_view text,
                         int default_utc_offset_minutes, IssueSink& sink, std::int64_t* out, Status* stop) {
  if (fast_instant(text, default_utc_offset_minutes, out)) return FieldRead::ok;
  auto parsed = parse_instant(text, default_utc_offset_minutes);
  if (parsed) {
    *out = parsed->unix_seconds();
    return FieldRead::ok;
  }
  Status st = sink.wants_example(IssueKind::bad_timestamp)
                  ? field_error(sc, h, col,
                                text.empty() ? "empty timestamp: " + std::string(kTimestampExpected)
                                             : parsed.status().message())
                  : Status(ErrorCode::parse_error, "bad timestamp");
  if (!sink.add(IssueKind::bad_timestamp, st)) return FieldRead::skip_row;
  *stop = std::move(st);
  return FieldRead::stop;
}

}  // namespace

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
  std::vector<std::pair<std::size_t, DimensionId>> dims;
  for (std::size_t i = 0; i < h.names.size(); ++i) {
    const std::string& n = h.names[i];
    if (n == "id" || n == "created_at" || n == "pipeline" || n == "amount" || n == "currency") continue;
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
    auto deal = log.add_deal(key, pipeline_code, Instant::from_unix_seconds(created), amount);
    if (!deal) {
      Status st = field_error(sc, h, *col_id, "duplicate deal id '" + std::string(key) + "': expected each id once");
      if (sink.add(IssueKind::duplicate_deal, st, key)) return st;
      continue;
    }
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

// ---------------------------------------------------------------------------
// history

namespace {

struct StagedEvents {
  std::vector<std::uint32_t> deal;
  std::vector<std::uint32_t> at;
  std::vector<StageId> stage;
  std::vector<std::uint16_t> actor;  // local actor codes
  std::vector<std::uint32_t> line;
  void reserve(std::size_t n) {
    deal.reserve(n);
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
  for (auto [col, name] : {std::pair{col_deal, "deal_id"}, std::pair{col_at, "at"}, std::pair{col_stage, "stage"}}) {
    if (!col) {
      return missing_column(sc, h, name, "stage history");
    }
  }
  const auto col_pipeline = h.find("pipeline");
  const auto col_actor = h.find("actor");

  // Per log pipeline code: its Pipeline and stage table.
  const std::size_t n_pipelines = log.pipelines().size();
  std::vector<const Pipeline*> by_code(n_pipelines, nullptr);
  std::vector<StageTable> tables(n_pipelines);
  for (std::size_t c = 0; c < n_pipelines; ++c) {
    by_code[c] = find_pipeline(pipelines, log.pipelines().at(static_cast<Dictionary::Code>(c)));
    if (by_code[c]) tables[c] = make_stage_table(*by_code[c]);
  }

  const std::int64_t base = log.time_base().unix_seconds();
  Dictionary local_actors;
  StagedEvents ev;
  ev.reserve(count_lines(text));

  std::string_view last_key;
  std::uint32_t last_deal = 0;
  bool have_last_deal = false;
  std::string_view last_actor;
  std::uint16_t last_actor_code = kNoActor;

  // Strict mode: the first bad row. The scan goes on (staging only good rows)
  // so that the cross-row checks below can find a problem on an earlier line;
  // the one on the smallest line is reported.
  std::optional<Status> first_row_error;

  std::vector<std::string_view> f;
  const std::size_t n_cols = h.names.size();
  // Records a bad row (lenient: counted and skipped; strict: the first is kept).
  auto bad_row = [&](IssueKind kind, const Status& st, std::string_view value = {}) {
    if (sink.add(kind, st, value) && !first_row_error) first_row_error = st;
  };
  while (true) {
    const auto r = sc.next(f);
    if (r == CsvScanner::Next::end) break;
    if (r == CsvScanner::Next::error) return first_row_error ? *first_row_error : sc.error();
    ++report.history_rows;
    if (f.size() != n_cols) {
      Status st(ErrorCode::parse_error,
                "expected " + std::to_string(n_cols) + " fields as in the header, got " + std::to_string(f.size()),
                Location{std::string(file_name), sc.line(), 1, ""});
      bad_row(IssueKind::wrong_field_count, st);
      continue;
    }
    const std::string_view key = f[*col_deal];
    const std::string_view stage_text = f[*col_stage];
    if (key.empty() || stage_text.empty()) {
      const std::size_t col = key.empty() ? *col_deal : *col_stage;
      Status st = field_error(sc, h, col, key.empty() ? "empty deal_id: expected the id of a deal in the deals file"
                                                      : "empty stage: expected a stage id of the deal's pipeline");
      bad_row(IssueKind::empty_id, st);
      continue;
    }
    // deal
    std::uint32_t deal = 0;
    if (have_last_deal && key == last_key) {
      deal = last_deal;
    } else if (auto found = log.find_deal(key)) {
      deal = found->value();
      if (points_into(text, key)) {
        last_key = key;
        last_deal = deal;
        have_last_deal = true;
      }
    } else {
      Status st = sink.wants_example(IssueKind::unknown_deal)
                      ? field_error(sc, h, *col_deal,
                                    "unknown deal '" + std::string(key) + "': expected an id from the deals file")
                      : Status(ErrorCode::not_found, "unknown deal");
      bad_row(IssueKind::unknown_deal, st, key);
      continue;
    }
    const std::uint16_t pcode = log.pipeline_column()[deal];
    // pipeline column
    if (col_pipeline && !f[*col_pipeline].empty() && f[*col_pipeline] != log.pipelines().at(pcode)) {
      const std::string_view ptext = f[*col_pipeline];
      const bool known = find_pipeline(pipelines, ptext) != nullptr;
      Status st = field_error(sc, h, *col_pipeline,
                              known ? "pipeline '" + std::string(ptext) + "' differs from deal '" + std::string(key) +
                                          "''s pipeline: expected '" + std::string(log.pipelines().at(pcode)) + "'"
                                    : "unknown pipeline '" + std::string(ptext) + "': expected one of " +
                                          pipeline_list(pipelines));
      bad_row(known ? IssueKind::pipeline_mismatch : IssueKind::unknown_pipeline, st, ptext);
      continue;
    }
    if (!by_code[pcode]) {
      Status st = field_error(sc, h, *col_deal,
                              "deal '" + std::string(key) + "' belongs to pipeline '" +
                                  std::string(log.pipelines().at(pcode)) + "', which was not loaded: expected one of " +
                                  pipeline_list(pipelines));
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
      if (r != FieldRead::ok) continue;
    }
    if (at < base || at - base > std::numeric_limits<std::uint32_t>::max()) {
      Status st = field_error(sc, h, *col_at,
                              "timestamp '" + std::string(at_text) + "' is outside the supported range: expected " +
                                  format_iso(log.time_base()) + " .. " +
                                  format_iso(log.time_base() + Duration(0xFFFFFFFFll)));
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

  // Cross-row checks, in deal order; strict mode reports the one earliest in the file.
  struct CrossIssue {
    IssueKind kind;
    std::uint32_t event;
  };
  std::vector<CrossIssue> cross;
  std::vector<std::uint8_t> keep(n, 1);
  for (std::size_t d = 0; d < n_deals; ++d) {
    const std::uint32_t b = start[d], e = start[d + 1];
    if (b == e) continue;
    const Pipeline& p = *by_code[log.pipeline_column()[d]];
    const std::int64_t created = log.created_column()[d] - base;
    std::uint32_t prev = std::numeric_limits<std::uint32_t>::max();  // last kept event
    for (std::uint32_t k = b; k < e; ++k) {
      const std::uint32_t i = order[k];
      if (static_cast<std::int64_t>(ev.at[i]) < created) {
        cross.push_back({IssueKind::event_before_creation, i});
        keep[i] = 0;
        continue;
      }
      bool duplicate = false;
      for (std::uint32_t j = k; j > b; --j) {
        const std::uint32_t o = order[j - 1];
        if (ev.at[o] != ev.at[i]) break;
        if (keep[o] && ev.stage[o] == ev.stage[i]) {
          duplicate = true;
          break;
        }
      }
      if (duplicate) {
        cross.push_back({IssueKind::duplicate_event, i});
        keep[i] = 0;
        continue;
      }
      if (prev != std::numeric_limits<std::uint32_t>::max() && ev.stage[prev] != ev.stage[i] &&
          p.is_terminal(ev.stage[prev]) && !p.is_reopen(ev.stage[prev], ev.stage[i])) {
        cross.push_back({IssueKind::terminal_exit, i});
        keep[i] = 0;
        continue;
      }
      prev = i;
    }
  }
  if (!cross.empty()) {
    auto describe = [&](const CrossIssue& c) -> Status {
      const std::uint32_t i = c.event;
      CsvScanner at_line(text, file_name);
      at_line.seek_line(static_cast<int>(ev.line[i]));
      std::vector<std::string_view> row;
      (void)at_line.next(row);
      const std::string key(log.deal_key(DealId{ev.deal[i]}));
      const Pipeline& p = *by_code[log.pipeline_column()[ev.deal[i]]];
      const std::string stage_id = p.stage(ev.stage[i]).id;
      const std::string when = format_iso(log.time_base() + Duration(ev.at[i]));
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
                            " twice: expected each stage change once",
                        Location{std::string(file_name), static_cast<int>(ev.line[i]), 1, ""});
        default: {
          // Find the stage the deal was in (the previous kept event).
          std::string from = "?";
          const std::uint32_t d = ev.deal[i];
          for (std::uint32_t k = start[d]; k < start[d + 1] && order[k] != i; ++k) {
            if (keep[order[k]]) from = p.stage(ev.stage[order[k]]).id;
          }
          return Status(ErrorCode::validation_failed,
                        column_prefix(h, *col_stage) + "deal '" + key + "' moves out of terminal stage '" + from +
                            "' to '" + stage_id + "' at " + when + ": expected a reopen declared in pipeline '" +
                            p.id() + "'",
                        at_line.location(*col_stage));
        }
      }
    };
    if (sink.strict()) {
      const auto first = std::min_element(cross.begin(), cross.end(), [&](const CrossIssue& a, const CrossIssue& b) {
        return ev.line[a.event] < ev.line[b.event];
      });
      if (first_row_error && first_row_error->location().line < static_cast<int>(ev.line[first->event])) {
        return *first_row_error;
      }
      return describe(*first);
    }
    for (const auto& c : cross) {
      const std::uint32_t d = ev.deal[c.event];
      const std::string_view key = log.deal_key(DealId{d});
      Status st = sink.wants_example(c.kind) ? describe(c) : Status(ErrorCode::validation_failed, "cross-row issue");
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
  std::vector<std::uint16_t> actor_map(local_actors.size(), kNoActor);
  for (std::size_t a = 0; a < local_actors.size(); ++a) {
    actor_map[a] = *log.intern_actor(local_actors.at(static_cast<Dictionary::Code>(a)));  // room checked above
  }
  log.reserve(0, n);
  std::size_t kept = 0;
  for (std::uint32_t k = 0; k < n; ++k) {
    const std::uint32_t i = order[k];
    if (!keep[i]) continue;
    const std::uint16_t actor = ev.actor[i] == kNoActor ? kNoActor : actor_map[ev.actor[i]];
    (void)log.append_event(DealId{ev.deal[i]}, log.time_base() + Duration(ev.at[i]), ev.stage[i], actor);
    ++kept;
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
