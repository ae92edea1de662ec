// dealflow/import/mapped.h: any other CSV (amoCRM, spreadsheets, teaching
// data sets) into dealflow's canonical files, through a mapping file.
//
// The mapping (JSON, docs/import.md "mapped") names the pipeline and its
// stages (ids, names, kinds, probabilities, and the CSV values that mean each
// stage), which CSV column holds the deal id, created date, stage, outcome,
// owner, amount, currency, expected close date, probability, lost reason and
// dimensions, the date formats (`%d.%m.%Y`, `%Y-%m-%d %H:%M:%S`, ...), and the
// shape of the file:
//   "event"     one row per stage change (id, instant, stage entered); deal
//               values on the rows become field changes when they change;
//   "snapshot"  one row per deal with its current stage (or outcome) plus
//               dates, each date column declared as the entry into a stage
//               ("engage_date" -> ENGAGING, "close_date" -> WON or LOST).
//
// Errors (Status, nothing half-built): a mapping that is not valid is located
// by JSON path ("mapping.json: at /columns/amount: column 'Sum' is not in
// deals.csv's header (columns: ...)"; unknown keys, bad kinds, unsupported
// date formats, a stage value mapped twice); CSV problems at
// file:line:column (unknown stage value, bad date per format, bad amount).
//
// Ownership: the result is a self-contained value; input files are read during
// the call only. Thread-safety: reentrant.
//
// Example:
//   auto exp = dealflow::import::import_mapped("mapping.json", {"deals.csv"}, {});
//   if (!exp) { std::cerr << exp.status().to_string() << "\n"; return 1; }
#pragma once

#include <string>
#include <vector>

#include "dealflow/core/status.h"
#include "dealflow/import/canonical.h"

namespace dealflow::import {

Result<CanonicalExport> import_mapped(const std::string& mapping_path,
                                      const std::vector<std::string>& csv_paths,
                                      const ImportOptions& options);

}  // namespace dealflow::import
