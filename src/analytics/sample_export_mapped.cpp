// The sample as a spreadsheet-like event CSV for the `mapped` importer
// (docs/sample-data.md "Mapped"): sample.csv (one row per stage entry, `;`
// separated, Russian headers, dates "%d.%m.%Y %H:%M" in office time) and
// sample.mapping.json, the mapping that reads it (the schema of
// dealflow/import/mapped.h).
#include <array>
#include <string>

#include "analytics/sample_export_writer.h"

namespace dealflow::analytics::detail {
namespace {

constexpr std::int64_t kOfficeOffsetSeconds = 3 * 3600;
constexpr std::array<std::string_view, 17> kHeaders = {
    "Сделка", "Создана",     "Дата",          "Этап",   "Менеджер",      "Сумма",
    "Валюта", "Вероятность", "Дата закрытия", "Регион", "Продукт",       "Сегмент",
    "Канал",  "Тип сделки",  "Источник",      "Клиент", "Причина отказа"};

class MappedWriter final : public ExportWriter {
 public:
  MappedWriter(const SampleOptions& sample, const SampleExportOptions& options, const SampleFileSink& sink)
      : ExportWriter(sample, options, sink), csv_(file("sample.csv")) {}

  Status begin(const SampleSummary&) override {
    for (std::size_t i = 0; i < kHeaders.size(); ++i) {
      if (i > 0) csv_.put(';');
      csv_.put(kHeaders[i]);
    }
    return csv_.end_row();
  }

  // One row per stage entry. Probability is the value as of the row (it follows the stage, so
  // the importer's per-row changes give its exact history); owner, amount, close date and the
  // dimensions are the deal's current values on every row (constant per deal, so they import as
  // today's values: an event export has no row for a change between two stage entries).
  Status deal(const SampleDeal& d) override {
    for (const SampleStageEvent& ev : d.history) {
      ChunkWriter& o = csv_;
      o.put_uint(d.id);
      o.put(';');
      o.put_ru_datetime(d.created.unix_seconds(), kOfficeOffsetSeconds);
      o.put(';');
      o.put_ru_datetime(ev.at.unix_seconds(), kOfficeOffsetSeconds);
      o.put(';');
      o.put_csv(sample_stages()[ev.stage].name, ';');
      o.put(';');
      o.put_csv(d.manager_name, ';');
      o.put(';');
      o.put_amount(d.amount);
      o.put(';');
      o.put(d.currency);
      o.put(';');
      o.put_uint(static_cast<std::uint64_t>(sample_stages()[ev.stage].probability));
      o.put(';');
      put_ru_date(o, d.close_date);
      for (std::string_view text :
           {d.region, d.product, d.tier, d.channel, d.business, d.source, d.client, d.lost_reason}) {
        o.put(';');
        o.put_csv(text, ';');
      }
      DEALFLOW_RETURN_IF_ERROR(o.end_row());
    }
    stage_changes += d.history.size();
    return {};
  }

  // The mapping in the schema of the mapped importer (docs/import.md "mapped").
  Status finish() override {
    DEALFLOW_RETURN_IF_ERROR(csv_.flush());
    ChunkWriter m = file("sample.mapping.json");
    m.put("{\n  \"description\": \"dealflow sample: one row per stage entry, Moscow time\",\n");
    m.put("  \"shape\": \"event\",\n  \"encoding\": \"utf-8\",\n  \"separator\": \";\",\n");
    m.put("  \"utc_offset\": \"+03:00\",\n  \"date_format\": \"%d.%m.%Y %H:%M\",\n");
    m.put("  \"date_formats\": {\"Дата закрытия\": \"%d.%m.%Y\"},\n");
    m.put("  \"pipeline\": {\"id\": ");
    m.put_json(sample_.pipeline_id);
    m.put(", \"name\": \"Продажи\"},\n  \"stages\": [\n");
    const auto stages = sample_stages();
    for (std::size_t i = 0; i < stages.size(); ++i) {
      m.put("    {\"id\": ");
      m.put_json(stages[i].id);
      m.put(", \"name\": ");
      m.put_json(stages[i].name);
      m.put(", \"kind\": ");
      m.put_json(stages[i].kind);
      m.put(", \"probability\": ");
      const int p = stages[i].probability;
      if (p >= 100) {
        m.put("1.0");
      } else {
        m.put("0.");
        m.put_padded(p, 2);
      }
      m.put(i + 1 < stages.size() ? "},\n" : "}\n");
    }
    m.put(
        "  ],\n  \"columns\": {\n    \"id\": \"Сделка\", \"created_at\": \"Создана\", \"at\": \"Дата\", "
        "\"stage\": \"Этап\",\n    \"owner\": \"Менеджер\", \"amount\": \"Сумма\", \"currency\": "
        "\"Валюта\",\n"
        "    \"probability\": \"Вероятность\", \"close_date\": \"Дата закрытия\", \"lost_reason\": "
        "\"Причина отказа\"\n  },\n  \"dimensions\": {\n    \"region\": \"Регион\", \"product\": "
        "\"Продукт\", "
        "\"tier\": \"Сегмент\", \"channel\": \"Канал\",\n    \"business\": \"Тип сделки\", \"source\": "
        "\"Источник\", \"client\": \"Клиент\"\n  }\n}\n");
    return m.flush();
  }

  static void put_ru_date(ChunkWriter& out, std::int64_t days) {
    const Date d(static_cast<std::int32_t>(days));
    out.put_padded(static_cast<int>(d.day()), 2);
    out.put('.');
    out.put_padded(static_cast<int>(d.month()), 2);
    out.put('.');
    out.put_padded(d.year(), 4);
  }

 private:
  ChunkWriter csv_;
};

}  // namespace

std::unique_ptr<ExportWriter> make_mapped_writer(const SampleOptions& sample,
                                                 const SampleExportOptions& options,
                                                 const SampleFileSink& sink) {
  return std::make_unique<MappedWriter>(sample, options, sink);
}

}  // namespace dealflow::analytics::detail
