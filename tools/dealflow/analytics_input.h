// tools/dealflow/analytics_input.h: the inputs shared by the analytics commands
// (funnel, durations, scorecard, pipeline-changes): --pipeline, --deals,
// --history, --field-changes, --snapshot, --utc-offset, --currency and
// --lenient. Not part of the library API; single-threaded use.
//
// Input: the CSV files (--deals, --history, optional --field-changes), or a
// binary snapshot (--snapshot data.dflog, docs/snapshot.md) written from
// them with the same pipeline configs; reports print the same output either way.
//
// Pipelines: `--pipeline` may be repeated, and each value is a pipeline JSON
// file, a folder (every *.json file in it, by file name) or a workspace file
// (`{"pipelines": ["sales.json", "service.json"]}`, paths relative to it).
// Deals name their pipeline in the `pipeline` column (with one pipeline an
// empty cell means that one). Reports run per pipeline, one section per
// pipeline in id order, or on the one named by --only-pipeline; with one
// pipeline the output is a plain report as it always was.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/cli.h"
#include "dealflow/io/json.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::cli {

// The option and flag names load_analytics_input reads; commands add their own.
inline const std::vector<std::string> kAnalyticsInputOptions = {"pipeline",      "deals",    "history",
                                                                "utc-offset",    "currency", "only-pipeline",
                                                                "field-changes", "snapshot", "threads"};
inline const std::vector<std::string> kAnalyticsInputFlags = {"lenient", "check-policy"};

// The help lines of the shared pipeline options (for the commands' --help).
inline constexpr const char* kPipelineOptionsHelp =
    "  --pipeline P        pipeline config (docs/pipeline-config.md); repeat it, or name a folder of\n"
    "                      *.json configs or a workspace file {\"pipelines\": [...]}, for several:\n"
    "                      deals name theirs in the pipeline column and the report has one section\n"
    "                      per pipeline, in id order (with one, deals without a pipeline column\n"
    "                      belong to it)\n"
    "  --only-pipeline ID  report on this loaded pipeline only\n"
    "  --check-policy      a move out of won/lost the pipeline does not declare as a reopen, and an\n"
    "                      open-to-open move its policy forbids, are errors (default: undeclared\n"
    "                      reopens are history, kept and counted in a notes line)\n"
    "  --threads N         threads that parse the CSV files (and count, for the funnel), 0 .. 256;\n"
    "                      0 (default) is one per core; the result is the same for every N\n";

// The help lines of --snapshot (for the report commands' --help).
inline constexpr const char* kSnapshotOptionHelp =
    "  --snapshot S.dflog  read a snapshot (`dealflow snapshot`, `dealflow import --snapshot`) instead\n"
    "                      of --deals, --history and --field-changes; --pipeline names the configs\n"
    "                      it was written with (docs/snapshot.md)\n";

struct AnalyticsInput {
  std::optional<LoadedPipeline> pipeline;      // one pipeline file
  std::optional<LoadedWorkspace> workspace;    // several pipelines
  std::optional<analytics::LoadedLog> loaded;  // set on success; its log refers to the pipelines above
  std::vector<const Pipeline*> selected;       // the pipelines to report on, in id order
  std::vector<const Pipeline*> all;            // every loaded pipeline, in --pipeline order
  // The first selected pipeline (the only one unless sectioned()).
  const Pipeline& definition() const { return *selected.front(); }
  const analytics::EventLog& log() const { return loaded->log; }
  // Several pipelines are reported: one section each.
  bool sectioned() const { return selected.size() > 1; }
};

// The value of --utc-offset in minutes; 0 when the option is absent.
Result<int> utc_offset_option(const Args& args);

// The value of --format: "table" (default), "csv" or "json"; invalid_argument
// "--format 'x': expected table, csv or json" otherwise (a usage error).
Result<std::string> report_format_option(const Args& args);

// Reads the pipelines, then the deals and history CSV files and the optional
// --field-changes file (strict unless
// --lenient; lenient mode reports skipped rows on io.err as a warning), or
// the --snapshot file (its load report printed the same way; --deals,
// --history, --field-changes, --currency and --check-policy are then usage
// errors, and pipelines other than the snapshot's a data error). Fills
// `out` and returns kExitOk, or prints the error and returns kExitUsage (a
// missing or malformed option, an unknown --only-pipeline) or kExitDataError
// (a file that does not load).
int load_analytics_input(const Args& args, int utc_offset_minutes, Io io, AnalyticsInput& out);

// ---- sectioned output ------------------------------------------------------

// The table heading of one pipeline's section: "== pipeline sales: Продажи ==\n".
std::string section_heading(const Pipeline& pipeline);
// A CSV report with a leading `pipeline` column (the header row is kept only
// when `with_header`).
std::string csv_with_pipeline(std::string_view csv, std::string_view pipeline_id, bool with_header);
// "notes: ..." lines for the load report's notes (undeclared reopens), each
// with how such deals count; "" when there are none.
std::string load_notes_text(const analytics::LoadReport& report);
// The load report as JSON: rows read and kept, skipped rows by kind, notes.
Json load_report_json(const analytics::LoadReport& report);

// Computes a report per selected pipeline (all before printing anything, so an
// error prints no partial output) and prints them: one plain report when one
// pipeline is selected (as dealflow always printed it), else one section per
// pipeline: table sections under section_heading, CSV rows with a leading
// `pipeline` column, JSON `{"pipelines": [report, ...]}` with each report's
// "pipeline" id. Table output ends with load_notes_text (CSV: on io.err); JSON gets a
// "load_report" when `with_load_report` or when the load noted something.
template <class Report, class Compute, class ToTable, class ToCsv, class ToJson>
int print_reports(const AnalyticsInput& input, const std::string& format, bool with_load_report, Io io,
                  Compute compute, ToTable to_table, ToCsv to_csv, ToJson to_json) {
  std::vector<Report> reports;
  for (const Pipeline* p : input.selected) {
    auto r = compute(*p);
    if (!r) return print_error(io, r.status()), kExitDataError;
    reports.push_back(std::move(*r));
  }
  const analytics::LoadReport& load = input.loaded->report;
  if (format == "json") {
    Json j;
    if (!input.sectioned()) {
      j = to_json(reports.front(), input.definition());
    } else {
      Json sections = Json::array();
      for (std::size_t i = 0; i < reports.size(); ++i) {
        Json s = to_json(reports[i], *input.selected[i]);
        s["pipeline"] = input.selected[i]->id();
        sections.push_back(std::move(s));
      }
      j = Json{{"pipelines", std::move(sections)}};
    }
    if (with_load_report || load.noted() > 0) j["load_report"] = load_report_json(load);
    io.out << dump_json(j) << "\n";
  } else if (format == "csv") {
    for (std::size_t i = 0; i < reports.size(); ++i) {
      const std::string csv = to_csv(reports[i]);
      io.out << (input.sectioned() ? csv_with_pipeline(csv, input.selected[i]->id(), i == 0) : csv);
    }
    io.err << load_notes_text(load);  // CSV stays data only
  } else {
    for (std::size_t i = 0; i < reports.size(); ++i) {
      if (input.sectioned()) io.out << (i ? "\n" : "") << section_heading(*input.selected[i]);
      io.out << to_table(reports[i], *input.selected[i]);
    }
    io.out << load_notes_text(load);
  }
  return kExitOk;
}

}  // namespace dealflow::cli
