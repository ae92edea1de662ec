// Test helper: a sample exported in memory, its reference data from
// visit_sample, and small readers for the CSV and JSON it holds.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/analytics/sample.h"
#include "dealflow/analytics/sample_export.h"
#include "dealflow/io/csv.h"
#include "dealflow/io/json.h"

namespace dealflow::analytics::testing {

using Files = std::map<std::string, std::string>;

// Whether `text` has the shape of `pattern`, where '9' stands for any ASCII
// digit and every other character for itself ("99.99.9999 99:99"). A plain
// loop: std::regex trips GCC 12's -Wmaybe-uninitialized in sanitizer builds.
inline bool has_shape(std::string_view text, std::string_view pattern) {
  if (text.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool digit = text[i] >= '0' && text[i] <= '9';
    if (pattern[i] == '9' ? !digit : text[i] != pattern[i]) return false;
  }
  return true;
}

inline SampleOptions small_sample(std::uint64_t deals = 300, std::uint64_t seed = 11) {
  SampleOptions options;
  options.deals = deals;
  options.seed = seed;
  options.months = 6;
  return options;
}

inline Files export_files(const SampleOptions& sample, SampleExportOptions options,
                          SampleExportSummary* summary = nullptr) {
  auto files = export_sample_to_memory(sample, options, summary);
  if (!files) throw std::runtime_error(files.status().to_string());
  return std::move(*files);
}

inline Files export_files(SampleFormat format, const SampleOptions& sample = small_sample(),
                          SampleExportSummary* summary = nullptr) {
  SampleExportOptions options;
  options.format = format;
  return export_files(sample, options, summary);
}

// What visit_sample generates, copied out of the visitor's views.
struct RefDeal {
  std::uint64_t id = 0;
  Instant created;
  std::int64_t amount = 0;
  std::uint8_t manager = 0;
  std::int64_t close_date = 0;
  int probability = 0;
  std::vector<SampleStageEvent> history;
  std::vector<SampleFieldChange> changes;
  std::size_t count(SampleField field) const {
    std::size_t n = 0;
    for (const auto& c : changes) n += c.field == field ? 1 : 0;
    return n;
  }
};

inline std::vector<RefDeal> reference(const SampleOptions& sample, SampleSummary* summary = nullptr) {
  std::vector<RefDeal> out;
  auto s = visit_sample(sample, [&](const SampleDeal& d) {
    RefDeal r;
    r.id = d.id;
    r.created = d.created;
    r.amount = d.amount;
    r.manager = d.manager;
    r.close_date = d.close_date;
    r.probability = d.probability;
    r.history.assign(d.history.begin(), d.history.end());
    r.changes.assign(d.field_changes.begin(), d.field_changes.end());
    out.push_back(std::move(r));
    return Status();
  });
  if (!s) throw std::runtime_error(s.status().to_string());
  if (summary != nullptr) *summary = *s;
  return out;
}

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t col(std::string_view name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    throw std::runtime_error("no column " + std::string(name));
  }
};

// A comma-separated CSV through dealflow's strict reader.
inline Table read_csv(const std::string& text, const std::string& name) {
  CsvReader reader = CsvReader::from_text(text, name);
  if (Status st = reader.read_header(); !st.ok()) throw std::runtime_error(st.to_string());
  Table t;
  t.header = reader.header();
  std::vector<std::string_view> fields;
  for (;;) {
    auto more = reader.next(fields);
    if (!more) throw std::runtime_error(more.status().to_string());
    if (!*more) break;
    t.rows.emplace_back(fields.begin(), fields.end());
  }
  return t;
}

inline Json read_json(const std::string& text, const std::string& name) {
  auto doc = parse_json(text, name);
  if (!doc) throw std::runtime_error(doc.status().to_string());
  return std::move(*doc);
}

inline bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

}  // namespace dealflow::analytics::testing
