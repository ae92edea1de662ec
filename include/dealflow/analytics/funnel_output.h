// dealflow/analytics/funnel_output.h: a FunnelReport as JSON, CSV or an
// aligned text table (what `dealflow funnel --format` prints).
//
// Every output carries the definition of what was counted: JSON has a
// `definition` object (rule, basis, period, report instant, denominators),
// tables end with a "definition: ..." line, CSV rows carry rule, basis, from,
// to and as_of columns. Rates are fractions in [0, 1] (null/empty when the
// denominator is 0), intervals 95% Wilson; JSON gives every rate's numerator
// and denominator beside it. Amounts are exact decimal strings per currency.
// The JSON layout is documented in docs/funnel.md.
//
// Many groups (`--by client`: 720 k): the write_* forms take a FunnelResult
// and write the same bytes to a stream as they are made, each group made in
// turn into one reused object (the table measures its columns in a first pass
// over the groups and writes in a second), so neither the groups nor the whole
// output are held in memory.
//
// Thread-safety: pure functions.
//
// Example:
//   auto report = dealflow::analytics::compute_funnel(log, pipeline, query);
//   std::cout << dealflow::analytics::funnel_to_json(*report, pipeline).dump(2) << "\n";
//   std::cout << dealflow::analytics::funnel_to_table(*report, pipeline);
#pragma once

#include <cstddef>
#include <ostream>
#include <span>
#include <string>

#include "dealflow/analytics/funnel.h"
#include "dealflow/io/json.h"
#include "dealflow/pipeline/pipeline.h"

namespace dealflow::analytics {

Json funnel_to_json(const FunnelReport& report, const Pipeline& pipeline);
// Stage rows (one per group and open stage, totals first) with the group's
// totals repeated on each row; header row first.
std::string funnel_to_csv(const FunnelReport& report);
// The funnel table, totals and losses, a per-group summary table when grouped,
// then the definition line.
std::string funnel_to_table(const FunnelReport& report, const Pipeline& pipeline);

// Streaming forms (same bytes as the functions above for the same figures).
void write_funnel_table(std::ostream& out, const FunnelResult& result, const Pipeline& pipeline);
// `header` goes before the header row, `row` before every other row (a
// leading pipeline column: "pipeline," and "sales,"); no header row when
// !with_header.
struct FunnelCsvPrefix {
  std::string header;
  std::string row;
  bool with_header = true;
};
void write_funnel_csv(std::ostream& out, const FunnelResult& result, const FunnelCsvPrefix& prefix = {});
// JSON in two steps, so that a caller can add members (a load report, a
// pipeline id, sections) first: funnel_to_json(result, ...) is the document of
// funnel_to_json with its "groups" array left as a placeholder string naming
// `section`; write_funnel_json dumps a document holding such placeholders
// (indent 2, then a newline), writing sections[i]'s groups where placeholder i is.
Json funnel_to_json(const FunnelResult& result, const Pipeline& pipeline, std::size_t section = 0);
void write_funnel_json(std::ostream& out, const Json& document,
                       std::span<const FunnelResult* const> sections);

}  // namespace dealflow::analytics
