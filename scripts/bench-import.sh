#!/usr/bin/env bash
# Whole-CLI import benchmark, the way a user runs it (docs/import.md "Performance"):
# for each source, `dealflow sample --deals N --seed 7 --format X` writes the
# export, then `dealflow import --from X --out DIR ...` is timed with
# /usr/bin/time -v (wall, user + sys CPU, peak RSS). Baselines on the canonical
# files of the same data set: `dealflow funnel` (dealflow's own loaders plus one
# report, no conversion) and the sqlite3 shell loading the three CSV files into a
# database file (`.import --csv`: what a user would do to make the export
# queryable).
#
#   scripts/bench-import.sh [N]          N deals (default 100000; a few minutes)
#
# Environment: DEALFLOW (the CLI binary; default build/release/tools/dealflow,
# built in Release when missing), WORK (scratch folder; default a temporary one,
# removed at exit), FORMATS (default "salesforce bitrix24 hubspot pipedrive mapped").
# MB/s = bytes of the input files / time; "cpu MB/s" uses user + sys CPU time,
# the figure to trust on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N=${1:-100000}
FORMATS=${FORMATS:-"salesforce bitrix24 hubspot pipedrive mapped"}
DEALFLOW=${DEALFLOW:-$ROOT/build/release/tools/dealflow}

if [[ ! -x "$DEALFLOW" ]]; then
  echo "== building dealflow (Release) into build/release =="
  cmake -S "$ROOT" -B "$ROOT/build/release" -DCMAKE_BUILD_TYPE=Release -DDEALFLOW_BUILD_TESTS=OFF \
    -DDEALFLOW_BUILD_BENCHMARKS=OFF >/dev/null
  cmake --build "$ROOT/build/release" --parallel "${JOBS:-$(nproc)}" --target dealflow_cli >/dev/null
  DEALFLOW="$ROOT/build/release/tools/dealflow"
fi
if ! command -v sqlite3 >/dev/null; then
  echo "== installing the sqlite3 shell (Debian package sqlite3) =="
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get install -y sqlite3 >/dev/null
fi
[[ -x /usr/bin/time ]] || { echo "bench-import.sh: needs /usr/bin/time (Debian package time)" >&2; exit 2; }

if [[ -z "${WORK:-}" ]]; then
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/dealflow-bench-import.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"

ROWS=()
# measure LABEL BYTES CMD...: runs CMD under /usr/bin/time -v (output discarded) and adds a row.
measure() {
  local label=$1 bytes=$2
  shift 2
  local log="$WORK/time.log"
  if ! /usr/bin/time -v -o "$log" "$@" >"$WORK/cmd.out" 2>&1; then
    echo "bench-import.sh: failed: $*" >&2
    cat "$WORK/cmd.out" >&2
    exit 1
  fi
  local row
  row=$(awk -v label="$label" -v bytes="$bytes" '
    /Elapsed \(wall clock\)/ { n = split($NF, p, ":"); wall = 0; for (i = 1; i <= n; ++i) wall = wall * 60 + p[i] }
    /User time \(seconds\)/ { user = $NF }
    /System time \(seconds\)/ { sys = $NF }
    /Maximum resident set size/ { rss = $NF }
    END {
      cpu = user + sys; if (wall <= 0) wall = 0.01; if (cpu <= 0) cpu = 0.01
      printf "%s %.1f %.2f %.2f %.1f %.1f %.0f\n", label, bytes / 1e6, wall, cpu, bytes / 1e6 / wall, bytes / 1e6 / cpu, rss / 1024
    }' "$log")
  ROWS+=("$row")
  echo "  $row"
}

dir_bytes() { cat "$@" | wc -c; }

echo "== $N deals, seed 7, scratch $WORK =="
for fmt in canonical $FORMATS; do
  "$DEALFLOW" sample --deals "$N" --seed 7 --format "$fmt" --out "$WORK/$fmt" >/dev/null
done

# Baselines on the canonical files.
C="$WORK/canonical"
CB=$(dir_bytes "$C/deals.csv" "$C/history.csv" "$C/field_changes.csv")
echo "== baselines (canonical files, $((CB / 1000000)) MB) =="
rm -f "$WORK/sample.db"
measure sqlite3_import_csv "$CB" sqlite3 "$WORK/sample.db" \
  ".import --csv $C/deals.csv deals" ".import --csv $C/history.csv history" \
  ".import --csv $C/field_changes.csv field_changes"
measure dealflow_funnel_canonical "$CB" "$DEALFLOW" funnel --pipeline "$ROOT/data/pipelines/bitrix24_default.json" \
  --deals "$C/deals.csv" --history "$C/history.csv" --field-changes "$C/field_changes.csv"

echo "== dealflow import =="
for fmt in $FORMATS; do
  D="$WORK/$fmt"
  inputs=()
  mapping=()
  for f in "$D"/*; do
    if [[ $fmt == mapped && $f == *.mapping.json ]]; then mapping=(--mapping "$f"); else inputs+=("$f"); fi
  done
  bytes=$(dir_bytes "$D"/*)
  rm -rf "$WORK/out-$fmt"
  measure "import_$fmt" "$bytes" "$DEALFLOW" import --from "$fmt" "${mapping[@]}" --out "$WORK/out-$fmt" "${inputs[@]}"
  grep -o '[0-9]* deals, [0-9]* stage events, [0-9]* field changes' "$WORK/cmd.out" | sed 's/^/    /' || true
done

SQLITE_WALL=$(printf '%s\n' "${ROWS[0]}" | awk '{ print $5 }')
SQLITE_CPU=$(printf '%s\n' "${ROWS[0]}" | awk '{ print $6 }')
echo
echo "== $N deals (seed 7); ratio = MB/s / sqlite3's MB/s (wall and CPU) =="
printf '%s\n' "${ROWS[@]}" | awk -v sw="$SQLITE_WALL" -v sc="$SQLITE_CPU" '
  BEGIN {
    printf "| %-26s | %8s | %7s | %7s | %7s | %7s | %7s | %7s | %8s |\n", "command", "input MB", "wall s", "cpu s", "MB/s", "cpu MB/s", "x sqlite", "x (cpu)", "peak RSS MB"
    printf "|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"
  }
  { printf "| %-26s | %8s | %7s | %7s | %7s | %7s | %7.2f | %7.2f | %8s |\n", $1, $2, $3, $4, $5, $6, $5 / sw, $6 / sc, $7 }'
