#!/usr/bin/env bash
# bench/e2e/run.sh: the whole CLI jobs an analyst times (dealflow funnel/durations/scorecard on
# the CSV exports of `dealflow sample`), the same jobs in DuckDB (Node.js package
# @duckdb/node-api) and SQLite (sqlite3 CLI), wall time and peak RSS of each process, the
# ratios, and a cross-check that the funnels agree; the planning job of issue 10 (the weighted
# forecast by manager of a quarter as of an instant) likewise, with the field changes, and
# `dealflow backtest` (dealflow only); the compensation job of issue 11 (a quarter's commission
# summary under marginal tiers, bench/e2e/fixtures/commission/plan.json). See
# docs/benchmarks-e2e.md.
#
# usage: bench/e2e/run.sh [--deals N] [--seed S] [--build DIR] [--threads 1,2] [--cache DIR]
#                         [--from DATE --to DATE] [--repeat R] [--jobs LIST] [--smoke]
#   --deals N      deals in the sample (default 1000000; --smoke: 2000)
#   --seed S       sample seed (default 7)
#   --build DIR    a Release build folder holding tools/dealflow (default build/release);
#                  nothing is built here
#   --threads L    thread counts for dealflow (--threads N) and DuckDB (SET threads), comma
#                  separated (default 1,2)
#   --cache DIR    where the sample, node_modules and the run's files go (default DIR/e2e of
#                  --build); the sample is generated once per (deals, seed) and reused
#   --from, --to   the scorecard period (default 2024-10-01 .. 2025-01-01, the sample's Q4)
#   --repeat R     run each job R times and keep the fastest (default 1)
#   --jobs LIST    run only these jobs, comma separated, of funnel_manager, funnel_client,
#                  funnel, durations, scorecard, forecast_weighted, backtest, commission
#                  (default all)
#   --period Q, --as-of DATE  the forecast's period and instant (default 2024-Q3, 2024-08-20);
#                  the commission job's quarter is Q too
# Exit: 0 done (also when DuckDB is skipped), 1 a funnel or forecast MISMATCH or a job failed,
# 2 usage or missing tools.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
deals=1000000
seed=7
build="$repo/build/release"
threads="1,2"
cache=""
period_from="2024-10-01"
period_to="2025-01-01"
repeat=1
all_jobs="funnel_manager,funnel_client,funnel,durations,scorecard,forecast_weighted,backtest,commission"
job_list="$all_jobs"
forecast_period="2024-Q3"
forecast_as_of="2024-08-20"

die() { echo "run.sh: $*" >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --deals) deals="${2:?}"; shift 2 ;;
    --seed) seed="${2:?}"; shift 2 ;;
    --build) build="${2:?}"; shift 2 ;;
    --threads) threads="${2:?}"; shift 2 ;;
    --cache) cache="${2:?}"; shift 2 ;;
    --from) period_from="${2:?}"; shift 2 ;;
    --to) period_to="${2:?}"; shift 2 ;;
    --repeat) repeat="${2:?}"; shift 2 ;;
    --jobs) job_list="${2:?}"; shift 2 ;;
    --period) forecast_period="${2:?}"; shift 2 ;;
    --as-of) forecast_as_of="${2:?}"; shift 2 ;;
    --smoke) deals=2000; shift ;;
    -h|--help) sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$deals" =~ ^[0-9]+$ && "$seed" =~ ^[0-9]+$ && "$repeat" =~ ^[1-9][0-9]*$ ]] ||
  die "--deals, --seed and --repeat take integers"
[[ "$threads" =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--threads '$threads': expected e.g. 1,2"
IFS=, read -r -a thread_list <<<"$threads"
IFS=, read -r -a jobs <<<"$job_list"
for job in "${jobs[@]}"; do
  [[ ",$all_jobs," == *",$job,"* ]] || die "--jobs: unknown job '$job' (one of $all_jobs)"
done
[[ "$forecast_period" =~ ^([0-9]{4})-Q([1-4])$ ]] ||
  die "--period '$forecast_period': expected a quarter, e.g. 2024-Q3"
quarter_begin="$(printf '%s-%02d-01' "${BASH_REMATCH[1]}" $((3 * BASH_REMATCH[2] - 2)))"
quarter_end="$(date -u -d "$quarter_begin + 3 months" +%Y-%m-%d)"

[[ -d "$build" ]] || die "no build folder '$build'"
build="$(cd "$build" && pwd)"
bin="$build/tools/dealflow"
[[ -x "$bin" ]] || die "no $bin: build it first (cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release; cmake --build build/release --target dealflow_cli)"
grep -q '^CMAKE_BUILD_TYPE:STRING=Release' "$build/CMakeCache.txt" 2>/dev/null ||
  echo "run.sh: warning: $build is not a Release build: figures mean little" >&2
[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is needed for wall time and peak RSS"
command -v python3 >/dev/null || die "python3 is needed for the cross-check and the table"
to_unix() { date -u -d "$1" +%s 2>/dev/null || die "bad date '$1'"; }
from_s=$(to_unix "$period_from")
to_s=$(to_unix "$period_to")
((from_s < to_s)) || die "--from $period_from is not before --to $period_to"
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
prev_from="$(iso $((2 * from_s - to_s)))"
period_from="$(iso "$from_s")"
period_to="$(iso "$to_s")"
as_of_s=$(to_unix "$forecast_as_of")
forecast_as_of_iso="$(iso "$as_of_s")"
forecast_begin_iso="$(iso "$(to_unix "$quarter_begin")")"
# The commission plan's quarter at +03:00, as UTC instants.
comm_begin_iso="$(iso $(($(to_unix "$quarter_begin") - 3 * 3600)))"
comm_end_iso="$(iso $(($(to_unix "$quarter_end") - 3 * 3600)))"

cache="${cache:-$build/e2e}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
data="$cache/sample-$deals-$seed"
work="$cache/run-$deals-$seed"
pipeline="$repo/data/pipelines/bitrix24_default.json"
pipeline_id="bitrix24_default"
rm -rf "$work"
mkdir -p "$work/out" "$work/sql" "$work/time"
results="$work/results.tsv"  # job, tool, threads, seconds, peak KB, output file
: >"$results"

# --- the sample, generated once ------------------------------------------------------------
if [[ ! -s "$data/deals.csv" || ! -s "$data/history.csv" || ! -s "$data/field_changes.csv" ]]; then
  echo "generating the sample: $deals deals, seed $seed -> $data"
  rm -rf "$data.tmp"
  "$bin" sample --deals "$deals" --seed "$seed" --out "$data.tmp" >/dev/null
  rm -rf "$data"
  mv "$data.tmp" "$data"
fi
deals_csv="$data/deals.csv"
history_csv="$data/history.csv"
fields_csv="$data/field_changes.csv"
input_mb=$(($(stat -c %s "$deals_csv") + $(stat -c %s "$history_csv")))
fields_mb=$(stat -c %s "$fields_csv")
echo "input: $deals_csv + $history_csv ($((input_mb / 1000000)) MB), $fields_csv ($((fields_mb / 1000000)) MB)"

# --- timing -------------------------------------------------------------------------------
# run JOB TOOL THREADS RESULT STDOUT STDIN -- CMD...: time CMD (the fastest of --repeat runs)
# and record it with RESULT, the job's output file (written by CMD itself or its STDOUT);
# STDOUT and STDIN are files or '-' (none: /dev/null).
failed=0
run() {
  local job="$1" tool="$2" thr="$3" result="$4" stdout="$5" stdin="$6"
  shift 7
  [[ "$stdout" == - ]] && stdout=/dev/null
  [[ "$stdin" == - ]] && stdin=/dev/null
  local best="" best_kb="" i s kb tf rc
  for ((i = 0; i < repeat; i++)); do
    tf="$work/time/$job.$tool.$thr.$i"
    rc=0
    /usr/bin/time -f '%e %M' -o "$tf" "$@" <"$stdin" >"$stdout" 2>"$tf.err" || rc=$?
    if ((rc != 0)); then
      echo "  $job / $tool ($thr): FAILED (exit $rc): $(tail -c 400 "$tf.err")" >&2
      failed=1
      printf '%s\t%s\t%s\tfailed\t\t\n' "$job" "$tool" "$thr" >>"$results"
      return 0
    fi
    read -r s kb < <(tail -n 1 "$tf")
    if [[ -z "$best" ]] || awk -v a="$s" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best="$s" best_kb="$kb"
    fi
  done
  printf '  %-24s %-8s %-3s %7s s %6s MB\n' "$job" "$tool" "$thr" "$best" "$((best_kb / 1024))"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$job" "$tool" "$thr" "$best" "$best_kb" "$result" >>"$results"
}

# The dealflow arguments of each job (the input files come after; the planning jobs also read
# the field changes).
job_args() {
  case "$1" in
    funnel_manager) echo "funnel --by manager" ;;
    funnel_client) echo "funnel --by client" ;;
    funnel) echo "funnel" ;;
    durations) echo "durations" ;;
    scorecard) echo "scorecard --from $period_from --to $period_to" ;;
    forecast_weighted) echo "forecast --method weighted --by manager --period $forecast_period" \
      "--as-of $forecast_as_of --field-changes $fields_csv" ;;
    backtest) echo "backtest --field-changes $fields_csv" ;;
    commission) echo "commission summary --comp $here/fixtures/commission/plan.json" \
      "--period $forecast_period --field-changes $fields_csv" ;;
  esac
}
# help_has COMMAND OPTION: whether `dealflow COMMAND --help` mentions OPTION (no `| grep -q`:
# under pipefail its early exit can fail the pipeline with SIGPIPE).
help_has() {
  local text
  text="$("$bin" "$1" --help 2>&1)" || true
  [[ "$text" == *"$2"* ]]
}

echo "dealflow: $bin"
dealflow_jobs() {  # SUFFIX INPUT-ARGS...
  local suffix="$1"
  shift
  local job cmd thr out
  for job in "${jobs[@]}"; do
    read -r -a cmd <<<"$(job_args "$job")"
    if help_has "${cmd[0]}" --threads; then
      for thr in "${thread_list[@]}"; do
        out="$work/out/$job$suffix.dealflow.$thr.csv"
        run "$job$suffix" dealflow "$thr" "$out" "$out" - -- \
          "$bin" "${cmd[@]}" --pipeline "$pipeline" "$@" --threads "$thr" --format csv
      done
    else  # no thread option: one run, listed under every thread count
      out="$work/out/$job$suffix.dealflow.any.csv"
      run "$job$suffix" dealflow any "$out" "$out" - -- \
        "$bin" "${cmd[@]}" --pipeline "$pipeline" "$@" --format csv
    fi
  done
}
dealflow_jobs "" --deals "$deals_csv" --history "$history_csv"

# A snapshot, when the report commands take one (docs/snapshot.md): made once per run (its
# format may change with the binary), then the same jobs on it (the issue-9 jobs only: the
# snapshot is made without the field changes).
snapshot_jobs=()
for job in "${jobs[@]}"; do
  case "$job" in funnel* | durations | scorecard) snapshot_jobs+=("$job") ;; esac
done
if ((${#snapshot_jobs[@]} > 0)) && help_has funnel --snapshot; then
  snap="$work/sample.dflog"
  if "$bin" snapshot --help >/dev/null 2>&1; then
    opt=--snapshot
    help_has snapshot --out && opt=--out
    run snapshot_make dealflow any - - - -- "$bin" snapshot --pipeline "$pipeline" \
      --deals "$deals_csv" --history "$history_csv" "$opt" "$snap"
  else
    echo "  snapshot: the report commands take --snapshot but there is no 'dealflow snapshot'; skipped" >&2
  fi
  if [[ -s "$snap" ]]; then
    echo "  snapshot: $(($(stat -c %s "$snap") / 1000000)) MB"
    selected=("${jobs[@]}")
    jobs=("${snapshot_jobs[@]}")
    dealflow_jobs "@snapshot" --snapshot "$snap"
    jobs=("${selected[@]}")
  fi
fi

# --- the query files, filled in -------------------------------------------------------------
render() {  # DIALECT JOB OUT -> path of the filled-in query
  local dialect="$1" job="$2" out="$3" file group
  case "$job" in
    funnel*) file=funnel ;;
    *) file="$job" ;;
  esac
  case "$job:$dialect" in
    funnel_manager:duckdb) group="coalesce(d.manager, '(none)')" ;;
    funnel_client:duckdb) group="coalesce(d.client, '(none)')" ;;
    funnel_manager:sqlite) group="coalesce(nullif(d.manager, ''), '(none)')" ;;
    funnel_client:sqlite) group="coalesce(nullif(d.client, ''), '(none)')" ;;
    *) group="''" ;;
  esac
  local target="$work/sql/$job.$dialect.sql"
  python3 "$here/render.py" "$here/queries/$dialect/$file.sql" "$target" "DEALS=$deals_csv" \
    "HISTORY=$history_csv" "OUT=$out" "PIPELINE=$pipeline_id" "GROUP=$group" \
    "FROM=$period_from" "TO=$period_to" "PREV_FROM=$prev_from" "FIELDS=$fields_csv" \
    "AS_OF=$forecast_as_of_iso" "BEGIN=$forecast_begin_iso" "BEGIN_DATE=$quarter_begin" "END_DATE=$quarter_end" \
    "COMM_BEGIN=$comm_begin_iso" "COMM_END=$comm_end_iso" "TIER_A=500000000" "TIER_B=1500000000" || return 1
  echo "$target"
}

# --- DuckDB through Node.js -----------------------------------------------------------------
node_dir="$cache/node"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "DuckDB: skipped (node or npm missing)"
elif [[ -f "$node_dir/node_modules/@duckdb/node-api/package.json" ]] ||
  npm install --prefix "$node_dir" --no-audit --no-fund @duckdb/node-api@1.5.6-r.1 >"$work/npm.log" 2>&1 ||
  npm install --prefix "$node_dir" --no-audit --no-fund @duckdb/node-api >>"$work/npm.log" 2>&1; then
  version=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['version'])" \
    "$node_dir/node_modules/@duckdb/node-api/package.json")
  echo "DuckDB: @duckdb/node-api $version on node $(node --version)"
  sql=$(render duckdb startup "")
  run startup duckdb "${thread_list[0]}" "" - - -- node "$here/duckdb_run.cjs" "$node_dir" "$sql" "${thread_list[0]}"
  for job in "${jobs[@]}"; do
    [[ -f "$here/queries/duckdb/${job%_*}.sql" || -f "$here/queries/duckdb/$job.sql" ]] || continue
    for thr in "${thread_list[@]}"; do
      out="$work/out/$job.duckdb.$thr.csv"
      sql=$(render duckdb "$job" "$out")
      run "$job" duckdb "$thr" "$out" - - -- node "$here/duckdb_run.cjs" "$node_dir" "$sql" "$thr"
    done
  done
else
  echo "DuckDB: skipped (npm install of @duckdb/node-api failed: $work/npm.log)"
fi

# --- SQLite ---------------------------------------------------------------------------------
if command -v sqlite3 >/dev/null; then
  echo "SQLite: sqlite3 $(sqlite3 --version | cut -d' ' -f1)"
  run startup sqlite 1 "" - "$(render sqlite startup "")" -- sqlite3 :memory:
  for job in "${jobs[@]}"; do
    [[ -f "$here/queries/sqlite/${job%_*}.sql" || -f "$here/queries/sqlite/$job.sql" ]] || continue
    out="$work/out/$job.sqlite.1.csv"
    sql=$(render sqlite "$job" "$out")
    run "$job" sqlite 1 "$out" - "$sql" -- sqlite3 :memory:
  done
else
  echo "SQLite: skipped (no sqlite3)"
fi

# --- cross-check and table ------------------------------------------------------------------
rc=0
for job in forecast_weighted commission; do  # each tool against hand-computed figures
  if [[ ",${jobs[*]}," == *"$job"* ]]; then
    echo "$job fixture (bench/e2e/fixtures/$job, hand-computed):"
    "$here/fixture.sh" "$job" --build "$build" --node-prefix "$node_dir" || rc=1
  fi
done
python3 "$here/report.py" "$results" "$threads" "$input_mb" || rc=$?
echo "queries as run: $work/sql; outputs: $work/out"
((failed == 0)) || rc=1
exit "$rc"
