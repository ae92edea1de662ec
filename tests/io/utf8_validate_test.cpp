// validate_utf8: every class of ill-formed sequence, located exactly, and a
// property test against a reference decoder written from the definition.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "dealflow/io/encoding.h"

namespace dealflow::io {
namespace {

// Reference: decode each sequence to its code point and reject what Unicode
// forbids (by value, not by byte ranges as the implementation does).
// Returns the offset of the first bad sequence, or npos.
std::size_t reference_first_invalid(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0)
      len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0)
      len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0)
      len = 4, cp = c & 0x07;
    else
      return i;
    if (i + static_cast<std::size_t>(len) > s.size()) return i;
    for (int k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((b & 0xC0) != 0x80) return i;
      cp = cp << 6 | (b & 0x3F);
    }
    const std::uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += static_cast<std::size_t>(len);
  }
  return std::string_view::npos;
}

std::string encode(std::uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

TEST(ValidateUtf8, BoundaryCharactersAreValid) {
  for (std::string_view ok :
       {"", "a", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80", "\xEF\xBF\xBF",
        "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF", "Иванов, Negociación, 😀"}) {
    EXPECT_TRUE(validate_utf8(ok, "t").ok()) << validate_utf8(ok, "t").to_string();
  }
}

TEST(ValidateUtf8, EachIllFormedClassIsNamed) {
  struct Case {
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"ab\x80",
       "invalid UTF-8 byte 0x80 at byte offset 2: a continuation byte where a character should start"},
      {"ab\xC0\xAF", "invalid UTF-8 byte 0xC0 at byte offset 2: an overlong encoding"},
      {"ab\xC1\xBF", "invalid UTF-8 byte 0xC1 at byte offset 2: an overlong encoding"},
      {"ab\xE0\x80\xAF", "invalid UTF-8 byte 0xE0 at byte offset 2: an overlong encoding"},
      {"ab\xF0\x80\x80\xAF", "invalid UTF-8 byte 0xF0 at byte offset 2: an overlong encoding"},
      {"ab\xED\xA0\x80",
       "invalid UTF-8 byte 0xED at byte offset 2: encodes a UTF-16 surrogate (U+D800..U+DFFF)"},
      {"ab\xF4\x90\x80\x80",
       "invalid UTF-8 byte 0xF4 at byte offset 2: encodes no character (above U+10FFFF)"},
      {"ab\xF5\x80\x80\x80",
       "invalid UTF-8 byte 0xF5 at byte offset 2: encodes no character (above U+10FFFF)"},
      {"ab\xFF", "invalid UTF-8 byte 0xFF at byte offset 2: encodes no character (above U+10FFFF)"},
      {"ab\xE2\x82",
       "invalid UTF-8 byte 0xE2 at byte offset 2: the text ends inside this multi-byte character"},
      {"ab\xF0\x9F\x98",
       "invalid UTF-8 byte 0xF0 at byte offset 2: the text ends inside this multi-byte character"},
      {"ab\xE2\x41\x41", "invalid UTF-8 byte 0xE2 at byte offset 2: not followed by the continuation bytes"},
      {"ab\xE2\x82\x41", "invalid UTF-8 byte 0xE2 at byte offset 2: not followed by the continuation bytes"},
      {std::string("ab\0c", 4), "NUL byte (0x00) at byte offset 2: text must not contain NUL"},
  };
  for (const Case& c : cases) {
    Status st = validate_utf8(c.text, "t.csv");
    ASSERT_FALSE(st.ok()) << c.message;
    EXPECT_EQ(st.code(), ErrorCode::parse_error);
    EXPECT_EQ(st.message().rfind(c.message, 0), 0u) << st.message();
    EXPECT_EQ(st.location().to_string(), "t.csv:1:3");
  }
}

TEST(ValidateUtf8, LocationCountsLinesAndCharacters) {
  // Line 3; "Пётр " is 5 characters (9 bytes) before the bad byte.
  const std::string text = "id\nx\nПётр \xE9";
  Status st = validate_utf8(text, "m.csv");
  EXPECT_EQ(st.location().to_string(), "m.csv:3:6");
  EXPECT_NE(st.message().find("at byte offset 14"), std::string::npos) << st.message();
}

TEST(ValidateUtf8, EveryOffsetAroundTheFastPathIsExact) {
  // The ASCII fast path takes 16 bytes at a time: a bad byte or NUL anywhere in
  // the first blocks must be found at its exact offset.
  for (std::size_t at = 0; at < 50; ++at) {
    for (char bad : {'\x80', '\0', '\xE9'}) {
      std::string text(50, 'a');
      text[at] = bad;
      Status st = validate_utf8(text, "f");
      ASSERT_FALSE(st.ok());
      EXPECT_NE(st.message().find("at byte offset " + std::to_string(at) + ":"), std::string::npos)
          << at << ": " << st.message();
      EXPECT_EQ(st.location().column, static_cast<int>(at) + 1);
    }
  }
}

TEST(ValidateUtf8, HintsNameTheLikelyEncoding) {
  EXPECT_NE(validate_utf8("\xFF\xFEi\0d\0", "f").message().find("--encoding utf-16"), std::string::npos);
  const std::string utf16_no_bom("i\0d\0,\0n\0a\0m\0e\0", 14);
  EXPECT_NE(validate_utf8(utf16_no_bom, "f")
                .message()
                .find("UTF-16 without a byte order mark: pass --encoding "
                      "utf-16le"),
            std::string::npos);
  EXPECT_NE(validate_utf8("1,\xC8\xE2\xE0\xED\xEE\xE2", "f").message().find("windows-1251"),
            std::string::npos);
  EXPECT_NE(validate_utf8("1,Negociaci\xF3n", "f").message().find("windows-1252"), std::string::npos);
}

TEST(ValidateUtf8, PropertyRandomCharactersAreValid) {
  std::mt19937 rng(20240508);
  std::uniform_int_distribution<std::uint32_t> any(1, 0x10FFFF);
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const int n = static_cast<int>(rng() % 60);
    for (int k = 0; k < n; ++k) {
      std::uint32_t cp = rng() % 3 == 0 ? any(rng) : 1 + rng() % 0x7F;  // mostly ASCII runs
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 'x';
      text += encode(cp);
    }
    EXPECT_TRUE(validate_utf8(text, "p").ok()) << validate_utf8(text, "p").to_string();
  }
}

TEST(ValidateUtf8, PropertyAgreesWithTheReferenceDecoderOnRandomBytes) {
  std::mt19937 rng(7);
  const unsigned char interesting[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
                                       0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE,
                                       0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int ascii_prefix = static_cast<int>(rng() % 40);
    text.append(static_cast<std::size_t>(ascii_prefix), 'q');
    const int n = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < n; ++k) text += static_cast<char>(interesting[rng() % sizeof interesting]);
    const std::size_t expected = reference_first_invalid(text);
    Status st = validate_utf8(text, "r");
    if (expected == std::string_view::npos) {
      EXPECT_TRUE(st.ok()) << st.to_string();
    } else {
      ASSERT_FALSE(st.ok());
      EXPECT_NE(st.message().find("at byte offset " + std::to_string(expected) + ":"), std::string::npos)
          << st.message();
    }
  }
}

}  // namespace
}  // namespace dealflow::io
