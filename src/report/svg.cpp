// The SVG toolkit (dealflow/report/svg.h): escaping, number formatting, scales,
// round ticks and the SvgBuilder. Text measurement is in svg_text.cpp.
#include "dealflow/report/svg.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "report/utf8.h"

namespace dealflow::report {
namespace {

constexpr std::string_view kReplacement = "\uFFFD";
constexpr std::string_view kThinSpace = "\u2009";
constexpr std::string_view kNoBreakSpace = "\u00A0";
constexpr std::string_view kMinus = "\u2212";

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
bool xml_char(char32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
}

// `value` in fixed notation with `decimals` decimals (to_chars: no locale).
std::string fixed(double value, int decimals) {
  std::array<char, 400> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::fixed,
                               std::clamp(decimals, 0, 12));
  std::string out(buf.data(), r.ptr);
  // "-0", "-0.00": negative zero after rounding is written as zero.
  if (!out.empty() && out[0] == '-' && out.find_first_not_of("-0.") == std::string::npos) out.erase(0, 1);
  return out;
}

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t i = 0;
  while (i < text.size()) {
    const utf8::Decoded d = utf8::decode(text, i);
    if (!d.valid || !xml_char(d.code_point)) {
      out += kReplacement;
    } else {
      switch (d.code_point) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&#39;";
          break;
        default:
          out.append(text.substr(i, d.length));
      }
    }
    i += d.length;
  }
  return out;
}

std::string format_coord(double value) {
  if (!std::isfinite(value)) return "0";
  std::string out = fixed(value, 2);
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  if (out == "-0") out = "0";
  return out;
}

std::string format_number(double value, int decimals) {
  if (!std::isfinite(value)) return "\u2014";
  std::string digits = fixed(value, decimals);
  const bool negative = !digits.empty() && digits[0] == '-';
  if (negative) digits.erase(0, 1);
  const std::size_t dot = digits.find('.');
  const std::size_t int_len = dot == std::string::npos ? digits.size() : dot;
  std::string out = negative ? std::string(kMinus) : std::string();
  for (std::size_t k = 0; k < int_len; ++k) {
    if (k > 0 && (int_len - k) % 3 == 0 && int_len > 3) out += kThinSpace;
    out += digits[k];
  }
  out.append(digits, int_len, std::string::npos);
  return out;
}

std::string format_percent(double fraction, int decimals) {
  if (!std::isfinite(fraction)) return "\u2014";
  return format_number(fraction * 100, decimals) + std::string(kNoBreakSpace) + "%";
}

std::string sequential_colour(double share) {
  // Light to dark blue, interpolated linearly in sRGB between five stops.
  static constexpr std::array<std::array<int, 3>, 5> kStops = {
      {{0xF1, 0xF6, 0xFC}, {0xBD, 0xD7, 0xE7}, {0x6B, 0xAE, 0xD6}, {0x31, 0x82, 0xBD}, {0x08, 0x45, 0x94}}};
  if (!std::isfinite(share)) return "#EEEEEE";
  const double s = std::clamp(share, 0.0, 1.0) * (kStops.size() - 1);
  const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(s), kStops.size() - 2);
  const double t = s - static_cast<double>(k);
  char buf[8];
  int rgb[3];
  for (int c = 0; c < 3; ++c) {
    rgb[c] = static_cast<int>(std::lround(kStops[k][c] + (kStops[k + 1][c] - kStops[k][c]) * t));
  }
  std::snprintf(buf, sizeof buf, "#%02X%02X%02X", rgb[0], rgb[1], rgb[2]);
  return buf;
}

double LinearScale::operator()(double value) const {
  if (d1 == d0) return r0;
  if (!std::isfinite(d1 - d0)) {  // a domain wider than DBL_MAX: the same in halves
    return r0 + (value / 2 - d0 / 2) / (d1 / 2 - d0 / 2) * (r1 - r0);
  }
  return r0 + (value - d0) / (d1 - d0) * (r1 - r0);
}

std::vector<double> nice_ticks(double lo, double hi, int max_ticks) {
  if (!std::isfinite(lo)) lo = 0;
  if (!std::isfinite(hi)) hi = lo;
  if (lo > hi) std::swap(lo, hi);
  if (lo == hi) return lo == 0 ? std::vector<double>{0, 1} : std::vector<double>{lo};
  // A range too wide for a double (1e308 - -1e308) or too narrow to step through: the bounds.
  const double span = hi - lo;
  if (!std::isfinite(span) || span < 1e-290 || span <= 1e-12 * std::max(std::abs(lo), std::abs(hi))) {
    return {lo, hi};
  }
  // Ticks are multiples of the step, so a range across 0 needs at least 3 of them (−s, 0, s).
  max_ticks = std::clamp(max_ticks, lo < 0 && hi > 0 ? 3 : 2, 1000);  // 1000: tick indices stay far from 2^63
  // The smallest step m × 10^e (m in 1, 2, 5) giving at most max_ticks ticks.
  const double raw = (hi - lo) / (max_ticks - 1);
  int e = static_cast<int>(std::floor(std::log10(raw))) - 1;
  static constexpr std::array<int, 3> kMantissas = {1, 2, 5};
  for (;; ++e) {
    for (const int m : kMantissas) {
      // A tick k × m × 10^e, computed so that decimal steps come out exact-as-printed
      // (k·m / 10^−e rather than k·(m·10^e)).
      const auto tick = [&](long long k) {
        const double km = static_cast<double>(k) * m;
        return e >= 0 ? km * std::pow(10.0, e) : km / std::pow(10.0, -e);
      };
      const double step = e >= 0 ? m * std::pow(10.0, e) : m / std::pow(10.0, -e);
      const auto first = static_cast<long long>(std::floor(lo / step + 1e-9));
      const auto last = static_cast<long long>(std::ceil(hi / step - 1e-9));
      if (last - first + 1 > max_ticks) continue;
      std::vector<double> out;
      for (long long k = first; k <= last; ++k) out.push_back(tick(k) == 0 ? 0.0 : tick(k));
      return out;
    }
  }
}

SvgBuilder::SvgBuilder(double width, double height, std::string_view title) : width_(width), height_(height) {
  const std::string w = format_coord(width), h = format_coord(height);
  out_ = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + w + " " + h + "\" width=\"" + w +
         "\" height=\"" + h +
         "\" role=\"img\" style=\"max-width:100%;height:auto\" "
         "font-family=\"DejaVu Sans, Arial, sans-serif\">\n<title>" +
         escape_xml(title) + "</title>\n";
}

namespace {

void attr(std::string& out, std::string_view name, std::string_view value) {
  out += ' ';
  out += name;
  out += "=\"";
  out += escape_xml(value);
  out += '"';
}
void coord(std::string& out, std::string_view name, double value) {
  attr(out, name, format_coord(value));
}

// Closes a shape: "/>" or "><title>tip</title></tag>".
void close(std::string& out, std::string_view tag, std::string_view tip) {
  if (tip.empty()) {
    out += "/>\n";
    return;
  }
  out += "><title>" + escape_xml(tip) + "</title></";
  out += tag;
  out += ">\n";
}

std::string points(const std::vector<double>& xs, const std::vector<double>& ys) {
  std::string out;
  const std::size_t n = std::min(xs.size(), ys.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) continue;
    if (!out.empty()) out += ' ';
    out += format_coord(xs[i]) + "," + format_coord(ys[i]);
  }
  return out;
}

}  // namespace

void SvgBuilder::rect(double x, double y, double w, double h, std::string_view fill, std::string_view cls,
                      std::string_view tip) {
  if (w < 0) x += w, w = -w;
  if (h < 0) y += h, h = -h;
  out_ += "<rect";
  if (!cls.empty()) attr(out_, "class", cls);
  coord(out_, "x", x);
  coord(out_, "y", y);
  coord(out_, "width", w);
  coord(out_, "height", h);
  attr(out_, "fill", fill);
  close(out_, "rect", tip);
}

void SvgBuilder::line(double x1, double y1, double x2, double y2, std::string_view stroke,
                      double stroke_width, std::string_view cls, std::string_view dash) {
  out_ += "<line";
  if (!cls.empty()) attr(out_, "class", cls);
  coord(out_, "x1", x1);
  coord(out_, "y1", y1);
  coord(out_, "x2", x2);
  coord(out_, "y2", y2);
  attr(out_, "stroke", stroke);
  coord(out_, "stroke-width", stroke_width);
  if (!dash.empty()) attr(out_, "stroke-dasharray", dash);
  out_ += "/>\n";
}

void SvgBuilder::circle(double cx, double cy, double r, std::string_view fill, std::string_view cls,
                        std::string_view tip) {
  out_ += "<circle";
  if (!cls.empty()) attr(out_, "class", cls);
  coord(out_, "cx", cx);
  coord(out_, "cy", cy);
  coord(out_, "r", r);
  attr(out_, "fill", fill);
  close(out_, "circle", tip);
}

void SvgBuilder::polyline(const std::vector<double>& xs, const std::vector<double>& ys,
                          std::string_view stroke, double stroke_width, std::string_view cls,
                          std::string_view dash) {
  out_ += "<polyline";
  if (!cls.empty()) attr(out_, "class", cls);
  attr(out_, "points", points(xs, ys));
  out_ += " fill=\"none\"";
  attr(out_, "stroke", stroke);
  coord(out_, "stroke-width", stroke_width);
  out_ += " stroke-linejoin=\"round\"";
  if (!dash.empty()) attr(out_, "stroke-dasharray", dash);
  out_ += "/>\n";
}

void SvgBuilder::polygon(const std::vector<double>& xs, const std::vector<double>& ys, std::string_view fill,
                         double opacity, std::string_view cls) {
  out_ += "<polygon";
  if (!cls.empty()) attr(out_, "class", cls);
  attr(out_, "points", points(xs, ys));
  attr(out_, "fill", fill);
  coord(out_, "fill-opacity", opacity);
  out_ += "/>\n";
}

void SvgBuilder::text(double x, double y, std::string_view content, double font_size, std::string_view anchor,
                      std::string_view cls, double rotate, std::string_view fill) {
  out_ += "<text";
  if (!cls.empty()) attr(out_, "class", cls);
  coord(out_, "x", x);
  coord(out_, "y", y);
  coord(out_, "font-size", font_size);
  if (!anchor.empty() && anchor != "start") attr(out_, "text-anchor", anchor);
  attr(out_, "fill", fill);
  if (rotate != 0) {
    attr(out_, "transform",
         "rotate(" + format_coord(rotate) + " " + format_coord(x) + " " + format_coord(y) + ")");
  }
  out_ += ">" + escape_xml(content) + "</text>\n";
}

void SvgBuilder::begin_link(std::string_view href) {
  out_ += "<a";
  attr(out_, "href", href);
  out_ += ">\n";
  ++open_links_;
}

void SvgBuilder::end_link() {
  if (open_links_ == 0) return;
  out_ += "</a>\n";
  --open_links_;
}

std::string SvgBuilder::finish() && {
  while (open_links_ > 0) end_link();
  out_ += "</svg>\n";
  return std::move(out_);
}

}  // namespace dealflow::report
