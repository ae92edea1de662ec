// dealflow/analytics/sample_export.h: the synthetic data set of
// dealflow/analytics/sample.h written in the export formats of real CRMs.
//
// Each writer produces the files the CRM itself produces (docs/sample-data.md
// "Export formats"), so that `dealflow import --from <format>` can read them
// back: a round trip sample -> export -> import must give the same funnel,
// durations and scorecard, and the large exports feed the import benchmark.
//   canonical   deals.csv, history.csv, field_changes.csv (dealflow's own)
//   salesforce  Opportunity.csv, OpportunityHistory.csv, OpportunityFieldHistory.csv,
//               OpportunityStage.csv, User.csv (Data Export CSV)
//   bitrix24    REST responses: crm.dealcategory.list, crm.status.list, user.get,
//               crm.deal.list and crm.stagehistory.list pages (plain and batch)
//   hubspot     CRM API JSON: deals with propertiesWithHistory, pipelines, owners
//   pipedrive   deals CSV export, /v1/deals/{id}/flow changes, stages, pipelines, users
//   mapped      one spreadsheet-like event CSV plus its mapping JSON
// The deals, their stage histories and their field changes are those of
// `visit_sample` for the same SampleOptions; what a CRM cannot express
// (Bitrix24 has no field history, Pipedrive no separate lost stages) is listed
// in the docs. Money is written exactly (unless float_noise asks otherwise),
// times as each CRM writes them; the same options give the same bytes.
//
// Thread-safety: reentrant; the sink is called from the calling thread only.
//
// Example:
//   dealflow::analytics::SampleOptions sample;
//   sample.deals = 1'000'000;
//   dealflow::analytics::SampleExportOptions exp;
//   exp.format = dealflow::analytics::SampleFormat::salesforce;
//   auto summary = dealflow::analytics::write_sample_export(sample, exp, "/tmp/sf");
//   if (!summary) { std::cerr << summary.status().to_string() << "\n"; return 1; }
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dealflow/analytics/sample.h"
#include "dealflow/core/status.h"

namespace dealflow::analytics {

enum class SampleFormat : std::uint8_t { canonical, bitrix24, salesforce, hubspot, pipedrive, mapped };
std::string_view to_string(SampleFormat format) noexcept;
// invalid_argument naming the text and the accepted names.
Result<SampleFormat> parse_sample_format(std::string_view text);

struct SampleExportOptions {
  SampleFormat format = SampleFormat::canonical;
  // salesforce only: "utf-8" (default) or "windows-1252". Windows-1252 cannot
  // hold Cyrillic, so text is transliterated first (Фёдоров Павел -> Fëdorov
  // Pavel, «» kept) and then converted with iconv.
  std::string encoding = "utf-8";
  // salesforce only: amounts of about one row in 40 written with binary
  // floating-point noise (16120999.999999998 for 16121000.00), as real exports do.
  bool float_noise = false;
};

// Receives the text of the output file `file` (a plain file name) in chunks,
// in order; a file's chunks may interleave with other files'. A non-ok Status
// stops the export and is returned.
using SampleFileSink = std::function<Status(std::string_view file, std::string_view chunk)>;

struct SampleExportSummary {
  SampleSummary sample;             // the data set (deals, events, field changes, ...)
  std::uint64_t stage_changes = 0;  // stage rows the export holds (history rows, flow changes, ...)
  std::uint64_t field_changes = 0;  // field change rows the export holds (format dependent)
  std::map<std::string, std::uint64_t> files;  // file name -> bytes
  std::uint64_t bytes = 0;
};

// invalid_argument for options a format does not take (an encoding other
// than utf-8 outside salesforce, float noise outside salesforce).
Status validate_sample_export_options(const SampleExportOptions& options);

Result<SampleExportSummary> export_sample(const SampleOptions& sample, const SampleExportOptions& options,
                                          const SampleFileSink& sink);

// The whole export in memory, file name -> text (tests, benchmarks).
Result<std::map<std::string, std::string>> export_sample_to_memory(const SampleOptions& sample,
                                                                   const SampleExportOptions& options,
                                                                   SampleExportSummary* summary = nullptr);

// Creates `directory` when missing and writes every file there; files are
// written under temporary names and renamed only when all are complete.
Result<SampleExportSummary> write_sample_export(const SampleOptions& sample,
                                                const SampleExportOptions& options,
                                                const std::string& directory);

// The name or id a format gives stage `index` of sample_stages() (the
// Salesforce StageName, the HubSpot stage id, the Bitrix24 STATUS_ID, the
// Pipedrive stage name; lost stages of Pipedrive are statuses, "lost"), so a
// round-trip test can map imported stage ids back.
std::string_view sample_export_stage(SampleFormat format, std::size_t index) noexcept;

}  // namespace dealflow::analytics
