// The sample as a Salesforce Data Export: Opportunity.csv,
// OpportunityHistory.csv, OpportunityFieldHistory.csv, OpportunityStage.csv
// and User.csv (docs/sample-data.md "Salesforce").
#include <array>

#include "analytics/sample_export_writer.h"

namespace dealflow::analytics::detail {
namespace {

constexpr std::string_view kOpportunity = "006", kHistory = "008", kFieldHistory = "017", kUser = "005",
                           kStage = "01J";
constexpr std::string_view kNullId = "000000000000000AAA";

// Forecast category per stage (pipeline order).
constexpr std::array<std::string_view, 8> kForecast = {"Pipeline", "Pipeline", "Best Case", "Best Case",
                                                       "Commit",   "Closed",   "Omitted",   "Omitted"};

class SalesforceWriter final : public ExportWriter {
 public:
  SalesforceWriter(const SampleOptions& sample, const SampleExportOptions& options,
                   const SampleFileSink& sink)
      : ExportWriter(sample, options, sink),
        opportunity_(file("Opportunity.csv")),
        history_(file("OpportunityHistory.csv")),
        field_history_(file("OpportunityFieldHistory.csv")) {}

  Status begin(const SampleSummary&) override {
    put_header(opportunity_, {"Id",
                              "IsDeleted",
                              "Name",
                              "StageName",
                              "StageSortOrder",
                              "Amount",
                              "Probability",
                              "ExpectedRevenue",
                              "CloseDate",
                              "Type",
                              "LeadSource",
                              "IsClosed",
                              "IsWon",
                              "ForecastCategory",
                              "ForecastCategoryName",
                              "CampaignId",
                              "OwnerId",
                              "CreatedDate",
                              "CreatedById",
                              "LastStageChangeDate",
                              "CurrencyIsoCode",
                              "Region__c",
                              "Product__c",
                              "Tier__c",
                              "Channel__c",
                              "Client__c",
                              "Loss_Reason__c"});
    put_header(history_,
               {"Id", "OpportunityId", "CreatedById", "CreatedDate", "StageName", "Amount", "ExpectedRevenue",
                "CloseDate", "Probability", "FromForecastCategory", "ForecastCategory",
                "FromOpportunityStageName", "PrevAmount", "PrevCloseDate", "CurrencyIsoCode", "IsDeleted"});
    put_header(field_history_, {"Id", "IsDeleted", "OpportunityId", "CreatedById", "CreatedDate", "Field",
                                "DataType", "OldValue", "NewValue"});
    DEALFLOW_RETURN_IF_ERROR(opportunity_.end_row());
    DEALFLOW_RETURN_IF_ERROR(history_.end_row());
    return field_history_.end_row();
  }

  Status deal(const SampleDeal& d) override {
    noisy_ = options_.float_noise && (d.id * 2654435761u) % 40 == 7;
    const SampleStageEvent& last = d.history.back();
    ChunkWriter& o = opportunity_;
    put_salesforce_id(o, kOpportunity, d.id);
    o.put(",\"0\",");
    o.put('"');
    put_text(o, d.product);
    o.put(" / ");
    put_text(o, d.client);
    o.put("\",");
    put_q(o, sample_export_stage(SampleFormat::salesforce, last.stage));
    o.put(",\"");
    o.put_uint(last.stage + 1u);
    o.put("\",");
    put_money(o, d.amount);
    o.put(",\"");
    o.put_uint(static_cast<std::uint64_t>(d.probability));
    o.put("\",");
    put_money(o, expected_revenue(d.amount, d.probability));
    o.put(',');
    put_date(o, d.close_date);
    o.put(',');
    put_q(o, d.business == "repeat" ? "Existing Business" : "New Business");
    o.put(',');
    put_q(o, d.source);
    o.put(d.closed ? ",\"1\"," : ",\"0\",");
    o.put(last.stage == 5 ? "\"1\"," : "\"0\",");
    put_q(o, kForecast[last.stage]);
    o.put(',');
    put_q(o, kForecast[last.stage]);
    o.put(",\"");
    o.put(kNullId);
    o.put("\",");
    put_salesforce_id(o, kUser, d.manager + 1u);
    o.put(',');
    put_time(o, d.created);
    o.put(',');
    put_salesforce_id(o, kUser, first_owner(d) + 1u);
    o.put(',');
    put_time(o, last.at);
    o.put(',');
    put_q(o, d.currency);
    for (std::string_view text : {d.region, d.product, d.tier, d.channel, d.client, d.lost_reason}) {
      o.put(',');
      put_q(o, text);
    }
    DEALFLOW_RETURN_IF_ERROR(o.end_row());

    // One OpportunityHistory row per instant with a change of stage, amount, close date or
    // probability; owner changes go to OpportunityFieldHistory.
    int stage = -1, prev_stage = -1;
    std::int64_t amount = -1, close = -1, prev_amount = -1, prev_close = -1;
    int probability = -1;
    std::int64_t owner = -1;
    Status status;
    for_each_instant(d,
                     [&](Instant at, const SampleStageEvent* ev, std::span<const SampleFieldChange> changes) {
                       if (!status.ok()) return;
                       bool row = ev != nullptr;
                       prev_stage = stage;
                       prev_amount = amount;
                       prev_close = close;
                       if (ev != nullptr) stage = ev->stage;
                       for (const SampleFieldChange& c : changes) {
                         switch (c.field) {
                           case SampleField::manager:
                             if (owner >= 0) status = field_history_row(d, at, owner, c.value);
                             owner = c.value;
                             break;
                           case SampleField::amount:
                             amount = c.value;
                             row = true;
                             break;
                           case SampleField::close_date:
                             close = c.value;
                             row = true;
                             break;
                           case SampleField::probability:
                             probability = static_cast<int>(c.value);
                             row = true;
                             break;
                         }
                       }
                       if (row && status.ok())
                         status = history_row(d, at, owner, stage, prev_stage, amount, prev_amount, close,
                                              prev_close, probability);
                     });
    stage_changes += d.history.size();
    field_changes += d.field_changes.size();
    return status;
  }

  Status finish() override {
    DEALFLOW_RETURN_IF_ERROR(opportunity_.flush());
    DEALFLOW_RETURN_IF_ERROR(history_.flush());
    DEALFLOW_RETURN_IF_ERROR(field_history_.flush());
    ChunkWriter stages = file("OpportunityStage.csv");
    put_header(stages, {"Id", "MasterLabel", "ApiName", "IsActive", "SortOrder", "IsClosed", "IsWon",
                        "ForecastCategory", "ForecastCategoryName", "DefaultProbability", "Description"});
    DEALFLOW_RETURN_IF_ERROR(stages.end_row());
    const auto all = sample_stages();
    for (std::size_t i = 0; i < all.size(); ++i) {
      put_salesforce_id(stages, kStage, i + 1);
      stages.put(',');
      put_q(stages, sample_export_stage(SampleFormat::salesforce, i));
      stages.put(',');
      put_q(stages, sample_export_stage(SampleFormat::salesforce, i));
      stages.put(",\"1\",\"");
      stages.put_uint(i + 1);
      stages.put(all[i].kind == "open" ? "\",\"0\"," : "\",\"1\",");
      stages.put(all[i].kind == "won" ? "\"1\"," : "\"0\",");
      put_q(stages, kForecast[i]);
      stages.put(',');
      put_q(stages, kForecast[i]);
      stages.put(",\"");
      stages.put_uint(static_cast<std::uint64_t>(all[i].probability));
      stages.put("\",");
      put_q(stages, all[i].name);
      DEALFLOW_RETURN_IF_ERROR(stages.end_row());
    }
    DEALFLOW_RETURN_IF_ERROR(stages.flush());

    ChunkWriter users = file("User.csv");
    put_header(users, {"Id", "Username", "LastName", "FirstName", "Name", "Email", "IsActive"});
    DEALFLOW_RETURN_IF_ERROR(users.end_row());
    const auto managers = sample_managers();
    for (std::size_t i = 0; i < managers.size(); ++i) {
      const std::string_view name = managers[i];
      const std::size_t space = name.find(' ');
      put_salesforce_id(users, kUser, i + 1);
      users.put(",\"user");
      users.put_uint(i + 1);
      users.put("@sample.dealflow\",");
      put_q(users, name.substr(0, space));
      users.put(',');
      put_q(users, space == std::string_view::npos ? std::string_view() : name.substr(space + 1));
      users.put(',');
      put_q(users, name);
      users.put(",\"user");
      users.put_uint(i + 1);
      users.put("@sample.dealflow\",\"1\"");
      DEALFLOW_RETURN_IF_ERROR(users.end_row());
    }
    return users.flush();
  }

 private:
  static void put_header(ChunkWriter& out, std::initializer_list<std::string_view> columns) {
    bool first = true;
    for (std::string_view c : columns) {
      if (!first) out.put(',');
      first = false;
      out.put_quoted(c);
    }
  }
  static void put_q(ChunkWriter& out, std::string_view text) { out.put_quoted(text); }
  // Text inside an already opened quote.
  static void put_text(ChunkWriter& out, std::string_view text) {
    for (char c : text) {
      if (c == '"') out.put('"');
      out.put(c);
    }
  }
  static void put_time(ChunkWriter& out, Instant t) {
    out.put('"');
    out.put_datetime(t.unix_seconds(), ' ');
    out.put('"');
  }
  static void put_date(ChunkWriter& out, std::int64_t days) {
    out.put('"');
    out.put_date(days);
    out.put(" 00:00:00\"");
  }
  static std::int64_t expected_revenue(std::int64_t amount, int probability) {
    return (amount * probability + 50) / 100;
  }
  static std::uint8_t first_owner(const SampleDeal& d) {
    for (const SampleFieldChange& c : d.field_changes)
      if (c.field == SampleField::manager) return static_cast<std::uint8_t>(c.value);
    return d.manager;
  }
  // A number as Salesforce writes it: no trailing zeros ("15000", "1234.5"); with float noise
  // on, the nearest double's shortest round-trip text when it is not exact.
  void put_money(ChunkWriter& out, std::int64_t minor) const {
    out.put('"');
    const std::int64_t whole = minor / 100, cents = minor % 100;
    if (noisy_ && cents == 0 && whole > 0) {
      out.put_int(whole - 1);
      out.put(".999999998");
    } else if (noisy_ && cents != 0) {
      out.put_int(whole);
      out.put('.');
      out.put_padded(static_cast<int>(cents), 2);
      out.put("00000001");
    } else {
      out.put_int(whole);
      if (cents != 0) {
        out.put('.');
        out.put(static_cast<char>('0' + cents / 10));
        if (cents % 10 != 0) out.put(static_cast<char>('0' + cents % 10));
      }
    }
    out.put('"');
  }

  Status history_row(const SampleDeal& d, Instant at, std::int64_t owner, int stage, int prev_stage,
                     std::int64_t amount, std::int64_t prev_amount, std::int64_t close,
                     std::int64_t prev_close, int probability) {
    ChunkWriter& h = history_;
    put_salesforce_id(h, kHistory, ++history_rows_);
    h.put(',');
    put_salesforce_id(h, kOpportunity, d.id);
    h.put(',');
    put_salesforce_id(h, kUser, static_cast<std::uint64_t>(owner) + 1);
    h.put(',');
    put_time(h, at);
    h.put(',');
    put_q(h, sample_export_stage(SampleFormat::salesforce, static_cast<std::size_t>(stage)));
    h.put(',');
    put_money(h, amount);
    h.put(',');
    put_money(h, expected_revenue(amount, probability));
    h.put(',');
    put_date(h, close);
    h.put(",\"");
    h.put_uint(static_cast<std::uint64_t>(probability));
    h.put("\",");
    put_q(h, prev_stage < 0 ? std::string_view() : kForecast[static_cast<std::size_t>(prev_stage)]);
    h.put(',');
    put_q(h, kForecast[static_cast<std::size_t>(stage)]);
    h.put(',');
    put_q(h, prev_stage < 0
                 ? std::string_view()
                 : sample_export_stage(SampleFormat::salesforce, static_cast<std::size_t>(prev_stage)));
    h.put(',');
    if (prev_amount < 0) {
      h.put("\"\"");
    } else {
      put_money(h, prev_amount);
    }
    h.put(',');
    if (prev_close < 0) {
      h.put("\"\"");
    } else {
      put_date(h, prev_close);
    }
    h.put(',');
    put_q(h, d.currency);
    h.put(",\"0\"");
    return h.end_row();
  }

  Status field_history_row(const SampleDeal& d, Instant at, std::int64_t from, std::int64_t to) {
    ChunkWriter& f = field_history_;
    put_salesforce_id(f, kFieldHistory, ++field_history_rows_);
    f.put(",\"0\",");
    put_salesforce_id(f, kOpportunity, d.id);
    f.put(',');
    put_salesforce_id(f, kUser, static_cast<std::uint64_t>(from) + 1);  // the previous owner hands over
    f.put(',');
    put_time(f, at);
    f.put(",\"Owner\",\"EntityId\",");
    put_salesforce_id(f, kUser, static_cast<std::uint64_t>(from) + 1);
    f.put(',');
    put_salesforce_id(f, kUser, static_cast<std::uint64_t>(to) + 1);
    return f.end_row();
  }

  ChunkWriter opportunity_, history_, field_history_;
  std::uint64_t history_rows_ = 0, field_history_rows_ = 0;
  bool noisy_ = false;
};

}  // namespace

void put_salesforce_id(ChunkWriter& out, std::string_view prefix, std::uint64_t n) {
  static constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  static constexpr char kSuffix[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
  char id[18];
  for (std::size_t i = 0; i < 3; ++i) id[i] = prefix[i];
  const char pod[6] = {'5', 'g', '0', '0', '0', '0'};
  for (std::size_t i = 0; i < 6; ++i) id[3 + i] = pod[i];
  for (int i = 14; i >= 9; --i) {
    id[i] = kBase62[n % 62];
    n /= 62;
  }
  for (int chunk = 0; chunk < 3; ++chunk) {
    unsigned flags = 0;
    for (int j = 0; j < 5; ++j) {
      const char c = id[chunk * 5 + j];
      if (c >= 'A' && c <= 'Z') flags |= 1u << j;
    }
    id[15 + chunk] = kSuffix[flags];
  }
  out.put('"');
  out.put(std::string_view(id, sizeof id));
  out.put('"');
}

std::unique_ptr<ExportWriter> make_salesforce_writer(const SampleOptions& sample,
                                                     const SampleExportOptions& options,
                                                     const SampleFileSink& sink) {
  return std::make_unique<SalesforceWriter>(sample, options, sink);
}

}  // namespace dealflow::analytics::detail
