#include "dealflow/io/json.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <type_traits>

#include "dealflow/io/encoding.h"
#include "dealflow/io/mapped_file.h"

namespace dealflow {

Result<std::string> read_text_file(const std::string& path) {
  auto file = io::MappedFile::open(path);
  if (!file) return file.status();
  return std::string(file->text());
}

namespace {

// Builds the document like nlohmann's own DOM parser, but keeps where and why
// parsing stopped instead of throwing: nlohmann reports a number outside the
// range of a double (1e400) as out_of_range, which its parse() throws past
// every parse_error handler.
class LocatingSax {
 public:
  LocatingSax(Json& root, std::size_t max_array_elements)
      : dom_(root, /*allow_exceptions=*/false), max_elements_(max_array_elements) {}

  bool null() { return element() && dom_.null(); }
  bool boolean(bool v) { return element() && dom_.boolean(v); }
  bool number_integer(Json::number_integer_t v) { return element() && dom_.number_integer(v); }
  bool number_unsigned(Json::number_unsigned_t v) { return element() && dom_.number_unsigned(v); }
  bool number_float(Json::number_float_t v, const Json::string_t& s) {
    return element() && dom_.number_float(v, s);
  }
  bool string(Json::string_t& v) { return element() && dom_.string(v); }
  bool binary(Json::binary_t& v) { return element() && dom_.binary(v); }
  bool start_object(std::size_t n) { return element() && deeper(false) && dom_.start_object(n); }
  bool key(Json::string_t& k) {
    open_.back().key = k;
    return dom_.key(k);
  }
  bool end_object() {
    open_.pop_back();
    return dom_.end_object();
  }
  bool start_array(std::size_t n) { return element() && deeper(true) && dom_.start_array(n); }
  bool end_array() {
    open_.pop_back();
    return dom_.end_array();
  }
  // Parsing stopped because the document nests deeper than kMaxJsonDepth.
  bool too_deep() const { return too_deep_; }
  // Parsing stopped because an array has more than max_array_elements
  // elements; the JSON Pointer of that array.
  bool too_many() const { return too_many_; }
  const std::string& too_many_path() const { return too_many_path_; }

  template <class Exception>
  bool parse_error(std::size_t position, const std::string& last_token, const Exception& ex) {
    position_ = position;
    last_token_ = last_token;
    out_of_range_ = std::is_same_v<Exception, Json::out_of_range>;
    what_ = ex.what();
    return false;
  }

  std::size_t position() const { return position_; }
  const std::string& last_token() const { return last_token_; }
  bool out_of_range() const { return out_of_range_; }
  const std::string& what() const { return what_; }

 private:
  struct Open {
    bool array = false;
    std::size_t count = 0;  // elements of an array so far
    std::string key;        // the current member of an object
  };
  bool deeper(bool array) {
    if (open_.size() >= kMaxJsonDepth) {
      too_deep_ = true;
      return false;
    }
    open_.push_back(Open{array, 0, {}});
    return true;
  }
  // A value starts: one more element when it is inside an array.
  bool element() {
    if (open_.empty() || !open_.back().array) return true;
    if (++open_.back().count <= max_elements_) return true;
    too_many_ = true;
    for (std::size_t i = 0; i + 1 < open_.size(); ++i) {
      too_many_path_ +=
          "/" + (open_[i].array ? std::to_string(open_[i].count - 1) : json_pointer_escape(open_[i].key));
    }
    return false;
  }
  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  std::size_t max_elements_;
  std::vector<Open> open_;  // the arrays and objects open at the current position
  bool too_deep_ = false;
  bool too_many_ = false;
  std::string too_many_path_;
  std::size_t position_ = 0;
  std::string last_token_;
  bool out_of_range_ = false;
  std::string what_;
};

// Line and character column of byte `offset`.
Location text_location(std::string_view text, std::size_t offset, std::string_view file_name) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;  // count code points, not UTF-8 continuation bytes
    }
  }
  return Location{std::string(file_name), line, column, ""};
}

// Byte offset of the first '[' or '{' that opens level kMaxJsonDepth + 1
// (strings skipped), for the located error of a too deeply nested document.
std::size_t too_deep_offset(std::string_view text) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) return i;
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    }
  }
  return text.size();
}

}  // namespace

Result<Json> parse_json(std::string_view text, std::string_view file_name) {
  return parse_json(text, file_name, static_cast<std::size_t>(-1));
}

Result<Json> parse_json(std::string_view text, std::string_view file_name, std::size_t max_array_elements) {
  // JSON text is UTF-8 (RFC 8259): say which byte is not, rather than nlohmann's
  // message, which quotes the bad bytes themselves.
  DEALFLOW_RETURN_IF_ERROR(io::validate_utf8(text, file_name));
  Json root;
  LocatingSax sax(root, max_array_elements);
  if (Json::sax_parse(text.begin(), text.end(), &sax)) return root;
  if (sax.too_many()) {
    // Stopped before the rest of the array is built: memory stays bounded by the limit.
    return Status(
        ErrorCode::parse_error,
        "array with more than " + std::to_string(max_array_elements) + " elements: expected at most " +
            std::to_string(max_array_elements),
        Location{std::string(file_name), 0, 0, sax.too_many_path().empty() ? "/" : sax.too_many_path()});
  }
  if (sax.too_deep()) {
    // Refused before any recursive walk of the document (copy, dump) could
    // overflow the stack: no config or export nests anywhere near this deep.
    return Status(ErrorCode::parse_error,
                  "JSON nests deeper than " + std::to_string(kMaxJsonDepth) +
                      " levels of arrays and objects: expected at most " + std::to_string(kMaxJsonDepth),
                  text_location(text, too_deep_offset(text), file_name));
  }
  if (sax.out_of_range()) {
    // The position is just past the number; point at its first character.
    const std::size_t end = std::min(sax.position(), text.size());
    const std::size_t start = end - std::min(end, sax.last_token().size());
    return Status(ErrorCode::parse_error,
                  "number " + sax.last_token() +
                      " is out of range: expected a number a double can hold (magnitude at most "
                      "1.7976931348623157e308)",
                  text_location(text, start, file_name));
  }
  // The position is the 1-based offset just past the offending character.
  const std::size_t offset = sax.position() == 0 ? 0 : std::min<std::size_t>(sax.position() - 1, text.size());
  std::string what = sax.what();
  // Strip nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: " prefix.
  if (auto pos = what.find(": "); pos != std::string::npos && what.rfind("[json.exception", 0) == 0) {
    what = what.substr(pos + 2);
  }
  return Status(ErrorCode::parse_error, "malformed JSON: " + what, text_location(text, offset, file_name));
}

Result<Json> load_json_file(const std::string& path) {
  return load_json_file(path, static_cast<std::size_t>(-1));
}

Result<Json> load_json_file(const std::string& path, std::size_t max_array_elements) {
  auto file = io::MappedFile::open(path);  // parsed in place, not copied
  if (!file) return file.status();
  return parse_json(file->text(), path, max_array_elements);
}

std::string json_pointer_escape(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string dump_json(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

std::string_view json_type_name(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "object";
    case Json::value_t::array:
      return "array";
    case Json::value_t::string:
      return "string";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "number";
    default:
      return "value";
  }
}

std::string JsonReader::child_path(std::string_view key) const {
  return path_ + "/" + json_pointer_escape(key);
}

Status JsonReader::error(std::string message, ErrorCode code) const {
  return Status(code, std::move(message), location());
}

Status JsonReader::error_at(std::string_view key, std::string message, ErrorCode code) const {
  return Status(code, std::move(message), Location{file_, 0, 0, child_path(key)});
}

bool JsonReader::has(std::string_view key) const {
  return node_->is_object() && node_->find(key) != node_->end();
}

std::optional<JsonReader> JsonReader::get(std::string_view key) const {
  if (!node_->is_object()) return std::nullopt;
  auto it = node_->find(key);
  if (it == node_->end()) return std::nullopt;
  return JsonReader(*it, file_, child_path(key));
}

JsonReader JsonReader::at(std::size_t i) const {
  return JsonReader((*node_)[i], file_, path_ + "/" + std::to_string(i));
}

Status JsonReader::require_object() const {
  if (!node_->is_object()) {
    return error("expected an object, got " + std::string(json_type_name(*node_)));
  }
  return {};
}

Result<std::vector<JsonReader>> JsonReader::elements() const {
  if (!node_->is_array()) return error("expected an array, got " + std::string(json_type_name(*node_)));
  std::vector<JsonReader> out;
  out.reserve(node_->size());
  for (std::size_t i = 0; i < node_->size(); ++i) out.push_back(at(i));
  return out;
}

Result<std::vector<JsonReader>> JsonReader::array(std::string_view key, bool required) const {
  auto child = get(key);
  if (!child) {
    if (required) return error_at(key, "required array '" + std::string(key) + "' is missing");
    return std::vector<JsonReader>{};
  }
  return child->elements();
}

Result<std::string> JsonReader::as_string() const {
  if (!node_->is_string()) return error("expected a string, got " + std::string(json_type_name(*node_)));
  return node_->get<std::string>();
}

Result<std::string> JsonReader::required_string(std::string_view key) const {
  auto child = get(key);
  if (!child) return error_at(key, "required string '" + std::string(key) + "' is missing");
  auto s = child->as_string();
  if (s && s->empty()) return child->error("'" + std::string(key) + "' must not be empty");
  return s;
}

Result<std::string> JsonReader::optional_string(std::string_view key, std::string fallback) const {
  auto child = get(key);
  if (!child || child->node().is_null()) return fallback;
  return child->as_string();
}

Result<double> JsonReader::required_number(std::string_view key) const {
  auto child = get(key);
  if (!child) return error_at(key, "required number '" + std::string(key) + "' is missing");
  if (!child->node().is_number()) {
    return child->error("expected a number, got " + std::string(json_type_name(child->node())));
  }
  return child->node().get<double>();
}

Result<double> JsonReader::optional_number(std::string_view key, double fallback) const {
  if (!has(key) || node_->at(key).is_null()) return fallback;
  return required_number(key);
}

Result<std::int64_t> JsonReader::optional_integer(std::string_view key, std::int64_t fallback) const {
  auto child = get(key);
  if (!child || child->node().is_null()) return fallback;
  const Json& n = child->node();
  // is_number_integer() is also true for unsigned numbers, so test those first.
  if (n.is_number_unsigned()) {
    const std::uint64_t u = n.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return child->error("integer " + n.dump() + " is out of range: expected at most " +
                          std::to_string(std::numeric_limits<std::int64_t>::max()));
    }
    return static_cast<std::int64_t>(u);
  }
  if (n.is_number_integer()) return n.get<std::int64_t>();
  return child->error("expected an integer, got " +
                      (n.is_number() ? n.dump() : std::string(json_type_name(n))));
}

Result<bool> JsonReader::optional_bool(std::string_view key, bool fallback) const {
  auto child = get(key);
  if (!child || child->node().is_null()) return fallback;
  if (!child->node().is_boolean()) {
    return child->error("expected true or false, got " + std::string(json_type_name(child->node())));
  }
  return child->node().get<bool>();
}

Result<std::vector<std::string>> JsonReader::string_array(std::string_view key) const {
  auto items = array(key);
  if (!items) return items.status();
  std::vector<std::string> out;
  out.reserve(items->size());
  for (const JsonReader& item : *items) {
    auto s = item.as_string();
    if (!s) return s.status();
    out.push_back(std::move(*s));
  }
  return out;
}

Status JsonReader::reject_unknown_keys(std::initializer_list<std::string_view> allowed) const {
  if (!node_->is_object()) return {};
  for (auto it = node_->begin(); it != node_->end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return error_at(it.key(), "unknown key '" + it.key() + "' (expected one of: " + list + ")");
    }
  }
  return {};
}

}  // namespace dealflow
