// Pipedrive: one deal's CSV row and flow into stage events and field changes
// (include/dealflow/import/pipedrive.h). Won and lost are statuses: they
// become the synthetic stages `won` / `lost` of the deal's pipeline, and a
// status back to open is a reopen into the stage the deal is in.
#include <algorithm>

#include "import/pipedrive_internal.h"

namespace dealflow::import::detail::pipedrive {
namespace {

Status flow_error(const FlowChange& c, std::string_view key, std::string message) {
  return Status(ErrorCode::parse_error, std::move(message), c.at_key(key));
}

const FlowChange* first_of(const std::vector<FlowChange>& flow, std::string_view field) {
  for (const auto& c : flow)
    if (c.field == field) return &c;
  return nullptr;
}

}  // namespace

Status build_deal(const CsvDeal& row, const std::vector<FlowChange>& flow, const Catalog& catalog,
                  ExportBuilder& out) {
  ImportReport& report = out.report();
  const std::string id = row.deal.id;
  const Instant created = row.deal.created_at;
  auto pipeline_of = [&](const std::string& stage) -> std::optional<std::string> {
    auto it = catalog.pipeline_of_stage.find(stage);
    if (it == catalog.pipeline_of_stage.end()) return std::nullopt;
    return catalog.pipelines[it->second].id;
  };
  auto check_stage = [&](const FlowChange& c, const std::string& key, const std::string& stage) -> Status {
    if (pipeline_of(stage)) return {};
    return flow_error(c, key, "unknown stage id '" + stage + "' (not in the stages list)");
  };
  auto check_status = [&](const FlowChange& c, const std::string& key, const std::string& v) -> Status {
    if (v == "open" || v == "won" || v == "lost") return {};
    return flow_error(c, key, "invalid status '" + v + "': expected open, won or lost");
  };

  // The state the deal was created in: the first change's old value, else today's.
  std::string stage = row.stage;
  std::string status = "open";
  if (const FlowChange* c = first_of(flow, "stage_id")) {
    DEALFLOW_RETURN_IF_ERROR(check_stage(*c, "old_value", c->old_value));
    stage = c->old_value;
  }
  bool status_seen = false;
  if (const FlowChange* c = first_of(flow, "status")) {
    DEALFLOW_RETURN_IF_ERROR(check_status(*c, "old_value", c->old_value));
    status = c->old_value;
    status_seen = true;
  }
  std::string currency = row.deal.currency;
  if (const FlowChange* c = first_of(flow, "currency"); c && !c->old_value.empty()) currency = c->old_value;
  const std::string deal_currency = row.deal.currency;
  out.add_deal(row.deal);

  auto at_or_created = [&](const FlowChange& c) {
    if (c.at >= created) return c.at;
    report.add("change_before_creation", "repaired",
               {c.where,
                "deal " + id + ": log_time " + iso(c.at) + " before its creation; moved to " + iso(created)});
    return created;
  };
  auto enter = [&](Instant at, const std::string& s, const std::string& pipeline) {
    out.add_event(id, at, s, pipeline);
  };
  enter(created, stage, *pipeline_of(stage));
  if (status != "open") enter(created, status, *pipeline_of(stage));

  std::string last_amount_raw;
  auto amount_change = [&](Instant at, const std::string& raw, const FlowChange& c,
                           const std::string& key) -> Status {
    if (raw.empty()) {
      out.add_change(id, at, "amount", "");
      return {};
    }
    auto cur = Currency::parse(currency);
    if (!cur) {
      report.add("amount_without_currency", "dropped",
                 {c.where, "deal " + id + ": value change without a currency"});
      return {};
    }
    auto a = normalize_amount(raw, *cur, report, c.where);
    if (!a) return flow_error(c, key, a.status().message());
    out.add_change(id, at, "amount", *a, currency == deal_currency ? std::string() : currency);
    return {};
  };
  auto close_date = [&](const std::string& v, const FlowChange& c,
                        const std::string& key) -> Result<std::string> {
    if (v.empty()) return v;
    auto d = Date::parse(v.substr(0, 10));
    if (!d) return flow_error(c, key, "invalid date '" + v + "': expected YYYY-MM-DD");
    return d->to_string();
  };

  // Values at creation (the first change's old value).
  for (const char* field : {"user_id", "value", "expected_close_date", "lost_reason"}) {
    const FlowChange* c = first_of(flow, field);
    if (!c || c->old_value.empty()) continue;
    const std::string f = field;
    if (f == "user_id") out.add_change(id, created, "manager", c->old_value);
    if (f == "lost_reason") out.add_change(id, created, "lost_reason", c->old_value);
    if (f == "value") {
      last_amount_raw = c->old_value;
      DEALFLOW_RETURN_IF_ERROR(amount_change(created, c->old_value, *c, "old_value"));
    }
    if (f == "expected_close_date") {
      auto d = close_date(c->old_value, *c, "old_value");
      if (!d) return d.status();
      out.add_change(id, created, "close_date", *d);
    }
  }

  for (const FlowChange& c : flow) {
    const Instant at = at_or_created(c);
    if (c.field == "stage_id") {
      DEALFLOW_RETURN_IF_ERROR(check_stage(c, "new_value", c.new_value));
      if (c.new_value == stage) continue;
      stage = c.new_value;
      if (status == "open") {
        enter(at, stage, *pipeline_of(stage));
      } else {
        report.add("stage_change_while_closed", "noted",
                   {c.where,
                    "deal " + id + ": stage changed while " + status + "; it counts when the deal reopens"});
      }
    } else if (c.field == "status") {
      DEALFLOW_RETURN_IF_ERROR(check_status(c, "new_value", c.new_value));
      if (c.new_value == status) continue;
      status = c.new_value;
      enter(at, status == "open" ? stage : status, *pipeline_of(stage));
    } else if (c.field == "user_id") {
      if (!c.formatted)
        report.add(
            "owner_id_without_name", "noted",
            {c.where, "deal " + id + ": user_id change without additional_data names; the ids are kept"});
      out.add_change(id, at, "manager", c.new_value);
    } else if (c.field == "value") {
      last_amount_raw = c.new_value;
      DEALFLOW_RETURN_IF_ERROR(amount_change(at, c.new_value, c, "new_value"));
    } else if (c.field == "currency") {
      currency = c.new_value;
      if (!last_amount_raw.empty())
        DEALFLOW_RETURN_IF_ERROR(amount_change(at, last_amount_raw, c, "new_value"));
    } else if (c.field == "expected_close_date") {
      auto d = close_date(c.new_value, c, "new_value");
      if (!d) return d.status();
      out.add_change(id, at, "close_date", *d);
    } else if (c.field == "lost_reason") {
      out.add_change(id, at, "lost_reason", c.new_value);
    } else if (c.field == "pipeline_id") {
      // Implied: the stage_id change logged with it names a stage of the new pipeline.
    } else {
      report.add("flow_field_ignored", "dropped", {c.where, "field_key '" + c.field + "' is not imported"});
    }
  }

  // Without a status change in the flow, the CSV's won/lost time closes the deal.
  if (!status_seen && row.status != "open") {
    const std::optional<Instant>& t = row.status == "won" ? row.won_time : row.lost_time;
    Instant at = created;
    if (!t) {
      report.add(
          "close_time_missing", "repaired",
          {row.where, "deal " + id + ": status " + row.status + " without its time; closed at creation"});
    } else if (*t < created) {
      report.add("close_before_creation", "repaired",
                 {row.where, "deal " + id + ": closed before its creation"});
    } else {
      at = *t;
    }
    enter(at, row.status, *pipeline_of(stage));
    status = row.status;
  }
  if (status != row.status)
    report.add("flow_status_differs", "noted",
               {row.where, "deal " + id + ": the flow ends " + status + ", the CSV says " + row.status});
  return {};
}

}  // namespace dealflow::import::detail::pipedrive
