// The mapping file of the `mapped` importer (include/dealflow/import/mapped.h,
// docs/import.md "mapped"): parsed and checked, every error at its JSON path.
#include <algorithm>
#include <array>
#include <set>

#include "import/mapped_builder.h"
#include "import/mapped_internal.h"

namespace dealflow::import::detail::mapped {
namespace {

constexpr std::array<std::string_view, 12> kRoles = {"id",         "created_at",  "stage",       "at",
                                                     "outcome",    "owner",       "amount",      "currency",
                                                     "close_date", "probability", "lost_reason", "actor"};

Result<std::string> nonempty_string(const JsonReader& r) {
  auto s = r.as_string();
  if (!s) return s.status();
  if (s->empty()) return r.error("expected a non-empty string");
  return s;
}

Status read_stages(const JsonReader& root, Mapping& m) {
  auto stages = root.array("stages", true);
  if (!stages) return stages.status();
  if (stages->empty()) return root.error_at("stages", "expected at least one stage");
  std::set<std::string> ids;
  bool any_open = false;
  for (const JsonReader& s : *stages) {
    DEALFLOW_RETURN_IF_ERROR(s.require_object());
    DEALFLOW_RETURN_IF_ERROR(s.reject_unknown_keys({"id", "name", "kind", "probability", "values"}));
    auto id = s.required_string("id");
    if (!id) return id.status();
    if (id->empty()) return s.error_at("id", "expected a non-empty stage id");
    if (!ids.insert(*id).second) return s.error_at("id", "duplicate stage id '" + *id + "'");
    auto name = s.optional_string("name", *id);
    if (!name) return name.status();
    auto kind = s.required_string("kind");
    if (!kind) return kind.status();
    if (*kind != "open" && *kind != "won" && *kind != "lost")
      return s.error_at("kind", "expected one of open|won|lost, got '" + *kind + "'");
    any_open = any_open || *kind == "open";
    CanonicalStage st{*id, *name, *kind, std::nullopt};
    if (s.has("probability")) {
      auto p = s.required_number("probability");
      if (!p) return p.status();
      if (!(*p >= 0 && *p <= 1)) return s.error_at("probability", "expected a number from 0 to 1");
      st.probability = *p;
    }
    // The CSV values meaning this stage: "values", else its id and name.
    std::vector<std::string> values;
    if (s.has("values")) {
      auto v = s.string_array("values");
      if (!v) return v.status();
      values = *v;
    } else {
      values = {*id, *name};
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
      auto [it, fresh] = m.stage_values.try_emplace(values[i], *id);
      if (!fresh && it->second != *id)
        return s.get("values")
                   ? s.get("values")->at(i).error("value '" + values[i] + "' already means stage '" +
                                                  it->second + "'")
                   : s.error_at("name", "value '" + values[i] + "' already means stage '" + it->second + "'");
    }
    m.pipeline.stages.push_back(std::move(st));
  }
  if (!any_open) return root.error_at("stages", "expected at least one open stage");
  return {};
}

Result<ColumnRef> column_ref(const JsonReader& r) {
  auto name = nonempty_string(r);
  if (!name) return name.status();
  return ColumnRef{*name, r.path()};
}

bool has_stage(const Mapping& m, const std::string& id) {
  return std::any_of(m.pipeline.stages.begin(), m.pipeline.stages.end(), [&](auto& s) { return s.id == id; });
}

}  // namespace

Result<Mapping> parse_mapping(const Json& doc, const std::string& file, const std::string& default_currency) {
  Mapping m;
  m.file = file;
  JsonReader root(doc, file);
  DEALFLOW_RETURN_IF_ERROR(root.require_object());
  DEALFLOW_RETURN_IF_ERROR(root.reject_unknown_keys(
      {"shape", "encoding", "separator", "utc_offset", "date_format", "date_formats", "pipeline", "stages",
       "columns", "dimensions", "currency", "outcomes", "stage_dates", "description"}));
  auto shape = root.required_string("shape");
  if (!shape) return shape.status();
  if (*shape != "event" && *shape != "snapshot")
    return root.error_at("shape", "expected one of event|snapshot, got '" + *shape + "'");
  m.snapshot = *shape == "snapshot";
  if (root.has("encoding")) {
    auto e = root.required_string("encoding");
    if (!e) return e.status();
    auto enc = io::parse_encoding(*e);
    if (!enc) return root.error_at("encoding", enc.status().message());
    m.encoding = *enc;
  }
  if (root.has("separator")) {
    auto s = root.required_string("separator");
    if (!s) return s.status();
    if (*s != "," && *s != ";" && *s != "\t")
      return root.error_at("separator", "expected one of \",\" \";\" \"\\t\"");
    m.separator = (*s)[0];
  }
  if (root.has("utc_offset")) {
    auto s = root.required_string("utc_offset");
    if (!s) return s.status();
    auto off = parse_utc_offset(*s);
    if (!off) return root.error_at("utc_offset", "invalid offset '" + *s + "': expected e.g. +03:00 or Z");
    m.utc_offset_minutes = *off;
  }
  if (root.has("date_format")) {
    auto f = root.required_string("date_format");
    if (!f) return f.status();
    if (Status st = check_date_format(*f); !st.ok()) return root.error_at("date_format", st.message());
    m.date_format = *f;
  }
  if (auto formats = root.get("date_formats")) {
    if (!formats->node().is_object()) return formats->error("expected an object of column -> format");
    for (auto it = formats->node().begin(); it != formats->node().end(); ++it) {
      auto f = formats->get(it.key())->as_string();
      if (!f) return f.status();
      if (Status st = check_date_format(*f); !st.ok()) return formats->error_at(it.key(), st.message());
      m.date_formats[it.key()] = *f;
    }
  }
  auto pipeline = root.get("pipeline");
  if (!pipeline) return root.error_at("pipeline", "missing pipeline: expected {\"id\": ..., \"name\": ...}");
  DEALFLOW_RETURN_IF_ERROR(pipeline->require_object());
  DEALFLOW_RETURN_IF_ERROR(pipeline->reject_unknown_keys({"id", "name"}));
  auto pid = pipeline->required_string("id");
  if (!pid) return pid.status();
  if (pid->empty()) return pipeline->error_at("id", "expected a non-empty pipeline id");
  m.pipeline.id = *pid;
  auto pname = pipeline->optional_string("name", *pid);
  if (!pname) return pname.status();
  m.pipeline.name = *pname;
  DEALFLOW_RETURN_IF_ERROR(read_stages(root, m));

  auto columns = root.get("columns");
  if (!columns) return root.error_at("columns", "missing columns: expected {\"id\": ..., \"stage\": ...}");
  DEALFLOW_RETURN_IF_ERROR(columns->require_object());
  DEALFLOW_RETURN_IF_ERROR(
      columns->reject_unknown_keys({"id", "created_at", "stage", "at", "outcome", "owner", "amount",
                                    "currency", "close_date", "probability", "lost_reason", "actor"}));
  for (std::string_view role : kRoles) {
    if (auto c = columns->get(role)) {
      auto ref = column_ref(*c);
      if (!ref) return ref.status();
      m.columns[std::string(role)] = *ref;
    }
  }
  if (!m.column("id")) return columns->error_at("id", "missing: the column of the deal id");
  if (!m.column("stage") && !m.column("outcome"))
    return columns->error_at("stage", "missing: the column of the stage (or an outcome column)");
  if (!m.snapshot && !m.column("at"))
    return columns->error_at("at", "missing: the event shape needs the column of the change instant");
  if (m.snapshot && m.column("at"))
    return columns->error_at("at", "the snapshot shape has no change instant; use stage_dates");
  if (!m.snapshot && m.column("outcome"))
    return columns->error_at("outcome",
                             "the event shape has no outcome column; map outcomes as stage values");

  if (auto dims = root.get("dimensions")) {
    if (!dims->node().is_object()) return dims->error("expected an object of dimension -> column");
    for (auto it = dims->node().begin(); it != dims->node().end(); ++it) {
      const std::string& name = it.key();
      if (name.empty() || name == "id" || name == "created_at" || name == "pipeline" || name == "amount" ||
          name == "currency" || name == "manager" || name == "close_date" || name == "closed_at" ||
          name == "probability" || name == "lost_reason")
        return dims->error_at(name, "'" + name + "' is not a dimension name (map it under columns)");
      auto ref = column_ref(*dims->get(name));
      if (!ref) return ref.status();
      m.dimensions.emplace_back(name, *ref);
    }
  }
  if (root.has("currency")) {
    auto c = root.required_string("currency");
    if (!c) return c.status();
    auto cur = Currency::parse(*c);
    if (!cur) return root.error_at("currency", "invalid currency '" + *c + "': expected an ISO 4217 code");
    m.currency = std::string(cur->code());
  }
  if (m.currency.empty()) m.currency = default_currency;
  if (m.column("amount") && !m.column("currency") && m.currency.empty())
    return root.error_at("currency",
                         "amounts need a currency: map a currency column or give \"currency\": \"USD\"");

  if (auto outcomes = root.get("outcomes")) {
    if (!m.column("outcome")) return outcomes->error("outcomes without an outcome column (columns/outcome)");
    if (!outcomes->node().is_object())
      return outcomes->error("expected an object of value -> stage id or null");
    for (auto it = outcomes->node().begin(); it != outcomes->node().end(); ++it) {
      if (it->is_null()) {
        m.outcome_values[it.key()] = std::nullopt;
        continue;
      }
      auto id = outcomes->get(it.key())->as_string();
      if (!id) return id.status();
      if (!has_stage(m, *id)) return outcomes->error_at(it.key(), "unknown stage id '" + *id + "'");
      m.outcome_values[it.key()] = *id;
    }
  } else if (m.column("outcome")) {
    return root.error_at("outcomes", "an outcome column needs \"outcomes\": {value: stage id or null}");
  }

  auto dates = root.array("stage_dates");
  if (!dates) return dates.status();
  if (!m.snapshot && !dates->empty())
    return root.error_at("stage_dates", "stage_dates belong to the snapshot shape");
  for (const JsonReader& d : *dates) {
    DEALFLOW_RETURN_IF_ERROR(d.require_object());
    DEALFLOW_RETURN_IF_ERROR(d.reject_unknown_keys({"column", "stage", "stages"}));
    auto col = d.get("column");
    if (!col) return d.error_at("column", "missing: the date column");
    auto ref = column_ref(*col);
    if (!ref) return ref.status();
    StageDate sd{*ref, {}};
    if (d.has("stage")) {
      auto s = d.required_string("stage");
      if (!s) return s.status();
      sd.stages.push_back(*s);
    } else {
      auto s = d.string_array("stages");
      if (!s) return s.status();
      sd.stages = *s;
    }
    if (sd.stages.empty()) return d.error_at("stage", "missing: the stage this date enters");
    for (std::size_t i = 0; i < sd.stages.size(); ++i)
      if (!has_stage(m, sd.stages[i]))
        return d.error_at(d.has("stage") ? "stage" : "stages", "unknown stage id '" + sd.stages[i] + "'");
    m.stage_dates.push_back(std::move(sd));
  }
  if (m.snapshot && !m.column("created_at") && m.stage_dates.empty())
    return root.error_at("stage_dates",
                         "a snapshot needs a created_at column or stage_dates to place deals in time");
  return m;
}

Status check_columns(const Mapping& m, const Table& table) {
  std::vector<const ColumnRef*> refs;
  for (const auto& [role, ref] : m.columns) refs.push_back(&ref);
  for (const auto& [name, ref] : m.dimensions) refs.push_back(&ref);
  for (const auto& sd : m.stage_dates) refs.push_back(&sd.column);
  for (const ColumnRef* ref : refs) {
    if (table.column(ref->name)) continue;
    std::string list;
    for (const auto& h : table.header.fields) list += (list.empty() ? "" : ", ") + h;
    return Status(ErrorCode::validation_failed,
                  "column '" + ref->name + "' is not in " + table.file + "'s header (columns: " + list + ")",
                  Location{m.file, 0, 0, ref->json_path});
  }
  return {};
}

}  // namespace dealflow::import::detail::mapped
