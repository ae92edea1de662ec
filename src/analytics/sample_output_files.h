// Internal: a set of output files written under temporary names and renamed
// into place only when all of them are complete, so a failure never leaves a
// half-written data set under the final names.
#pragma once

#include <cstdio>
#include <map>
#include <string>
#include <string_view>

#include "dealflow/core/status.h"

namespace dealflow::analytics::detail {

class OutputFiles {
 public:
  // io_error when `directory` cannot be created.
  static Result<OutputFiles> open(const std::string& directory);
  OutputFiles(OutputFiles&& other) noexcept;
  OutputFiles& operator=(OutputFiles&&) = delete;
  ~OutputFiles();  // removes the temporary files unless commit() succeeded

  // Appends to `name` (a relative path without folders), creating it on first use.
  Status write(std::string_view name, std::string_view chunk);
  // Closes every file and renames NAME.tmp to NAME.
  Status commit();

 private:
  explicit OutputFiles(std::string directory) : directory_(std::move(directory)) {}
  void discard() noexcept;

  std::string directory_;
  std::map<std::string, std::FILE*, std::less<>> files_;  // final name -> open .tmp file
  bool committed_ = false;
};

}  // namespace dealflow::analytics::detail
