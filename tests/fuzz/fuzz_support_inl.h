// tests/fuzz/fuzz_support_inl.h: template part of fuzz_support.h.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "dealflow/io/json.h"

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

// Parses `text` as JSON and hands the root to `parse` (a syntax error is checked and dropped).
template <typename Parse>
void with_json(std::string_view text, std::string_view file_name, Parse parse) {
  auto doc = parse_json(text, file_name);
  if (!doc) {
    check_error(doc.status());
    return;
  }
  parse(JsonReader(*doc, std::string(file_name)));
}

}  // namespace dealflow::fuzz
