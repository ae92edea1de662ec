// Shared importer helpers: building the canonical export (deals table, field
// changes, the final sorting and reopen pass) (src/import/import_common.h).
#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>

#include "import/import_common.h"

namespace dealflow::import::detail {

const std::vector<std::string>& standard_deal_columns() {
  static const std::vector<std::string> kColumns = {
      "id",     "created_at",  "pipeline",   "amount",    "currency",   "manager",
      "region", "product",     "tier",       "channel",   "business",   "source",
      "client", "lost_reason", "close_date", "closed_at", "probability"};
  return kColumns;
}

CanonicalTable make_deals_table(const std::vector<std::map<std::string, std::string>>& deals) {
  std::set<std::string> used = {"id", "created_at"};
  for (const auto& d : deals)
    for (const auto& [k, v] : d)
      if (!v.empty()) used.insert(k);
  CanonicalTable t;
  for (const auto& c : standard_deal_columns())
    if (used.erase(c)) t.columns.push_back(c);
  for (const auto& c : used) t.columns.push_back(c);  // custom dimensions, sorted
  for (const auto& d : deals) {
    std::vector<std::string> row;
    for (const auto& c : t.columns) {
      auto it = d.find(c);
      row.push_back(it == d.end() ? std::string() : it->second);
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

bool FieldChanges::record(const std::string& deal_id, const std::string& at, const std::string& field,
                          const std::string& value, const std::string& currency) {
  auto [it, inserted] = last_.try_emplace(std::make_pair(deal_id, field));
  if (!inserted && it->second.value == value && it->second.currency == currency) return false;
  it->second.value = value;
  it->second.currency = currency;
  rows_.push_back({deal_id, at, field, value, currency});
  return true;
}

const std::string* FieldChanges::last(const std::string& deal_id, const std::string& field) const {
  auto it = last_.find(std::make_pair(deal_id, field));
  return it == last_.end() ? nullptr : &it->second.value;
}

CanonicalTable FieldChanges::table() const {
  const bool with_currency =
      std::any_of(rows_.begin(), rows_.end(), [](const auto& r) { return !r[4].empty(); });
  CanonicalTable t;
  t.columns = {"deal_id", "at", "field", "value"};
  if (with_currency) t.columns.push_back("currency");
  for (const auto& r : rows_) t.rows.emplace_back(r.begin(), r.begin() + (with_currency ? 5 : 4));
  return t;
}

namespace {

// Sorts rows by the deal's position in deals.csv (unknown deals last, by id),
// then by the canonical instant text in column 1, stable.
void sort_by_deal_then_time(CanonicalTable& t, const std::unordered_map<std::string, std::size_t>& order) {
  // Ranks are looked up once per row (not per comparison) and row indices are
  // sorted instead of the rows: the same stable order, without a hash lookup
  // and two vector moves per comparison.
  const std::size_t n = t.rows.size();
  std::vector<std::size_t> rank(n), index(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto it = order.find(t.rows[i][0]);
    rank[i] = it == order.end() ? order.size() : it->second;
    index[i] = i;
  }
  std::stable_sort(index.begin(), index.end(), [&](std::size_t a, std::size_t b) {
    const std::size_t ra = rank[a], rb = rank[b];
    if (ra != rb) return ra < rb;
    const auto& ra_row = t.rows[a];
    const auto& rb_row = t.rows[b];
    if (ra == order.size() && ra_row[0] != rb_row[0]) return ra_row[0] < rb_row[0];
    return ra_row[1] < rb_row[1];
  });
  std::vector<std::vector<std::string>> sorted;
  sorted.reserve(n);
  for (std::size_t i : index) sorted.push_back(std::move(t.rows[i]));
  t.rows = std::move(sorted);
}

void ensure_terminal(CanonicalPipeline& p, const std::string& kind, ImportReport& report) {
  for (const auto& s : p.stages)
    if (s.kind == kind) return;
  CanonicalStage s;
  s.id = "__" + kind + "__";
  s.name = "(" + kind + " stage not in the export)";
  s.kind = kind;
  p.stages.push_back(s);
  report.add("synthetic_" + kind + "_stage", "noted",
             {"pipelines/" + p.id + ".json",
              "the export names no " + kind + " stage of pipeline '" + p.id + "'; '" + s.id +
                  "' was added so that the config is valid (no deal enters it)"});
}

}  // namespace

void finish_export(CanonicalExport& data) {
  std::unordered_map<std::string, std::size_t> order;
  const auto id_col =
      std::find(data.deals.columns.begin(), data.deals.columns.end(), "id") - data.deals.columns.begin();
  for (std::size_t i = 0; i < data.deals.rows.size(); ++i) order.emplace(data.deals.rows[i][id_col], i);
  sort_by_deal_then_time(data.history, order);
  sort_by_deal_then_time(data.field_changes, order);

  std::sort(data.pipelines.begin(), data.pipelines.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  for (auto& p : data.pipelines) {
    ensure_terminal(p, "won", data.report);
    ensure_terminal(p, "lost", data.report);
  }

  // Reopens: consecutive rows of one deal in one pipeline, from a won/lost stage to another stage.
  std::map<std::string, std::set<std::pair<std::string, std::string>>> reopens;
  auto kind_of = [&](const std::string& pipeline, const std::string& stage) -> std::string {
    for (const auto& p : data.pipelines)
      if (p.id == pipeline)
        for (const auto& s : p.stages)
          if (s.id == stage) return s.kind;
    return {};
  };
  const auto& h = data.history;
  const auto col = [&](std::string_view name) {
    return static_cast<std::size_t>(std::find(h.columns.begin(), h.columns.end(), name) - h.columns.begin());
  };
  const std::size_t deal_c = col("deal_id"), stage_c = col("stage"), pipe_c = col("pipeline");
  for (std::size_t i = 1; i < h.rows.size() && pipe_c < h.columns.size(); ++i) {
    const auto& prev = h.rows[i - 1];
    const auto& cur = h.rows[i];
    if (prev[deal_c] != cur[deal_c] || prev[pipe_c] != cur[pipe_c] || prev[stage_c] == cur[stage_c]) continue;
    const std::string k = kind_of(prev[pipe_c], prev[stage_c]);
    if (k == "won" || k == "lost") reopens[prev[pipe_c]].insert({prev[stage_c], cur[stage_c]});
  }
  for (auto& p : data.pipelines) {
    std::set<std::pair<std::string, std::string>> all(p.reopens.begin(), p.reopens.end());
    all.insert(reopens[p.id].begin(), reopens[p.id].end());
    p.reopens.assign(all.begin(), all.end());
  }

  data.report.deals = data.deals.rows.size();
  data.report.events = data.history.rows.size();
  data.report.field_changes = data.field_changes.rows.size();
}

}  // namespace dealflow::import::detail
