#!/usr/bin/env bash
# bench/e2e/forecast_fixture.sh: the weighted forecast job of bench/e2e/run.sh (dealflow,
# DuckDB, SQLite) on the hand-computed fixture bench/e2e/fixtures/forecast_weighted, each
# compared with its expected.csv (fact, fact deals, expected, open deals per manager).
# usage: bench/e2e/forecast_fixture.sh [--build DIR] [--node-prefix DIR]
#   --build DIR        a build folder holding tools/dealflow (default build/release)
#   --node-prefix DIR  the npm --prefix holding @duckdb/node-api (default DIR/e2e/node of
#                      --build); DuckDB is skipped when it is missing
# Exit: 0 all MATCH, 1 a MISMATCH or a tool failed, 2 usage.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$repo/build/release"
node_dir=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build="${2:?}"; shift 2 ;;
    --node-prefix) node_dir="${2:?}"; shift 2 ;;
    *) echo "forecast_fixture.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
bin="$build/tools/dealflow"
[[ -x "$bin" ]] || { echo "forecast_fixture.sh: no $bin" >&2; exit 2; }
node_dir="${node_dir:-$build/e2e/node}"
fx="$here/fixtures/forecast_weighted"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
values=("DEALS=$fx/deals.csv" "HISTORY=$fx/history.csv" "FIELDS=$fx/field_changes.csv"
  "PIPELINE=bitrix24_default" "AS_OF=2024-08-20T00:00:00Z" "BEGIN=2024-07-01T00:00:00Z"
  "BEGIN_DATE=2024-07-01" "END_DATE=2024-10-01")
rc=0
check() {  # TOOL OUTPUT.csv
  PYTHONDONTWRITEBYTECODE=1 python3 - "$here" "$fx/expected.csv" "$2" "$1" <<'PY' || rc=1
import sys
here, expected, output, tool = sys.argv[1:]
sys.path.insert(0, here)
from report import describe_difference, forecast_figures
want, got = dict(forecast_figures(expected)), dict(forecast_figures(output))
if want == got and want:
    print(f"  {tool:<8} MATCH ({len(want)} managers)")
else:
    print(f"  {tool:<8} MISMATCH: {describe_difference(want, got)}")
    sys.exit(1)
PY
}
"$bin" forecast --method weighted --by manager --period 2024-Q3 --as-of 2024-08-20 --format csv \
  --pipeline "$repo/data/pipelines/bitrix24_default.json" --deals "$fx/deals.csv" \
  --history "$fx/history.csv" --field-changes "$fx/field_changes.csv" >"$work/dealflow.csv" 2>/dev/null &&
  check dealflow "$work/dealflow.csv" || rc=1
if [[ -f "$node_dir/node_modules/@duckdb/node-api/package.json" ]]; then
  python3 "$here/render.py" "$here/queries/duckdb/forecast_weighted.sql" "$work/d.sql" "${values[@]}" \
    "OUT=$work/duckdb.csv" && node "$here/duckdb_run.cjs" "$node_dir" "$work/d.sql" 1 &&
    check duckdb "$work/duckdb.csv" || rc=1
else
  echo "  duckdb   skipped (no $node_dir/node_modules/@duckdb/node-api)"
fi
if command -v sqlite3 >/dev/null; then
  python3 "$here/render.py" "$here/queries/sqlite/forecast_weighted.sql" "$work/s.sql" "${values[@]}" \
    "OUT=$work/sqlite.csv" && sqlite3 :memory: <"$work/s.sql" && check sqlite "$work/sqlite.csv" || rc=1
else
  echo "  sqlite   skipped (no sqlite3)"
fi
exit "$rc"
