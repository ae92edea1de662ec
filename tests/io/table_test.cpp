// Aligned tables measure terminal cells, so Cyrillic lines up.
#include "dealflow/io/table.h"

#include <gtest/gtest.h>

namespace dealflow {
namespace {

TEST(DisplayWidth, CountsCellsNotBytes) {
  EXPECT_EQ(display_width("abc"), 3u);
  EXPECT_EQ(display_width("Новая"), 5u);
  EXPECT_EQ(display_width("Счёт"), 4u);
  EXPECT_EQ(display_width("е\xCC\x88"), 1u);  // e + combining diaeresis
  EXPECT_EQ(display_width("中文"), 4u);
}

TEST(TextTable, AlignsCyrillicColumns) {
  TextTable t({"stage", "reached"}, {Align::left, Align::right});
  t.add_row({"Новая", "120"});
  t.add_row({"Счёт на предоплату", "41"});
  EXPECT_EQ(t.render(),
            "stage               reached\n"
            "---------------------------\n"
            "Новая                   120\n"
            "Счёт на предоплату       41\n");
}

TEST(TableWriter, MeasuredRowsWrittenOneByOneGiveTheRenderedTable) {
  const std::vector<std::vector<std::string>> rows = {
      {"Новая", "120", ""}, {"Счёт на предоплату", "41", "x"}, {"中文", "7", ""}};
  TextTable t({"stage", "reached", "note"}, {Align::left, Align::right, Align::left});
  TableWriter w({"stage", "reached", "note"}, {Align::left, Align::right, Align::left});
  for (const auto& r : rows) {
    t.add_row(r);
    w.measure(r);
  }
  std::string out;
  w.write_header(out);
  for (const auto& r : rows) w.write_row(r, out);
  EXPECT_EQ(out, t.render());
  EXPECT_EQ(out,
            "stage               reached  note\n"
            "---------------------------------\n"
            "Новая                   120\n"  // trailing spaces of an empty last cell are cut
            "Счёт на предоплату       41  x\n"
            "中文                      7\n");
}

}  // namespace
}  // namespace dealflow
