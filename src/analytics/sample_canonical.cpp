// The sample in dealflow's canonical CSV formats: deals.csv, history.csv and
// field_changes.csv (docs/analytics-formats.md, docs/sample-data.md).
#include "dealflow/analytics/sample.h"

#include <optional>

#include "analytics/sample_text.h"

namespace dealflow::analytics {
namespace {

using detail::ChunkWriter;

class CanonicalWriter {
 public:
  CanonicalWriter(const SampleOptions& options, const SampleSink& deals, const SampleSink& history,
                  const SampleSink* field_changes)
      : options_(options), deals_(deals), history_(history) {
    if (field_changes != nullptr) fields_.emplace(*field_changes);
  }

  Status header() {
    deals_.put(
        "id,created_at,pipeline,amount,currency,manager,region,product,tier,channel,business,source,client,"
        "lost_reason");
    if (options_.deal_field_columns) deals_.put(",close_date,closed_at,probability");
    DEALFLOW_RETURN_IF_ERROR(deals_.end_row());
    history_.put("deal_id,at,stage,pipeline,actor");
    DEALFLOW_RETURN_IF_ERROR(history_.end_row());
    if (fields_) {
      fields_->put("deal_id,at,field,value");
      DEALFLOW_RETURN_IF_ERROR(fields_->end_row());
    }
    return {};
  }

  Status deal(const SampleDeal& d) {
    deals_.put_uint(d.id);
    deals_.put(',');
    deals_.put_iso(d.created.unix_seconds());
    deals_.put(',');
    deals_.put_csv(d.pipeline);
    deals_.put(',');
    deals_.put_amount(d.amount);
    deals_.put(',');
    deals_.put(d.currency);
    for (std::string_view text : {d.manager_name, d.region, d.product, d.tier, d.channel, d.business,
                                  d.source, d.client, d.lost_reason}) {
      deals_.put(',');
      deals_.put_csv(text);
    }
    if (options_.deal_field_columns) {
      deals_.put(',');
      deals_.put_date(d.close_date);
      deals_.put(',');
      if (d.closed) deals_.put_iso(d.closed_at.unix_seconds());
      deals_.put(',');
      deals_.put_uint(static_cast<std::uint64_t>(d.probability));
    }
    DEALFLOW_RETURN_IF_ERROR(deals_.end_row());

    for (const SampleStageEvent& ev : d.history) {
      history_.put_uint(d.id);
      history_.put(',');
      history_.put_iso(ev.at.unix_seconds());
      history_.put(',');
      history_.put(sample_stages()[ev.stage].id);
      history_.put(',');
      history_.put_csv(d.pipeline);
      history_.put(',');
      history_.put_csv(d.manager_name);
      DEALFLOW_RETURN_IF_ERROR(history_.end_row());
    }

    if (!fields_) return {};
    for (const SampleFieldChange& c : d.field_changes) {
      fields_->put_uint(d.id);
      fields_->put(',');
      fields_->put_iso(c.at.unix_seconds());
      fields_->put(',');
      fields_->put(to_string(c.field));
      fields_->put(',');
      put_value(*fields_, c);
      DEALFLOW_RETURN_IF_ERROR(fields_->end_row());
    }
    return {};
  }

  Status finish(SampleSummary& summary) {
    DEALFLOW_RETURN_IF_ERROR(deals_.flush());
    DEALFLOW_RETURN_IF_ERROR(history_.flush());
    if (fields_) DEALFLOW_RETURN_IF_ERROR(fields_->flush());
    summary.deals_bytes = deals_.bytes();
    summary.history_bytes = history_.bytes();
    summary.field_changes_bytes = fields_ ? fields_->bytes() : 0;
    return {};
  }

  static void put_value(ChunkWriter& out, const SampleFieldChange& c) {
    switch (c.field) {
      case SampleField::manager:
        out.put_csv(sample_managers()[static_cast<std::size_t>(c.value)]);
        break;
      case SampleField::amount:
        out.put_amount(c.value);
        break;
      case SampleField::close_date:
        out.put_date(c.value);
        break;
      case SampleField::probability:
        out.put_int(c.value);
        break;
    }
  }

 private:
  const SampleOptions& options_;
  ChunkWriter deals_, history_;
  std::optional<ChunkWriter> fields_;
};

Result<SampleSummary> generate(const SampleOptions& options, const SampleSink& deals,
                               const SampleSink& history, const SampleSink* field_changes) {
  DEALFLOW_RETURN_IF_ERROR(validate_sample_options(options));
  CanonicalWriter writer(options, deals, history, field_changes);
  DEALFLOW_RETURN_IF_ERROR(writer.header());
  auto summary = visit_sample(options, [&](const SampleDeal& d) { return writer.deal(d); });
  if (!summary) return summary.status();
  DEALFLOW_RETURN_IF_ERROR(writer.finish(*summary));
  return summary;
}

}  // namespace

Result<SampleSummary> generate_sample(const SampleOptions& options, const SampleSink& deals,
                                      const SampleSink& history) {
  return generate(options, deals, history, nullptr);
}

Result<SampleSummary> generate_sample(const SampleOptions& options, const SampleSink& deals,
                                      const SampleSink& history, const SampleSink& field_changes) {
  return generate(options, deals, history, &field_changes);
}

Result<SampleCsv> generate_sample_csv(const SampleOptions& options) {
  SampleCsv csv;
  auto append_to = [](std::string& out) {
    return [&out](std::string_view chunk) {
      out.append(chunk);
      return Status();
    };
  };
  auto summary =
      generate_sample(options, append_to(csv.deals), append_to(csv.history), append_to(csv.field_changes));
  if (!summary) return summary.status();
  csv.summary = *summary;
  return csv;
}

}  // namespace dealflow::analytics
