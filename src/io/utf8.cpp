// UTF-8 validation with located errors (io::validate_utf8) and the scanner it
// shares with io::decode_to_utf8.
#include <algorithm>
#include <cstdint>
#include <cstring>

#include <simdjson.h>

#include "dealflow/io/encoding.h"
#include "io/utf8_detail.h"

namespace dealflow::io {
namespace detail {
namespace {

constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
constexpr std::uint64_t kLowBits = 0x0101010101010101ULL;

// True when one of the 8 bytes is 0x00 (exact for words without high bits).
constexpr bool has_zero_byte(std::uint64_t w) noexcept {
  return ((w - kLowBits) & ~w & kHighBits) != 0;
}

bool starts_with_bom(std::string_view text) noexcept {
  return text.substr(0, 3) == "\xEF\xBB\xBF";
}

}  // namespace

Utf8Scan scan_utf8(std::string_view text) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // Fast path: 16 ASCII bytes, none of them NUL.
    while (i + 16 <= n) {
      std::uint64_t a = 0;
      std::uint64_t b = 0;
      std::memcpy(&a, p + i, 8);
      std::memcpy(&b, p + i + 8, 8);
      if (((a | b) & kHighBits) != 0 || has_zero_byte(a) || has_zero_byte(b)) break;
      i += 16;
    }
    if (i >= n) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      if (c == 0) return {Utf8Problem::nul, i};
      ++i;
      continue;
    }
    // Unicode 15, table 3-7: the well-formed byte sequences.
    std::size_t need = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    Utf8Problem below = Utf8Problem::missing_continuation;  // second byte < lo
    Utf8Problem above = Utf8Problem::missing_continuation;  // second byte > hi
    if (c < 0xC0) return {Utf8Problem::stray_continuation, i};
    if (c < 0xC2) return {Utf8Problem::overlong, i};
    if (c < 0xE0) {
      need = 1;
    } else if (c < 0xF0) {
      need = 2;
      if (c == 0xE0) lo = 0xA0, below = Utf8Problem::overlong;
      if (c == 0xED) hi = 0x9F, above = Utf8Problem::surrogate;
    } else if (c < 0xF5) {
      need = 3;
      if (c == 0xF0) lo = 0x90, below = Utf8Problem::overlong;
      if (c == 0xF4) hi = 0x8F, above = Utf8Problem::too_large;
    } else {
      return {Utf8Problem::too_large, i};
    }
    for (std::size_t k = 1; k <= need; ++k) {
      if (i + k >= n) return {Utf8Problem::truncated, i};
      const unsigned char b = p[i + k];
      if (k == 1) {
        if (b < lo) return {b >= 0x80 ? below : Utf8Problem::missing_continuation, i};
        if (b > hi) return {b <= 0xBF ? above : Utf8Problem::missing_continuation, i};
      } else if ((b & 0xC0) != 0x80) {
        return {Utf8Problem::missing_continuation, i};
      }
    }
    i += need + 1;
  }
  return {};
}

Location utf8_location(std::string_view text, std::size_t offset, std::string_view file_name) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  std::size_t line_start = before.rfind('\n');
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  if (line_start == 0 && starts_with_bom(text) && offset >= 3) line_start = 3;
  int column = 1;
  for (std::size_t i = line_start; i < offset; ++i)
    column += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  return Location{std::string(file_name), static_cast<int>(line), column, ""};
}

Location single_byte_location(std::string_view bytes, std::size_t offset, std::string_view file_name) {
  offset = std::min(offset, bytes.size());
  const std::string_view before = bytes.substr(0, offset);
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const std::size_t nl = before.rfind('\n');
  const std::size_t line_start = nl == std::string_view::npos ? 0 : nl + 1;
  return Location{std::string(file_name), static_cast<int>(line), static_cast<int>(offset - line_start) + 1,
                  ""};
}

std::string hex_byte(unsigned char byte) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  return std::string("0x") + kDigits[byte >> 4] + kDigits[byte & 0xF];
}

std::string encoding_hint(std::string_view bytes, std::size_t offset) {
  if (bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF") {
    return "the file starts with a UTF-16 byte order mark: it is UTF-16 text; pass --encoding utf-16 to "
           "dealflow import, or convert it with iconv -f UTF-16 -t UTF-8";
  }
  // Plain text holds no NUL; UTF-16 without a BOM has one in most pairs of bytes.
  const std::string_view head = bytes.substr(0, 256);
  const auto nuls = std::count(head.begin(), head.end(), '\0');
  if (nuls * 4 >= static_cast<std::ptrdiff_t>(head.size())) {
    const bool le = head.size() >= 2 && head[1] == '\0';
    return std::string(
               "NUL bytes between the characters suggest UTF-16 without a byte order mark: pass "
               "--encoding ") +
           (le ? "utf-16le" : "utf-16be") + " to dealflow import, or convert it with iconv -f " +
           (le ? "UTF-16LE" : "UTF-16BE") + " -t UTF-8";
  }
  if (offset >= bytes.size() || static_cast<unsigned char>(bytes[offset]) == 0) {
    return "a NUL byte is not text: check that this is the right file";
  }
  // Cyrillic words in Windows-1251 are runs of letters 0xC0..0xFF; the accented
  // letters of Western European text in Windows-1252 mostly stand alone.
  auto letter_1251 = [&](std::size_t i) {
    return i < bytes.size() && static_cast<unsigned char>(bytes[i]) >= 0xC0;
  };
  const bool cyrillic =
      letter_1251(offset) && (letter_1251(offset + 1) || (offset > 0 && letter_1251(offset - 1)));
  return cyrillic ? "the bytes look like Windows-1251 (Cyrillic): pass --encoding windows-1251 to dealflow "
                    "import, "
                    "or convert the file with iconv -f WINDOWS-1251 -t UTF-8"
                  : "the bytes look like Windows-1252 (Western European): pass --encoding windows-1252 to "
                    "dealflow "
                    "import, or convert the file with iconv -f WINDOWS-1252 -t UTF-8";
}

Status bare_cr_error(std::string_view text, std::size_t offset, std::string_view file_name) {
  return Status(ErrorCode::parse_error,
                "line ends with a CR not followed by LF at byte offset " + std::to_string(offset) +
                    ": CR-only line ends (classic Mac OS) are not supported; expected LF or CRLF line ends "
                    "(convert the file, e.g. with tr '\\r' '\\n')",
                utf8_location(text, offset, file_name));
}

}  // namespace detail

bool is_valid_utf8_without_nul(std::string_view text) noexcept {
  // simdjson's SIMD validator (several GB/s) and memchr for NUL, which is
  // valid UTF-8 but not valid text for dealflow.
  return simdjson::validate_utf8(text.data(), text.size()) && std::memchr(text.data(), 0, text.size()) == nullptr;
}

Status validate_utf8(std::string_view text, std::string_view file_name) {
  if (is_valid_utf8_without_nul(text)) return {};
  // The slow scan names the first problem and where it is.
  const detail::Utf8Scan scan = detail::scan_utf8(text);
  if (scan.problem == detail::Utf8Problem::none) return {};
  const auto byte = static_cast<unsigned char>(text[scan.offset]);
  std::string what;
  switch (scan.problem) {
    case detail::Utf8Problem::nul:
      what = "NUL byte (0x00) at byte offset " + std::to_string(scan.offset) +
             ": text must not contain NUL (" + detail::encoding_hint(text, scan.offset) + ")";
      return Status(ErrorCode::parse_error, what, detail::utf8_location(text, scan.offset, file_name));
    case detail::Utf8Problem::stray_continuation:
      what = "a continuation byte where a character should start";
      break;
    case detail::Utf8Problem::missing_continuation:
      what = "not followed by the continuation bytes it needs";
      break;
    case detail::Utf8Problem::truncated:
      what = "the text ends inside this multi-byte character (truncated)";
      break;
    case detail::Utf8Problem::overlong:
      what = "an overlong encoding (more bytes than the character needs)";
      break;
    case detail::Utf8Problem::surrogate:
      what = "encodes a UTF-16 surrogate (U+D800..U+DFFF)";
      break;
    case detail::Utf8Problem::too_large:
      what = "encodes no character (above U+10FFFF)";
      break;
    case detail::Utf8Problem::none:
      break;
  }
  return Status(
      ErrorCode::parse_error,
      "invalid UTF-8 byte " + detail::hex_byte(byte) + " at byte offset " + std::to_string(scan.offset) +
          ": " + what + " (expected UTF-8; " +
          (scan.problem == detail::Utf8Problem::truncated ? "the file may have been cut off, or " : "") +
          detail::encoding_hint(text, scan.offset) + ")",
      detail::utf8_location(text, scan.offset, file_name));
}

}  // namespace dealflow::io
