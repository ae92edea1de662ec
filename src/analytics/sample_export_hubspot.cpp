// The sample as HubSpot CRM API JSON (docs/sample-data.md "HubSpot"): deals
// with propertiesWithHistory (newest first), the pipelines and the owners.
#include <array>
#include <string>

#include "analytics/sample_export_writer.h"

namespace dealflow::analytics::detail {
namespace {

constexpr std::uint64_t kDealsPerFile = 1000;
constexpr std::uint64_t kOwnerIdBase = 70000000;

// HubSpot keeps probabilities as 0..1 decimals.
void put_probability(ChunkWriter& out, std::int64_t percent) {
  if (percent >= 100) {
    out.put("1.0");
  } else {
    out.put("0.");
    out.put(static_cast<char>('0' + percent / 10));
    if (percent % 10 != 0) out.put(static_cast<char>('0' + percent % 10));
  }
}

// "2024-01-02T05:50:31.000Z"
void put_time(ChunkWriter& out, Instant t) {
  out.put_datetime(t.unix_seconds(), 'T');
  out.put(".000Z");
}

class HubspotWriter final : public ExportWriter {
 public:
  HubspotWriter(const SampleOptions& sample, const SampleExportOptions& options, const SampleFileSink& sink)
      : ExportWriter(sample, options, sink),
        out_([this](std::string_view chunk) { return sink_(name_, chunk); }) {}

  Status begin(const SampleSummary&) override {
    DEALFLOW_RETURN_IF_ERROR(write_pipelines());
    return write_owners();
  }

  Status deal(const SampleDeal& d) override {
    if (in_file_ == kDealsPerFile) DEALFLOW_RETURN_IF_ERROR(close_file(d.id));
    if (in_file_ == 0) open_file();
    ChunkWriter& o = out_;
    if (in_file_++ > 0) o.put(",\n");
    const SampleStageEvent& last = d.history.back();
    o.put("{\"id\":\"");
    o.put_uint(d.id);
    o.put("\",\"properties\":{\"amount\":\"");
    o.put_amount(d.amount);
    o.put("\",\"closedate\":\"");
    o.put_date(d.close_date);
    o.put("T00:00:00Z\",\"createdate\":\"");
    put_time(o, d.created);
    o.put("\",\"deal_currency_code\":");
    o.put_json(d.currency);
    o.put(",\"dealname\":");
    name_buf_.assign(d.product);
    name_buf_.append(" — ");
    name_buf_.append(d.client);
    o.put_json(name_buf_);
    o.put(",\"dealstage\":");
    o.put_json(sample_export_stage(SampleFormat::hubspot, last.stage));
    o.put(",\"hs_deal_stage_probability\":\"");
    put_probability(o, d.probability);
    o.put(d.closed ? "\",\"hs_is_closed\":\"true\"" : "\",\"hs_is_closed\":\"false\"");
    o.put(last.stage == 5 ? ",\"hs_is_closed_won\":\"true\"" : ",\"hs_is_closed_won\":\"false\"");
    o.put(",\"hs_object_id\":\"");
    o.put_uint(d.id);
    o.put("\",\"hubspot_owner_id\":\"");
    o.put_uint(kOwnerIdBase + d.manager + 1);
    o.put("\",\"pipeline\":");
    o.put_json(d.pipeline);
    o.put(",\"dealtype\":");
    o.put_json(d.business == "repeat" ? "existingbusiness" : "newbusiness");
    o.put(",\"closed_lost_reason\":");
    o.put_json(d.lost_reason);
    for (auto [key, value] : {std::pair<std::string_view, std::string_view>{"region", d.region},
                              {"product", d.product},
                              {"tier", d.tier},
                              {"channel", d.channel},
                              {"source", d.source},
                              {"client", d.client}}) {
      o.put(",\"");
      o.put(key);
      o.put("\":");
      o.put_json(value);
    }
    o.put("},\"propertiesWithHistory\":{\"dealstage\":[");
    for (std::size_t i = d.history.size(); i-- > 0;) {
      if (i + 1 < d.history.size()) o.put(',');
      o.put("{\"value\":");
      o.put_json(sample_export_stage(SampleFormat::hubspot, d.history[i].stage));
      o.put(",\"timestamp\":\"");
      put_time(o, d.history[i].at);
      o.put("\",\"sourceType\":\"CRM_UI\"}");
    }
    o.put(']');
    stage_changes += d.history.size();
    put_history(o, d, SampleField::amount, "amount");
    put_history(o, d, SampleField::close_date, "closedate");
    put_history(o, d, SampleField::manager, "hubspot_owner_id");
    put_history(o, d, SampleField::probability, "hs_deal_stage_probability");
    o.put("},\"createdAt\":\"");
    put_time(o, d.created);
    o.put("\",\"updatedAt\":\"");
    put_time(o, std::max(last.at, d.field_changes.back().at));
    o.put("\",\"archived\":false}");
    return o.maybe_flush();
  }

  Status finish() override {
    if (in_file_ == 0) open_file();
    return close_file(0);
  }

 private:
  // The property's history, newest first.
  void put_history(ChunkWriter& o, const SampleDeal& d, SampleField field, std::string_view property) {
    o.put(",\"");
    o.put(property);
    o.put("\":[");
    bool first = true;
    for (std::size_t i = d.field_changes.size(); i-- > 0;) {
      const SampleFieldChange& c = d.field_changes[i];
      if (c.field != field) continue;
      if (!first) o.put(',');
      first = false;
      o.put("{\"value\":\"");
      switch (field) {
        case SampleField::amount:
          o.put_amount(c.value);
          break;
        case SampleField::close_date:
          o.put_date(c.value);
          o.put("T00:00:00Z");
          break;
        case SampleField::manager:
          o.put_uint(kOwnerIdBase + static_cast<std::uint64_t>(c.value) + 1);
          break;
        case SampleField::probability:
          put_probability(o, c.value);
          break;
      }
      o.put("\",\"timestamp\":\"");
      put_time(o, c.at);
      o.put("\",\"sourceType\":\"CRM_UI\"}");
      ++field_changes;
    }
    o.put(']');
  }

  void open_file() {
    name_ = "deals-";
    const std::string n = std::to_string(file_++);
    name_.append(n.size() < 5 ? 5 - n.size() : 0, '0');
    name_ += n;
    name_ += ".json";
    out_.put("{\"results\":[\n");
  }
  // `next_id` is the first deal of the next file (0: none).
  Status close_file(std::uint64_t next_id) {
    out_.put("\n]");
    if (next_id != 0) {
      out_.put(",\"paging\":{\"next\":{\"after\":\"");
      out_.put_uint(next_id);
      out_.put("\"}}");
    }
    out_.put("}\n");
    in_file_ = 0;
    return out_.flush();
  }

  Status write_pipelines() {
    ChunkWriter out = file("pipelines.json");
    out.put("{\"results\":[{\"id\":");
    out.put_json(sample_.pipeline_id);
    out.put(",\"label\":\"Продажи\",\"displayOrder\":0,\"archived\":false,\"stages\":[\n");
    const auto stages = sample_stages();
    for (std::size_t i = 0; i < stages.size(); ++i) {
      if (i > 0) out.put(",\n");
      out.put("{\"id\":");
      out.put_json(sample_export_stage(SampleFormat::hubspot, i));
      out.put(",\"label\":");
      out.put_json(stages[i].name);
      out.put(",\"displayOrder\":");
      out.put_uint(i);
      out.put(",\"metadata\":{\"isClosed\":\"");
      out.put(stages[i].kind == "open" ? "false" : "true");
      out.put("\",\"probability\":\"");
      put_probability(out, stages[i].probability);
      out.put("\"},\"archived\":false}");
    }
    out.put("\n]}]}\n");
    return out.flush();
  }

  Status write_owners() {
    ChunkWriter out = file("owners.json");
    out.put("{\"results\":[\n");
    const auto managers = sample_managers();
    for (std::size_t i = 0; i < managers.size(); ++i) {
      const std::string_view name = managers[i];
      const std::size_t space = name.find(' ');
      if (i > 0) out.put(",\n");
      out.put("{\"id\":\"");
      out.put_uint(kOwnerIdBase + i + 1);
      out.put("\",\"email\":\"user");
      out.put_uint(i + 1);
      out.put("@sample.dealflow\",\"firstName\":");
      out.put_json(space == std::string_view::npos ? name : name.substr(space + 1));
      out.put(",\"lastName\":");
      out.put_json(name.substr(0, space));
      out.put(",\"archived\":false}");
    }
    out.put("\n]}\n");
    return out.flush();
  }

  std::string name_, name_buf_;
  ChunkWriter out_;
  std::uint64_t in_file_ = 0, file_ = 0;
};

}  // namespace

std::unique_ptr<ExportWriter> make_hubspot_writer(const SampleOptions& sample,
                                                  const SampleExportOptions& options,
                                                  const SampleFileSink& sink) {
  return std::make_unique<HubspotWriter>(sample, options, sink);
}

}  // namespace dealflow::analytics::detail
