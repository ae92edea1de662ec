// dealflow/report/document.h: the self-contained HTML file of `dealflow
// report`: one page, inline CSS and SVG, no script, no network, no external
// file; printable (A4, each section starts on a new page) and byte-identical for
// the same inputs (no timestamp unless the caller puts one in the subtitle).
//
// The page is polyglot HTML5: also well-formed XML (every element closed,
// attributes quoted, text escaped), so tests and tools can read it with an XML
// parser. Sections are written in the order they are added, with a table of
// contents; each section has an id (its anchor). The appendix holds named
// lists of deal ids (a waterfall bar links to one): at most `appendix_cap` ids
// per list are written, followed by "… and N more".
//
// Ownership: a Document owns copies of everything added. Thread-safety: a value,
// not synchronised.
//
// Example:
//   dealflow::report::Document doc("Sales report", "sales pipeline, 2024-Q3");
//   dealflow::report::Section funnel{"funnel", "Funnel", {}};
//   funnel.html += dealflow::report::figure(chart, "Step conversion = reached next / reached.");
//   doc.add(std::move(funnel));
//   std::string html = doc.to_html();
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/report/chart.h"

namespace dealflow::report {

struct Section {
  std::string id;     // anchor, [a-z0-9-]+
  std::string title;  // plain text
  std::string html;   // body markup (figures, tables, paragraphs), well-formed XML
};

// A list of deal ids an in-page link points to (anchor "list-<id>").
struct DealList {
  std::string id;  // [a-z0-9-]+
  std::string title;
  std::vector<std::string> deal_ids;
};

// <figure class="chart"> holding the chart's SVG, the definition line
// (<p class="definition">, escaped) and the table of its numbers.
std::string figure(const Chart& chart, std::string_view definition);
// <p> with escaped text; <p class="note"> for a note.
std::string paragraph(std::string_view text, bool note = false);

class Document {
 public:
  Document(std::string title, std::string subtitle);
  void add(Section section);
  void add_list(DealList list);
  void set_appendix_cap(std::size_t cap) { appendix_cap_ = cap; }
  bool empty() const { return sections_.empty(); }
  std::string to_html() const;

 private:
  std::string title_, subtitle_;
  std::vector<Section> sections_;
  std::vector<DealList> lists_;
  std::size_t appendix_cap_ = 500;
};

}  // namespace dealflow::report
