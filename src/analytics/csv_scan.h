// Internal: a single-pass RFC 4180 record scanner over text it does not own,
// specialised for the analytics loaders (fields are views into the text; only
// quoted fields with doubled quotes are copied). Locations (line, character
// column) are computed lazily, only when an error needs them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/core/status.h"

namespace dealflow::analytics::detail {

class CsvScanner {
 public:
  CsvScanner(std::string_view text, std::string_view file_name);

  // OK when the whole text is UTF-8 without NUL bytes (io::validate_utf8):
  // every loader calls it (through read_header) before reading any row, so a
  // file with one bad byte loads nothing. A record ending in a CR without LF
  // is an error of next().
  Status check_text() const;

  enum class Next { record, end, error };
  // Reads the next non-blank record. On error, `error()` says what and where.
  // With `limit`, a record starting at or after byte `limit` is not read
  // (end): a chunk of a file split for parallel parsing stops there.
  Next next(std::vector<std::string_view>& fields, std::size_t limit = static_cast<std::size_t>(-1));
  const Status& error() const noexcept { return error_; }

  // 1-based line where the current record starts.
  int line() const noexcept { return record_line_; }
  // Byte offset where the current record starts.
  std::size_t record_offset() const noexcept { return record_offset_; }
  // Line and character column of field i of the current record.
  Location location(std::size_t field) const;
  std::string_view file_name() const noexcept { return file_; }
  std::string_view text() const noexcept { return text_; }

  // Moves to the record that starts at the beginning of `line` (1-based):
  // used to locate examples found after the scan.
  void seek_line(int line);
  // Moves to byte `offset`, a record start, calling its line `line` (a chunk
  // of a file split for parallel parsing counts its lines from 1 and the
  // caller shifts them once the lines before the chunk are known).
  void seek_offset(std::size_t offset, int line) noexcept {
    pos_ = offset;
    line_ = line;
  }
  // Byte offset and line of the next record (where the scan goes on).
  std::size_t position() const noexcept { return pos_; }
  int next_line() const noexcept { return line_; }

 private:
  bool scan_record(std::vector<std::string_view>& fields);
  Location location_at(std::size_t offset) const;

  std::string_view text_;
  std::string_view file_;
  std::size_t pos_ = 0;
  int line_ = 1;  // line at pos_
  int record_line_ = 0;
  std::size_t record_offset_ = 0;
  std::vector<std::size_t> field_offset_;
  std::deque<std::string> scratch_;  // deque: views stay valid on growth
  std::size_t scratch_used_ = 0;
  Status error_;
};

// Column of a UTF-8 text position: code points since the line start, 1-based.
int utf8_column(std::string_view line_prefix) noexcept;

}  // namespace dealflow::analytics::detail
