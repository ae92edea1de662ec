// dealflow/core/status.h: errors as values.
//
// `Status` carries an error code, a human-readable message and the location of
// the offending input (file, line/column or JSON path). `Result<T>` holds either
// a value or a non-ok Status. Loading, parsing and refused operations return
// these; only programming errors assert or throw.
//
// Thread-safety: plain value types; distinct objects may be used from distinct
// threads, a shared const object from many.
//
// Example:
//   dealflow::Result<Money> m = dealflow::Money::parse("1 234,56", Currency::of("RUB"));
//   if (!m) { std::cerr << m.status().to_string() << "\n"; return 1; }
//   use(*m);
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace dealflow {

enum class ErrorCode {
  ok = 0,
  invalid_argument,   // a value outside what the API accepts
  parse_error,        // text that is not in the expected format
  io_error,           // a file that cannot be read or written
  not_found,          // an id that names nothing
  duplicate,          // an id defined twice
  validation_failed,  // a well-formed config that breaks a rule
  currency_mismatch,  // arithmetic or comparison across currencies
  overflow,           // a result outside the representable range
  refused,            // an operation the model forbids (see the reason)
};

std::string_view to_string(ErrorCode code) noexcept;

// Where the offending input is. Every field is optional; to_string() prints the
// ones that are set, as "file:line:column" or "file: at /json/path".
struct Location {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based; 0 = unknown
  std::string json_path;  // JSON Pointer, e.g. "/stages/2/kind"

  bool empty() const noexcept { return file.empty() && line == 0 && json_path.empty(); }
  std::string to_string() const;
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(ErrorCode code, std::string message, Location where = {})
      : code_(code), message_(std::move(message)), location_(std::move(where)) {}

  static Status ok_status() { return {}; }

  bool ok() const noexcept { return code_ == ErrorCode::ok; }
  ErrorCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  const Location& location() const noexcept { return location_; }

  // Returns a copy whose location is filled in where this one has none.
  Status with_location(Location where) const;
  // Returns a copy whose message is prefixed with `context + ": "`.
  Status with_context(std::string_view context) const;

  // "file:line:column: message" (location omitted when unknown).
  std::string to_string() const;

 private:
  ErrorCode code_ = ErrorCode::ok;
  std::string message_;
  Location location_;
};

// A value or the reason there is none. Accessing the value of an error result
// is a programming error (asserts in debug builds).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status error) : status_(std::move(error)) {  // NOLINT
    assert(!status_.ok() && "Result built from an ok Status");
  }

  bool ok() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }

  // Ok when a value is held.
  const Status& status() const noexcept { return status_; }

  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  // Two members rather than a std::variant: GCC 12 reports false
  // -Wmaybe-uninitialized on variants holding strings at -O2.
  Status status_;
  std::optional<T> value_;
};

}  // namespace dealflow

// Propagates a non-ok Status from an expression returning Status.
#define DEALFLOW_RETURN_IF_ERROR(expr)               \
  do {                                               \
    ::dealflow::Status dealflow_status_ = (expr);    \
    if (!dealflow_status_.ok()) return dealflow_status_; \
  } while (0)
