// The Bitrix24 importer: REST responses saved as JSON (stage history pages,
// batch responses, deal lists, stage lists, category lists).
#include <algorithm>
#include <cstdlib>

#include "import/bitrix24_detail.h"

namespace dealflow::import::bitrix24_detail {
namespace {

using detail::json_text;

std::string at_path(const std::string& file, const std::string& path) {
  return file + ": at " + path;
}

Status value_error(const std::string& file, const std::string& path, std::string message) {
  return Status(ErrorCode::parse_error, std::move(message), Location{file, 0, 0, path});
}

Result<int> integer(const Json& item, std::string_view key, const std::string& file,
                    const std::string& path) {
  auto v = json_text(item, key);
  if (!v || v->empty()) return 0;
  char* end = nullptr;
  const long n = std::strtol(v->c_str(), &end, 10);
  if (*end != '\0' || n < 0 || n > 1000000)
    return value_error(
        file, path + "/" + std::string(key),
        "invalid " + std::string(key) + " '" + *v + "' (expected a small non-negative integer)");
  return static_cast<int>(n);
}

Result<Instant> instant(const Json& item, std::string_view key, const State& s, const std::string& file,
                        const std::string& path) {
  auto v = json_text(item, key);
  if (!v) return value_error(file, path, "missing " + std::string(key) + " (expected a timestamp)");
  auto t = detail::parse_timestamp(*v, s.portal_offset());
  if (!t) return value_error(file, path + "/" + std::string(key), t.status().message());
  return *t;
}

// A stage list item: {STATUS_ID, NAME, SORT, SEMANTICS | EXTRA.SEMANTICS, ENTITY_ID?}.
Status read_stage(State& s, const Json& item, const std::string& file, const std::string& path) {
  if (auto entity = json_text(item, "ENTITY_ID"); entity && entity->rfind("DEAL_STAGE", 0) != 0) {
    s.out.report.add("status_not_a_deal_stage", "dropped",
                     {at_path(file, path), "ENTITY_ID '" + *entity + "' is not a deal stage list"});
    return {};
  }
  const std::string id = json_text(item, "STATUS_ID").value_or("");
  if (id.empty()) return value_error(file, path + "/STATUS_ID", "empty STATUS_ID (expected a stage id)");
  StageInfo& st = s.stage(id);
  st.listed = true;
  st.name = json_text(item, "NAME").value_or(id);
  if (auto sort = json_text(item, "SORT"); sort && !sort->empty())
    st.sort = std::strtod(sort->c_str(), nullptr);
  std::string sem = json_text(item, "SEMANTICS").value_or("");
  if (sem.empty() && item.contains("EXTRA")) sem = json_text(item["EXTRA"], "SEMANTICS").value_or("");
  if (sem == "S" || sem == "success")
    st.kind = "won";
  else if (sem == "F" || sem == "failure")
    st.kind = "lost";
  else if (sem == "P" || sem == "process" || sem.empty()) {
    if (!sem.empty()) st.kind = "open";
  } else {
    return value_error(file, path + "/SEMANTICS",
                       "invalid semantics '" + sem + "' (expected S, F, P or empty)");
  }
  return {};
}

Status read_history_item(State& s, const Json& item, const std::string& file, const std::string& path) {
  const std::string entity =
      json_text(item, "entityTypeId").value_or(json_text(item, "ENTITY_TYPE_ID").value_or("2"));
  if (entity == "1" || (!item.contains("STAGE_ID") && item.contains("STATUS_ID"))) {
    s.out.report.add("lead_skipped", "dropped",
                     {at_path(file, path), "a lead's status history, not a deal's"});
    return {};
  }
  if (entity != "2") {
    s.out.report.add("other_entity_skipped", "dropped",
                     {at_path(file, path), "entityTypeId " + entity + " is not a deal"});
    return {};
  }
  HistoryItem h;
  h.where = at_path(file, path);
  h.order = s.history.size();
  h.deal = json_text(item, "OWNER_ID").value_or("");
  if (h.deal.empty()) return value_error(file, path + "/OWNER_ID", "empty OWNER_ID (expected the deal id)");
  h.stage = json_text(item, "STAGE_ID").value_or("");
  if (h.stage.empty()) return value_error(file, path + "/STAGE_ID", "empty STAGE_ID (expected a stage id)");
  auto at = instant(item, "CREATED_TIME", s, file, path);
  if (!at) return at.status();
  h.at = *at;
  auto type = integer(item, "TYPE_ID", file, path);
  if (!type) return type.status();
  if (*type != 0 && *type != 1 && *type != 2 && *type != 3 && *type != 5)
    return value_error(file, path + "/TYPE_ID",
                       "invalid TYPE_ID '" + std::to_string(*type) +
                           "' (expected 1 created, 2 moved, 3 closed or 5 moved to "
                           "another category)");
  h.type = *type;
  if (item.contains("CATEGORY_ID")) {
    auto c = integer(item, "CATEGORY_ID", file, path);
    if (!c) return c.status();
    h.category = *c;
  } else {
    h.category = category_of_stage(h.stage);
  }
  auto id = json_text(item, "ID");
  h.item_id = id ? std::atoll(id->c_str()) : 0;
  if (h.item_id != 0 && s.item_ids[h.item_id]++ > 0) {
    s.out.report.add("duplicate_history_item", "dropped",
                     {h.where, "history item " + *id + " was already read (overlapping pages)"});
    return {};
  }
  StageInfo& st = s.stage(h.stage);
  if (st.kind.empty()) {
    const std::string sem = json_text(item, "STAGE_SEMANTIC_ID").value_or("");
    if (sem == "S") st.kind = "won";
    if (sem == "F") st.kind = "lost";
    if (sem == "P") st.kind = "open";
  }
  s.history.push_back(std::move(h));
  return {};
}

// A deal of crm.deal.list (UPPER_CASE) or crm.item.list (camelCase).
Status read_deal(State& s, const Json& item, const std::string& file, const std::string& path, bool camel) {
  auto key = [camel](const char* upper, const char* lower) { return camel ? lower : upper; };
  const std::string id = json_text(item, key("ID", "id")).value_or("");
  if (id.empty()) return value_error(file, path, "a deal without an ID");
  DealInfo& d = s.deal(id, at_path(file, path));
  auto created = instant(item, key("DATE_CREATE", "createdTime"), s, file, path);
  if (!created) return created.status();
  std::map<std::string, std::string> vals;
  vals["created_at"] = detail::iso(*created);
  d.stage = json_text(item, key("STAGE_ID", "stageId")).value_or("");
  if (item.contains(key("CATEGORY_ID", "categoryId"))) {
    auto c = integer(item, key("CATEGORY_ID", "categoryId"), file, path);
    if (!c) return c.status();
    d.category = *c;
  } else if (!d.stage.empty()) {
    d.category = category_of_stage(d.stage);
  }
  const std::string amount = json_text(item, key("OPPORTUNITY", "opportunity")).value_or("");
  if (!amount.empty()) {
    std::string code = json_text(item, key("CURRENCY_ID", "currencyId")).value_or(s.options.default_currency);
    auto cur = Currency::parse(code);
    if (!cur)
      return value_error(file, path + "/" + key("CURRENCY_ID", "currencyId"),
                         "invalid currency '" + code + "' (expected an ISO 4217 code such as RUB)");
    auto a = detail::normalize_amount(amount, *cur, s.out.report, at_path(file, path));
    if (!a) return value_error(file, path + "/" + key("OPPORTUNITY", "opportunity"), a.status().message());
    vals["amount"] = *a;
    vals["currency"] = std::string(cur->code());
  }
  const std::string owner = json_text(item, key("ASSIGNED_BY_ID", "assignedById")).value_or("");
  if (!owner.empty() && owner != "0") vals["manager"] = owner;
  if (auto v = json_text(item, key("SOURCE_ID", "sourceId")); v && !v->empty()) vals["source"] = *v;
  if (auto v = json_text(item, key("COMPANY_ID", "companyId")); v && !v->empty() && *v != "0")
    vals["client"] = *v;
  if (auto v = json_text(item, key("IS_RETURN_CUSTOMER", "isReturnCustomer")); v && !v->empty())
    vals["business"] = (*v == "Y" || *v == "true") ? "repeat" : "new";
  if (auto v = json_text(item, key("TYPE_ID", "typeId")); v && !v->empty()) vals["type"] = *v;
  for (const auto& [from, to] : s.options.fields)
    if (auto v = json_text(item, from); v && !v->empty()) vals[to] = *v;
  if (auto v = json_text(item, key("CLOSEDATE", "closedate")); v && v->size() >= 10) {
    auto date = Date::parse(v->substr(0, 10));
    if (!date)
      return value_error(file, path + "/" + key("CLOSEDATE", "closedate"),
                         "invalid date '" + *v + "' (expected YYYY-MM-DD...)");
    vals["close_date"] = date->to_string();
  }
  if (auto v = json_text(item, key("PROBABILITY", "probability")); v && !v->empty()) {
    auto p = detail::normalize_percent(*v);
    if (!p) return value_error(file, path + "/" + key("PROBABILITY", "probability"), p.status().message());
    vals["probability"] = *p;
  }
  d.closed = json_text(item, key("CLOSED", "closed")).value_or("N") == "Y" ||
             json_text(item, key("CLOSED", "closed")).value_or("") == "true";
  // Several snapshots of one deal (DATE_MODIFY): the newest gives deals.csv, all give field changes.
  if (auto modified = json_text(item, key("DATE_MODIFY", "updatedTime")); modified && !modified->empty()) {
    auto m = detail::parse_timestamp(*modified, s.portal_offset());
    if (!m) return value_error(file, path + "/" + key("DATE_MODIFY", "updatedTime"), m.status().message());
    const bool newest = std::all_of(d.snapshots.begin(), d.snapshots.end(),
                                    [&](const auto& snap) { return snap.first <= *m; });
    d.snapshots.emplace_back(*m, vals);
    if (!newest) return {};
  }
  for (auto& [k, value] : vals) d.values[k] = value;
  return {};
}

// An array or {"items": [...]} payload: classified item by item.
Status read_payload(State& s, const Json& payload, const std::string& file, const std::string& path) {
  const Json* items = &payload;
  std::string base = path;
  if (payload.is_object() && payload.contains("items")) {
    items = &payload["items"];
    base += "/items";
  } else if (payload.is_object() && payload.contains("stages")) {
    items = &payload["stages"];
    base += "/stages";
  }
  if (!items->is_array())
    return value_error(file, base, "expected an array of items, got " + std::string(json_type_name(*items)));
  for (std::size_t i = 0; i < items->size(); ++i) {
    const Json& item = (*items)[i];
    const std::string p = base + "/" + std::to_string(i);
    ++s.items;
    if (!item.is_object())
      return value_error(file, p, "expected an object, got " + std::string(json_type_name(item)));
    Status st;
    if (item.contains("OWNER_ID") && item.contains("CREATED_TIME"))
      st = read_history_item(s, item, file, p);
    else if (item.contains("STATUS_ID") && item.contains("NAME"))
      st = read_stage(s, item, file, p);
    else if (item.contains("ID") && (item.contains("STAGE_ID") || item.contains("DATE_CREATE")))
      st = read_deal(s, item, file, p, false);
    else if (item.contains("id") && item.contains("stageId"))
      st = read_deal(s, item, file, p, true);
    else if (item.contains("ID") && item.contains("LAST_NAME")) {  // user.get
      std::string name = json_text(item, "NAME").value_or("");
      const std::string last = json_text(item, "LAST_NAME").value_or("");
      name += (name.empty() || last.empty() ? "" : " ") + last;
      if (!name.empty()) s.users[json_text(item, "ID").value_or("")] = name;
    } else if (item.contains("ID") && item.contains("NAME")) {
      auto c = integer(item, "ID", file, p);
      if (!c) return c.status();
      s.category_names[*c] = json_text(item, "NAME").value_or("");
    } else {
      return value_error(file, p,
                         "unrecognised item (expected a stage history item, a deal, a stage or a category)");
    }
    DEALFLOW_RETURN_IF_ERROR(st);
  }
  return {};
}

Status read_response(State& s, const Json& doc, const std::string& file, const std::string& path) {
  if (!doc.is_object())
    return value_error(file, path.empty() ? "/" : path, "expected a REST response object");
  if (doc.contains("response") && doc.contains("request"))  // a captured request/response pair
    return read_response(s, doc["response"], file, path + "/response");
  if (!doc.contains("result"))
    return value_error(file, path.empty() ? "/" : path,
                       doc.contains("error")
                           ? "the response is an error: " + json_text(doc, "error").value_or("")
                           : "expected a member 'result'");
  const Json& result = doc["result"];
  if (result.is_object() && result.contains("result") && result["result"].is_object()) {  // batch
    for (const auto& [cmd, payload] : result["result"].items())
      DEALFLOW_RETURN_IF_ERROR(
          read_payload(s, payload, file, path + "/result/result/" + json_pointer_escape(cmd)));
    return {};
  }
  return read_payload(s, result, file, path + "/result");
}

}  // namespace

Status read_json(State& s, const std::string& text, const std::string& file) {
  auto doc = parse_json(text, file);
  if (!doc) return doc.status();
  const std::size_t items_before = s.items;
  if (doc->is_array()) {  // several pages saved in one file
    for (std::size_t i = 0; i < doc->size(); ++i)
      DEALFLOW_RETURN_IF_ERROR(read_response(s, (*doc)[i], file, "/" + std::to_string(i)));
  } else {
    DEALFLOW_RETURN_IF_ERROR(read_response(s, *doc, file, ""));
  }
  s.out.report.rows_read[file] = s.items - items_before;
  return {};
}

}  // namespace dealflow::import::bitrix24_detail
