// tests/browser/browser_support.h: the real-browser check of an HTML page (issue 13).
//
// Renders a page with headless Chromium and checks what a reader would see:
//  - no console errors, failed resource loads or refused (CSP) loads;
//  - the PNG screenshot is not blank (pixel variance, decoded with libpng);
//  - every SVG element and every table lies inside the page width (800 px window, so that
//    `max-width:100%` scaling is exercised);
//  - the PDF (print) starts with "%PDF-" and has at least one page.
// The pure parts (instrumenting a copy of the page, reading Chromium's log, the dumped DOM, a PNG,
// a PDF) are separate functions so the suite tests them without a browser.
//
// Chromium 156 no longer prints a console message's level in its log ("INFO:CONSOLE:12]" for
// console.log and console.error alike) and prints nothing for a failed <img>; so the check runs a
// COPY of the page with a test-only hook script (console.error/assert, uncaught errors, resource
// `error` events, `securitypolicyviolation`) and reads the hook's findings from the dumped DOM, and
// treats every console line of the log as an error (a report has no script: any console output is a
// message from the browser about the page). See docs/browser-check.md.
//
// Every launch gets a fresh temporary --user-data-dir (removed afterwards) and is killed after
// `kLaunchTimeout`: a test never hangs.
//
// Thread-safety: free functions without shared state; launches from several threads work but the
// suite runs them one at a time (2 cores shared by the team).
//
// Example:
//   auto chromium = find_chromium();
//   if (!chromium) GTEST_SKIP() << "chromium not found: " << chromium.status().message();
//   auto check = check_layout(*chromium, page, work_dir);
//   ASSERT_TRUE(check) << check.status().to_string();
//   EXPECT_TRUE(check->overflowing.empty());
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/core/status.h"

namespace dealflow::browser {

inline constexpr std::chrono::seconds kLaunchTimeout{60};
// The window of the layout check: barely wider than a chart (720 user units plus the page's
// margins), so that a chart wider than its box or a table without wrapping shows up, and
// `max-width:100%` scaling is exercised.
inline constexpr int kLayoutWidth = 800;
inline constexpr int kScreenshotWidth = 1280;
// The screenshot's height is the page's height at kLayoutWidth (an upper bound at 1280 px),
// clamped to this range (Skia's largest bitmap side is 16384).
inline constexpr int kMinScreenshotHeight = 600;
inline constexpr int kMaxScreenshotHeight = 16000;
// Variance of the luminance (0..255) below which a screenshot counts as blank. A white page is 0;
// a single short line of text on 1280x600 is about 10; the fixture report is in the thousands.
inline constexpr double kBlankVariance = 4.0;

// The Chromium executable: $DEALFLOW_CHROMIUM when set, else `chromium` or `chromium-browser` on
// $PATH. Not found (the message says why) when DEALFLOW_NO_BROWSER=1 or none is executable.
Result<std::filesystem::path> find_chromium();

struct Launch {
  int exit_code = -1;  // -1 when killed by a signal
  bool timed_out = false;
  std::string out;  // stdout (the DOM with --dump-dom)
  std::string err;  // stderr (the log with --enable-logging=stderr)
  double seconds = 0;
};

// Runs `chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr
// --v=0 --user-data-dir=<fresh temp dir under work_dir> <args...> <url>` and waits at most
// `timeout` (then kills the process group). Error: io_error when it cannot start or times out.
Result<Launch> launch(const std::filesystem::path& chromium, const std::vector<std::string>& args,
                      const std::string& url, const std::filesystem::path& work_dir,
                      std::chrono::seconds timeout = kLaunchTimeout);

// "file://" + the absolute path, percent-encoding what a URL cannot hold (spaces, non-ASCII).
std::string file_url(const std::filesystem::path& path);

// --- the instrumented copy (layout and console check) -------------------------------------------

// The page with the hook script inserted first in <head> (or after <html ...>, or at the start)
// and the check script inserted before the last </body> (or at the end). On `load` the check
// script writes <pre id="console-check"> and <pre id="layout-check"> (see parse_page_check).
std::string instrument_page(std::string_view html);

struct PageCheck {
  std::vector<std::string> console_errors;  // "console.error: ...", "Failed to load resource: ..."
  int elements = 0;                         // svg, svg descendants and tables looked at
  std::vector<std::string> overflowing;     // "rect.mark.bar spans 10.0..1008.0 px, page width 800 px"
  int page_height = 0;                      // CSS px at the check's window width
};

// Reads the two <pre> blocks from the DOM that `chromium --dump-dom` printed. Error (parse_error)
// when a block is missing or malformed: the check script did not run.
Result<PageCheck> parse_page_check(std::string_view dom);

// Writes an instrumented copy of `page` into `work_dir`, dumps its DOM at kLayoutWidth and parses
// the result; `log` receives Chromium's stderr (for console_errors_in_log).
Result<PageCheck> check_page(const std::filesystem::path& chromium, const std::filesystem::path& page,
                             const std::filesystem::path& work_dir, std::string* log = nullptr);

// --- the log -------------------------------------------------------------------------------------

// The lines of a Chromium log that report a problem with the page: every console line
// ("...:CONSOLE:12] ..." in Chromium 156, "...:CONSOLE(12)] ..." before), and any line with
// "Failed to load resource", "Refused to" or "Uncaught". Browser noise (D-Bus, GPU) is not reported.
std::vector<std::string> console_errors_in_log(std::string_view log);

// --- PNG and PDF ---------------------------------------------------------------------------------

struct PngStats {
  int width = 0;
  int height = 0;
  double mean = 0;      // luminance 0..255 (0.299 R + 0.587 G + 0.114 B)
  double variance = 0;  // of the luminance over all pixels
};

// Decodes a PNG file with libpng. Error (io_error / parse_error) naming the file.
Result<PngStats> png_stats(const std::filesystem::path& png);

// Renders the unmodified page to `png` (kScreenshotWidth x height) and `pdf` in one launch; the
// launch's stderr is returned for console_errors_in_log.
Result<Launch> render(const std::filesystem::path& chromium, const std::filesystem::path& page, int height,
                      const std::filesystem::path& png, const std::filesystem::path& pdf,
                      const std::filesystem::path& work_dir);

// The number of page objects ("/Type /Page", not "/Pages") of a PDF held in `bytes`. Error
// (parse_error) when it does not start with "%PDF-".
Result<int> pdf_page_count(std::string_view bytes);

// The file's bytes. Error (io_error) naming the file.
Result<std::string> read_file(const std::filesystem::path& path);

}  // namespace dealflow::browser
