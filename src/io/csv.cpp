#include "dealflow/io/csv.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "dealflow/io/encoding.h"
#include "dealflow/io/json.h"
#include "io/utf8_detail.h"

namespace dealflow {
namespace {

int utf8_columns(std::string_view s) {
  int n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Status csv_field_too_long(Location where) {
  return Status(ErrorCode::parse_error,
                "field is longer than " + std::to_string(kMaxCsvFieldBytes) +
                    " bytes (1 MiB): expected a field of at most " + std::to_string(kMaxCsvFieldBytes) +
                    " bytes (an unterminated quote, or not a CSV export?)",
                std::move(where));
}

CsvReader::CsvReader(std::unique_ptr<std::string> owned, io::MappedFile mapped, std::string file_name)
    : owned_(std::move(owned)),
      mapped_(std::move(mapped)),
      text_(owned_ ? std::string_view(*owned_) : mapped_.text()),
      file_(std::move(file_name)),
      text_status_(io::validate_utf8(text_, file_)) {
  if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = line_start_ = 3;
}

Result<CsvReader> CsvReader::open_file(const std::string& path) {
  // Mapped, not copied: a huge file costs address space, not heap.
  auto file = io::MappedFile::open(path);
  if (!file) return file.status();
  if (!file->mapped()) {
    // A buffer inside MappedFile moves with it (and a short one changes address).
    auto owned = std::make_unique<std::string>(file->text());
    return CsvReader(std::move(owned), io::MappedFile(), path);
  }
  return CsvReader(nullptr, std::move(*file), path);
}

CsvReader CsvReader::from_text(std::string text, std::string file_name) {
  return CsvReader(std::make_unique<std::string>(std::move(text)), io::MappedFile(), std::move(file_name));
}

Status CsvReader::read_header() {
  std::vector<std::string_view> fields;
  auto got = read_record(fields);
  if (!got) return got.status();
  if (!*got)
    return Status(ErrorCode::parse_error, "empty file: expected a header row", Location{file_, 1, 1, ""});
  header_.clear();
  std::unordered_set<std::string_view> names;  // O(1) duplicate check per column
  names.reserve(fields.size());
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string_view name = trim_spaces(fields[i]);
    if (name.empty()) return field_error(i, "empty column name in the header");
    if (!names.insert(name).second) {
      return field_error(i, "duplicate column '" + std::string(name) + "' in the header");
    }
  }
  for (const std::string_view field : fields) header_.emplace_back(trim_spaces(field));
  return {};
}

std::optional<std::size_t> CsvReader::column(std::string_view name) const {
  auto it = std::find(header_.begin(), header_.end(), name);
  if (it == header_.end()) return std::nullopt;
  return static_cast<std::size_t>(it - header_.begin());
}

Result<std::size_t> CsvReader::require_column(std::string_view name) const {
  if (auto c = column(name)) return *c;
  std::string have;
  for (const auto& h : header_) have += (have.empty() ? "" : ",") + h;
  return Status(ErrorCode::parse_error,
                "missing required column '" + std::string(name) + "' (header has: " + have + ")",
                Location{file_, 1, 1, ""});
}

Result<bool> CsvReader::next(std::vector<std::string_view>& fields) {
  while (true) {
    auto got = read_record(fields);
    if (!got || !*got) return got;
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    if (!header_.empty() && fields.size() != header_.size()) {
      return Status(ErrorCode::parse_error,
                    "expected " + std::to_string(header_.size()) + " fields as in the header, got " +
                        std::to_string(fields.size()),
                    Location{file_, record_line_, 1, ""});
    }
    return true;
  }
}

Result<bool> CsvReader::read_record(std::vector<std::string_view>& fields) {
  fields.clear();
  field_line_.clear();
  field_line_start_.clear();
  field_offset_.clear();
  scratch_.clear();
  if (!text_status_.ok()) return text_status_;
  if (pos_ >= text_.size()) return false;
  record_line_ = line_;
  std::vector<std::pair<std::size_t, std::size_t>> quoted;  // (field index, scratch index)
  const std::size_t n = text_.size();
  while (true) {
    field_line_.push_back(line_);
    field_line_start_.push_back(line_start_);
    field_offset_.push_back(pos_);
    if (pos_ < n && text_[pos_] == '"') {
      ++pos_;
      std::string value;
      while (true) {
        // Refused as soon as the value passes the limit, not after buffering the rest.
        if (value.size() > kMaxCsvFieldBytes) return csv_field_too_long(location(field_line_.size() - 1));
        if (pos_ >= n) {
          return Status(ErrorCode::parse_error, "unterminated quoted field",
                        location(field_line_.size() - 1));
        }
        const char c = text_[pos_];
        if (c == '"') {
          if (pos_ + 1 < n && text_[pos_ + 1] == '"') {
            value += '"';
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        if (c == '\n') {
          ++line_;
          line_start_ = pos_ + 1;
        }
        value += c;
        ++pos_;
      }
      if (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
        return Status(
            ErrorCode::parse_error, "unexpected text after a closing quote",
            Location{file_, line_, utf8_columns(text_.substr(line_start_, pos_ - line_start_)) + 1, ""});
      }
      quoted.emplace_back(fields.size(), scratch_.size());
      scratch_.push_back(std::move(value));
      fields.emplace_back();
    } else {
      const std::size_t start = pos_;
      while (pos_ < n && text_[pos_] != ',' && text_[pos_] != '\n' && text_[pos_] != '\r') {
        if (pos_ - start >= kMaxCsvFieldBytes) return csv_field_too_long(location(field_line_.size() - 1));
        ++pos_;
      }
      fields.emplace_back(text_.data() + start, pos_ - start);
    }
    if (pos_ < n && text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    // End of record.
    if (pos_ < n && text_[pos_] == '\r') {
      if (pos_ + 1 >= n || text_[pos_ + 1] != '\n') return io::detail::bare_cr_error(text_, pos_, file_);
      ++pos_;
    }
    if (pos_ < n && text_[pos_] == '\n') ++pos_;
    ++line_;
    line_start_ = pos_;
    break;
  }
  for (auto [field, index] : quoted) fields[field] = scratch_[index];
  return true;
}

Location CsvReader::location(std::size_t field) const {
  if (field >= field_line_.size()) return Location{file_, record_line_, 0, ""};
  const std::size_t start = field_line_start_[field];
  return Location{file_, field_line_[field],
                  utf8_columns(text_.substr(start, field_offset_[field] - start)) + 1, ""};
}

Status CsvReader::field_error(std::size_t field, std::string message) const {
  std::string prefix = field < header_.size() ? "column '" + header_[field] + "': " : "";
  return Status(ErrorCode::parse_error, prefix + std::move(message), location(field));
}

std::string csv_escape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace dealflow
