// src/report/json_read.h (private to the report module): checked accessors for
// the JSON documents the report's sections are drawn from.
//
// A JsonAt is a node of an input document together with the document's name
// and the node's JSON Pointer, so every error names both, the offending value
// and what was expected; Status::to_string() gives e.g.
//   "plan.json: at /rows/0/fact: expected a number, got \"12\""
//   "forecast.json: at /rows/0/distribution/p10: missing member: expected a decimal string"
// Nothing throws: a wrong type is an error value, never nlohmann's exception.
//
// Money comes in two shapes: decimal strings ("62413663.78", forecast and
// scorecard) and integer minor units (plan). Both are kept exact as text for
// the tables (format_decimal, format_minor_units) and as a double only for
// drawing.
//
// Ownership: a JsonAt refers to a document it does not own (keep it alive).
// Thread-safety: values; reentrant.
//
// Example:
//   dealflow::report::detail::JsonAt root(plan, "plan.json");
//   auto rows = root.array("rows");
//   if (!rows) return rows.status();
//   for (const auto& row : *rows) {
//     auto fact = row.integer("fact");  // error: "plan.json: at /rows/3/fact: ..."
//   }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/core/status.h"
#include "dealflow/io/json.h"

namespace dealflow::report::detail {

// An exact decimal number from a JSON string: the text as written (validated:
// optional '-', digits, optional '.' and digits) and its value for drawing.
struct Decimal {
  std::string text;
  double value = 0;
};

// A money object {"amount": "<decimal>", "currency": "RUB"}.
struct MoneyText {
  Decimal amount;
  std::string currency;
};

class JsonAt {
 public:
  JsonAt(const Json& node, std::string_view document, std::string path = "")
      : node_(&node), document_(document), path_(std::move(path)) {}

  const Json& node() const noexcept { return *node_; }
  const std::string& path() const noexcept { return path_; }  // "" is the root
  std::string_view document() const noexcept { return document_; }
  Location location() const;

  // "<expected>, got <the value, cut to 40 bytes>", located at this node.
  Status expected(std::string_view what) const;
  // Any message, located at this node.
  Status error(std::string message) const;

  bool is_null() const noexcept { return node_->is_null(); }
  // True when this is an object with member `key` that is not null.
  bool has(std::string_view key) const;

  // Member `key` of this object, of any type (null included); an error when
  // this is not an object or the member is absent.
  Result<JsonAt> member(std::string_view key) const;
  // Member `key` unless it is absent or null; an error when this is not an object.
  Result<std::optional<JsonAt>> optional_member(std::string_view key) const;
  // The node at a relative JSON Pointer ("/rows/0/fact"); errors name the
  // first step that is missing or of the wrong type.
  Result<JsonAt> at_path(std::string_view pointer) const;

  // Typed members (required: absent or null is "missing member: expected ...").
  Result<JsonAt> object(std::string_view key) const;
  Result<std::vector<JsonAt>> array(std::string_view key) const;
  Result<std::string> string(std::string_view key) const;
  Result<double> number(std::string_view key) const;  // finite
  Result<std::int64_t> integer(std::string_view key) const;
  Result<Decimal> decimal(std::string_view key) const;
  Result<MoneyText> money(std::string_view key) const;
  Result<bool> boolean(std::string_view key) const;
  // Nullable members: absent or null is nullopt, any other type an error.
  Result<std::optional<double>> optional_number(std::string_view key) const;
  Result<std::optional<std::string>> optional_string(std::string_view key) const;
  Result<std::optional<MoneyText>> optional_money(std::string_view key) const;
  Result<bool> optional_bool(std::string_view key, bool fallback) const;

  // This node as a value of the type.
  Result<std::vector<JsonAt>> elements() const;
  Result<std::string> as_string() const;
  Result<double> as_number() const;
  Result<std::int64_t> as_integer() const;
  Result<Decimal> as_decimal() const;
  Result<MoneyText> as_money() const;

 private:
  JsonAt child(std::string_view key) const;
  Status missing(std::string_view key, std::string_view what) const;
  // The member, or the error for an absent/null member expected as `what`.
  Result<JsonAt> required(std::string_view key, std::string_view what) const;

  const Json* node_;
  std::string_view document_;
  std::string path_;
};

// The exact decimal text written like format_number: integer digits grouped
// by thin spaces (U+2009), U+2212 for the minus: "-1234567.80" -> "−1 234 567.80".
std::string format_decimal(std::string_view text);
// Integer minor units as an exact decimal amount with `minor_digits`
// fraction digits, grouped like format_decimal: (123456, 2) -> "1 234.56".
std::string format_minor_units(std::int64_t minor, int minor_digits);
// The decimal digits of the currency's minor unit (ISO 4217; 2 when the code is not valid).
int minor_digits_of(std::string_view currency);

}  // namespace dealflow::report::detail

// `auto lhs = expr;` returning its Status from the enclosing function when it
// is an error (expr yields a Result): the sections read dozens of members.
#define DEALFLOW_REPORT_ASSIGN_OR_RETURN(lhs, expr) \
  auto lhs = (expr);                                \
  if (!lhs) return lhs.status()
