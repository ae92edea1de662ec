#include "report/json_read.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "dealflow/core/money.h"

namespace dealflow::report::detail {
namespace {

constexpr std::size_t kShownValueBytes = 40;

// The value as JSON text, cut (at a code point boundary) so a message stays one line.
std::string shown_value(const Json& node) {
  std::string text = dump_json(node, -1);
  if (text.size() <= kShownValueBytes) return text;
  std::size_t cut = kShownValueBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

bool is_decimal_text(std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') ++i;
  const std::size_t int_start = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == int_start) return false;
  if (i == text.size()) return true;
  if (text[i] != '.') return false;
  const std::size_t frac_start = ++i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  return i == text.size() && i > frac_start;
}

// Groups a run of ASCII digits by three with thin spaces.
std::string group_digits(std::string_view digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u2009";
    out += digits[i];
  }
  return out;
}

}  // namespace

Location JsonAt::location() const {
  return Location{std::string(document_), 0, 0, path_.empty() ? "/" : path_};
}

Status JsonAt::error(std::string message) const {
  return Status(ErrorCode::validation_failed, std::move(message), location());
}

Status JsonAt::expected(std::string_view what) const {
  return error("expected " + std::string(what) + ", got " + shown_value(*node_));
}

bool JsonAt::has(std::string_view key) const {
  if (!node_->is_object()) return false;
  auto it = node_->find(key);
  return it != node_->end() && !it->is_null();
}

JsonAt JsonAt::child(std::string_view key) const {
  return JsonAt(node_->find(key).value(), document_, path_ + "/" + json_pointer_escape(key));
}

Status JsonAt::missing(std::string_view key, std::string_view what) const {
  return Status(ErrorCode::validation_failed, "missing member: expected " + std::string(what),
                Location{std::string(document_), 0, 0, path_ + "/" + json_pointer_escape(key)});
}

Result<JsonAt> JsonAt::member(std::string_view key) const {
  if (!node_->is_object()) return expected("an object");
  if (node_->find(key) == node_->end()) return missing(key, "a value");
  return child(key);
}

Result<std::optional<JsonAt>> JsonAt::optional_member(std::string_view key) const {
  if (!node_->is_object()) return expected("an object");
  if (!has(key)) return std::optional<JsonAt>();
  return std::optional<JsonAt>(child(key));
}

Result<JsonAt> JsonAt::required(std::string_view key, std::string_view what) const {
  if (!node_->is_object()) return expected("an object");
  if (!has(key)) return missing(key, what);
  return child(key);
}

Result<JsonAt> JsonAt::at_path(std::string_view pointer) const {
  JsonAt at = *this;
  while (!pointer.empty()) {
    if (pointer.front() != '/') return error("bad JSON Pointer '" + std::string(pointer) + "'");
    pointer.remove_prefix(1);
    const std::size_t end = pointer.find('/');
    std::string token(pointer.substr(0, end));
    pointer = end == std::string_view::npos ? std::string_view() : pointer.substr(end);
    // Unescape "~1" -> "/" and "~0" -> "~" (in that order, RFC 6901).
    for (std::size_t p; (p = token.find("~1")) != std::string::npos;) token.replace(p, 2, "/");
    for (std::size_t p; (p = token.find("~0")) != std::string::npos;) token.replace(p, 2, "~");
    if (at.node_->is_array()) {
      std::size_t index = 0;
      auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (ec != std::errc() || ptr != token.data() + token.size() || token.empty()) {
        return at.error("expected an array index, got '" + token + "'");
      }
      if (index >= at.node_->size()) {
        return at.error("index " + token + " is past the end: expected at most " +
                        std::to_string(at.node_->size()) + " elements");
      }
      at = JsonAt((*at.node_)[index], document_, at.path_ + "/" + token);
    } else {
      auto next = at.member(token);
      if (!next) return next.status();
      at = *next;
    }
  }
  return at;
}

Result<JsonAt> JsonAt::object(std::string_view key) const {
  auto m = required(key, "an object");
  if (!m) return m;
  if (!m->node().is_object()) return m->expected("an object");
  return m;
}

Result<std::vector<JsonAt>> JsonAt::array(std::string_view key) const {
  auto m = required(key, "an array");
  if (!m) return m.status();
  return m->elements();
}

Result<std::string> JsonAt::string(std::string_view key) const {
  auto m = required(key, "a string");
  if (!m) return m.status();
  return m->as_string();
}

Result<double> JsonAt::number(std::string_view key) const {
  auto m = required(key, "a number");
  if (!m) return m.status();
  return m->as_number();
}

Result<std::int64_t> JsonAt::integer(std::string_view key) const {
  auto m = required(key, "an integer");
  if (!m) return m.status();
  return m->as_integer();
}

Result<Decimal> JsonAt::decimal(std::string_view key) const {
  auto m = required(key, "a decimal string");
  if (!m) return m.status();
  return m->as_decimal();
}

Result<MoneyText> JsonAt::money(std::string_view key) const {
  auto m = required(key, "a money object {\"amount\", \"currency\"}");
  if (!m) return m.status();
  return m->as_money();
}

Result<bool> JsonAt::boolean(std::string_view key) const {
  auto m = required(key, "true or false");
  if (!m) return m.status();
  if (!m->node().is_boolean()) return m->expected("true or false");
  return m->node().get<bool>();
}

Result<bool> JsonAt::optional_bool(std::string_view key, bool fallback) const {
  if (!node_->is_object()) return expected("an object");
  if (!has(key)) return fallback;
  return boolean(key);
}

Result<std::optional<double>> JsonAt::optional_number(std::string_view key) const {
  auto m = optional_member(key);
  if (!m) return m.status();
  if (!*m) return std::optional<double>();
  auto v = (*m)->as_number();
  if (!v) return v.status();
  return std::optional<double>(*v);
}

Result<std::optional<std::string>> JsonAt::optional_string(std::string_view key) const {
  auto m = optional_member(key);
  if (!m) return m.status();
  if (!*m) return std::optional<std::string>();
  auto v = (*m)->as_string();
  if (!v) return v.status();
  return std::optional<std::string>(std::move(*v));
}

Result<std::optional<MoneyText>> JsonAt::optional_money(std::string_view key) const {
  auto m = optional_member(key);
  if (!m) return m.status();
  if (!*m) return std::optional<MoneyText>();
  auto v = (*m)->as_money();
  if (!v) return v.status();
  return std::optional<MoneyText>(std::move(*v));
}

Result<std::vector<JsonAt>> JsonAt::elements() const {
  if (!node_->is_array()) return expected("an array");
  std::vector<JsonAt> out;
  out.reserve(node_->size());
  for (std::size_t i = 0; i < node_->size(); ++i) {
    out.emplace_back((*node_)[i], document_, path_ + "/" + std::to_string(i));
  }
  return out;
}

Result<std::string> JsonAt::as_string() const {
  if (!node_->is_string()) return expected("a string");
  return node_->get<std::string>();
}

Result<double> JsonAt::as_number() const {
  if (!node_->is_number()) return expected("a number");
  const double value = node_->get<double>();
  if (!std::isfinite(value)) return expected("a finite number");
  return value;
}

Result<std::int64_t> JsonAt::as_integer() const {
  if (node_->is_number_integer() && !node_->is_number_unsigned()) return node_->get<std::int64_t>();
  if (node_->is_number_unsigned() &&
      node_->get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return static_cast<std::int64_t>(node_->get<std::uint64_t>());
  }
  return expected("an integer (64-bit)");
}

Result<Decimal> JsonAt::as_decimal() const {
  if (!node_->is_string()) return expected("a decimal string");
  const auto& text = node_->get_ref<const std::string&>();
  if (!is_decimal_text(text)) return expected("a decimal string like \"-1234.56\"");
  Decimal out{text, 0};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out.value);
  if (ec != std::errc() || !std::isfinite(out.value)) return expected("a decimal string a double can hold");
  return out;
}

Result<MoneyText> JsonAt::as_money() const {
  if (!node_->is_object()) return expected("a money object {\"amount\", \"currency\"}");
  auto amount = decimal("amount");
  if (!amount) return amount.status();
  auto currency = string("currency");
  if (!currency) return currency.status();
  return MoneyText{std::move(*amount), std::move(*currency)};
}

std::string format_decimal(std::string_view text) {
  std::string out;
  if (!text.empty() && text.front() == '-') {
    out += "\u2212";  // the minus sign, as format_number writes it
    text.remove_prefix(1);
  }
  const std::size_t dot = text.find('.');
  out += group_digits(text.substr(0, dot));
  if (dot != std::string_view::npos) out += text.substr(dot);
  return out;
}

std::string format_minor_units(std::int64_t minor, int minor_digits) {
  const bool negative = minor < 0;
  // Through uint64 so that INT64_MIN has a magnitude.
  const std::uint64_t magnitude = negative ? static_cast<std::uint64_t>(0) - static_cast<std::uint64_t>(minor)
                                           : static_cast<std::uint64_t>(minor);
  std::string digits = std::to_string(magnitude);
  if (minor_digits > 0 && digits.size() <= static_cast<std::size_t>(minor_digits)) {
    digits.insert(0, static_cast<std::size_t>(minor_digits) + 1 - digits.size(), '0');
  }
  std::string text = negative ? "-" : "";
  if (minor_digits > 0) {
    const std::size_t split = digits.size() - static_cast<std::size_t>(minor_digits);
    text += digits.substr(0, split) + "." + digits.substr(split);
  } else {
    text += digits;
  }
  return format_decimal(text);
}

int minor_digits_of(std::string_view currency) {
  auto parsed = Currency::parse(currency);
  return parsed ? parsed->minor_digits() : 2;
}

}  // namespace dealflow::report::detail
