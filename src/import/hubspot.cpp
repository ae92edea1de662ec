// HubSpot: entry point, the pipelines and owners responses, and the CRM API
// deals with propertiesWithHistory (include/dealflow/import/hubspot.h).
#include "dealflow/import/hubspot.h"

#include <algorithm>

#include "import/hubspot_internal.h"

namespace dealflow::import {
namespace detail::hubspot {
namespace {

std::string ptr(const std::string& base, std::string_view key) {
  return base + "/" + json_pointer_escape(key);
}

// A history entry of one property: value and instant, in file order.
struct Entry {
  std::string value;
  Instant at;
  std::string path;
  std::string actor;
};

// propertiesWithHistory/<name>, oldest first (HubSpot lists newest first; equal
// instants keep their oldest-first order).
Result<std::vector<Entry>> history_of(const Json& deal, const std::string& file, const std::string& base,
                                      std::string_view name) {
  std::vector<Entry> out;
  auto h = deal.find("propertiesWithHistory");
  if (h == deal.end() || !h->is_object()) return out;
  auto list = h->find(std::string(name));
  if (list == h->end() || list->is_null()) return out;
  const std::string path = ptr(ptr(base, "propertiesWithHistory"), name);
  if (!list->is_array()) return json_error(file, path, "expected an array of {value, timestamp}");
  for (std::size_t i = list->size(); i-- > 0;) {
    const Json& e = (*list)[i];
    const std::string at_path = path + "/" + std::to_string(i);
    auto ts = json_text(e, "timestamp");
    if (!ts) return json_error(file, at_path + "/timestamp", "missing timestamp (expected ISO 8601 text)");
    auto t = parse_timestamp(*ts, 0);
    if (!t) return json_error(file, at_path + "/timestamp", t.status().message());
    out.push_back(
        {json_text(e, "value").value_or(""), *t, at_path, json_text(e, "updatedByUserId").value_or("")});
  }
  std::stable_sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.at < b.at; });
  return out;
}

}  // namespace

std::optional<std::string> Catalog::stage_id(std::size_t p, const std::string& text) const {
  for (const auto& s : pipelines[p].stages)
    if (s.id == text) return s.id;
  for (const auto& s : pipelines[p].stages)
    if (s.name == text) return s.id;
  return std::nullopt;
}

Result<Catalog> read_pipelines(const Json& doc, const std::string& file) {
  Catalog c;
  const Json& results = doc["results"];
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Json& p = results[i];
    const std::string path = "/results/" + std::to_string(i);
    auto id = json_text(p, "id");
    if (!id || id->empty()) return json_error(file, path + "/id", "missing pipeline id");
    CanonicalPipeline out;
    out.id = *id;
    out.name = json_text(p, "label").value_or(*id);
    const Json* stages = p.contains("stages") && p["stages"].is_array() ? &p["stages"] : nullptr;
    if (!stages) return json_error(file, path + "/stages", "expected an array of stages");
    std::vector<std::pair<double, CanonicalStage>> ordered;
    for (std::size_t k = 0; k < stages->size(); ++k) {
      const Json& s = (*stages)[k];
      const std::string spath = path + "/stages/" + std::to_string(k);
      auto sid = json_text(s, "id");
      if (!sid || sid->empty()) return json_error(file, spath + "/id", "missing stage id");
      CanonicalStage st;
      st.id = *sid;
      st.name = json_text(s, "label").value_or(*sid);
      const Json meta = s.contains("metadata") ? s["metadata"] : Json::object();
      const std::string closed = json_text(meta, "isClosed").value_or("false");
      if (closed != "true" && closed != "false")
        return json_error(file, spath + "/metadata/isClosed", "expected true or false, got '" + closed + "'");
      std::optional<double> probability;
      if (auto pr = json_text(meta, "probability")) {
        char* end = nullptr;
        const double v = std::strtod(pr->c_str(), &end);
        if (pr->empty() || *end != '\0' || !(v >= 0 && v <= 1))
          return json_error(file, spath + "/metadata/probability",
                            "invalid probability '" + *pr + "': expected a number from 0 to 1");
        probability = v;
      }
      // HubSpot's closedWon: a closed stage at probability 1.0; any other closed stage is lost.
      st.kind = closed == "false" ? "open" : (probability && *probability == 1.0 ? "won" : "lost");
      st.probability = probability;
      double order = static_cast<double>(k);
      if (auto o = json_text(s, "displayOrder")) order = std::strtod(o->c_str(), nullptr);
      ordered.emplace_back(order, std::move(st));
    }
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [order, st] : ordered) {
      c.pipeline_by_stage[st.id] = c.pipelines.size();
      out.stages.push_back(std::move(st));
    }
    c.pipeline_by_id[out.id] = c.pipelines.size();
    c.pipeline_by_label[out.name] = c.pipelines.size();
    c.pipelines.push_back(std::move(out));
  }
  return c;
}

Result<std::map<std::string, std::string>> read_owners(const Json& doc, const std::string&) {
  std::map<std::string, std::string> owners;
  for (const Json& o : doc["results"]) {
    auto id = json_text(o, "id");
    if (!id) continue;
    std::string name = json_text(o, "firstName").value_or("");
    const std::string last = json_text(o, "lastName").value_or("");
    if (!last.empty()) name += (name.empty() ? "" : " ") + last;
    if (name.empty()) name = json_text(o, "email").value_or(*id);
    owners[*id] = name;
  }
  return owners;
}

Status read_api_deals(const Json& doc, const std::string& file, const Catalog& catalog,
                      const std::map<std::string, std::string>& owners, const ImportOptions& options,
                      ExportBuilder& out) {
  ImportReport& report = out.report();
  const Json& results = doc["results"];
  report.rows_read[file] += results.size();
  auto owner_name = [&](const std::string& id) {
    auto it = owners.find(id);
    return it == owners.end() ? id : it->second;
  };
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Json& deal = results[i];
    const std::string base = "/results/" + std::to_string(i);
    const Json props = deal.contains("properties") ? deal["properties"] : Json::object();
    const std::string pbase = base + "/properties";
    BuiltDeal d;
    d.id = json_text(deal, "id").value_or("");
    if (d.id.empty()) return json_error(file, base + "/id", "missing deal id");
    auto created_text = json_text(props, "createdate");
    if (!created_text)
      return json_error(file, pbase + "/createdate", "missing createdate (expected ISO 8601 text)");
    auto created = parse_timestamp(*created_text, 0);
    if (!created) return json_error(file, pbase + "/createdate", created.status().message());
    d.created_at = *created;

    const std::string current_stage = json_text(props, "dealstage").value_or("");
    auto stage_pipeline = [&](const std::string& stage, const std::string& path) -> Result<std::size_t> {
      auto it = catalog.pipeline_by_stage.find(stage);
      if (it == catalog.pipeline_by_stage.end())
        return json_error(
            file, path, "unknown deal stage '" + stage + "': expected a stage id of the pipelines response");
      return it->second;
    };
    std::string pipeline = json_text(props, "pipeline").value_or("");
    if (pipeline.empty() || !catalog.pipeline_by_id.count(pipeline)) {
      if (!pipeline.empty())
        return json_error(file, pbase + "/pipeline",
                          "unknown pipeline '" + pipeline + "': not in the pipelines response");
      auto p = stage_pipeline(current_stage, pbase + "/dealstage");
      if (!p) return p.status();
      pipeline = catalog.pipelines[*p].id;
    }
    d.pipeline = pipeline;

    std::string currency_text = json_text(props, "deal_currency_code").value_or("");
    if (currency_text.empty()) currency_text = options.default_currency;
    Currency currency;
    if (!currency_text.empty()) {
      auto c = Currency::parse(currency_text);
      if (!c)
        return json_error(file, pbase + "/deal_currency_code",
                          "invalid currency '" + currency_text + "': expected an ISO 4217 code");
      currency = *c;
    }
    auto amount_of = [&](const std::string& raw, const std::string& path) -> Result<std::string> {
      auto a = normalize_amount(raw, currency, report, file + ":" + path);
      if (!a) return json_error(file, path, a.status().message());
      return a;
    };
    if (auto amount = json_text(props, "amount"); amount && !amount->empty()) {
      if (currency.empty()) {
        report.add(
            "amount_without_currency", "dropped",
            {file + ":" + pbase + "/amount", "deal " + d.id + ": no deal_currency_code (and no --currency)"});
      } else {
        auto a = amount_of(*amount, pbase + "/amount");
        if (!a) return a.status();
        d.amount = *a;
        d.currency = std::string(currency.code());
      }
    }
    if (auto owner = json_text(props, "hubspot_owner_id"); owner && !owner->empty())
      d.values["manager"] = owner_name(*owner);
    if (auto close = json_text(props, "closedate"); close && !close->empty()) {
      auto t = parse_timestamp(*close, 0);
      if (!t) return json_error(file, pbase + "/closedate", t.status().message());
      d.values["close_date"] = t->date().to_string();
    }
    if (auto reason = json_text(props, "closed_lost_reason")) d.values["lost_reason"] = *reason;
    if (auto prob = json_text(props, "hs_deal_stage_probability"); prob && !prob->empty()) {
      auto p = percent_from_fraction(*prob);
      if (!p) return json_error(file, pbase + "/hs_deal_stage_probability", p.status().message());
      d.values["probability"] = *p;
    }
    if (auto fc = json_text(props, "hs_forecast_category")) d.values["forecast_category"] = *fc;
    // HubSpot's standard deal type ("newbusiness" / "existingbusiness", or a
    // portal's own values) is the new-vs-repeat split of the scorecard.
    if (auto type = json_text(props, "dealtype"); type && !type->empty()) d.values["business"] = *type;
    for (const auto& [from, to] : options.fields)
      if (auto v = json_text(props, from); v && !v->empty()) d.values[to] = *v;
    if (out.find_deal(d.id)) return json_error(file, base + "/id", "duplicate deal id '" + d.id + "'");
    const std::string id = d.id;
    const Instant created_at = d.created_at;
    out.add_deal(std::move(d));

    // The value a deal was created with is a change at its creation; nothing precedes it.
    auto when = [&](Instant t, const std::string& path) {
      if (t >= created_at) return t;
      report.add("change_before_creation", "repaired",
                 {file + ":" + path,
                  "deal " + id + ": " + iso(t) + " before createdate, moved to " + iso(created_at)});
      return created_at;
    };
    auto stages = history_of(deal, file, base, "dealstage");
    if (!stages) return stages.status();
    if (stages->empty()) {
      auto p = stage_pipeline(current_stage, pbase + "/dealstage");
      if (!p) return p.status();
      report.add("no_stage_history", "noted",
                 {file + ":" + base,
                  "deal " + id + ": no propertiesWithHistory.dealstage; current stage at createdate"});
      out.add_event(id, created_at, current_stage, catalog.pipelines[*p].id);
    }
    for (const Entry& e : *stages) {
      auto p = stage_pipeline(e.value, e.path + "/value");
      if (!p) return p.status();
      out.add_event(id, when(e.at, e.path), e.value, catalog.pipelines[*p].id, e.actor);
    }
    auto amounts = history_of(deal, file, base, "amount");
    if (!amounts) return amounts.status();
    for (const Entry& e : *amounts) {
      if (currency.empty()) break;
      if (e.value.empty()) {
        out.add_change(id, when(e.at, e.path), "amount", "");
        continue;
      }
      auto a = amount_of(e.value, e.path + "/value");
      if (!a) return a.status();
      out.add_change(id, when(e.at, e.path), "amount", *a);
    }
    auto closes = history_of(deal, file, base, "closedate");
    if (!closes) return closes.status();
    for (const Entry& e : *closes) {
      std::string value;
      if (!e.value.empty()) {
        auto t = parse_timestamp(e.value, 0);
        if (!t) return json_error(file, e.path + "/value", t.status().message());
        value = t->date().to_string();
      }
      out.add_change(id, when(e.at, e.path), "close_date", value);
    }
    auto owners_h = history_of(deal, file, base, "hubspot_owner_id");
    if (!owners_h) return owners_h.status();
    for (const Entry& e : *owners_h)
      out.add_change(id, when(e.at, e.path), "manager", e.value.empty() ? "" : owner_name(e.value));
    auto probabilities = history_of(deal, file, base, "hs_deal_stage_probability");
    if (!probabilities) return probabilities.status();
    for (const Entry& e : *probabilities) {
      std::string value;
      if (!e.value.empty()) {
        auto pct = percent_from_fraction(e.value);
        if (!pct) return json_error(file, e.path + "/value", pct.status().message());
        value = *pct;
      }
      out.add_change(id, when(e.at, e.path), "probability", value);
    }
  }
  return {};
}

}  // namespace detail::hubspot

Result<CanonicalExport> import_hubspot(const std::vector<std::string>& paths, const ImportOptions& options) {
  using namespace detail;
  using namespace detail::hubspot;
  DEALFLOW_RETURN_IF_ERROR(check_field_map(options));
  ExportBuilder out("hubspot");
  ImportReport& report = out.report();
  std::vector<InputFile> csvs;
  std::vector<std::pair<InputFile, Json>> deal_docs;
  Catalog catalog;
  std::map<std::string, std::string> owners;
  bool have_pipelines = false;
  for (const auto& path : paths) {
    auto file = read_input(path, options, io::Encoding::windows1252, report);
    if (!file) return file.status();
    if (first_char(file->text) != '{') {
      csvs.push_back(std::move(*file));
      continue;
    }
    auto doc = parse_json(file->text, file->name);
    if (!doc) return doc.status();
    if (!doc->is_object() || !doc->contains("results") || !(*doc)["results"].is_array())
      return json_error(file->name, "/results", "expected a HubSpot response with a \"results\" array");
    const Json& results = (*doc)["results"];
    const Json first = results.empty() ? Json::object() : results[0];
    if (first.contains("stages")) {
      if (have_pipelines) return json_error(file->name, "/results", "a second pipelines response");
      auto c = read_pipelines(*doc, file->name);
      if (!c) return c.status();
      catalog = std::move(*c);
      have_pipelines = true;
      report.rows_read[file->name] += results.size();
    } else if (first.contains("properties") || first.contains("propertiesWithHistory")) {
      deal_docs.emplace_back(std::move(*file), std::move(*doc));
    } else {
      auto o = read_owners(*doc, file->name);
      if (!o) return o.status();
      owners.insert(o->begin(), o->end());
      report.rows_read[file->name] += results.size();
    }
  }
  if (!deal_docs.empty() && !have_pipelines)
    return Status(ErrorCode::invalid_argument,
                  "HubSpot API deals need the pipelines response (/crm/v3/pipelines/deals) for stage kinds",
                  Location{deal_docs.front().first.name, 0, 0, "/results"});
  if (deal_docs.empty() && csvs.empty())
    return Status(ErrorCode::invalid_argument,
                  "no HubSpot deals among the inputs (a deals CSV export or API deals JSON)");
  for (const auto& [file, doc] : deal_docs)
    DEALFLOW_RETURN_IF_ERROR(read_api_deals(doc, file.name, catalog, owners, options, out));
  for (const auto& file : csvs) DEALFLOW_RETURN_IF_ERROR(read_csv_deals(file, catalog, options, out));
  if (!deal_docs.empty()) {
    report.notes.push_back(
        "API deals: full stage history from propertiesWithHistory.dealstage; amount, close "
        "date and owner changes from their property histories");
  }
  if (have_pipelines) {
    for (auto& p : catalog.pipelines) out.add_pipeline(std::move(p));
    report.notes.push_back(
        "stage kinds from the pipelines response: isClosed with probability 1.0 is won, "
        "any other closed stage lost");
  }
  return out.finish();
}

}  // namespace dealflow::import
