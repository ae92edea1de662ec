// HubSpot: the deals CSV export of the web UI (include/dealflow/import/hubspot.h).
#include <algorithm>
#include <set>

#include "import/hubspot_internal.h"

namespace dealflow::import::detail::hubspot {
namespace {

// A "Date entered"/"Date exited" column: the stage as a label (with its
// pipeline's label) or as an internal id (hs_v2_date_entered_<id>).
struct StageColumn {
  std::size_t column = 0;
  bool entered = true;
  std::string stage;           // label or id
  std::string pipeline_label;  // "" for internal names
};

std::optional<StageColumn> stage_column(std::size_t i, std::string_view name) {
  StageColumn c;
  c.column = i;
  for (std::string_view prefix :
       {"hs_v2_date_entered_", "hs_date_entered_", "hs_v2_date_exited_", "hs_date_exited_"}) {
    if (name.substr(0, prefix.size()) == prefix && name.size() > prefix.size()) {
      c.entered = prefix.find("entered") != std::string_view::npos;
      c.stage = std::string(name.substr(prefix.size()));
      return c;
    }
  }
  std::string_view rest;
  if (name.substr(0, 13) == "Date entered ") {
    rest = name.substr(13);
  } else if (name.substr(0, 12) == "Date exited ") {
    rest = name.substr(12);
    c.entered = false;
  } else {
    return std::nullopt;
  }
  if (rest.size() >= 2 && rest.front() == '"' && rest.back() == '"') rest = rest.substr(1, rest.size() - 2);
  const std::size_t open = rest.rfind(" (");
  if (open == std::string_view::npos || rest.back() != ')') {
    c.stage = std::string(rest);
  } else {
    c.stage = std::string(rest.substr(0, open));
    c.pipeline_label = std::string(rest.substr(open + 2, rest.size() - open - 3));
  }
  return c;
}

bool truthy(std::string_view v) {
  return v == "true" || v == "1" || v == "1.0" || v == "TRUE" || v == "True";
}

// Pipelines inferred from the export when there is no pipelines response.
struct Inferred {
  std::vector<CanonicalPipeline> pipelines;
  std::map<std::string, std::size_t> by_label;
  struct Evidence {
    bool won = false, closed = false, any = false;
  };
  std::map<std::pair<std::size_t, std::string>, Evidence> evidence;

  std::size_t pipeline(const std::string& label) {
    auto [it, fresh] = by_label.try_emplace(label, pipelines.size());
    if (fresh) {
      CanonicalPipeline p;
      p.name = label.empty() ? "HubSpot" : label;
      p.id = slug(label.empty() ? "default" : label);
      pipelines.push_back(std::move(p));
    }
    return it->second;
  }
  void stage(std::size_t p, const std::string& id) {
    for (const auto& s : pipelines[p].stages)
      if (s.id == id) return;
    pipelines[p].stages.push_back({id, id, "open", std::nullopt});
  }
};

}  // namespace

Status read_csv_deals(const InputFile& file, const Catalog& catalog, const ImportOptions& options,
                      ExportBuilder& out) {
  ImportReport& report = out.report();
  auto table = read_table(file.text, ',', file.name);
  if (!table) return table.status();
  const Table& t = *table;
  report.rows_read[file.name] += t.rows.size();
  const auto col_id = t.column_any({"Record ID", "Deal ID", "hs_object_id"});
  const auto col_created = t.column_any({"Create Date", "createdate"});
  const auto col_stage = t.column_any({"Deal Stage", "dealstage"});
  if (!col_id) return t.missing("Record ID");
  if (!col_created) return t.missing("Create Date");
  if (!col_stage) return t.missing("Deal Stage");
  const auto col_pipeline = t.column_any({"Pipeline", "pipeline"});
  const auto col_amount = t.column_any({"Amount", "amount"});
  const auto col_currency = t.column_any({"Currency", "deal_currency_code"});
  const auto col_owner = t.column_any({"Deal owner", "Deal Owner", "hubspot_owner_id"});
  const auto col_close = t.column_any({"Close Date", "closedate"});
  const auto col_reason = t.column_any({"Closed Lost Reason", "closed_lost_reason"});
  const auto col_probability =
      t.column_any({"Deal probability", "Deal Probability", "hs_deal_stage_probability"});
  const auto col_forecast = t.column_any({"Forecast category", "Forecast Category", "hs_forecast_category"});
  const auto col_won = t.column_any({"Is Closed Won", "hs_is_closed_won"});
  const auto col_closed = t.column_any({"Is closed", "Is Closed", "Is Closed (numeric)", "hs_is_closed"});
  std::vector<StageColumn> stage_columns;
  for (std::size_t i = 0; i < t.header.fields.size(); ++i)
    if (auto c = stage_column(i, trim_blank(t.header.fields[i]))) stage_columns.push_back(*c);
  const bool has_exits =
      std::any_of(stage_columns.begin(), stage_columns.end(), [](auto& c) { return !c.entered; });
  const int offset = options.utc_offset_minutes.value_or(0);
  const bool infer = catalog.empty();
  Inferred inferred;
  if (infer) {
    // Stages in the order of their "Date entered" columns (HubSpot writes them in pipeline order);
    // without a Pipeline column every deal is in one pipeline, whatever the columns' labels say.
    for (const auto& c : stage_columns)
      if (c.entered && (!c.pipeline_label.empty() || !col_pipeline))
        inferred.stage(inferred.pipeline(col_pipeline ? c.pipeline_label : std::string()), c.stage);
  }

  for (const Record& r : t.rows) {
    auto field = [&](std::optional<std::size_t> c) {
      return c ? std::string(trim_blank(r.fields[*c])) : std::string();
    };
    BuiltDeal d;
    d.id = field(col_id);
    if (d.id.empty()) return t.error(r, *col_id, "empty deal id");
    if (out.find_deal(d.id)) return t.error(r, *col_id, "duplicate deal id '" + d.id + "'");
    auto created = parse_timestamp(field(col_created), offset);
    if (!created) return t.error(r, *col_created, created.status().message());
    d.created_at = *created;
    const std::string pipeline_label = field(col_pipeline);
    const std::string stage_text = field(col_stage);
    std::size_t p = 0;
    if (infer) {
      p = inferred.pipeline(pipeline_label);
    } else {
      std::optional<std::size_t> found;
      if (auto it = catalog.pipeline_by_label.find(pipeline_label); it != catalog.pipeline_by_label.end())
        found = it->second;
      else if (auto id = catalog.pipeline_by_id.find(pipeline_label); id != catalog.pipeline_by_id.end())
        found = id->second;
      else if (pipeline_label.empty() && catalog.pipelines.size() == 1)
        found = 0;
      if (!found)
        return t.error(r, col_pipeline ? *col_pipeline : *col_stage,
                       "unknown pipeline '" + pipeline_label + "': not in the pipelines response");
      p = *found;
    }
    auto stage_id = [&](std::size_t pipe, const std::string& text) -> std::optional<std::string> {
      if (!infer) return catalog.stage_id(pipe, text);
      inferred.stage(pipe, text);
      return text;
    };
    auto current = stage_id(p, stage_text);
    if (!current || stage_text.empty())
      return t.error(r, *col_stage,
                     "unknown deal stage '" + stage_text + "' in pipeline '" + pipeline_label + "'");
    const std::string pipeline_id = infer ? inferred.pipelines[p].id : catalog.pipelines[p].id;
    d.pipeline = pipeline_id;
    if (infer && (col_won || col_closed)) {
      auto& ev = inferred.evidence[{p, *current}];
      ev.any = true;
      ev.won = ev.won || (col_won && truthy(field(col_won)));
      ev.closed =
          ev.closed || (col_closed && truthy(field(col_closed))) || (col_won && truthy(field(col_won)));
    }
    if (const std::string amount = field(col_amount); !amount.empty()) {
      const std::string code =
          col_currency && !field(col_currency).empty() ? field(col_currency) : options.default_currency;
      if (code.empty()) {
        report.add("amount_without_currency", "dropped",
                   {t.where_line(r), "deal " + d.id + ": no Currency column/value"});
      } else {
        auto c = Currency::parse(code);
        if (!c)
          return t.error(r, col_currency ? *col_currency : *col_amount,
                         "invalid currency '" + code + "': expected an ISO 4217 code");
        auto a = normalize_amount(amount, *c, report, t.where_line(r));
        if (!a) return t.error(r, *col_amount, a.status().message());
        d.amount = *a;
        d.currency = std::string(c->code());
      }
    }
    if (auto v = field(col_owner); !v.empty()) d.values["manager"] = v;
    if (auto v = field(col_close); !v.empty()) {
      auto c = parse_timestamp(v, offset);
      if (!c) return t.error(r, *col_close, c.status().message());
      d.values["close_date"] = c->date(offset).to_string();
    }
    if (auto v = field(col_reason); !v.empty()) d.values["lost_reason"] = v;
    if (auto v = field(col_forecast); !v.empty()) d.values["forecast_category"] = v;
    if (auto v = field(col_probability); !v.empty()) {
      auto pr = percent_from_fraction(v);
      if (!pr) return t.error(r, *col_probability, pr.status().message());
      d.values["probability"] = *pr;
    }
    const std::string id = d.id;
    out.add_deal(std::move(d));

    // Stage entries: one per "Date entered" column, sorted by time.
    struct Entry {
      Instant at;
      std::string stage;
    };
    std::vector<Entry> entries;
    std::map<std::string, Instant> entered, exited;
    for (const auto& c : stage_columns) {
      const std::string v = field(c.column);
      if (v.empty()) continue;
      const std::string& own = infer ? inferred.pipelines[p].name : catalog.pipelines[p].name;
      if (!c.pipeline_label.empty() && !pipeline_label.empty() && c.pipeline_label != own)
        continue;  // a column of another pipeline (a deal moved between pipelines keeps only its own)
      auto at = parse_timestamp(v, offset);
      if (!at) return t.error(r, c.column, at.status().message());
      auto sid = stage_id(p, c.stage);
      if (!sid) return t.error(r, c.column, "stage '" + c.stage + "' is not in the deal's pipeline");
      if (!c.entered) {
        exited[*sid] = *at;
        continue;
      }
      Instant when = *at;
      if (when < *created) {
        report.add(
            "event_before_creation", "repaired",
            {t.where_line(r), "deal " + id + ": entered '" + *sid + "' before Create Date; moved to it"});
        when = *created;
      }
      entered[*sid] = *at;
      entries.push_back({when, *sid});
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.at < b.at; });
    const bool current_entered =
        std::any_of(entries.begin(), entries.end(), [&](auto& e) { return e.stage == *current; });
    if (!current_entered) {
      // The current stage without its date: entered last (or at creation when nothing else is known).
      const Instant at = entries.empty() ? *created : entries.back().at;
      if (!stage_columns.empty())
        report.add("current_stage_without_entry_date", "repaired",
                   {t.where_line(r), "deal " + id + ": no 'Date entered' for its stage '" + *current +
                                         "'; entered at " + iso(at)});
      entries.push_back({at, *current});
    } else if (entries.back().stage != *current) {
      report.add("current_stage_not_latest", "noted",
                 {t.where_line(r), "deal " + id + ": its stage '" + *current + "' was not the latest entry"});
    }
    for (const auto& [stage, left] : exited) {
      auto in = entered.find(stage);
      if (in != entered.end() && left < in->second)
        report.add("reentry_detected", "noted",
                   {t.where_line(r),
                    "deal " + id + ": left '" + stage + "' before the entry kept; earlier visits are lost"});
    }
    for (const auto& e : entries) out.add_event(id, e.at, e.stage, pipeline_id);
  }

  report.notes.push_back(
      "HubSpot CSV: one 'Date entered' value per stage, so re-entries into a stage are collapsed "
      "(the history is the entries sorted by time); no field history (owner, amount and close "
      "date are today's values)");
  if (has_exits)
    report.notes.push_back("'Date exited' columns are used only to detect re-entries (reentry_detected)");
  if (infer) {
    if (!col_won && !col_closed)
      report.add("stage_kinds_unknown", "noted",
                 {file.name + ":1",
                  "no pipelines response and no 'Is Closed Won' / 'Is closed' column: every stage is open"});
    for (std::size_t p = 0; p < inferred.pipelines.size(); ++p) {
      for (auto& s : inferred.pipelines[p].stages) {
        auto it = inferred.evidence.find({p, s.id});
        if (it == inferred.evidence.end()) continue;
        s.kind = it->second.won ? "won" : (it->second.closed ? "lost" : "open");
      }
      out.add_pipeline(std::move(inferred.pipelines[p]));
    }
    report.notes.push_back(
        "stage ids are the CSV's stage labels; kinds from the deals' 'Is Closed Won' / 'Is closed' "
        "values (a stage no deal is in now is open); pass the pipelines response for exact kinds");
  }
  return {};
}

}  // namespace dealflow::import::detail::hubspot
