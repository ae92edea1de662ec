// The sample export: format names, option checks, the writers' driver and the
// in-memory and file outputs (dealflow/analytics/sample_export.h).
#include "dealflow/analytics/sample_export.h"

#include <array>

#include "analytics/sample_export_writer.h"
#include "analytics/sample_output_files.h"

namespace dealflow::analytics {
namespace {

constexpr std::array<std::string_view, 6> kFormatNames = {"canonical", "bitrix24",  "salesforce",
                                                          "hubspot",   "pipedrive", "mapped"};

Result<SampleExportSummary> export_canonical(const SampleOptions& sample, const SampleFileSink& sink) {
  auto to = [&sink](std::string_view name) {
    return [&sink, name](std::string_view chunk) { return sink(name, chunk); };
  };
  auto summary = generate_sample(sample, to("deals.csv"), to("history.csv"), to("field_changes.csv"));
  if (!summary) return summary.status();
  SampleExportSummary out;
  out.sample = *summary;
  out.stage_changes = summary->events;
  out.field_changes = summary->field_changes;
  return out;
}

std::unique_ptr<detail::ExportWriter> make_writer(const SampleOptions& sample,
                                                  const SampleExportOptions& options,
                                                  const SampleFileSink& sink) {
  switch (options.format) {
    case SampleFormat::salesforce:
      return detail::make_salesforce_writer(sample, options, sink);
    case SampleFormat::bitrix24:
      return detail::make_bitrix24_writer(sample, options, sink);
    case SampleFormat::hubspot:
      return detail::make_hubspot_writer(sample, options, sink);
    case SampleFormat::pipedrive:
      return detail::make_pipedrive_writer(sample, options, sink);
    case SampleFormat::mapped:
      return detail::make_mapped_writer(sample, options, sink);
    case SampleFormat::canonical:
      break;
  }
  return nullptr;
}

}  // namespace

std::string_view to_string(SampleFormat format) noexcept {
  return kFormatNames[static_cast<std::size_t>(format)];
}

Result<SampleFormat> parse_sample_format(std::string_view text) {
  for (std::size_t i = 0; i < kFormatNames.size(); ++i)
    if (text == kFormatNames[i]) return static_cast<SampleFormat>(i);
  return Status(ErrorCode::invalid_argument,
                "format '" + std::string(text) +
                    "' is not known: expected canonical, bitrix24, salesforce, hubspot, pipedrive or mapped");
}

Status validate_sample_export_options(const SampleExportOptions& options) {
  if (options.encoding != "utf-8" && options.encoding != "windows-1252")
    return Status(ErrorCode::invalid_argument,
                  "encoding '" + options.encoding + "' is not valid: expected utf-8 or windows-1252");
  if (options.encoding != "utf-8" && options.format != SampleFormat::salesforce)
    return Status(ErrorCode::invalid_argument, "encoding '" + options.encoding +
                                                   "' is not valid for format " +
                                                   std::string(to_string(options.format)) +
                                                   ": expected utf-8 (only salesforce takes windows-1252)");
  if (options.float_noise && options.format != SampleFormat::salesforce)
    return Status(ErrorCode::invalid_argument, "float noise is not valid for format " +
                                                   std::string(to_string(options.format)) +
                                                   ": expected it with salesforce only");
  return {};
}

Result<SampleExportSummary> export_sample(const SampleOptions& sample, const SampleExportOptions& options,
                                          const SampleFileSink& sink) {
  DEALFLOW_RETURN_IF_ERROR(validate_sample_options(sample));
  DEALFLOW_RETURN_IF_ERROR(validate_sample_export_options(options));
  std::map<std::string, std::uint64_t, std::less<>> bytes;
  const SampleFileSink counting = [&](std::string_view file, std::string_view chunk) -> Status {
    auto it = bytes.find(file);
    if (it == bytes.end()) it = bytes.emplace(std::string(file), 0).first;
    it->second += chunk.size();
    return sink(file, chunk);
  };
  const SampleFileSink encoded =
      options.encoding == "windows-1252" ? detail::windows_1252_sink(counting) : counting;

  Result<SampleExportSummary> result = SampleExportSummary();
  if (options.format == SampleFormat::canonical) {
    result = export_canonical(sample, encoded);
  } else {
    auto writer = make_writer(sample, options, encoded);
    SampleSummary totals;
    if (writer->needs_totals()) {
      auto counted = visit_sample(sample, [](const SampleDeal&) { return Status(); });
      if (!counted) return counted.status();
      totals = *counted;
    }
    DEALFLOW_RETURN_IF_ERROR(writer->begin(totals));
    auto summary = visit_sample(sample, [&](const SampleDeal& d) { return writer->deal(d); });
    if (!summary) return summary.status();
    DEALFLOW_RETURN_IF_ERROR(writer->finish());
    result->sample = *summary;
    result->stage_changes = writer->stage_changes;
    result->field_changes = writer->field_changes;
  }
  if (!result) return result.status();
  for (const auto& [name, n] : bytes) {
    result->files.emplace(name, n);
    result->bytes += n;
  }
  return result;
}

Result<std::map<std::string, std::string>> export_sample_to_memory(const SampleOptions& sample,
                                                                   const SampleExportOptions& options,
                                                                   SampleExportSummary* summary) {
  std::map<std::string, std::string, std::less<>> files;
  auto result = export_sample(sample, options, [&](std::string_view file, std::string_view chunk) -> Status {
    auto it = files.find(file);
    if (it == files.end()) it = files.emplace(std::string(file), std::string()).first;
    it->second.append(chunk);
    return {};
  });
  if (!result) return result.status();
  if (summary != nullptr) *summary = *result;
  return std::map<std::string, std::string>(files.begin(), files.end());
}

Result<SampleExportSummary> write_sample_export(const SampleOptions& sample,
                                                const SampleExportOptions& options,
                                                const std::string& directory) {
  DEALFLOW_RETURN_IF_ERROR(validate_sample_options(sample));
  DEALFLOW_RETURN_IF_ERROR(validate_sample_export_options(options));
  auto files = detail::OutputFiles::open(directory);
  if (!files) return files.status();
  auto summary = export_sample(sample, options, [&](std::string_view file, std::string_view chunk) {
    return files->write(file, chunk);
  });
  if (!summary) return summary.status();
  DEALFLOW_RETURN_IF_ERROR(files->commit());
  return summary;
}

std::string_view sample_export_stage(SampleFormat format, std::size_t index) noexcept {
  static constexpr std::array<std::string_view, 8> kSalesforce = {
      "Prospecting",   "Qualification", "Proposal/Price Quote", "Negotiation/Review",
      "Final Invoice", "Closed Won",    "Closed Lost",          "Closed Lost (Analysis)"};
  static constexpr std::array<std::string_view, 8> kHubspot = {
      "new", "preparation", "prepayment_invoice", "executing", "final_invoice", "won", "lose", "apology"};
  static constexpr std::array<std::string_view, 8> kBitrix = {
      "C1:NEW",  "C1:PREPARATION", "C1:PREPAYMENT_INVOICE", "C1:EXECUTING", "C1:FINAL_INVOICE", "C1:WON",
      "C1:LOSE", "C1:APOLOGY"};
  if (index >= kSalesforce.size()) return {};
  switch (format) {
    case SampleFormat::salesforce:
      return kSalesforce[index];
    case SampleFormat::hubspot:
      return kHubspot[index];
    case SampleFormat::bitrix24:
      return kBitrix[index];
    case SampleFormat::pipedrive:
      return index < 5 ? sample_stages()[index].name : (index == 5 ? "won" : "lost");
    case SampleFormat::canonical:
    case SampleFormat::mapped:
      return sample_stages()[index].id;
  }
  return {};
}

}  // namespace dealflow::analytics
