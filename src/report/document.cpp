// The report page: polyglot HTML5 (well-formed XML), inline CSS only, a table
// of contents, the sections in the order added, and the appendix of deal lists
// the waterfall bars link to. No script, no external resource, no timestamp.
#include "dealflow/report/document.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "dealflow/report/svg.h"

namespace dealflow::report {
namespace {

// The page's only style sheet. Kept free of '<' and '&' so that it is plain
// XML text as well as CSS.
constexpr std::string_view kStyle = R"css(
:root { color: #222; background: #fff; }
body { font-family: DejaVu Sans, Arial, sans-serif; font-size: 15px; line-height: 1.45;
  max-width: 760px; margin: 0 auto; padding: 16px; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 20px; margin: 28px 0 8px; border-bottom: 1px solid #ccc; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
p.subtitle { color: #555; margin: 0 0 16px; }
p.note { color: #555; font-size: 13px; }
p.definition { color: #444; font-size: 13px; margin: 4px 0 8px; }
a { color: #0b5394; }
nav.toc ol { padding-left: 22px; }
figure.chart { margin: 16px 0 24px; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
caption { text-align: left; font-weight: bold; padding: 4px 0; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #999; background: #f4f4f4; }
table.wide { font-size: 11px; }
table.wide th, table.wide td { padding: 2px 4px; }
tbody tr:nth-child(even) { background: #fafafa; }
td.num, th.num, .numeric { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
section.deal-list ul.ids { list-style: none; padding: 0; margin: 4px 0; font-size: 13px; }
section.deal-list ul.ids li { display: inline-block; margin: 0 12px 2px 0; font-variant-numeric: tabular-nums; }
p.back { font-size: 13px; }
@media print {
  @page { size: A4; margin: 16mm 14mm; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { color: inherit; text-decoration: none; }
  section.part { break-before: page; page-break-before: always; }
  figure.chart, table { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  p.back { display: none; }
}
)css";

std::string deal_count_text(std::size_t n) {
  return format_number(static_cast<double>(n)) + (n == 1 ? " deal" : " deals");
}

void write_list(std::string& out, const DealList& list, std::size_t cap) {
  out += "<section class=\"deal-list\" id=\"list-" + escape_xml(list.id) + "\">\n";
  out += "<h3>" + escape_xml(list.title) + "</h3>\n";
  out += "<p class=\"count\">" + deal_count_text(list.deal_ids.size()) + "</p>\n";
  const std::size_t shown = std::min(cap, list.deal_ids.size());
  if (shown > 0) {
    out += "<ul class=\"ids\">";
    for (std::size_t i = 0; i < shown; ++i) out += "<li>" + escape_xml(list.deal_ids[i]) + "</li>";
    out += "</ul>\n";
  }
  if (shown < list.deal_ids.size()) {
    out += "<p class=\"more\">… and " + format_number(static_cast<double>(list.deal_ids.size() - shown)) +
           " more</p>\n";
  }
  out += "<p class=\"back\"><a href=\"#top\">Back to top</a></p>\n</section>\n";
}

}  // namespace

std::string figure(const Chart& chart, std::string_view definition) {
  std::string out = "<figure class=\"chart\">\n";
  out += chart.svg;
  out += "\n";
  if (!definition.empty()) out += "<p class=\"definition\">" + escape_xml(definition) + "</p>\n";
  out += table_html(chart.table);
  out += "\n</figure>\n";
  return out;
}

std::string paragraph(std::string_view text, bool note) {
  return (note ? "<p class=\"note\">" : "<p>") + escape_xml(text) + "</p>\n";
}

Document::Document(std::string title, std::string subtitle)
    : title_(std::move(title)), subtitle_(std::move(subtitle)) {}

void Document::add(Section section) {
  sections_.push_back(std::move(section));
}

void Document::add_list(DealList list) {
  lists_.push_back(std::move(list));
}

std::string Document::to_html() const {
  std::string out;
  out += "<!DOCTYPE html>\n";
  out += "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\" xml:lang=\"en\">\n<head>\n";
  out += "<meta charset=\"utf-8\"/>\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
  out += "<title>" + escape_xml(title_) + "</title>\n";
  out += "<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n";

  out += "<header id=\"top\">\n<h1>" + escape_xml(title_) + "</h1>\n";
  if (!subtitle_.empty()) out += "<p class=\"subtitle\">" + escape_xml(subtitle_) + "</p>\n";
  out += "</header>\n";

  if (!sections_.empty() || !lists_.empty()) {
    out += "<nav class=\"toc\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n";
    for (const Section& s : sections_) {
      out += "<li><a href=\"#" + escape_xml(s.id) + "\">" + escape_xml(s.title) + "</a></li>\n";
    }
    if (!lists_.empty()) out += "<li><a href=\"#appendix\">Appendix: deal lists</a></li>\n";
    out += "</ol>\n</nav>\n";
  }

  out += "<main>\n";
  for (const Section& s : sections_) {
    out += "<section class=\"part\" id=\"" + escape_xml(s.id) + "\">\n<h2>" + escape_xml(s.title) + "</h2>\n";
    out += s.html;
    if (!s.html.empty() && s.html.back() != '\n') out += "\n";
    out += "</section>\n";
  }
  if (!lists_.empty()) {
    out += "<section class=\"part appendix\" id=\"appendix\">\n<h2>Appendix: deal lists</h2>\n";
    out += paragraph("The deals behind each linked bar, at most " +
                         format_number(static_cast<double>(appendix_cap_)) + " ids per list.",
                     true);
    for (const DealList& list : lists_) write_list(out, list, appendix_cap_);
    out += "</section>\n";
  }
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace dealflow::report
