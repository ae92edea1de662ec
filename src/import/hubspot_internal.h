// Internal: the HubSpot importer's pieces shared by its JSON (hubspot.cpp)
// and CSV (hubspot_csv.cpp) readers. Not part of the API.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dealflow/import/canonical.h"
#include "import/import_common.h"
#include "import/mapped_builder.h"

namespace dealflow::import::detail::hubspot {

// The pipelines response: canonical pipelines with HubSpot's ids, and lookups.
struct Catalog {
  std::vector<CanonicalPipeline> pipelines;
  std::map<std::string, std::size_t> pipeline_by_stage;  // stage id -> pipeline index
  std::map<std::string, std::size_t> pipeline_by_label;  // pipeline label -> index
  std::map<std::string, std::size_t> pipeline_by_id;
  bool empty() const noexcept { return pipelines.empty(); }
  // The stage id of `text` (an id, or a label in pipeline `p`), or nullopt.
  std::optional<std::string> stage_id(std::size_t p, const std::string& text) const;
};

// Reads a pipelines response (`{"results":[{"id","label","displayOrder","stages":[...]}]}`).
Result<Catalog> read_pipelines(const Json& doc, const std::string& file);
// owner id -> "First Last" (else the e-mail, else the id).
Result<std::map<std::string, std::string>> read_owners(const Json& doc, const std::string& file);

// Adds the deals of an API response with propertiesWithHistory to `out`.
Status read_api_deals(const Json& doc, const std::string& file, const Catalog& catalog,
                      const std::map<std::string, std::string>& owners, const ImportOptions& options,
                      ExportBuilder& out);

// Adds the deals of a CSV export to `out` (and its inferred pipelines when `catalog` is empty).
Status read_csv_deals(const InputFile& file, const Catalog& catalog, const ImportOptions& options,
                      ExportBuilder& out);

}  // namespace dealflow::import::detail::hubspot
