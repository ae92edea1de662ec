// Reading the report's SVG and HTML with libxml2's XML parser in tests: a strict
// parse (no recovery, no network), XPath counts and node texts with the SVG
// namespace bound to the prefix "svg" and XHTML to "h".
//
// Example:
//   auto doc = xml_support::parse(chart.svg);
//   ASSERT_TRUE(doc.ok()) << doc.error;
//   EXPECT_EQ(doc.count("//svg:rect[contains(@class,'mark')]"), 3);
//   auto labels = doc.texts("//svg:text");
#pragma once

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace xml_support {

inline constexpr const char* kSvgNs = "http://www.w3.org/2000/svg";
inline constexpr const char* kXhtmlNs = "http://www.w3.org/1999/xhtml";

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct ContextFree {
  void operator()(xmlXPathContext* c) const { xmlXPathFreeContext(c); }
};
struct ObjectFree {
  void operator()(xmlXPathObject* o) const { xmlXPathFreeObject(o); }
};

// Swallows libxml2's messages on stderr; the first error is kept by parse().
inline void quiet_errors(void*, const char*, ...) {}

class Doc {
 public:
  std::unique_ptr<xmlDoc, DocFree> doc;
  std::string error;  // the parser's message when the text is not well-formed XML

  bool ok() const { return doc != nullptr; }

  // The nodes an XPath 1.0 expression selects (empty on error or no document).
  std::vector<xmlNode*> nodes(const std::string& xpath) const {
    std::vector<xmlNode*> out;
    if (!doc) return out;
    std::unique_ptr<xmlXPathContext, ContextFree> ctx(xmlXPathNewContext(doc.get()));
    xmlXPathRegisterNs(ctx.get(), BAD_CAST "svg", BAD_CAST kSvgNs);
    xmlXPathRegisterNs(ctx.get(), BAD_CAST "h", BAD_CAST kXhtmlNs);
    std::unique_ptr<xmlXPathObject, ObjectFree> obj(
        xmlXPathEvalExpression(BAD_CAST xpath.c_str(), ctx.get()));
    if (!obj || obj->type != XPATH_NODESET || obj->nodesetval == nullptr) return out;
    for (int i = 0; i < obj->nodesetval->nodeNr; ++i) out.push_back(obj->nodesetval->nodeTab[i]);
    return out;
  }
  int count(const std::string& xpath) const { return static_cast<int>(nodes(xpath).size()); }
  // The text content of each selected node, in document order.
  std::vector<std::string> texts(const std::string& xpath) const {
    std::vector<std::string> out;
    for (xmlNode* n : nodes(xpath)) out.push_back(text_of(n));
    return out;
  }

  static std::string text_of(xmlNode* n) {
    xmlChar* s = xmlNodeGetContent(n);
    std::string out = s ? reinterpret_cast<const char*>(s) : "";
    xmlFree(s);
    return out;
  }
  // An attribute's value ("" when absent).
  static std::string attr(xmlNode* n, const char* name) {
    xmlChar* s = xmlGetProp(n, BAD_CAST name);
    std::string out = s ? reinterpret_cast<const char*>(s) : "";
    xmlFree(s);
    return out;
  }
};

// Parses `text` strictly: XML_PARSE_NONET, no recovery; errors are not printed.
inline Doc parse(std::string_view text) {
  Doc out;
  xmlSetGenericErrorFunc(nullptr, quiet_errors);
  out.doc.reset(xmlReadMemory(text.data(), static_cast<int>(text.size()), "test.xml", "UTF-8",
                              XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR));
  if (!out.doc) {
    const xmlError* e = xmlGetLastError();
    out.error = e && e->message ? std::string(e->message) + " at line " + std::to_string(e->line)
                                : std::string("not well-formed XML");
    while (!out.error.empty() && out.error.back() == '\n') out.error.pop_back();
    xmlResetLastError();
  }
  return out;
}

}  // namespace xml_support
