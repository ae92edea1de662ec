// CSV reading per RFC 4180 with exact field locations.
#include "dealflow/io/csv.h"

#include <gtest/gtest.h>

namespace dealflow {
namespace {

std::vector<std::vector<std::string>> read_all(CsvReader& r) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string_view> f;
  while (true) {
    auto more = r.next(f);
    EXPECT_TRUE(more.ok()) << more.status().to_string();
    if (!more.ok() || !*more) break;
    rows.emplace_back(f.begin(), f.end());
  }
  return rows;
}

TEST(CsvReader, QuotingNewlinesCrlfAndBom) {
  auto r = CsvReader::from_text("\xEF\xBB\xBFid,name,note\r\n1,\"Иванов, Иван\",\"say \"\"hi\"\"\"\r\n\r\n2,Петрова,\"two\nlines\"\n3,,\n",
                                "t.csv");
  ASSERT_TRUE(r.read_header().ok());
  EXPECT_EQ(r.header(), (std::vector<std::string>{"id", "name", "note"}));
  auto rows = read_all(r);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "Иванов, Иван", "say \"hi\""}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "Петрова", "two\nlines"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"3", "", ""}));
}

TEST(CsvReader, FieldLocationsAreLineAndCharacterColumn) {
  auto r = CsvReader::from_text("id,region,amount\n1,Москва,100\n2,\"multi\nline\",x\n", "leads.csv");
  ASSERT_TRUE(r.read_header().ok());
  std::vector<std::string_view> f;
  ASSERT_TRUE(*r.next(f));
  EXPECT_EQ(r.line(), 2);
  EXPECT_EQ(r.location(2).column, 10);  // "1,Москва," is 9 characters
  Status st = r.field_error(2, "expected a number");
  EXPECT_EQ(st.to_string(), "leads.csv:2:10: column 'amount': expected a number");
  ASSERT_TRUE(*r.next(f));
  EXPECT_EQ(r.line(), 3);
  EXPECT_EQ(r.location(2).line, 4);
  EXPECT_EQ(r.location(2).column, 7);
}

TEST(CsvReader, Errors) {
  {
    auto r = CsvReader::from_text("", "e.csv");
    EXPECT_EQ(r.read_header().code(), ErrorCode::parse_error);
  }
  {
    auto r = CsvReader::from_text("a,b,a\n", "e.csv");
    Status st = r.read_header();
    EXPECT_NE(st.message().find("duplicate column 'a'"), std::string::npos);
    EXPECT_EQ(st.location().column, 5);
  }
  {
    auto r = CsvReader::from_text("a,b\n1,2,3\n", "e.csv");
    ASSERT_TRUE(r.read_header().ok());
    std::vector<std::string_view> f;
    auto more = r.next(f);
    ASSERT_FALSE(more.ok());
    EXPECT_EQ(more.status().to_string(), "e.csv:2:1: expected 2 fields as in the header, got 3");
  }
  {
    auto r = CsvReader::from_text("a,b\n1,\"open\n", "e.csv");
    ASSERT_TRUE(r.read_header().ok());
    std::vector<std::string_view> f;
    auto more = r.next(f);
    ASSERT_FALSE(more.ok());
    EXPECT_EQ(more.status().to_string(), "e.csv:2:3: unterminated quoted field");
  }
  {
    auto r = CsvReader::from_text("a,b\n\"x\"y,2\n", "e.csv");
    ASSERT_TRUE(r.read_header().ok());
    std::vector<std::string_view> f;
    EXPECT_FALSE(r.next(f).ok());
  }
  {
    auto r = CsvReader::from_text("id,x\n", "e.csv");
    ASSERT_TRUE(r.read_header().ok());
    auto col = r.require_column("created_at");
    ASSERT_FALSE(col.ok());
    EXPECT_EQ(col.status().to_string(), "e.csv:1:1: missing required column 'created_at' (header has: id,x)");
  }
  EXPECT_EQ(CsvReader::open_file("/nonexistent.csv").status().code(), ErrorCode::io_error);
}

TEST(CsvEscape, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_escape("plain"), "plain");
  EXPECT_EQ(csv_escape("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_escape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_escape("Москва"), "Москва");
}

}  // namespace
}  // namespace dealflow
