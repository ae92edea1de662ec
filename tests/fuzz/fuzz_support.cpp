// tests/fuzz/fuzz_support.cpp: see fuzz_support.h.
#include "fuzz_support.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "dealflow/io/json.h"

namespace dealflow::fuzz {

namespace {

std::filesystem::path make_temp_dir() {
  std::error_code ec;
  auto base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  auto dir = base / ("dealflow-fuzz-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "fuzz: cannot create %s: %s\n", dir.c_str(), ec.message().c_str());
    std::abort();
  }
  return dir;
}

struct TempDir {
  std::filesystem::path path = make_temp_dir();
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

TempDir& temp_dir() {
  static TempDir dir;
  return dir;
}

}  // namespace

std::vector<std::string_view> split_files(std::string_view input, std::size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    const auto at = input.find(kFileSeparator);
    if (at == std::string_view::npos) break;
    parts.push_back(input.substr(0, at));
    input.remove_prefix(at + kFileSeparator.size());
  }
  parts.push_back(input);
  return parts;
}

std::string write_temp(std::string_view name, std::string_view content) {
  const auto path = temp_dir().path / std::string(name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
  return path.string();
}

void clear_temp() {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(temp_dir().path, ec)) {
    std::filesystem::remove_all(entry.path(), ec);
  }
}

std::string source_path(std::string_view relative) {
  return std::string(DEALFLOW_SOURCE_DIR) + "/" + std::string(relative);
}

std::string read_source_file(std::string_view relative) {
  return expect_fixture(read_text_file(source_path(relative)), relative);
}

void check_error(const Status& status) {
  // DEALFLOW_FUZZ_VERBOSE=1: print every error, to see what a seed reaches
  // (`fuzz_<target> seed-file` runs it once).
  static const bool verbose = std::getenv("DEALFLOW_FUZZ_VERBOSE") != nullptr;
  if (verbose && !status.ok()) std::fprintf(stderr, "fuzz: %s\n", status.to_string().c_str());
  if (!status.ok() && status.message().empty()) {
    std::fprintf(stderr, "fuzz: an error without a message: %s\n", status.to_string().c_str());
    std::abort();
  }
}

}  // namespace dealflow::fuzz
