// dealflow/import/salesforce.h: a Salesforce Data Export / Data Loader CSV
// export turned into dealflow's canonical tables (docs/import.md#salesforce).
//
// Inputs, recognised by their header (any order, any file name):
//   Opportunity              Id, StageName, IsClosed, IsWon, CreatedDate, ... (required)
//   OpportunityHistory       OpportunityId, StageName, CreatedDate, Amount, CloseDate, ... (required)
//   OpportunityFieldHistory  OpportunityId, CreatedDate, Field, OldValue, NewValue (optional: owner changes)
//   OpportunityStage         MasterLabel or ApiName, IsClosed, IsWon, SortOrder, DefaultProbability
//   (optional) User                     Id, Name (optional: owner and actor ids -> names)
// Every field quoted, Windows-1252 or UTF-8 (auto: BOM, UTF-8 when valid, else
// Windows-1252), timestamps "YYYY-MM-DD HH:MM:SS" UTC.
//
// What is derived: one pipeline "salesforce" whose stage kinds come from
// IsWon/IsClosed (OpportunityStage, else the opportunities in each stage) —
// never from the name or the probability; consecutive history rows in one
// stage are one stage event, their amount/close date/probability/forecast
// category changes are field changes; the null id 000000000000000AAA is empty;
// float noise (16120999.999999998) is rounded to the currency's minor units and
// counted; every reopen seen is declared in the pipeline.
//
// Errors (Status, never an exception; nothing is returned half-built): an
// unreadable file or bad encoding (located at the byte), an unrecognised file
// or a missing required file, malformed CSV, and a bad value (timestamp,
// amount, IsWon flag) located at file:line:column naming the column and value.
//
// Thread-safety: reentrant.
//
// Example:
//   auto exp = dealflow::import::import_salesforce({"Opportunity.csv", "OpportunityHistory.csv"}, {});
//   if (!exp) { std::cerr << exp.status().to_string() << "\n"; return 1; }
#pragma once

#include <string>
#include <vector>

#include "dealflow/import/canonical.h"

namespace dealflow::import {

Result<CanonicalExport> import_salesforce(const std::vector<std::string>& paths,
                                          const ImportOptions& options);

}  // namespace dealflow::import
