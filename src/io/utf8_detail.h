// Internal: the UTF-8 scanner behind io::validate_utf8 and io::decode_to_utf8,
// and the helpers that turn a byte offset into a located, explained error.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "dealflow/core/status.h"

namespace dealflow::io::detail {

enum class Utf8Problem : unsigned char {
  none,
  nul,                 // a 0x00 byte
  stray_continuation,  // 0x80..0xBF where a character should start
  missing_continuation,
  truncated,  // the text ends inside a multi-byte sequence
  overlong,   // C0, C1, E0 80..9F, F0 80..8F
  surrogate,  // ED A0..BF (U+D800..U+DFFF)
  too_large,  // F4 90.., F5..FF (above U+10FFFF)
};

struct Utf8Scan {
  Utf8Problem problem = Utf8Problem::none;
  std::size_t offset = 0;  // of the byte that starts the bad sequence
};

// The first problem in `text`, or problem none. ASCII runs are checked 16
// bytes at a time.
Utf8Scan scan_utf8(std::string_view text) noexcept;

// Line (1-based, counting LF) and column (1-based, in characters of a text
// whose prefix before `offset` is valid UTF-8; a leading UTF-8 BOM is not a
// column) of `offset`.
Location utf8_location(std::string_view text, std::size_t offset, std::string_view file_name);

// Line and column of `offset` in a single-byte encoding (one byte, one character).
Location single_byte_location(std::string_view bytes, std::size_t offset, std::string_view file_name);

// "0xE9".
std::string hex_byte(unsigned char byte);

// What the bytes around `offset` look like, as advice for the user ("the bytes
// look like Windows-1251 (Cyrillic): pass --encoding windows-1251 ...").
std::string encoding_hint(std::string_view bytes, std::size_t offset);

// The error of the CSV readers for a record that ends in a CR not followed by
// LF (classic Mac OS line ends, which dealflow does not read), at `offset`.
Status bare_cr_error(std::string_view text, std::size_t offset, std::string_view file_name);

}  // namespace dealflow::io::detail
