// Writing a sample data set to DIR/deals.csv and DIR/history.csv.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "dealflow/analytics/sample.h"

namespace dealflow::analytics {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

Status write_error(const std::string& path) {
  return Status(ErrorCode::io_error, "cannot write '" + path + "': " + std::strerror(errno));
}

}  // namespace

// Writes to DIR/*.csv.tmp and renames both when complete, so a failure never
// leaves a half-written data set under the final names.
Result<SampleSummary> write_sample_files(const SampleOptions& options, const std::string& directory) {
  DEALFLOW_RETURN_IF_ERROR(validate_sample_options(options));
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) {
    return Status(ErrorCode::io_error, "cannot create directory '" + directory + "': " + ec.message());
  }
  const std::string deals_path = (std::filesystem::path(directory) / "deals.csv").string();
  const std::string history_path = (std::filesystem::path(directory) / "history.csv").string();
  const std::string deals_tmp = deals_path + ".tmp", history_tmp = history_path + ".tmp";

  auto write_all = [&]() -> Result<SampleSummary> {
    File deals(std::fopen(deals_tmp.c_str(), "wb"));
    if (!deals) return write_error(deals_tmp);
    File history(std::fopen(history_tmp.c_str(), "wb"));
    if (!history) return write_error(history_tmp);
    auto sink_to = [](std::FILE* f, const std::string& path) {
      return [f, &path](std::string_view chunk) -> Status {
        if (std::fwrite(chunk.data(), 1, chunk.size(), f) != chunk.size()) return write_error(path);
        return {};
      };
    };
    auto summary =
        generate_sample(options, sink_to(deals.get(), deals_tmp), sink_to(history.get(), history_tmp));
    if (!summary) return summary.status();
    if (std::fclose(deals.release()) != 0) return write_error(deals_tmp);
    if (std::fclose(history.release()) != 0) return write_error(history_tmp);
    return summary;
  };

  auto summary = write_all();
  if (summary) {
    std::filesystem::rename(deals_tmp, deals_path, ec);
    if (!ec) std::filesystem::rename(history_tmp, history_path, ec);
    if (ec) summary = Status(ErrorCode::io_error, "cannot rename into '" + directory + "': " + ec.message());
  }
  if (!summary) {
    std::filesystem::remove(deals_tmp, ec);
    std::filesystem::remove(history_tmp, ec);
  }
  return summary;
}

}  // namespace dealflow::analytics
