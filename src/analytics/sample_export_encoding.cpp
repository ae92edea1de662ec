// Windows-1252 output for the Salesforce sample export: Cyrillic is
// transliterated (Windows-1252 has no Cyrillic letters), then the text is
// converted from UTF-8 with the C library's iconv.
#include <iconv.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "analytics/sample_export_writer.h"

namespace dealflow::analytics::detail {
namespace {

// Lower-case Latin for а..я (U+0430..U+044F); ё (U+0451) is "ë", which
// Windows-1252 holds (0xEB).
constexpr std::array<std::string_view, 32> kLatin = {
    "a", "b", "v", "g", "d", "e",  "zh", "z",  "i",  "y",    "k", "l", "m", "n", "o",  "p",
    "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "",  "y", "",  "e", "yu", "ya"};

void put_latin(std::string& out, std::string_view latin, bool upper) {
  for (std::size_t i = 0; i < latin.size(); ++i)
    out.push_back(upper && i == 0 ? static_cast<char>(latin[i] - 'a' + 'A') : latin[i]);
}

// UTF-8 in, UTF-8 out with every Cyrillic letter replaced.
void transliterate(std::string_view in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(in[i]);
    if ((b0 == 0xD0 || b0 == 0xD1) && i + 1 < in.size()) {
      const unsigned cp = ((b0 & 0x1Fu) << 6) | (static_cast<unsigned char>(in[i + 1]) & 0x3Fu);
      if (cp >= 0x410 && cp <= 0x42F) {
        put_latin(out, kLatin[cp - 0x410], true);
        ++i;
        continue;
      }
      if (cp >= 0x430 && cp <= 0x44F) {
        put_latin(out, kLatin[cp - 0x430], false);
        ++i;
        continue;
      }
      if (cp == 0x401 || cp == 0x451) {
        out.append(cp == 0x401 ? "\xC3\x8B" : "\xC3\xAB");  // Ë, ë
        ++i;
        continue;
      }
    }
    out.push_back(in[i]);
  }
}

struct Converter {
  iconv_t cd = reinterpret_cast<iconv_t>(-1);
  std::string latin, encoded;
  ~Converter() {
    if (cd != reinterpret_cast<iconv_t>(-1)) iconv_close(cd);
  }
};

}  // namespace

SampleFileSink windows_1252_sink(SampleFileSink sink) {
  auto state = std::make_shared<Converter>();
  state->cd = iconv_open("WINDOWS-1252", "UTF-8");
  // The wrapped sink is held by value: the returned sink may outlive the argument.
  return [state, sink = std::move(sink)](std::string_view file, std::string_view chunk) -> Status {
    if (state->cd == reinterpret_cast<iconv_t>(-1))
      return Status(ErrorCode::io_error, "iconv cannot convert UTF-8 to WINDOWS-1252 on this system");
    transliterate(chunk, state->latin);
    state->encoded.resize(state->latin.size());  // Windows-1252 never needs more bytes than UTF-8
    char* in = state->latin.data();
    std::size_t in_left = state->latin.size();
    char* out = state->encoded.data();
    std::size_t out_left = state->encoded.size();
    iconv(state->cd, nullptr, nullptr, nullptr, nullptr);
    if (iconv(state->cd, &in, &in_left, &out, &out_left) == static_cast<std::size_t>(-1)) {
      const std::size_t at = state->latin.size() - in_left;
      return Status(ErrorCode::invalid_argument,
                    std::string(file) + ": the text at byte " + std::to_string(at) +
                        " of a chunk has no Windows-1252 form (" + std::strerror(errno) + ")");
    }
    return sink(file, std::string_view(state->encoded.data(), state->encoded.size() - out_left));
  };
}

}  // namespace dealflow::analytics::detail
