// Internal: the Pipedrive importer's pieces (pipedrive.cpp reads the files,
// pipedrive_history.cpp turns each deal's CSV row and flow into canonical
// rows). Not part of the API.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dealflow/import/canonical.h"
#include "import/import_common.h"
#include "import/mapped_builder.h"

namespace dealflow::import::detail::pipedrive {

inline constexpr std::string_view kWon = "won";
inline constexpr std::string_view kLost = "lost";

// One dealChange of a flow response.
struct FlowChange {
  std::string deal;  // item_id
  Instant at;        // log_time (UTC)
  std::string field;
  std::string old_value, new_value;  // *_formatted when the flow gives them (owner names)
  bool formatted = false;            // additional_data held *_formatted values
  std::string file;                  // "flow.json"
  std::string path;                  // JSON Pointer of the change object, "/data/3/data"
  std::string where;                 // "flow.json: at /data/3/data", for report examples
  // A location at member `key` of the change object.
  Location at_key(std::string_view key) const { return Location{file, 0, 0, path + "/" + std::string(key)}; }
  std::size_t seq = 0;  // oldest first within equal times
};

// Stages and pipelines: Pipedrive ids, or names when there is no stages list.
struct Catalog {
  std::vector<CanonicalPipeline> pipelines;              // own stages, then won, lost
  std::map<std::string, std::size_t> pipeline_of_stage;  // stage id -> pipeline index
  std::map<std::string, std::size_t> pipeline_by_id;
  std::map<std::string, std::size_t> pipeline_by_name;
  bool from_api = false;  // stage and pipeline ids are Pipedrive's
};

// The CSV row of one deal, read.
struct CsvDeal {
  BuiltDeal deal;
  std::string stage;   // canonical stage id of "Deal - Stage"
  std::string status;  // open | won | lost
  std::optional<Instant> won_time, lost_time;
  std::string where;     // "deals.csv:7"
  Location id_location;  // the "Deal - ID" cell
};

// Adds the deal, its stage events and field changes to `out`; `flow` is the
// deal's changes sorted by time (may be empty).
Status build_deal(const CsvDeal& row, const std::vector<FlowChange>& flow, const Catalog& catalog,
                  ExportBuilder& out);

}  // namespace dealflow::import::detail::pipedrive
