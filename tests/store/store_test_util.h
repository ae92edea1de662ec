// Helpers of the Store tests: a store file in a fresh folder, opening that must succeed, fingerprints as
// the store writes them.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "dealflow/store/store.h"
#include "sqlite_test_util.h"

namespace dealflow::store::testing {

inline std::filesystem::path store_file(const std::string& name) {
  return fresh_folder("store_" + name) / "crm.dealflow";
}

inline Store open_store(const std::filesystem::path& path, DepartmentConfig config,
                        StoreOptions options = {}) {
  auto s = Store::open(path, std::move(config), options);
  if (!s.ok()) {
    ADD_FAILURE() << s.status().to_string();
    std::abort();
  }
  return std::move(*s);
}

inline std::string hex(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace dealflow::store::testing
