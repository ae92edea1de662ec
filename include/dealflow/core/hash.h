// dealflow/core/hash.h: the string hash of dealflow's open-addressing tables
// (Dictionary, the event log's deal-id index, the loaders' caches). Not a
// stable API: the values may change between versions (nothing persistent
// depends on them but the snapshot's slot tables, which are checked on open).
//
// A multiply-xorshift over 8-byte words: a few nanoseconds for the short
// strings (ids, names) these tables hold. Not for untrusted-input hash
// flooding resistance. Thread-safety: a pure function.
//
// Example:
//   std::uint64_t h = dealflow::detail::hash_bytes("Москва");
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace dealflow::detail {

inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  const char* p = s.data();
  std::size_t n = s.size();
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xff51afd7ed558ccdull);
  while (n >= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * 0xbf58476d1ce4e5b9ull;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  std::uint64_t v = 0;
  if (n) std::memcpy(&v, p, n);
  h = (h ^ v) * 0x94d049bb133111ebull;
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 32;
  return h;
}

}  // namespace dealflow::detail
