// Test helper: the round trip sample -> CRM export -> import -> EventLog
// (issue 8 acceptance), compared with the sample loaded from its canonical
// files.
//
// For one `Source` (a format, its importer and what the format cannot carry)
// and one seed, `check_round_trip`:
//   1. generates the sample in memory (generate_sample_csv / visit_sample);
//   2. writes it with the export writer (write_sample_export) into a folder of
//      DEALFLOW_TEST_TMP and imports every file with the library importer;
//   3. expects an import report with nothing dropped or repaired (but the
//      Source's expected repairs: Salesforce float noise), and a load
//      (to_event_log, strict) with nothing skipped;
//   4. loads the reference: the canonical deals.csv and history.csv against
//      data/pipelines/bitrix24_default.json, plus the field_changes.csv rows of
//      the fields the format carries (Source::fields), with the deals.csv
//      columns it cannot carry emptied (Source::lost_columns) and, for a format
//      that writes minutes, every instant truncated to the minute;
//   5. compares the funnel (high-water, by manager), the durations (cycle and
//      time in stage, by manager) and the scorecard (by manager, business and
//      channel) of both logs at several report instants and periods, as
//      digests (report_digest.h) that label stages and managers the same way;
//   6. compares, deal by deal, the history of every field in Source::fields
//      ("the value as of every instant": the changes plus the deals.csv value
//      before the first one, repeats dropped; see `field_history`).
// Every difference between the two sides that is not a bug is one of the
// Source's documented normalisations; anything else fails.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/sample.h"
#include "dealflow/analytics/sample_export.h"
#include "dealflow/import/canonical.h"
#include "dealflow/io/csv.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "report_digest.h"

namespace dealflow::roundtrip {

using analytics::SampleField;
using analytics::SampleFormat;

// What one export format needs to be compared with the canonical sample.
struct Source {
  SampleFormat format = SampleFormat::canonical;
  // Fields whose history the format carries (compared deal by deal, and loaded
  // into the reference log). The others come back as today's values only.
  std::set<SampleField> fields;
  // The format writes instants to the minute: the reference's instants are
  // truncated to the minute before it is loaded.
  bool minutes = false;
  // The format has one lost outcome: LOSE and APOLOGY are compared as "lost".
  bool lost_merged = false;
  // Export options (salesforce only: Windows-1252, float noise).
  std::string encoding = "utf-8";
  bool float_noise = false;
  // Issue kinds the import may repair (float noise rounded back); each must occur.
  std::set<std::string> repairs;
  // deals.csv columns the format cannot carry (custom fields the importer
  // does not read): emptied in the reference before it is loaded.
  std::vector<std::string> lost_columns;
  // The sample's manager name ("Фамилия Имя") as the import gives it back.
  std::function<std::string(std::string_view)> manager = [](std::string_view s) { return std::string(s); };
  // An imported business value (scorecard split) as the sample writes it.
  std::function<std::string(std::string_view)> business = [](std::string_view s) { return std::string(s); };
  // Imports the files written into `dir` (`files`: their full paths, sorted).
  std::function<Result<import::CanonicalExport>(const std::string& dir,
                                                const std::vector<std::string>& files)>
      import;
};

// "Иванова Анна" -> "Анна Иванова": the owners of HubSpot and Bitrix24 are a
// first and a last name, joined as those CRMs show a user (first name first).
inline std::string first_name_first(std::string_view name) {
  const auto space = name.find(' ');
  if (space == std::string_view::npos) return std::string(name);
  return std::string(name.substr(space + 1)) + " " + std::string(name.substr(0, space));
}

inline analytics::SampleOptions sample_options(std::uint64_t seed, std::uint64_t deals = 300) {
  analytics::SampleOptions options;
  options.deals = deals;
  options.seed = seed;
  options.months = 6;  // 2024-01-01 .. 2024-07-01
  return options;
}

inline const Pipeline& sample_pipeline() {
  static const LoadedPipeline loaded = [] {
    auto p = load_pipeline_file(std::string(DEALFLOW_SOURCE_DIR) + "/data/pipelines/bitrix24_default.json");
    if (!p) throw std::runtime_error(p.status().to_string());
    return std::move(*p);
  }();
  return loaded.pipeline;
}

// Every "YYYY-MM-DDTHH:MM:SSZ" of the canonical text with the seconds set to 00.
inline std::string truncate_to_minutes(std::string text) {
  for (std::size_t i = 0; i + 20 <= text.size(); ++i)
    if (text[i + 10] == 'T' && text[i + 13] == ':' && text[i + 16] == ':' && text[i + 19] == 'Z' &&
        text[i + 4] == '-' && text[i + 7] == '-') {
      text[i + 17] = '0';
      text[i + 18] = '0';
      i += 19;
    }
  return text;
}

// field_changes.csv keeping the header and the rows of the given fields.
inline std::string keep_fields(const std::string& csv, const std::set<SampleField>& fields) {
  std::string out;
  std::size_t pos = 0;
  bool header = true;
  while (pos < csv.size()) {
    std::size_t end = csv.find('\n', pos);
    if (end == std::string::npos) end = csv.size();
    const std::string_view line(csv.data() + pos, end - pos);
    bool keep = header;
    for (SampleField f : fields) {
      const std::string needle = "Z," + std::string(analytics::to_string(f)) + ",";
      keep = keep || line.find(needle) != std::string_view::npos;
    }
    if (keep) out.append(line).push_back('\n');
    header = false;
    pos = end + 1;
  }
  return out;
}

// deals.csv with the cells of `columns` emptied (read and written back with
// dealflow's CSV reader and import::to_csv, so quoting stays right).
inline std::string blank_columns(const std::string& csv, const std::vector<std::string>& columns) {
  if (columns.empty()) return csv;
  CsvReader reader = CsvReader::from_text(csv, "deals.csv");
  if (Status st = reader.read_header(); !st.ok()) throw std::runtime_error(st.to_string());
  import::CanonicalTable t;
  t.columns = reader.header();
  std::vector<std::string_view> fields;
  for (;;) {
    auto more = reader.next(fields);
    if (!more) throw std::runtime_error(more.status().to_string());
    if (!*more) break;
    t.rows.emplace_back(fields.begin(), fields.end());
    for (std::size_t i = 0; i < t.columns.size(); ++i)
      if (std::find(columns.begin(), columns.end(), t.columns[i]) != columns.end()) t.rows.back()[i].clear();
  }
  return import::to_csv(t);
}

// The canonical sample as the reference log.
inline analytics::LoadedLog load_reference(const analytics::SampleCsv& csv, const Source& source) {
  auto fix = [&](const std::string& text) { return source.minutes ? truncate_to_minutes(text) : text; };
  analytics::CsvLoadOptions load;
  load.default_pipeline = &sample_pipeline();
  auto loaded = analytics::load_deals_csv(fix(blank_columns(csv.deals, source.lost_columns)), "deals.csv",
                                          {&sample_pipeline()}, load);
  if (!loaded) throw std::runtime_error(loaded.status().to_string());
  Status st =
      analytics::load_history_csv(fix(csv.history), "history.csv", {&sample_pipeline()}, load, *loaded);
  if (!st.ok()) throw std::runtime_error(st.to_string());
  if (!source.fields.empty()) {
    st = analytics::load_field_changes_csv(fix(keep_fields(csv.field_changes, source.fields)),
                                           "field_changes.csv", load, *loaded);
    if (!st.ok()) throw std::runtime_error(st.to_string());
  }
  return std::move(*loaded);
}

// The sample's stage index (sample_stages()) of each stage of the imported
// pipeline: by id, else by name (Pipedrive's stage ids are numbers, its names
// are what sample_export_stage gives).
inline std::map<std::string, std::size_t> stage_indexes(const import::CanonicalPipeline& p,
                                                        SampleFormat format) {
  std::map<std::string, std::size_t> out;
  const std::size_t n = analytics::sample_stages().size();
  for (const auto& st : p.stages)
    for (std::size_t i = 0; i < n; ++i) {
      const std::string_view name = analytics::sample_export_stage(format, i);
      if (name == st.id || name == st.name) {
        out.emplace(st.id, i);
        break;
      }
    }
  return out;
}

inline std::string stage_label(std::size_t index, bool lost_merged) {
  const auto& st = analytics::sample_stages()[index];
  if (lost_merged && st.kind == "lost") return "lost";
  return std::string(st.id);
}

// One log and the pipeline to report on, with its labels.
struct Side {
  const analytics::EventLog* log = nullptr;
  const Pipeline* pipeline = nullptr;
  StageLabel stage;
  KeyMap manager;   // group key -> shared key
  KeyMap business;  // business split key -> shared key
  bool with_rank = true;
};

inline std::vector<Instant> report_instants() {
  return {*parse_instant("2024-03-15T12:00:00Z"), *parse_instant("2024-07-01T00:00:00Z")};
}

// Every report digest of one side, in a fixed order, by name.
inline std::map<std::string, std::string> digests(const Side& s) {
  std::map<std::string, std::string> out;
  auto group = analytics::resolve_grouping(*s.log, "manager");
  if (!group) throw std::runtime_error(group.status().to_string());
  for (Instant as_of : report_instants()) {
    const std::string at = format_iso(as_of);
    analytics::FunnelQuery fq;
    fq.as_of = as_of;
    fq.group = *group;
    fq.threads = 1;
    auto funnel = analytics::compute_funnel(*s.log, *s.pipeline, fq);
    if (!funnel) throw std::runtime_error(funnel.status().to_string());
    out["funnel as of " + at] = funnel_digest(*funnel, s.stage, s.manager);
    fq.basis = analytics::FunnelBasis::closed;
    fq.from = *parse_instant("2024-02-01T00:00:00Z");
    funnel = analytics::compute_funnel(*s.log, *s.pipeline, fq);
    if (!funnel) throw std::runtime_error(funnel.status().to_string());
    out["funnel closed since 2024-02-01 as of " + at] = funnel_digest(*funnel, s.stage, s.manager);

    analytics::DurationQuery dq;
    dq.as_of = as_of;
    dq.group = *group;
    dq.naive_mean = true;
    auto durations = analytics::compute_durations(*s.log, *s.pipeline, dq);
    if (!durations) throw std::runtime_error(durations.status().to_string());
    out["durations as of " + at] = durations_digest(*durations, s.stage, s.manager);
  }
  for (auto [from, to] : {std::pair{"2024-04-01T00:00:00Z", "2024-07-01T00:00:00Z"},
                          std::pair{"2024-03-01T00:00:00Z", "2024-05-01T00:00:00Z"}}) {
    analytics::ScorecardQuery q;
    q.from = *parse_instant(from);
    q.to = *parse_instant(to);
    auto card = analytics::compute_scorecard(*s.log, *s.pipeline, q);
    if (!card) throw std::runtime_error(card.status().to_string());
    out["scorecard " + std::string(from) + " .. " + to] =
        scorecard_digest(*card, s.manager, s.business, s.with_rank);
  }
  return out;
}

// ---- field histories -------------------------------------------------------

// One field of one deal as "at=value" steps: the changes in time order, the
// deals.csv value at created_at when there is no change, and no step that
// repeats the value before it (the value as of every instant, which is what
// the contract defines a field history to mean).
using Steps = std::vector<std::string>;

inline void push_step(Steps& steps, std::string& last, const std::string& at, const std::string& value) {
  if (!steps.empty() && value == last) return;
  last = value;
  steps.push_back(at + "=" + value);
}

inline std::string amount_text(std::int64_t minor) {
  const char* sign = minor < 0 ? "-" : "";
  const std::uint64_t v = static_cast<std::uint64_t>(minor < 0 ? -minor : minor);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s%llu.%02llu", sign, static_cast<unsigned long long>(v / 100),
                static_cast<unsigned long long>(v % 100));
  return buf;
}

inline std::string sample_value(const analytics::SampleFieldChange& c, const Source& source) {
  switch (c.field) {
    case SampleField::manager:
      return source.manager(analytics::sample_managers()[static_cast<std::size_t>(c.value)]);
    case SampleField::amount:
      return amount_text(c.value);
    case SampleField::close_date:
      return Date(static_cast<std::int32_t>(c.value)).to_string();
    case SampleField::probability:
      return std::to_string(c.value);
  }
  return "";
}

inline std::string deals_column(SampleField f) {
  return f == SampleField::manager ? "manager" : std::string(analytics::to_string(f));
}

// Column index by name, or npos.
inline std::size_t column(const import::CanonicalTable& t, std::string_view name) {
  for (std::size_t i = 0; i < t.columns.size(); ++i)
    if (t.columns[i] == name) return i;
  return std::string::npos;
}

// Deal by deal, field by field: the imported history equals the sample's.
// Imported deals are matched to the sample's by position (both in id order),
// checked through created_at.
inline void expect_same_field_histories(const import::CanonicalExport& exp, const Source& source,
                                        const analytics::SampleOptions& options) {
  const std::size_t id_col = column(exp.deals, "id"), created_col = column(exp.deals, "created_at");
  ASSERT_NE(created_col, std::string::npos);
  std::map<std::string, std::size_t> index_of;  // imported id -> sample deal index
  for (std::size_t i = 0; i < exp.deals.rows.size(); ++i) index_of[exp.deals.rows[i][id_col]] = i;
  // Imported changes per deal index and field.
  std::map<std::pair<std::size_t, std::string>, std::vector<std::pair<std::string, std::string>>> imported;
  const auto& fc = exp.field_changes;
  const std::size_t d = column(fc, "deal_id"), at = column(fc, "at"), field = column(fc, "field"),
                    value = column(fc, "value");
  for (const auto& row : fc.rows)
    imported[{index_of.at(row[d]), row[field]}].emplace_back(row[at], row[value]);

  std::size_t deal_index = 0, mismatches = 0;
  auto st = analytics::visit_sample(options, [&](const analytics::SampleDeal& deal) {
    const auto& row = exp.deals.rows.at(deal_index);
    auto at_text = [&](Instant t) {
      return source.minutes ? truncate_to_minutes(format_iso(t)) : format_iso(t);
    };
    EXPECT_EQ(row[created_col], at_text(deal.created))
        << "imported deal " << row[id_col] << " is not sample deal " << deal.id;
    for (SampleField f : source.fields) {
      Steps want, got;
      std::string last;
      for (const auto& c : deal.field_changes)
        if (c.field == f) push_step(want, last, at_text(c.at), sample_value(c, source));
      last.clear();
      const auto it = imported.find({deal_index, std::string(analytics::to_string(f))});
      if (it != imported.end())
        for (const auto& [when, v] : it->second) push_step(got, last, when, v);
      const std::size_t col = column(exp.deals, deals_column(f));
      if (got.empty() && col != std::string::npos) push_step(got, last, row[created_col], row[col]);
      if (want != got && ++mismatches <= 3)
        ADD_FAILURE() << "deal " << deal.id << " (" << row[id_col] << ") field " << analytics::to_string(f)
                      << ": sample " << ::testing::PrintToString(want) << "\n imported "
                      << ::testing::PrintToString(got);
    }
    ++deal_index;
    return Status();
  });
  ASSERT_TRUE(st.ok()) << st.status().to_string();
  EXPECT_EQ(deal_index, exp.deals.rows.size());
  EXPECT_EQ(mismatches, 0u) << "deals with another field history (first 3 shown)";
}

// The first differing lines of two digests (the whole texts are long).
inline void expect_same_lines(const std::string& got, const std::string& want, const std::string& what) {
  std::istringstream g(got), w(want);
  std::string gl, wl, context;
  std::size_t line = 0, shown = 0;
  for (;;) {
    const bool more_g = static_cast<bool>(std::getline(g, gl)),
               more_w = static_cast<bool>(std::getline(w, wl));
    if (!more_g && !more_w) break;
    ++line;
    if (!more_g) gl = "<end>";
    if (!more_w) wl = "<end>";
    if (gl.rfind("group ", 0) == 0 || gl.rfind("total ", 0) == 0 || gl.rfind("manager ", 0) == 0)
      context = gl.substr(0, 60);
    if (gl != wl && ++shown <= 4)
      ADD_FAILURE() << what << ", line " << line << " (in " << context << "):\n imported: " << gl
                    << "\n sample:   " << wl;
  }
  EXPECT_EQ(shown, 0u) << what << ": " << shown << " lines differ";
}

// ---- the whole round trip ----------------------------------------------------

inline std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

inline void check_round_trip(const Source& source, std::uint64_t seed, std::uint64_t deals = 300) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  const auto options = sample_options(seed, deals);
  auto csv = analytics::generate_sample_csv(options);
  ASSERT_TRUE(csv.ok()) << csv.status().to_string();

  const std::string dir = std::string(DEALFLOW_TEST_TMP) + "/roundtrip_" +
                          std::string(analytics::to_string(source.format)) + "_" + std::to_string(seed) +
                          "_" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  analytics::SampleExportOptions export_options;
  export_options.format = source.format;
  export_options.encoding = source.encoding;
  export_options.float_noise = source.float_noise;
  auto written = analytics::write_sample_export(options, export_options, dir);
  ASSERT_TRUE(written.ok()) << written.status().to_string();
  auto exp = source.import(dir, files_in(dir));
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(exp.ok()) << exp.status().to_string();

  // Nothing dropped or repaired (the writer's files are clean exports), but
  // what the source expects.
  for (const auto& [kind, issue] : exp->report.issues)
    if (!source.repairs.count(kind)) {
      EXPECT_EQ(issue.action, "noted") << kind << ": " << import::report_json(exp->report);
    }
  for (const auto& kind : source.repairs) EXPECT_TRUE(exp->report.issues.count(kind)) << kind;
  EXPECT_EQ(exp->deals.rows.size(), deals);
  EXPECT_EQ(exp->report.events, csv->summary.events);
  ASSERT_EQ(exp->pipelines.size(), 1u);

  auto imported = import::to_event_log(*exp);
  ASSERT_TRUE(imported.ok()) << imported.status().to_string();
  EXPECT_EQ(imported->loaded.report.total(), 0u) << imported->loaded.report.to_text();
  const analytics::LoadedLog reference = load_reference(*csv, source);

  const auto indexes = stage_indexes(exp->pipelines.front(), source.format);
  EXPECT_EQ(indexes.size(), exp->pipelines.front().stages.size())
      << "an imported stage the sample does not have";
  Side got{&imported->loaded.log,
           &imported->pipelines.front().pipeline,
           [&](std::string_view id) {
             const auto it = indexes.find(std::string(id));
             return it == indexes.end() ? "?" + std::string(id) : stage_label(it->second, source.lost_merged);
           },
           [](std::string_view k) { return std::string(k); },
           source.business,
           true};
  Side want{&reference.log,
            &sample_pipeline(),
            [&](std::string_view id) {
              const auto stages = analytics::sample_stages();
              for (std::size_t i = 0; i < stages.size(); ++i)
                if (stages[i].id == id) return stage_label(i, source.lost_merged);
              return "?" + std::string(id);
            },
            source.manager,
            [](std::string_view k) { return std::string(k); },
            true};
  // Ranks break ties by the manager's bytes: comparable only when names are kept.
  const bool renamed = source.manager("Иванова Анна") != "Иванова Анна";
  got.with_rank = want.with_rank = !renamed;

  const auto got_digests = digests(got), want_digests = digests(want);
  for (const auto& [name, text] : want_digests) expect_same_lines(got_digests.at(name), text, name);
  expect_same_field_histories(*exp, source, options);
}

}  // namespace dealflow::roundtrip
