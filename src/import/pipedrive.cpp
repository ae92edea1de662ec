// Pipedrive: reading the deals CSV, flow, stages and pipelines files
// (include/dealflow/import/pipedrive.h).
#include "dealflow/import/pipedrive.h"

#include <algorithm>

#include "import/pipedrive_internal.h"

namespace dealflow::import {
namespace detail::pipedrive {
namespace {

// The `data` arrays of a file: one response object, or an array of them.
std::vector<std::pair<const Json*, std::string>> data_arrays(const Json& doc) {
  std::vector<std::pair<const Json*, std::string>> out;
  auto one = [&](const Json& r, const std::string& base) {
    if (r.is_object() && r.contains("data") && r["data"].is_array())
      out.emplace_back(&r["data"], base + "/data");
  };
  if (doc.is_array()) {
    for (std::size_t i = 0; i < doc.size(); ++i) one(doc[i], "/" + std::to_string(i));
  } else {
    one(doc, "");
  }
  return out;
}

enum class Kind { flow, stages, pipelines, unknown };

Kind kind_of(const Json& doc) {
  for (const auto& [data, path] : data_arrays(doc)) {
    for (const Json& item : *data) {
      if (!item.is_object()) continue;
      if (item.contains("object")) return Kind::flow;
      if (item.contains("pipeline_id")) return Kind::stages;
      if (item.contains("name")) return Kind::pipelines;
    }
  }
  return doc.is_object() && doc.contains("data") ? Kind::flow : Kind::unknown;  // an empty flow
}

Result<std::vector<FlowChange>> read_flow(const Json& doc, const std::string& file, ImportReport& report) {
  std::vector<FlowChange> out;
  for (const auto& [data, base] : data_arrays(doc)) {
    std::vector<FlowChange> part;
    for (std::size_t i = 0; i < data->size(); ++i) {
      const Json& item = (*data)[i];
      const std::string path = base + "/" + std::to_string(i);
      report.rows_read[file] += 1;
      if (json_text(item, "object").value_or("") != "dealChange") continue;
      if (!item.contains("data") || !item["data"].is_object())
        return json_error(file, path + "/data", "expected the change object");
      const Json& d = item["data"];
      FlowChange c;
      c.file = file;
      c.path = path + "/data";
      c.where = file + ": at " + c.path;
      c.deal = json_text(d, "item_id").value_or("");
      if (c.deal.empty()) return json_error(file, path + "/data/item_id", "missing item_id (the deal's id)");
      c.field = json_text(d, "field_key").value_or("");
      auto log_time = json_text(d, "log_time");
      if (!log_time)
        return json_error(file, path + "/data/log_time", "missing log_time (YYYY-MM-DD HH:MM:SS, UTC)");
      auto t = parse_timestamp(*log_time, 0);
      if (!t) return json_error(file, path + "/data/log_time", t.status().message());
      c.at = *t;
      c.old_value = json_text(d, "old_value").value_or("");
      c.new_value = json_text(d, "new_value").value_or("");
      if (d.contains("additional_data") && d["additional_data"].is_object()) {
        const Json& a = d["additional_data"];
        if (auto v = json_text(a, "old_value_formatted")) {
          c.old_value = *v;
          c.formatted = true;
        }
        if (auto v = json_text(a, "new_value_formatted")) {
          c.new_value = *v;
          c.formatted = true;
        }
      }
      part.push_back(std::move(c));
    }
    // /flow lists the newest first: read such a page backwards so equal instants keep their real order.
    if (part.size() > 1 && part.front().at > part.back().at) std::reverse(part.begin(), part.end());
    for (auto& c : part) {
      c.seq = out.size();
      out.push_back(std::move(c));
    }
  }
  return out;
}

void add_terminal_stages(CanonicalPipeline& p) {
  p.stages.push_back({std::string(kWon), "Won", "won", 1.0});
  p.stages.push_back({std::string(kLost), "Lost", "lost", 0.0});
}

// The stages list (and pipeline names) as a catalog with Pipedrive's ids.
Result<Catalog> read_catalog(const Json* stages_doc, const std::string& stages_file,
                             const Json* pipelines_doc) {
  Catalog c;
  c.from_api = true;
  std::map<std::string, std::string> names;  // pipeline id -> name
  if (pipelines_doc) {
    for (const auto& [data, base] : data_arrays(*pipelines_doc))
      for (const Json& p : *data)
        if (auto id = json_text(p, "id")) names[*id] = json_text(p, "name").value_or(*id);
  }
  struct Row {
    std::string pipeline;
    double order;
    std::size_t seq;
    CanonicalStage stage;
  };
  std::vector<Row> rows;
  for (const auto& [data, base] : data_arrays(*stages_doc)) {
    for (std::size_t i = 0; i < data->size(); ++i) {
      const Json& s = (*data)[i];
      const std::string path = base + "/" + std::to_string(i);
      auto id = json_text(s, "id");
      auto pipeline = json_text(s, "pipeline_id");
      if (!id || id->empty()) return json_error(stages_file, path + "/id", "missing stage id");
      if (!pipeline || pipeline->empty())
        return json_error(stages_file, path + "/pipeline_id", "missing pipeline_id");
      if (*id == kWon || *id == kLost)
        return json_error(stages_file, path + "/id",
                          "stage id '" + *id + "' is reserved for the synthetic stages");
      CanonicalStage st{*id, json_text(s, "name").value_or(*id), "open", std::nullopt};
      if (auto pr = json_text(s, "deal_probability"); pr && !pr->empty()) {
        char* end = nullptr;
        const double v = std::strtod(pr->c_str(), &end);
        if (*end != '\0' || !(v >= 0 && v <= 100))
          return json_error(stages_file, path + "/deal_probability",
                            "invalid probability '" + *pr + "': expected a percent from 0 to 100");
        st.probability = v / 100.0;
      }
      if (!names.count(*pipeline)) names[*pipeline] = json_text(s, "pipeline_name").value_or(*pipeline);
      const double order = std::strtod(json_text(s, "order_nr").value_or("0").c_str(), nullptr);
      rows.push_back({*pipeline, order, rows.size(), std::move(st)});
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.order < b.order; });
  for (const auto& [id, name] : names) {
    c.pipeline_by_id[id] = c.pipelines.size();
    c.pipeline_by_name[name] = c.pipelines.size();
    c.pipelines.push_back({id, name, {}, {}});
  }
  for (auto& r : rows) {
    const std::size_t p = c.pipeline_by_id[r.pipeline];
    c.pipeline_of_stage[r.stage.id] = p;
    c.pipelines[p].stages.push_back(std::move(r.stage));
  }
  for (auto& p : c.pipelines) add_terminal_stages(p);
  return c;
}

Result<std::vector<CsvDeal>> read_csv(const InputFile& file, Catalog& catalog, const ImportOptions& options,
                                      ImportReport& report) {
  auto table = read_table(file.text, guess_separator(file.text), file.name);
  if (!table) return table.status();
  const Table& t = *table;
  report.rows_read[file.name] += t.rows.size();
  const auto col_id = t.column("Deal - ID");
  const auto col_created = t.column("Deal - Deal created");
  const auto col_stage = t.column("Deal - Stage");
  if (!col_id) return t.missing("Deal - ID");
  if (!col_created) return t.missing("Deal - Deal created");
  if (!col_stage) return t.missing("Deal - Stage");
  const auto col_pipeline = t.column("Deal - Pipeline");
  const auto col_value = t.column("Deal - Value");
  const auto col_currency = t.column("Deal - Currency");
  const auto col_owner = t.column("Deal - Owner");
  const auto col_won = t.column("Deal - Won time");
  const auto col_lost = t.column("Deal - Lost time");
  const auto col_status = t.column("Deal - Status");
  const auto col_close = t.column("Deal - Expected close date");
  const auto col_reason = t.column("Deal - Lost reason");
  const auto col_probability = t.column("Deal - Probability");
  const auto col_organization = t.column("Deal - Organization");
  std::vector<std::pair<std::optional<std::size_t>, std::string>> custom;  // ImportOptions::fields
  for (const auto& [from, to] : options.fields) custom.emplace_back(t.column(from), to);
  const int offset = options.utc_offset_minutes.value_or(0);
  std::vector<CsvDeal> out;
  for (const Record& r : t.rows) {
    auto field = [&](std::optional<std::size_t> c) {
      return c ? std::string(trim_blank(r.fields[*c])) : std::string();
    };
    CsvDeal row;
    row.where = t.where_line(r);
    row.id_location = t.where(r, *col_id);
    BuiltDeal& d = row.deal;
    d.id = field(col_id);
    if (d.id.empty()) return t.error(r, *col_id, "empty deal id");
    auto created = parse_timestamp(field(col_created), offset);
    if (!created) return t.error(r, *col_created, created.status().message());
    d.created_at = *created;
    // The deal's pipeline and stage: by name, in the stages list or inferred from the export.
    const std::string pipeline_name = field(col_pipeline);
    const std::string stage_name = field(col_stage);
    if (stage_name.empty()) return t.error(r, *col_stage, "empty stage");
    std::optional<std::size_t> p;
    if (auto it = catalog.pipeline_by_name.find(pipeline_name); it != catalog.pipeline_by_name.end())
      p = it->second;
    if (!p && catalog.from_api) {
      if (auto it = catalog.pipeline_by_id.find(pipeline_name); it != catalog.pipeline_by_id.end())
        p = it->second;
    }
    if (!p && catalog.from_api && !pipeline_name.empty()) {
      // Without /v1/pipelines the stages list names pipelines by id only: one such pipeline takes the CSV's
      // name.
      std::vector<std::size_t> unnamed;
      for (std::size_t i = 0; i < catalog.pipelines.size(); ++i)
        if (catalog.pipelines[i].name == catalog.pipelines[i].id) unnamed.push_back(i);
      if (unnamed.size() == 1) {
        p = unnamed.front();
        catalog.pipelines[*p].name = pipeline_name;
        catalog.pipeline_by_name[pipeline_name] = *p;
      }
    }
    if (!p && catalog.from_api) {
      if (!pipeline_name.empty() || catalog.pipelines.size() != 1)
        return t.error(r, col_pipeline ? *col_pipeline : *col_stage,
                       "unknown pipeline '" + pipeline_name + "': not in the stages/pipelines lists");
      p = 0;
    }
    if (!p) {
      p = catalog.pipelines.size();
      const std::string name = pipeline_name.empty() ? "Pipedrive" : pipeline_name;
      catalog.pipeline_by_name[pipeline_name] = *p;
      catalog.pipelines.push_back({slug(name), name, {}, {}});
    }
    CanonicalPipeline& pipeline = catalog.pipelines[*p];
    const CanonicalStage* stage = nullptr;
    for (const auto& s : pipeline.stages)
      if (s.kind == "open" && (s.name == stage_name || (!catalog.from_api && s.id == stage_name))) stage = &s;
    if (!stage && catalog.from_api)
      return t.error(r, *col_stage, "unknown stage '" + stage_name + "' in pipeline '" + pipeline.name + "'");
    if (!stage) {
      pipeline.stages.push_back({stage_name, stage_name, "open", std::nullopt});
      catalog.pipeline_of_stage[stage_name] = *p;
      stage = &pipeline.stages.back();
    }
    row.stage = stage->id;
    d.pipeline = pipeline.id;
    row.status = col_status ? field(col_status) : "open";
    if (row.status != "open" && row.status != "won" && row.status != "lost")
      return t.error(r, *col_status, "invalid status '" + row.status + "': expected open, won or lost");
    for (auto [col, slot] : {std::pair{col_won, &row.won_time}, std::pair{col_lost, &row.lost_time}}) {
      if (const std::string v = field(col); !v.empty()) {
        auto at = parse_timestamp(v, offset);
        if (!at) return t.error(r, *col, at.status().message());
        *slot = *at;
      }
    }
    if (const std::string value = field(col_value); !value.empty()) {
      const std::string code = !field(col_currency).empty() ? field(col_currency) : options.default_currency;
      auto c = Currency::parse(code);
      if (!c) {
        if (!code.empty())
          return t.error(r, col_currency ? *col_currency : *col_value,
                         "invalid currency '" + code + "': expected an ISO 4217 code");
        report.add("amount_without_currency", "dropped",
                   {row.where, "deal " + d.id + ": no Deal - Currency"});
      } else {
        auto a = normalize_amount(value, *c, report, row.where);
        if (!a) return t.error(r, *col_value, a.status().message());
        d.amount = *a;
        d.currency = std::string(c->code());
      }
    }
    if (auto v = field(col_owner); !v.empty()) d.values["manager"] = v;
    if (auto v = field(col_reason); !v.empty()) d.values["lost_reason"] = v;
    if (auto v = field(col_organization); !v.empty()) d.values["client"] = v;
    for (const auto& [col, to] : custom)
      if (auto v = field(col); !v.empty()) d.values[to] = v;
    if (auto v = field(col_close); !v.empty()) {
      auto date = Date::parse(v.substr(0, 10));
      if (!date) return t.error(r, *col_close, "invalid date '" + v + "': expected YYYY-MM-DD");
      d.values["close_date"] = date->to_string();
    }
    if (auto v = field(col_probability); !v.empty()) {
      auto pr = normalize_percent(v);
      if (!pr) return t.error(r, *col_probability, pr.status().message());
      d.values["probability"] = *pr;
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace
}  // namespace detail::pipedrive

Result<CanonicalExport> import_pipedrive(const std::vector<std::string>& paths,
                                         const ImportOptions& options) {
  using namespace detail;
  using namespace detail::pipedrive;
  DEALFLOW_RETURN_IF_ERROR(check_field_map(options));
  ExportBuilder out("pipedrive");
  ImportReport& report = out.report();
  std::vector<InputFile> csvs;
  std::vector<std::pair<std::string, Json>> flows;
  std::optional<std::pair<std::string, Json>> stages_doc, pipelines_doc;
  for (const auto& path : paths) {
    auto file = read_input(path, options, io::Encoding::windows1252, report);
    if (!file) return file.status();
    const char first = first_char(file->text);
    if (first != '{' && first != '[') {
      csvs.push_back(std::move(*file));
      continue;
    }
    auto doc = parse_json(file->text, file->name);
    if (!doc) return doc.status();
    switch (kind_of(*doc)) {
      case Kind::flow:
        flows.emplace_back(file->name, std::move(*doc));
        break;
      case Kind::stages:
        stages_doc.emplace(file->name, std::move(*doc));
        break;
      case Kind::pipelines:
        pipelines_doc.emplace(file->name, std::move(*doc));
        break;
      case Kind::unknown:
        return json_error(
            file->name, "/data",
            "not a Pipedrive response: expected {\"data\": [...]} of flow, stages or pipelines");
    }
  }
  if (csvs.empty())
    return Status(ErrorCode::invalid_argument, "no Pipedrive deals CSV export among the inputs");
  Catalog catalog;
  if (stages_doc) {
    auto c = read_catalog(&stages_doc->second, stages_doc->first,
                          pipelines_doc ? &pipelines_doc->second : nullptr);
    if (!c) return c.status();
    catalog = std::move(*c);
    for (const auto& [data, base] : data_arrays(stages_doc->second))
      report.rows_read[stages_doc->first] += data->size();
  }
  if (pipelines_doc)
    for (const auto& [data, base] : data_arrays(pipelines_doc->second))
      report.rows_read[pipelines_doc->first] += data->size();
  std::map<std::string, std::vector<FlowChange>> by_deal;
  for (const auto& [name, doc] : flows) {
    auto changes = read_flow(doc, name, report);
    if (!changes) return changes.status();
    for (auto& ch : *changes) {
      if (ch.field == "stage_id" && !catalog.from_api)
        return Status(
            ErrorCode::invalid_argument,
            "a flow changes stage_id but no stages list (/v1/stages) was given to turn stage ids into stages",
            ch.at_key("field_key"));
      by_deal[ch.deal].push_back(std::move(ch));
    }
  }
  for (auto& [deal, changes] : by_deal)
    std::stable_sort(changes.begin(), changes.end(), [](const FlowChange& a, const FlowChange& b) {
      return a.at != b.at ? a.at < b.at : a.seq < b.seq;
    });
  std::vector<CsvDeal> rows;
  for (const auto& file : csvs) {
    auto part = read_csv(file, catalog, options, report);
    if (!part) return part.status();
    for (auto& r : *part) rows.push_back(std::move(r));
  }
  if (!catalog.from_api)
    for (auto& p : catalog.pipelines) detail::pipedrive::add_terminal_stages(p);
  static const std::vector<FlowChange> kNone;
  for (const auto& row : rows) {
    if (out.find_deal(row.deal.id))
      return Status(ErrorCode::duplicate, "duplicate deal id '" + row.deal.id + "'", row.id_location);
    auto it = by_deal.find(row.deal.id);
    DEALFLOW_RETURN_IF_ERROR(build_deal(row, it == by_deal.end() ? kNone : it->second, catalog, out));
  }
  for (const auto& [deal, changes] : by_deal)
    if (!out.find_deal(deal))
      return Status(ErrorCode::not_found, "flow of deal '" + deal + "', which is not in the deals CSV",
                    Location{changes.front().file, 0, 0, changes.front().path});
  for (auto& p : catalog.pipelines) out.add_pipeline(std::move(p));
  report.notes.push_back(
      "won and lost are statuses in Pipedrive: each pipeline has the synthetic stages 'won' and "
      "'lost'; a status back to open is a reopen into the deal's stage");
  if (flows.empty())
    report.notes.push_back(
        "no flow: each deal's history is its current stage at creation, then won/lost at its "
        "Won/Lost time; no field changes, no reopens");
  return out.finish();
}

}  // namespace dealflow::import
