// dealflow/analytics/slippage.h: what changed in a pipeline's deals during a
// period, from the log's field changes: expected close-date pushes (slippage),
// amount changes and owner changes, per deal, per group and in total
// (`dealflow pipeline-changes`, docs/slippage.md).
//
// Definitions. A change counts when its instant is in [from, to). It is
// compared with the field's value just before it (the deal's previous change
// of that field); a deal's first change of a field only sets the value (the
// importers write the value a deal was created with as that first change)
// and is never counted.
//   * push: a close_date change to a later date than the previous one; days
//     pushed = new date - previous date. A change to an earlier date is a
//     pull (counted apart); setting or clearing the date is neither.
//   * amount change: the amount changed (value or currency, or set/cleared);
//     amount delta = new - previous, per currency, when both are amounts in
//     the same currency.
//   * owner change: the manager changed to another value.
// Deals are those of the pipeline that exist at the report instant (`to`, or
// the log's latest instant); a group is the deal's dimension value as of that
// instant. Only deals with a counted change are listed.
//
// Ownership: the report owns its strings. Thread-safety: reentrant; the log is
// only read.
//
// Example:
//   dealflow::analytics::SlippageQuery q;
//   q.from = *dealflow::parse_instant("2024-01-01");
//   q.to = *dealflow::parse_instant("2024-04-01");
//   auto r = dealflow::analytics::compute_slippage(log, pipeline, q);
//   if (r) std::cout << dealflow::analytics::slippage_to_table(*r);
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dealflow/analytics/event_log.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/io/json.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics {

struct SlippageQuery {
  std::optional<Instant> from;  // changes at or after; unbounded when absent
  std::optional<Instant> to;  // changes before; unbounded when absent (report instant: the latest in the log)
  FunnelGrouping group;       // a dimension (resolve_grouping); created_month is refused
};

struct SlippageFigures {
  std::uint64_t deals = 0;         // deals with a counted change
  std::uint64_t deals_pushed = 0;  // deals with at least one push
  std::uint64_t close_date_pushes = 0;
  std::int64_t days_pushed = 0;
  std::uint64_t close_date_pulls = 0;
  std::int64_t days_pulled = 0;  // positive
  std::uint64_t amount_changes = 0;
  std::vector<Money> amount_delta;  // per currency, code order; non-zero only
  std::uint64_t owner_changes = 0;
};

struct SlippageDeal {
  std::string deal;                  // the deal id
  std::optional<std::string> group;  // grouped: the deal's group (nullopt = empty cell)
  std::string owner;                 // manager as of the report instant ("" = none)
  std::optional<Date> close_date;    // as of the report instant
  SlippageFigures figures;           // deals = 1
};

struct SlippageGroup {
  std::optional<std::string> key;  // nullopt: deals with an empty cell (listed last)
  SlippageFigures figures;
};

struct SlippageReport {
  std::string pipeline_id;
  std::optional<Instant> from, to;
  Instant as_of;                      // the report instant (owner, close date and groups are as of it)
  std::string group_by;               // "" when not grouped
  std::vector<SlippageDeal> deals;    // deals order of the log
  std::vector<SlippageGroup> groups;  // key order (bytes), the empty key last
  SlippageFigures total;
  static std::string definition_text();  // the definition line
};

// Errors: the log is not sealed; the pipeline has no deals in the log
// (not_found); from >= to or a created_month grouping (invalid_argument).
Result<SlippageReport> compute_slippage(const EventLog& log, const Pipeline& pipeline,
                                        const SlippageQuery& query);

Json slippage_to_json(const SlippageReport& report);
// One row per deal, then one per group, then the total (column `row`: deal / group / total).
std::string slippage_to_csv(const SlippageReport& report);
std::string slippage_to_table(const SlippageReport& report);

}  // namespace dealflow::analytics
