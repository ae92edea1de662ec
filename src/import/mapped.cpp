// The `mapped` importer: any CSV through a mapping file, in the event or the
// snapshot shape (include/dealflow/import/mapped.h, docs/import.md "mapped").
#include "dealflow/import/mapped.h"

#include <algorithm>

#include "import/mapped_builder.h"
#include "import/mapped_internal.h"

namespace dealflow::import {
namespace detail::mapped {
namespace {

// One CSV row read through the mapping.
struct Row {
  const Table* table = nullptr;
  const Record* record = nullptr;
  std::string deal;
  std::optional<Instant> created, at;
  std::string stage;  // canonical stage id ("" when the outcome says nothing and there is no stage)
  std::string stage_before_outcome;           // snapshot: the stage column when the outcome decided `stage`
  std::map<std::string, std::string> values;  // canonical field -> value (manager, amount, currency, ...)
  std::vector<std::pair<Instant, std::string>> dated;  // snapshot: stage entries from stage_dates
  std::size_t seq = 0;
};

class RowReader {
 public:
  RowReader(const Mapping& m, const Table& t, ImportReport& report) : m_(m), t_(t), report_(report) {}

  Result<Row> read(const Record& r) {
    Row row;
    row.table = &t_;
    row.record = &r;
    row.deal = field(r, "id");
    if (row.deal.empty()) return t_.error(r, index("id"), "empty deal id");
    if (m_.column("created_at") && !field(r, "created_at").empty()) {
      auto t = instant(r, "created_at");
      if (!t) return t.status();
      row.created = *t;
    }
    if (m_.column("at")) {
      if (field(r, "at").empty()) return t_.error(r, index("at"), "empty change instant");
      auto t = instant(r, "at");
      if (!t) return t.status();
      row.at = *t;
    }
    if (m_.column("outcome")) {
      const std::string v = field(r, "outcome");
      auto it = m_.outcome_values.find(v);
      if (it == m_.outcome_values.end())
        return t_.error(r, index("outcome"),
                        "unknown outcome '" + v + "': expected one of " + keys(m_.outcome_values));
      if (it->second) row.stage = *it->second;
    }
    if (m_.column("stage")) {
      const std::string v = field(r, "stage");
      auto it = m_.stage_values.find(v);
      if (it == m_.stage_values.end())
        return t_.error(r, index("stage"),
                        "unknown stage value '" + v + "': expected one of " + keys(m_.stage_values));
      if (row.stage.empty())
        row.stage = it->second;
      else
        row.stage_before_outcome = it->second;
    }
    if (row.stage.empty())
      return t_.error(r, index("outcome"), "no stage: the outcome is null and there is no stage column");
    DEALFLOW_RETURN_IF_ERROR(read_values(r, row));
    for (const StageDate& sd : m_.stage_dates) {
      const std::size_t c = *t_.column(sd.column.name);
      const std::string v(trim_blank(r.fields[c]));
      if (v.empty()) continue;
      auto t = parse_date(r, c, v);
      if (!t) return t.status();
      std::string stage = sd.stages.front();
      if (sd.stages.size() > 1) {
        if (std::find(sd.stages.begin(), sd.stages.end(), row.stage) == sd.stages.end()) {
          report_.add("stage_date_not_applicable", "dropped",
                      {t_.where_line(r), "column '" + sd.column.name + "': the deal's stage '" + row.stage +
                                             "' is none of the stages this date enters"});
          continue;
        }
        stage = row.stage;
      }
      row.dated.emplace_back(*t, stage);
    }
    return row;
  }

 private:
  std::size_t index(const std::string& role) const {
    const ColumnRef* ref = m_.column(role);
    return ref ? *t_.column(ref->name) : 0;
  }
  std::string field(const Record& r, const std::string& role) const {
    const ColumnRef* ref = m_.column(role);
    return ref ? std::string(trim_blank(r.fields[*t_.column(ref->name)])) : std::string();
  }
  template <class Map>
  static std::string keys(const Map& map) {
    std::string s;
    std::size_t n = 0;
    for (const auto& [k, v] : map) {
      if (++n > 20) return s + ", ...";
      s += (s.empty() ? "'" : ", '") + k + "'";
    }
    return s;
  }
  Result<Instant> parse_date(const Record& r, std::size_t c, const std::string& v) const {
    const std::string& format = m_.format_of(t_.header.fields[c]);
    auto t = format.empty() ? parse_timestamp(v, m_.utc_offset_minutes)
                            : parse_formatted(v, format, m_.utc_offset_minutes);
    if (!t) return t_.error(r, c, t.status().message());
    return t;
  }
  Result<Instant> instant(const Record& r, const std::string& role) const {
    return parse_date(r, index(role), field(r, role));
  }
  Status read_values(const Record& r, Row& row) {
    if (const std::string v = field(r, "owner"); !v.empty()) row.values["manager"] = v;
    if (const std::string v = field(r, "lost_reason"); !v.empty()) row.values["lost_reason"] = v;
    if (const std::string v = field(r, "actor"); !v.empty()) row.values["actor"] = v;
    std::string code = field(r, "currency");
    if (code.empty()) code = m_.currency;
    if (const std::string v = field(r, "amount"); !v.empty()) {
      auto c = Currency::parse(code);
      if (!c) {
        if (!code.empty())
          return t_.error(r, index("currency"), "invalid currency '" + code + "': expected an ISO 4217 code");
        return t_.error(r, index("amount"), "amount without a currency (empty currency cell and no default)");
      }
      auto a = normalize_amount(v, *c, report_, t_.where_line(r));
      if (!a) return t_.error(r, index("amount"), a.status().message());
      row.values["amount"] = *a;
      row.values["currency"] = std::string(c->code());
    }
    if (const std::string v = field(r, "close_date"); !v.empty()) {
      auto t = instant(r, "close_date");
      if (!t) return t.status();
      row.values["close_date"] = t->date(m_.utc_offset_minutes).to_string();
    }
    if (const std::string v = field(r, "probability"); !v.empty()) {
      auto p = normalize_percent(v);
      if (!p) return t_.error(r, index("probability"), p.status().message());
      row.values["probability"] = *p;
    }
    for (const auto& [name, ref] : m_.dimensions)
      if (const std::string v(trim_blank(r.fields[*t_.column(ref.name)])); !v.empty()) row.values[name] = v;
    return {};
  }

  const Mapping& m_;
  const Table& t_;
  ImportReport& report_;
};

BuiltDeal deal_of(const Mapping& m, const std::string& id, Instant created, const Row& latest) {
  BuiltDeal d;
  d.id = id;
  d.created_at = created;
  d.pipeline = m.pipeline.id;
  for (const auto& [k, v] : latest.values) {
    if (k == "amount")
      d.amount = v;
    else if (k == "currency")
      d.currency = v;
    else if (k != "actor")
      d.values[k] = v;
  }
  return d;
}

// Event shape: rows grouped by deal in time order; values that change become field changes.
void build_events(const Mapping& m, std::vector<Row>& rows, ExportBuilder& out) {
  std::map<std::string, std::vector<Row*>> by_deal;
  std::vector<std::string> order;
  for (Row& r : rows) {
    auto& list = by_deal[r.deal];
    if (list.empty()) order.push_back(r.deal);
    list.push_back(&r);
  }
  for (const std::string& id : order) {
    auto& list = by_deal[id];
    std::stable_sort(list.begin(), list.end(), [](const Row* a, const Row* b) { return *a->at < *b->at; });
    Instant created = *list.front()->at;
    if (const auto& c = list.front()->created) {
      if (*c <= created)
        created = *c;
      else
        out.report().add("created_after_first_change", "repaired",
                         {list.front()->table->where_line(*list.front()->record),
                          "deal " + id + ": created after its first stage change; created at that change"});
    }
    out.add_deal(deal_of(m, id, created, *list.back()));
    const std::string deal_currency =
        list.back()->values.count("currency") ? list.back()->values.at("currency") : "";
    struct Value {
      Instant at;
      std::string value, currency;
    };
    std::map<std::string, std::vector<Value>> changes;
    for (const Row* r : list) {
      out.add_event(id, *r->at, r->stage, m.pipeline.id,
                    r->values.count("actor") ? r->values.at("actor") : "");
      const Instant at = r == list.front() ? created : *r->at;
      auto note = [&](const std::string& f) {
        auto it = r->values.find(f);
        std::string currency;
        if (f == "amount" && r->values.count("currency") && r->values.at("currency") != deal_currency)
          currency = r->values.at("currency");
        changes[f].push_back({at, it == r->values.end() ? "" : it->second, currency});
      };
      for (const char* f : {"manager", "amount", "close_date", "probability", "lost_reason"}) note(f);
      for (const auto& [name, ref] : m.dimensions) note(name);
    }
    // Only fields that change on the deal's rows get field changes (the rest is in deals.csv).
    for (const auto& [field, values] : changes) {
      const Value& first = values.front();  // (clang 14 cannot capture a structured binding)
      const bool varies = std::any_of(values.begin(), values.end(), [&first](const Value& v) {
        return v.value != first.value || v.currency != first.currency;
      });
      if (!varies) continue;
      for (const Value& v : values) out.add_change(id, v.at, field, v.value, v.currency);
    }
  }
}

// Snapshot shape: one row per deal; its dated stage entries and its current stage.
Status build_snapshots(const Mapping& m, std::vector<Row>& rows, ExportBuilder& out) {
  for (const Row& r : rows) {
    if (out.find_deal(r.deal))
      return r.table->error(*r.record, *r.table->column(m.column("id")->name),
                            "duplicate deal id '" + r.deal + "'");
    std::vector<std::pair<Instant, std::string>> entries = r.dated;
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::optional<Instant> created = r.created;
    if (!created && !entries.empty()) created = entries.front().first;
    if (!created) {
      out.report().add(
          "deal_without_date", "dropped",
          {r.table->where_line(*r.record), "deal " + r.deal + ": no created date and no stage date"});
      continue;
    }
    out.add_deal(deal_of(m, r.deal, *created, r));
    std::vector<std::pair<Instant, std::string>> events;
    const bool has_first = !entries.empty() && entries.front().first == *created;
    if (!has_first) {
      // Unless its first dated entry is at creation, the deal starts in the open stage the stage
      // column names beside an outcome, else in the first open stage (else, undated, its current one).
      const auto first_open = std::find_if(m.pipeline.stages.begin(), m.pipeline.stages.end(),
                                           [](const CanonicalStage& s) { return s.kind == "open"; });
      const auto before =
          std::find_if(m.pipeline.stages.begin(), m.pipeline.stages.end(),
                       [&](const auto& s) { return s.kind == "open" && s.id == r.stage_before_outcome; });
      if (before != m.pipeline.stages.end())
        events.emplace_back(*created, before->id);
      else
        events.emplace_back(*created, entries.empty() ? r.stage : first_open->id);
    }
    for (const auto& [at, stage] : entries) {
      if (at < *created) {
        out.report().add("stage_date_before_creation", "repaired",
                         {r.table->where_line(*r.record),
                          "deal " + r.deal + ": entry into '" + stage + "' before its creation"});
        events.emplace_back(*created, stage);
      } else {
        events.emplace_back(at, stage);
      }
    }
    if (events.back().second != r.stage) {
      const bool dated =
          std::any_of(entries.begin(), entries.end(), [&](auto& e) { return e.second == r.stage; });
      if (!dated && m.stage_dates.size() > 0)
        out.report().add("current_stage_without_date", "repaired",
                         {r.table->where_line(*r.record), "deal " + r.deal + ": its stage '" + r.stage +
                                                              "' has no date; entered at its latest date"});
      events.emplace_back(events.back().first, r.stage);
    }
    std::stable_sort(events.begin(), events.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [at, stage] : events) out.add_event(r.deal, at, stage, m.pipeline.id);
  }
  return {};
}

}  // namespace
}  // namespace detail::mapped

Result<CanonicalExport> import_mapped(const std::string& mapping_path,
                                      const std::vector<std::string>& csv_paths,
                                      const ImportOptions& options) {
  using namespace detail;
  using namespace detail::mapped;
  auto text = read_text_file(mapping_path);
  if (!text) return text.status();
  auto doc = parse_json(*text, base_name(mapping_path));
  if (!doc) return doc.status();
  auto mapping = parse_mapping(*doc, base_name(mapping_path), options.default_currency);
  if (!mapping) return mapping.status();
  Mapping& m = *mapping;
  if (options.utc_offset_minutes) m.utc_offset_minutes = *options.utc_offset_minutes;
  if (csv_paths.empty()) return Status(ErrorCode::invalid_argument, "no CSV file to import with the mapping");
  ExportBuilder out("mapped");
  ImportReport& report = out.report();
  std::vector<InputFile> files;
  std::vector<Table> tables;
  for (const auto& path : csv_paths) {
    auto file = read_input(path, options, m.encoding.value_or(io::Encoding::windows1252), report);
    if (!file) return file.status();
    auto table = read_table(file->text, m.separator.value_or(guess_separator(file->text)), file->name);
    if (!table) return table.status();
    DEALFLOW_RETURN_IF_ERROR(check_columns(m, *table));
    report.rows_read[file->name] += table->rows.size();
    files.push_back(std::move(*file));
    tables.push_back(std::move(*table));
  }
  std::vector<Row> rows;
  for (const Table& t : tables) {
    RowReader reader(m, t, report);
    for (const Record& r : t.rows) {
      auto row = reader.read(r);
      if (!row) return row.status();
      row->seq = rows.size();
      rows.push_back(std::move(*row));
    }
  }
  if (m.snapshot) {
    DEALFLOW_RETURN_IF_ERROR(build_snapshots(m, rows, out));
    report.notes.push_back(
        "snapshot shape: only the stages with a date column and the current stage are known "
        "(other stages were not seen, their durations cannot be derived); no reopens and no "
        "field history (owner, amount, close date are today's values)");
  } else {
    build_events(m, rows, out);
    report.notes.push_back(
        "event shape: deal values (owner, amount, close date, probability, lost reason, "
        "dimensions) are the latest row's; a value that changes between a deal's rows is a "
        "field change at that row's instant");
  }
  out.add_pipeline(m.pipeline);
  return out.finish();
}

}  // namespace dealflow::import
