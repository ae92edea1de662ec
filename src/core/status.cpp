#include "dealflow/core/status.h"

namespace dealflow {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::ok: return "ok";
    case ErrorCode::invalid_argument: return "invalid_argument";
    case ErrorCode::parse_error: return "parse_error";
    case ErrorCode::io_error: return "io_error";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::duplicate: return "duplicate";
    case ErrorCode::validation_failed: return "validation_failed";
    case ErrorCode::currency_mismatch: return "currency_mismatch";
    case ErrorCode::overflow: return "overflow";
    case ErrorCode::refused: return "refused";
  }
  return "unknown";
}

std::string Location::to_string() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  }
  if (!json_path.empty()) {
    if (!out.empty()) out += ": ";
    out += "at " + json_path;
  }
  return out;
}

Status Status::with_location(Location where) const {
  Status copy = *this;
  if (copy.location_.file.empty()) copy.location_.file = std::move(where.file);
  if (copy.location_.line == 0) {
    copy.location_.line = where.line;
    copy.location_.column = where.column;
  }
  if (copy.location_.json_path.empty()) copy.location_.json_path = std::move(where.json_path);
  return copy;
}

Status Status::with_context(std::string_view context) const {
  Status copy = *this;
  copy.message_ = std::string(context) + ": " + copy.message_;
  return copy;
}

std::string Status::to_string() const {
  if (ok()) return "ok";
  std::string where = location_.to_string();
  return where.empty() ? message_ : where + ": " + message_;
}

}  // namespace dealflow
