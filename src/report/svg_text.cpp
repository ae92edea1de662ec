// Text measurement for the report's charts: advance widths of DejaVu Sans (the
// first font of the report's CSS stack, installed with Chromium on Debian) per
// code point, in 1/2048 em (the font's units per em), and fit_text.
//
// The tables hold the font's advances as read from DejaVuSans.ttf (version 2.37,
// hmtx through the Unicode cmap; kerning ignored); text_width adds 5 % on top, so
// a label measured here does not come out narrower than the browser draws it in
// DejaVu Sans (Arial and Liberation Sans, the fallbacks, are narrower still). Code points outside the table:
// 0.6 em, or 1 em for East Asian wide ranges (CJK, Hangul, fullwidth forms), 0 for combining marks.
#include <algorithm>
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
constexpr std::array<std::uint16_t, 96> kLatin1 = {
    651,  821,  1303, 1303, 1303, 1303, 690,  1024, 1024, 2048, 965,  1253, 1716, 739,  2048, 1024,
    1024, 1716, 821,  821,  1024, 1303, 1303, 651,  1024, 821,  965,  1253, 1985, 1985, 1985, 1087,
    1401, 1401, 1401, 1401, 1401, 1401, 1995, 1430, 1294, 1294, 1294, 1294, 604,  604,  604,  604,
    1587, 1532, 1612, 1612, 1612, 1612, 1612, 1716, 1612, 1499, 1499, 1499, 1499, 1251, 1239, 1290,
    1255, 1255, 1255, 1255, 1255, 1255, 2011, 1126, 1260, 1260, 1260, 1260, 569,  569,  569,  569,
    1253, 1298, 1253, 1253, 1253, 1253, 1253, 1716, 1253, 1298, 1298, 1298, 1298, 1212, 1300, 1212,
};

// U+0400..U+045F.
constexpr std::array<std::uint16_t, 96> kCyrillic = {
    1294, 1294, 1610, 1249, 1430, 1300, 604,  604,  604,  2240, 2140, 1610, 1454, 1532, 1248, 1540,
    1401, 1405, 1405, 1249, 1600, 1294, 2206, 1313, 1532, 1532, 1454, 1540, 1767, 1540, 1612, 1540,
    1235, 1430, 1251, 1248, 1763, 1403, 1590, 1404, 2190, 2240, 1705, 1807, 1405, 1430, 2211, 1423,
    1255, 1263, 1207, 1076, 1416, 1260, 1845, 1089, 1331, 1331, 1237, 1309, 1545, 1339, 1253, 1339,
    1300, 1126, 1193, 1212, 1751, 1212, 1394, 1210, 1874, 1929, 1447, 1617, 1207, 1124, 1724, 1232,
    1260, 1260, 1280, 1076, 1124, 1067, 569,  569,  569,  1848, 1840, 1335, 1237, 1331, 1212, 1339,
};

// Punctuation and symbols past Latin-1, sorted by code point.
struct Advance {
  char32_t code_point;
  std::uint16_t units;
};
constexpr std::array<Advance, 31> kPunctuation = {{
    {0x2002, 1024},  // en space
    {0x2003, 2048},  // em space
    {0x2009, 409},   // thin space
    {0x200A, 204},   // hair space
    {0x2010, 739},   // hyphen
    {0x2011, 739},   // non-breaking hyphen
    {0x2012, 1303},  // figure dash
    {0x2013, 1024},  // en dash
    {0x2014, 2048},  // em dash
    {0x2018, 651},   // quotes
    {0x2019, 651},  {0x201A, 651},  {0x201C, 1061}, {0x201D, 1061}, {0x201E, 1061}, {0x2022, 1208},  // bullet
    {0x2026, 2048},                                                  // ellipsis
    {0x2030, 2748},                                                  // per mille
    {0x2039, 819},                                                   // single guillemets
    {0x203A, 819},  {0x20AC, 1303},                                  // euro
    {0x20BD, 1303},                                                  // rouble
    {0x2116, 2130},                                                  // numero
    {0x2190, 1716},                                                  // arrows
    {0x2191, 1716}, {0x2192, 1716}, {0x2193, 1716}, {0x2212, 1716},  // minus
    {0x2264, 1716},                                                  // less-than or equal
    {0x2265, 1716},                                                  // greater-than or equal
    {0xFFFD, 2100},                                                  // replacement character
}};

std::uint16_t punctuation(char32_t cp) {
  const auto it = std::lower_bound(kPunctuation.begin(), kPunctuation.end(), cp,
                                   [](const Advance& a, char32_t c) { return a.code_point < c; });
  return it != kPunctuation.end() && it->code_point == cp ? it->units : 0;
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
