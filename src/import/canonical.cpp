// The canonical files of an import: CSV and JSON text, writing them, and
// loading them into an analytics EventLog (include/dealflow/import/canonical.h).
#include "dealflow/import/canonical.h"

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "dealflow/io/atomic_file.h"
#include "dealflow/io/csv.h"
#include "dealflow/io/json.h"

namespace dealflow::import {
namespace {

// A pipeline id as a file name: ASCII letters, digits, '_', '-', '.' kept, anything else '_'.
std::string file_stem(std::string_view id) {
  std::string out;
  for (char c : id) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-' || c == '.';
    out += keep ? c : '_';
  }
  if (out.empty() || out[0] == '.') out.insert(out.begin(), '_');
  return out;
}

// Writes through io::write_file_atomic (a uniquely named temporary file in the
// same folder, fsynced, renamed into place, the folder fsynced): a failed or
// killed write never leaves a truncated file under the final name, and two
// runs writing the same folder never share a temporary file.
Status write_file(const std::filesystem::path& path, const std::string& text) {
  return io::write_file_atomic(path.string(), text);
}

}  // namespace

void ImportReport::add(const std::string& kind, const std::string& action, ImportExample example) {
  ImportIssue& issue = issues[kind];
  ++issue.count;
  if (issue.action.empty()) issue.action = action;
  if (issue.examples.size() < 5) issue.examples.push_back(std::move(example));
}

std::string to_csv(const CanonicalTable& table) {
  std::string out;
  auto line = [&out](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) out += ',';
      out += csv_escape(fields[i]);
    }
    out += '\n';
  };
  line(table.columns);
  for (const auto& row : table.rows) line(row);
  return out;
}

std::string report_json(const ImportReport& report) {
  Json j = Json::object();
  j["source"] = report.source;
  j["rows_read"] = Json::object();
  for (const auto& [file, n] : report.rows_read) j["rows_read"][file] = n;
  j["encodings"] = Json::object();
  for (const auto& [file, e] : report.encodings) j["encodings"][file] = e;
  j["deals"] = report.deals;
  j["events"] = report.events;
  j["field_changes"] = report.field_changes;
  j["issues"] = Json::object();
  for (const auto& [kind, issue] : report.issues) {
    Json examples = Json::array();
    for (const auto& e : issue.examples) examples.push_back({{"where", e.where}, {"message", e.message}});
    j["issues"][kind] = {{"count", issue.count}, {"action", issue.action}, {"examples", examples}};
  }
  j["notes"] = report.notes;
  return dump_json(j, 2) + "\n";
}

std::string pipeline_json(const CanonicalPipeline& pipeline) {
  Json stages = Json::array();
  for (const auto& s : pipeline.stages) {
    Json st = {{"id", s.id}, {"name", s.name}, {"kind", s.kind}};
    if (s.probability) st["probability"] = *s.probability;
    stages.push_back(std::move(st));
  }
  Json reopens = Json::array();
  for (const auto& [from, to] : pipeline.reopens) reopens.push_back({{"from", from}, {"to", to}});
  Json j = {{"id", pipeline.id}, {"name", pipeline.name}, {"policy", "free"}, {"stages", stages}};
  if (!pipeline.reopens.empty()) j["reopens"] = reopens;
  return dump_json(j, 2) + "\n";
}

Status write_canonical(const CanonicalExport& data, const std::string& dir) {
  namespace fs = std::filesystem;
  const fs::path root(dir);
  std::error_code ec;
  fs::create_directories(root / "pipelines", ec);
  if (ec)
    return Status(ErrorCode::io_error,
                  "cannot create folder '" + (root / "pipelines").string() + "': " + ec.message());
  DEALFLOW_RETURN_IF_ERROR(write_file(root / "deals.csv", to_csv(data.deals)));
  DEALFLOW_RETURN_IF_ERROR(write_file(root / "history.csv", to_csv(data.history)));
  DEALFLOW_RETURN_IF_ERROR(write_file(root / "field_changes.csv", to_csv(data.field_changes)));
  for (const auto& p : data.pipelines)
    DEALFLOW_RETURN_IF_ERROR(write_file(root / "pipelines" / (file_stem(p.id) + ".json"), pipeline_json(p)));
  return write_file(root / "import-report.json", report_json(data.report));
}

const Pipeline* ImportedLog::find_pipeline(std::string_view id) const noexcept {
  for (const auto& p : pipelines)
    if (p.pipeline.id() == id) return &p.pipeline;
  return nullptr;
}

Result<ImportedLog> to_event_log(const CanonicalExport& data, const analytics::CsvLoadOptions& options) {
  ImportedLog out;
  out.pipelines.reserve(data.pipelines.size());
  for (const auto& p : data.pipelines) {
    auto loaded = parse_pipeline_text(pipeline_json(p), "pipelines/" + file_stem(p.id) + ".json");
    if (!loaded) return loaded.status();
    out.pipelines.push_back(std::move(*loaded));
  }
  std::vector<const Pipeline*> pointers;
  for (const auto& p : out.pipelines) pointers.push_back(&p.pipeline);
  analytics::CsvLoadOptions opt = options;
  opt.default_pipeline = pointers.size() == 1 ? pointers.front() : nullptr;

  auto deals = analytics::load_deals_csv(to_csv(data.deals), "deals.csv", pointers, opt);
  if (!deals) return deals.status();
  DEALFLOW_RETURN_IF_ERROR(
      analytics::load_history_csv(to_csv(data.history), "history.csv", pointers, opt, *deals));
  if (!data.field_changes.rows.empty()) {
    DEALFLOW_RETURN_IF_ERROR(
        analytics::load_field_changes_csv(to_csv(data.field_changes), "field_changes.csv", opt, *deals));
  }
  out.loaded = std::move(*deals);
  return out;
}

}  // namespace dealflow::import
