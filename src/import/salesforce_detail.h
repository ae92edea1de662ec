// Internal: the Salesforce importer's shared state (src/import/salesforce*.cpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "import/import_common.h"

namespace dealflow::import::salesforce_detail {

inline constexpr const char* kNullId = "000000000000000AAA";
inline constexpr const char* kPipeline = "salesforce";

// The recognised input tables.
struct Inputs {
  std::optional<detail::Table> opportunity, history, field_history, stages, users;
};

// One stage as learnt from OpportunityStage or the opportunities.
struct StageInfo {
  std::string name;
  std::string kind;  // "open", "won", "lost"; empty = not known
  std::optional<double> sort;
  std::optional<double> probability;  // 0..1
  std::size_t first_seen = 0;         // order of first appearance, for stages without a sort order
};

struct State {
  Inputs in;
  ImportOptions options;
  CanonicalExport out;
  std::map<std::string, std::string> user_names;          // Id -> Name
  std::map<std::string, StageInfo> stages;                // by stage name
  std::vector<std::map<std::string, std::string>> deals;  // canonical deal rows, Opportunity.csv order
  std::map<std::string, std::size_t> deal_index;          // Id -> index in deals
  detail::FieldChanges changes;

  // "" for the null id, the user's name when known, else the id itself.
  std::string person(const std::string& id) const;
  // Learns a stage name (first appearance order).
  StageInfo& stage(const std::string& name);
};

// Parses "0"/"1"/"true"/"false" flags (located error otherwise).
Result<bool> flag(const detail::Table& t, const detail::Record& r, std::size_t col);

// A "YYYY-MM-DD[ 00:00:00]" date as "YYYY-MM-DD" (empty stays empty).
Result<std::string> date_of(const detail::Table& t, const detail::Record& r, std::size_t col);

// Loads OpportunityStage and the opportunities into state (stages, deals).
Status read_stages_and_deals(State& s);
// Turns OpportunityHistory and OpportunityFieldHistory into stage events and field changes.
Status read_history(State& s);

}  // namespace dealflow::import::salesforce_detail
