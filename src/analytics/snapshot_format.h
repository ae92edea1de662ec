// The on-disk layout of a ".dflog" snapshot (docs/snapshot.md) shared by the
// writer and the reader: header, section table, section kinds, checksum.
// Implementation detail of dealflow/analytics/snapshot.h.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/analytics/snapshot.h"
#include "dealflow/analytics/validation.h"

namespace dealflow::analytics::detail {

static_assert(sizeof(void*) == 8, "the snapshot maps 64-bit offsets");
static_assert(std::endian::native == std::endian::little, "the snapshot columns are little-endian");

inline constexpr std::array<char, 8> kSnapshotMagic = {'D', 'F', 'L', 'O', 'G', '\0', '\r', '\n'};

// Header, 48 bytes at offset 0:
//   0  magic[8]            "DFLOG\0\r\n"
//   8  u32 version         kSnapshotFormatVersion
//  12  u32 section_count
//  16  u64 file_size       the whole file, in bytes
//  24  u64 table_checksum  of the section table (section_count * 32 bytes at offset 48)
//  32  u64 reserved        0
//  40  u64 header_checksum of bytes 0..39
inline constexpr std::size_t kHeaderBytes = 48;
// Section table entry, 32 bytes: u32 kind, u32 index (dimension number, else
// 0), u64 offset, u64 length, u64 checksum of the section's bytes.
inline constexpr std::size_t kSectionEntryBytes = 32;

// Section kinds. Every kind but the per-dimension ones appears exactly once, in
// this order; then for each dimension i: dimension_values[i], dimension_codes[i].
enum class SectionKind : std::uint32_t {
  meta = 1,                // u64 fields, see Meta
  pipelines,               // the pipelines and their stages (records)
  load_report,             // the LoadReport (records)
  deal_key_bytes,          // deal ids, concatenated
  deal_key_offsets,        // u64[deals + 1]
  deal_key_slots,          // u64[power of two]: the open-addressing index
  deal_pipeline,           // u16[deals]
  deal_created,            // i64[deals]
  deal_amount,             // i64[deals]
  deal_currency,           // u16[deals]
  currencies,              // char[4][currencies]
  deal_close_date,         // i32[deals] or empty
  deal_closed_at,          // i64[deals] or empty
  deal_probability,        // u32[deals] or empty
  dimension_names,         // string list
  actors,                  // string list
  event_offsets,           // u32[deals + 1]
  event_at,                // u32[events]
  event_stage,             // u16[events]
  event_actor,             // u16[events]
  pipeline_moves,          // {u32 deal, u32 at, u16 pipeline, u16 0}[moves]
  change_offsets,          // u32[deals + 1] or empty
  change_at,               // u32[changes]
  change_field,            // u16[changes]
  change_value,            // u32[changes]
  change_amount_minor,     // i64[amount changes]
  change_amount_currency,  // u16[amount changes]
  dimension_values,        // string list (one section per dimension)
  dimension_codes,         // u8/u16/u32[deals] or empty (one section per dimension)
};
inline constexpr std::uint32_t kFixedSectionCount =
    static_cast<std::uint32_t>(SectionKind::dimension_values) - 1;

inline std::string section_name(std::uint32_t kind, std::uint32_t index) {
  static constexpr std::array<std::string_view, 29> kNames = {"meta",
                                                              "pipelines",
                                                              "load_report",
                                                              "deal_keys",
                                                              "deal_key_offsets",
                                                              "deal_key_slots",
                                                              "deal_pipeline",
                                                              "deal_created",
                                                              "deal_amount",
                                                              "deal_currency",
                                                              "currencies",
                                                              "deal_close_date",
                                                              "deal_closed_at",
                                                              "deal_probability",
                                                              "dimension_names",
                                                              "actors",
                                                              "event_offsets",
                                                              "event_at",
                                                              "event_stage",
                                                              "event_actor",
                                                              "pipeline_moves",
                                                              "change_offsets",
                                                              "change_at",
                                                              "change_field",
                                                              "change_value",
                                                              "change_amount_minor",
                                                              "change_amount_currency",
                                                              "dimension_values",
                                                              "dimension_codes"};
  if (kind == 0 || kind > kNames.size()) return "#" + std::to_string(kind);
  std::string name(kNames[kind - 1]);
  if (kind >= static_cast<std::uint32_t>(SectionKind::dimension_values))
    name += "[" + std::to_string(index) + "]";
  return name;
}

// The meta section: u64 values in this order.
struct Meta {
  std::uint64_t deal_count = 0;
  std::uint64_t event_count = 0;
  std::uint64_t change_count = 0;
  std::uint64_t amount_change_count = 0;
  std::uint64_t move_count = 0;
  std::uint64_t dimension_count = 0;
  std::uint64_t pipeline_count = 0;
  std::uint64_t currency_count = 0;
  std::uint64_t actor_count = 0;
  std::int64_t time_base = 0;  // unix seconds
};
inline constexpr std::size_t kMetaFields = 10;
static_assert(sizeof(Meta) == kMetaFields * 8);

// A 64-bit checksum of a byte range: four independent multiply-rotate lanes
// over 32-byte blocks (every step is a bijection of the lane state, so any
// change confined to one 8-byte word, in particular any single bit flip, always
// changes the result), merged and avalanched with the length.
inline std::uint64_t rotl64(std::uint64_t x, int r) noexcept {
  return (x << r) | (x >> (64 - r));
}
inline std::uint64_t checksum64(const unsigned char* p, std::size_t n) noexcept {
  constexpr std::uint64_t k1 = 0x9E3779B185EBCA87ull, k2 = 0xC2B2AE3D27D4EB4Full, k3 = 0x165667B19E3779F9ull;
  const auto round = [](std::uint64_t acc, std::uint64_t in) { return rotl64(acc + in * k2, 31) * k1; };
  const auto word = [](const unsigned char* q) {
    std::uint64_t v;
    std::memcpy(&v, q, 8);
    return v;
  };
  std::uint64_t v1 = k1 + k2, v2 = k2, v3 = 0, v4 = 0 - k1;
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    v1 = round(v1, word(p + i));
    v2 = round(v2, word(p + i + 8));
    v3 = round(v3, word(p + i + 16));
    v4 = round(v4, word(p + i + 24));
  }
  std::uint64_t h = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
  h = (h ^ round(0, v1)) * k1 + k3;
  h = (h ^ round(0, v2)) * k1 + k3;
  h = (h ^ round(0, v3)) * k1 + k3;
  h = (h ^ round(0, v4)) * k1 + k3;
  for (; i + 8 <= n; i += 8) h = rotl64(h ^ round(0, word(p + i)), 27) * k1 + k3;
  if (i < n) {
    std::uint64_t tail = 0;
    std::memcpy(&tail, p + i, n - i);
    h = rotl64(h ^ round(0, tail), 27) * k1 + k3;
  }
  h ^= n;
  h ^= h >> 33;
  h *= k2;
  h ^= h >> 29;
  h *= k3;
  h ^= h >> 32;
  return h;
}

// One section of the file: its kind and index, and its bytes (a column of
// the log when `column` is set, else `owned`).
struct SectionBytes {
  std::uint32_t kind = 0;
  std::uint32_t index = 0;
  const void* column = nullptr;
  std::size_t size = 0;
  std::string owned;

  const unsigned char* data() const noexcept {
    return static_cast<const unsigned char*>(column ? column : static_cast<const void*>(owned.data()));
  }
};

// A located section of a mapped file, after its bounds and checksum were verified.
struct MappedSection {
  const unsigned char* data = nullptr;
  std::size_t size = 0;
};

// Bulk access to the private columns of the log (friend of EventLog,
// DimensionCodes, StringIndex and LoadReport).
struct SnapshotAccess {
  // The sections of `loaded`, in file order (snapshot_write.cpp).
  static Result<std::vector<SectionBytes>> sections(const LoadedLog& loaded,
                                                    const std::vector<const Pipeline*>& pipelines);
  // Fills `out` from verified sections (indexed as the section table: the
  // fixed kinds first, then values and codes per dimension); parse_error
  // naming the path and the inconsistency otherwise (snapshot_restore.cpp).
  static Status restore(const std::vector<MappedSection>& sections, const std::string& path, Snapshot& out);
};

}  // namespace dealflow::analytics::detail
