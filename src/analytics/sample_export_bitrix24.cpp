// The sample as Bitrix24 REST responses (docs/sample-data.md "Bitrix24"): the
// sample's pipeline is deal category 1, its stages C1:NEW ... C1:APOLOGY.
#include <array>
#include <string>

#include "analytics/sample_export_writer.h"

namespace dealflow::analytics::detail {
namespace {

constexpr int kPortalOffsetHours = 3;
constexpr std::uint64_t kPageItems = 50;      // Bitrix24's page size
constexpr std::uint64_t kPagesPerBatch = 50;  // Bitrix24's batch limit
constexpr std::string_view kCategoryId = "1";
constexpr std::string_view kCategoryName = "Продажи";

std::string_view semantic_id(std::uint8_t stage) {
  const std::string_view kind = sample_stages()[stage].kind;
  return kind == "open" ? "P" : (kind == "won" ? "S" : "F");
}

// Source names of the sample -> SOURCE_ID (standard ids, custom ones as UC_*).
std::string_view source_id(std::string_view source) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kIds = {{
      {"Сайт", "WEB"},
      {"Входящий звонок", "CALL"},
      {"Email", "EMAIL"},
      {"Рекомендация", "RECOMMENDATION"},
      {"Холодный звонок", "UC_COLD"},
      {"Выставка", "TRADE_SHOW"},
      {"Email-рассылка", "UC_MAILING"},
  }};
  for (const auto& [name, id] : kIds)
    if (name == source) return id;
  return "OTHER";
}

// A REST list split into pages of 50 items: the first file is one plain page,
// every further file a `batch` response of up to 50 pages (cmd0..cmd49).
class Pager {
 public:
  Pager(const SampleFileSink& sink, std::string method, bool items_object, std::uint64_t total)
      : sink_(sink),
        method_(std::move(method)),
        items_object_(items_object),
        total_(total),
        out_([this](std::string_view chunk) { return sink_(name_, chunk); }) {}

  ChunkWriter& begin_item() {
    if (item_ % kPageItems == 0)
      open_page();
    else
      out_.put(",\n");
    ++item_;
    return out_;
  }
  Status end_item() {
    if (!pending_.ok()) return pending_;
    return out_.maybe_flush();
  }
  Status finish() {
    if (item_ == 0) open_page();  // an empty list is one empty page
    close_page();
    close_file();
    if (!pending_.ok()) return pending_;
    return out_.flush();
  }

 private:
  std::uint64_t page_of(std::uint64_t item) const { return item / kPageItems; }
  std::uint64_t file_of(std::uint64_t page) const { return page == 0 ? 0 : (page - 1) / kPagesPerBatch + 1; }

  void open_page() {
    const std::uint64_t page = page_of(item_);
    if (item_ > 0) close_page();
    if (item_ == 0 || file_of(page) != file_of(page - 1)) {
      if (item_ > 0) close_file();
      open_file(file_of(page));
    }
    if (file_ == 0) {
      out_.put(items_object_ ? "{\"result\":{\"items\":[\n" : "{\"result\":[\n");
    } else {
      if (page != first_page_) out_.put(",\n");
      out_.put("\"cmd");
      out_.put_uint(page - first_page_);
      out_.put(items_object_ ? "\":{\"items\":[\n" : "\":[\n");
    }
  }
  void close_page() {
    out_.put(items_object_ ? "\n]}" : "\n]");
    if (file_ > 0) return;
    if (kPageItems < total_) {
      out_.put(",\"next\":");
      out_.put_uint(kPageItems);
    }
    out_.put(",\"total\":");
    out_.put_uint(total_);
  }
  void open_file(std::uint64_t file) {
    // The previous file's text goes out under its own name; an error is returned by the next end_item().
    if (Status st = out_.flush(); !st.ok() && pending_.ok()) pending_ = st;
    file_ = file;
    name_ = method_;
    name_ += '-';
    const std::string n = std::to_string(file);
    name_.append(n.size() < 5 ? 5 - n.size() : 0, '0');
    name_ += n;
    name_ += ".json";
    first_page_ = file == 0 ? 0 : 1 + (file - 1) * kPagesPerBatch;
    if (file > 0) out_.put("{\"result\":{\"result\":{\n");
  }
  void close_file() {
    if (file_ == 0) {
      out_.put("}\n");
      return;
    }
    const std::uint64_t last_page = page_of(item_ - 1);
    out_.put("},\"result_error\":[],\"result_total\":{");
    for (std::uint64_t p = first_page_; p <= last_page; ++p) {
      if (p != first_page_) out_.put(',');
      out_.put("\"cmd");
      out_.put_uint(p - first_page_);
      out_.put("\":");
      out_.put_uint(total_);
    }
    out_.put("},\"result_next\":{");
    bool first = true;
    for (std::uint64_t p = first_page_; p <= last_page; ++p) {
      if ((p + 1) * kPageItems >= total_) continue;
      if (!first) out_.put(',');
      first = false;
      out_.put("\"cmd");
      out_.put_uint(p - first_page_);
      out_.put("\":");
      out_.put_uint((p + 1) * kPageItems);
    }
    out_.put("}}}\n");
  }

  const SampleFileSink& sink_;
  std::string method_, name_;
  bool items_object_;
  std::uint64_t total_;
  ChunkWriter out_;
  std::uint64_t item_ = 0, file_ = 0, first_page_ = 0;
  Status pending_;
};

class Bitrix24Writer final : public ExportWriter {
 public:
  using ExportWriter::ExportWriter;

  bool needs_totals() const override { return true; }

  Status begin(const SampleSummary& totals) override {
    deals_ = std::make_unique<Pager>(sink_, "crm.deal.list", false, totals.deals);
    history_ = std::make_unique<Pager>(sink_, "crm.stagehistory.list", true, totals.events);
    DEALFLOW_RETURN_IF_ERROR(write_categories());
    DEALFLOW_RETURN_IF_ERROR(write_stages());
    return write_users();
  }

  Status deal(const SampleDeal& d) override {
    const SampleStageEvent& last = d.history.back();
    ChunkWriter& o = deals_->begin_item();
    o.put("{\"ID\":\"");
    o.put_uint(d.id);
    o.put("\",\"TITLE\":");
    title_.assign(d.product);
    title_.append(" — ");
    title_.append(d.client);
    o.put_json(title_);
    o.put(",\"TYPE_ID\":\"SALE\",\"CATEGORY_ID\":\"");
    o.put(kCategoryId);
    o.put("\",\"STAGE_ID\":");
    o.put_json(sample_export_stage(SampleFormat::bitrix24, last.stage));
    o.put(",\"STAGE_SEMANTIC_ID\":\"");
    o.put(semantic_id(last.stage));
    o.put("\",\"PROBABILITY\":\"");
    o.put_uint(static_cast<std::uint64_t>(d.probability));
    o.put("\",\"CURRENCY_ID\":");
    o.put_json(d.currency);
    o.put(",\"OPPORTUNITY\":\"");
    o.put_amount(d.amount);
    o.put("\",\"BEGINDATE\":\"");
    put_local_midnight(o, office_day(d.created));
    o.put("\",\"CLOSEDATE\":\"");
    put_local_midnight(o, d.close_date);
    o.put(d.closed ? "\",\"CLOSED\":\"Y\"" : "\",\"CLOSED\":\"N\"");
    o.put(",\"ASSIGNED_BY_ID\":\"");
    o.put_uint(d.manager + 1u);
    o.put("\",\"CREATED_BY_ID\":\"");
    o.put_uint(first_owner(d) + 1u);
    o.put("\",\"DATE_CREATE\":\"");
    o.put_iso_offset(d.created.unix_seconds(), kPortalOffsetHours);
    o.put("\",\"MOVED_TIME\":\"");
    o.put_iso_offset(last.at.unix_seconds(), kPortalOffsetHours);
    o.put("\",\"SOURCE_ID\":");
    o.put_json(source_id(d.source));
    o.put(",\"SOURCE_DESCRIPTION\":");
    o.put_json(d.source);
    o.put(d.business == "repeat" ? ",\"IS_RETURN_CUSTOMER\":\"Y\"" : ",\"IS_RETURN_CUSTOMER\":\"N\"");
    o.put(",\"UF_CRM_CLIENT\":");
    o.put_json(d.client);
    o.put(",\"UF_CRM_REGION\":");
    o.put_json(d.region);
    o.put(",\"UF_CRM_PRODUCT\":");
    o.put_json(d.product);
    o.put(",\"UF_CRM_TIER\":");
    o.put_json(d.tier);
    o.put(",\"UF_CRM_CHANNEL\":");
    o.put_json(d.channel);
    o.put(",\"UF_CRM_LOSS_REASON\":");
    o.put_json(d.lost_reason);
    o.put('}');
    DEALFLOW_RETURN_IF_ERROR(deals_->end_item());

    for (std::size_t i = 0; i < d.history.size(); ++i) {
      const SampleStageEvent& ev = d.history[i];
      ChunkWriter& h = history_->begin_item();
      h.put("{\"ID\":\"");
      h.put_uint(++history_id_);
      // 1 created, 3 moved into a final stage, 2 any other move (a reopen included).
      h.put(i == 0 ? "\",\"TYPE_ID\":\"1\""
                   : (ev.stage >= 5 ? "\",\"TYPE_ID\":\"3\"" : "\",\"TYPE_ID\":\"2\""));
      h.put(",\"OWNER_ID\":\"");
      h.put_uint(d.id);
      h.put("\",\"CREATED_TIME\":\"");
      h.put_iso_offset(ev.at.unix_seconds(), kPortalOffsetHours);
      h.put("\",\"CATEGORY_ID\":\"");
      h.put(kCategoryId);
      h.put("\",\"STAGE_SEMANTIC_ID\":\"");
      h.put(semantic_id(ev.stage));
      h.put("\",\"STAGE_ID\":");
      h.put_json(sample_export_stage(SampleFormat::bitrix24, ev.stage));
      h.put('}');
      DEALFLOW_RETURN_IF_ERROR(history_->end_item());
    }
    stage_changes += d.history.size();
    return {};
  }

  Status finish() override {
    DEALFLOW_RETURN_IF_ERROR(deals_->finish());
    return history_->finish();
  }

 private:
  static std::int64_t office_day(Instant t) {
    return floor_div(t.unix_seconds() + kPortalOffsetHours * 3600, 86400);
  }
  // A date as Bitrix24 returns it: the portal's midnight, "2024-02-01T00:00:00+03:00".
  static void put_local_midnight(ChunkWriter& out, std::int64_t days) {
    out.put_iso_offset(days * 86400 - kPortalOffsetHours * 3600, kPortalOffsetHours);
  }
  static std::uint8_t first_owner(const SampleDeal& d) {
    for (const SampleFieldChange& c : d.field_changes)
      if (c.field == SampleField::manager) return static_cast<std::uint8_t>(c.value);
    return d.manager;
  }

  Status write_categories() {
    ChunkWriter out = file("crm.dealcategory.list.json");
    out.put("{\"result\":[\n{\"ID\":\"");
    out.put(kCategoryId);
    out.put("\",\"NAME\":");
    out.put_json(kCategoryName);
    out.put(",\"SORT\":\"100\",\"IS_LOCKED\":\"N\"}\n],\"total\":1}\n");
    return out.flush();
  }

  Status write_stages() {
    ChunkWriter out = file("crm.status.list.json");
    out.put("{\"result\":[\n");
    const auto stages = sample_stages();
    for (std::size_t i = 0; i < stages.size(); ++i) {
      if (i > 0) out.put(",\n");
      out.put("{\"ID\":\"");
      out.put_uint(100 + i);
      out.put("\",\"ENTITY_ID\":\"DEAL_STAGE_");
      out.put(kCategoryId);
      out.put("\",\"STATUS_ID\":");
      out.put_json(sample_export_stage(SampleFormat::bitrix24, i));
      out.put(",\"NAME\":");
      out.put_json(stages[i].name);
      out.put(",\"SORT\":\"");
      out.put_uint((i + 1) * 10);
      out.put("\",\"SYSTEM\":\"Y\",\"CATEGORY_ID\":\"");
      out.put(kCategoryId);
      const std::string_view sem = semantic_id(static_cast<std::uint8_t>(i));
      out.put("\",\"SEMANTICS\":\"");
      out.put(sem == "P" ? "" : sem);
      out.put("\",\"EXTRA\":{\"SEMANTICS\":\"");
      out.put(sem == "P" ? "process" : (sem == "S" ? "success" : "failure"));
      out.put("\"}}");
    }
    out.put("\n],\"total\":");
    out.put_uint(stages.size());
    out.put("}\n");
    return out.flush();
  }

  Status write_users() {
    ChunkWriter out = file("user.get.json");
    out.put("{\"result\":[\n");
    const auto managers = sample_managers();
    for (std::size_t i = 0; i < managers.size(); ++i) {
      const std::string_view name = managers[i];
      const std::size_t space = name.find(' ');
      if (i > 0) out.put(",\n");
      out.put("{\"ID\":\"");
      out.put_uint(i + 1);
      out.put("\",\"NAME\":");
      out.put_json(space == std::string_view::npos ? name : name.substr(space + 1));
      out.put(",\"LAST_NAME\":");
      out.put_json(name.substr(0, space));
      out.put(",\"ACTIVE\":true}");
    }
    out.put("\n],\"total\":");
    out.put_uint(managers.size());
    out.put("}\n");
    return out.flush();
  }

  std::unique_ptr<Pager> deals_, history_;
  std::string title_;
  std::uint64_t history_id_ = 0;
};

}  // namespace

std::unique_ptr<ExportWriter> make_bitrix24_writer(const SampleOptions& sample,
                                                   const SampleExportOptions& options,
                                                   const SampleFileSink& sink) {
  return std::make_unique<Bitrix24Writer>(sample, options, sink);
}

}  // namespace dealflow::analytics::detail
