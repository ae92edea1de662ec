// The sample as a Pipedrive export (docs/sample-data.md "Pipedrive"): the
// deals CSV export, /v1/deals/{id}/flow responses (a JSON array of one
// response per deal, 1,000 deals per file), and the /v1/stages and
// /v1/pipelines responses. Won and lost are
// statuses: a closed deal stays in the open stage it was closed from.
#include <algorithm>
#include <string>
#include <vector>

#include "analytics/sample_export_writer.h"

namespace dealflow::analytics::detail {
namespace {

constexpr std::uint64_t kDealsPerFlowFile = 1000;
constexpr int kPipelineId = 1;

std::string_view status_of(std::uint8_t stage) {
  return stage < 5 ? "open" : (stage == 5 ? "won" : "lost");
}

class PipedriveWriter final : public ExportWriter {
 public:
  PipedriveWriter(const SampleOptions& sample, const SampleExportOptions& options, const SampleFileSink& sink)
      : ExportWriter(sample, options, sink),
        deals_(file("deals.csv")),
        flow_([this](std::string_view chunk) { return sink_(flow_name_, chunk); }) {}

  Status begin(const SampleSummary&) override {
    deals_.put(
        "Deal - ID,Deal - Title,Deal - Creator,Deal - Owner,Deal - Value,Deal - Currency,Deal - Probability,"
        "Deal - Organization,Deal - Pipeline,Deal - Stage,Deal - Status,Deal - Deal created,"
        "Deal - Last stage change,Deal - Won time,Deal - Lost time,Deal - Expected close date,"
        "Deal - Lost reason,Deal - Region,Deal - Product,Deal - Tier,Deal - Channel,Deal - Business,"
        "Deal - Source");
    DEALFLOW_RETURN_IF_ERROR(deals_.end_row());
    DEALFLOW_RETURN_IF_ERROR(write_stages());
    return write_pipelines();
  }

  Status deal(const SampleDeal& d) override {
    // The open stage the deal is in (or was closed from), and the last stage change.
    std::uint8_t open_stage = 0;
    Instant stage_change = d.created;
    for (const SampleStageEvent& ev : d.history) {
      if (ev.stage < 5 && ev.stage != open_stage) stage_change = ev.at;
      if (ev.stage < 5) open_stage = ev.stage;
    }
    const SampleStageEvent& last = d.history.back();
    ChunkWriter& o = deals_;
    o.put_uint(d.id);
    o.put(',');
    title_.assign(d.product);
    title_.append(" — ");
    title_.append(d.client);
    o.put_csv(title_);
    o.put(',');
    o.put_csv(sample_managers()[first_owner(d)]);
    o.put(',');
    o.put_csv(d.manager_name);
    o.put(',');
    o.put_amount(d.amount);
    o.put(',');
    o.put(d.currency);
    o.put(',');
    o.put_uint(static_cast<std::uint64_t>(d.probability));
    o.put(',');
    o.put_csv(d.client);
    o.put(",Продажи,");
    o.put_csv(sample_stages()[open_stage].name);
    o.put(',');
    o.put(status_of(last.stage));
    o.put(',');
    o.put_datetime(d.created.unix_seconds(), ' ');
    o.put(',');
    o.put_datetime(stage_change.unix_seconds(), ' ');
    o.put(',');
    if (last.stage == 5) o.put_datetime(last.at.unix_seconds(), ' ');
    o.put(',');
    if (last.stage > 5) o.put_datetime(last.at.unix_seconds(), ' ');
    o.put(',');
    o.put_date(d.close_date);
    for (std::string_view text :
         {d.lost_reason, d.region, d.product, d.tier, d.channel, d.business, d.source}) {
      o.put(',');
      o.put_csv(text);
    }
    DEALFLOW_RETURN_IF_ERROR(o.end_row());
    return write_flow(d);
  }

  Status finish() override {
    DEALFLOW_RETURN_IF_ERROR(deals_.flush());
    if (in_file_ == 0) open_flow_file();
    return close_flow_file();
  }

 private:
  struct Change {
    Instant at;
    std::string_view key;
    std::int64_t old_value, new_value;
    std::uint8_t kind;  // 0 stage id, 1 status, 2 user id, 3 value, 4 expected close date
    std::int64_t actor = 0;
  };

  // The deal's changes in time order, then written newest first as the API returns them.
  Status write_flow(const SampleDeal& d) {
    changes_.clear();
    std::uint8_t open_stage = d.history.front().stage, status = 0;  // 0 open, 1 won, 2 lost
    for (std::size_t i = 1; i < d.history.size(); ++i) {
      const SampleStageEvent& ev = d.history[i];
      const std::uint8_t to_status = ev.stage < 5 ? 0 : (ev.stage == 5 ? 1 : 2);
      if (to_status != status) changes_.push_back({ev.at, "status", status, to_status, 1});
      if (ev.stage < 5 && ev.stage != open_stage) {
        // A reopen into another stage: the stage is set a second before the status opens
        // again, so the deal re-enters the pipeline straight into its new stage.
        const Instant at = status != 0 && to_status == 0 ? ev.at - Duration(1) : ev.at;
        changes_.push_back({at, "stage_id", open_stage + 1, ev.stage + 1, 0});
        open_stage = ev.stage;
      }
      status = to_status;
    }
    std::int64_t current[3] = {-1, -1, -1};
    for (const SampleFieldChange& c : d.field_changes) {
      const int k = c.field == SampleField::manager ? 0 : (c.field == SampleField::amount ? 1 : 2);
      if (c.field == SampleField::probability) continue;  // Pipedrive derives it from the stage
      if (current[k] >= 0) {
        static constexpr std::string_view kKeys[3] = {"user_id", "value", "expected_close_date"};
        changes_.push_back({c.at, kKeys[k], current[k], c.value, static_cast<std::uint8_t>(2 + k)});
      }
      current[k] = c.value;
    }
    std::stable_sort(changes_.begin(), changes_.end(),
                     [](const Change& a, const Change& b) { return a.at < b.at; });

    if (in_file_ == kDealsPerFlowFile) DEALFLOW_RETURN_IF_ERROR(close_flow_file());
    if (in_file_ == 0) open_flow_file();
    flow_.put(in_file_++ == 0 ? "{\"success\":true,\"data\":[" : ",\n{\"success\":true,\"data\":[");
    // user_id: who made the change, the deal's owner at that moment.
    std::int64_t owner = first_owner(d);
    for (Change& c : changes_) {
      c.actor = owner;
      if (c.kind == 2) owner = c.new_value;
    }
    for (std::size_t i = changes_.size(); i-- > 0;) {
      const Change& c = changes_[i];
      ChunkWriter& f = flow_;
      f.put(i + 1 < changes_.size() ? ",\n" : "\n");
      f.put("{\"object\":\"dealChange\",\"timestamp\":\"");
      f.put_datetime(c.at.unix_seconds(), ' ');
      f.put("\",\"data\":{\"id\":");
      f.put_uint(++change_id_);
      f.put(",\"item_id\":");
      f.put_uint(d.id);
      f.put(",\"user_id\":");
      f.put_uint(static_cast<std::uint64_t>(c.actor) + 1);
      f.put(",\"field_key\":\"");
      f.put(c.key);
      f.put("\",\"old_value\":");
      put_value(f, c.kind, c.old_value);
      f.put(",\"new_value\":");
      put_value(f, c.kind, c.new_value);
      f.put(",\"log_time\":\"");
      f.put_datetime(c.at.unix_seconds(), ' ');
      f.put("\",\"additional_data\":{");
      if (c.kind == 2) {  // owner changes name the users, as the API does
        f.put("\"old_value_formatted\":");
        f.put_json(sample_managers()[static_cast<std::size_t>(c.old_value)]);
        f.put(",\"new_value_formatted\":");
        f.put_json(sample_managers()[static_cast<std::size_t>(c.new_value)]);
      }
      f.put("}}}");
      if (c.kind <= 1)
        ++stage_changes;
      else
        ++field_changes;
    }
    flow_.put(
        "],\"additional_data\":{\"pagination\":{\"start\":0,\"limit\":100,"
        "\"more_items_in_collection\":false}}}");
    return flow_.maybe_flush();
  }

  static void put_value(ChunkWriter& f, std::uint8_t kind, std::int64_t v) {
    f.put('"');
    switch (kind) {
      case 0:  // stage ids are 1-based already
        f.put_int(v);
        break;
      case 2:  // user ids 1..12 for manager indexes 0..11
        f.put_int(v + 1);
        break;
      case 1:
        f.put(v == 0 ? "open" : (v == 1 ? "won" : "lost"));
        break;
      case 3:
        f.put_amount(v);
        break;
      default:
        f.put_date(v);
        break;
    }
    f.put('"');
  }

  static std::uint8_t first_owner(const SampleDeal& d) {
    for (const SampleFieldChange& c : d.field_changes)
      if (c.field == SampleField::manager) return static_cast<std::uint8_t>(c.value);
    return d.manager;
  }

  void open_flow_file() {
    flow_name_ = "flow-";
    const std::string n = std::to_string(flow_file_++);
    flow_name_.append(n.size() < 5 ? 5 - n.size() : 0, '0');
    flow_name_ += n;
    flow_name_ += ".json";
    flow_.put("[\n");
  }
  Status close_flow_file() {
    flow_.put("\n]\n");
    in_file_ = 0;
    return flow_.flush();
  }

  Status write_stages() {
    ChunkWriter out = file("stages.json");
    out.put("{\"success\":true,\"data\":[\n");
    const auto stages = sample_stages();
    for (std::size_t i = 0; i < 5; ++i) {
      if (i > 0) out.put(",\n");
      out.put("{\"id\":");
      out.put_uint(i + 1);
      out.put(",\"order_nr\":");
      out.put_uint(i + 1);
      out.put(",\"name\":");
      out.put_json(stages[i].name);
      out.put(",\"active_flag\":true,\"deal_probability\":");
      out.put_uint(static_cast<std::uint64_t>(stages[i].probability));
      out.put(",\"pipeline_id\":");
      out.put_uint(kPipelineId);
      out.put(",\"rotten_flag\":false,\"rotten_days\":null}");
    }
    out.put("\n]}\n");
    return out.flush();
  }

  Status write_pipelines() {
    ChunkWriter out = file("pipelines.json");
    out.put("{\"success\":true,\"data\":[\n{\"id\":");
    out.put_uint(kPipelineId);
    out.put(",\"name\":\"Продажи\",\"url_title\":");
    out.put_json(sample_.pipeline_id);
    out.put(",\"order_nr\":0,\"active\":true,\"deal_probability\":true}\n]}\n");
    return out.flush();
  }

  ChunkWriter deals_;
  std::string flow_name_, title_;
  ChunkWriter flow_;
  std::vector<Change> changes_;
  std::uint64_t in_file_ = 0, flow_file_ = 0, change_id_ = 0;
};

}  // namespace

std::unique_ptr<ExportWriter> make_pipedrive_writer(const SampleOptions& sample,
                                                    const SampleExportOptions& options,
                                                    const SampleFileSink& sink) {
  return std::make_unique<PipedriveWriter>(sample, options, sink);
}

}  // namespace dealflow::analytics::detail
