// Internal: what the HubSpot, Pipedrive and mapped importers share on top of
// import_common.h — an accumulator of deals, stage events and field changes
// kept as instants (these sources give history out of order: HubSpot newest
// first, date-entered columns per stage) that turns them into a CanonicalExport
// (field changes deduplicated in time order, closed_at derived, then
// finish_export), plus a few value converters. Not part of the API.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/core/money.h"
#include "dealflow/core/status.h"
#include "dealflow/core/time.h"
#include "dealflow/import/canonical.h"
#include "import/import_common.h"

namespace dealflow::import::detail {

// One deal as the canonical deals.csv will hold it. `values` are the optional
// columns by canonical name (manager, lost_reason, close_date, closed_at,
// probability, region, ... or a custom dimension); empty values are left out.
struct BuiltDeal {
  std::string id;
  Instant created_at;
  std::string pipeline;
  std::string amount;    // canonical decimal, "" when none
  std::string currency;  // ISO code, "" when none
  std::map<std::string, std::string> values;
};

class ExportBuilder {
 public:
  explicit ExportBuilder(std::string source) { report_.source = std::move(source); }

  ImportReport& report() noexcept { return report_; }

  // The deal with this id, or nullptr.
  BuiltDeal* find_deal(std::string_view id);
  // Adds a deal; false when the id exists already (the caller reports it).
  bool add_deal(BuiltDeal deal);
  std::size_t deal_count() const noexcept { return deals_.size(); }

  // A stage entry of deal `id` (which must have been added).
  void add_event(std::string_view deal_id, Instant at, std::string stage, std::string pipeline,
                 std::string actor = {});
  // A field change; `currency` only for amount changes ("" = the deal's).
  void add_change(std::string_view deal_id, Instant at, std::string field, std::string value,
                  std::string currency = {});

  // Pipelines are kept in the order given and sorted by id on finish().
  void add_pipeline(CanonicalPipeline pipeline) { pipelines_.push_back(std::move(pipeline)); }
  CanonicalPipeline* find_pipeline(std::string_view id);

  // Sorts, drops repeated field values (a change to the value the field
  // already has), derives `closed_at` for deals whose last stage is won/lost
  // when the importer did not set it, declares every reopen seen in the
  // history in its pipeline, and counts deals, events and changes.
  CanonicalExport finish();

 private:
  struct Event {
    std::size_t deal;
    Instant at;
    std::string stage, pipeline, actor;
    std::size_t seq;
  };
  struct Change {
    std::size_t deal;
    Instant at;
    std::string field, value, currency;
    std::size_t seq;
  };
  std::vector<BuiltDeal> deals_;
  std::map<std::string, std::size_t, std::less<>> index_;
  std::vector<Event> events_;
  std::vector<Change> changes_;
  std::vector<CanonicalPipeline> pipelines_;
  ImportReport report_;
};

// A percent from a 0..1 fraction text ("0.2" -> "20", "0.125" -> "12.5",
// "1.0" -> "100"). parse_error naming the text otherwise.
Result<std::string> percent_from_fraction(std::string_view text);

// Whether `format` uses only the specifiers parse_formatted knows (%Y %m %d %H
// %M %S %%, literal characters, [optional] parts); a message otherwise.
Status check_date_format(std::string_view format);

// "Sales Pipeline" -> "sales_pipeline"; non-ASCII letters are kept (UTF-8),
// runs of other characters become one '_'; "" -> "pipeline".
std::string slug(std::string_view text);

// A parse_error located at `path` (a JSON Pointer) of `file`.
Status json_error(const std::string& file, const std::string& path, std::string message);

// Trims ASCII spaces and tabs.
std::string_view trim_blank(std::string_view s);

}  // namespace dealflow::import::detail
