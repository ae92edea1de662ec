// Internal: the sample writers' text buffer. Appends numbers, dates and quoted
// text without temporary strings and hands the text to a sink in chunks of
// about 1 MiB, always at a row boundary (so a chunk never splits a UTF-8
// character and can be re-encoded on its own).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "dealflow/analytics/sample.h"
#include "dealflow/core/time.h"

namespace dealflow::analytics::detail {

class ChunkWriter {
 public:
  static constexpr std::size_t kChunkBytes = 1 << 20;

  explicit ChunkWriter(SampleSink sink) : sink_(std::move(sink)) { buf_.reserve(kChunkBytes + 4096); }

  void put(std::string_view text) { buf_.append(text); }
  void put(char c) { buf_.push_back(c); }
  void put_uint(std::uint64_t v) {
    char tmp[24];
    char* end = tmp + sizeof tmp;
    char* p = end;
    do {
      *--p = static_cast<char>('0' + v % 10);
      v /= 10;
    } while (v != 0);
    buf_.append(p, static_cast<std::size_t>(end - p));
  }
  void put_int(std::int64_t v) {
    if (v < 0) buf_.push_back('-');
    put_uint(v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v));
  }
  // Zero-padded to `width` digits.
  void put_padded(int value, int width) {
    char out[8];
    for (int i = width - 1; i >= 0; --i) {
      out[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    buf_.append(out, static_cast<std::size_t>(width));
  }
  // "2024-03-01"
  void put_date(std::int64_t days) {
    const Date d(static_cast<std::int32_t>(days));
    put_padded(d.year(), 4);
    buf_.push_back('-');
    put_padded(static_cast<int>(d.month()), 2);
    buf_.push_back('-');
    put_padded(static_cast<int>(d.day()), 2);
  }
  // "2024-03-01<sep>10:15:00" at `offset_seconds` east of UTC.
  void put_datetime(std::int64_t unix_seconds, char sep, std::int64_t offset_seconds = 0) {
    const std::int64_t local = unix_seconds + offset_seconds;
    const std::int64_t days = floor_div(local, 86400);
    const std::int64_t sod = local - days * 86400;
    put_date(days);
    buf_.push_back(sep);
    put_hms(sod);
  }
  // "2024-03-01T10:15:00Z"
  void put_iso(std::int64_t unix_seconds) {
    put_datetime(unix_seconds, 'T');
    buf_.push_back('Z');
  }
  // "2024-03-01T13:15:00+03:00" (the same instant at a whole-hour offset).
  void put_iso_offset(std::int64_t unix_seconds, int offset_hours) {
    put_datetime(unix_seconds, 'T', std::int64_t{offset_hours} * 3600);
    buf_.push_back(offset_hours < 0 ? '-' : '+');
    put_padded(offset_hours < 0 ? -offset_hours : offset_hours, 2);
    buf_.append(":00");
  }
  // "01.03.2024 13:15" (day first, minutes) at `offset_seconds` east of UTC.
  void put_ru_datetime(std::int64_t unix_seconds, std::int64_t offset_seconds) {
    const std::int64_t local = unix_seconds + offset_seconds;
    const std::int64_t days = floor_div(local, 86400);
    const std::int64_t sod = local - days * 86400;
    const Date d(static_cast<std::int32_t>(days));
    put_padded(static_cast<int>(d.day()), 2);
    buf_.push_back('.');
    put_padded(static_cast<int>(d.month()), 2);
    buf_.push_back('.');
    put_padded(d.year(), 4);
    buf_.push_back(' ');
    put_padded(static_cast<int>(sod / 3600), 2);
    buf_.push_back(':');
    put_padded(static_cast<int>(sod / 60 % 60), 2);
  }
  // Non-negative minor units with two fraction digits: "125400.00".
  void put_amount(std::int64_t minor) {
    put_uint(static_cast<std::uint64_t>(minor / 100));
    const char frac[3] = {'.', static_cast<char>('0' + minor % 100 / 10),
                          static_cast<char>('0' + minor % 10)};
    buf_.append(frac, 3);
  }
  // A CSV field, quoted only when it holds a separator, quote or line end
  // (the same rule as io::csv_escape).
  void put_csv(std::string_view text, char separator = ',') {
    bool quote = false;
    for (char c : text)
      if (c == separator || c == '"' || c == '\n' || c == '\r') quote = true;
    if (quote) {
      put_quoted(text);
    } else {
      buf_.append(text);
    }
  }
  // A CSV field always in quotes, inner quotes doubled (Salesforce style).
  void put_quoted(std::string_view text) {
    buf_.push_back('"');
    for (char c : text) {
      if (c == '"') buf_.push_back('"');
      buf_.push_back(c);
    }
    buf_.push_back('"');
  }
  // A JSON string literal (UTF-8 passes through; quotes, backslashes and
  // control characters escaped).
  void put_json(std::string_view text) {
    buf_.push_back('"');
    for (char c : text) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        buf_.push_back('\\');
        buf_.push_back(c);
      } else if (u < 0x20) {
        static constexpr char kHex[] = "0123456789abcdef";
        const char esc[6] = {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 15]};
        buf_.append(esc, 6);
      } else {
        buf_.push_back(c);
      }
    }
    buf_.push_back('"');
  }

  // Ends a row: a line feed, and the chunk goes out when it is full.
  Status end_row() {
    buf_.push_back('\n');
    return maybe_flush();
  }
  // Lets a full chunk go out at a point that is a row boundary for the format.
  Status maybe_flush() { return buf_.size() >= kChunkBytes ? flush() : Status(); }
  Status flush() {
    if (buf_.empty()) return {};
    bytes_ += buf_.size();
    Status st = sink_(buf_);
    buf_.clear();
    return st;
  }
  std::uint64_t bytes() const noexcept { return bytes_ + buf_.size(); }

 private:
  void put_hms(std::int64_t sod) {
    put_padded(static_cast<int>(sod / 3600), 2);
    buf_.push_back(':');
    put_padded(static_cast<int>(sod / 60 % 60), 2);
    buf_.push_back(':');
    put_padded(static_cast<int>(sod % 60), 2);
  }

  SampleSink sink_;
  std::string buf_;
  std::uint64_t bytes_ = 0;
};

}  // namespace dealflow::analytics::detail
