// Internal: a config fingerprint (a 64-bit hash, dealflow/core/hash.h) as the store writes it
// into the log's meta table, its snapshots and its error messages: 16 lowercase hex digits.
// One definition for store.cpp, snapshot_json.cpp and department_replay.cpp.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dealflow::store::detail {

// "00000000000004d2" for 1234.
inline std::string hex16(std::uint64_t v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kDigits[v & 15];
  return out;
}

// The inverse of hex16: exactly 16 hex digits, either case ("00000000000004D2" is 1234 too);
// nullopt for anything else (a sign, a "0x", a space, a shorter or longer text).
inline std::optional<std::uint64_t> parse_hex16(std::string_view text) {
  if (text.size() != 16) return std::nullopt;
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, 16);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

}  // namespace dealflow::store::detail
