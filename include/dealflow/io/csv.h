// dealflow/io/csv.h: an RFC 4180 CSV reader that knows where every field is.
//
// UTF-8 text, comma separator, double-quote quoting (a quote inside a quoted
// field is doubled), CRLF or LF line ends, quoted fields may span lines, a
// leading UTF-8 BOM is skipped. The whole text is checked once as UTF-8
// (io::validate_utf8: no invalid byte, no NUL) before the first record is
// read, so a bad file fails before any row is used; a record ending in a CR
// without LF (classic Mac OS line ends) is an error too (docs/encodings.md). A
// field longer than kMaxCsvFieldBytes is refused at its line and column as soon
// as the reader passes the limit (docs/limits.md). Every record can report the
// file, line and character column of each field, so loaders can say exactly what is wrong: "deals.csv:14:23:
// column 'created_at': invalid timestamp '2024-13-01' ...".
//
// The reader owns the text (a file is mapped, not copied: io::MappedFile); the string_views it hands out stay
// valid until the next call to next() (unquoted fields point into the text, quoted ones into a scratch
// buffer).
//
// Thread-safety: a reader is used by one thread at a time.
//
// Example:
//   auto csv = dealflow::CsvReader::open_file("leads.csv");
//   if (!csv) return csv.status();
//   DEALFLOW_RETURN_IF_ERROR(csv->read_header());
//   auto id_col = csv->require_column("id");
//   std::vector<std::string_view> row;
//   while (true) {
//     auto more = csv->next(row);
//     if (!more) return more.status();
//     if (!*more) break;
//     use(row[*id_col]);
//   }
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/core/status.h"
#include "dealflow/io/mapped_file.h"

namespace dealflow {

// The longest CSV field (its value, after unquoting) any dealflow loader
// accepts: 1 MiB. No id, name, stage, amount or note of a CRM export comes near
// it; a longer field is a broken file (an unterminated quote swallowing the rest
// of the file) or a hostile one, refused before it is buffered.
inline constexpr std::size_t kMaxCsvFieldBytes = std::size_t{1} << 20;

// The error of a field longer than kMaxCsvFieldBytes, located at the field's
// first character: "field is longer than 1048576 bytes (1 MiB) ...".
Status csv_field_too_long(Location where);

class CsvReader {
 public:
  static Result<CsvReader> open_file(const std::string& path);
  static CsvReader from_text(std::string text, std::string file_name);

  // Reads the first record as the header. Column names are trimmed of spaces.
  // Errors: text that is not UTF-8 or holds a NUL byte (located at the first
  // bad byte, with its byte offset), empty file, duplicate or empty column names.
  Status read_header();
  const std::vector<std::string>& header() const noexcept { return header_; }
  std::optional<std::size_t> column(std::string_view name) const;
  // The column index, or a parse_error naming the file and the missing column.
  Result<std::size_t> require_column(std::string_view name) const;

  // Reads the next record into `fields`. true: a record was read; false: end
  // of input. Errors: the UTF-8 error above, unterminated quote, text after a
  // closing quote, a CR-only line end, and a record whose field count differs
  // from the header's (when one was read), a field longer than kMaxCsvFieldBytes.
  // Blank lines are skipped.
  Result<bool> next(std::vector<std::string_view>& fields);

  const std::string& file_name() const noexcept { return file_; }
  // 1-based line where the current record starts.
  int line() const noexcept { return record_line_; }
  // Location of field i of the current record (line and character column).
  Location location(std::size_t field) const;
  // A parse_error at field i: "file:line:col: column 'name': message".
  Status field_error(std::size_t field, std::string message) const;
  // Total bytes of input text.
  std::size_t size_bytes() const noexcept { return text_.size(); }

 private:
  CsvReader(std::unique_ptr<std::string> owned, io::MappedFile mapped, std::string file_name);
  Result<bool> read_record(std::vector<std::string_view>& fields);

  // The text is either owned (from_text, or a file that cannot be mapped) or
  // mapped; both keep their address when the reader is moved, so text_ stays valid.
  std::unique_ptr<std::string> owned_;
  io::MappedFile mapped_;
  std::string_view text_;
  std::string file_;
  std::size_t pos_ = 0;
  int line_ = 1;  // line at pos_
  int record_line_ = 0;
  std::vector<std::string> header_;
  std::vector<int> field_line_;
  std::vector<std::size_t> field_line_start_;  // byte offset of the line each field starts on
  std::vector<std::size_t> field_offset_;      // byte offset of each field
  std::vector<std::string> scratch_;           // unescaped quoted fields of the current record
  std::size_t line_start_ = 0;                 // byte offset where line_ starts
  Status text_status_;                         // io::validate_utf8 of the whole text
};

// Quotes a field for CSV output when it needs it (comma, quote, CR or LF).
std::string csv_escape(std::string_view field);

}  // namespace dealflow
