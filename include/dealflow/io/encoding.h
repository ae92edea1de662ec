// dealflow/io/encoding.h: text encodings of input files — detection,
// conversion to UTF-8 (with the C library's iconv) and UTF-8 validation with
// located errors.
//
// Every CSV loader of dealflow reads UTF-8. Files from CRMs come as UTF-8 with
// or without BOM, UTF-16 LE/BE with BOM (Excel "Unicode text"), Windows-1251
// (Russian Bitrix24 exports) or Windows-1252 / Latin-1 (Salesforce Data
// Export). `decode_to_utf8` turns any of them into UTF-8 (BOM removed);
// `validate_utf8` checks text that claims to be UTF-8 and names the line,
// column and byte offset of the first bad byte.
//
// Errors (Status, never an exception): invalid_argument naming the encoding
// and what is accepted; parse_error "file:line:column: invalid UTF-8 byte 0xE9
// at byte offset 1234 (expected UTF-8; pass --encoding windows-1252 ...)";
// a NUL byte is an error in every encoding.
//
// Thread-safety: reentrant (each call opens its own iconv descriptor).
//
// Example:
//   auto text = dealflow::io::read_text_file_utf8("Opportunity.csv", dealflow::io::Encoding::auto_detect,
//                                                 dealflow::io::Encoding::windows1252);
//   if (!text) { std::cerr << text.status().to_string() << "\n"; return 1; }
//   use(text->text, text->used);   // UTF-8 text, and the encoding that was read
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "dealflow/core/status.h"

namespace dealflow::io {

enum class Encoding : unsigned char { auto_detect, utf8, utf16le, utf16be, windows1251, windows1252 };

// "auto", "utf-8", "utf-16" (BOM decides LE/BE; LE without BOM), "utf-16le",
// "utf-16be", "windows-1251" (also "cp1251"), "windows-1252" (also "cp1252",
// "latin-1"); case-insensitive. invalid_argument otherwise, listing them.
Result<Encoding> parse_encoding(std::string_view name);
// "utf-8", "utf-16le", ..., "auto".
std::string_view to_string(Encoding encoding) noexcept;

struct DecodedText {
  std::string text;       // UTF-8, no BOM
  Encoding used = Encoding::utf8;
  bool had_bom = false;
};

// Converts `bytes` to UTF-8. With auto_detect: a BOM decides (UTF-8, UTF-16
// LE/BE); else valid UTF-8 stays UTF-8; else the text is read as `fallback`.
// With an explicit encoding the bytes must be valid in it (a located error
// otherwise). A NUL byte (after decoding) is an error naming its line.
Result<DecodedText> decode_to_utf8(std::string_view bytes, Encoding encoding, std::string_view file_name,
                                   Encoding fallback = Encoding::windows1252);

// Reads a whole file and decodes it (io_error naming the path when unreadable).
Result<DecodedText> read_text_file_utf8(const std::string& path, Encoding encoding,
                                        Encoding fallback = Encoding::windows1252);

// OK when `text` is valid UTF-8 (no overlong forms, no surrogates, nothing
// past U+10FFFF) and holds no NUL byte; else parse_error located at
// file:line:column (column in characters) with the byte offset and the byte.
Status validate_utf8(std::string_view text, std::string_view file_name);
// Whether `text` is UTF-8 without NUL bytes: what validate_utf8 accepts,
// without the located message (a SIMD check, several GB/s).
bool is_valid_utf8_without_nul(std::string_view text) noexcept;

}  // namespace dealflow::io
