// Writing a ".dflog" snapshot (dealflow/analytics/snapshot.h, docs/snapshot.md).
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "analytics/snapshot_format.h"

namespace dealflow::analytics {
namespace detail {
namespace {

// Little-endian records for the small sections (pipelines, load report, string lists).
class RecordWriter {
 public:
  void u64(std::uint64_t v) { append(&v, 8); }
  void u32(std::uint32_t v) { append(&v, 4); }
  void str(std::string_view s) {
    u64(s.size());
    bytes_.append(s.data(), s.size());
  }
  void status(const Status& st) {
    u32(static_cast<std::uint32_t>(st.code()));
    str(st.message());
    str(st.location().file);
    u64(static_cast<std::uint64_t>(static_cast<std::int64_t>(st.location().line)));
    u64(static_cast<std::uint64_t>(static_cast<std::int64_t>(st.location().column)));
    str(st.location().json_path);
  }
  std::string take() { return std::move(bytes_); }

 private:
  void append(const void* p, std::size_t n) { bytes_.append(static_cast<const char*>(p), n); }
  std::string bytes_;
};

// A string list: u64 count, u64 offsets[count + 1] into the bytes that follow.
template <class At>
std::string string_list(std::size_t count, At at) {
  RecordWriter w;
  w.u64(count);
  std::uint64_t offset = 0;
  w.u64(0);
  for (std::size_t i = 0; i < count; ++i) w.u64(offset += at(i).size());
  std::string out = w.take();
  out.reserve(out.size() + offset);
  for (std::size_t i = 0; i < count; ++i) out += at(i);
  return out;
}

template <class T>
SectionBytes column(SectionKind kind, const std::vector<T>& v, std::uint32_t index = 0) {
  return SectionBytes{static_cast<std::uint32_t>(kind), index, v.data(), v.size() * sizeof(T), {}};
}

SectionBytes owned(SectionKind kind, std::string bytes, std::uint32_t index = 0) {
  // No pointer into `owned` is kept: the string moves (short ones inline) with the section.
  const std::size_t size = bytes.size();
  return SectionBytes{static_cast<std::uint32_t>(kind), index, nullptr, size, std::move(bytes)};
}

}  // namespace

Result<std::vector<SectionBytes>> SnapshotAccess::sections(const LoadedLog& loaded,
                                                           const std::vector<const Pipeline*>& pipelines) {
  const EventLog& log = loaded.log;
  if (!log.sealed()) return Status(ErrorCode::invalid_argument, "write_snapshot: the log is not sealed");
  std::vector<SectionBytes> out;

  Meta meta;
  meta.deal_count = log.deal_count();
  meta.event_count = log.event_count();
  meta.change_count = log.field_change_count();
  meta.amount_change_count = log.fc_amount_minor_.size();
  meta.move_count = log.moves_.size();
  meta.dimension_count = log.dimensions_.size();
  meta.pipeline_count = log.pipelines_.size();
  meta.currency_count = log.currencies_.size();
  meta.actor_count = log.actors_.size();
  meta.time_base = log.time_base_.unix_seconds();
  out.push_back(owned(SectionKind::meta, std::string(reinterpret_cast<const char*>(&meta), sizeof meta)));

  RecordWriter pw;
  pw.u64(log.pipelines_.size());
  for (std::size_t code = 0; code < log.pipelines_.size(); ++code) {
    const std::string_view id = log.pipelines_.at(static_cast<std::uint32_t>(code));
    const Pipeline* config = nullptr;
    for (const Pipeline* p : pipelines) {
      if (p && p->id() == id) config = p;
    }
    if (!config) {
      return Status(ErrorCode::invalid_argument,
                    "write_snapshot: the log's pipeline '" + std::string(id) +
                        "' is not among the given pipeline configs: expected the configs it was loaded with");
    }
    pw.str(id);
    pw.u64(config->stage_count());
    for (const Stage& s : config->stages()) {
      pw.str(s.id);
      pw.u32(static_cast<std::uint32_t>(s.kind));
    }
  }
  out.push_back(owned(SectionKind::pipelines, pw.take()));

  const LoadReport& report = loaded.report;
  RecordWriter rw;
  for (std::size_t n :
       {report.deal_rows, report.deals_loaded, report.history_rows, report.events_loaded,
        report.deals_without_history, report.field_change_rows, report.field_changes_loaded}) {
    rw.u64(n);
  }
  for (std::size_t k = 0; k < kIssueKindCount; ++k) {
    rw.u64(report.counts_[k]);
    rw.u64(report.values_[k].size());
    for (const std::string& v : report.values_[k]) rw.str(v);
    rw.u64(report.examples_[k].size());
    for (const Status& st : report.examples_[k]) rw.status(st);
  }
  rw.u64(report.first_ ? 1 : 0);
  if (report.first_) rw.status(*report.first_);
  out.push_back(owned(SectionKind::load_report, rw.take()));

  const StringIndex& keys = log.deal_keys_;
  out.push_back(column(SectionKind::deal_key_bytes, keys.arena_));
  out.push_back(column(SectionKind::deal_key_offsets, keys.offsets_));
  out.push_back(column(SectionKind::deal_key_slots, keys.slots_));
  out.push_back(column(SectionKind::deal_pipeline, log.pipeline_));
  out.push_back(column(SectionKind::deal_created, log.created_));
  out.push_back(column(SectionKind::deal_amount, log.amount_minor_));
  out.push_back(column(SectionKind::deal_currency, log.currency_));
  std::string currencies;
  for (const Currency& c : log.currencies_) {
    char code[4] = {};
    std::memcpy(code, c.code().data(), c.code().size());
    currencies.append(code, 4);
  }
  out.push_back(owned(SectionKind::currencies, std::move(currencies)));
  out.push_back(column(SectionKind::deal_close_date, log.close_date_));
  out.push_back(column(SectionKind::deal_closed_at, log.closed_at_));
  out.push_back(column(SectionKind::deal_probability, log.probability_));
  out.push_back(owned(SectionKind::dimension_names, string_list(log.dimensions_.size(), [&](std::size_t i) {
                        return std::string_view(log.dimensions_[i].name);
                      })));
  out.push_back(owned(SectionKind::actors, string_list(log.actors_.size(), [&](std::size_t i) {
                        return log.actors_.at(static_cast<std::uint32_t>(i));
                      })));
  out.push_back(column(SectionKind::event_offsets, log.offsets_));
  out.push_back(column(SectionKind::event_at, log.at_));
  static_assert(sizeof(StageId) == 2);
  out.push_back(column(SectionKind::event_stage, log.stage_));
  out.push_back(column(SectionKind::event_actor, log.actor_));
  std::string moves;
  for (const EventLog::PipelineMove& m : log.moves_) {
    const std::uint16_t pad = 0;
    moves.append(reinterpret_cast<const char*>(&m.deal), 4);
    moves.append(reinterpret_cast<const char*>(&m.at), 4);
    moves.append(reinterpret_cast<const char*>(&m.pipeline), 2);
    moves.append(reinterpret_cast<const char*>(&pad), 2);
  }
  out.push_back(owned(SectionKind::pipeline_moves, std::move(moves)));
  out.push_back(column(SectionKind::change_offsets, log.fc_offsets_));
  out.push_back(column(SectionKind::change_at, log.fc_at_));
  out.push_back(column(SectionKind::change_field, log.fc_field_));
  out.push_back(column(SectionKind::change_value, log.fc_value_));
  out.push_back(column(SectionKind::change_amount_minor, log.fc_amount_minor_));
  out.push_back(column(SectionKind::change_amount_currency, log.fc_amount_currency_));

  for (std::size_t d = 0; d < log.dimensions_.size(); ++d) {
    const DimensionColumn& col = log.dimensions_[d];
    const auto index = static_cast<std::uint32_t>(d);
    out.push_back(
        owned(SectionKind::dimension_values,
              string_list(col.values.size(),
                          [&](std::size_t i) { return col.values.at(static_cast<std::uint32_t>(i)); }),
              index));
    switch (col.codes.width_) {
      case 1:
        out.push_back(column(SectionKind::dimension_codes, col.codes.u8_, index));
        break;
      case 2:
        out.push_back(column(SectionKind::dimension_codes, col.codes.u16_, index));
        break;
      case 4:
        out.push_back(column(SectionKind::dimension_codes, col.codes.u32_, index));
        break;
      default:
        out.push_back(owned(SectionKind::dimension_codes, {}, index));
        break;
    }
  }
  return out;
}

}  // namespace detail

namespace {

Status write_all(std::FILE* f, const void* data, std::size_t n, const std::string& path) {
  if (n != 0 && std::fwrite(data, 1, n, f) != n) {
    return Status(ErrorCode::io_error, "cannot write the snapshot", Location{path, 0, 0, ""});
  }
  return {};
}

}  // namespace

Status write_snapshot(const LoadedLog& loaded, const std::vector<const Pipeline*>& pipelines,
                      const std::string& path) {
  using namespace detail;
  auto sections = SnapshotAccess::sections(loaded, pipelines);
  if (!sections) return sections.status();

  // Layout: header, table, then each section at the next 8-byte boundary.
  const std::size_t count = sections->size();
  std::string table(count * kSectionEntryBytes, '\0');
  std::uint64_t offset = kHeaderBytes + table.size();
  std::vector<std::uint64_t> offsets(count);
  for (std::size_t i = 0; i < count; ++i) {
    const SectionBytes& s = (*sections)[i];
    offset = (offset + 7) & ~std::uint64_t{7};
    offsets[i] = offset;
    const std::uint64_t sum = checksum64(s.data(), s.size);
    const std::uint64_t length = s.size;
    char* e = table.data() + i * kSectionEntryBytes;
    std::memcpy(e, &s.kind, 4);
    std::memcpy(e + 4, &s.index, 4);
    std::memcpy(e + 8, &offset, 8);
    std::memcpy(e + 16, &length, 8);
    std::memcpy(e + 24, &sum, 8);
    offset += s.size;
  }
  const std::uint64_t file_size = offset;
  unsigned char header[kHeaderBytes] = {};
  std::memcpy(header, kSnapshotMagic.data(), 8);
  const std::uint32_t version = kSnapshotFormatVersion, n32 = static_cast<std::uint32_t>(count);
  std::memcpy(header + 8, &version, 4);
  std::memcpy(header + 12, &n32, 4);
  std::memcpy(header + 16, &file_size, 8);
  const std::uint64_t table_sum =
      checksum64(reinterpret_cast<const unsigned char*>(table.data()), table.size());
  std::memcpy(header + 24, &table_sum, 8);
  const std::uint64_t header_sum = checksum64(header, 40);
  std::memcpy(header + 40, &header_sum, 8);

  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status(ErrorCode::io_error, "cannot create the snapshot file", Location{tmp, 0, 0, ""});
  Status st = write_all(f, header, kHeaderBytes, tmp);
  if (st.ok()) st = write_all(f, table.data(), table.size(), tmp);
  std::uint64_t at = kHeaderBytes + table.size();
  static constexpr char kZeros[8] = {};
  for (std::size_t i = 0; st.ok() && i < count; ++i) {
    st = write_all(f, kZeros, offsets[i] - at, tmp);
    if (st.ok()) st = write_all(f, (*sections)[i].data(), (*sections)[i].size, tmp);
    at = offsets[i] + (*sections)[i].size;
  }
  if (std::fclose(f) != 0 && st.ok())
    st = Status(ErrorCode::io_error, "cannot write the snapshot", Location{tmp, 0, 0, ""});
  std::error_code ec;
  if (st.ok()) {
    std::filesystem::rename(tmp, path, ec);
    if (ec)
      st = Status(ErrorCode::io_error, "cannot rename " + tmp + " to the snapshot: " + ec.message(),
                  Location{path, 0, 0, ""});
  }
  if (!st.ok()) std::filesystem::remove(tmp, ec);
  return st;
}

}  // namespace dealflow::analytics
