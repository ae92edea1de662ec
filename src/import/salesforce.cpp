// The Salesforce importer: files, stages, opportunities (include/dealflow/import/salesforce.h).
#include "dealflow/import/salesforce.h"

#include <algorithm>
#include <cstdlib>

#include "import/salesforce_detail.h"

namespace dealflow::import {
namespace salesforce_detail {

using detail::Record;
using detail::Table;

std::string State::person(const std::string& id) const {
  if (id.empty() || id == kNullId) return {};
  auto it = user_names.find(id);
  return it == user_names.end() ? id : it->second;
}

StageInfo& State::stage(const std::string& name) {
  auto [it, inserted] = stages.try_emplace(name);
  if (inserted) {
    it->second.name = name;
    it->second.first_seen = stages.size();
  }
  return it->second;
}

Result<bool> flag(const Table& t, const Record& r, std::size_t col) {
  const std::string& v = r.fields[col];
  if (v == "1" || v == "true" || v == "TRUE" || v == "True") return true;
  if (v == "0" || v == "false" || v == "FALSE" || v == "False") return false;
  return t.error(r, col, "invalid flag '" + v + "' (expected 0/1 or true/false)");
}

Result<std::string> date_of(const Table& t, const Record& r, std::size_t col) {
  const std::string& v = r.fields[col];
  if (v.empty()) return std::string();
  // A value shorter than a date is invalid, not a substr past the end (found by fuzz_import_salesforce).
  const std::string_view time = v.size() >= 10 ? std::string_view(v).substr(10) : std::string_view("?");
  const bool midnight = time.empty() || time == " 00:00:00" || time == "T00:00:00" || time == "T00:00:00Z" ||
                        time == "T00:00:00.000Z";
  auto d = Date::parse(std::string_view(v).substr(0, 10));
  if (!d || !midnight)
    return t.error(r, col, "invalid date '" + v + "' (expected YYYY-MM-DD or YYYY-MM-DD 00:00:00)");
  return d->to_string();
}

namespace {

// Data Loader writes upper-case headers ("STAGENAME"): such names are spelt as
// the Data Export does before anything looks them up.
void normalise_header_case(detail::Table& t) {
  static const char* kNames[] = {"Id",
                                 "IsDeleted",
                                 "AccountId",
                                 "StageName",
                                 "Amount",
                                 "Probability",
                                 "CloseDate",
                                 "Type",
                                 "LeadSource",
                                 "IsClosed",
                                 "IsWon",
                                 "ForecastCategoryName",
                                 "ForecastCategory",
                                 "CurrencyIsoCode",
                                 "OwnerId",
                                 "CreatedDate",
                                 "StageSortOrder",
                                 "OpportunityId",
                                 "CreatedById",
                                 "Field",
                                 "OldValue",
                                 "NewValue",
                                 "MasterLabel",
                                 "ApiName",
                                 "IsActive",
                                 "SortOrder",
                                 "DefaultProbability",
                                 "Name"};
  auto lower = [](std::string v) {
    for (char& c : v)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return v;
  };
  for (auto& h : t.header.fields)
    for (const char* name : kNames)
      if (h != name && lower(h) == lower(name)) h = name;
}

// Which Salesforce object a header belongs to.
Status classify(detail::Table table, Inputs& in) {
  auto has = [&](std::string_view c) { return table.column(c).has_value(); };
  std::optional<detail::Table>* slot = nullptr;
  std::string what;
  if (has("OpportunityId") && has("Field") && has("NewValue")) {
    slot = &in.field_history, what = "OpportunityFieldHistory";
  } else if (has("OpportunityId") && has("StageName") && has("CreatedDate")) {
    slot = &in.history, what = "OpportunityHistory";
  } else if (has("IsWon") && has("IsClosed") && (has("MasterLabel") || has("ApiName")) && !has("StageName")) {
    slot = &in.stages, what = "OpportunityStage";
  } else if (has("Id") && has("StageName") && has("CreatedDate")) {
    slot = &in.opportunity, what = "Opportunity";
  } else if (has("Id") && has("Name") && !has("StageName")) {
    slot = &in.users, what = "User";
  } else {
    return Status(ErrorCode::parse_error,
                  "not a Salesforce export file this importer reads (expected the header of Opportunity, "
                  "OpportunityHistory, OpportunityFieldHistory, OpportunityStage or User)",
                  Location{table.file, 1, 1, {}});
  }
  if (*slot)
    return Status(ErrorCode::invalid_argument,
                  "two " + what + " files: '" + (*slot)->file + "' and '" + table.file + "'",
                  Location{table.file, 1, 1, {}});
  *slot = std::move(table);
  return {};
}

Status read_users(State& s) {
  if (!s.in.users) return {};
  const Table& t = *s.in.users;
  const std::size_t id = *t.column("Id"), name = *t.column("Name");
  for (const auto& r : t.rows)
    if (!r.fields[id].empty() && !r.fields[name].empty()) s.user_names[r.fields[id]] = r.fields[name];
  return {};
}

Result<Currency> currency_of(State& s, const Table& t, const Record& r, std::optional<std::size_t> col) {
  std::string code = col ? r.fields[*col] : std::string();
  if (code.empty()) code = s.options.default_currency;
  if (code.empty())
    return Status(ErrorCode::invalid_argument,
                  "amount without a currency: the export has no CurrencyIsoCode value (pass --currency CODE, "
                  "or ImportOptions::default_currency)",
                  t.where(r, col.value_or(0)));
  auto c = Currency::parse(code);
  if (!c)
    return t.error(r, col.value_or(0),
                   "invalid currency '" + code + "' (expected an ISO 4217 code such as USD)");
  return *c;
}

}  // namespace

Status read_stages_and_deals(State& s) {
  if (s.in.stages) {
    const Table& t = *s.in.stages;
    const std::size_t label = *t.column_any({"MasterLabel", "ApiName"});
    const std::size_t won = *t.column("IsWon"), closed = *t.column("IsClosed");
    const auto sort = t.column("SortOrder"), prob = t.column("DefaultProbability"),
               active = t.column("IsActive");
    for (const auto& r : t.rows) {
      auto w = flag(t, r, won);
      if (!w) return w.status();
      auto c = flag(t, r, closed);
      if (!c) return c.status();
      if (active && r.fields[*active] == "0") continue;
      StageInfo& st = s.stage(r.fields[label]);
      st.kind = *w ? "won" : (*c ? "lost" : "open");
      if (sort && !r.fields[*sort].empty()) st.sort = std::strtod(r.fields[*sort].c_str(), nullptr);
      if (prob && !r.fields[*prob].empty()) {
        auto p = detail::normalize_percent(r.fields[*prob]);
        if (!p) return t.error(r, *prob, p.status().message());
        st.probability = std::strtod(p->c_str(), nullptr) / 100.0;
      }
    }
  }
  const Table& t = *s.in.opportunity;
  const std::size_t id = *t.column("Id"), stage = *t.column("StageName"), created = *t.column("CreatedDate");
  const auto is_closed = t.column("IsClosed"), is_won = t.column("IsWon");
  if (!is_closed) return t.missing("IsClosed");
  if (!is_won) return t.missing("IsWon");
  const auto amount = t.column("Amount"), currency = t.column("CurrencyIsoCode"), owner = t.column("OwnerId");
  const auto close = t.column("CloseDate"), prob = t.column("Probability"), deleted = t.column("IsDeleted");
  const auto forecast = t.column_any({"ForecastCategoryName", "ForecastCategory"});
  const auto type = t.column("Type"), source = t.column("LeadSource"), account = t.column("AccountId");
  const auto sort = t.column("StageSortOrder");
  for (const auto& r : t.rows) {
    const std::string& deal_id = r.fields[id];
    if (deal_id.empty()) return t.error(r, id, "empty opportunity id");
    if (deleted && r.fields[*deleted] == "1") {
      s.out.report.add("deleted_skipped", "dropped",
                       {t.where_line(r), "opportunity " + deal_id + " is deleted"});
      continue;
    }
    if (s.deal_index.count(deal_id)) return t.error(r, id, "duplicate opportunity id '" + deal_id + "'");
    auto w = flag(t, r, *is_won);
    if (!w) return w.status();
    auto c = flag(t, r, *is_closed);
    if (!c) return c.status();
    // Kinds from IsWon/IsClosed; OpportunityStage, when given, is the authority.
    StageInfo& st = s.stage(r.fields[stage]);
    const std::string kind = *w ? "won" : (*c ? "lost" : "open");
    if (st.kind.empty()) st.kind = kind;
    if (sort && !st.sort && !r.fields[*sort].empty()) st.sort = std::strtod(r.fields[*sort].c_str(), nullptr);

    auto at = detail::parse_timestamp(r.fields[created], 0);
    if (!at) return t.error(r, created, at.status().message());
    std::map<std::string, std::string> d;
    d["id"] = deal_id;
    d["created_at"] = detail::iso(*at);
    d["pipeline"] = kPipeline;
    if (amount && !r.fields[*amount].empty()) {
      auto cur = currency_of(s, t, r, currency);
      if (!cur) return cur.status();
      auto a = detail::normalize_amount(r.fields[*amount], *cur, s.out.report, t.where_line(r));
      if (!a) return t.error(r, *amount, a.status().message());
      d["amount"] = *a;
      d["currency"] = std::string(cur->code());
    }
    if (owner) {
      if (r.fields[*owner] == kNullId)
        s.out.report.add("null_id", "repaired",
                         {t.where_line(r), "OwnerId is the null id 000000000000000AAA"});
      d["manager"] = s.person(r.fields[*owner]);
    }
    if (close) {
      auto cd = date_of(t, r, *close);
      if (!cd) return cd.status();
      d["close_date"] = *cd;
      if (!cd->empty() && *cd < d["created_at"].substr(0, 10))
        s.out.report.add("close_date_before_created", "noted",
                         {t.where_line(r), "CloseDate " + *cd + " precedes CreatedDate " + d["created_at"] +
                                               " (back-dated deal; kept as is, durations use the history)"});
    }
    if (prob && !r.fields[*prob].empty()) {
      auto p = detail::normalize_percent(r.fields[*prob]);
      if (!p) return t.error(r, *prob, p.status().message());
      d["probability"] = *p;
    }
    if (forecast) d["forecast_category"] = r.fields[*forecast];
    if (type) d["business"] = r.fields[*type];
    if (source) d["source"] = r.fields[*source];
    if (account) {
      if (r.fields[*account] == kNullId)
        s.out.report.add("null_id", "repaired",
                         {t.where_line(r), "AccountId is the null id 000000000000000AAA"});
      d["client"] = s.person(r.fields[*account]);
    }
    for (const auto& [from, to] : s.options.fields)
      if (auto col = t.column(from); col && !r.fields[*col].empty()) d[to] = r.fields[*col];
    if (*c) d["__closed"] = "1";  // closed_at is filled from the history
    s.deal_index[deal_id] = s.deals.size();
    s.deals.push_back(std::move(d));
  }
  return {};
}

}  // namespace salesforce_detail

Result<CanonicalExport> import_salesforce(const std::vector<std::string>& paths,
                                          const ImportOptions& options) {
  using namespace salesforce_detail;
  DEALFLOW_RETURN_IF_ERROR(check_field_map(options));
  State s;
  s.options = options;
  s.out.report.source = "salesforce";
  for (const auto& path : paths) {
    auto file = detail::read_input(path, options, io::Encoding::windows1252, s.out.report);
    if (!file) return file.status();
    auto table = detail::read_table(file->text, ',', file->name);
    if (!table) return table.status();
    s.out.report.rows_read[file->name] = table->rows.size();
    normalise_header_case(*table);
    DEALFLOW_RETURN_IF_ERROR(classify(std::move(*table), s.in));
  }
  if (!s.in.opportunity)
    return Status(ErrorCode::invalid_argument,
                  "no Opportunity file among the inputs (a CSV with Id, StageName, "
                  "IsClosed, IsWon, CreatedDate)");
  if (!s.in.history)
    return Status(ErrorCode::invalid_argument,
                  "no OpportunityHistory file among the inputs (a CSV with "
                  "OpportunityId, StageName, CreatedDate)");
  DEALFLOW_RETURN_IF_ERROR(read_users(s));
  DEALFLOW_RETURN_IF_ERROR(read_stages_and_deals(s));
  DEALFLOW_RETURN_IF_ERROR(read_history(s));

  // The pipeline: stages in sort order (stages without one after, in order of appearance).
  CanonicalPipeline p;
  p.id = kPipeline;
  p.name = "Salesforce";
  std::vector<const StageInfo*> order;
  for (const auto& [name, st] : s.stages) order.push_back(&st);
  std::stable_sort(order.begin(), order.end(), [](const StageInfo* a, const StageInfo* b) {
    if (a->sort.has_value() != b->sort.has_value()) return a->sort.has_value();
    if (a->sort && *a->sort != *b->sort) return *a->sort < *b->sort;
    return a->first_seen < b->first_seen;
  });
  for (const StageInfo* st : order) {
    CanonicalStage cs{st->name, st->name, st->kind.empty() ? "open" : st->kind, st->probability};
    if (st->kind.empty())
      s.out.report.add(
          "stage_kind_assumed_open", "noted",
          {s.in.history->file, "stage '" + st->name +
                                   "' appears only in the history: no IsWon/IsClosed is known, it "
                                   "is taken as open (add OpportunityStage.csv to decide)"});
    p.stages.push_back(std::move(cs));
  }
  s.out.pipelines.push_back(std::move(p));
  for (auto& d : s.deals) d.erase("__closed");
  s.out.deals = detail::make_deals_table(s.deals);
  s.out.field_changes = s.changes.table();
  detail::finish_export(s.out);
  return std::move(s.out);
}

}  // namespace dealflow::import
