// Launching Chromium, reading its log, the PNG and the PDF (browser_support.h).
#include "browser/browser_support.h"

#include <fcntl.h>
#include <png.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace dealflow::browser {
namespace fs = std::filesystem;

namespace {

bool executable(const fs::path& p) {
  return ::access(p.c_str(), X_OK) == 0 && fs::is_regular_file(p);
}

// A fresh directory under `parent` (mkdtemp).
Result<fs::path> make_temp_dir(const fs::path& parent, const std::string& prefix) {
  std::error_code ec;
  fs::create_directories(parent, ec);
  std::string pattern = (parent / (prefix + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Status(ErrorCode::io_error,
                  "cannot create a temporary directory: " + std::string(std::strerror(errno)),
                  Location{pattern, 0, 0, ""});
  }
  return fs::path(pattern);
}

}  // namespace

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::io_error, "cannot open the file", Location{path.string(), 0, 0, ""});
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Result<fs::path> find_chromium() {
  if (const char* no = std::getenv("DEALFLOW_NO_BROWSER"); no != nullptr && std::string_view(no) == "1") {
    return Status(ErrorCode::not_found, "DEALFLOW_NO_BROWSER=1 is set");
  }
  if (const char* given = std::getenv("DEALFLOW_CHROMIUM"); given != nullptr && *given != '\0') {
    if (executable(given)) return fs::path(given);
    return Status(ErrorCode::not_found,
                  "DEALFLOW_CHROMIUM='" + std::string(given) + "' is not an executable file");
  }
  const char* path_env = std::getenv("PATH");
  const std::string path = path_env != nullptr ? path_env : "/usr/bin:/bin";
  for (const char* name : {"chromium", "chromium-browser"}) {
    std::istringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');) {
      if (dir.empty()) continue;
      const fs::path candidate = fs::path(dir) / name;
      if (executable(candidate)) return candidate;
    }
  }
  return Status(ErrorCode::not_found,
                "no `chromium` or `chromium-browser` on PATH (install the Debian package `chromium`: "
                "scripts/install-deps.sh; or set DEALFLOW_CHROMIUM)");
}

std::string file_url(const fs::path& path) {
  const std::string s = fs::absolute(path).lexically_normal().string();
  std::string url = "file://";
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const unsigned char c : s) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::strchr("/-._~", c) != nullptr;
    if (plain) {
      url += static_cast<char>(c);
    } else {
      url += '%';
      url += kHex[c >> 4];
      url += kHex[c & 15];
    }
  }
  return url;
}

Result<Launch> launch(const fs::path& chromium, const std::vector<std::string>& args, const std::string& url,
                      const fs::path& work_dir, std::chrono::seconds timeout) {
  auto profile = make_temp_dir(work_dir, "profile-");
  if (!profile) return profile.status();
  const fs::path out_path = *profile / "stdout.txt";
  const fs::path err_path = work_dir / (profile->filename().string() + ".log");

  std::vector<std::string> argv_s = {chromium.string(),
                                     "--headless",
                                     "--no-sandbox",
                                     "--disable-gpu",
                                     "--hide-scrollbars",
                                     "--enable-logging=stderr",
                                     "--v=0",
                                     "--user-data-dir=" + profile->string()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  argv_s.push_back(url);
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);

  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) return Status(ErrorCode::io_error, "fork failed: " + std::string(std::strerror(errno)));
  if (pid == 0) {
    // The child: its own process group, so that a timeout kills the renderer and GPU processes too.
    ::setpgid(0, 0);
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) ::_exit(126);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also from the parent: no race with the kill below

  // Waits without reaping (WNOWAIT): while the exited browser is a zombie its pid cannot be reused,
  // so the group kill below reaches only what this launch started.
  Launch result;
  for (;;) {
    siginfo_t info;
    std::memset(&info, 0, sizeof info);
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid) {
      break;
    }
    if (std::chrono::steady_clock::now() - start > timeout) {
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(-pid, SIGKILL);  // on a timeout the browser; else helpers left behind (none when it exits cleanly)
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (auto out = read_file(out_path)) result.out = std::move(*out);
  if (auto err = read_file(err_path)) result.err = std::move(*err);
  std::error_code ec;
  fs::remove_all(*profile, ec);

  if (result.timed_out) {
    return Status(ErrorCode::io_error,
                  "chromium did not finish within " + std::to_string(timeout.count()) +
                      " s (killed); its log: " + err_path.string(),
                  Location{url, 0, 0, ""});
  }
  if (result.exit_code == 127) {
    return Status(ErrorCode::io_error, "cannot execute " + chromium.string(), Location{url, 0, 0, ""});
  }
  return result;
}

std::vector<std::string> console_errors_in_log(std::string_view log) {
  std::vector<std::string> found;
  size_t pos = 0;
  while (pos < log.size()) {
    size_t end = log.find('\n', pos);
    if (end == std::string_view::npos) end = log.size();
    const std::string_view line = log.substr(pos, end - pos);
    pos = end + 1;
    const bool console =
        line.find(":CONSOLE:") != std::string_view::npos || line.find(":CONSOLE(") != std::string_view::npos;
    if (console || line.find("Failed to load resource") != std::string_view::npos ||
        line.find("Refused to") != std::string_view::npos ||
        line.find("Uncaught") != std::string_view::npos) {
      found.emplace_back(line);
    }
  }
  return found;
}

Result<PngStats> png_stats(const fs::path& png) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_file(&image, png.c_str()) == 0) {
    return Status(ErrorCode::parse_error, std::string("not a readable PNG: ") + image.message,
                  Location{png.string(), 0, 0, ""});
  }
  image.format = PNG_FORMAT_RGB;
  std::vector<png_byte> pixels(PNG_IMAGE_SIZE(image));
  if (png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr) == 0) {
    const std::string message = image.message;
    png_image_free(&image);
    return Status(ErrorCode::parse_error, "cannot decode the PNG: " + message,
                  Location{png.string(), 0, 0, ""});
  }
  PngStats stats;
  stats.width = static_cast<int>(image.width);
  stats.height = static_cast<int>(image.height);
  const size_t n = static_cast<size_t>(image.width) * image.height;
  if (n == 0) return stats;
  // Integer sums of 1000 x luminance (at most 255000; the sum of squares of 16384 x 16384 pixels
  // stays below 2^64), so the statistics are exact and need no second pass.
  std::uint64_t sum = 0;
  std::uint64_t squares = 0;
  for (size_t i = 0; i < n; ++i) {
    const std::uint64_t y = 299u * pixels[3 * i] + 587u * pixels[3 * i + 1] + 114u * pixels[3 * i + 2];
    sum += y;
    squares += y * y;
  }
  const long double count = static_cast<long double>(n);
  const long double mean = static_cast<long double>(sum) / count;
  stats.mean = static_cast<double>(mean / 1000);
  const long double variance = (static_cast<long double>(squares) / count - mean * mean) / 1e6L;
  stats.variance = variance > 0 ? static_cast<double>(variance) : 0.0;  // no negative rounding noise
  return stats;
}

Result<Launch> render(const fs::path& chromium, const fs::path& page, int height, const fs::path& png,
                      const fs::path& pdf, const fs::path& work_dir) {
  if (height < kMinScreenshotHeight) height = kMinScreenshotHeight;
  if (height > kMaxScreenshotHeight) height = kMaxScreenshotHeight;
  std::error_code ec;
  fs::remove(png, ec);
  fs::remove(pdf, ec);
  auto run =
      launch(chromium,
             {"--window-size=" + std::to_string(kScreenshotWidth) + "," + std::to_string(height),
              "--screenshot=" + png.string(), "--print-to-pdf=" + pdf.string(), "--no-pdf-header-footer"},
             file_url(page), work_dir);
  if (!run) return run.status();
  if (!fs::exists(png) || !fs::exists(pdf)) {
    return Status(ErrorCode::io_error,
                  "chromium exited with " + std::to_string(run->exit_code) + " without writing " +
                      (fs::exists(png) ? pdf : png).string() + "; its log:\n" + run->err,
                  Location{page.string(), 0, 0, ""});
  }
  return run;
}

Result<int> pdf_page_count(std::string_view bytes) {
  if (bytes.substr(0, 5) != "%PDF-") {
    return Status(ErrorCode::parse_error,
                  "does not start with \"%PDF-\" (got \"" + std::string(bytes.substr(0, 8)) + "\")");
  }
  // Page objects are dictionaries "/Type /Page" (Chromium's Skia writer keeps them outside object
  // streams); "/Type /Pages" is the page tree.
  int pages = 0;
  for (size_t at = bytes.find("/Type"); at != std::string_view::npos; at = bytes.find("/Type", at + 1)) {
    size_t i = at + 5;
    while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\n' || bytes[i] == '\r')) ++i;
    if (bytes.substr(i, 5) != "/Page") continue;
    const size_t after = i + 5;
    const bool name_goes_on =
        after < bytes.size() && std::isalnum(static_cast<unsigned char>(bytes[after])) != 0;
    if (!name_goes_on) ++pages;
  }
  return pages;
}

}  // namespace dealflow::browser
