// A damaged snapshot is refused with a message naming the file and what is
// wrong: missing, empty, wrong magic, another version, truncated anywhere,
// any single bit flipped, and contents that are inconsistent although every
// checksum is valid.
#include <gtest/gtest.h>

#include <cstring>

#include "analytics/snapshot_format.h"
#include "snapshot_fixture.h"

namespace dealflow::analytics {
namespace {

using testing::read_bytes;
using testing::RichLog;
using testing::temp_path;
using testing::write_bytes;

// A small valid snapshot (the rich log) as bytes.
const std::string& good_bytes() {
  static const std::string bytes = [] {
    const RichLog rich;
    const std::string path = temp_path("good.dflog");
    if (!write_snapshot(rich.loaded, rich.pipelines, path).ok()) throw std::runtime_error("write failed");
    std::string b = read_bytes(path);
    std::remove(path.c_str());
    return b;
  }();
  return bytes;
}

// Opens `bytes` written to a file; the error text (or "ok").
std::string open_error(const std::string& bytes, const std::string& name = "bad.dflog") {
  const std::string path = temp_path(name);
  write_bytes(path, bytes);
  auto snap = open_snapshot(path);
  std::remove(path.c_str());
  if (snap) return "ok";
  // The message without the temp folder.
  const std::string text = snap.status().to_string();
  return text.substr(text.find(name));
}

template <class T>
T get(const std::string& b, std::size_t at) {
  T v;
  std::memcpy(&v, b.data() + at, sizeof v);
  return v;
}
template <class T>
void put(std::string& b, std::size_t at, T v) {
  std::memcpy(b.data() + at, &v, sizeof v);
}

// The table entry (byte offset) of the section of `kind` (index 0).
std::size_t entry_of(const std::string& b, detail::SectionKind kind, std::uint32_t index = 0) {
  const auto count = get<std::uint32_t>(b, 12);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t e = detail::kHeaderBytes + i * detail::kSectionEntryBytes;
    if (get<std::uint32_t>(b, e) == static_cast<std::uint32_t>(kind) && get<std::uint32_t>(b, e + 4) == index)
      return e;
  }
  throw std::runtime_error("no such section");
}

// Recomputes every checksum (sections, table, header) after an edit; a
// section made to reach past the end of the file keeps its old checksum.
void reseal(std::string& b) {
  const auto* p = reinterpret_cast<const unsigned char*>(b.data());
  const auto count = get<std::uint32_t>(b, 12);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t e = detail::kHeaderBytes + i * detail::kSectionEntryBytes;
    const auto offset = get<std::uint64_t>(b, e + 8), length = get<std::uint64_t>(b, e + 16);
    if (offset > b.size() || length > b.size() - offset) continue;  // past the end: no bytes to sum
    put(b, e + 24, detail::checksum64(p + offset, length));
  }
  put(b, 24, detail::checksum64(p + detail::kHeaderBytes, count * detail::kSectionEntryBytes));
  put(b, 40, detail::checksum64(p, 40));
}

TEST(SnapshotErrors, GoodBytesOpen) {
  EXPECT_EQ(open_error(good_bytes()), "ok");
}

TEST(SnapshotErrors, MissingFile) {
  auto snap = open_snapshot("/nonexistent/data.dflog");
  ASSERT_FALSE(snap.ok());
  EXPECT_EQ(snap.status().code(), ErrorCode::io_error);
  EXPECT_EQ(snap.status().to_string(),
            "/nonexistent/data.dflog: cannot open the snapshot: No such file or directory");
}

TEST(SnapshotErrors, EmptyFile) {
  EXPECT_EQ(open_error(""), "bad.dflog: empty file: expected a dealflow snapshot (magic \"DFLOG\")");
}

TEST(SnapshotErrors, WrongMagic) {
  EXPECT_EQ(open_error("id,created_at\nA,2024-01-01\n"),
            "bad.dflog: not a dealflow snapshot: the file does not start with the magic \"DFLOG\"");
  std::string b = good_bytes();
  b[1] = 'X';
  EXPECT_EQ(open_error(b),
            "bad.dflog: not a dealflow snapshot: the file does not start with the magic \"DFLOG\"");
}

TEST(SnapshotErrors, OtherVersion) {
  std::string b = good_bytes();
  put<std::uint32_t>(b, 8, 2);
  reseal(b);
  EXPECT_EQ(
      open_error(b),
      "bad.dflog: format version 2 is not supported: this dealflow reads version 1 (write the snapshot again "
      "with this dealflow)");
}

TEST(SnapshotErrors, TruncatedAtEveryOffsetIsRefused) {
  const std::string& b = good_bytes();
  EXPECT_EQ(open_error(b.substr(0, 20)),
            "bad.dflog: truncated: the header needs 48 bytes but the file has 20");
  EXPECT_EQ(open_error(b.substr(0, 1000)), "bad.dflog: truncated: the header says " +
                                               std::to_string(b.size()) + " bytes but the file has 1000");
  for (std::size_t n = 1; n < b.size(); n += (n < 64 ? 1 : 7)) {
    const std::string e = open_error(b.substr(0, n));
    EXPECT_NE(e, "ok") << n;
    EXPECT_TRUE(e.find("truncated") != std::string::npos || e.find("magic") != std::string::npos)
        << n << ": " << e;
  }
  EXPECT_EQ(open_error(b + std::string(8, '\0')), "bad.dflog: trailing bytes: the header says " +
                                                      std::to_string(b.size()) + " bytes but the file has " +
                                                      std::to_string(b.size() + 8));
}

TEST(SnapshotErrors, EverySingleBitFlipIsRefused) {
  const std::string& good = good_bytes();
  ASSERT_LT(good.size(), 20000u);  // every bit of a small file, exhaustively
  std::size_t refused = 0;
  for (std::size_t byte = 0; byte < good.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string b = good;
      b[byte] = static_cast<char>(b[byte] ^ (1 << bit));
      const std::string e = open_error(b);
      ASSERT_NE(e, "ok") << "byte " << byte << " bit " << bit;
      ++refused;
    }
  }
  EXPECT_EQ(refused, good.size() * 8);
}

TEST(SnapshotErrors, ChecksumMismatchNamesTheSection) {
  std::string b = good_bytes();
  const std::size_t e = entry_of(b, detail::SectionKind::deal_key_bytes);
  b[get<std::uint64_t>(b, e + 8)] ^= 0x20;  // "A-1" -> "a-1"
  EXPECT_EQ(open_error(b), "bad.dflog: checksum mismatch in section 'deal_keys'");
  std::string h = good_bytes();
  h[17] ^= 1;  // file size, inside the header's checksum
  EXPECT_EQ(open_error(h), "bad.dflog: checksum mismatch in the header");
  std::string t = good_bytes();
  t[detail::kHeaderBytes + 9] ^= 1;  // an offset in the table
  EXPECT_EQ(open_error(t), "bad.dflog: checksum mismatch in the section table");
}

TEST(SnapshotErrors, SectionPastTheEndIsTruncatedEvenWithValidChecksums) {
  std::string b = good_bytes();
  const std::size_t e = entry_of(b, detail::SectionKind::event_at);
  const auto offset = get<std::uint64_t>(b, e + 8);
  put<std::uint64_t>(b, e + 16, b.size());  // length = the whole file
  reseal(b);
  EXPECT_EQ(open_error(b), "bad.dflog: truncated: section 'event_at' ends at byte " +
                               std::to_string(offset + b.size()) + " but the file has " +
                               std::to_string(b.size()) + " bytes");
}

// Contents edited and every checksum recomputed: the consistency checks refuse them.
TEST(SnapshotErrors, InconsistentContentsAreRefused) {
  using K = detail::SectionKind;
  const auto edit = [](K kind, std::size_t at, auto value) {
    std::string b = good_bytes();
    put(b, get<std::uint64_t>(b, entry_of(b, kind) + 8) + at, value);
    reseal(b);
    return open_error(b);
  };
  EXPECT_EQ(
      edit(K::event_stage, 0, std::uint16_t{7}),
      "bad.dflog: inconsistent section 'event_stage': event 0 has stage 7 but pipeline 'sales' has 7 stages");
  EXPECT_EQ(edit(K::event_offsets, 4, std::uint32_t{99}),
            "bad.dflog: inconsistent section 'event_offsets': offset of deal 2 decreases");
  EXPECT_EQ(edit(K::event_offsets, 4 * 5, std::uint32_t{1000}),
            "bad.dflog: inconsistent section 'event_offsets': offsets run from 0 to 1000: expected 0 to 12");
  EXPECT_EQ(edit(K::deal_pipeline, 0, std::uint16_t{2}),
            "bad.dflog: inconsistent section 'deal_pipeline': pipeline code 2 has no pipeline");
  EXPECT_EQ(edit(K::event_actor, 0, std::uint16_t{40}),
            "bad.dflog: inconsistent section 'event_actor': actor code 40 has no actor");
  EXPECT_EQ(edit(K::deal_currency, 0, std::uint16_t{9}),
            "bad.dflog: inconsistent section 'deal_currency': currency code 9 has no currency");
  EXPECT_EQ(edit(K::meta, 0, std::uint64_t{1} << 40),
            "bad.dflog: inconsistent section 'meta': deal count 1099511627776 is above the file's size");
  EXPECT_EQ(edit(K::event_at, 4, std::uint32_t{0}),
            "bad.dflog: inconsistent section 'event_at': events of deal 0 are not in time order");
  EXPECT_EQ(edit(K::deal_probability, 0, std::uint32_t{10001}),
            "bad.dflog: inconsistent section 'deal_probability': probability 10001 above 100 %");
  {
    std::string b = good_bytes();
    const std::size_t slots = get<std::uint64_t>(b, entry_of(b, K::deal_key_slots) + 8);
    std::size_t i = 0;
    while (get<std::uint64_t>(b, slots + i * 8) == 0) ++i;
    put(b, slots + i * 8, std::uint64_t{0});  // a deal no longer indexed
    reseal(b);
    EXPECT_EQ(open_error(b), "bad.dflog: inconsistent section 'deal_key_slots': 4 deals indexed: expected 5");
  }
  // The manager column holds u8 codes: 0x10 is past its dictionary of 3 values.
  const std::string manager_codes = [&] {
    std::string b = good_bytes();
    put(b, get<std::uint64_t>(b, entry_of(b, K::dimension_codes, 0) + 8), std::uint8_t{0x10});
    reseal(b);
    return open_error(b);
  }();
  EXPECT_EQ(
      manager_codes,
      "bad.dflog: inconsistent section 'dimension_codes[0]': code 16 is not below the dictionary size 3");
}

}  // namespace
}  // namespace dealflow::analytics
