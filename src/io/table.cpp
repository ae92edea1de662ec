#include "dealflow/io/table.h"

#include <algorithm>
#include <cstdint>

namespace dealflow {
namespace {

bool is_combining(std::uint32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
         (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0x200B || cp == 0x200D;
}

bool is_wide(std::uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}

}  // namespace

std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = b;
    std::size_t len = 1;
    if (b >= 0xF0 && i + 3 < s.size()) {
      cp = ((b & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
      len = 4;
    } else if (b >= 0xE0 && i + 2 < s.size()) {
      cp = ((b & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
      len = 3;
    } else if (b >= 0xC0 && i + 1 < s.size()) {
      cp = ((b & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
      len = 2;
    }
    i += len;
    if (is_combining(cp)) continue;
    width += is_wide(cp) ? 2 : 1;
  }
  return width;
}

TableWriter::TableWriter(std::vector<std::string> header, std::vector<Align> align)
    : header_(std::move(header)), align_(std::move(align)) {
  align_.resize(header_.size(), Align::left);
  width_.resize(header_.size());
  for (std::size_t c = 0; c < header_.size(); ++c) width_[c] = display_width(header_[c]);
}

void TableWriter::measure(const std::vector<std::string>& cells) {
  for (std::size_t c = 0; c < cells.size() && c < width_.size(); ++c)
    width_[c] = std::max(width_[c], display_width(cells[c]));
}

void TableWriter::write_row(const std::vector<std::string>& cells, std::string& out) const {
  const std::size_t start = out.size();
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const std::size_t pad = width_[c] - display_width(cells[c]);
    if (c > 0) out += "  ";
    if (align_[c] == Align::right) out.append(pad, ' ');
    out += cells[c];
    if (align_[c] == Align::left && c + 1 < cells.size()) out.append(pad, ' ');
  }
  while (out.size() > start && out.back() == ' ') out.pop_back();
  out += '\n';
}

void TableWriter::write_header(std::string& out) const {
  write_row(header_, out);
  std::size_t total = 0;
  for (std::size_t c = 0; c < width_.size(); ++c) total += width_[c] + (c > 0 ? 2 : 0);
  out.append(total, '-');
  out += '\n';
}

TextTable::TextTable(std::vector<std::string> header, std::vector<Align> align)
    : header_(std::move(header)), align_(std::move(align)) {
  align_.resize(header_.size(), Align::left);
}

void TextTable::add_row(std::vector<std::string> cells) {
  cells.resize(header_.size());
  rows_.push_back(std::move(cells));
}

std::string TextTable::render() const {
  TableWriter writer(header_, align_);
  for (const auto& row : rows_) writer.measure(row);
  std::string out;
  writer.write_header(out);
  for (const auto& row : rows_) writer.write_row(row, out);
  return out;
}

}  // namespace dealflow
