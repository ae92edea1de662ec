// dealflow/analytics/snapshot.h: a loaded EventLog saved as one binary,
// columnar, checksummed file (a ".dflog" snapshot) and opened again without
// parsing: for an analyst who queries the same export many times.
//
// What it is. `write_snapshot` writes every column of a sealed log (deals:
// keys with their hash index, pipelines, created, amount, currency, the
// dimension columns with their dictionaries and code width, close date,
// closed_at, probability, pipeline moves; events; field changes with their
// amount side table; actors; time base), the load report of the CSV load (so
// reports print the same notes and skipped-row lines) and the stage lists of
// the pipelines it was loaded with. `open_snapshot` maps the file read-only,
// verifies the header and every section checksum, checks that the contents
// are consistent (offsets monotonic and within the event count, codes below
// their dictionary sizes, stages within their pipeline, ...) and fills a log
// with bulk copies of whole columns. The format is in docs/snapshot.md:
// magic "DFLOG", a format version, a section table with a 64-bit checksum per
// section, little-endian columns at 8-byte aligned offsets.
//
// Errors are values naming the file and what is wrong, e.g.
//   "data.dflog: truncated: the header says 123456 bytes but the file has 1000"
//   "data.dflog: checksum mismatch in section 'deal_keys'"
//   "data.dflog: format version 2 is not supported: this dealflow reads version 1"
// Every length is checked against the file size before anything is
// allocated; a damaged or crafted file is refused, never a crash.
//
// Ownership: the returned Snapshot owns its log (the mapping is released
// before open_snapshot returns). Stage ids in the log are indices into the
// pipelines named by `Snapshot::pipelines`; give reports the same pipeline
// configs (`check_snapshot_pipelines` verifies them).
//
// Thread-safety: reentrant; distinct calls may run concurrently (the file
// must not be modified while it is being opened).
//
// Example:
//   auto loaded = dealflow::analytics::load_csv_files("deals.csv", "history.csv", {&p->pipeline}, opt);
//   if (auto st = dealflow::analytics::write_snapshot(*loaded, {&p->pipeline}, "data.dflog"); !st.ok()) ...
//   auto snap = dealflow::analytics::open_snapshot("data.dflog");
//   if (!snap) { std::cerr << snap.status().to_string() << "\n"; return 1; }
//   if (auto st = check_snapshot_pipelines(*snap, {&p->pipeline}, "data.dflog"); !st.ok()) ...
//   compute_funnel(snap->loaded.log, p->pipeline, query);   // as after load_csv_files
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/core/status.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics {

// The snapshot format version this build writes and reads.
inline constexpr std::uint32_t kSnapshotFormatVersion = 1;

// A pipeline as the snapshot recorded it: its id and its stages (ids and
// kinds) in StageId order, which give the log's stage ids their meaning.
struct SnapshotPipeline {
  std::string id;
  std::vector<std::string> stage_ids;
  std::vector<StageKind> stage_kinds;
};

struct Snapshot {
  LoadedLog loaded;                         // the sealed log and the report of its CSV load
  std::vector<SnapshotPipeline> pipelines;  // in the log's pipeline code order
};

// Writes `loaded` (its log must be sealed) to `path`, replacing the file.
// `pipelines` are the configs the log was loaded with; every pipeline of the
// log must be among them (invalid_argument otherwise). The file is written to
// "<path>.tmp" and renamed, so a failed write leaves no half snapshot.
// Errors: invalid_argument (unsealed log, pipeline missing), io_error naming
// the path.
Status write_snapshot(const LoadedLog& loaded, const std::vector<const Pipeline*>& pipelines,
                      const std::string& path);

// Maps and verifies the file and returns its log (sealed) and load report.
// Errors: io_error (missing or unreadable file), parse_error (empty file,
// wrong magic, truncated, checksum mismatch, inconsistent contents),
// invalid_argument (another format version); each names the path.
Result<Snapshot> open_snapshot(const std::string& path);

// Whether `pipelines` (the configs a report will use) are the ones the
// snapshot was written with: every snapshot pipeline must be among them with
// the same stage ids and kinds in the same order. validation_failed naming
// the pipeline and the first difference otherwise, and a config the snapshot
// does not have is refused too (a CSV load knows every given pipeline, so the
// two sets are equal when the configs are the same).
Status check_snapshot_pipelines(const Snapshot& snapshot, const std::vector<const Pipeline*>& pipelines,
                                const std::string& path);

}  // namespace dealflow::analytics
