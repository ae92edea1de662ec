// tests/fuzz/import_fixture.h: runs an importer on the files of one fuzz input
// (parts joined by kFileSeparator, written to the temporary folder as
// input<i>.json or input<i>.csv by their first byte), then to_event_log on
// what it imported.
#pragma once

#include <string>
#include <vector>

#include "dealflow/import/canonical.h"
#include "fuzz_support.h"

namespace dealflow::fuzz {

inline std::vector<std::string> write_parts(std::string_view input, std::size_t max_parts) {
  clear_temp();
  std::vector<std::string> paths;
  for (std::string_view part : split_files(input, max_parts)) {
    const auto first = part.find_first_not_of(" \t\r\n");
    const bool json = first != std::string_view::npos && (part[first] == '{' || part[first] == '[');
    paths.push_back(write_temp("input" + std::to_string(paths.size()) + (json ? ".json" : ".csv"), part));
  }
  return paths;
}

inline void check_import(const Result<import::CanonicalExport>& exported) {
  if (!exported) {
    check_error(exported.status());
    return;
  }
  auto log = import::to_event_log(*exported);
  if (!log) check_error(log.status());
}

}  // namespace dealflow::fuzz
