// Shared importer helpers: input files, delimited records, tables
// (src/import/import_common.h).
#include "import/import_common.h"

#include <algorithm>
#include <utility>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/io/csv.h"
#include "dealflow/io/json.h"
#include "io/utf8_detail.h"

namespace dealflow::import {

Status check_field_map(const ImportOptions& options) {
  static constexpr std::string_view kReserved[] = {"id",         "created_at", "pipeline",
                                                   "amount",     "currency",   "manager",
                                                   "close_date", "closed_at",  "probability"};
  for (const auto& [from, to] : options.fields) {
    const std::string pair = "custom field '" + from + "=" + to + "'";
    if (from.empty()) return Status(ErrorCode::invalid_argument, pair + ": empty field name");
    bool name = !to.empty() && to[0] >= 'a' && to[0] <= 'z';
    for (char c : to) name = name && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
    if (!name)
      return Status(ErrorCode::invalid_argument,
                    pair + ": the column must be a lower-case name such as lost_reason or channel");
    for (std::string_view r : kReserved)
      if (to == r)
        return Status(ErrorCode::invalid_argument,
                      pair + ": '" + to +
                          "' is read by the importer itself (custom fields fill dimensions, lost_reason or "
                          "forecast_category)");
  }
  return {};
}

}  // namespace dealflow::import

namespace dealflow::import::detail {
namespace {

// Characters (not bytes) between `from` and `to` in UTF-8 text.
int utf8_chars(std::string_view text, std::size_t from, std::size_t to) {
  int n = 0;
  for (std::size_t i = from; i < to && i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++n;
  return n;
}

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace

std::string base_name(std::string_view path) {
  const auto slash = path.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

Result<InputFile> read_input(const std::string& path, const ImportOptions& options, io::Encoding fallback,
                             ImportReport& report) {
  auto decoded = io::read_text_file_utf8(path, options.encoding, fallback);
  if (!decoded) return decoded.status();
  InputFile f;
  f.path = path;
  f.name = base_name(path);
  f.text = std::move(decoded->text);
  f.used = decoded->used;
  report.encodings[f.name] = std::string(io::to_string(f.used));
  return f;
}

char first_char(std::string_view text) noexcept {
  for (char c : text)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
  return '\0';
}

Result<std::vector<Record>> read_records(std::string_view text, char sep, std::string_view file) {
  std::vector<Record> out;
  std::size_t i = 0, line_start = 0;
  int line = 1;
  const std::size_t n = text.size();
  auto located = [&](std::size_t at, int at_line, std::size_t at_line_start, std::string message) {
    return Status(ErrorCode::parse_error, std::move(message),
                  Location{std::string(file), at_line, utf8_chars(text, at_line_start, at) + 1, {}});
  };
  // The column (in characters) of each field start, counted on from the
  // previous field of the same line rather than from the line start (which made
  // reading a wide row quadratic in its width).
  std::size_t col_from = 0;
  int col_chars = 0;  // characters in [line_start, col_from)
  auto column_at = [&](std::size_t at) {
    if (col_from < line_start || col_from > at) {
      col_from = line_start;
      col_chars = 0;
    }
    col_chars += utf8_chars(text, col_from, at);
    col_from = at;
    return col_chars + 1;
  };
  while (i < n) {
    if (text[i] == '\n' || (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')) {  // blank line
      i += text[i] == '\r' ? 2 : 1;
      ++line;
      line_start = i;
      continue;
    }
    Record rec;
    rec.line = line;
    while (true) {
      rec.columns.push_back(column_at(i));
      std::string field;
      if (i < n && text[i] == '"') {
        const std::size_t open = i;
        const int open_line = line;
        const std::size_t open_line_start = line_start;
        ++i;
        while (true) {
          if (field.size() > kMaxCsvFieldBytes)
            return csv_field_too_long(located(open, open_line, open_line_start, "").location());
          if (i >= n) return located(open, open_line, open_line_start, "unterminated quoted field");
          if (text[i] == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
          }
          field += text[i++];
        }
        if (i < n && text[i] == '\r' && (i + 1 >= n || text[i + 1] != '\n'))
          return io::detail::bare_cr_error(text, i, file);
        if (i < n && text[i] != sep && text[i] != '\n' &&
            !(text[i] == '\r' && i + 1 < n && text[i + 1] == '\n'))
          return located(i, line, line_start,
                         "text after a closing quote (expected a separator or a line end)");
      } else {
        const std::size_t start = i;
        while (i < n && text[i] != sep && text[i] != '\n' &&
               !(text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')) {
          if (field.size() >= kMaxCsvFieldBytes)
            return csv_field_too_long(located(start, line, line_start, "").location());
          // CR-only line ends (classic Mac OS) are refused as by every CSV reader of dealflow.
          if (text[i] == '\r') return io::detail::bare_cr_error(text, i, file);
          field += text[i++];
        }
      }
      rec.fields.push_back(std::move(field));
      if (i < n && text[i] == sep) {
        ++i;
        continue;
      }
      break;
    }
    if (i < n) {
      i += text[i] == '\r' ? 2 : 1;
      ++line;
      line_start = i;
    }
    out.push_back(std::move(rec));
  }
  return out;
}

char guess_separator(std::string_view text) noexcept {
  const auto eol = text.find('\n');
  const std::string_view first = text.substr(0, eol);
  const auto semis = std::count(first.begin(), first.end(), ';');
  const auto commas = std::count(first.begin(), first.end(), ',');
  return semis > commas ? ';' : ',';
}

std::optional<std::size_t> Table::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.fields.size(); ++i)
    if (header.fields[i] == name) return i;
  // Exports change the case of headers ("STAGENAME"): ASCII case-insensitive as a fallback.
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    const std::string& h = header.fields[i];
    if (h.size() == name.size() &&
        std::equal(h.begin(), h.end(), name.begin(), [&](char a, char b) { return lower(a) == lower(b); }))
      return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> Table::column_any(std::initializer_list<std::string_view> names) const {
  for (auto name : names)
    if (auto c = column(name)) return c;
  return std::nullopt;
}

Status Table::missing(std::string_view name) const {
  std::string cols;
  for (const auto& h : header.fields) cols += (cols.empty() ? "" : ", ") + h;
  return Status(ErrorCode::parse_error, "missing column '" + std::string(name) + "' (columns: " + cols + ")",
                Location{file, 1, 0, {}});
}

Location Table::where(const Record& r, std::size_t i) const {
  return Location{file, r.line, i < r.columns.size() ? r.columns[i] : 0, {}};
}

std::string Table::where_line(const Record& r) const {
  return file + ":" + std::to_string(r.line);
}

Status Table::error(const Record& r, std::size_t i, std::string message) const {
  const std::string name = i < header.fields.size() ? header.fields[i] : std::to_string(i + 1);
  return Status(ErrorCode::parse_error, "column '" + name + "': " + message, where(r, i));
}

Result<Table> read_table(std::string_view text, char sep, std::string_view file) {
  auto records = read_records(text, sep, file);
  if (!records) return records.status();
  if (records->empty())
    return Status(ErrorCode::parse_error, "empty file (expected a header row)",
                  Location{std::string(file), 1, 1, {}});
  Table t;
  t.file = std::string(file);
  t.header = std::move(records->front());
  for (auto& h : t.header.fields) h = trim(h);
  for (std::size_t r = 1; r < records->size(); ++r) {
    Record& rec = (*records)[r];
    if (rec.fields.size() != t.header.fields.size())
      return Status(ErrorCode::parse_error,
                    "record has " + std::to_string(rec.fields.size()) + " fields, expected " +
                        std::to_string(t.header.fields.size()) + " (as many as the header)",
                    Location{t.file, rec.line, 1, {}});
    t.rows.push_back(std::move(rec));
  }
  return t;
}

// ---- values --------------------------------------------------------------

std::string iso(Instant t) {
  return format_iso(t);
}

Result<Instant> parse_timestamp(std::string_view text, int default_offset_minutes) {
  auto t = analytics::parse_csv_instant(text, default_offset_minutes);
  if (!t)
    return Status(ErrorCode::parse_error, "invalid timestamp '" + std::string(text) +
                                              "' (expected ISO 8601, e.g. 2024-03-01T10:15:00+03:00)");
  return *t;
}

Result<Instant> parse_formatted(std::string_view text, std::string_view format, int offset_minutes) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::size_t pos = 0;
  auto fail = [&]() {
    return Status(ErrorCode::invalid_argument, "invalid date '" + std::string(text) +
                                                   "' (expected the format " + std::string(format) + ")");
  };
  // Matches format[f..end) against text from pos; optional groups may be skipped when the text ends.
  bool ok = true;
  int optional_depth = 0;
  for (std::size_t f = 0; f < format.size() && ok; ++f) {
    const char c = format[f];
    if (c == '[') {
      if (pos == text.size()) break;  // the optional tail is absent
      ++optional_depth;
      continue;
    }
    if (c == ']') {
      --optional_depth;
      continue;
    }
    if (c == '%' && f + 1 < format.size() && format[f + 1] != '%') {
      const char spec = format[++f];
      const std::size_t width = spec == 'Y' ? 4 : 2;
      int value = 0;
      std::size_t digits = 0;
      while (digits < width && pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        value = value * 10 + (text[pos++] - '0');
        ++digits;
      }
      if (digits == 0 || (spec == 'Y' && digits != 4)) {
        ok = false;
        break;
      }
      switch (spec) {
        case 'Y':
          year = value;
          break;
        case 'm':
          month = value;
          break;
        case 'd':
          day = value;
          break;
        case 'H':
          hour = value;
          break;
        case 'M':
          minute = value;
          break;
        case 'S':
          second = value;
          break;
        default:
          ok = false;
      }
      continue;
    }
    if (c == '%') ++f;  // "%%" is a literal '%'
    if (pos >= text.size() || text[pos] != c)
      ok = false;
    else
      ++pos;
  }
  if (!ok || pos != text.size() || hour > 23 || minute > 59 || second > 59) return fail();
  auto date = Date::from_ymd(year, month, day);
  if (!date) return fail();
  return Instant::at_midnight(*date, offset_minutes) + Duration(hour * 3600 + minute * 60 + second);
}

Result<std::string> normalize_amount(std::string_view raw, Currency currency, ImportReport& report,
                                     const std::string& where) {
  const std::string text = trim(raw);
  auto bad = [&]() {
    return Status(ErrorCode::parse_error,
                  "invalid amount '" + std::string(raw) + "' (expected a decimal amount such as 1500.00)");
  };
  // Strict form first: [sign] digits [. digits] [e|E [sign] digits].
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  std::string digits;  // integer and fraction digits together
  long point = -1;     // number of integer digits
  bool strict = true;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '.' && point < 0) {
      point = static_cast<long>(digits.size());
    } else {
      break;
    }
  }
  if (point < 0) point = static_cast<long>(digits.size());
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E') && !digits.empty()) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) exp_negative = text[i++] == '-';
    long exponent = 0;
    std::size_t exp_digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && exponent < 100) {
      exponent = exponent * 10 + (text[i++] - '0');
      ++exp_digits;
    }
    if (exp_digits == 0) strict = false;
    point += exp_negative ? -exponent : exponent;
  }
  if (digits.empty() || i != text.size()) strict = false;
  if (!strict) {
    auto money = Money::parse(text, currency);
    if (!money) return bad();
    return money->format_amount();
  }
  // Align to the currency's minor digits: integer part, kept fraction, dropped rest.
  const long minor = currency.minor_digits();
  while (point < 0) {
    digits.insert(digits.begin(), '0');
    ++point;
  }
  while (static_cast<long>(digits.size()) < point + minor) digits += '0';
  const std::string kept = digits.substr(0, static_cast<std::size_t>(point + minor));
  const std::string rest = digits.substr(static_cast<std::size_t>(point + minor));
  std::int64_t units = 0;
  for (char c : kept) {
    if (units > (INT64_MAX - 9) / 10)
      return Status(ErrorCode::overflow, "amount '" + std::string(raw) + "' is too large");
    units = units * 10 + (c - '0');
  }
  if (!rest.empty() && rest.find_first_not_of('0') != std::string::npos) {
    const bool up = rest[0] >= '5';
    if (up) ++units;
    const bool noise = rest.rfind("000", 0) == 0 || rest.rfind("999", 0) == 0;
    Money rounded(negative ? -units : units, currency);
    report.add(noise ? "float_noise_rounded" : "amount_rounded", "repaired",
               {where, "amount '" + std::string(raw) + "' rounded to " + rounded.format_amount() + " " +
                           std::string(currency.code())});
  }
  return Money(negative ? -units : units, currency).format_amount();
}

Result<std::int64_t> amount_minor_units(std::string_view normalized, Currency currency) {
  auto money = Money::parse(normalized, currency);
  if (!money) return money.status();
  return money->minor_units();
}

Result<std::string> normalize_percent(std::string_view raw) {
  std::string text = trim(raw);
  if (!text.empty() && text.back() == '%') text = trim(text.substr(0, text.size() - 1));
  const bool valid = !text.empty() && text.find_first_not_of("0123456789.-") == std::string::npos &&
                     std::count(text.begin(), text.end(), '.') <= 1 &&
                     text.find('-', 1) == std::string::npos && text != "-" && text != "." && text != "-.";
  if (!valid)
    return Status(ErrorCode::parse_error,
                  "invalid percent '" + std::string(raw) + "' (expected a number such as 40 or 12.5)");
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  const bool negative = text[0] == '-';
  std::size_t lead = negative ? 1 : 0;
  while (lead + 1 < text.size() && text[lead] == '0' && text[lead + 1] != '.') text.erase(lead, 1);
  if (text[lead] == '.') text.insert(lead, "0");
  if (text == "-0") text = "0";
  return text;
}

std::optional<std::string> json_text(const Json& object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(std::string(key));
  if (it == object.end()) return std::nullopt;
  const Json& v = *it;
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<std::uint64_t>());
  if (v.is_number_float()) return v.dump();
  return std::nullopt;
}

}  // namespace dealflow::import::detail
