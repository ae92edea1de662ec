#!/usr/bin/env bash
# bench/e2e/fixture.sh: a job of bench/e2e/run.sh (dealflow, DuckDB, SQLite) on its hand-computed
# fixture bench/e2e/fixtures/JOB, each tool's output compared with the fixture's expected.csv:
#   forecast_weighted  fact, fact deals, expected, open deals per manager (2024-Q3 as of 2024-08-20)
#   commission         won amount and paid per participant (2024-Q3 at +03:00, fixtures/commission/plan.json)
# usage: bench/e2e/fixture.sh JOB [--build DIR] [--node-prefix DIR]
#   --build DIR        a build folder holding tools/dealflow (default build/release)
#   --node-prefix DIR  the npm --prefix holding @duckdb/node-api (default DIR/e2e/node of
#                      --build); DuckDB is skipped when it is missing
# Exit: 0 all MATCH, 1 a MISMATCH or a tool failed, 2 usage.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
build="$repo/build/release"
node_dir=""
job="${1:-}"
shift || true
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build="${2:?}"; shift 2 ;;
    --node-prefix) node_dir="${2:?}"; shift 2 ;;
    *) echo "fixture.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
bin="$build/tools/dealflow"
[[ -x "$bin" ]] || { echo "fixture.sh: no $bin" >&2; exit 2; }
node_dir="${node_dir:-$build/e2e/node}"
fx="$here/fixtures/$job"
values=("DEALS=$fx/deals.csv" "HISTORY=$fx/history.csv" "FIELDS=$fx/field_changes.csv"
  "PIPELINE=bitrix24_default")
case "$job" in
  forecast_weighted)
    figures=forecast_figures
    values+=("AS_OF=2024-08-20T00:00:00Z" "BEGIN=2024-07-01T00:00:00Z" "BEGIN_DATE=2024-07-01"
      "END_DATE=2024-10-01")
    args=(forecast --method weighted --by manager --period 2024-Q3 --as-of 2024-08-20) ;;
  commission)
    figures=commission_figures
    values+=("COMM_BEGIN=2024-06-30T21:00:00Z" "COMM_END=2024-09-30T21:00:00Z" "TIER_A=500000000"
      "TIER_B=1500000000")
    args=(commission summary --comp "$fx/plan.json" --period 2024-Q3) ;;
  *) echo "fixture.sh: unknown job '$job' (forecast_weighted or commission)" >&2; exit 2 ;;
esac
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rc=0
check() {  # TOOL OUTPUT.csv
  PYTHONDONTWRITEBYTECODE=1 python3 - "$here" "$fx/expected.csv" "$2" "$1" "$figures" <<'PY' || rc=1
import sys
here, expected, output, tool, figures = sys.argv[1:]
sys.path.insert(0, here)
import report
extract = getattr(report, figures)
want, got = dict(extract(expected)), dict(extract(output))
if want == got and want:
    print(f"  {tool:<8} MATCH ({len(want)} rows)")
else:
    print(f"  {tool:<8} MISMATCH: {report.describe_difference(want, got)}")
    sys.exit(1)
PY
}
"$bin" "${args[@]}" --format csv --pipeline "$repo/data/pipelines/bitrix24_default.json" \
  --deals "$fx/deals.csv" --history "$fx/history.csv" --field-changes "$fx/field_changes.csv" \
  >"$work/dealflow.csv" 2>"$work/dealflow.err" && check dealflow "$work/dealflow.csv" ||
  { rc=1; echo "  dealflow failed: $(tail -c 400 "$work/dealflow.err")"; }
if [[ -f "$node_dir/node_modules/@duckdb/node-api/package.json" ]]; then
  python3 "$here/render.py" "$here/queries/duckdb/$job.sql" "$work/d.sql" "${values[@]}" \
    "OUT=$work/duckdb.csv" && node "$here/duckdb_run.cjs" "$node_dir" "$work/d.sql" 1 &&
    check duckdb "$work/duckdb.csv" || rc=1
else
  echo "  duckdb   skipped (no $node_dir/node_modules/@duckdb/node-api)"
fi
if command -v sqlite3 >/dev/null; then
  python3 "$here/render.py" "$here/queries/sqlite/$job.sql" "$work/s.sql" "${values[@]}" \
    "OUT=$work/sqlite.csv" && sqlite3 :memory: <"$work/s.sql" && check sqlite "$work/sqlite.csv" || rc=1
else
  echo "  sqlite   skipped (no sqlite3)"
fi
exit "$rc"
