#!/usr/bin/env bash
# Renders each section of a `dealflow report` page to a PNG for the docs:
#   scripts/report-screenshots.sh [--out DIR] [--width PX] REPORT.html
# writes DIR/report-<id>.png (default DIR: docs/images, width 1280 px) for every <section id="...">
# of the page, in page order, and prints each file's path.
#
# For each section a copy of the page gets an inline <style> that hides everything that is neither
# the section, inside it nor an ancestor of it (so the page's own CSS still applies), and a small
# script that writes the page's height into a hidden <pre>. Chromium runs twice per section: once
# with --dump-dom to read that height, once with --screenshot at exactly that height. The flags are
# the ones of the browser check (tests/browser/): --headless --no-sandbox --disable-gpu
# --hide-scrollbars, a fresh temporary --user-data-dir, killed after 60 s. About 2 s per section.
#
# Chromium: $DEALFLOW_CHROMIUM, else `chromium` or `chromium-browser` on PATH (Debian package
# `chromium`, scripts/install-deps.sh). Exits 1 with a message when it is missing or a render fails.
set -euo pipefail

usage() { echo "usage: $0 [--out DIR] [--width PX] REPORT.html" >&2; exit 2; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/docs/images"
WIDTH=1280
PAGE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || usage; OUT=$2; shift 2 ;;
    --width) [ $# -ge 2 ] || usage; WIDTH=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "report-screenshots: unknown option $1" >&2; usage ;;
    *) [ -z "$PAGE" ] || usage; PAGE=$1; shift ;;
  esac
done
[ -n "$PAGE" ] || usage
case "$WIDTH" in ''|*[!0-9]*) echo "report-screenshots: --width: expected a number of pixels, got '$WIDTH'" >&2; exit 2 ;; esac
if [ ! -f "$PAGE" ]; then
  echo "report-screenshots: $PAGE: no such file" >&2
  exit 1
fi

CHROMIUM=${DEALFLOW_CHROMIUM:-}
if [ -z "$CHROMIUM" ]; then
  CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
fi
if [ -z "$CHROMIUM" ] || [ ! -x "$CHROMIUM" ]; then
  echo "report-screenshots: chromium not found (install the Debian package chromium:" \
       "scripts/install-deps.sh; or set DEALFLOW_CHROMIUM)" >&2
  exit 1
fi

# Section ids in page order ([a-z0-9-]+ by the report's contract; anything else is skipped).
mapfile -t IDS < <(grep -o '<section[^>]*[[:space:]]id="[^"]*"' "$PAGE" | sed 's/.*[[:space:]]id="\([^"]*\)"$/\1/')
if [ ${#IDS[@]} -eq 0 ]; then
  echo "report-screenshots: $PAGE: no <section id=\"...\">" >&2
  exit 1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/report-screenshots.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

# run_chromium LOG ARGS...: one headless launch with a fresh profile, killed after 60 s.
run_chromium() {
  local log=$1
  shift
  local profile
  profile=$(mktemp -d "$WORK/profile.XXXXXX")
  local rc=0
  timeout --kill-after=5 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --enable-logging=stderr --v=0 --user-data-dir="$profile" "$@" 2>"$log" || rc=$?
  rm -rf "$profile"
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    echo "report-screenshots: chromium did not finish within 60 s (killed); its log: $log" >&2
  fi
  return $rc
}

for id in "${IDS[@]}"; do
  case "$id" in
    ''|*[!a-z0-9-]*) echo "report-screenshots: skipping section id '$id' (expected [a-z0-9-]+)" >&2; continue ;;
  esac
  copy="$WORK/section-$id.html"
  style="<style>/* report-screenshots */ body *:not(:has(#$id)):not(#$id):not(#$id *) { display: none !important; }</style>"
  script="<script>addEventListener('load', function () { var p = document.createElement('pre');"
  script+=" p.id = 'shot-height'; p.style.display = 'none';"
  script+=" p.textContent = Math.ceil(Math.max(document.documentElement.scrollHeight, document.body.scrollHeight));"
  script+=" document.body.appendChild(p); });</script>"
  # The style goes before </head> (after the page's own), the script before the last </body>.
  awk -v style="$style" -v script="$script" '
    { lines[NR] = $0 }
    END {
      head = 0; body = 0
      for (i = 1; i <= NR; i++) { if (!head && index(lines[i], "</head>")) head = i; if (index(lines[i], "</body>")) body = i }
      for (i = 1; i <= NR; i++) {
        line = lines[i]
        if (i == head) { p = index(line, "</head>"); line = substr(line, 1, p - 1) style substr(line, p) }
        if (i == body) { p = index(line, "</body>"); line = substr(line, 1, p - 1) script substr(line, p) }
        print line
      }
      if (!head) print style
      if (!body) print script
    }' "$PAGE" >"$copy"
  url="file://$copy"

  run_chromium "$WORK/$id-dom.log" --window-size="$WIDTH,600" --dump-dom "$url" >"$WORK/$id.dom" ||
    { echo "report-screenshots: chromium failed on section $id; its log:" >&2; cat "$WORK/$id-dom.log" >&2; exit 1; }
  height=$(sed -n 's/.*<pre id="shot-height"[^>]*>\([0-9][0-9]*\)<\/pre>.*/\1/p' "$WORK/$id.dom" | head -n 1)
  if [ -z "$height" ]; then
    echo "report-screenshots: section $id: could not read the page height from chromium's DOM" >&2
    exit 1
  fi
  [ "$height" -le 16000 ] || height=16000
  [ "$height" -ge 100 ] || height=100

  png="$OUT/report-$id.png"
  rm -f "$png"
  run_chromium "$WORK/$id-png.log" --window-size="$WIDTH,$height" --screenshot="$png" "$url" >/dev/null ||
    { echo "report-screenshots: chromium failed on section $id; its log:" >&2; cat "$WORK/$id-png.log" >&2; exit 1; }
  if [ ! -s "$png" ]; then
    echo "report-screenshots: section $id: chromium wrote no $png; its log:" >&2
    cat "$WORK/$id-png.log" >&2
    exit 1
  fi
  if grep -q ':CONSOLE[:(]' "$WORK/$id-png.log"; then
    echo "report-screenshots: warning: section $id: the page wrote to the console:" >&2
    grep ':CONSOLE[:(]' "$WORK/$id-png.log" >&2
  fi
  echo "$png (${WIDTH}x$height)"
done
