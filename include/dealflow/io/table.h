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
