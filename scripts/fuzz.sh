#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ (clang-14, ASan + UBSan, -DDEALFLOW_FUZZ=ON) in
# build/fuzz and runs each for FUZZ_SECONDS (default 600), reporting executions per target.
#
#   scripts/fuzz.sh                      every target, FUZZ_SECONDS each, one at a time
#   scripts/fuzz.sh deals_csv team_json  only these targets (names without fuzz_)
#   scripts/fuzz.sh --short              10 s per target, 2 targets at a time (scripts/test.sh)
#   scripts/fuzz.sh --build-dir DIR      reuse a configured build folder (built with DEALFLOW_FUZZ=ON)
#   scripts/fuzz.sh --jobs N             N targets at a time (FUZZ_JOBS)
#   scripts/fuzz.sh --no-build           run what --build-dir (or build/fuzz) holds, build nothing
#   scripts/fuzz.sh --fast               the long campaign's build: build/fuzz-fast, -O3 with UBSan
#                                        but no ASan (several times more executions per second);
#                                        replay its corpus under ASan afterwards (docs/fuzzing.md)
#   FUZZ_RUNS=N scripts/fuzz.sh          stop each target after N executions (or FUZZ_SECONDS)
#
# Each run starts from a temporary copy of tests/fuzz/corpus/<target>/ (the seeds stay as
# committed; FUZZ_CORPUS_DIR=DIR keeps a growing corpus in DIR/<target>/ across runs instead)
# with the target's dictionary, -max_len, -rss_limit_mb=2048 and -timeout=10. Before
# fuzzing, every input of tests/fuzz/regressions/<target>/ is replayed once. A crash, hang,
# OOM or sanitizer report fails the script (exit 1) and prints the artifact's path and the log.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SECONDS_PER_TARGET=${FUZZ_SECONDS:-600}
JOBS=${FUZZ_JOBS:-1}
BUILD_DIR=""
BUILD=1
FAST=0
RUNS=${FUZZ_RUNS:-}
TARGETS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --short) SECONDS_PER_TARGET=10; JOBS=2 ;;
    --build-dir) BUILD_DIR=$2; shift ;;
    --jobs) JOBS=$2; shift ;;
    --no-build) BUILD=0 ;;
    --fast) FAST=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) TARGETS+=("$1") ;;
  esac
  shift
done

CXX=${FUZZ_CXX:-clang++-14}
if ! command -v "$CXX" >/dev/null 2>&1; then
  echo "fuzz.sh: $CXX not found (libFuzzer needs clang; set FUZZ_CXX)" >&2
  exit 2
fi

LAUNCHER=()
if command -v ccache >/dev/null 2>&1; then LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
DEFAULT_DIR="$ROOT/build/fuzz"
SANITIZERS="address,undefined"
FLAGS=(-DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1")
if [[ $FAST -eq 1 ]]; then
  DEFAULT_DIR="$ROOT/build/fuzz-fast"
  SANITIZERS="undefined"
  FLAGS=(-DCMAKE_BUILD_TYPE=Release)
fi
if [[ -z "$BUILD_DIR" && $BUILD -eq 0 ]]; then
  BUILD_DIR="$DEFAULT_DIR"
elif [[ -z "$BUILD_DIR" ]]; then
  BUILD_DIR="$DEFAULT_DIR"
  echo "== configure $BUILD_DIR (clang, -fsanitize=$SANITIZERS, libFuzzer) =="
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_CXX_COMPILER="$CXX" "${FLAGS[@]}" \
    -DDEALFLOW_WERROR=ON -DDEALFLOW_SANITIZE=ON -DDEALFLOW_SANITIZERS="$SANITIZERS" -DDEALFLOW_FUZZ=ON \
    -DDEALFLOW_BUILD_BENCHMARKS=OFF -DDEALFLOW_BUILD_EXAMPLES=OFF -DDEALFLOW_BUILD_TESTS=OFF \
    -DDEALFLOW_BUILD_TOOLS=OFF "${LAUNCHER[@]}" >/dev/null
fi
if [[ $BUILD -eq 1 ]]; then
  echo "== build the fuzz targets =="
  cmake --build "$BUILD_DIR" --parallel "${BUILD_JOBS:-$(nproc)}" --target dealflow_fuzz_targets
fi

FUZZ_BIN="$BUILD_DIR/tests/fuzz"
if [[ ${#TARGETS[@]} -eq 0 ]]; then
  for source in "$ROOT"/tests/fuzz/*_fuzz.cpp; do
    name=$(basename "$source" .cpp)
    TARGETS+=("${name%_fuzz}")
  done
fi

# Largest input per target: the importers read several files at once.
max_len_of() {
  case "$1" in
    import_*) echo 65536 ;;
    *) echo 16384 ;;
  esac
}
dict_of() {
  case "$1" in
    import_*) echo "$ROOT/tests/fuzz/dict/import.dict" ;;
    *_csv) echo "$ROOT/tests/fuzz/dict/csv.dict" ;;
    *) echo "$ROOT/tests/fuzz/dict/json.dict" ;;
  esac
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dealflow-fuzz.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# run_target NAME: replays the regressions, then fuzzes; writes $WORK/NAME.result
# ("ok <executions>" or "fail <artifact or log>").
run_target() {
  local name=$1 bin="$FUZZ_BIN/fuzz_$1" log="$WORK/$1.log"
  local corpus="${FUZZ_CORPUS_DIR:-$WORK/corpus}/$name" artifacts="$WORK/artifacts/$name"
  mkdir -p "$corpus" "$artifacts"
  if [[ ! -x "$bin" ]]; then
    echo "fail missing binary $bin" >"$WORK/$name.result"
    return
  fi
  if [[ -d "$ROOT/tests/fuzz/corpus/$name" ]]; then cp -r "$ROOT/tests/fuzz/corpus/$name/." "$corpus/"; fi
  local regressions="$ROOT/tests/fuzz/regressions/$name"
  if [[ -d "$regressions" ]] && compgen -G "$regressions/*" >/dev/null; then
    if ! "$bin" -rss_limit_mb=2048 -timeout=10 "$regressions"/* >"$WORK/$name.replay.log" 2>&1; then
      echo "fail regression replay: $WORK/$name.replay.log" >"$WORK/$name.result"
      cp "$WORK/$name.replay.log" "$ROOT/build/fuzz-$name.replay.log" 2>/dev/null || true
      return
    fi
  fi
  local dict_args=()
  local dict
  dict=$(dict_of "$name")
  if [[ -f "$dict" ]]; then dict_args=(-dict="$dict"); fi
  local runs_args=()
  if [[ -n "$RUNS" ]]; then runs_args=(-runs="$RUNS"); fi
  local rc=0
  # The importer targets write their input files to TMPDIR: a memory file system when there is one.
  TMPDIR=${FUZZ_TMPDIR:-$([[ -d /dev/shm && -w /dev/shm ]] && echo /dev/shm || echo "${TMPDIR:-/tmp}")} \
  "$bin" "$corpus" "${dict_args[@]}" "${runs_args[@]}" -max_len="$(max_len_of "$name")" -rss_limit_mb=2048 -timeout=10 \
    -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 -artifact_prefix="$artifacts/" \
    >"$log" 2>&1 || rc=$?
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [[ $rc -ne 0 ]] || compgen -G "$artifacts/*" >/dev/null; then
    # Keep the evidence outside the temporary folder.
    local keep="$BUILD_DIR/fuzz-findings/$name"
    mkdir -p "$keep"
    cp "$log" "$keep/" && cp -r "$artifacts/." "$keep/" 2>/dev/null || true
    echo "fail exit $rc; log and artifacts in $keep: $(ls "$keep" | tr '\n' ' ')" >"$WORK/$name.result"
  else
    echo "ok ${execs:-0}" >"$WORK/$name.result"
  fi
}

echo "== fuzz ${#TARGETS[@]} targets, ${SECONDS_PER_TARGET} s each${RUNS:+ or $RUNS executions}, $JOBS at a time =="
running=0
for name in "${TARGETS[@]}"; do
  run_target "$name" &
  running=$((running + 1))
  if [[ $running -ge $JOBS ]]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true

failed=0
printf '%-24s %14s  %s\n' target executions result
for name in "${TARGETS[@]}"; do
  read -r status rest <"$WORK/$name.result" || { status=fail; rest="no result"; }
  if [[ $status == ok ]]; then
    printf '%-24s %14s  ok\n' "$name" "$rest"
  else
    printf '%-24s %14s  FAILED: %s\n' "$name" - "$rest"
    failed=1
  fi
done
if [[ $failed -ne 0 ]]; then
  for name in "${TARGETS[@]}"; do
    if grep -q '^fail' "$WORK/$name.result" && [[ -f "$WORK/$name.log" ]]; then
      echo "== $name: end of the log =="
      grep -E 'ERROR|SUMMARY|runtime error|artifact|Test unit written' "$WORK/$name.log" | head -20 || true
    fi
  done
  echo "fuzz.sh: a target failed (artifacts above; reproduce: $FUZZ_BIN/fuzz_<target> <artifact>)"
  exit 1
fi
echo "fuzz.sh: every target ran without a finding"
