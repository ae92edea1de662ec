// The Bitrix24 importer: files, the web UI deal list CSV, and assembling the
// canonical export (include/dealflow/import/bitrix24.h).
#include "dealflow/import/bitrix24.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "import/bitrix24_detail.h"

namespace dealflow::import {
namespace bitrix24_detail {

StageInfo& State::stage(const std::string& id) {
  auto [it, inserted] = stages.try_emplace(id);
  if (inserted) {
    it->second.id = id;
    it->second.name = id;
    it->second.first_seen = stages.size();
  }
  return it->second;
}

DealInfo& State::deal(const std::string& id, const std::string& where) {
  auto [it, inserted] = deals.try_emplace(id);
  if (inserted) {
    it->second.id = id;
    it->second.where = where;
    deal_order.push_back(id);
  }
  return it->second;
}

int category_of_stage(const std::string& stage_id) {
  if (stage_id.size() > 2 && stage_id[0] == 'C') {
    const auto colon = stage_id.find(':');
    if (colon != std::string::npos && colon > 1) {
      int n = 0;
      for (std::size_t i = 1; i < colon; ++i) {
        if (stage_id[i] < '0' || stage_id[i] > '9') return 0;
        n = n * 10 + (stage_id[i] - '0');
        if (n > 1000000) return 0;
      }
      return n;
    }
  }
  return 0;
}

std::string pipeline_id(int category) {
  return "bitrix24_c" + std::to_string(category);
}

Status read_deal_csv(State& s, const std::string& text, const std::string& file) {
  auto table = detail::read_table(text, detail::guess_separator(text), file);
  if (!table) return table.status();
  const detail::Table& t = *table;
  s.out.report.rows_read[file] = t.rows.size();
  const auto id = t.column_any({"ID", "Id"});
  if (!id) return t.missing("ID");
  const auto created = t.column_any({"Дата создания", "Created", "Date created", "Created on"});
  if (!created) return t.missing("Дата создания");
  const auto stage = t.column_any({"Стадия сделки", "Стадия", "Stage", "Deal stage"});
  const auto category = t.column_any({"Направление", "Воронка", "Pipeline", "Deal pipeline", "Category"});
  const auto amount = t.column_any({"Сумма", "Amount", "Opportunity"});
  const auto currency = t.column_any({"Валюта", "Currency"});
  const auto owner = t.column_any({"Ответственный", "Responsible", "Responsible person", "Assigned to"});
  const auto close = t.column_any({"Предполагаемая дата закрытия", "Дата завершения", "Expected close date",
                                   "Close date", "Closing date"});
  const auto source = t.column_any({"Источник", "Source"});
  const auto company = t.column_any({"Компания", "Company"});
  const auto prob = t.column_any({"Вероятность", "Вероятность, %", "Probability", "Probability, %"});
  const int offset = s.portal_offset();
  for (const auto& r : t.rows) {
    const std::string& deal_id = r.fields[*id];
    if (deal_id.empty()) return t.error(r, *id, "empty deal id");
    DealInfo& d = s.deal(deal_id, t.where_line(r));
    auto at = detail::parse_formatted(r.fields[*created], "%d.%m.%Y[ %H:%M[:%S]]", offset);
    if (!at) at = detail::parse_timestamp(r.fields[*created], offset);
    if (!at)
      return t.error(r, *created, "invalid date '" + r.fields[*created] + "' (expected dd.mm.yyyy hh:mm:ss)");
    d.values["created_at"] = detail::iso(*at);
    if (stage) d.stage = r.fields[*stage];
    if (category && !d.category) {
      const std::string& name = r.fields[*category];
      for (const auto& [n, cname] : s.category_names)
        if (cname == name) d.category = n;
      if (!d.category) d.values["__category_name"] = name;
    }
    if (amount && !r.fields[*amount].empty()) {
      std::string code = currency ? r.fields[*currency] : std::string();
      if (code.empty()) code = s.options.default_currency.empty() ? "RUB" : s.options.default_currency;
      auto cur = Currency::parse(code);
      if (!cur)
        return t.error(r, currency.value_or(*amount),
                       "invalid currency '" + code + "' (expected an ISO 4217 code)");
      auto a = detail::normalize_amount(r.fields[*amount], *cur, s.out.report, t.where_line(r));
      if (!a) return t.error(r, *amount, a.status().message());
      d.values["amount"] = *a;
      d.values["currency"] = std::string(cur->code());
    }
    if (owner && !r.fields[*owner].empty()) d.values["manager"] = r.fields[*owner];
    if (source && !r.fields[*source].empty()) d.values["source"] = r.fields[*source];
    if (company && !r.fields[*company].empty()) d.values["client"] = r.fields[*company];
    if (close && !r.fields[*close].empty()) {
      auto cd = detail::parse_formatted(r.fields[*close], "%d.%m.%Y[ %H:%M[:%S]]", 0);
      if (!cd) return t.error(r, *close, "invalid date '" + r.fields[*close] + "' (expected dd.mm.yyyy)");
      d.values["close_date"] = cd->date().to_string();
    }
    if (prob && !r.fields[*prob].empty()) {
      auto p = detail::normalize_percent(r.fields[*prob]);
      if (!p) return t.error(r, *prob, p.status().message());
      d.values["probability"] = *p;
    }
  }
  return {};
}

namespace {

// Stage ids of a deal list CSV are display names: resolve them within the category.
std::string resolve_stage(const State& s, const std::string& stage, int category) {
  if (s.stages.count(stage)) return stage;
  for (const auto& [id, st] : s.stages)
    if (st.name == stage && category_of_stage(id) == category) return id;
  return stage;
}

void build(State& s) {
  // History in item order (Bitrix24 numbers items in time order), then input order.
  std::stable_sort(s.history.begin(), s.history.end(), [](const HistoryItem& a, const HistoryItem& b) {
    return a.item_id != b.item_id ? a.item_id < b.item_id : a.order < b.order;
  });
  std::map<std::string, std::vector<const HistoryItem*>> by_deal;
  for (const auto& h : s.history) {
    if (!s.deals.count(h.deal)) {
      DealInfo& d = s.deal(h.deal, h.where);
      d.values["created_at"] = "";
      s.out.report.add("deal_from_history_only", "noted",
                       {h.where, "deal " + h.deal +
                                     " is in the stage history only: created at its first row, "
                                     "without amount or owner"});
    }
    by_deal[h.deal].push_back(&h);
  }
  // Deals by numeric ID (as Bitrix24 lists them), whatever the order of the input files.
  std::stable_sort(s.deal_order.begin(), s.deal_order.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  auto& history = s.out.history;
  history.columns = {"deal_id", "at", "stage", "pipeline", "actor"};
  std::vector<std::map<std::string, std::string>> rows;
  std::set<int> categories;
  for (const std::string& id : s.deal_order) {
    DealInfo& d = s.deals[id];
    auto& events = by_deal[id];
    std::stable_sort(events.begin(), events.end(),
                     [](const HistoryItem* a, const HistoryItem* b) { return a->at < b->at; });
    std::string& created = d.values["created_at"];
    if (created.empty() || (!events.empty() && detail::iso(events.front()->at) < created)) {
      if (!created.empty())
        s.out.report.add("history_before_created", "noted",
                         {events.front()->where, "deal " + id +
                                                     " has a stage row before its DATE_CREATE; created_at "
                                                     "set to the first row"});
      created = detail::iso(events.front()->at);
    }
    const int first_category = events.empty() ? d.category.value_or(0) : events.front()->category;
    d.values["pipeline"] = pipeline_id(first_category);
    categories.insert(first_category);
    if (d.values.count("__category_name") && !d.category)
      s.out.report.add(
          "category_by_name_unknown", "noted",
          {d.where, "direction '" + d.values["__category_name"] + "' of deal " + id +
                        " is not in a category list; taken as category 0 (pass crm.dealcategory.list)"});
    d.values.erase("__category_name");
    if (events.empty()) {
      s.out.report.add("history_missing", "noted", {d.where, "deal " + id + " has no stage history rows"});
      if (!d.stage.empty()) s.stage(resolve_stage(s, d.stage, first_category));
    }
    std::string last_at;
    for (const HistoryItem* h : events) {
      history.rows.push_back({id, detail::iso(h->at), h->stage, pipeline_id(h->category), ""});
      categories.insert(h->category);
      last_at = detail::iso(h->at);
      if (h->type == 5 && h->category == first_category)
        s.out.report.add("category_move_same_category", "noted",
                         {h->where, "TYPE_ID 5 (moved to another category) stays in category " +
                                        std::to_string(h->category)});
    }
    if (!events.empty()) {
      const std::string& kind = s.stages[events.back()->stage].kind;
      if (kind == "won" || kind == "lost") d.values["closed_at"] = last_at;
    }
    auto person = [&](std::map<std::string, std::string>& v) {
      auto m = v.find("manager");
      if (m == v.end()) return;
      auto u = s.users.find(m->second);
      if (u != s.users.end()) m->second = u->second;
    };
    person(d.values);
    if (d.snapshots.size() > 1) {  // deal-list snapshots taken at different times: field changes
      std::stable_sort(d.snapshots.begin(), d.snapshots.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto& [modified, v] : d.snapshots) {
        person(v);
        const std::string at = std::max(detail::iso(modified), created);
        for (const char* f : {"manager", "close_date", "probability"})
          if (v.count(f)) s.changes.record(id, at, f, v[f]);
        if (v.count("amount")) s.changes.record(id, at, "amount", v["amount"], v["currency"]);
      }
      s.out.report.add("deal_snapshots", "noted",
                       {d.where, "deal " + id + " is in " + std::to_string(d.snapshots.size()) +
                                     " deal lists: each DATE_MODIFY snapshot's values are field changes"});
    }
    d.values["id"] = id;
    rows.push_back(d.values);
  }
  s.out.deals = detail::make_deals_table(rows);
  s.out.field_changes = s.changes.table();

  // One pipeline per category: listed stages in SORT order, then stages seen only in data.
  for (const auto& [id, st] : s.stages) categories.insert(category_of_stage(id));
  for (int c : categories) {
    CanonicalPipeline p;
    p.id = pipeline_id(c);
    auto name = s.category_names.find(c);
    p.name = name != s.category_names.end() && !name->second.empty()
                 ? name->second
                 : "Bitrix24 category " + std::to_string(c);
    std::vector<const StageInfo*> order;
    for (const auto& [id, st] : s.stages)
      if (category_of_stage(id) == c) order.push_back(&st);
    std::stable_sort(order.begin(), order.end(), [](const StageInfo* a, const StageInfo* b) {
      if (a->sort.has_value() != b->sort.has_value()) return a->sort.has_value();
      if (a->sort && *a->sort != *b->sort) return *a->sort < *b->sort;
      return a->first_seen < b->first_seen;
    });
    for (const StageInfo* st : order) {
      if (st->kind.empty())
        s.out.report.add("stage_kind_assumed_open", "noted",
                         {p.id, "stage '" + st->id +
                                    "' has no semantics in the inputs; taken as open (pass "
                                    "crm.status.list with SEMANTICS)"});
      else if (!st->listed)
        s.out.report.add("stage_not_in_stage_list", "noted",
                         {p.id, "stage '" + st->id + "' is not in a stage list; named by its id"});
      p.stages.push_back({st->id, st->name, st->kind.empty() ? "open" : st->kind, std::nullopt});
    }
    s.out.pipelines.push_back(std::move(p));
  }
  detail::finish_export(s.out);
}

}  // namespace
}  // namespace bitrix24_detail

Result<CanonicalExport> import_bitrix24(const std::vector<std::string>& paths, const ImportOptions& options) {
  using namespace bitrix24_detail;
  DEALFLOW_RETURN_IF_ERROR(check_field_map(options));
  State s;
  s.options = options;
  s.out.report.source = "bitrix24";
  std::vector<detail::InputFile> csv;
  for (const auto& path : paths) {
    auto file = detail::read_input(path, options, io::Encoding::windows1251, s.out.report);
    if (!file) return file.status();
    const char c = detail::first_char(file->text);
    if (c == '{' || c == '[') {
      DEALFLOW_RETURN_IF_ERROR(read_json(s, file->text, file->name));
    } else {
      csv.push_back(std::move(*file));  // after the JSON files: stage and category names are known then
    }
  }
  for (const auto& f : csv) DEALFLOW_RETURN_IF_ERROR(read_deal_csv(s, f.text, f.name));
  if (s.deals.empty() && s.history.empty())
    return Status(ErrorCode::invalid_argument,
                  "no deals and no deal stage history among the inputs (expected crm.stagehistory.list or "
                  "crm.deal.list responses, or the deal list CSV)");
  build(s);
  return std::move(s.out);
}

}  // namespace dealflow::import
