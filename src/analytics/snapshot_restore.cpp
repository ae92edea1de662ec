// Filling an EventLog from the verified sections of a snapshot: bulk copies of
// whole columns, and one pass per column checking that the contents are
// consistent (a file with valid checksums but inconsistent contents is refused
// like a damaged one). See dealflow/analytics/snapshot.h.
#include <algorithm>
#include <limits>

#include "analytics/snapshot_format.h"

namespace dealflow::analytics::detail {
namespace {

constexpr std::int32_t kNoDate = std::numeric_limits<std::int32_t>::min();
constexpr std::int64_t kNoInstant = std::numeric_limits<std::int64_t>::min();
// Instants and dates the log may hold: years 0000..9999.
constexpr std::int64_t kMinSeconds = -62167219200, kMaxSeconds = 253402300799;
constexpr std::int64_t kMinDays = -719528, kMaxDays = 2932896;

// Bounds-checked reads of the record sections.
class RecordReader {
 public:
  explicit RecordReader(MappedSection s) : p_(s.data), end_(s.data + s.size) {}
  bool u64(std::uint64_t& v) { return take(&v, 8); }
  bool u32(std::uint32_t& v) { return take(&v, 4); }
  bool str(std::string& s) {
    std::uint64_t n = 0;
    if (!u64(n) || n > static_cast<std::uint64_t>(end_ - p_)) return false;
    s.assign(reinterpret_cast<const char*>(p_), n);
    p_ += n;
    return true;
  }
  // A count of items of at least `min_bytes` each that the rest can hold.
  bool count(std::uint64_t& n, std::size_t min_bytes) {
    return u64(n) && n <= static_cast<std::uint64_t>(end_ - p_) / min_bytes;
  }
  bool status(Status& st) {
    std::uint32_t code = 0;
    std::string message, file, json_path;
    std::uint64_t line = 0, column = 0;
    if (!u32(code) || !str(message) || !str(file) || !u64(line) || !u64(column) || !str(json_path))
      return false;
    if (code == 0 || code > static_cast<std::uint32_t>(ErrorCode::refused) || line > INT32_MAX ||
        column > INT32_MAX)
      return false;
    st = Status(
        static_cast<ErrorCode>(code), std::move(message),
        Location{std::move(file), static_cast<int>(line), static_cast<int>(column), std::move(json_path)});
    return true;
  }
  bool done() const noexcept { return p_ == end_; }

 private:
  bool take(void* v, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) return false;
    std::memcpy(v, p_, n);
    p_ += n;
    return true;
  }
  const unsigned char* p_;
  const unsigned char* end_;
};

class Restorer {
 public:
  Restorer(const std::vector<MappedSection>& sections, const std::string& path) : s_(sections), path_(path) {}

  Status fail(std::size_t section, const std::string& what) const {
    const std::uint32_t kind = section < kFixedSectionCount
                                   ? static_cast<std::uint32_t>(section + 1)
                                   : static_cast<std::uint32_t>((section - kFixedSectionCount) % 2 == 0
                                                                    ? SectionKind::dimension_values
                                                                    : SectionKind::dimension_codes);
    const std::uint32_t index =
        section < kFixedSectionCount ? 0 : static_cast<std::uint32_t>((section - kFixedSectionCount) / 2);
    return Status(ErrorCode::parse_error, "inconsistent section '" + section_name(kind, index) + "': " + what,
                  Location{path_, 0, 0, ""});
  }
  static std::size_t at(SectionKind k) { return static_cast<std::size_t>(k) - 1; }
  const MappedSection& section(SectionKind k) const { return s_[at(k)]; }

  // A column of `count` values of T (or, when `optional`, also an empty one).
  template <class T>
  Status column(std::size_t i, std::uint64_t count, std::vector<T>& out, bool optional = false) const {
    const MappedSection& s = s_[i];
    if (!(optional && s.size == 0) && s.size != count * sizeof(T)) {
      return fail(i, std::to_string(s.size) + " bytes: expected " + std::to_string(count) + " values of " +
                         std::to_string(sizeof(T)) + " bytes" + (optional ? " or none" : ""));
    }
    const T* p = reinterpret_cast<const T*>(s.data);  // 8-byte aligned in a page-aligned mapping
    out.assign(p, p + s.size / sizeof(T));
    return {};
  }
  template <class T>
  Status column(SectionKind k, std::uint64_t count, std::vector<T>& out, bool optional = false) const {
    return column(at(k), count, out, optional);
  }

  // A string list into a dictionary (each value once).
  template <class Intern>
  Status strings(std::size_t i, std::uint64_t max_count, Intern intern) const {
    const MappedSection& s = s_[i];
    std::uint64_t n = 0;
    if (s.size < 16) return fail(i, "too short for a string list");
    std::memcpy(&n, s.data, 8);
    if (n > max_count || n > (s.size - 16) / 8) {
      return fail(i, std::to_string(n) + " strings do not fit in " + std::to_string(s.size) + " bytes");
    }
    const unsigned char* offsets = s.data + 8;
    const unsigned char* bytes = offsets + (n + 1) * 8;
    const std::size_t avail = s.size - 8 - (n + 1) * 8;
    std::uint64_t prev = 0, o = 0;
    std::memcpy(&prev, offsets, 8);
    if (prev != 0) return fail(i, "the first string offset is not 0");
    for (std::uint64_t k = 0; k < n; ++k) {
      std::memcpy(&o, offsets + (k + 1) * 8, 8);
      if (o < prev || o > avail) return fail(i, "string " + std::to_string(k) + " is out of bounds");
      const std::string_view value(reinterpret_cast<const char*>(bytes + prev), o - prev);
      if (!intern(k, value))
        return fail(i, "string " + std::to_string(k) + " ('" + std::string(value) +
                           "') is a duplicate or not allowed");
      prev = o;
    }
    if (prev != avail) return fail(i, std::to_string(avail - prev) + " bytes after the last string");
    return {};
  }

  // u32 offsets: `count + 1` entries from 0 up to `total`, never decreasing.
  Status offsets(SectionKind k, const std::vector<std::uint32_t>& v, std::uint64_t total) const {
    if (v.front() != 0 || v.back() != total) {
      return fail(at(k), "offsets run from " + std::to_string(v.front()) + " to " + std::to_string(v.back()) +
                             ": expected 0 to " + std::to_string(total));
    }
    for (std::size_t d = 1; d < v.size(); ++d) {
      if (v[d] < v[d - 1]) return fail(at(k), "offset of deal " + std::to_string(d) + " decreases");
    }
    return {};
  }

 private:
  const std::vector<MappedSection>& s_;
  const std::string& path_;
};

}  // namespace

Status SnapshotAccess::restore(const std::vector<MappedSection>& sections, const std::string& path,
                               Snapshot& out) {
  const Restorer r(sections, path);
  using K = SectionKind;
  const std::uint64_t file_bytes = [&] {
    std::uint64_t n = 0;
    for (const MappedSection& s : sections) n += s.size + 8;
    return n;
  }();

  // ---- meta: every count is bounded by the bytes that must hold it ----------
  Meta meta;
  if (r.section(K::meta).size != sizeof(Meta))
    return r.fail(r.at(K::meta), "expected " + std::to_string(sizeof(Meta)) + " bytes");
  std::memcpy(&meta, r.section(K::meta).data, sizeof meta);
  const std::uint64_t dims = (sections.size() - kFixedSectionCount) / 2;
  const auto limit = [&](std::uint64_t v, std::uint64_t max, const char* what) -> Status {
    if (v > max) {
      return r.fail(r.at(K::meta), std::string(what) + " " + std::to_string(v) + " is above " +
                                       (max == file_bytes ? "the file's size" : std::to_string(max)));
    }
    return {};
  };
  DEALFLOW_RETURN_IF_ERROR(limit(meta.deal_count, file_bytes, "deal count"));
  DEALFLOW_RETURN_IF_ERROR(limit(meta.deal_count, 0xFFFFFFFDull, "deal count"));
  DEALFLOW_RETURN_IF_ERROR(limit(meta.event_count, file_bytes, "event count"));
  DEALFLOW_RETURN_IF_ERROR(limit(meta.event_count, 0xFFFFFFFFull, "event count"));
  DEALFLOW_RETURN_IF_ERROR(limit(meta.change_count, file_bytes, "field change count"));
  DEALFLOW_RETURN_IF_ERROR(limit(meta.change_count, 0xFFFFFFFFull, "field change count"));
  DEALFLOW_RETURN_IF_ERROR(limit(meta.amount_change_count, meta.change_count, "amount change count"));
  DEALFLOW_RETURN_IF_ERROR(limit(meta.move_count, file_bytes, "move count"));
  DEALFLOW_RETURN_IF_ERROR(limit(meta.pipeline_count, 0xFFFF, "pipeline count"));
  DEALFLOW_RETURN_IF_ERROR(limit(meta.currency_count, 0xFFFF, "currency count"));
  DEALFLOW_RETURN_IF_ERROR(limit(meta.actor_count, kNoActor, "actor count"));
  if (meta.dimension_count != dims || dims < kStandardDimensionCount || dims >= 0xFFFD) {
    return r.fail(r.at(K::meta), "dimension count " + std::to_string(meta.dimension_count) + " with " +
                                     std::to_string(dims) +
                                     " dimension sections: expected equal, at least 9");
  }
  if (meta.time_base < kMinSeconds || meta.time_base > kMaxSeconds - 0xFFFFFFFFll) {
    return r.fail(r.at(K::meta),
                  "time base " + std::to_string(meta.time_base) + " is outside years 0000..9999");
  }
  const std::uint64_t n = meta.deal_count;
  EventLog& log = out.loaded.log;
  log = EventLog(Instant::from_unix_seconds(meta.time_base));

  // ---- pipelines and their stages ------------------------------------------
  {
    RecordReader rd(r.section(K::pipelines));
    std::uint64_t count = 0;
    if (!rd.count(count, 16) || count != meta.pipeline_count)
      return r.fail(r.at(K::pipelines), "bad pipeline count");
    for (std::uint64_t p = 0; p < count; ++p) {
      SnapshotPipeline sp;
      std::uint64_t stages = 0;
      if (!rd.str(sp.id) || !rd.count(stages, 12) || stages > 0xFFFF)
        return r.fail(r.at(K::pipelines), "truncated record");
      for (std::uint64_t s = 0; s < stages; ++s) {
        std::string id;
        std::uint32_t kind = 0;
        if (!rd.str(id) || !rd.u32(kind) || kind > static_cast<std::uint32_t>(StageKind::lost))
          return r.fail(r.at(K::pipelines), "bad stage record of pipeline '" + sp.id + "'");
        sp.stage_ids.push_back(std::move(id));
        sp.stage_kinds.push_back(static_cast<StageKind>(kind));
      }
      if (log.pipelines_.intern(sp.id) != p)
        return r.fail(r.at(K::pipelines), "pipeline '" + sp.id + "' twice");
      out.pipelines.push_back(std::move(sp));
    }
    if (!rd.done()) return r.fail(r.at(K::pipelines), "bytes after the last pipeline");
  }

  // ---- load report -----------------------------------------------------------
  {
    RecordReader rd(r.section(K::load_report));
    LoadReport& rep = out.loaded.report;
    std::uint64_t v[7] = {};
    for (auto& x : v) {
      if (!rd.u64(x)) return r.fail(r.at(K::load_report), "truncated record");
    }
    rep.deal_rows = v[0], rep.deals_loaded = v[1], rep.history_rows = v[2], rep.events_loaded = v[3];
    rep.deals_without_history = v[4], rep.field_change_rows = v[5], rep.field_changes_loaded = v[6];
    for (std::size_t k = 0; k < kIssueKindCount; ++k) {
      std::uint64_t count = 0, values = 0, examples = 0;
      if (!rd.u64(count) || !rd.count(values, 8)) return r.fail(r.at(K::load_report), "truncated record");
      rep.counts_[k] = count;
      for (std::uint64_t i = 0; i < values; ++i) {
        if (!rd.str(rep.values_[k].emplace_back())) return r.fail(r.at(K::load_report), "truncated record");
      }
      if (!rd.count(examples, 40)) return r.fail(r.at(K::load_report), "truncated record");
      for (std::uint64_t i = 0; i < examples; ++i) {
        if (!rd.status(rep.examples_[k].emplace_back()))
          return r.fail(r.at(K::load_report), "bad example record");
      }
    }
    std::uint64_t has_first = 0;
    if (!rd.u64(has_first) || has_first > 1) return r.fail(r.at(K::load_report), "truncated record");
    if (has_first && !rd.status(rep.first_.emplace()))
      return r.fail(r.at(K::load_report), "bad first-issue record");
    if (!rd.done()) return r.fail(r.at(K::load_report), "bytes after the report");
  }

  // ---- deal keys and their hash index ----------------------------------------
  StringIndex& keys = log.deal_keys_;
  DEALFLOW_RETURN_IF_ERROR(r.column(K::deal_key_offsets, n + 1, keys.offsets_));
  DEALFLOW_RETURN_IF_ERROR(r.column(K::deal_key_bytes, r.section(K::deal_key_bytes).size, keys.arena_));
  if (keys.offsets_.front() != 0 || keys.offsets_.back() != keys.arena_.size())
    return r.fail(r.at(K::deal_key_offsets), "offsets do not span the deal key bytes");
  for (std::size_t d = 1; d <= n; ++d) {
    if (keys.offsets_[d] <= keys.offsets_[d - 1])
      return r.fail(r.at(K::deal_key_offsets),
                    "deal " + std::to_string(d - 1) + " has an empty or negative key");
  }
  const std::size_t n_slots = r.section(K::deal_key_slots).size / 8;
  if (n > 0 && r.section(K::deal_key_slots).size == 0) {
    // Consecutive decimal ids need no index (StringIndex's dense run): check that they are.
    std::uint64_t first = 0;
    for (std::uint32_t d = 0; d < n; ++d) {
      std::uint64_t v = 0;
      if (!StringIndex::parse_decimal(keys.at(d), &v) || (d == 0 && v > StringIndex::kMaxDenseBase) ||
          (d > 0 && v != first + d)) {
        return r.fail(r.at(K::deal_key_slots), "no deal id index, but deal " + std::to_string(d) +
                                                   "'s id is not the next of consecutive decimal ids");
      }
      if (d == 0) first = v;
    }
    keys.slots_.clear();
    keys.mask_ = 0;
    keys.dense_ = true;
    keys.dense_base_ = first;
  } else {
    if (r.section(K::deal_key_slots).size % 8 != 0 ||
        (n > 0 && (!std::has_single_bit(n_slots) || n_slots <= n)) ||
        (n == 0 && n_slots != 0 && !std::has_single_bit(n_slots))) {
      return r.fail(r.at(K::deal_key_slots), std::to_string(n_slots) + " slots for " + std::to_string(n) +
                                                 " deals: expected a power of two above the deal count");
    }
    DEALFLOW_RETURN_IF_ERROR(r.column(K::deal_key_slots, n_slots, keys.slots_));
    std::vector<bool> seen(n, false);
    std::size_t used = 0;
    for (std::uint64_t slot : keys.slots_) {
      if (slot == 0) continue;
      const std::uint64_t code = (slot & 0xFFFFFFFFull) - 1;
      if (code >= n || seen[code])
        return r.fail(r.at(K::deal_key_slots),
                      "a slot names deal code " + std::to_string(code) + " twice or out of range");
      seen[code] = true;
      ++used;
    }
    if (used != n)
      return r.fail(r.at(K::deal_key_slots),
                    std::to_string(used) + " deals indexed: expected " + std::to_string(n));
    keys.mask_ = n_slots == 0 ? 0 : n_slots - 1;
    keys.dense_ = n == 0;
  }

  // ---- deal columns ----------------------------------------------------------
  DEALFLOW_RETURN_IF_ERROR(r.column(K::deal_pipeline, n, log.pipeline_));
  for (std::uint16_t p : log.pipeline_) {
    if (p >= meta.pipeline_count)
      return r.fail(r.at(K::deal_pipeline), "pipeline code " + std::to_string(p) + " has no pipeline");
  }
  DEALFLOW_RETURN_IF_ERROR(r.column(K::deal_created, n, log.created_));
  for (std::int64_t c : log.created_) {
    if (c < kMinSeconds || c > kMaxSeconds)
      return r.fail(r.at(K::deal_created),
                    "created_at " + std::to_string(c) + " is outside years 0000..9999");
    log.max_created_ = std::max(log.max_created_, c);
  }
  DEALFLOW_RETURN_IF_ERROR(r.column(K::deal_amount, n, log.amount_minor_));
  {
    const MappedSection& s = r.section(K::currencies);
    if (s.size != meta.currency_count * 4)
      return r.fail(r.at(K::currencies), "expected 4 bytes per currency");
    for (std::size_t i = 0; i < meta.currency_count; ++i) {
      const char* code = reinterpret_cast<const char*>(s.data + i * 4);
      auto c = Currency::parse(std::string_view(code, 3));
      if (!c || code[3] != '\0' || c->code() != std::string_view(code, 3))
        return r.fail(r.at(K::currencies), "'" + std::string(code, 3) + "' is not an ISO 4217 code");
      log.currencies_.push_back(*c);
    }
  }
  DEALFLOW_RETURN_IF_ERROR(r.column(K::deal_currency, n, log.currency_));
  for (std::uint16_t c : log.currency_) {
    if (c != kNoCurrency && c >= meta.currency_count)
      return r.fail(r.at(K::deal_currency), "currency code " + std::to_string(c) + " has no currency");
  }
  DEALFLOW_RETURN_IF_ERROR(r.column(K::deal_close_date, n, log.close_date_, true));
  for (std::int32_t d : log.close_date_) {
    if (d != kNoDate && (d < kMinDays || d > kMaxDays))
      return r.fail(r.at(K::deal_close_date), "close date outside years 0000..9999");
  }
  DEALFLOW_RETURN_IF_ERROR(r.column(K::deal_closed_at, n, log.closed_at_, true));
  for (std::int64_t t : log.closed_at_) {
    if (t != kNoInstant && (t < kMinSeconds || t > kMaxSeconds))
      return r.fail(r.at(K::deal_closed_at), "closed_at outside years 0000..9999");
  }
  DEALFLOW_RETURN_IF_ERROR(r.column(K::deal_probability, n, log.probability_, true));
  for (std::uint32_t p : log.probability_) {
    if (p != kNoValue && p > kProbabilityScale)
      return r.fail(r.at(K::deal_probability), "probability " + std::to_string(p) + " above 100 %");
  }

  // ---- dimensions --------------------------------------------------------------
  log.dimensions_.assign(dims, DimensionColumn{});
  DEALFLOW_RETURN_IF_ERROR(
      r.strings(r.at(K::dimension_names), dims, [&](std::uint64_t i, std::string_view name) {
        if (i < kStandardDimensionCount ? name != kStandardDimensionNames[i] : name.empty()) return false;
        log.dimensions_[i].name = std::string(name);
        return true;
      }));
  for (std::size_t d = 0; d < dims; ++d) {
    DimensionColumn& col = log.dimensions_[d];
    const std::size_t values_at = kFixedSectionCount + 2 * d, codes_at = values_at + 1;
    if (sections[values_at].size >= 16) {  // room for the values at once (the count is checked below)
      std::uint64_t count = 0;
      std::memcpy(&count, sections[values_at].data, 8);
      col.values.reserve(
          static_cast<std::size_t>(std::min<std::uint64_t>(count, sections[values_at].size / 8)));
    }
    DEALFLOW_RETURN_IF_ERROR(r.strings(values_at, kNoValue - 1, [&](std::uint64_t i, std::string_view v) {
      return !v.empty() && col.values.intern(v) == i;
    }));
    const std::size_t bytes = sections[codes_at].size;
    const unsigned width = n == 0 || bytes == 0 ? 0 : static_cast<unsigned>(bytes / n);
    if ((width != 0 && width != 1 && width != 2 && width != 4) || width * n != bytes) {
      return r.fail(codes_at, std::to_string(bytes) + " bytes for " + std::to_string(n) +
                                  " deals: expected 0, 1, 2 or 4 per deal");
    }
    DimensionCodes& codes = col.codes;
    codes.size_ = n;
    codes.width_ = width;
    codes.limit_ = width == 0 ? 0 : width == 1 ? 0xFFu : width == 2 ? 0xFFFFu : kNoValue;
    const auto check = [&](const auto& v, std::uint32_t empty) -> Status {
      for (auto c : v) {
        if (c != empty && c >= col.values.size())
          return r.fail(codes_at, "code " + std::to_string(c) + " is not below the dictionary size " +
                                      std::to_string(col.values.size()));
      }
      return {};
    };
    if (width == 1) {
      DEALFLOW_RETURN_IF_ERROR(r.column(codes_at, n, codes.u8_));
      DEALFLOW_RETURN_IF_ERROR(check(codes.u8_, 0xFFu));
    } else if (width == 2) {
      DEALFLOW_RETURN_IF_ERROR(r.column(codes_at, n, codes.u16_));
      DEALFLOW_RETURN_IF_ERROR(check(codes.u16_, 0xFFFFu));
    } else if (width == 4) {
      DEALFLOW_RETURN_IF_ERROR(r.column(codes_at, n, codes.u32_));
      DEALFLOW_RETURN_IF_ERROR(check(codes.u32_, kNoValue));
    }
  }

  // ---- actors, events, moves -------------------------------------------------
  DEALFLOW_RETURN_IF_ERROR(r.strings(
      r.at(K::actors), meta.actor_count,
      [&](std::uint64_t i, std::string_view a) { return !a.empty() && log.actors_.intern(a) == i; }));
  if (log.actors_.size() != meta.actor_count)
    return r.fail(r.at(K::actors), "actor count differs from the meta section");
  const std::uint64_t m = meta.event_count;
  DEALFLOW_RETURN_IF_ERROR(r.column(K::event_offsets, n + 1, log.offsets_));
  DEALFLOW_RETURN_IF_ERROR(r.offsets(K::event_offsets, log.offsets_, m));
  DEALFLOW_RETURN_IF_ERROR(r.column(K::event_at, m, log.at_));
  DEALFLOW_RETURN_IF_ERROR(r.column(K::event_stage, m, log.stage_));
  DEALFLOW_RETURN_IF_ERROR(r.column(K::event_actor, m, log.actor_));
  for (std::uint16_t a : log.actor_) {
    if (a != kNoActor && a >= meta.actor_count)
      return r.fail(r.at(K::event_actor), "actor code " + std::to_string(a) + " has no actor");
  }
  {
    const MappedSection& s = r.section(K::pipeline_moves);
    if (s.size != meta.move_count * 12) return r.fail(r.at(K::pipeline_moves), "expected 12 bytes per move");
    log.moves_.resize(meta.move_count);
    for (std::size_t i = 0; i < meta.move_count; ++i) {
      EventLog::PipelineMove& mv = log.moves_[i];
      std::uint16_t pad = 0;
      std::memcpy(&mv.deal, s.data + i * 12, 4);
      std::memcpy(&mv.at, s.data + i * 12 + 4, 4);
      std::memcpy(&mv.pipeline, s.data + i * 12 + 8, 2);
      std::memcpy(&pad, s.data + i * 12 + 10, 2);
      const bool ordered = i == 0 || log.moves_[i - 1].deal < mv.deal ||
                           (log.moves_[i - 1].deal == mv.deal && log.moves_[i - 1].at < mv.at);
      if (mv.deal >= n || mv.pipeline >= meta.pipeline_count || pad != 0 || !ordered)
        return r.fail(
            r.at(K::pipeline_moves),
            "move " + std::to_string(i) + " names no deal or pipeline, or is out of (deal, at) order");
    }
  }
  // Events in time order per deal, each stage a stage of the pipeline the deal is in then.
  {
    std::size_t next_move = 0;
    for (std::size_t d = 0; d < n; ++d) {
      std::uint16_t pipeline = log.pipeline_[d];
      while (next_move < log.moves_.size() && log.moves_[next_move].deal < d) ++next_move;
      std::size_t mv = next_move;
      for (std::uint32_t i = log.offsets_[d]; i < log.offsets_[d + 1]; ++i) {
        if (i > log.offsets_[d] && log.at_[i] < log.at_[i - 1])
          return r.fail(r.at(K::event_at), "events of deal " + std::to_string(d) + " are not in time order");
        while (mv < log.moves_.size() && log.moves_[mv].deal == d && log.moves_[mv].at <= log.at_[i])
          pipeline = log.moves_[mv++].pipeline;
        if (log.stage_[i].value() >= out.pipelines[pipeline].stage_ids.size())
          return r.fail(r.at(K::event_stage),
                        "event " + std::to_string(i) + " has stage " + std::to_string(log.stage_[i].value()) +
                            " but pipeline '" + out.pipelines[pipeline].id + "' has " +
                            std::to_string(out.pipelines[pipeline].stage_ids.size()) + " stages");
        log.max_at_ = std::max(log.max_at_, log.at_[i]);
      }
    }
  }

  // ---- field changes ---------------------------------------------------------
  const std::uint64_t c = meta.change_count;
  DEALFLOW_RETURN_IF_ERROR(r.column(K::change_offsets, n + 1, log.fc_offsets_, true));
  if (log.fc_offsets_.empty() ? c != 0 : false)
    return r.fail(r.at(K::change_offsets), "no offsets for " + std::to_string(c) + " changes");
  if (!log.fc_offsets_.empty()) DEALFLOW_RETURN_IF_ERROR(r.offsets(K::change_offsets, log.fc_offsets_, c));
  DEALFLOW_RETURN_IF_ERROR(r.column(K::change_at, c, log.fc_at_));
  DEALFLOW_RETURN_IF_ERROR(r.column(K::change_field, c, log.fc_field_));
  DEALFLOW_RETURN_IF_ERROR(r.column(K::change_value, c, log.fc_value_));
  DEALFLOW_RETURN_IF_ERROR(r.column(K::change_amount_minor, meta.amount_change_count, log.fc_amount_minor_));
  DEALFLOW_RETURN_IF_ERROR(
      r.column(K::change_amount_currency, meta.amount_change_count, log.fc_amount_currency_));
  for (std::uint16_t cur : log.fc_amount_currency_) {
    if (cur >= meta.currency_count)
      return r.fail(r.at(K::change_amount_currency),
                    "currency code " + std::to_string(cur) + " has no currency");
  }
  for (std::size_t d = 0; d + 1 < log.fc_offsets_.size(); ++d) {
    for (std::uint32_t i = log.fc_offsets_[d] + 1; i < log.fc_offsets_[d + 1]; ++i) {
      if (log.fc_at_[i] < log.fc_at_[i - 1])
        return r.fail(r.at(K::change_at), "changes of deal " + std::to_string(d) + " are not in time order");
    }
  }
  std::vector<std::uint32_t> per_field(0x10000, 0);
  for (std::size_t i = 0; i < c; ++i) {
    const DealField f = DealField::from_code(log.fc_field_[i]);
    const std::uint32_t v = log.fc_value_[i];
    bool ok = true;
    if (f.is_dimension()) {
      ok = f.dimension_id().value() < dims &&
           (v == kNoValue || v < log.dimensions_[f.dimension_id().value()].values.size());
    } else if (f == DealField::amount()) {
      ok = v == kNoValue || v < meta.amount_change_count;
    } else if (f == DealField::probability()) {
      ok = v == kNoValue || v <= kProbabilityScale;
    }
    if (!ok)
      return r.fail(r.at(K::change_value), "change " + std::to_string(i) + " of field " +
                                               std::to_string(f.code()) + " has value " + std::to_string(v));
    if (per_field[f.code()]++ == 0) log.fc_field_counts_.emplace_back(f.code(), 0);
    log.fc_max_at_ = std::max(log.fc_max_at_, log.fc_at_[i]);
  }
  for (auto& [field, count] : log.fc_field_counts_) count = per_field[field];
  return {};
}

}  // namespace dealflow::analytics::detail
