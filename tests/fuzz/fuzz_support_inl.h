// tests/fuzz/fuzz_support_inl.h: template part of fuzz_support.h.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <utility>

namespace dealflow::fuzz {

template <typename T>
T expect_fixture(Result<T> result, std::string_view what) {
  if (!result) {
    std::fprintf(stderr, "fuzz fixture %.*s: %s\n", static_cast<int>(what.size()), what.data(),
                 result.status().to_string().c_str());
    std::abort();
  }
  return std::move(*result);
}

}  // namespace dealflow::fuzz
