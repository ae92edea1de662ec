// The browser check's pure parts, without a browser: the log filter, the instrumented copy, reading
// the check's result from a dumped DOM, the PNG statistics and the PDF page count.
#include <gtest/gtest.h>
#include <png.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "browser/browser_support.h"

namespace {

namespace fs = std::filesystem;
using namespace dealflow::browser;

// Sets an environment variable for one scope and puts the old value back.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

fs::path temp_path(const std::string& name) {
  const fs::path dir = fs::path(DEALFLOW_TEST_TMP) / "browser-support";
  fs::create_directories(dir);
  return dir / name;
}

// Writes a grey-scale PNG of `width` x `height` whose pixel i is grey[i].
void write_grey_png(const fs::path& path, int width, int height, const std::vector<png_byte>& grey) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(height);
  image.format = PNG_FORMAT_GRAY;
  ASSERT_NE(png_image_write_to_file(&image, path.c_str(), 0, grey.data(), 0, nullptr), 0) << image.message;
}

// --- the log ---------------------------------------------------------------------------------------

// Lines in the format Chromium 156 prints with --enable-logging=stderr --v=0 (as seen on Debian 12).
constexpr std::string_view kLog =
    "/usr/bin/chromium: 9: [: 25324961792: unexpected operator\n"
    "[17729:17794:1206/022243.844604:ERROR:dbus/bus.cc:405] Failed to connect to the bus: Failed to connect "
    "to "
    "socket /run/dbus/system_bus_socket: No such file or directory\n"
    "[17823:17823:1206/022243.931980:WARNING:media/gpu/vaapi/vaapi_wrapper.cc:1655] drmGetDevices2() has not "
    "found any devices\n"
    "[17729:17729:1206/022244.344743:INFO:CONSOLE:10] \"error line\", source: file:///tmp/x.html (10)\n"
    "[17729:17729:1206/022244.543712:INFO:CONSOLE:13] \"Uncaught Error: thing\", source: file:///tmp/x.html "
    "(13)\n"
    "6162 bytes written to file /tmp/x.png\n";

TEST(BrowserLog, ReportsEveryConsoleLineAndNoBrowserNoise) {
  const auto found = console_errors_in_log(kLog);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(
      found[0],
      "[17729:17729:1206/022244.344743:INFO:CONSOLE:10] \"error line\", source: file:///tmp/x.html (10)");
  EXPECT_NE(found[1].find("Uncaught Error: thing"), std::string::npos);
}

TEST(BrowserLog, ReportsTheOlderConsoleFormatFailedLoadsAndRefusals) {
  const auto found = console_errors_in_log(
      "[1:1:0101/000000.000000:INFO:CONSOLE(3)] \"x\", source: file:///a.html (3)\n"
      "Failed to load resource: net::ERR_FILE_NOT_FOUND\n"
      "Refused to load the image 'http://example.invalid/a.png' because it violates the CSP\n"
      "[1:1:0101/000000.000000:INFO:ui/base/idle/idle_linux.cc:111] None of the known services\n");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(found[1], "Failed to load resource: net::ERR_FILE_NOT_FOUND");
}

TEST(BrowserLog, EmptyLogHasNothing) {
  EXPECT_TRUE(console_errors_in_log("").empty());
}

// --- the instrumented copy -----------------------------------------------------------------------

TEST(BrowserInstrument, HookFirstInHeadAndCheckBeforeTheLastBodyEnd) {
  const std::string page =
      "<!DOCTYPE html><html lang=\"ru\"><head lang=\"ru\"><title>т</title></head>"
      "<body><header>h</header><p>Привет</p></body></html>";
  const std::string out = instrument_page(page);
  const size_t hook = out.find("dealflow browser check: hooks");
  const size_t check = out.find("dealflow browser check: layout");
  ASSERT_NE(hook, std::string::npos);
  ASSERT_NE(check, std::string::npos);
  EXPECT_EQ(out.find("<head lang=\"ru\"><script>"), out.find("<head lang=\"ru\">")) << out;
  EXPECT_LT(hook, out.find("<title>"));
  EXPECT_GT(check, out.find("<p>Привет</p>"));
  EXPECT_EQ(out.substr(out.size() - 14), "</body></html>");
  // Nothing of the page is lost: removing the two scripts gives it back.
  std::string back = out;
  for (int i = 0; i < 2; ++i) {
    const size_t start = back.find("<script>/* dealflow browser check");
    ASSERT_NE(start, std::string::npos);
    back.erase(start, back.find("</script>", start) + 9 - start);
  }
  EXPECT_EQ(back, page);
}

TEST(BrowserInstrument, WithoutHeadTheHookFollowsHtmlAndWithoutTagsBothWrapThePage) {
  const std::string no_head = instrument_page("<html><header>x</header></html>");
  EXPECT_EQ(no_head.rfind("<html><script>", 0), 0u) << no_head;
  EXPECT_NE(no_head.find("<header>x</header>"), std::string::npos);

  const std::string bare = instrument_page("<p>x</p>");
  EXPECT_EQ(bare.rfind("<script>/* dealflow browser check: hooks", 0), 0u);
  EXPECT_NE(bare.find("<p>x</p><script>/* dealflow browser check: layout"), std::string::npos);
  EXPECT_EQ(bare.substr(bare.size() - 9), "</script>");
}

// --- the check's result in the dumped DOM --------------------------------------------------------

TEST(BrowserPageCheck, ReadsACleanResult) {
  auto check = parse_page_check(
      "<html><body><p>x</p><pre id=\"console-check\">console-ok</pre>"
      "<pre id=\"layout-check\">layout-ok 57 elements\npage-height 2345</pre></body></html>");
  ASSERT_TRUE(check) << check.status().to_string();
  EXPECT_TRUE(check->console_errors.empty());
  EXPECT_TRUE(check->overflowing.empty());
  EXPECT_EQ(check->elements, 57);
  EXPECT_EQ(check->page_height, 2345);
}

TEST(BrowserPageCheck, ReadsFindingsAndUnescapesThem) {
  auto check = parse_page_check(
      "<pre id=\"console-check\">console-errors 2\nconsole.error: a &amp; b\n"
      "Failed to load resource: &lt;img&gt; file:///x.png</pre>"
      "<pre id=\"layout-check\">layout-overflow 1 of 9 elements\n"
      "svg#w spans 8.0..1008.0 px, page width 800 px\npage-height 700</pre>");
  ASSERT_TRUE(check) << check.status().to_string();
  EXPECT_EQ(
      check->console_errors,
      (std::vector<std::string>{"console.error: a & b", "Failed to load resource: <img> file:///x.png"}));
  EXPECT_EQ(check->overflowing, std::vector<std::string>{"svg#w spans 8.0..1008.0 px, page width 800 px"});
  EXPECT_EQ(check->elements, 9);
  EXPECT_EQ(check->page_height, 700);
}

TEST(BrowserPageCheck, MissingOrMalformedBlocksAreErrors) {
  const std::string console_ok = "<pre id=\"console-check\">console-ok</pre>";
  struct Case {
    std::string dom;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"<html><body></body></html>", "no <pre id=\"console-check\">"},
      {console_ok, "no <pre id=\"layout-check\">"},
      {console_ok + "<pre id=\"layout-check\">layout-ok 3 elements", "is not closed"},
      {console_ok + "<pre id=\"layout-check\">layout-ok 3 elements</pre>", "page-height N"},
      {console_ok + "<pre id=\"layout-check\">layout-overflow 2 of 9 elements\nonly one\npage-height 5</pre>",
       "layout-overflow K of N"},
      {console_ok + "<pre id=\"layout-check\">layout-wat\npage-height 5</pre>", "layout-ok N elements"},
      {"<pre id=\"console-check\">console-errors 3\na</pre><pre id=\"layout-check\">layout-ok 1 elements\n"
       "page-height 5</pre>",
       "console-errors N"},
  };
  for (const auto& c : cases) {
    auto check = parse_page_check(c.dom);
    ASSERT_FALSE(check) << c.dom;
    EXPECT_EQ(check.status().code(), dealflow::ErrorCode::parse_error);
    EXPECT_NE(check.status().message().find(c.message), std::string::npos)
        << c.dom << "\n -> " << check.status().message();
  }
}

// --- PNG -------------------------------------------------------------------------------------------

TEST(BrowserPng, UniformImageHasNoVariance) {
  const fs::path path = temp_path("uniform.png");
  write_grey_png(path, 4, 3, std::vector<png_byte>(12, 200));
  auto stats = png_stats(path);
  ASSERT_TRUE(stats) << stats.status().to_string();
  EXPECT_EQ(stats->width, 4);
  EXPECT_EQ(stats->height, 3);
  EXPECT_NEAR(stats->mean, 200.0, 1e-9);
  EXPECT_NEAR(stats->variance, 0.0, 1e-9);
}

TEST(BrowserPng, HalfBlackHalfWhiteHasTheVarianceOfTwoPoints) {
  // Luminance 0 and 255 in equal shares: mean 127.5, variance 127.5^2 = 16256.25.
  const fs::path path = temp_path("half.png");
  write_grey_png(path, 2, 2, {0, 255, 255, 0});
  auto stats = png_stats(path);
  ASSERT_TRUE(stats) << stats.status().to_string();
  EXPECT_NEAR(stats->mean, 127.5, 1e-6);
  EXPECT_NEAR(stats->variance, 16256.25, 1e-3);
  EXPECT_GT(stats->variance, kBlankVariance);
}

TEST(BrowserPng, ASmallMarkOnWhiteIsAboveTheBlankThreshold) {
  // 1 black pixel in 100: variance = 0.01 * 0.99 * 255^2 = 643.7..., far above the threshold.
  const fs::path path = temp_path("mark.png");
  std::vector<png_byte> grey(100, 255);
  grey[42] = 0;
  write_grey_png(path, 10, 10, grey);
  auto stats = png_stats(path);
  ASSERT_TRUE(stats) << stats.status().to_string();
  EXPECT_NEAR(stats->variance, 0.01 * 0.99 * 255.0 * 255.0, 1e-3);
}

TEST(BrowserPng, MissingAndNonPngFilesAreErrorsNamingTheFile) {
  auto missing = png_stats(temp_path("no-such.png"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.status().to_string().find("no-such.png"), std::string::npos);

  const fs::path text = temp_path("not-a.png");
  std::ofstream(text) << "hello";
  auto bad = png_stats(text);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().code(), dealflow::ErrorCode::parse_error);
  EXPECT_NE(bad.status().to_string().find("not-a.png"), std::string::npos);
}

// --- PDF -------------------------------------------------------------------------------------------

TEST(BrowserPdf, CountsPageObjectsNotThePageTree) {
  const std::string pdf =
      "%PDF-1.4\n1 0 obj\n<</Type /Pages\n/Count 2\n/Kids [2 0 R 3 0 R]>>\nendobj\n"
      "2 0 obj\n<</Type /Page\n/Parent 1 0 R>>\nendobj\n3 0 obj\n<</Type/Page/Parent 1 0 R>>\nendobj\n"
      "4 0 obj\n<</Type /PageLabel>>\nendobj\n%%EOF\n";
  auto pages = pdf_page_count(pdf);
  ASSERT_TRUE(pages) << pages.status().to_string();
  EXPECT_EQ(*pages, 2);
  EXPECT_EQ(pdf_page_count("%PDF-1.7\n%%EOF\n").value(), 0);
}

TEST(BrowserPdf, ANonPdfIsAnError) {
  auto pages = pdf_page_count("<html>");
  ASSERT_FALSE(pages);
  EXPECT_EQ(pages.status().code(), dealflow::ErrorCode::parse_error);
  EXPECT_NE(pages.status().message().find("%PDF-"), std::string::npos);
  EXPECT_FALSE(pdf_page_count(""));
}

// --- launching (with a stand-in for the browser: a shell script) ---------------------------------

fs::path fake_browser(const std::string& name, const std::string& body) {
  const fs::path path = temp_path(name);
  std::ofstream(path) << "#!/bin/sh\n" << body;
  fs::permissions(path, fs::perms::owner_all, fs::perm_options::add);
  return path;
}

TEST(BrowserLaunch, PassesTheHeadlessFlagsAFreshProfileTheArgumentsAndTheUrlLast) {
  const fs::path work = temp_path("launch-args");
  fs::remove_all(work);
  const fs::path fake =
      fake_browser("echo-args.sh", "for a in \"$@\"; do echo \"$a\"; done\necho 'to stderr' >&2\n");
  auto run = launch(fake, {"--dump-dom", "--window-size=800,600"}, "file:///x.html", work);
  ASSERT_TRUE(run) << run.status().to_string();
  EXPECT_EQ(run->exit_code, 0);
  EXPECT_FALSE(run->timed_out);
  EXPECT_EQ(run->err, "to stderr\n");
  std::vector<std::string> args;
  std::istringstream lines(run->out);
  for (std::string line; std::getline(lines, line);) args.push_back(line);
  ASSERT_EQ(args.size(), 10u) << run->out;
  EXPECT_EQ(std::vector<std::string>(args.begin(), args.begin() + 6),
            (std::vector<std::string>{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                      "--enable-logging=stderr", "--v=0"}));
  const std::string profile_flag = "--user-data-dir=" + (work / "profile-").string();
  EXPECT_EQ(args[6].rfind(profile_flag, 0), 0u) << args[6];
  EXPECT_EQ(args[7], "--dump-dom");
  EXPECT_EQ(args[8], "--window-size=800,600");
  EXPECT_EQ(args[9], "file:///x.html");
  // The profile is removed afterwards.
  EXPECT_FALSE(fs::exists(args[6].substr(std::string("--user-data-dir=").size())));
}

TEST(BrowserLaunch, ReportsTheExitCode) {
  auto run = launch(fake_browser("exit3.sh", "exit 3\n"), {}, "file:///x.html", temp_path("launch-exit"));
  ASSERT_TRUE(run) << run.status().to_string();
  EXPECT_EQ(run->exit_code, 3);
}

TEST(BrowserLaunch, KillsABrowserThatHangsAfterTheTimeout) {
  const auto start = std::chrono::steady_clock::now();
  auto run = launch(fake_browser("hang.sh", "sleep 30 &\nsleep 30\n"), {}, "file:///x.html",
                    temp_path("launch-hang"), std::chrono::seconds(1));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(run);
  EXPECT_EQ(run.status().code(), dealflow::ErrorCode::io_error);
  EXPECT_NE(run.status().message().find("did not finish within 1 s (killed)"), std::string::npos)
      << run.status().message();
  EXPECT_LT(seconds, 10.0);
}

TEST(BrowserLaunch, ANonExecutableBrowserIsAnError) {
  const fs::path not_executable = temp_path("not-executable");
  std::ofstream(not_executable) << "x";
  fs::permissions(not_executable, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                  fs::perm_options::remove);
  auto run = launch(not_executable, {}, "file:///x.html", temp_path("launch-noexec"));
  ASSERT_FALSE(run);
  EXPECT_NE(run.status().message().find("cannot execute"), std::string::npos) << run.status().message();
}

// --- finding the browser and naming pages ----------------------------------------------------------

TEST(BrowserFind, NoBrowserWhenAskedNotToAndABadExplicitPathIsNamed) {
  {
    ScopedEnv no("DEALFLOW_NO_BROWSER", "1");
    auto found = find_chromium();
    ASSERT_FALSE(found);
    EXPECT_NE(found.status().message().find("DEALFLOW_NO_BROWSER=1"), std::string::npos);
  }
  ScopedEnv no("DEALFLOW_NO_BROWSER", nullptr);
  ScopedEnv given("DEALFLOW_CHROMIUM", "/nonexistent/chromium");
  auto found = find_chromium();
  ASSERT_FALSE(found);
  EXPECT_NE(found.status().message().find("/nonexistent/chromium"), std::string::npos);
}

TEST(BrowserFind, EmptyPathFindsNothing) {
  ScopedEnv no("DEALFLOW_NO_BROWSER", nullptr);
  ScopedEnv given("DEALFLOW_CHROMIUM", nullptr);
  ScopedEnv path("PATH", "/nonexistent");
  auto found = find_chromium();
  ASSERT_FALSE(found);
  EXPECT_NE(found.status().message().find("chromium"), std::string::npos);
}

TEST(BrowserUrl, EncodesSpacesAndCyrillic) {
  EXPECT_EQ(file_url("/tmp/a b/отчёт.html"), "file:///tmp/a%20b/%D0%BE%D1%82%D1%87%D1%91%D1%82.html");
  EXPECT_EQ(file_url("/tmp/./x/../r-1_2~.html"), "file:///tmp/r-1_2~.html");
}

}  // namespace
