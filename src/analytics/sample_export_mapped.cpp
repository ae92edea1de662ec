// The sample as a spreadsheet-like event CSV for the `mapped` importer
// (docs/sample-data.md "Mapped"): sample.csv (one row per stage entry, `;`
// separated, Russian headers, dates "%d.%m.%Y %H:%M" in office time) and
// sample.mapping.json, the mapping that reads it.
#include <array>
#include <string>

#include "analytics/sample_export_writer.h"

namespace dealflow::analytics::detail {
namespace {

constexpr std::int64_t kOfficeOffsetSeconds = 3 * 3600;
constexpr std::array<std::string_view, 13> kHeaders = {
    "Сделка", "Создана", "Дата",    "Этап",  "Менеджер",   "Сумма",   "Валюта",
    "Регион", "Продукт", "Сегмент", "Канал", "Тип сделки", "Источник"};

class MappedWriter final : public ExportWriter {
 public:
  MappedWriter(const SampleOptions& sample, const SampleExportOptions& options, const SampleFileSink& sink)
      : ExportWriter(sample, options, sink), csv_(file("sample.csv")) {}

  Status begin(const SampleSummary&) override {
    for (std::string_view h : kHeaders) {
      csv_.put(h);
      csv_.put(';');
    }
    csv_.put("Клиент;Причина отказа");
    return csv_.end_row();
  }

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

  Status finish() override {
    DEALFLOW_RETURN_IF_ERROR(csv_.flush());
    ChunkWriter m = file("sample.mapping.json");
    m.put("{\n  \"shape\": \"events\",\n  \"separator\": \";\",\n  \"encoding\": \"utf-8\",\n");
    m.put("  \"date_format\": \"%d.%m.%Y %H:%M\",\n  \"utc_offset\": \"+03:00\",\n");
    m.put("  \"pipeline\": ");
    m.put_json(sample_.pipeline_id);
    m.put(
        ",\n  \"columns\": {\n    \"id\": \"Сделка\",\n    \"created_at\": \"Создана\",\n"
        "    \"at\": \"Дата\",\n    \"stage\": \"Этап\",\n    \"manager\": \"Менеджер\",\n"
        "    \"amount\": \"Сумма\",\n    \"currency\": \"Валюта\",\n    \"lost_reason\": \"Причина "
        "отказа\"\n  },\n"
        "  \"dimensions\": {\n    \"region\": \"Регион\",\n    \"product\": \"Продукт\",\n"
        "    \"tier\": \"Сегмент\",\n    \"channel\": \"Канал\",\n    \"business\": \"Тип сделки\",\n"
        "    \"source\": \"Источник\",\n    \"client\": \"Клиент\"\n  },\n  \"stages\": [\n");
    const auto stages = sample_stages();
    for (std::size_t i = 0; i < stages.size(); ++i) {
      m.put("    {\"value\": ");
      m.put_json(stages[i].name);
      m.put(", \"id\": ");
      m.put_json(stages[i].id);
      m.put(", \"kind\": ");
      m.put_json(stages[i].kind);
      m.put(i + 1 < stages.size() ? "},\n" : "}\n");
    }
    m.put("  ]\n}\n");
    return m.flush();
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
