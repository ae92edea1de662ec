// Internal: the mapping file of the `mapped` importer, parsed and checked
// (mapped_spec.cpp), and its use on CSV rows (mapped.cpp). Not part of the API.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dealflow/import/canonical.h"
#include "import/import_common.h"

namespace dealflow::import::detail::mapped {

// One mapped column: the CSV header name and where the mapping names it.
struct ColumnRef {
  std::string name;
  std::string json_path;  // "/columns/amount"
};

// A snapshot date column: the entry into `stages` (the deal's current stage
// when it is one of several).
struct StageDate {
  ColumnRef column;
  std::vector<std::string> stages;
};

struct Mapping {
  std::string file;
  bool snapshot = false;
  std::optional<io::Encoding> encoding;  // fallback for --encoding auto
  std::optional<char> separator;         // else guessed from the header
  int utc_offset_minutes = 0;
  std::string date_format;                          // "" = ISO 8601
  std::map<std::string, std::string> date_formats;  // per CSV column
  CanonicalPipeline pipeline;                       // stages with kinds; reopens filled later
  std::map<std::string, std::string> stage_values;  // CSV value -> stage id
  std::map<std::string, std::optional<std::string>> outcome_values;  // value -> stage id, or none
  std::string currency;                                              // default currency ("" = none)
  // Columns by canonical role: id, created_at, stage, at, outcome, owner,
  // amount, currency, close_date, probability, lost_reason, actor.
  std::map<std::string, ColumnRef> columns;
  std::vector<std::pair<std::string, ColumnRef>> dimensions;  // canonical name -> column
  std::vector<StageDate> stage_dates;

  const ColumnRef* column(const std::string& role) const {
    auto it = columns.find(role);
    return it == columns.end() ? nullptr : &it->second;
  }
  // The format of a date column ("" = ISO 8601).
  const std::string& format_of(const std::string& column) const {
    auto it = date_formats.find(column);
    return it == date_formats.end() ? date_format : it->second;
  }
};

// Parses and checks a mapping document (every error located by JSON path).
// `default_currency` (--currency) stands in for a missing "currency".
Result<Mapping> parse_mapping(const Json& doc, const std::string& file, const std::string& default_currency);

// Checks that every column the mapping names is in the CSV header (an error
// at the mapping's JSON path naming the CSV file and its columns otherwise).
Status check_columns(const Mapping& m, const Table& table);

}  // namespace dealflow::import::detail::mapped
