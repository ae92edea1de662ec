// tests/fuzz/fuzz_support.h: what the libFuzzer targets of tests/fuzz/ share.
//
// The input of a target is the text of one file, or for loaders that read
// several files (importers, deals + history) several files joined by the
// separator line kFileSeparator ("\n=====\n"; the dictionaries list it).
// Loaders that only read paths get their files written to a temporary folder
// of this process (created on first use, removed at exit). Fixtures the
// targets keep fixed (a pipeline, a team, rules) are read once from the source
// tree (DEALFLOW_SOURCE_DIR); a missing fixture aborts the run at start-up.
//
// Thread-safety: none; libFuzzer runs one input at a time per process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/core/status.h"

namespace dealflow::fuzz {

inline constexpr std::string_view kFileSeparator = "\n=====\n";

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The parts of `input` between separators; at most `max_parts` (the last part
// keeps any further separators). Always at least one part.
std::vector<std::string_view> split_files(std::string_view input, std::size_t max_parts);

// Writes `content` to `name` inside this process's temporary folder (replacing
// an earlier file of that name) and returns the path.
std::string write_temp(std::string_view name, std::string_view content);
// Removes every file of the temporary folder (between inputs).
void clear_temp();

// A path inside the source tree, and the text of such a file (abort when unreadable).
std::string source_path(std::string_view relative);
std::string read_source_file(std::string_view relative);

// Aborts with the status when it is not ok: for fixtures, never for fuzzed input.
template <typename T>
T expect_fixture(Result<T> result, std::string_view what);

// Parses `text` as JSON and hands the root (a JsonReader) to `parse`; a syntax
// error is checked and dropped.
template <typename Parse>
void with_json(std::string_view text, std::string_view file_name, Parse parse);

// A failed Status must carry a message: every error names what is wrong. With
// DEALFLOW_FUZZ_VERBOSE set, every error is printed (to check what a seed reaches).
void check_error(const Status& status);

}  // namespace dealflow::fuzz

#include "fuzz_support_inl.h"
