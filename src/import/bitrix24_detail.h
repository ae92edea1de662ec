// Internal: the Bitrix24 importer's shared state (src/import/bitrix24*.cpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "import/import_common.h"

namespace dealflow::import::bitrix24_detail {

// Offset of CSV times without one: Moscow time, the most common portal zone.
inline constexpr int kDefaultPortalOffset = 180;

struct StageInfo {
  std::string id;    // as Bitrix24 writes it: "NEW", "C2:NEW"
  std::string name;  // display name (the id when unknown)
  std::string kind;  // "open", "won", "lost"; empty = unknown
  std::optional<double> sort;
  std::size_t first_seen = 0;
  bool listed = false;  // from a stage list
};

// One deal as far as the inputs tell (every value canonical text).
struct DealInfo {
  std::string id;
  std::map<std::string, std::string> values;  // canonical deals.csv columns
  std::optional<int> category;                // from the deal itself
  std::string stage;                          // current stage id or name (CSV)
  bool closed = false;
  std::string where;  // file:line or file: JSON path of its first definition
  // Deal-list snapshots with their DATE_MODIFY (several crm.deal.list
  // responses taken at different times): older values become field changes.
  std::vector<std::pair<Instant, std::map<std::string, std::string>>> snapshots;
};

struct HistoryItem {
  long long item_id = 0;  // the item's ID (tie-breaker: Bitrix24 numbers items in time order)
  std::size_t order = 0;  // input order
  std::string deal;
  Instant at;
  std::string stage;
  int category = 0;
  int type = 0;
  std::string where;
};

struct State {
  ImportOptions options;
  CanonicalExport out;
  std::map<std::string, StageInfo> stages;    // by stage id
  std::map<int, std::string> category_names;  // category id -> name
  std::map<std::string, std::string> users;   // user.get: ID -> "NAME LAST_NAME"
  std::map<std::string, DealInfo> deals;      // by id
  std::vector<std::string> deal_order;        // ids in order of first appearance
  std::vector<HistoryItem> history;
  std::map<long long, std::size_t> item_ids;  // history item ID -> count seen
  std::size_t items = 0;                      // JSON items read (all kinds)
  detail::FieldChanges changes;

  StageInfo& stage(const std::string& id);
  DealInfo& deal(const std::string& id, const std::string& where);
  int portal_offset() const { return options.utc_offset_minutes.value_or(kDefaultPortalOffset); }
};

// The category of a stage id: n of "Cn:..." else 0.
int category_of_stage(const std::string& stage_id);
// The pipeline id of a category: "bitrix24_c<n>".
std::string pipeline_id(int category);

// Reads one JSON response file (any of the REST shapes) into the state.
Status read_json(State& s, const std::string& text, const std::string& file);
// Reads the web UI's deal list CSV into the state.
Status read_deal_csv(State& s, const std::string& text, const std::string& file);

}  // namespace dealflow::import::bitrix24_detail
