// Duplicate keys in a plan document: a JSON object naming one key twice would
// silently keep the last value (nlohmann::json does), so a target written as
// {"target": 1, ..., "target": 2} is refused instead (plan_detail.h).
#include <set>
#include <string>
#include <vector>

#include "dealflow/io/json.h"
#include "planning/plan_detail.h"

namespace dealflow::planning::detail {
namespace {

// A SAX handler that tracks the JSON Pointer of the current value and stops
// at the first key an object already has.
class DuplicateKeys {
 public:
  using number_integer_t = Json::number_integer_t;
  using number_unsigned_t = Json::number_unsigned_t;
  using number_float_t = Json::number_float_t;
  using string_t = Json::string_t;
  using binary_t = Json::binary_t;

  bool null() { return value(); }
  bool boolean(bool) { return value(); }
  bool number_integer(number_integer_t) { return value(); }
  bool number_unsigned(number_unsigned_t) { return value(); }
  bool number_float(number_float_t, const string_t&) { return value(); }
  bool string(string_t&) { return value(); }
  bool binary(binary_t&) { return value(); }
  bool start_object(std::size_t) { return open(false); }
  bool start_array(std::size_t) { return open(true); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(string_t& k) {
    Frame& f = frames_.back();
    f.key = k;
    if (!f.keys.insert(k).second) {
      duplicate_ = path();
      return false;
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

  const std::optional<std::string>& duplicate() const { return duplicate_; }

 private:
  struct Frame {
    bool array = false;
    std::size_t index = 0;  // arrays: the element being read
    std::string key;        // objects: the member being read
    std::set<std::string> keys;
  };
  std::string path() const {
    std::string p;
    for (const Frame& f : frames_)
      p += "/" + (f.array ? std::to_string(f.index) : json_pointer_escape(f.key));
    return p;
  }
  // A scalar, or the end of an object or array, completes an element of its parent.
  bool value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
    return true;
  }
  bool open(bool array) {
    frames_.push_back({array, 0, {}, {}});
    return true;
  }
  bool close() {
    frames_.pop_back();
    return value();
  }
  std::vector<Frame> frames_;
  std::optional<std::string> duplicate_;
};

}  // namespace

Status find_duplicate_key(std::string_view text, const std::string& file) {
  DuplicateKeys handler;
  Json::sax_parse(text.begin(), text.end(), &handler);
  if (!handler.duplicate()) return Status::ok_status();
  const std::string& p = *handler.duplicate();
  return Status(ErrorCode::duplicate,
                "duplicate key '" + p.substr(p.rfind('/') + 1) + "': expected each key once per object",
                Location{file, 0, 0, p});
}

}  // namespace dealflow::planning::detail
