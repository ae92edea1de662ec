// dealflow/import/hubspot.h: HubSpot deals into dealflow's canonical files.
//
// Reads, recognised by content (any order of INPUT files):
//   * the deals CSV export of the web UI (display-label headers: "Record ID",
//     "Create Date", "Deal Stage", "Pipeline", "Amount", "Currency", "Deal
//     owner", "Close Date", "Closed Lost Reason", "Deal probability", and the
//     stage-calculated `Date entered "<stage> (<pipeline>)"` / "Date exited ..."
//     columns or their internal names `hs_v2_date_entered_<stageId>`). Stage
//     history = the entries sorted by time: one value per stage, so re-entries
//     are collapsed (said in the report). Times `YYYY-MM-DD HH:MM` at
//     ImportOptions::utc_offset_minutes (the portal's time zone; UTC when unset);
//   * the CRM API JSON of deals with `propertiesWithHistory` (dealstage,
//     amount, closedate, hubspot_owner_id; newest first): the full stage history
//     and field changes;
//   * the pipelines response (`/crm/v3/pipelines/deals`): stage ids, labels,
//     order, probability, and the kinds: a stage whose metadata says isClosed
//     is won when its probability is 1.0 and lost otherwise; open when not
//     closed. Never from the label. Required with API deals; optional with CSV
//     (without it: stage ids are the labels, kinds from the deals' "Is Closed
//     Won" / "Is closed" columns);
//   * optional owners (`/crm/v3/owners`): owner ids as "First Last".
// docs/import.md ("HubSpot") says what is derived and what is lost.
//
// Errors (Status, nothing half-built): unreadable or undecodable file;
// a CSV without "Record ID" / "Create Date" / "Deal Stage"; a bad time, amount
// or probability (file:line:column, or file: at /results/3/properties/amount);
// a stage in no pipeline; API deals without the pipelines response.
//
// Ownership: the result is a self-contained value; input files are read during
// the call only. Thread-safety: reentrant.
//
// Example:
//   auto exp = dealflow::import::import_hubspot({"deals.json", "pipelines.json", "owners.json"}, {});
//   if (!exp) { std::cerr << exp.status().to_string() << "\n"; return 1; }
//   auto st = dealflow::import::write_canonical(*exp, "out/");
#pragma once

#include <string>
#include <vector>

#include "dealflow/core/status.h"
#include "dealflow/import/canonical.h"

namespace dealflow::import {

Result<CanonicalExport> import_hubspot(const std::vector<std::string>& paths, const ImportOptions& options);

}  // namespace dealflow::import
