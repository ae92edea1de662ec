// The inputs shared by funnel, durations and scorecard (analytics_input.h).
#include "dealflow/analytics_input.h"
#include "dealflow/progress_line.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <ostream>
#include <system_error>

#include "dealflow/analytics/snapshot.h"
#include "dealflow/core/time.h"
#include "dealflow/io/csv.h"
#include "dealflow/io/json.h"
#include "dealflow/io/mapped_file.h"

namespace dealflow::cli {

namespace da = dealflow::analytics;

namespace {

// The pipeline files named by the --pipeline values: files as given, folders
// expanded to their *.json files (by name), workspace files to their list.
Result<std::vector<std::string>> pipeline_paths(const std::vector<std::string>& values) {
  namespace fs = std::filesystem;
  std::vector<std::string> paths;
  for (const std::string& value : values) {
    std::error_code ec;
    if (fs::is_directory(value, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(value, ec)) {
        if (entry.is_regular_file(ec) && entry.path().extension() == ".json")
          found.push_back(entry.path().string());
      }
      if (ec)
        return Status(ErrorCode::io_error,
                      "--pipeline '" + value + "': cannot list the folder: " + ec.message());
      if (found.empty()) {
        return Status(ErrorCode::invalid_argument,
                      "--pipeline '" + value + "': the folder has no *.json file: expected pipeline configs");
      }
      std::sort(found.begin(), found.end());
      paths.insert(paths.end(), found.begin(), found.end());
      continue;
    }
    // A workspace file lists pipeline files; anything else is a pipeline file
    // (whose loader reports what is wrong with it).
    auto json = load_json_file(value);
    if (json && json->is_object() && json->contains("pipelines") && !json->contains("stages")) {
      const JsonReader root(*json, value);
      if (Status st = root.reject_unknown_keys({"pipelines"}); !st.ok()) return st;
      auto list = root.string_array("pipelines");
      if (!list) return list.status();
      if (list->empty()) return root.error_at("pipelines", "empty list: expected pipeline config files");
      const fs::path dir = fs::path(value).parent_path();
      for (const std::string& p : *list) paths.push_back(fs::path(p).is_absolute() ? p : (dir / p).string());
      continue;
    }
    paths.push_back(value);
  }
  return paths;
}

}  // namespace

Result<std::string> report_format_option(const Args& args) {
  std::string format = args.option_or("format", "table");
  if (format != "table" && format != "csv" && format != "json") {
    return Status(ErrorCode::invalid_argument, "--format '" + format + "': expected table, csv or json");
  }
  return format;
}

Result<int> utc_offset_option(const Args& args) {
  auto text = args.option("utc-offset");
  if (!text) return 0;
  auto parsed = parse_utc_offset(*text);
  if (!parsed) return parsed.status().with_context("--utc-offset");
  return *parsed;
}

int load_analytics_input(const Args& args, int utc_offset_minutes, Io io, AnalyticsInput& out) {
  auto pipeline_path = args.required("pipeline");
  if (!pipeline_path) return print_error(io, pipeline_path.status()), kExitUsage;
  const auto snapshot_path = args.option("snapshot");
  if (snapshot_path) {
    // The snapshot holds the loaded data: the options that shape a CSV load have no effect.
    for (const char* name : {"deals", "history", "field-changes", "currency"}) {
      if (args.option(name)) {
        return print_error(io, Status(ErrorCode::invalid_argument,
                                      "--" + std::string(name) +
                                          ": not used with --snapshot (the snapshot holds the loaded data; "
                                          "give it to `dealflow snapshot` when writing one)")),
               kExitUsage;
      }
    }
    if (args.flag("check-policy")) {
      return print_error(io,
                         Status(ErrorCode::invalid_argument,
                                "--check-policy: not used with --snapshot (give it to `dealflow snapshot` "
                                "when writing one)")),
             kExitUsage;
    }
  } else {
    auto deals_path = args.required("deals");
    auto history_path = args.required("history");
    for (const auto* r : {&deals_path, &history_path}) {
      if (!*r) return print_error(io, r->status()), kExitUsage;
    }
  }
  da::CsvLoadOptions options;
  options.mode = args.flag("lenient") ? da::LoadMode::lenient : da::LoadMode::strict;
  options.check_policy = args.flag("check-policy");
  options.default_utc_offset_minutes = utc_offset_minutes;
  options.threads = 0;  // one per core
  if (auto t = args.option("threads")) {
    unsigned n = 0;
    const auto [end, ec] = std::from_chars(t->data(), t->data() + t->size(), n);
    if (ec != std::errc() || end != t->data() + t->size() || n > 256) {
      return print_error(io, Status(ErrorCode::invalid_argument,
                                    "--threads '" + std::string(*t) + "': expected an integer 0..256")),
             kExitUsage;
    }
    options.threads = n;  // 0: one per core
  }
  if (auto code = args.option("currency")) {
    auto c = Currency::parse(*code);
    if (!c) return print_error(io, c.status().with_context("--currency")), kExitUsage;
    options.default_currency = *c;
  }

  // Pipelines: their addresses settle before the log refers to them.
  auto paths = pipeline_paths(args.option_values("pipeline"));
  if (!paths) {
    const bool usage = paths.status().code() == ErrorCode::invalid_argument;
    return print_error(io, paths.status()), usage ? kExitUsage : kExitDataError;
  }
  std::vector<const Pipeline*> all;
  if (paths->size() == 1) {
    auto pipeline = load_pipeline_file(paths->front());
    if (!pipeline) return print_error(io, pipeline.status()), kExitDataError;
    out.pipeline = std::move(*pipeline);
    all.push_back(&out.pipeline->pipeline);
    options.default_pipeline = all.front();
  } else {
    auto workspace = load_workspace(*paths);
    if (!workspace) return print_error(io, workspace.status()), kExitDataError;
    out.workspace = std::move(*workspace);
    for (const Pipeline& p : out.workspace->workspace.pipelines()) all.push_back(&p);
  }
  out.all = all;
  out.selected = all;
  std::sort(out.selected.begin(), out.selected.end(),
            [](const Pipeline* a, const Pipeline* b) { return a->id() < b->id(); });
  if (auto only = args.option("only-pipeline")) {
    const auto it = std::find_if(all.begin(), all.end(), [&](const Pipeline* p) { return p->id() == *only; });
    if (it == all.end()) {
      std::string known;
      for (const Pipeline* p : out.selected) known += (known.empty() ? "" : ", ") + p->id();
      return print_error(io, Status(ErrorCode::invalid_argument,
                                    "--only-pipeline '" + *only +
                                        "': no such pipeline was loaded: expected one of " + known)),
             kExitUsage;
    }
    out.selected = {*it};
  }

  if (snapshot_path) {
    auto snapshot = da::open_snapshot(*snapshot_path);
    if (!snapshot) return print_error(io, snapshot.status()), kExitDataError;
    if (Status st = da::check_snapshot_pipelines(*snapshot, all, *snapshot_path); !st.ok())
      return print_error(io, st), kExitDataError;
    const da::LoadReport& report = snapshot->loaded.report;
    if (!report.clean()) {
      io.err << "warning: skipped " << report.total() << " bad row(s):\n" << report.to_text();
    }
    out.loaded = std::move(snapshot->loaded);
    return kExitOk;
  }
  const std::string deals_path = *args.option("deals"), history_path = *args.option("history");
  std::uint64_t total_bytes = 0;
  for (const std::string* p : {&deals_path, &history_path}) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(*p, ec);
    if (!ec) total_bytes += size;
  }
  Result<da::LoadedLog> loaded = Status(ErrorCode::io_error, "not loaded");
  {
    ProgressLine progress(io.err, total_bytes);  // stderr, when it is a terminal and the load is long
    options.progress_bytes = progress.bytes();
    options.progress_rows = progress.rows();
    loaded = da::load_csv_files(deals_path, history_path, all, options);
    options.progress_bytes = nullptr;
    options.progress_rows = nullptr;
  }
  if (!loaded) return print_error(io, loaded.status()), kExitDataError;
  if (auto path = args.option("field-changes")) {  // deal field changes: as-of owners, amounts, close dates
    auto file = dealflow::io::MappedFile::open(*path);  // mapped, not copied (docs/limits.md)
    if (!file) return print_error(io, file.status()), kExitDataError;
    Status st = da::load_field_changes_csv(file->text(), *path, options, *loaded);
    if (!st.ok()) return print_error(io, st), kExitDataError;
  }
  const da::LoadReport& report = loaded->report;
  if (!report.clean()) {
    io.err << "warning: skipped " << report.total() << " bad row(s):\n" << report.to_text();
  }
  out.loaded = std::move(*loaded);
  return kExitOk;
}

std::string section_heading(const Pipeline& pipeline) {
  return "== pipeline " + pipeline.id() + (pipeline.name().empty() ? "" : ": " + pipeline.name()) + " ==\n";
}

std::string csv_with_pipeline(std::string_view csv, std::string_view pipeline_id, bool with_header) {
  std::string out;
  const std::string id = csv_escape(pipeline_id);
  bool header = true;
  std::size_t pos = 0;
  while (pos < csv.size()) {
    std::size_t end = csv.find('\n', pos);
    if (end == std::string_view::npos) end = csv.size();
    const std::string_view line = csv.substr(pos, end - pos);
    // A quoted field may hold a line break: a row ends where the quotes balance.
    std::size_t row_end = end;
    while (std::count(csv.begin() + static_cast<std::ptrdiff_t>(pos),
                      csv.begin() + static_cast<std::ptrdiff_t>(row_end), '"') %
                   2 !=
               0 &&
           row_end < csv.size()) {
      row_end = csv.find('\n', row_end + 1);
      if (row_end == std::string_view::npos) row_end = csv.size();
    }
    const std::string_view row = csv.substr(pos, row_end - pos);
    if (header) {
      if (with_header) out += "pipeline," + std::string(row) + "\n";
      header = false;
    } else if (!line.empty()) {
      out += id + "," + std::string(row) + "\n";
    }
    pos = row_end + 1;
  }
  return out;
}

std::string load_notes_text(const da::LoadReport& report) {
  const std::size_t n = report.count(da::IssueKind::undeclared_reopen);
  if (n == 0) return "";
  return "notes: " + std::to_string(n) + (n == 1 ? " move" : " moves") +
         " out of won/lost that the pipeline does not declare as a reopen kept as history "
         "(undeclared_reopen); "
         "a reopened deal counts by its stage and outcome as of the report instant (--check-policy rejects "
         "them)\n";
}

Json load_report_json(const da::LoadReport& report) {
  Json issues = Json::object();
  Json notes = Json::object();
  for (std::size_t k = 0; k < da::kIssueKindCount; ++k) {
    const auto kind = static_cast<da::IssueKind>(k);
    if (report.count(kind) == 0) continue;
    Json examples = Json::array();
    for (const auto& e : report.examples(kind)) examples.push_back(e.to_string());
    (da::is_note(kind) ? notes : issues)[std::string(to_string(kind))] = Json{
        {"count", report.count(kind)}, {"values", report.values(kind)}, {"examples", std::move(examples)}};
  }
  Json j{{"deal_rows", report.deal_rows},
         {"deals_loaded", report.deals_loaded},
         {"history_rows", report.history_rows},
         {"events_loaded", report.events_loaded},
         {"deals_without_history", report.deals_without_history},
         {"field_change_rows", report.field_change_rows},
         {"field_changes_loaded", report.field_changes_loaded},
         {"skipped", std::move(issues)}};
  if (!notes.empty()) {
    j["notes"] = std::move(notes);
    j["reopened_deals"] = "count by their stage and outcome as of the report instant";
  }
  return j;
}

}  // namespace dealflow::cli
