// Writing a sample data set to DIR/deals.csv, DIR/history.csv and
// DIR/field_changes.csv, and the output file set of the export writers.
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "analytics/sample_output_files.h"
#include "dealflow/analytics/sample.h"

namespace dealflow::analytics {
namespace detail {
namespace {

Status write_error(const std::string& path) {
  return Status(ErrorCode::io_error, "cannot write '" + path + "': " + std::strerror(errno));
}

std::string path_of(const std::string& directory, std::string_view name) {
  return (std::filesystem::path(directory) / std::string(name)).string();
}

}  // namespace

Result<OutputFiles> OutputFiles::open(const std::string& directory) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return Status(ErrorCode::io_error, "cannot create directory '" + directory + "': " + ec.message());
  return OutputFiles(directory);
}

OutputFiles::OutputFiles(OutputFiles&& other) noexcept
    : directory_(std::move(other.directory_)), files_(std::move(other.files_)), committed_(other.committed_) {
  other.files_.clear();
  other.committed_ = true;
}

OutputFiles::~OutputFiles() {
  if (!committed_) discard();
}

void OutputFiles::discard() noexcept {
  std::error_code ec;
  for (auto& [name, file] : files_) {
    if (file != nullptr) std::fclose(file);
    std::filesystem::remove(path_of(directory_, name) + ".tmp", ec);
  }
  files_.clear();
}

Status OutputFiles::write(std::string_view name, std::string_view chunk) {
  auto it = files_.find(name);
  if (it == files_.end()) {
    const std::string tmp = path_of(directory_, name) + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) return write_error(tmp);
    it = files_.emplace(std::string(name), f).first;
  }
  if (chunk.empty()) return {};  // fwrite of a null pointer is undefined even for 0 bytes
  if (std::fwrite(chunk.data(), 1, chunk.size(), it->second) != chunk.size())
    return write_error(path_of(directory_, name) + ".tmp");
  return {};
}

Status OutputFiles::commit() {
  for (auto& [name, file] : files_) {
    const int rc = std::fclose(file);
    file = nullptr;
    if (rc != 0) return write_error(path_of(directory_, name) + ".tmp");
  }
  std::error_code ec;
  for (auto& [name, file] : files_) {
    const std::string path = path_of(directory_, name);
    std::filesystem::rename(path + ".tmp", path, ec);
    if (ec) return Status(ErrorCode::io_error, "cannot rename into '" + directory_ + "': " + ec.message());
  }
  committed_ = true;
  return {};
}

}  // namespace detail

Result<SampleSummary> write_sample_files(const SampleOptions& options, const std::string& directory) {
  DEALFLOW_RETURN_IF_ERROR(validate_sample_options(options));
  auto files = detail::OutputFiles::open(directory);
  if (!files) return files.status();
  auto to = [&files](std::string_view name) {
    return [&files, name](std::string_view chunk) { return files->write(name, chunk); };
  };
  // Every file exists even when a sink never receives a chunk.
  for (std::string_view name : {"deals.csv", "history.csv", "field_changes.csv"})
    DEALFLOW_RETURN_IF_ERROR(files->write(name, {}));
  auto summary = generate_sample(options, to("deals.csv"), to("history.csv"), to("field_changes.csv"));
  if (!summary) return summary.status();
  DEALFLOW_RETURN_IF_ERROR(files->commit());
  return summary;
}

}  // namespace dealflow::analytics
