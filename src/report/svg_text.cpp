// Text measurement for the report's charts: advance widths of DejaVu Sans (the
// first font of the report's CSS stack, installed with Chromium on Debian) per
// code point, in 1/2048 em (the font's units per em), and fit_text.
//
// The table holds the font's advances rounded up to a few units; text_width adds
// 5 % on top, so a label measured here never comes out narrower than the
// browser draws it in DejaVu Sans (Arial and Liberation Sans, the fallbacks, are
// narrower still). Code points outside the table: 0.6 em, or 1 em for East
// Asian wide ranges (CJK, Hangul, fullwidth forms), 0 for combining marks.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "dealflow/report/svg.h"
#include "report/utf8.h"

namespace dealflow::report {
namespace {

constexpr double kUnitsPerEm = 2048;
constexpr double kSafety = 1.05;

// U+0020..U+007E.
constexpr std::array<std::uint16_t, 95> kAscii = {
    651,  821,  942,  1716, 1303, 1946, 1597, 563,  799,  799,  1024, 1716, 651,  739, 651, 690,  // ' '../
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303,                                   // 0..9
    690,  690,  1716, 1716, 1716, 1087, 2048,                                                     // :..@
    1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604,  604,  1343, 1141, 1767,                 // A..M
    1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403,                 // N..Z
    799,  690,  799,  1716, 1024, 1024,                                                           // [..`
    1255, 1300, 1126, 1300, 1260, 721,  1300, 1298, 569,  569,  1186, 569,  1995,                 // a..m
    1298, 1253, 1300, 1300, 842,  1067, 803,  1298, 1212, 1675, 1212, 1212, 1075,                 // n..z
    1303, 690,  1303, 1716};                                                                      // {..~

// U+00A0..U+00FF.
constexpr std::array<std::uint16_t, 96> kLatin1 = {651,  821,  1303, 1303, 1303, 1303, 690,  1024,
                                                   1024, 2048, 964,  1253, 1716, 739,  2048, 1024,  // A0..AF
                                                   1024, 1716, 821,  821,  1024, 1300, 1303, 651,
                                                   1024, 821,  964,  1253, 2005, 2005, 2005, 1087,  // B0..BF
                                                   1401, 1401, 1401, 1401, 1401, 1401, 2025, 1430,
                                                   1294, 1294, 1294, 1294, 604,  604,  604,  604,  // C0..CF
                                                   1604, 1532, 1612, 1612, 1612, 1612, 1612, 1716,
                                                   1612, 1499, 1499, 1499, 1499, 1251, 1235, 1253,  // D0..DF
                                                   1255, 1255, 1255, 1255, 1255, 1255, 2011, 1126,
                                                   1260, 1260, 1260, 1260, 569,  569,  569,  569,  // E0..EF
                                                   1253, 1298, 1253, 1253, 1253, 1253, 1253, 1716,
                                                   1253, 1298, 1298, 1298, 1298, 1212, 1300, 1212};  // F0..FF

// U+0400..U+045F.
constexpr std::array<std::uint16_t, 96> kCyrillic = {
    1294, 1294, 1600, 1141, 1430, 1300, 604,  604,  604,  2220, 2200, 1600, 1343, 1532, 1260, 1540,  // Ѐ..Џ
    1401, 1405, 1405, 1141, 1500, 1294, 2050, 1240, 1532, 1532, 1343, 1530, 1767, 1540, 1612, 1540,  // А..П
    1235, 1430, 1251, 1260, 1720, 1403, 1580, 1390, 2080, 2110, 1630, 1880, 1405, 1430, 2160, 1423,  // Р..Я
    1255, 1270, 1190, 990,  1300, 1260, 1720, 1080, 1330, 1330, 1190, 1300, 1540, 1320, 1253, 1298,  // а..п
    1300, 1126, 1040, 1212, 2040, 1212, 1360, 1240, 1870, 1900, 1400, 1680, 1190, 1130, 1800, 1240,  // р..я
    1260, 1260, 1300, 990,  1126, 1067, 569,  569,  569,  1910, 1910, 1298, 1190, 1330, 1212, 1298};  // ѐ..џ

std::uint16_t punctuation(char32_t cp) {
  switch (cp) {
    case 0x2009:
      return 410;  // thin space
    case 0x200A:
      return 205;  // hair space
    case 0x2002:
      return 1024;  // en space
    case 0x2003:
      return 2048;  // em space
    case 0x2010:
    case 0x2011:
      return 739;  // hyphens
    case 0x2012:
    case 0x2013:
      return 1024;  // figure dash, en dash
    case 0x2014:
      return 2048;  // em dash
    case 0x2018:
    case 0x2019:
    case 0x201A:
      return 651;  // single quotes
    case 0x201C:
    case 0x201D:
    case 0x201E:
      return 1067;  // double quotes
    case 0x2022:
      return 1208;  // bullet
    case 0x2026:
      return 2048;  // ellipsis
    case 0x2030:
      return 2800;  // per mille
    case 0x2039:
    case 0x203A:
      return 821;  // single guillemets
    case 0x20AC:
      return 1303;  // euro
    case 0x20BD:
      return 1303;  // rouble
    case 0x2116:
      return 2640;  // numero
    case 0x2190:
    case 0x2191:
    case 0x2192:
    case 0x2193:
      return 1716;  // arrows
    case 0x2212:
      return 1716;  // minus
    case 0x2264:
    case 0x2265:
      return 1716;  // ≤ ≥
    case 0x00D7:
      return 1716;  // × (also in Latin-1)
    case 0xFFFD:
      return 2048;  // replacement character
    default:
      return 0;
  }
}

bool wide(char32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}

bool combining(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x0483 && cp <= 0x0489) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
         (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
         cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF;
}

// Advance of one code point in font units (2048 per em).
double advance(char32_t cp) {
  if (cp >= 0x20 && cp <= 0x7E) return kAscii[cp - 0x20];
  if (cp >= 0xA0 && cp <= 0xFF) return kLatin1[cp - 0xA0];
  if (cp >= 0x400 && cp <= 0x45F) return kCyrillic[cp - 0x400];
  if (const std::uint16_t p = punctuation(cp); p != 0) return p;
  if (combining(cp)) return 0;
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;  // controls (escaped to U+FFFD in markup)
  if (wide(cp)) return kUnitsPerEm;
  return 0.6 * kUnitsPerEm;
}

}  // namespace

double text_width(std::string_view utf8, double font_size) {
  double units = 0;
  std::size_t i = 0;
  while (i < utf8.size()) {
    const utf8::Decoded d = utf8::decode(utf8, i);
    units += d.valid ? advance(d.code_point) : advance(0xFFFD);
    i += d.length;
  }
  return units / kUnitsPerEm * font_size * kSafety;
}

std::string fit_text(std::string_view utf8, double font_size, double max_width) {
  if (text_width(utf8, font_size) <= max_width) return std::string(utf8);
  static constexpr std::string_view kEllipsis = "\u2026";
  const double budget = max_width - text_width(kEllipsis, font_size);
  if (budget < 0) return {};
  double used = 0;
  std::size_t cut = 0, i = 0;
  while (i < utf8.size()) {
    const utf8::Decoded d = utf8::decode(utf8, i);
    used += (d.valid ? advance(d.code_point) : advance(0xFFFD)) / kUnitsPerEm * font_size * kSafety;
    if (used > budget) break;
    i += d.length;
    cut = i;
  }
  std::string out(utf8.substr(0, cut));
  while (!out.empty() && out.back() == ' ') out.pop_back();  // no "word …"
  return out + std::string(kEllipsis);
}

}  // namespace dealflow::report
