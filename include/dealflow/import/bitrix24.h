// dealflow/import/bitrix24.h: a Bitrix24 export (REST API responses saved as
// JSON, or the web UI's deal list CSV) turned into dealflow's canonical tables
// (docs/import.md#bitrix24).
//
// Inputs, recognised by content (any order, any file name):
//   stage history   crm.stagehistory.list pages {"result":{"items":[...]},...}
//                   or batch responses {"result":{"result":{"cmd0":{"items":[...]}}}}
//   deals           crm.deal.list {"result":[{ID, TITLE, CATEGORY_ID, STAGE_ID, ...}]}
//                   or crm.item.list {"result":{"items":[{id, categoryId, stageId, ...}]}}
//   stages          crm.status.list / crm.dealcategory.stage.list
//                   {"result":[{STATUS_ID, NAME, SORT, SEMANTICS | EXTRA.SEMANTICS}]} (also batched)
//   categories      crm.dealcategory.list {"result":[{ID, NAME}]} (optional: pipeline names)
//   deal list CSV   the web UI export: ';'-separated, Russian or English headers,
//                   Windows-1251 or UTF-8, dates dd.mm.yyyy hh:mm:ss (portal time)
// Every value may be a string. Times carry the portal offset (converted to UTC);
// CSV times have none: ImportOptions::utc_offset_minutes (default +03:00, Moscow).
//
// What is derived: one pipeline per category ("bitrix24_c<n>", stage ids with
// their "C<n>:" prefix as Bitrix24 writes them), stage kinds from the semantics
// (S won, F lost, else open) in SORT order; TYPE_ID 1 created, 2 moved, 3
// closed, 5 moved to another category (a history row in the new category's
// pipeline: same deal, one history); leads (entityTypeId 1, STATUS_ID items)
// skipped and counted; every reopen seen is declared in its pipeline.
//
// Errors (Status, never an exception): unreadable file or bad encoding
// (located at the byte), JSON syntax (file:line:column), an unrecognised file,
// and bad values located at file: JSON path or file:line:column.
//
// Thread-safety: reentrant.
//
// Example:
//   auto exp = dealflow::import::import_bitrix24({"deals.json", "stages.json", "history.json"}, {});
#pragma once

#include <string>
#include <vector>

#include "dealflow/import/canonical.h"

namespace dealflow::import {

Result<CanonicalExport> import_bitrix24(const std::vector<std::string>& paths, const ImportOptions& options);

}  // namespace dealflow::import
