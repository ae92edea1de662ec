// dealflow/analytics/movement_output.h: what `dealflow movement` prints: the
// pipeline movement (movement.h) as JSON, CSV or an aligned text table.
//
// JSON (the report's input, docs/movement.md):
//   {"definition": {"pipeline", "from", "to", "as_of" (null: not to date),
//                   "start_as_of", "end_as_of",
//                   "scope": "close_in_period" | "all_open", "utc_offset",
//                   "text", "bars": [{"bar", "label", "kind", "definition"}]},
//    "currencies": [{"currency": "RUB" | null,
//                    "bars": [{"bar", "label", "kind", "count", "amount", "deals": [...]}],
//                    "identity": {"count": {"start", "flows", "end", "holds"},
//                                 "amount": {"start", "flows", "end", "holds"}}}]}
// Bars are the 16 of MovementBar in waterfall order, always all of them;
// counts are signed integers, amounts signed exact decimal strings of the
// section's currency ("-1500.00"; "0" in the no-amount section, whose
// currency is null); every deal id is listed (a report caps the lists).
// CSV: currency,bar,kind,count,amount,deals (ids joined by "; ").
// Table: per section one row per non-empty bar (label, count, amount, the
// first deal ids), the identity line, then the definition lines.
//
// Thread-safety: pure functions.
//
// Example:
//   std::cout << dealflow::dump_json(dealflow::analytics::movement_to_json(*report)) << "\n";
#pragma once

#include <string>

#include "dealflow/analytics/movement.h"
#include "dealflow/io/json.h"

namespace dealflow::analytics {

Json movement_to_json(const MovementReport& report);
std::string movement_to_csv(const MovementReport& report);
// `ids_width`: the deal ids of a bar are shown while they fit in this many
// bytes (at least one), then "… (+N)".
std::string movement_to_table(const MovementReport& report, std::size_t ids_width = 48);

}  // namespace dealflow::analytics
