// bench/bench_options.h: settings shared by the benchmark binaries. Not part of
// the library; read once per benchmark set-up, single-threaded.
#pragma once

#include <cstdint>
#include <cstdlib>

namespace dealflow::bench {

// Deals in the generated sample: DEALFLOW_BENCH_DEALS when it is a positive
// integer, else `fallback` (each benchmark's documented size).
inline std::uint64_t deals_from_env(std::uint64_t fallback) {
  if (const char* env = std::getenv("DEALFLOW_BENCH_DEALS")) {
    const long long n = std::atoll(env);
    if (n > 0) return static_cast<std::uint64_t>(n);
  }
  return fallback;
}

}  // namespace dealflow::bench
