// dealflow/io/table.h: aligned text tables that handle Cyrillic and other UTF-8.
//
// Column widths are measured in terminal cells, not bytes: "Новая" is 5 cells
// wide (10 bytes), CJK ideographs are 2 cells, combining marks 0. Numbers are
// right-aligned by declaring the column so.
//
// Thread-safety: a TextTable is a plain value used by one thread at a time.
//
// Example:
//   dealflow::TextTable t({"stage", "reached"}, {dealflow::Align::left, dealflow::Align::right});
//   t.add_row({"Новая", "120"});
//   t.add_row({"Счёт на предоплату", "41"});
//   std::cout << t.render();
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dealflow {

enum class Align { left, right };

// Terminal cells needed to show a UTF-8 string (invalid bytes count 1 each).
std::size_t display_width(std::string_view utf8);

// A table written row by row without keeping the rows: every row is measured
// first (measure), then the header (write_header) and the same rows again
// (write_row) give the bytes TextTable::render gives. For tables too large to
// hold (one row per client); a row must have one cell per header column.
class TableWriter {
 public:
  explicit TableWriter(std::vector<std::string> header, std::vector<Align> align = {});
  void measure(const std::vector<std::string>& cells);
  // Header, then a rule of '-'.
  void write_header(std::string& out) const;
  void write_row(const std::vector<std::string>& cells, std::string& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<Align> align_;
  std::vector<std::size_t> width_;
};

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header, std::vector<Align> align = {});
  void add_row(std::vector<std::string> cells);
  // Header, a rule of '-', then the rows; columns separated by two spaces.
  std::string render() const;

 private:
  std::vector<std::string> header_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace dealflow
