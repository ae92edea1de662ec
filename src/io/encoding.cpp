// Encoding names, BOM detection and conversion to UTF-8 with the C library's
// iconv (no hand-written tables); errors located in the original bytes.
#include "dealflow/io/encoding.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <utility>

#include "dealflow/io/json.h"
#include "io/utf8_detail.h"

namespace dealflow::io {
namespace {

constexpr std::string_view kAccepted =
    "auto, utf-8, utf-16, utf-16le, utf-16be, windows-1251 (cp1251), windows-1252 (cp1252, latin-1)";

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The BOM at the start of `bytes`: its encoding and length (0 when none).
std::pair<Encoding, std::size_t> detect_bom(std::string_view bytes) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") return {Encoding::utf8, 3};
  if (bytes.substr(0, 2) == "\xFF\xFE") return {Encoding::utf16le, 2};
  if (bytes.substr(0, 2) == "\xFE\xFF") return {Encoding::utf16be, 2};
  return {Encoding::auto_detect, 0};
}

bool is_utf16(Encoding e) {
  return e == Encoding::utf16le || e == Encoding::utf16be;
}

// The name in messages; also the name iconv_open takes (glibc ignores case).
const char* display_name(Encoding e) {
  switch (e) {
    case Encoding::utf8:
      return "UTF-8";
    case Encoding::utf16le:
      return "UTF-16LE";
    case Encoding::utf16be:
      return "UTF-16BE";
    case Encoding::windows1251:
      return "Windows-1251";
    case Encoding::windows1252:
      return "Windows-1252";
    case Encoding::auto_detect:
      break;
  }
  return "auto";
}

// UTF-16 code unit at byte offset i.
std::uint16_t unit_at(std::string_view b, std::size_t i, bool le) {
  const auto lo = static_cast<unsigned char>(b[le ? i : i + 1]);
  const auto hi = static_cast<unsigned char>(b[le ? i + 1 : i]);
  return static_cast<std::uint16_t>(hi << 8 | lo);
}

// Line and column (characters, surrogate pairs one) of byte `offset` in UTF-16
// `bytes` whose text starts at `start` (after the BOM).
Location utf16_location(std::string_view bytes, std::size_t start, std::size_t offset, bool le,
                        std::string_view file_name) {
  int line = 1;
  int column = 1;
  for (std::size_t i = start; i + 1 < bytes.size() && i < offset; i += 2) {
    const std::uint16_t u = unit_at(bytes, i, le);
    if (u == 0x000A) {
      ++line;
      column = 1;
    } else if (u < 0xDC00 || u > 0xDFFF) {
      ++column;  // a low surrogate completes the character its high one counted
    }
  }
  return Location{std::string(file_name), line, column, ""};
}

// The first NUL character of the text (after the BOM) in encoding `e`, as a byte offset.
std::size_t find_nul(std::string_view bytes, std::size_t start, Encoding e) {
  if (!is_utf16(e)) {
    return bytes.find('\0', start);
  }
  for (std::size_t i = start; i + 1 < bytes.size(); i += 2) {
    if (bytes[i] == '\0' && bytes[i + 1] == '\0') return i;
  }
  return std::string_view::npos;
}

class IconvHandle {
 public:
  IconvHandle(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
  ~IconvHandle() {
    if (ok()) iconv_close(cd_);
  }
  IconvHandle(const IconvHandle&) = delete;
  IconvHandle& operator=(const IconvHandle&) = delete;
  bool ok() const { return cd_ != reinterpret_cast<iconv_t>(-1); }
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

Status nul_error(std::string_view bytes, std::size_t offset, Location where, Encoding e) {
  return Status(ErrorCode::parse_error,
                "NUL character at byte offset " + std::to_string(offset) + " of " +
                    std::string(display_name(e)) +
                    " text: text must not contain NUL (check that this is the right file" +
                    (is_utf16(e) ? "" : std::string("; ") + detail::encoding_hint(bytes, offset)) + ")",
                std::move(where));
}

// Converts bytes[start..] from `e` (not UTF-8) to UTF-8 with iconv.
Result<std::string> convert(std::string_view bytes, std::size_t start, Encoding e,
                            std::string_view file_name) {
  const bool le = e == Encoding::utf16le;
  if (const std::size_t at = find_nul(bytes, start, e); at != std::string_view::npos) {
    return nul_error(bytes, at,
                     is_utf16(e) ? utf16_location(bytes, start, at, le, file_name)
                                 : detail::single_byte_location(bytes, at, file_name),
                     e);
  }
  IconvHandle cd("UTF-8", display_name(e));
  if (!cd.ok()) {
    return Status(ErrorCode::invalid_argument,
                  "the C library's iconv cannot convert from " + std::string(display_name(e)) + " to UTF-8",
                  Location{std::string(file_name), 0, 0, ""});
  }
  const std::size_t in_size = bytes.size() - start;
  // Upper bounds of the UTF-8 size: 3 bytes per single byte (the euro sign),
  // 3 bytes per UTF-16 code unit. Start smaller and grow to the bound if needed.
  const std::size_t bound = is_utf16(e) ? in_size / 2 * 3 + 4 : in_size * 3 + 4;
  std::string out(e == Encoding::windows1252 ? in_size + in_size / 8 + 64 : std::min(bound, in_size * 2 + 64),
                  '\0');
  char* in = const_cast<char*>(bytes.data() + start);  // iconv's signature; it does not write
  std::size_t in_left = in_size;
  std::size_t used = 0;
  while (in_left > 0) {
    char* dst = out.data() + used;
    std::size_t out_left = out.size() - used;
    const std::size_t r = iconv(cd.get(), &in, &in_left, &dst, &out_left);
    used = static_cast<std::size_t>(dst - out.data());
    if (r != static_cast<std::size_t>(-1)) break;
    const std::size_t offset = static_cast<std::size_t>(in - bytes.data());
    if (errno == E2BIG) {
      out.resize(used + (is_utf16(e) ? in_left / 2 * 3 + 4 : in_left * 3 + 4));
      continue;
    }
    const bool at_end = errno == EINVAL;
    if (is_utf16(e)) {
      const Location where = utf16_location(bytes, start, offset, le, file_name);
      if (at_end || offset + 1 >= bytes.size()) {
        return Status(
            ErrorCode::parse_error,
            "truncated " + std::string(display_name(e)) + " at byte offset " + std::to_string(offset) +
                ": the file ends inside a character (an odd number of bytes or a lone high surrogate)",
            where);
      }
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%04X", unit_at(bytes, offset, le));
      return Status(ErrorCode::parse_error,
                    "invalid " + std::string(display_name(e)) + " code unit " + hex + " at byte offset " +
                        std::to_string(offset) + ": an unpaired surrogate (expected " +
                        std::string(display_name(e)) +
                        "; if the bytes are in the other order, pass --encoding " +
                        (le ? "utf-16be" : "utf-16le") + ")",
                    where);
    }
    const auto byte = static_cast<unsigned char>(bytes[offset]);
    const std::string hint = detail::scan_utf8(bytes).problem == detail::Utf8Problem::none
                                 ? "the file is valid UTF-8: pass --encoding utf-8 or auto"
                                 : std::string("the file may be in another encoding: try --encoding ") +
                                       (e == Encoding::windows1252 ? "windows-1251" : "windows-1252");
    return Status(ErrorCode::parse_error,
                  "byte " + detail::hex_byte(byte) + " at byte offset " + std::to_string(offset) +
                      " is not defined in " + std::string(display_name(e)) + " (" + hint + ")",
                  detail::single_byte_location(bytes, offset, file_name));
  }
  out.resize(used);
  return out;
}

// Decodes `bytes`; `owned`, when given, holds the same bytes and may be moved
// into the result (UTF-8 input is then not copied).
Result<DecodedText> decode(std::string_view bytes, std::string* owned, Encoding encoding,
                           std::string_view file_name, Encoding fallback) {
  const auto [bom, bom_size] = detect_bom(bytes);
  Encoding use = encoding;
  if (encoding == Encoding::auto_detect) {
    if (bom_size > 0) {
      use = bom;
    } else {
      const detail::Utf8Scan scan = detail::scan_utf8(bytes);
      const bool fallback_applies = fallback != Encoding::auto_detect && fallback != Encoding::utf8 &&
                                    scan.problem != detail::Utf8Problem::none &&
                                    scan.problem != detail::Utf8Problem::nul;
      use = fallback_applies ? fallback : Encoding::utf8;
    }
  } else if (is_utf16(encoding) && is_utf16(bom)) {
    use = bom;  // the byte order mark decides LE or BE
  } else if (bom_size > 0 && bom != encoding) {
    return Status(ErrorCode::parse_error,
                  "the file starts with a " + std::string(display_name(bom)) +
                      " byte order mark, but its encoding was given as " +
                      std::string(display_name(encoding)) + " (pass --encoding " +
                      std::string(to_string(bom)) + " or auto)",
                  Location{std::string(file_name), 1, 1, ""});
  }
  DecodedText out;
  out.used = use;
  out.had_bom = bom_size > 0 && bom == use;
  if (use == Encoding::utf8) {
    DEALFLOW_RETURN_IF_ERROR(validate_utf8(bytes, file_name));
    const std::size_t skip = out.had_bom ? bom_size : 0;
    if (owned) {
      owned->erase(0, skip);
      out.text = std::move(*owned);
    } else {
      out.text.assign(bytes.substr(skip));
    }
    return out;
  }
  auto text = convert(bytes, out.had_bom ? bom_size : 0, use, file_name);
  if (!text) return text.status();
  out.text = std::move(*text);
  return out;
}

}  // namespace

Result<Encoding> parse_encoding(std::string_view name) {
  const std::string n = lower_ascii(name);
  if (n == "auto") return Encoding::auto_detect;
  if (n == "utf-8" || n == "utf8") return Encoding::utf8;
  if (n == "utf-16" || n == "utf16" || n == "utf-16le" || n == "utf16le") return Encoding::utf16le;
  if (n == "utf-16be" || n == "utf16be") return Encoding::utf16be;
  if (n == "windows-1251" || n == "cp1251") return Encoding::windows1251;
  if (n == "windows-1252" || n == "cp1252" || n == "latin-1" || n == "latin1") return Encoding::windows1252;
  return Status(ErrorCode::invalid_argument,
                "unknown encoding '" + std::string(name) + "': expected one of " + std::string(kAccepted));
}

std::string_view to_string(Encoding encoding) noexcept {
  switch (encoding) {
    case Encoding::auto_detect:
      return "auto";
    case Encoding::utf8:
      return "utf-8";
    case Encoding::utf16le:
      return "utf-16le";
    case Encoding::utf16be:
      return "utf-16be";
    case Encoding::windows1251:
      return "windows-1251";
    case Encoding::windows1252:
      return "windows-1252";
  }
  return "auto";
}

Result<DecodedText> decode_to_utf8(std::string_view bytes, Encoding encoding, std::string_view file_name,
                                   Encoding fallback) {
  return decode(bytes, nullptr, encoding, file_name, fallback);
}

Result<DecodedText> read_text_file_utf8(const std::string& path, Encoding encoding, Encoding fallback) {
  auto bytes = read_text_file(path);
  if (!bytes) return bytes.status();
  return decode(*bytes, &*bytes, encoding, path, fallback);
}

}  // namespace dealflow::io
