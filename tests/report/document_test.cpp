// Document::to_html, figure and paragraph: the page is well-formed XML in the
// XHTML namespace, self-contained (no script, no network, no src=), with a
// table of contents, the sections in order, print CSS, and the appendix of
// deal lists capped with "… and N more"; the same document gives the same bytes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dealflow/report/chart.h"
#include "dealflow/report/document.h"
#include "report/xml_support.h"

namespace dealflow::report {
namespace {

using xml_support::Doc;

Chart movement_chart() {
  WaterfallSpec spec;
  spec.title = "Движение воронки";
  spec.value_label = "deals";
  spec.steps = {{"open at start", 5, "", ""}, {"+ created", 2, "created", ""}, {"open at end", 7, "", ""}};
  return waterfall(spec);
}

Document sample() {
  Document doc("Отчёт по продажам <Q3> & план", "воронка «Продажи», 2024-Q3");
  Section funnel{"funnel", "Воронка", ""};
  funnel.html += paragraph("Step conversion = reached next / reached.");
  funnel.html += paragraph("Counting rule: a deal counts at every stage it reached.", true);
  doc.add(std::move(funnel));
  Section movement{"movement", "Pipeline movement",
                   figure(movement_chart(), "Open amount: sum of deals < won & lost.")};
  doc.add(std::move(movement));
  doc.add_list({"created", "Created in the period", {"D-1", "D-2", "D-3", "D-4", "D-5"}});
  doc.add_list({"lost", "Lost <in period>", {}});
  doc.set_appendix_cap(3);
  return doc;
}

TEST(Document, PageIsWellFormedXhtml) {
  const std::string html = sample().to_html();
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\""));
  const Doc page = xml_support::parse(html);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(page.count("/h:html/h:head/h:meta[@charset='utf-8']"), 1);
  EXPECT_EQ(page.count("/h:html/h:head/h:style"), 1);
  EXPECT_EQ(page.count("//h:figure[@class='chart']/svg:svg"), 1);
  EXPECT_EQ(page.count("//h:figure[@class='chart']/h:table[@class='data']"), 1);
}

TEST(Document, SelfContained) {
  const std::string html = sample().to_html();
  const Doc page = xml_support::parse(html);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(page.count("//h:script | //svg:script"), 0);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(page.count("//@src"), 0);
  EXPECT_EQ(page.count("//h:link | //h:img | //h:iframe | //h:object"), 0);
  // "http" only in the two namespace names, never in a link or the style sheet.
  std::string rest = html;
  for (const std::string ns :
       {"xmlns=\"http://www.w3.org/1999/xhtml\"", "xmlns=\"http://www.w3.org/2000/svg\""}) {
    for (auto at = rest.find(ns); at != std::string::npos; at = rest.find(ns)) rest.erase(at, ns.size());
  }
  EXPECT_EQ(rest.find("http"), std::string::npos);
  EXPECT_EQ(rest.find("url("), std::string::npos);
  EXPECT_EQ(rest.find("@import"), std::string::npos);
  for (const std::string& href : page.texts("//@href")) EXPECT_TRUE(href.starts_with("#")) << href;
}

TEST(Document, TableOfContentsListsEverySection) {
  const Doc page = xml_support::parse(sample().to_html());
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(page.texts("//h:nav[@class='toc']//h:a/@href"),
            (std::vector<std::string>{"#funnel", "#movement", "#appendix"}));
  EXPECT_EQ(page.texts("//h:nav[@class='toc']//h:a"),
            (std::vector<std::string>{"Воронка", "Pipeline movement", "Appendix: deal lists"}));
  EXPECT_EQ(page.texts("//h:main/h:section/@id"),
            (std::vector<std::string>{"funnel", "movement", "appendix"}));
  EXPECT_EQ(page.texts("//h:main/h:section/h:h2"),
            (std::vector<std::string>{"Воронка", "Pipeline movement", "Appendix: deal lists"}));
  // Every in-page link, the waterfall's included, has its target.
  for (const std::string& href : page.texts("//@href")) {
    EXPECT_EQ(page.count("//*[@id='" + href.substr(1) + "']"), 1) << href;
  }
  EXPECT_EQ(page.count("//svg:a[@href='#list-created']"), 1);
}

TEST(Document, AppendixListsAreCapped) {
  const Doc page = xml_support::parse(sample().to_html());
  ASSERT_TRUE(page.ok()) << page.error;
  const std::string created = "//h:section[@id='list-created']";
  EXPECT_EQ(page.texts(created + "/h:h3"), (std::vector<std::string>{"Created in the period"}));
  EXPECT_EQ(page.texts(created + "/h:p[@class='count']"), (std::vector<std::string>{"5 deals"}));
  EXPECT_EQ(page.texts(created + "//h:li"), (std::vector<std::string>{"D-1", "D-2", "D-3"}));
  EXPECT_EQ(page.texts(created + "/h:p[@class='more']"), (std::vector<std::string>{"… and 2 more"}));
  EXPECT_EQ(page.count(created + "//h:a[@href='#top']"), 1);
  EXPECT_EQ(page.count("//*[@id='top']"), 1);

  const std::string lost = "//h:section[@id='list-lost']";
  EXPECT_EQ(page.texts(lost + "/h:h3"), (std::vector<std::string>{"Lost <in period>"}));
  EXPECT_EQ(page.texts(lost + "/h:p[@class='count']"), (std::vector<std::string>{"0 deals"}));
  EXPECT_EQ(page.count(lost + "//h:li | " + lost + "/h:p[@class='more']"), 0);
}

TEST(Document, UncappedListHasNoMoreLine) {
  Document doc("Report", "");
  doc.add_list({"won", "Won", {"7", "8"}});
  const Doc page = xml_support::parse(doc.to_html());
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(page.texts("//h:section[@id='list-won']//h:li"), (std::vector<std::string>{"7", "8"}));
  EXPECT_EQ(page.count("//h:p[@class='more']"), 0);
  EXPECT_EQ(page.count("//h:p[@class='subtitle']"), 0);  // no empty subtitle
}

TEST(Document, CyrillicAndMarkupInTextAreEscaped) {
  const std::string html = sample().to_html();
  const Doc page = xml_support::parse(html);
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(page.texts("/h:html/h:head/h:title"),
            (std::vector<std::string>{"Отчёт по продажам <Q3> & план"}));
  EXPECT_EQ(page.texts("//h:header/h:h1"), (std::vector<std::string>{"Отчёт по продажам <Q3> & план"}));
  EXPECT_EQ(page.texts("//h:header/h:p[@class='subtitle']"),
            (std::vector<std::string>{"воронка «Продажи», 2024-Q3"}));
  EXPECT_NE(html.find("Отчёт по продажам &lt;Q3&gt; &amp; план"), std::string::npos);
  EXPECT_EQ(page.texts("//h:p[@class='definition']"),
            (std::vector<std::string>{"Open amount: sum of deals < won & lost."}));
}

TEST(Document, PrintStyles) {
  const Doc page = xml_support::parse(sample().to_html());
  ASSERT_TRUE(page.ok()) << page.error;
  const std::string css = page.texts("//h:style")[0];
  EXPECT_NE(css.find("DejaVu Sans, Arial, sans-serif"), std::string::npos);
  EXPECT_NE(css.find("@media print"), std::string::npos);
  EXPECT_NE(css.find("size: A4"), std::string::npos);
  EXPECT_NE(css.find("section.part { break-before: page; page-break-before: always; }"), std::string::npos);
  EXPECT_NE(css.find("break-inside: avoid"), std::string::npos);
  EXPECT_NE(css.find("td.num"), std::string::npos);
  EXPECT_EQ(page.count("//h:main/h:section[contains(@class,'part')]"), 3);
}

TEST(Document, FigureAndParagraph) {
  const Chart chart = movement_chart();
  const std::string fig = figure(chart, "Δ = end − start");
  const Doc doc = xml_support::parse(fig);
  ASSERT_TRUE(doc.ok()) << doc.error;
  EXPECT_EQ(doc.count("/*[local-name()='figure' and @class='chart']/svg:svg"), 1);
  EXPECT_EQ(doc.texts("//*[local-name()='p' and @class='definition']"),
            (std::vector<std::string>{"Δ = end − start"}));
  EXPECT_EQ(doc.count("//*[local-name()='table']"), 1);
  EXPECT_EQ(figure(chart, "").find("definition"), std::string::npos);

  EXPECT_EQ(paragraph("a < b & c"), "<p>a &lt; b &amp; c</p>\n");
  EXPECT_EQ(paragraph("note", true), "<p class=\"note\">note</p>\n");
}

TEST(Document, EmptyDocumentHasNoContents) {
  Document doc("Empty", "nothing given");
  EXPECT_TRUE(doc.empty());
  const Doc page = xml_support::parse(doc.to_html());
  ASSERT_TRUE(page.ok()) << page.error;
  EXPECT_EQ(page.count("//h:nav"), 0);
  EXPECT_EQ(page.count("//h:section"), 0);
}

TEST(Document, SameInputsSameBytes) {
  const Document doc = sample();
  EXPECT_EQ(doc.to_html(), doc.to_html());
  EXPECT_EQ(sample().to_html(), sample().to_html());
}

}  // namespace
}  // namespace dealflow::report
