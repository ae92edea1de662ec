#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, runs the whole suite
# with ctest (including the find_package and add_subdirectory consumer tests and the
# real-browser check: headless Chromium renders the report of the bundled data),
# then builds and runs it again (without the consumers and the browser) under
# AddressSanitizer + UndefinedBehaviorSanitizer
# (clang-14, a build that also holds the libFuzzer targets), fuzzes every loader
# for about 10 s each (scripts/fuzz.sh --short), and builds and runs the concurrency
# suite under ThreadSanitizer, each in its own build folder. Compiles go through
# ccache (installed with the other dependencies): the add_subdirectory consumer
# test builds the library a second time with the same flags, and ccache serves
# those objects. Each phase prints its start time (UTC) and the script its total.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-$(nproc)}

START=$(date +%s)
phase() { echo "== $(date -u +%T) $* =="; }

"$ROOT/scripts/install-deps.sh"

LAUNCHER=()
if command -v ccache >/dev/null 2>&1; then
  LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # The library compiles as unity batches (DEALFLOW_UNITY_LIBRARY), whose generated files live in
  # each build folder; paths under build/ are hashed relative to the compiler's working folder, so
  # the consumer's nested build of the library (build/test/tests/consumer-subdir/...) finds the
  # first build's objects. The sources (src/, include/) stay absolute paths, outside the base.
  export CCACHE_BASEDIR="$ROOT/build"
fi

phase "build (Release, -Werror)"
# The library and the suites compile as unity batches (DEALFLOW_UNITY_LIBRARY, DEALFLOW_UNITY_TESTS:
# the headers parsed once per 8 files, about half the compile time; docs/unity-builds.md) and the
# suites' own code at -O1 (the library, the tool and the examples keep Release's -O3).
UNITY=(-DDEALFLOW_UNITY_LIBRARY=ON -DDEALFLOW_UNITY_TESTS=ON)
cmake -S "$ROOT" -B "$ROOT/build/test" -DCMAKE_BUILD_TYPE=Release -DDEALFLOW_WERROR=ON "${UNITY[@]}" \
  -DDEALFLOW_TEST_COMPILE_OPTIONS=-O1 "${LAUNCHER[@]}" >/dev/null
cmake --build "$ROOT/build/test" --parallel "$JOBS"
phase tests
ctest --test-dir "$ROOT/build/test" --output-on-failure --parallel "$JOBS"

phase "build (clang-14: AddressSanitizer + UndefinedBehaviorSanitizer, libFuzzer instrumentation)"
# One sanitizer build serves both the sanitized test run and the libFuzzer targets of tests/fuzz/
# (DEALFLOW_FUZZ: the library carries -fsanitize=fuzzer-no-link, the fuzz targets link libFuzzer).
# -g1 (line tables: sanitizer reports keep file:line) compiles about a quarter faster than -g.
cmake -S "$ROOT" -B "$ROOT/build/asan" -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DDEALFLOW_WERROR=ON -DDEALFLOW_SANITIZE=ON -DDEALFLOW_FUZZ=ON \
  -DDEALFLOW_BUILD_BENCHMARKS=OFF -DDEALFLOW_BUILD_EXAMPLES=OFF "${UNITY[@]}" "${LAUNCHER[@]}" >/dev/null
cmake --build "$ROOT/build/asan" --parallel "$JOBS"
phase "tests under sanitizers (and every fuzz seed and regression input once)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir "$ROOT/build/asan" --output-on-failure --parallel "$JOBS" --label-exclude 'consumer|browser'

phase "short fuzz runs (every loader, scripts/fuzz.sh --short)"
"$ROOT/scripts/fuzz.sh" --short --no-build --build-dir "$ROOT/build/asan"

phase "build (ThreadSanitizer: the concurrency suite)"
cmake -S "$ROOT" -B "$ROOT/build/tsan" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DDEALFLOW_WERROR=ON -DDEALFLOW_SANITIZE_THREAD=ON -DDEALFLOW_BUILD_TOOLS=OFF \
  -DDEALFLOW_BUILD_EXAMPLES=OFF -DDEALFLOW_BUILD_BENCHMARKS=OFF "${UNITY[@]}" "${LAUNCHER[@]}" >/dev/null
cmake --build "$ROOT/build/tsan" --parallel "$JOBS" --target dealflow_concurrency_tests
phase "concurrency tests under ThreadSanitizer"
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 "$ROOT/build/tsan/tests/dealflow_concurrency_tests"
echo "test.sh: all suites passed in $(( $(date +%s) - START )) s"
