// Internal: what every importer shares (not part of the API). Reading and
// decoding input files, a delimiter-aware CSV record reader that keeps line
// numbers, exact decimal amounts (float noise rounded and counted), timestamps
// in any offset or a strftime-like format turned into canonical UTC text,
// field-change tracking, the deals table builder and the final pass that sorts
// rows, declares reopens and fills the report counts.
//
// Every function returns errors as values; none throws. Messages follow the
// analytics loaders: "file:line:column: column 'x': invalid ... 'v' (expected ...)".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/import/canonical.h"
#include "dealflow/io/json.h"

namespace dealflow::import::detail {

// ---- input files ---------------------------------------------------------

// One input file decoded to UTF-8.
struct InputFile {
  std::string path;
  std::string name;  // base name: what locations and the report name
  std::string text;  // UTF-8, no BOM
  io::Encoding used = io::Encoding::utf8;
};

// "a/b/Opportunity.csv" -> "Opportunity.csv".
std::string base_name(std::string_view path);

// Reads and decodes `path` (options.encoding; with auto: BOM, else UTF-8 when
// valid, else `fallback`) and records the encoding used in `report.encodings`.
// Errors: io_error naming the path; the decoder's located parse_error.
Result<InputFile> read_input(const std::string& path, const ImportOptions& options, io::Encoding fallback,
                             ImportReport& report);

// The first non-blank character of a text (to tell JSON from CSV), or '\0'.
char first_char(std::string_view text) noexcept;

// ---- delimited text ------------------------------------------------------

// One record of a delimited file: its fields (unquoted), the 1-based line it
// starts on and the 1-based character column of each field.
struct Record {
  int line = 0;
  std::vector<std::string> fields;
  std::vector<int> columns;
};

// Splits RFC 4180 text with separator `sep` (',' or ';' or '\t'): double
// quotes, doubled quotes inside, fields spanning lines, LF or CRLF, blank lines
// skipped. Errors (parse_error at file:line:column): unterminated quote, text
// after a closing quote. Does not check field counts (see `Table`).
Result<std::vector<Record>> read_records(std::string_view text, char sep, std::string_view file);

// The separator of a CSV header line: ';' when the first line has more ';' than ',' (else ',').
char guess_separator(std::string_view text) noexcept;

// A delimited file as a header and rows with column lookup by name.
struct Table {
  std::string file;
  Record header;
  std::vector<Record> rows;

  // Index of the column named `name` (exact after trimming spaces, else the
  // first that matches ASCII case-insensitively), or nullopt.
  std::optional<std::size_t> column(std::string_view name) const;
  // The first of several accepted names (e.g. Russian and English headers).
  std::optional<std::size_t> column_any(std::initializer_list<std::string_view> names) const;
  // parse_error "file:1: missing column 'x' (columns: a, b, ...)".
  Status missing(std::string_view name) const;
  // Location of field i of row r.
  Location where(const Record& r, std::size_t i) const;
  // "file:line" of a row, for report examples.
  std::string where_line(const Record& r) const;
  // parse_error "file:line:col: column 'name': message".
  Status error(const Record& r, std::size_t i, std::string message) const;
};

// Reads a whole table; every row must have the header's field count (a
// located error naming both counts otherwise).
Result<Table> read_table(std::string_view text, char sep, std::string_view file);

// ---- values --------------------------------------------------------------

// Canonical UTC instant text "YYYY-MM-DDTHH:MM:SSZ".
std::string iso(Instant t);

// ISO 8601 text (any offset; without one `default_offset_minutes` east of UTC).
Result<Instant> parse_timestamp(std::string_view text, int default_offset_minutes);

// Text in a strftime-like `format`: %Y %m %d %H %M %S and %% (other characters
// literal); a part in [brackets] is optional ("%d.%m.%Y[ %H:%M[:%S]]"). The
// result is read at `offset_minutes` east of UTC. invalid_argument when the
// text does not match, naming the format.
Result<Instant> parse_formatted(std::string_view text, std::string_view format, int offset_minutes);

// An amount as an exact decimal in `currency`'s minor units ("1500.00",
// "-12.50", "100" for JPY). Accepts "16120999.999999998", "1.5E7", "1 234,56".
// More fraction digits than the currency has are rounded half away from zero
// and counted in `report`: "float_noise_rounded" when the dropped part is
// within 1/1000 of a minor unit of the result, else "amount_rounded" (both
// "repaired", example at `where`). Errors: parse_error naming the text and
// "expected a decimal amount"; overflow.
Result<std::string> normalize_amount(std::string_view raw, Currency currency, ImportReport& report,
                                     const std::string& where);

// Minor units of a normalized amount text (as returned above).
Result<std::int64_t> amount_minor_units(std::string_view normalized, Currency currency);

// A percent as a short decimal: "10.0" -> "10", "12.50" -> "12.5". parse_error
// when it is not a decimal number.
Result<std::string> normalize_percent(std::string_view raw);

// A JSON scalar as text ("12", "true", the string itself); nullopt for
// null/absent, objects and arrays. CRMs send every value as a string, or not.
std::optional<std::string> json_text(const Json& object, std::string_view key);

// ---- building the export -------------------------------------------------

// The canonical deals columns in output order (then custom ones, sorted).
const std::vector<std::string>& standard_deal_columns();

// A deals table from rows of column -> value: `id` and `created_at` always,
// then every other column that has a non-empty value in some row, in
// standard_deal_columns() order, then the rest sorted by name.
CanonicalTable make_deals_table(const std::vector<std::map<std::string, std::string>>& deals);

// Field changes recorded as they are seen; a change equal to the field's last
// value for the deal is not a change and is not recorded.
class FieldChanges {
 public:
  // Records that `field` of `deal_id` takes `value` (with `currency`, for
  // amounts) from `at` on. Returns true when it was a change.
  bool record(const std::string& deal_id, const std::string& at, const std::string& field,
              const std::string& value, const std::string& currency = {});
  // The last value recorded for the deal's field, if any.
  const std::string* last(const std::string& deal_id, const std::string& field) const;
  // deal_id,at,field,value (+ currency when any row has one), in recording order.
  CanonicalTable table() const;

 private:
  struct Last {
    std::string value, currency;
  };
  std::vector<std::vector<std::string>> rows_;  // deal, at, field, value, currency
  struct KeyHash {
    std::size_t operator()(const std::pair<std::string, std::string>& k) const noexcept {
      const std::size_t h = std::hash<std::string>()(k.first);
      return h ^ (std::hash<std::string>()(k.second) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
    }
  };
  // (deal_id, field) -> last value; lookups only, never iterated.
  std::unordered_map<std::pair<std::string, std::string>, Last, KeyHash> last_;
};

// The final pass every importer runs on its export:
//   * history and field changes sorted by deal (deals.csv order), then time,
//     then file order (stable);
//   * pipelines sorted by id; a pipeline without a won or a lost stage gets a
//     synthetic one ("__won__" / "__lost__", noted in the report) so that it
//     compiles;
//   * every move out of a won/lost stage seen in the history declared in the
//     pipeline's reopens (sorted, distinct);
//   * report.deals / events / field_changes filled.
void finish_export(CanonicalExport& data);

}  // namespace dealflow::import::detail
