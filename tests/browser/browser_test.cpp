// The real-browser check (issue 13): headless Chromium renders the page given by
// $DEALFLOW_BROWSER_PAGE (default: tests/browser/fixtures/report_fixture.html) and the detectors are
// tested on pages made to fail them. Six Chromium launches in all (about 1 s each here); without
// Chromium (or with DEALFLOW_NO_BROWSER=1) every test here is skipped, never passed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>

#include "browser/browser_support.h"

namespace {

namespace fs = std::filesystem;
using namespace dealflow::browser;

const fs::path kFixtures = fs::path(DEALFLOW_SOURCE_DIR) / "tests/browser/fixtures";

fs::path page_under_test() {
  const char* page = std::getenv("DEALFLOW_BROWSER_PAGE");
  return page != nullptr && *page != '\0' ? fs::path(page) : kFixtures / "report_fixture.html";
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& line : lines) s += "\n  " + line;
  return s;
}

bool any_contains(const std::vector<std::string>& lines, std::string_view needle) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(needle) != std::string::npos; });
}

class Browser : public ::testing::Test {
 protected:
  void SetUp() override {
    auto found = find_chromium();
    if (!found) GTEST_SKIP() << "chromium not found: " << found.status().message();
    chromium_ = *found;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    work_ = fs::path(DEALFLOW_TEST_TMP) / "browser" / info->name();
    std::error_code ec;
    fs::remove_all(work_, ec);
    fs::create_directories(work_);
  }

  fs::path chromium_;
  fs::path work_;
};

TEST_F(Browser, PageHasNoConsoleErrorsAndEveryChartElementInsideThePageWidth) {
  const fs::path page = page_under_test();
  ASSERT_TRUE(fs::is_regular_file(page)) << "DEALFLOW_BROWSER_PAGE: no such file " << page;
  std::string log;
  auto check = check_page(chromium_, page, work_, &log);
  ASSERT_TRUE(check) << check.status().to_string();
  EXPECT_TRUE(check->console_errors.empty()) << page << ":" << joined(check->console_errors);
  const auto logged = console_errors_in_log(log);
  EXPECT_TRUE(logged.empty()) << page << ": chromium's log:" << joined(logged);
  EXPECT_TRUE(check->overflowing.empty())
      << page << ": outside the " << kLayoutWidth << " px page:" << joined(check->overflowing);
  EXPECT_GT(check->elements, 0) << page << ": no svg or table to check";
}

TEST_F(Browser, PageRendersToANonBlankPngAndAPrintablePdf) {
  const fs::path page = page_under_test();
  ASSERT_TRUE(fs::is_regular_file(page)) << "DEALFLOW_BROWSER_PAGE: no such file " << page;
  // The page's height at the layout width is an upper bound of its height at 1280 px.
  auto probe = check_page(chromium_, page, work_);
  ASSERT_TRUE(probe) << probe.status().to_string();
  const int height = std::clamp(probe->page_height, kMinScreenshotHeight, kMaxScreenshotHeight);
  const fs::path png = work_ / "page.png";
  const fs::path pdf = work_ / "page.pdf";
  auto run = render(chromium_, page, height, png, pdf, work_);
  ASSERT_TRUE(run) << run.status().to_string();
  std::cout << "rendered " << page << " to " << png << " and " << pdf << " in " << run->seconds << " s\n";

  const auto logged = console_errors_in_log(run->err);
  EXPECT_TRUE(logged.empty()) << page << ": chromium's log:" << joined(logged);

  auto stats = png_stats(png);
  ASSERT_TRUE(stats) << stats.status().to_string();
  EXPECT_EQ(stats->width, kScreenshotWidth);
  EXPECT_EQ(stats->height, height);
  EXPECT_GT(stats->variance, kBlankVariance) << png << " looks blank (mean luminance " << stats->mean << ")";

  auto bytes = read_file(pdf);
  ASSERT_TRUE(bytes) << bytes.status().to_string();
  auto pages = pdf_page_count(*bytes);
  ASSERT_TRUE(pages) << pdf << ": " << pages.status().to_string();
  EXPECT_GE(*pages, 1) << pdf;
}

// The detectors' own tests: each must catch what it is for on a page made to fail it.

TEST_F(Browser, DetectorCatchesAConsoleErrorAndABrokenImage) {
  std::string log;
  auto check = check_page(chromium_, kFixtures / "detector_errors.html", work_, &log);
  ASSERT_TRUE(check) << check.status().to_string();
  EXPECT_EQ(check->console_errors.size(), 2u) << joined(check->console_errors);
  EXPECT_TRUE(any_contains(check->console_errors, "console.error: deliberate console error"))
      << joined(check->console_errors);
  EXPECT_TRUE(any_contains(check->console_errors, "Failed to load resource: <img> file://"))
      << joined(check->console_errors);
  EXPECT_TRUE(any_contains(check->console_errors, "does-not-exist.png")) << joined(check->console_errors);
  // Chromium's own log has the console line (but nothing for the image: see browser_support.h).
  EXPECT_TRUE(any_contains(console_errors_in_log(log), "deliberate console error")) << log;
  EXPECT_TRUE(check->overflowing.empty()) << joined(check->overflowing);
}

TEST_F(Browser, DetectorFindsABlankPageBlank) {
  const fs::path png = work_ / "blank.png";
  const fs::path pdf = work_ / "blank.pdf";
  auto run = render(chromium_, kFixtures / "detector_blank.html", kMinScreenshotHeight, png, pdf, work_);
  ASSERT_TRUE(run) << run.status().to_string();
  auto stats = png_stats(png);
  ASSERT_TRUE(stats) << stats.status().to_string();
  EXPECT_EQ(stats->width, kScreenshotWidth);
  EXPECT_EQ(stats->height, kMinScreenshotHeight);
  EXPECT_LE(stats->variance, kBlankVariance);
  EXPECT_GT(stats->mean, 250.0) << "a blank page is white";
  auto bytes = read_file(pdf);
  ASSERT_TRUE(bytes) << bytes.status().to_string();
  EXPECT_EQ(pdf_page_count(*bytes).value(), 1);
}

TEST_F(Browser, DetectorCatchesASvgWiderThanThePageAndALabelOutsideItsSvg) {
  auto check = check_page(chromium_, kFixtures / "detector_too_wide.html", work_);
  ASSERT_TRUE(check) << check.status().to_string();
  // The unscaled svg and its bar, the page's sideways scroll, and the label left of its viewBox;
  // the scaled svg stays inside.
  EXPECT_TRUE(any_contains(check->overflowing, "svg#too-wide spans 8.0..1008.0 px, page width 800 px"))
      << joined(check->overflowing);
  EXPECT_TRUE(any_contains(check->overflowing, "rect.mark.bar spans 8.0..958.0 px"))
      << joined(check->overflowing);
  EXPECT_TRUE(any_contains(check->overflowing, "the page scrolls sideways")) << joined(check->overflowing);
  EXPECT_TRUE(any_contains(check->overflowing, "text.label is drawn outside its svg#clipped"))
      << joined(check->overflowing);
  EXPECT_FALSE(any_contains(check->overflowing, "svg#scaled")) << joined(check->overflowing);
  EXPECT_EQ(check->overflowing.size(), 4u) << joined(check->overflowing);
  EXPECT_EQ(check->elements, 6);  // three svg elements, two rects and a text
  EXPECT_TRUE(check->console_errors.empty()) << joined(check->console_errors);
}

}  // namespace
