// The instrumented copy of a page: hook and check scripts, and reading their result back from the
// DOM that `chromium --dump-dom` prints (browser_support.h).
#include <fstream>

#include "browser/browser_support.h"

namespace dealflow::browser {
namespace fs = std::filesystem;

namespace {

// First in <head>: records what would be a console error before the page's own content runs.
constexpr std::string_view kHookScript = R"js(<script>/* dealflow browser check: hooks */
(function () {
  var found = [];
  window.__dealflowFindings = found;
  function text(args) { return Array.prototype.map.call(args, String).join(" "); }
  var error = console.error, assert = console.assert;
  console.error = function () { found.push("console.error: " + text(arguments)); return error.apply(console, arguments); };
  console.assert = function (ok) {
    if (!ok) found.push("console.assert: " + text(Array.prototype.slice.call(arguments, 1)));
    return assert.apply(console, arguments);
  };
  function source(t) {
    return t.currentSrc || (typeof t.src === "string" && t.src) || (typeof t.href === "string" && t.href) ||
           t.getAttribute("src") || t.getAttribute("href") || t.getAttribute("xlink:href") || "";
  }
  window.addEventListener("error", function (e) {
    var t = e.target;
    if (t && t !== window && t.nodeType === 1) found.push("Failed to load resource: <" + t.localName + "> " + source(t));
    else found.push("Uncaught: " + e.message + " (" + e.filename + ":" + e.lineno + ")");
}, true);
window.addEventListener(
    "unhandledrejection", function(e) { found.push("Uncaught (in promise): " + String(e.reason)); });
document.addEventListener(
    "securitypolicyviolation",
    function(e) { found.push("Refused to load " + e.blockedURI + " (" + e.violatedDirective + ")"); });
})();
</script>)js";

// Last in <body>: on `load`, writes the findings and the layout check into two <pre> blocks.
constexpr std::string_view kCheckScript = R"js(<script>/* dealflow browser check: layout */
window.addEventListener("load", function () {
  var width = document.documentElement.clientWidth, bad = [], n = 0;
  function name(el) {
    var s = el.localName, c = el.getAttribute("class");
    if (el.id) s += "#" + el.id;
    if (c && c.trim()) s += "." + c.trim().split(/\s+/).join(".");
    return s;
  }
  function box(r) {
    return "x " + (r.left + window.scrollX).toFixed(1) + ".." + (r.right + window.scrollX).toFixed(1) +
           ", y " + (r.top + window.scrollY).toFixed(1) + ".." + (r.bottom + window.scrollY).toFixed(1);
  }
  function outermostSvg(el) {
    var svg = null;
    for (var p = el.parentElement; p; p = p.parentElement) if (p.localName === "svg") svg = p;
    return svg;
  }
  document.querySelectorAll("svg, svg *, table").forEach(function (el) {
    n++;
    var r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;  /* not rendered: defs, title, display:none */
    var left = r.left + window.scrollX, right = r.right + window.scrollX;
    if (left < -0.5 || right > width + 0.5)
      bad.push(name(el) + " spans " + left.toFixed(1) + ".." + right.toFixed(1) + " px, page width " + width + " px");
    /* Drawn outside the chart's own box, i.e. outside the viewBox: clipped, or over its neighbours. */
    var svg = outermostSvg(el);
    if (!svg) return;
    var s = svg.getBoundingClientRect();
    if (r.left < s.left - 1 || r.right > s.right + 1 || r.top < s.top - 1 || r.bottom > s.bottom + 1)
      bad.push(name(el) + " is drawn outside its " + name(svg) + ": " + box(r) + " px, the svg " + box(s) + " px");
  });
  var scroll = document.documentElement.scrollWidth;
  if (scroll > width) bad.push("the page scrolls sideways: " + scroll + " px wide, page width " + width + " px");
  var height = Math.ceil(Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0));
  Array.prototype.forEach.call(document.images, function (img) {
    if (img.complete && img.naturalWidth === 0) {
      var line = "Failed to load resource: <img> " + img.currentSrc;
      if (window.__dealflowFindings.indexOf(line) < 0) window.__dealflowFindings.push(line);
    }
  });
  var found = window.__dealflowFindings;
  var consoleCheck = document.createElement("pre");
  consoleCheck.id = "console-check";
  consoleCheck.textContent = found.length ? "console-errors " + found.length + "\n" + found.join("\n") : "console-ok";
  var layoutCheck = document.createElement("pre");
  layoutCheck.id = "layout-check";
  layoutCheck.textContent = (bad.length ? "layout-overflow " + bad.length + " of " + n + " elements\n" + bad.join("\n")
                                        : "layout-ok " + n + " elements") + "\npage-height " + height;
  (document.body || document.documentElement).appendChild(consoleCheck);
  (document.body || document.documentElement).appendChild(layoutCheck);
});
</script>)js";

// Position just after the start tag named `tag` ("<head" matches "<head>" and "<head lang=..>",
// not "<header>"), or npos.
size_t after_start_tag(std::string_view html, std::string_view tag) {
  for (size_t at = html.find(tag); at != std::string_view::npos; at = html.find(tag, at + 1)) {
    const size_t next = at + tag.size();
    if (next < html.size() &&
        (html[next] == '>' || html[next] == ' ' || html[next] == '\n' || html[next] == '\t')) {
      const size_t close = html.find('>', next);
      return close == std::string_view::npos ? std::string_view::npos : close + 1;
    }
  }
  return std::string_view::npos;
}

std::string unescape_html(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      static constexpr std::pair<std::string_view, char> kEntities[] = {
          {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&nbsp;", ' '}};
      bool replaced = false;
      for (const auto& [entity, c] : kEntities) {
        if (s.substr(i, entity.size()) == entity) {
          out += c;
          i += entity.size() - 1;
          replaced = true;
          break;
        }
      }
      if (replaced) continue;
    }
    out += s[i];
  }
  return out;
}

// The text of <pre id="...">...</pre>, unescaped.
Result<std::string> pre_block(std::string_view dom, std::string_view id) {
  const std::string open = "<pre id=\"" + std::string(id) + "\">";
  const size_t start = dom.rfind(open);
  if (start == std::string_view::npos) {
    return Status(ErrorCode::parse_error,
                  "no <pre id=\"" + std::string(id) + "\"> in the dumped DOM: the check script did not run");
  }
  const size_t body = start + open.size();
  const size_t end = dom.find("</pre>", body);
  if (end == std::string_view::npos) {
    return Status(ErrorCode::parse_error, "<pre id=\"" + std::string(id) + "\"> is not closed");
  }
  return unescape_html(dom.substr(body, end - body));
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

// The integer after `prefix` at the start of `line` ("layout-ok 12 elements" -> 12), or -1.
int number_after(const std::string& line, std::string_view prefix) {
  if (line.rfind(prefix, 0) != 0) return -1;
  size_t i = prefix.size();
  if (i >= line.size() || line[i] < '0' || line[i] > '9') return -1;
  long value = 0;
  for (; i < line.size() && line[i] >= '0' && line[i] <= '9'; ++i) {
    value = value * 10 + (line[i] - '0');
    if (value > 1'000'000'000) return -1;
  }
  return static_cast<int>(value);
}

}  // namespace

std::string instrument_page(std::string_view html) {
  std::string out(html);
  size_t hook_at = after_start_tag(out, "<head");
  if (hook_at == std::string::npos) hook_at = after_start_tag(out, "<html");
  if (hook_at == std::string::npos) hook_at = 0;
  out.insert(hook_at, kHookScript);
  const size_t body_end = out.rfind("</body>");
  if (body_end == std::string::npos) {
    out += kCheckScript;
  } else {
    out.insert(body_end, kCheckScript);
  }
  return out;
}

Result<PageCheck> parse_page_check(std::string_view dom) {
  auto console_text = pre_block(dom, "console-check");
  if (!console_text) return console_text.status();
  auto layout_text = pre_block(dom, "layout-check");
  if (!layout_text) return layout_text.status();

  PageCheck check;
  const std::vector<std::string> console = lines_of(*console_text);
  if (console.size() == 1 && console[0] == "console-ok") {
    // nothing found
  } else if (const int count = number_after(console[0], "console-errors ");
             count > 0 && static_cast<size_t>(count) == console.size() - 1) {
    check.console_errors.assign(console.begin() + 1, console.end());
  } else {
    return Status(ErrorCode::parse_error,
                  "console-check: expected \"console-ok\" or \"console-errors N\" and N "
                  "lines, got \"" +
                      *console_text + "\"");
  }

  const std::vector<std::string> layout = lines_of(*layout_text);
  const int height = layout.size() >= 2 ? number_after(layout.back(), "page-height ") : -1;
  if (height < 0) {
    return Status(ErrorCode::parse_error,
                  "layout-check: expected a last line \"page-height N\", got \"" + *layout_text + "\"");
  }
  check.page_height = height;
  const std::string& head = layout[0];
  if (const int n = number_after(head, "layout-ok "); n >= 0 && layout.size() == 2) {
    check.elements = n;
    return check;
  }
  const int bad = number_after(head, "layout-overflow ");
  const size_t of = head.find(" of ");
  const int n = of == std::string::npos ? -1 : number_after(head.substr(of), " of ");
  if (bad <= 0 || n < bad || static_cast<size_t>(bad) != layout.size() - 2) {
    return Status(ErrorCode::parse_error,
                  "layout-check: expected \"layout-ok N elements\" or \"layout-overflow "
                  "K of N elements\" and K lines, got \"" +
                      *layout_text + "\"");
  }
  check.elements = n;
  check.overflowing.assign(layout.begin() + 1, layout.end() - 1);
  return check;
}

Result<PageCheck> check_page(const fs::path& chromium, const fs::path& page, const fs::path& work_dir,
                             std::string* log) {
  auto html = read_file(page);
  if (!html) return html.status();
  std::error_code ec;
  fs::create_directories(work_dir, ec);
  const fs::path copy = work_dir / ("checked-" + page.filename().string());
  {
    std::ofstream out(copy, std::ios::binary | std::ios::trunc);
    out << instrument_page(*html);
    if (!out.flush())
      return Status(ErrorCode::io_error, "cannot write the instrumented copy",
                    Location{copy.string(), 0, 0, ""});
  }
  auto run = launch(chromium, {"--window-size=" + std::to_string(kLayoutWidth) + ",600", "--dump-dom"},
                    file_url(copy), work_dir);
  if (!run) return run.status();
  if (log != nullptr) *log = run->err;
  auto check = parse_page_check(run->out);
  if (!check) {
    return Status(check.status().code(),
                  check.status().message() + " (chromium exited with " + std::to_string(run->exit_code) +
                      "; its log:\n" + run->err + ")",
                  Location{copy.string(), 0, 0, ""});
  }
  return check;
}

}  // namespace dealflow::browser
