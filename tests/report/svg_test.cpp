// The SVG toolkit (dealflow/report/svg.h): escaping, formatting, text widths,
// scales, nice ticks and the builder's markup.
#include "dealflow/report/svg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "report/xml_support.h"

namespace dealflow::report {
namespace {

const std::string kThin = "\u2009";
const std::string kNbsp = "\u00A0";
const std::string kMinus = "\u2212";
const std::string kFffd = "\uFFFD";

TEST(NiceTicks, HandComputedCases) {
  EXPECT_EQ(nice_ticks(0, 1250, 6), (std::vector<double>{0, 500, 1000, 1500}));
  // 0..1 with at most 5 ticks: step 0.2 would need 6 ticks, so 0.5 (1-2-5 steps only, no 0.25).
  EXPECT_EQ(nice_ticks(0, 1, 5), (std::vector<double>{0, 0.5, 1}));
  EXPECT_EQ(nice_ticks(0, 1, 6), (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));
  EXPECT_EQ(nice_ticks(-7, 23, 5), (std::vector<double>{-10, 0, 10, 20, 30}));
  EXPECT_EQ(nice_ticks(0.013, 0.041, 4), (std::vector<double>{0, 0.02, 0.04, 0.06}));
  EXPECT_EQ(nice_ticks(1250, 0, 6), (std::vector<double>{0, 500, 1000, 1500}));  // bounds swapped
  EXPECT_EQ(nice_ticks(3, 3, 5), (std::vector<double>{3}));
  EXPECT_EQ(nice_ticks(0, 0, 5), (std::vector<double>{0, 1}));
  EXPECT_EQ(nice_ticks(0, 7, 1), (std::vector<double>{0, 10}));        // max_ticks below 2 counts as 2
  EXPECT_EQ(nice_ticks(-3, 8, 2), (std::vector<double>{-10, 0, 10}));  // across 0: 3 at least
  EXPECT_EQ(nice_ticks(0, 1, 1 << 30).size(), 501u);                   // max_ticks capped at 1000: step 0.002
  // Ranges a double cannot step through: the bounds themselves.
  EXPECT_EQ(nice_ticks(-1e308, 1e308, 5), (std::vector<double>{-1e308, 1e308}));
  EXPECT_EQ(nice_ticks(1, 1 + 1e-15, 5), (std::vector<double>{1, 1 + 1e-15}));
  EXPECT_EQ(nice_ticks(0, 1e-300, 5), (std::vector<double>{0, 1e-300}));
  EXPECT_EQ(nice_ticks(0, INFINITY, 5), (std::vector<double>{0, 1}));               // non-finite hi: as lo
  EXPECT_EQ(nice_ticks(std::nan(""), 4, 5), (std::vector<double>{0, 1, 2, 3, 4}));  // NaN lo: 0
  EXPECT_EQ(nice_ticks(2e6, 9.9e6, 5), (std::vector<double>{2e6, 4e6, 6e6, 8e6, 1e7}));
}

TEST(NiceTicks, PropertiesOverRandomRanges) {
  std::mt19937_64 rng(13);
  std::uniform_real_distribution<double> mag(-6, 9), rel(-5, 3);
  std::uniform_int_distribution<int> count(2, 12);
  for (int trial = 0; trial < 5000; ++trial) {
    // A start anywhere (or exactly 0), a width from 1e-5 to 1e3 times its magnitude.
    const double a = trial % 5 == 0 ? 0 : (rng() % 2 ? -1 : 1) * std::pow(10.0, mag(rng));
    const double b = a + (a == 0 ? std::pow(10.0, mag(rng)) : std::abs(a) * std::pow(10.0, rel(rng)));
    const int max_ticks = count(rng);
    const auto ticks = nice_ticks(a, b, max_ticks);
    ASSERT_GE(ticks.size(), 2u);
    // At most max_ticks (3 when the range crosses 0: −s, 0, s).
    ASSERT_LE(ticks.size(), static_cast<std::size_t>(std::max(max_ticks, a < 0 && b > 0 ? 3 : 2)))
        << a << " " << b;
    const double step = ticks[1] - ticks[0];
    EXPECT_LE(ticks.front(), a + step * 1e-9);  // within rounding of the step
    EXPECT_GE(ticks.back(), b - step * 1e-9);
    const double e = std::floor(std::log10(step) + 1e-9);
    const double m = step / std::pow(10.0, e);
    EXPECT_TRUE(std::abs(m - 1) < 1e-6 || std::abs(m - 2) < 1e-6 || std::abs(m - 5) < 1e-6) << step;
    for (std::size_t i = 1; i < ticks.size(); ++i) EXPECT_NEAR(ticks[i] - ticks[i - 1], step, step * 1e-9);
  }
}

TEST(LinearScale, MapsDomainToRange) {
  const LinearScale x{0, 1250, 0, 400};
  EXPECT_DOUBLE_EQ(x(840), 268.8);
  EXPECT_DOUBLE_EQ(x(0), 0);
  EXPECT_DOUBLE_EQ(x(1250), 400);
  const LinearScale inverted{0, 10, 100, 0};  // a y axis: up is smaller
  EXPECT_DOUBLE_EQ(inverted(2.5), 75);
  const LinearScale flat{5, 5, 30, 90};
  EXPECT_DOUBLE_EQ(flat(5), 30);
  EXPECT_DOUBLE_EQ(flat(100), 30);
  const LinearScale huge{-1e308, 1e308, 0, 100};  // d1 − d0 overflows: computed in halves
  EXPECT_DOUBLE_EQ(huge(0), 50);
  EXPECT_DOUBLE_EQ(huge(1e308), 100);
  EXPECT_DOUBLE_EQ(huge(-1e308), 0);
}

TEST(Format, Coordinates) {
  EXPECT_EQ(format_coord(12.5), "12.5");
  EXPECT_EQ(format_coord(3), "3");
  EXPECT_EQ(format_coord(-0.25), "-0.25");
  EXPECT_EQ(format_coord(1234.5678), "1234.57");
  EXPECT_EQ(format_coord(0.1 + 0.2), "0.3");
  EXPECT_EQ(format_coord(-0.001), "0");
  EXPECT_EQ(format_coord(-0.0), "0");
  EXPECT_EQ(format_coord(std::nan("")), "0");
  EXPECT_EQ(format_coord(1e20), "100000000000000000000");
}

TEST(Format, Numbers) {
  EXPECT_EQ(format_number(1250), "1" + kThin + "250");
  EXPECT_EQ(format_number(999), "999");
  EXPECT_EQ(format_number(999.6), "1" + kThin + "000");
  EXPECT_EQ(format_number(1234567.891, 2), "1" + kThin + "234" + kThin + "567.89");
  EXPECT_EQ(format_number(0.25, 2), "0.25");
  EXPECT_EQ(format_number(12, 1), "12.0");
  EXPECT_EQ(format_number(-32.5, 1), kMinus + "32.5");
  EXPECT_EQ(format_number(-1250), kMinus + "1" + kThin + "250");
  EXPECT_EQ(format_number(-0.4), "0");  // no "−0"
  EXPECT_EQ(format_number(std::nan("")), "\u2014");
  EXPECT_EQ(format_number(INFINITY), "\u2014");
}

TEST(Format, Percentages) {
  EXPECT_EQ(format_percent(0.375), "37.5" + kNbsp + "%");
  EXPECT_EQ(format_percent(0.5, 0), "50" + kNbsp + "%");
  EXPECT_EQ(format_percent(1, 1), "100.0" + kNbsp + "%");
  EXPECT_EQ(format_percent(-0.325, 1), kMinus + "32.5" + kNbsp + "%");
  EXPECT_EQ(format_percent(std::nan("")), "\u2014");
}

TEST(EscapeXml, SpecialCharactersAndCyrillic) {
  EXPECT_EQ(escape_xml("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
  EXPECT_EQ(escape_xml("Квалификация · Ёлка"), "Квалификация · Ёлка");
  EXPECT_EQ(escape_xml("tab\tline\n"), "tab\tline\n");
  EXPECT_EQ(escape_xml(""), "");
}

TEST(EscapeXml, InvalidUtf8AndControlsBecomeReplacementCharacters) {
  EXPECT_EQ(escape_xml("a\xFF"
                       "b"),
            "a" + kFffd + "b");
  EXPECT_EQ(escape_xml("ab\xC3"), "ab" + kFffd);                  // truncated sequence
  EXPECT_EQ(escape_xml("\xC0\xAF"), kFffd + kFffd);               // overlong '/'
  EXPECT_EQ(escape_xml("\xED\xA0\x80"), kFffd + kFffd + kFffd);   // a UTF-16 surrogate
  EXPECT_EQ(escape_xml("\xF4\x90\x80\x80").substr(0, 3), kFffd);  // past U+10FFFF
  EXPECT_EQ(escape_xml("x\x01y"), "x" + kFffd + "y");             // not an XML character
  EXPECT_EQ(escape_xml("\xEF\xBF\xBE"), kFffd);                   // U+FFFE: not an XML character
  EXPECT_EQ(escape_xml("\xD0\x9A\xD0"), "\xD0\x9A" + kFffd);      // "К" then a cut "а"
}

TEST(EscapeXml, RoundTripsThroughAnXmlParser) {
  const std::string text = "Сделка <№ 5> & \"кавычки\" 'apostrophe' · Ärger";
  const auto doc = xml_support::parse("<t a=\"" + escape_xml(text) + "\">" + escape_xml(text) + "</t>");
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(doc.texts("/t"), std::vector<std::string>{text});
  EXPECT_EQ(doc.texts("/t/@a"), std::vector<std::string>{text});
  const std::string bad = "\xFF\x01\xC3(";
  EXPECT_TRUE(xml_support::parse("<t>" + escape_xml(bad) + "</t>").ok());
}

TEST(TextWidth, FromTheFontsAdvances) {
  // DejaVu Sans: 'a' = 1255/2048 em, 'W' = 2025/2048 em; plus 5 %.
  EXPECT_DOUBLE_EQ(text_width("a", 2048), 1255 * 1.05);
  EXPECT_DOUBLE_EQ(text_width("W", 2048), 2025 * 1.05);
  EXPECT_DOUBLE_EQ(text_width("Ж", 2048), 2206 * 1.05);
  EXPECT_DOUBLE_EQ(text_width("aW", 10), (1255 + 2025) / 2048.0 * 10 * 1.05);
  EXPECT_DOUBLE_EQ(text_width("", 12), 0);
  EXPECT_DOUBLE_EQ(text_width("\u4E2D", 10), 10 * 1.05);             // East Asian wide: 1 em
  EXPECT_DOUBLE_EQ(text_width("\u0531", 10), 0.6 * 10 * 1.05);       // elsewhere 0.6 em
  EXPECT_DOUBLE_EQ(text_width("e\u0301", 10), text_width("e", 10));  // a combining accent adds nothing
}

TEST(TextWidth, CyrillicIsWiderThanAsManyNarrowLatinLetters) {
  const std::string cyr = "Квалификация";  // 12 code points
  EXPECT_GT(text_width(cyr, 12), text_width(std::string(12, 'i'), 12));
  EXPECT_GT(text_width(cyr, 12), text_width("Kvalifikacia", 12) * 0.9);
  EXPECT_DOUBLE_EQ(text_width("Ё", 12), text_width("Ë", 12));  // same glyph shape, same advance
}

TEST(FitText, CutsWholeCodePointsAndAppendsAnEllipsis) {
  EXPECT_EQ(fit_text("Новая", 12, 200), "Новая");  // fits: unchanged
  const std::string long_name = "Квалификация потребностей клиента";
  const double max = 80;
  const std::string cut = fit_text(long_name, 12, max);
  EXPECT_LE(text_width(cut, 12), max);
  ASSERT_GE(cut.size(), 3u);
  EXPECT_EQ(cut.substr(cut.size() - 3), "\u2026");
  EXPECT_EQ(long_name.compare(0, cut.size() - 3, cut, 0, cut.size() - 3), 0);  // a prefix
  EXPECT_TRUE(xml_support::parse("<t>" + escape_xml(cut) + "</t>").ok());      // no half code point
  // One more code point would not have fitted.
  const std::string prefix = cut.substr(0, cut.size() - 3);
  const std::size_t next = prefix.size() + 2;  // Cyrillic: 2 bytes each
  EXPECT_GT(text_width(long_name.substr(0, next) + "\u2026", 12), max);
  EXPECT_EQ(fit_text(long_name, 12, 5), "");                                  // not even "…" fits
  EXPECT_EQ(fit_text("ab cd", 12, text_width("ab \u2026", 12)), "ab\u2026");  // no space before "…"
}

TEST(SequentialColour, LightToDark) {
  EXPECT_EQ(sequential_colour(0), "#F1F6FC");
  EXPECT_EQ(sequential_colour(1), "#084594");
  EXPECT_EQ(sequential_colour(0.5), "#6BAED6");
  EXPECT_EQ(sequential_colour(-3), "#F1F6FC");
  EXPECT_EQ(sequential_colour(7), "#084594");
  EXPECT_EQ(sequential_colour(std::nan("")), "#EEEEEE");
}

TEST(SvgBuilder, WritesAWellFormedSvgWithTheRootAttributes) {
  SvgBuilder svg(640, 240.5, "Сделки <по этапам>");
  svg.rect(10, 20, -5, 14, kPalette[0], "mark bar", "Новая: 12");
  svg.line(0, 0, 10, 10, "#444", 1, "", "4 2");
  svg.circle(5, 5, 3, kPalette[1], "mark point");
  svg.polyline({0, 1, std::nan("")}, {2, 3, 4}, kPalette[2]);
  svg.polygon({0, 1, 1}, {0, 0, 1}, kPalette[3], 0.2, "band");
  svg.begin_link("#list-won");
  svg.text(12, 32, "Квалификация & КП", 12, "end", "category", -90);
  svg.begin_link("#list-lost");  // left open: finish() closes it
  const std::string out = std::move(svg).finish();
  const auto doc = xml_support::parse(out);
  ASSERT_TRUE(doc.ok()) << doc.error << "\n" << out;
  EXPECT_EQ(doc.texts("/svg:svg/@viewBox"), std::vector<std::string>{"0 0 640 240.5"});
  EXPECT_EQ(doc.texts("/svg:svg/@width"), std::vector<std::string>{"640"});
  EXPECT_EQ(doc.texts("/svg:svg/@role"), std::vector<std::string>{"img"});
  EXPECT_EQ(doc.texts("/svg:svg/@style"), std::vector<std::string>{"max-width:100%;height:auto"});
  EXPECT_EQ(doc.texts("/svg:svg/svg:title"), std::vector<std::string>{"Сделки <по этапам>"});
  // A negative width is normalised.
  EXPECT_EQ(doc.texts("//svg:rect/@x"), std::vector<std::string>{"5"});
  EXPECT_EQ(doc.texts("//svg:rect/@width"), std::vector<std::string>{"5"});
  EXPECT_EQ(doc.texts("//svg:rect/svg:title"), std::vector<std::string>{"Новая: 12"});
  EXPECT_EQ(doc.texts("//svg:polyline/@points"), std::vector<std::string>{"0,2 1,3"});  // NaN point dropped
  EXPECT_EQ(doc.texts("//svg:line/@stroke-dasharray"), std::vector<std::string>{"4 2"});
  EXPECT_EQ(doc.texts("//svg:a/svg:text"), std::vector<std::string>{"Квалификация & КП"});
  EXPECT_EQ(doc.texts("//svg:text/@transform"), std::vector<std::string>{"rotate(-90 12 32)"});
  EXPECT_EQ(doc.texts("//svg:text/@text-anchor"), std::vector<std::string>{"end"});
  EXPECT_EQ(doc.count("//svg:a"), 2);
  EXPECT_EQ(doc.texts("//svg:a/@href"), (std::vector<std::string>{"#list-won", "#list-lost"}));
  EXPECT_EQ(doc.count("//svg:*[contains(@class,'mark')]"), 2);
}

TEST(SvgBuilder, SameCallsGiveTheSameBytes) {
  const auto draw = [] {
    SvgBuilder svg(100, 50, "t");
    svg.rect(1.005, 2.25, 3.333, 4, "#000");
    svg.text(1, 2, "Ёж", 10);
    return std::move(svg).finish();
  };
  EXPECT_EQ(draw(), draw());
}

}  // namespace
}  // namespace dealflow::report
