// dealflow/io/json.h: reading JSON configs with precise error locations.
//
// `load_json_file` / `parse_json` wrap nlohmann::json so that a syntax error
// becomes a Status naming the file, line and column. `JsonReader` walks a
// parsed document while tracking the JSON Pointer path, so that every config
// loader reports "file: at /stages/2/kind: expected one of open|won|lost, got 'done'".
//
// Thread-safety: functions are reentrant; a JsonReader is a cheap value that
// refers to a document it does not own (keep the document alive).
//
// Example:
//   auto doc = dealflow::load_json_file("pipeline.json");
//   if (!doc) return doc.status();
//   dealflow::JsonReader root(*doc, "pipeline.json");
//   auto id = root.required_string("id");          // error names file and /id
//   for (auto stage : root.array("stages")) { ... }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "dealflow/core/status.h"

namespace dealflow {

using Json = nlohmann::json;

// Deepest nesting of arrays and objects parse_json accepts (docs/performance.md):
// a deeper document is a parse_error located at the bracket that opens level
// kMaxJsonDepth + 1, so no recursive walk of a parsed document can exhaust the stack.
inline constexpr std::size_t kMaxJsonDepth = 512;

// Parses text; syntax errors carry file, line and column. Nesting deeper than
// kMaxJsonDepth is refused.
Result<Json> parse_json(std::string_view text, std::string_view file_name);
// Also refuses an array with more than `max_array_elements` elements, as soon
// as the parser reaches element max_array_elements + 1 (so a loader with a
// documented maximum, like the routing rules, never builds a bigger document):
// a parse_error "array with more than N elements: expected at most N" located
// at the array's JSON Pointer.
Result<Json> parse_json(std::string_view text, std::string_view file_name, std::size_t max_array_elements);
// Reads and parses a file; io_error when it cannot be read.
Result<Json> load_json_file(const std::string& path);
Result<Json> load_json_file(const std::string& path, std::size_t max_array_elements);
// Reads a whole file into a string; io_error naming the path when it cannot.
Result<std::string> read_text_file(const std::string& path);

// Escapes a key for use in a JSON Pointer ("~" -> "~0", "/" -> "~1").
std::string json_pointer_escape(std::string_view key);

class JsonReader {
 public:
  JsonReader(const Json& node, std::string file, std::string path = "")
      : node_(&node), file_(std::move(file)), path_(std::move(path)) {}

  const Json& node() const noexcept { return *node_; }
  const std::string& path() const noexcept { return path_; }  // "" is the root
  const std::string& file() const noexcept { return file_; }
  Location location() const { return Location{file_, 0, 0, path_.empty() ? "/" : path_}; }
  // An error located at this node (or at its member `key`).
  Status error(std::string message, ErrorCode code = ErrorCode::validation_failed) const;
  Status error_at(std::string_view key, std::string message,
                  ErrorCode code = ErrorCode::validation_failed) const;

  bool is_object() const noexcept { return node_->is_object(); }
  bool has(std::string_view key) const;
  // Member `key`; nullopt when absent.
  std::optional<JsonReader> get(std::string_view key) const;
  // Element i of an array node.
  JsonReader at(std::size_t i) const;
  // Elements of array member `key` (empty when absent). Use require_array to
  // insist on presence and type.
  Result<std::vector<JsonReader>> array(std::string_view key, bool required = false) const;
  // Elements of this node, which must be an array.
  Result<std::vector<JsonReader>> elements() const;

  Status require_object() const;
  Result<std::string> required_string(std::string_view key) const;
  Result<std::string> optional_string(std::string_view key, std::string fallback) const;
  Result<double> optional_number(std::string_view key, double fallback) const;
  Result<double> required_number(std::string_view key) const;
  Result<std::int64_t> optional_integer(std::string_view key, std::int64_t fallback) const;
  Result<bool> optional_bool(std::string_view key, bool fallback) const;
  // A string array member (absent = empty).
  Result<std::vector<std::string>> string_array(std::string_view key) const;
  // This node as a string.
  Result<std::string> as_string() const;
  // Fails naming every member not in `allowed`, so typos are not ignored.
  Status reject_unknown_keys(std::initializer_list<std::string_view> allowed) const;

 private:
  std::string child_path(std::string_view key) const;
  const Json* node_;
  std::string file_;
  std::string path_;
};

// The document as text for output: like j.dump(indent), but a string that is
// not valid UTF-8 is written with U+FFFD in place of each bad byte instead of
// throwing nlohmann's type_error.316. Loaders validate their input, so this
// only guards output built from text that bypassed them.
std::string dump_json(const Json& j, int indent = 2);

// "string", "number", "object", ... for messages.
std::string_view json_type_name(const Json& j);

}  // namespace dealflow
