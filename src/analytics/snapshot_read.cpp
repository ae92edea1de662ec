// Opening a ".dflog" snapshot: mapping, header, section table and checksums
// (dealflow/analytics/snapshot.h, docs/snapshot.md). The contents are checked
// and copied into the log by snapshot_restore.cpp.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "analytics/snapshot_format.h"

namespace dealflow::analytics {
namespace {

using detail::kHeaderBytes;
using detail::kSectionEntryBytes;

Status bad(const std::string& path, std::string message, ErrorCode code = ErrorCode::parse_error) {
  return Status(code, std::move(message), Location{path, 0, 0, ""});
}

// A read-only mapping, unmapped (and the descriptor closed) on destruction.
class Mapping {
 public:
  Mapping() = default;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  ~Mapping() {
    if (data_) ::munmap(data_, size_);
    if (fd_ >= 0) ::close(fd_);
  }
  Status open(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0)
      return bad(path, "cannot open the snapshot: " + std::string(std::strerror(errno)), ErrorCode::io_error);
    struct stat st {};
    if (::fstat(fd_, &st) != 0)
      return bad(path, "cannot stat the snapshot: " + std::string(std::strerror(errno)), ErrorCode::io_error);
    if (!S_ISREG(st.st_mode))
      return bad(path, "not a regular file: expected a dealflow snapshot", ErrorCode::io_error);
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ == 0) return {};
    int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
    flags |= MAP_POPULATE;  // one pass of read-ahead instead of a page fault per 4 KiB
#endif
    void* p = ::mmap(nullptr, size_, PROT_READ, flags, fd_, 0);
    if (p == MAP_FAILED)
      return bad(path, "cannot map the snapshot: " + std::string(std::strerror(errno)), ErrorCode::io_error);
    data_ = p;
    return {};
  }
  const unsigned char* data() const noexcept {
    return static_cast<const unsigned char*>(data_);
  }
  std::size_t size() const noexcept {
    return size_;
  }

 private:
  int fd_ = -1;
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

template <class T>
T load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The section kind expected at table entry `i` (fixed kinds, then values and
// codes per dimension) and its index.
std::pair<std::uint32_t, std::uint32_t> expected_entry(std::size_t i) {
  if (i < detail::kFixedSectionCount) return {static_cast<std::uint32_t>(i + 1), 0};
  const std::size_t j = i - detail::kFixedSectionCount;
  const auto kind = j % 2 == 0 ? detail::SectionKind::dimension_values : detail::SectionKind::dimension_codes;
  return {static_cast<std::uint32_t>(kind), static_cast<std::uint32_t>(j / 2)};
}

// Checks the header and the section table, and every section's bounds,
// padding and checksum.
Result<std::vector<detail::MappedSection>> verify(const unsigned char* base, std::size_t size,
                                                  const std::string& path) {
  const std::string magic(detail::kSnapshotMagic.data(), 5);
  if (size == 0) return bad(path, "empty file: expected a dealflow snapshot (magic \"DFLOG\")");
  if (size < 8 || std::memcmp(base, detail::kSnapshotMagic.data(), 8) != 0) {
    return bad(path, "not a dealflow snapshot: the file does not start with the magic \"DFLOG\"");
  }
  if (size < kHeaderBytes) {
    return bad(path, "truncated: the header needs " + std::to_string(kHeaderBytes) +
                         " bytes but the file has " + std::to_string(size));
  }
  // The version first: another version may lay out the rest of the header differently.
  const auto version = load<std::uint32_t>(base + 8);
  if (version != kSnapshotFormatVersion) {
    return bad(path,
               "format version " + std::to_string(version) +
                   " is not supported: this dealflow reads version " +
                   std::to_string(kSnapshotFormatVersion) + " (write the snapshot again with this dealflow)",
               ErrorCode::invalid_argument);
  }
  if (load<std::uint64_t>(base + 40) != detail::checksum64(base, 40))
    return bad(path, "checksum mismatch in the header");
  const auto count = load<std::uint32_t>(base + 12);
  const auto file_size = load<std::uint64_t>(base + 16);
  if (file_size != size) {
    return bad(path, std::string(file_size > size ? "truncated" : "trailing bytes") + ": the header says " +
                         std::to_string(file_size) + " bytes but the file has " + std::to_string(size));
  }
  if (load<std::uint64_t>(base + 32) != 0) return bad(path, "inconsistent header: reserved field is not 0");
  const std::uint64_t table_end = kHeaderBytes + std::uint64_t{count} * kSectionEntryBytes;
  if (table_end > size) {
    return bad(path, "truncated: the section table ends at byte " + std::to_string(table_end) +
                         " but the file has " + std::to_string(size) + " bytes");
  }
  if (count < detail::kFixedSectionCount || (count - detail::kFixedSectionCount) % 2 != 0) {
    return bad(path, "inconsistent section table: " + std::to_string(count) + " sections: expected " +
                         std::to_string(detail::kFixedSectionCount) + " + 2 per dimension");
  }
  const unsigned char* table = base + kHeaderBytes;
  if (load<std::uint64_t>(base + 24) != detail::checksum64(table, table_end - kHeaderBytes)) {
    return bad(path, "checksum mismatch in the section table");
  }
  std::vector<detail::MappedSection> sections(count);
  std::uint64_t previous_end = table_end;
  for (std::size_t i = 0; i < count; ++i) {
    const unsigned char* e = table + i * kSectionEntryBytes;
    const auto kind = load<std::uint32_t>(e), index = load<std::uint32_t>(e + 4);
    const auto offset = load<std::uint64_t>(e + 8), length = load<std::uint64_t>(e + 16);
    const auto [want_kind, want_index] = expected_entry(i);
    const std::string name = detail::section_name(kind, index);
    if (kind != want_kind || index != want_index) {
      return bad(path, "inconsistent section table: entry " + std::to_string(i) + " is '" + name +
                           "': expected '" + detail::section_name(want_kind, want_index) + "'");
    }
    if (offset % 8 != 0 || offset < previous_end) {
      return bad(path, "inconsistent section table: section '" + name + "' starts at byte " +
                           std::to_string(offset) + ": expected an 8-byte boundary at or after byte " +
                           std::to_string(previous_end));
    }
    if (offset > size || length > size - offset) {
      return bad(path,
                 "truncated: section '" + name + "' ends at byte " +
                     (length > UINT64_MAX - offset ? std::string("2^64+") : std::to_string(offset + length)) +
                     " but the file has " + std::to_string(size) + " bytes");
    }
    for (std::uint64_t b = previous_end; b < offset; ++b) {
      if (base[b] != 0) {
        return bad(path, "nonzero padding byte " + std::to_string(b) + " before section '" + name + "'");
      }
    }
    if (load<std::uint64_t>(e + 24) != detail::checksum64(base + offset, length)) {
      return bad(path, "checksum mismatch in section '" + name + "'");
    }
    sections[i] = detail::MappedSection{base + offset, static_cast<std::size_t>(length)};
    previous_end = offset + length;
  }
  if (previous_end != size) {
    return bad(path, "trailing bytes: the last section ends at byte " + std::to_string(previous_end) +
                         " but the file has " + std::to_string(size) + " bytes");
  }
  return sections;
}

}  // namespace

Result<Snapshot> open_snapshot(const std::string& path) {
  Mapping map;
  if (Status st = map.open(path); !st.ok()) return st;
  auto sections = verify(map.data(), map.size(), path);
  if (!sections) return sections.status();
  Snapshot out;
  if (Status st = detail::SnapshotAccess::restore(*sections, path, out); !st.ok()) return st;
  return out;
}

Status check_snapshot_pipelines(const Snapshot& snapshot, const std::vector<const Pipeline*>& pipelines,
                                const std::string& path) {
  const auto fail = [&](std::string message) {
    return Status(ErrorCode::validation_failed, std::move(message), Location{path, 0, 0, ""});
  };
  std::string known;
  for (const SnapshotPipeline& sp : snapshot.pipelines) known += (known.empty() ? "" : ", ") + sp.id;
  for (const Pipeline* p : pipelines) {
    const bool found = std::any_of(snapshot.pipelines.begin(), snapshot.pipelines.end(),
                                   [&](const SnapshotPipeline& sp) { return sp.id == p->id(); });
    if (!found) {
      return fail("pipeline '" + p->id() + "' (" + p->source_file() +
                  ") is not in the snapshot, which was written with the pipelines " + known +
                  ": expected the configs the snapshot was written with");
    }
  }
  for (const SnapshotPipeline& sp : snapshot.pipelines) {
    const Pipeline* config = nullptr;
    for (const Pipeline* p : pipelines) {
      if (p->id() == sp.id) config = p;
    }
    if (!config) {
      return fail(
          "the snapshot's pipeline '" + sp.id +
          "' is not among the --pipeline configs: expected the configs the snapshot was written with");
    }
    const auto stages = config->stages();
    for (std::size_t s = 0; s < std::max(stages.size(), sp.stage_ids.size()); ++s) {
      const std::string have =
          s < stages.size() ? stages[s].id + " (" + std::string(to_string(stages[s].kind)) + ")" : "no stage";
      const std::string want = s < sp.stage_ids.size()
                                   ? sp.stage_ids[s] + " (" + std::string(to_string(sp.stage_kinds[s])) + ")"
                                   : "no stage";
      if (have != want) {
        return fail("pipeline '" + sp.id + "' differs from the one the snapshot was written with: stage " +
                    std::to_string(s) + " is " + have + " in " + config->source_file() + " but " + want +
                    " in the snapshot");
      }
    }
  }
  return {};
}

}  // namespace dealflow::analytics
