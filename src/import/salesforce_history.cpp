// The Salesforce importer: OpportunityHistory (stage events and field changes)
// and OpportunityFieldHistory (owner and dimension changes).
#include <algorithm>
#include <numeric>

#include "import/salesforce_detail.h"

namespace dealflow::import::salesforce_detail {

using detail::Record;
using detail::Table;

namespace {

struct TimedRow {
  Instant at;
  const Record* row;
};

// Rows of each known deal in time order (file order for ties); rows of unknown
// or deleted deals are counted and dropped.
Result<std::map<std::string, std::vector<TimedRow>>> rows_by_deal(State& s, const Table& t,
                                                                  std::size_t deal_col, std::size_t at_col) {
  std::map<std::string, std::vector<TimedRow>> out;
  const auto deleted = t.column("IsDeleted");
  for (const auto& r : t.rows) {
    const std::string& deal = r.fields[deal_col];
    if (deleted && r.fields[*deleted] == "1") {
      s.out.report.add("deleted_skipped", "dropped",
                       {t.where_line(r), "history row of " + deal + " is deleted"});
      continue;
    }
    if (!s.deal_index.count(deal)) {
      s.out.report.add("history_unknown_deal", "dropped",
                       {t.where_line(r), "opportunity '" + deal + "' is not in the Opportunity file"});
      continue;
    }
    auto at = detail::parse_timestamp(r.fields[at_col], 0);
    if (!at) return t.error(r, at_col, at.status().message());
    out[deal].push_back({*at, &r});
  }
  for (auto& [deal, rows] : out)
    std::stable_sort(rows.begin(), rows.end(),
                     [](const TimedRow& a, const TimedRow& b) { return a.at < b.at; });
  return out;
}

// A user id (005... of 15 or 18 characters) rather than a name.
bool looks_like_user_id(const std::string& v) {
  return (v.size() == 15 || v.size() == 18) && v.rfind("005", 0) == 0 &&
         std::all_of(v.begin(), v.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

Status read_field_history(State& s) {
  if (!s.in.field_history) return {};
  const Table& t = *s.in.field_history;
  const std::size_t deal = *t.column("OpportunityId"), field = *t.column("Field");
  const auto created = t.column("CreatedDate"), old_value = t.column("OldValue");
  const std::size_t new_value = *t.column("NewValue");
  if (!created) return t.missing("CreatedDate");
  auto grouped = rows_by_deal(s, t, deal, *created);
  if (!grouped) return grouped.status();
  static const std::map<std::string, std::string> kFields = {
      {"Owner", "manager"}, {"OwnerId", "manager"}, {"LeadSource", "source"}, {"Type", "business"}};
  static const char* kCovered[] = {"StageName",
                                   "Amount",
                                   "CloseDate",
                                   "Probability",
                                   "ForecastCategoryName",
                                   "ForecastCategory",
                                   "created",
                                   "opportunityCreatedFromLead"};
  for (const auto& d : s.deals) {
    auto it = grouped->find(d.at("id"));
    if (it == grouped->end()) continue;
    std::map<std::string, bool> seen;  // canonical field -> first change recorded
    for (const TimedRow& tr : it->second) {
      const Record& r = *tr.row;
      const std::string& name = r.fields[field];
      auto f = kFields.find(name);
      if (f == kFields.end()) {
        if (std::find(std::begin(kCovered), std::end(kCovered), name) == std::end(kCovered))
          s.out.report.add("field_history_ignored", "dropped",
                           {t.where_line(r), "field '" + name + "' has no canonical column"});
        continue;
      }
      auto value = [&](const std::string& v) -> std::optional<std::string> {
        if (f->second != "manager") return v;
        if (v == kNullId) return std::string();
        if (looks_like_user_id(v) && !s.user_names.count(v)) return std::nullopt;
        return s.person(v);
      };
      const auto nv = value(r.fields[new_value]);
      const auto ov = old_value ? value(r.fields[*old_value]) : std::optional<std::string>();
      if (!nv) {
        s.out.report.add(
            "owner_id_row_skipped", "dropped",
            {t.where_line(r), "owner change given as user ids (" + r.fields[new_value] +
                                  ") without a User file to name them; the rows with names are used"});
        continue;
      }
      if (!seen[f->second] && ov && old_value && !r.fields[*old_value].empty())
        s.changes.record(d.at("id"), d.at("created_at"), f->second, *ov);
      seen[f->second] = true;
      s.changes.record(d.at("id"), std::max(detail::iso(tr.at), d.at("created_at")), f->second, *nv);
    }
  }
  return {};
}

}  // namespace

Status read_history(State& s) {
  const Table& t = *s.in.history;
  const std::size_t deal = *t.column("OpportunityId"), stage = *t.column("StageName");
  const std::size_t created = *t.column("CreatedDate");
  const auto amount = t.column("Amount"), close = t.column("CloseDate"), prob = t.column("Probability");
  const auto forecast = t.column_any({"ForecastCategory", "ForecastCategoryName"});
  const auto currency = t.column("CurrencyIsoCode"), actor = t.column("CreatedById");
  auto grouped = rows_by_deal(s, t, deal, created);
  if (!grouped) return grouped.status();
  auto& history = s.out.history;
  history.columns = {"deal_id", "at", "stage", "pipeline", "actor"};

  for (auto& d : s.deals) {
    const std::string& id = d.at("id");
    const std::string& created_at = d.at("created_at");
    auto it = grouped->find(id);
    if (it == grouped->end()) {
      s.out.report.add(
          "history_missing", "noted",
          {s.in.opportunity->file, "opportunity " + id + " has no history rows (no stage events)"});
      continue;
    }
    std::string prev_stage, last_at;
    bool first = true;
    for (const TimedRow& tr : it->second) {
      const Record& r = *tr.row;
      std::string at = detail::iso(tr.at);
      if (at < created_at) {
        s.out.report.add(
            "history_before_created", "repaired",
            {t.where_line(r), "history row at " + at + " precedes the opportunity's CreatedDate " +
                                  created_at + "; moved to " + created_at});
        at = created_at;
      }
      const std::string& st = r.fields[stage];
      if (st.empty()) return t.error(r, stage, "empty stage name");
      s.stage(st);
      if (st != prev_stage) {
        history.rows.push_back({id, at, st, kPipeline, actor ? s.person(r.fields[*actor]) : std::string()});
        prev_stage = st;
        last_at = at;
      }
      // Field values: the first row's are the values the deal was created with.
      const std::string when = first ? created_at : at;
      first = false;
      if (amount && !r.fields[*amount].empty()) {
        std::string code = currency ? r.fields[*currency] : std::string();
        if (code.empty()) code = d.count("currency") ? d["currency"] : s.options.default_currency;
        auto cur = Currency::parse(code);
        if (!cur)
          return t.error(r, currency.value_or(*amount),
                         code.empty() ? "amount without a currency (pass --currency CODE)"
                                      : "invalid currency '" + code + "' (expected an ISO 4217 code)");
        auto a = detail::normalize_amount(r.fields[*amount], *cur, s.out.report, t.where_line(r));
        if (!a) return t.error(r, *amount, a.status().message());
        s.changes.record(id, when, "amount", *a, std::string(cur->code()));
      }
      if (close) {
        auto cd = date_of(t, r, *close);
        if (!cd) return cd.status();
        if (!cd->empty()) s.changes.record(id, when, "close_date", *cd);
      }
      if (prob && !r.fields[*prob].empty()) {
        auto p = detail::normalize_percent(r.fields[*prob]);
        if (!p) return t.error(r, *prob, p.status().message());
        s.changes.record(id, when, "probability", *p);
      }
      if (forecast && !r.fields[*forecast].empty())
        s.changes.record(id, when, "forecast_category", r.fields[*forecast]);
    }
    if (d.count("__closed")) {
      const std::string& kind = s.stages[prev_stage].kind;
      if (kind == "won" || kind == "lost") d["closed_at"] = last_at;
    }
  }
  return read_field_history(s);
}

}  // namespace dealflow::import::salesforce_detail
