// A strict UTF-8 decoder shared by the report's escaping and text measurement.
// Not API.
#pragma once

#include <cstddef>
#include <string_view>

namespace dealflow::report::utf8 {

struct Decoded {
  char32_t code_point = 0;
  std::size_t length = 1;  // bytes consumed (1 for an invalid byte)
  bool valid = false;
};

// The code point starting at `text[i]`. Overlong forms, surrogates, values past
// U+10FFFF, stray continuation bytes and truncated sequences are invalid and
// consume one byte (so each bad byte becomes one U+FFFD).
inline Decoded decode(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return {b0, 1, true};
  std::size_t n = 0;
  char32_t cp = 0, min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2, cp = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3, cp = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return {};
  }
  if (i + n > text.size()) return {};
  for (std::size_t k = 1; k < n; ++k) {
    const unsigned char b = byte(i + k);
    if ((b & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  return {cp, n, true};
}

}  // namespace dealflow::report::utf8
