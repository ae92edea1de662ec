// Encodings: names, BOM detection, conversion with iconv and located errors.
#include "dealflow/io/encoding.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <initializer_list>

namespace dealflow::io {
namespace {

std::string message_of(const Result<DecodedText>& r) {
  return r.ok() ? "" : r.status().message();
}

// UTF-16LE bytes of the code units, after a byte order mark when `bom`.
std::string utf16le(std::initializer_list<std::uint16_t> units, bool bom = true) {
  std::string out = bom ? "\xFF\xFE" : "";
  for (std::uint16_t u : units) {
    out += static_cast<char>(u & 0xFF);
    out += static_cast<char>(u >> 8);
  }
  return out;
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(ParseEncoding, NamesAndAliasesCaseInsensitive) {
  EXPECT_EQ(*parse_encoding("auto"), Encoding::auto_detect);
  EXPECT_EQ(*parse_encoding("UTF-8"), Encoding::utf8);
  EXPECT_EQ(*parse_encoding("utf8"), Encoding::utf8);
  EXPECT_EQ(*parse_encoding("utf-16"), Encoding::utf16le);
  EXPECT_EQ(*parse_encoding("UTF-16LE"), Encoding::utf16le);
  EXPECT_EQ(*parse_encoding("utf-16be"), Encoding::utf16be);
  EXPECT_EQ(*parse_encoding("windows-1251"), Encoding::windows1251);
  EXPECT_EQ(*parse_encoding("CP1251"), Encoding::windows1251);
  EXPECT_EQ(*parse_encoding("Windows-1252"), Encoding::windows1252);
  EXPECT_EQ(*parse_encoding("cp1252"), Encoding::windows1252);
  EXPECT_EQ(*parse_encoding("latin-1"), Encoding::windows1252);
  for (Encoding e : {Encoding::auto_detect, Encoding::utf8, Encoding::utf16le, Encoding::utf16be,
                     Encoding::windows1251, Encoding::windows1252}) {
    EXPECT_EQ(*parse_encoding(to_string(e)), e) << to_string(e);
  }
}

TEST(ParseEncoding, UnknownNameListsTheAcceptedOnes) {
  for (std::string_view bad : {"koi8-r", "", "utf-32", "windows-1250"}) {
    auto e = parse_encoding(bad);
    ASSERT_FALSE(e.ok()) << bad;
    EXPECT_EQ(e.status().code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.status().message(),
              "unknown encoding '" + std::string(bad) +
                  "': expected one of auto, utf-8, utf-16, utf-16le, utf-16be, windows-1251 "
                  "(cp1251), windows-1252 (cp1252, latin-1)");
  }
}

TEST(DecodeToUtf8, Windows1251Cyrillic) {
  // "менеджер,Иванов\n" in Windows-1251.
  const std::string bytes = "\xEC\xE5\xED\xE5\xE4\xE6\xE5\xF0,\xC8\xE2\xE0\xED\xEE\xE2\n";
  for (Encoding given : {Encoding::windows1251, Encoding::auto_detect}) {
    auto r = decode_to_utf8(bytes, given, "deals.csv", Encoding::windows1251);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    EXPECT_EQ(r->text, "менеджер,Иванов\n");
    EXPECT_EQ(r->used, Encoding::windows1251);
    EXPECT_FALSE(r->had_bom);
  }
  // 0x98 is the one byte Windows-1251 leaves undefined.
  auto bad = decode_to_utf8("id\n\xC8\x98\xE0", Encoding::windows1251, "deals.csv");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().to_string(),
            "deals.csv:2:2: byte 0x98 at byte offset 4 is not defined in Windows-1251 (the file may be in "
            "another encoding: try --encoding windows-1252)");
  // "\xC8\x98" alone is valid UTF-8 (U+0218): the hint says so.
  auto utf8 = decode_to_utf8("id\n\xC8\x98", Encoding::windows1251, "deals.csv");
  ASSERT_FALSE(utf8.ok());
  EXPECT_TRUE(contains(utf8.status().message(), "(the file is valid UTF-8: pass --encoding utf-8 or auto)"));
}

TEST(DecodeToUtf8, Windows1252AccentsAndEuro) {
  const std::string bytes = "stage,amount\nNegociaci\xF3n,\x80 5\n";
  auto r = decode_to_utf8(bytes, Encoding::windows1252, "Opportunity.csv");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->text, "stage,amount\nNegociación,€ 5\n");
  // Auto: not valid UTF-8, so read as the fallback (Windows-1252 by default).
  auto a = decode_to_utf8(bytes, Encoding::auto_detect, "Opportunity.csv");
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  EXPECT_EQ(a->text, r->text);
  EXPECT_EQ(a->used, Encoding::windows1252);
}

TEST(DecodeToUtf8, Windows1252UndefinedBytesAreLocatedErrors) {
  // 0x81, 0x8D, 0x8F, 0x90 and 0x9D are undefined (WHATWG maps them to C1 controls; we refuse).
  for (unsigned char b : {0x81, 0x8D, 0x8F, 0x90, 0x9D}) {
    const std::string bytes = std::string("id,name\n7,Jos") + static_cast<char>(b) + "\n";
    auto r = decode_to_utf8(bytes, Encoding::windows1252, "o.csv");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::parse_error);
    EXPECT_EQ(r.status().location().line, 2);
    EXPECT_EQ(r.status().location().column, 6);
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", b);
    EXPECT_EQ(r.status().message(),
              std::string("byte ") + hex +
                  " at byte offset 13 is not defined in Windows-1252 (the file may be in "
                  "another encoding: try --encoding windows-1251)");
  }
}

TEST(DecodeToUtf8, ValidUtf8StaysUtf8InAutoMode) {
  auto r = decode_to_utf8("id,name\n1,Иванов\n", Encoding::auto_detect, "d.csv", Encoding::windows1251);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->used, Encoding::utf8);
  EXPECT_EQ(r->text, "id,name\n1,Иванов\n");
}

TEST(DecodeToUtf8, Utf8BomIsRemoved) {
  for (Encoding given : {Encoding::auto_detect, Encoding::utf8}) {
    auto r = decode_to_utf8("\xEF\xBB\xBFid\n1\n", given, "d.csv");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->text, "id\n1\n");
    EXPECT_EQ(r->used, Encoding::utf8);
    EXPECT_TRUE(r->had_bom);
  }
}

TEST(DecodeToUtf8, Utf16LittleAndBigEndianWithBom) {
  // "id,Я\n😀" : Я = U+042F, 😀 = U+1F600 = D83D DE00.
  const std::string le = utf16le({'i', 'd', ',', 0x042F, '\n', 0xD83D, 0xDE00});
  const std::string be("\xFE\xFF\0i\0d\0,\x04\x2F\0\n\xD8\x3D\xDE\x00", 16);
  for (const auto& [bytes, endian] : {std::pair{le, Encoding::utf16le}, std::pair{be, Encoding::utf16be}}) {
    // auto, and both explicit UTF-16 names: the byte order mark decides.
    for (Encoding given : {Encoding::auto_detect, Encoding::utf16le, Encoding::utf16be}) {
      auto r = decode_to_utf8(bytes, given, "u16.csv");
      ASSERT_TRUE(r.ok()) << r.status().to_string();
      EXPECT_EQ(r->text, "id,Я\n😀");
      EXPECT_EQ(r->used, endian);
      EXPECT_TRUE(r->had_bom);
    }
  }
  // Without a BOM the name decides.
  auto r = decode_to_utf8(utf16le({'a', '\n', 'b'}, false), Encoding::utf16le, "u16.csv");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->text, "a\nb");
  EXPECT_FALSE(r->had_bom);
}

TEST(DecodeToUtf8, Utf16Errors) {
  // A lone low surrogate on line 2, column 2 (after "a\n" and "b"): byte offset 2 + 6.
  auto lone = decode_to_utf8(utf16le({'a', '\n', 'b', 0xDC00}), Encoding::utf16le, "u.csv");
  ASSERT_FALSE(lone.ok());
  EXPECT_EQ(lone.status().to_string(),
            "u.csv:2:2: invalid UTF-16LE code unit 0xDC00 at byte offset 8: an unpaired surrogate (expected "
            "UTF-16LE; if the bytes are in the other order, pass --encoding utf-16be)");
  // An odd number of bytes.
  auto odd = decode_to_utf8(utf16le({'a'}) + "b", Encoding::utf16le, "u.csv");
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.status().location().line, 1);
  EXPECT_EQ(odd.status().location().column, 2);
  EXPECT_TRUE(contains(odd.status().message(), "truncated UTF-16LE at byte offset 4")) << message_of(odd);
  // A NUL character (code unit 0x0000).
  auto nul = decode_to_utf8(utf16le({'a', 0}), Encoding::utf16le, "u.csv");
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.status().location().column, 2);
  EXPECT_TRUE(contains(nul.status().message(), "NUL character at byte offset 4 of UTF-16LE text"));
}

TEST(DecodeToUtf8, BomContradictingTheGivenEncodingIsAnError) {
  auto r = decode_to_utf8("\xEF\xBB\xBFid\n", Encoding::windows1251, "d.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.status().to_string(),
      "d.csv:1:1: the file starts with a UTF-8 byte order mark, but its encoding was given as Windows-1251 "
      "(pass --encoding utf-8 or auto)");
  auto u = decode_to_utf8(utf16le({'i'}), Encoding::utf8, "d.csv");
  ASSERT_FALSE(u.ok());
  EXPECT_TRUE(contains(u.status().message(), "UTF-16LE byte order mark")) << message_of(u);
}

TEST(DecodeToUtf8, InvalidUtf8IsLocatedInTheOriginalFile) {
  // "id,name\n" is 8 bytes; "1,Caf" 5 more: the 0xE9 is at byte offset 13, line 2, column 6.
  auto r = decode_to_utf8("id,name\n1,Caf\xE9\n", Encoding::utf8, "deals.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.status().to_string(),
      "deals.csv:2:6: invalid UTF-8 byte 0xE9 at byte offset 13: not followed by the continuation bytes it "
      "needs (expected UTF-8; the bytes look like Windows-1252 (Western European): pass --encoding "
      "windows-1252 to dealflow import, or convert the file with iconv -f WINDOWS-1252 -t UTF-8)");
  // With a BOM and multi-byte characters before it: columns count characters, offsets bytes.
  auto b = decode_to_utf8("\xEF\xBB\xBFЯЯ\xC8\xE2", Encoding::utf8, "deals.csv");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().location().line, 1);
  EXPECT_EQ(b.status().location().column, 3);
  EXPECT_TRUE(contains(b.status().message(), "byte 0xC8 at byte offset 7")) << message_of(b);
  EXPECT_TRUE(contains(b.status().message(), "look like Windows-1251")) << message_of(b);
}

TEST(DecodeToUtf8, FallbackUtf8OrAutoMeansUtf8Only) {
  for (Encoding fallback : {Encoding::utf8, Encoding::auto_detect}) {
    auto r = decode_to_utf8("a\xE9", Encoding::auto_detect, "x.csv", fallback);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(contains(r.status().message(), "invalid UTF-8 byte 0xE9 at byte offset 1"));
  }
  // A NUL byte never falls back (it is an error in every encoding).
  auto n = decode_to_utf8(std::string("ab\0c", 4), Encoding::auto_detect, "x.csv");
  ASSERT_FALSE(n.ok());
  EXPECT_TRUE(contains(n.status().message(), "NUL byte (0x00) at byte offset 2")) << message_of(n);
  auto w = decode_to_utf8(std::string("a\nb\0", 4), Encoding::windows1252, "x.csv");
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().location().line, 2);
  EXPECT_EQ(w.status().location().column, 2);
}

TEST(ReadTextFileUtf8, ReadsAndDecodesOrNamesThePath) {
  const std::string path = std::string(DEALFLOW_TEST_TMP) + "/encoding_1251.csv";
  std::ofstream(path, std::ios::binary) << "id,manager\n1,\xCF\xE5\xF2\xF0\xEE\xE2\n";
  auto r = read_text_file_utf8(path, Encoding::auto_detect, Encoding::windows1251);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->text, "id,manager\n1,Петров\n");
  auto missing = read_text_file_utf8(path + ".missing", Encoding::auto_detect);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::io_error);
  EXPECT_EQ(missing.status().location().file, path + ".missing");
}

}  // namespace
}  // namespace dealflow::io
