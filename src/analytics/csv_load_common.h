// Internal: the pieces the deals, stage-history and field-change CSV loaders
// share (header lookup, located field errors, the issue sink of strict and
// lenient mode, timestamp and amount fast paths). Not part of the API.
#pragma once

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/csv_scan.h"
#include "dealflow/analytics/csv_load.h"
#include "dealflow/io/json.h"

namespace dealflow::analytics::csv_detail {

using detail::CsvScanner;

constexpr bool is_leap(int y) noexcept {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

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
  if (!two_digits(p, &c) || !two_digits(p + 2, &yy) || !two_digits(p + 5, &mo) || !two_digits(p + 8, &d))
    return false;
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

// Deal id -> DealId for rows of a history-like file, with a one-entry cache:
// rows of one deal usually follow each other. Only ids that point into the
// file's text are cached (see points_into).
class DealKeyCache {
 public:
  explicit DealKeyCache(std::string_view text) : text_(text) {}
  std::optional<std::uint32_t> find(const EventLog& log, std::string_view key) {
    if (valid_ && key == key_) return deal_;
    const auto found = log.find_deal(key);
    if (!found) return std::nullopt;
    if (points_into(text_, key)) {
      key_ = key;
      deal_ = found->value();
      valid_ = true;
    }
    return found->value();
  }

 private:
  std::string_view text_;
  std::string_view key_;
  std::uint32_t deal_ = 0;
  bool valid_ = false;
};

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

inline std::size_t count_lines(std::string_view text) {
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

// Whether the text is UTF-8 without NUL, checked by `threads` threads (each a
// piece split at a line break, so no character is cut).
bool text_is_valid(std::string_view text, unsigned threads);

// Checks the whole text (UTF-8, no NUL; by `threads` threads), then reads and
// checks the header row.
inline Status read_header(CsvScanner& sc, Header& header, std::string_view what, unsigned threads = 1) {
  if (threads <= 1 || !text_is_valid(sc.text(), threads)) DEALFLOW_RETURN_IF_ERROR(sc.check_text());
  std::vector<std::string_view> fields;
  const auto r = sc.next(fields);
  if (r == CsvScanner::Next::error) return sc.error();
  if (r == CsvScanner::Next::end) {
    return Status(ErrorCode::parse_error,
                  "empty file: expected a header row of a " + std::string(what) + " file",
                  Location{std::string(sc.file_name()), 1, 1, ""});
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string name(trim(fields[i]));
    if (name.empty())
      return Status(ErrorCode::parse_error, "empty column name in the header", sc.location(i));
    if (header.find(name)) {
      return Status(ErrorCode::parse_error, "duplicate column '" + name + "' in the header", sc.location(i));
    }
    header.names.push_back(std::move(name));
  }
  return {};
}

inline Status missing_column(const CsvScanner& sc, const Header& header, std::string_view name,
                             std::string_view what) {
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

inline std::string column_prefix(const Header& h, std::size_t col) {
  return col < h.names.size() ? "column '" + h.names[col] + "': " : std::string();
}

inline Status field_error(const CsvScanner& sc, const Header& h, std::size_t col,
                          const std::string& message) {
  return Status(ErrorCode::parse_error, column_prefix(h, col) + message, sc.location(col));
}

inline const Pipeline* find_pipeline(const std::vector<const Pipeline*>& pipelines, std::string_view id) {
  for (const Pipeline* p : pipelines) {
    if (p && p->id() == id) return p;
  }
  return nullptr;
}

inline std::string pipeline_list(const std::vector<const Pipeline*>& pipelines) {
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

inline StageTable make_stage_table(const Pipeline& p) {
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
inline FieldRead read_timestamp(const CsvScanner& sc, const Header& h, std::size_t col, std::string_view text,
                                int default_utc_offset_minutes, IssueSink& sink, std::int64_t* out,
                                Status* stop) {
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

constexpr std::string_view kProbabilityExpected =
    "expected a percent from 0 to 100 with at most two decimals, like 40 or 12.5";
constexpr std::string_view kDateExpected = "expected a calendar date YYYY-MM-DD, like 2024-03-31";

// "40", "12.5", "0.25", "100" -> hundredths of a percent (4000, 1250, 25,
// 10000). false for anything else (signs, exponents, "%", > 100, 3 decimals).
inline bool parse_percent(std::string_view s, std::uint32_t* hundredths) noexcept {
  std::size_t i = 0;
  std::uint32_t v = 0;
  std::size_t int_digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++int_digits) {
    if (int_digits >= 3) return false;
    v = v * 10 + static_cast<std::uint32_t>(s[i] - '0');
  }
  if (int_digits == 0) return false;
  int frac = 0;
  if (i < s.size()) {
    if (s[i] != '.') return false;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      if (++frac > 2) return false;
      v = v * 10 + static_cast<std::uint32_t>(s[i] - '0');
    }
    if (i != s.size() || frac == 0) return false;
  }
  for (; frac < 2; ++frac) v *= 10;
  if (v > kProbabilityScale) return false;
  *hundredths = v;
  return true;
}

// Exactly YYYY-MM-DD, a real calendar day.
inline std::optional<Date> parse_calendar_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto d = Date::parse(s);
  if (!d) return std::nullopt;
  return *d;
}

}  // namespace dealflow::analytics::csv_detail
