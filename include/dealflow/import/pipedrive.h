// dealflow/import/pipedrive.h: Pipedrive deals into dealflow's canonical files.
//
// Reads, recognised by content (any order of INPUT files):
//   * the deals CSV export ("Deal - ID", "Deal - Stage", "Deal - Pipeline",
//     "Deal - Value", "Deal - Currency", "Deal - Owner", "Deal - Deal created",
//     "Deal - Won time", "Deal - Lost time", "Deal - Status" open/won/lost,
//     "Deal - Expected close date", "Deal - Lost reason", "Deal - Probability");
//     times at ImportOptions::utc_offset_minutes (UTC when unset);
//   * optional `/v1/deals/{id}/flow` responses (one or several per file, or an
//     array of them): `dealChange` items with field_key stage_id, status,
//     user_id, value, currency, expected_close_date, lost_reason and their
//     old_value / new_value / log_time (UTC);
//   * optional `/v1/stages` (stage ids, names, order, pipeline, probability;
//     required when a flow changes stage_id) and `/v1/pipelines` (names).
// Won and lost are statuses in Pipedrive, not stages: every pipeline gets two
// synthetic stages `won` (kind won) and `lost` (kind lost) after its own
// stages; a deal enters them at its won/lost time, and a status change back
// to open is a reopen into the stage the deal is in (declared in the
// pipeline's reopens). docs/import.md ("Pipedrive") has the details.
//
// Errors (Status, nothing half-built): unreadable/undecodable files, a CSV
// without "Deal - ID" / "Deal - Deal created" / "Deal - Stage", bad times,
// amounts or statuses (file:line:column), a flow item without item_id or with
// an unknown stage (file: at /data/4/data/new_value), a flow for a deal that
// is not in the CSV, a stage_id change without the stages list.
//
// Ownership: the result is a self-contained value; input files are read during
// the call only. Thread-safety: reentrant.
//
// Example:
//   auto exp = dealflow::import::import_pipedrive({"deals.csv", "flow.json", "stages.json"}, {});
//   if (!exp) { std::cerr << exp.status().to_string() << "\n"; return 1; }
#pragma once

#include <string>
#include <vector>

#include "dealflow/core/status.h"
#include "dealflow/import/canonical.h"

namespace dealflow::import {

Result<CanonicalExport> import_pipedrive(const std::vector<std::string>& paths, const ImportOptions& options);

}  // namespace dealflow::import
