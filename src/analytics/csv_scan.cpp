#include "analytics/csv_scan.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "dealflow/io/csv.h"
#include "dealflow/io/encoding.h"
#include "io/utf8_detail.h"

namespace dealflow::analytics::detail {

namespace {

// The position of the first ',', '\n' or '\r' at or after `pos` (n when none):
// the end of an unquoted field. 16 bytes a step with SSE2.
inline std::size_t find_field_end(const char* data, std::size_t pos, std::size_t n) noexcept {
#if defined(__SSE2__)
  const __m128i comma = _mm_set1_epi8(',');
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  while (pos + 16 <= n) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
    const __m128i hit =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, cr));
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return pos + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    pos += 16;
  }
#endif
  while (pos < n) {
    const char c = data[pos];
    if (c == ',' || c == '\n' || c == '\r') break;
    ++pos;
  }
  return pos;
}

}  // namespace

int utf8_column(std::string_view line_prefix) noexcept {
  int n = 0;
  for (char c : line_prefix) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n + 1;
}

CsvScanner::CsvScanner(std::string_view text, std::string_view file_name) : text_(text), file_(file_name) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

Location CsvScanner::location_at(std::size_t offset) const {
  // Line: the record's line plus the newlines between the record start and offset.
  int line = record_line_;
  std::size_t line_start = record_offset_;
  for (std::size_t i = record_offset_; i < offset && i < text_.size(); ++i) {
    if (text_[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  if (line_start == 0 && text_.substr(0, 3) == "\xEF\xBB\xBF") line_start = 3;
  return Location{std::string(file_), line, utf8_column(text_.substr(line_start, offset - line_start)), ""};
}

Location CsvScanner::location(std::size_t field) const {
  if (field >= field_offset_.size()) return Location{std::string(file_), record_line_, 1, ""};
  return location_at(field_offset_[field]);
}

void CsvScanner::seek_line(int line) {
  std::size_t pos = text_.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  int l = 1;
  while (l < line) {
    const void* nl = std::memchr(text_.data() + pos, '\n', text_.size() - pos);
    if (!nl) {
      pos = text_.size();
      break;
    }
    pos = static_cast<std::size_t>(static_cast<const char*>(nl) - text_.data()) + 1;
    ++l;
  }
  pos_ = pos;
  line_ = l;
}

Status CsvScanner::check_text() const {
  return io::validate_utf8(text_, file_);
}

CsvScanner::Next CsvScanner::next(std::vector<std::string_view>& fields, std::size_t limit) {
  while (true) {
    if (pos_ >= text_.size() || pos_ >= limit) return Next::end;
    if (!scan_record(fields)) return Next::error;
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    return Next::record;
  }
}

bool CsvScanner::scan_record(std::vector<std::string_view>& fields) {
  fields.clear();
  field_offset_.clear();
  scratch_used_ = 0;
  record_line_ = line_;
  record_offset_ = pos_;
  const char* const data = text_.data();
  const std::size_t n = text_.size();
  std::size_t pos = pos_;
  while (true) {
    field_offset_.push_back(pos);
    if (pos < n && data[pos] == '"') {
      // Quoted: a view when there is no doubled quote, else a scratch copy.
      const std::size_t start = pos + 1;
      std::size_t i = start;
      bool doubled = false;
      std::size_t pairs = 0;  // doubled quotes so far: the value is (i - start - pairs) bytes
      while (true) {
        if (i - start > kMaxCsvFieldBytes + pairs) {
          error_ = csv_field_too_long(location_at(field_offset_.back()));
          return false;
        }
        if (i >= n) {
          pos_ = pos;
          error_ = Status(ErrorCode::parse_error, "unterminated quoted field: expected a closing '\"'",
                          location_at(field_offset_.back()));
          return false;
        }
        const char c = data[i];
        if (c == '"') {
          if (i + 1 < n && data[i + 1] == '"') {
            doubled = true;
            ++pairs;
            i += 2;
            continue;
          }
          break;
        }
        if (c == '\n') ++line_;
        ++i;
      }
      std::string_view raw(data + start, i - start);
      pos = i + 1;
      if (pos < n && data[pos] != ',' && data[pos] != '\n' && data[pos] != '\r') {
        error_ =
            Status(ErrorCode::parse_error,
                   "unexpected text after a closing quote: expected ',' or a line end", location_at(pos));
        return false;
      }
      if (doubled) {
        if (scratch_used_ == scratch_.size()) scratch_.emplace_back();
        std::string& s = scratch_[scratch_used_++];
        s.clear();
        for (std::size_t k = 0; k < raw.size(); ++k) {
          s += raw[k];
          if (raw[k] == '"') ++k;  // skip the second quote of a pair
        }
        fields.emplace_back(s);
      } else {
        fields.push_back(raw);
      }
    } else {
      const std::size_t start = pos;
      // Looks no further than one byte past the longest field allowed.
      pos = find_field_end(data, pos, std::min(n, start + kMaxCsvFieldBytes + 1));
      if (pos - start > kMaxCsvFieldBytes) {
        error_ = csv_field_too_long(location_at(start));
        return false;
      }
      fields.emplace_back(data + start, pos - start);
    }
    if (pos < n && data[pos] == ',') {
      ++pos;
      continue;
    }
    if (pos < n && data[pos] == '\r') {
      if (pos + 1 >= n || data[pos + 1] != '\n') {
        error_ = io::detail::bare_cr_error(text_, pos, file_);
        return false;
      }
      ++pos;
    }
    if (pos < n && data[pos] == '\n') ++pos;
    ++line_;
    pos_ = pos;
    return true;
  }
}

}  // namespace dealflow::analytics::detail
