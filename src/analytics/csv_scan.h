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
  Next next(std::vector<std::string_view>& fields);
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
