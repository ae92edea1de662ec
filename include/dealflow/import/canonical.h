// dealflow/import/canonical.h: what every importer produces — dealflow's own
// canonical tables (docs/analytics-formats.md) built from a CRM export, the
// pipeline configs inferred from the CRM's stage list, and a report of what
// was read, dropped and repaired.
//
// Every importer (bitrix24.h, salesforce.h, hubspot.h, pipedrive.h, mapped.h)
// returns a `CanonicalExport`. It can be written as files (`write_canonical`:
// deals.csv, history.csv, field_changes.csv, pipelines/<id>.json,
// import-report.json; byte-identical for the same input) or loaded straight
// into an analytics `EventLog` (`to_event_log`, which runs the same loaders
// and validation as `dealflow funnel --deals ...`).
//
// Values are canonical text already: instants "YYYY-MM-DDTHH:MM:SSZ" (UTC),
// dates "YYYY-MM-DD", amounts exact decimals in the currency's minor units
// ("1500.00"), currency ISO 4217 codes, probabilities as percent ("40" or
// "12.5"). Rows are in a defined order (deals by id as the CRM orders them,
// history and field changes by deal then time then file order).
//
// Ownership: plain values; the export owns its strings.
// Thread-safety: plain values; importers are reentrant.
//
// Example:
//   auto exp = dealflow::import::import_salesforce({"Opportunity.csv", "OpportunityHistory.csv"}, {});
//   if (!exp) { std::cerr << exp.status().to_string() << "\n"; return 1; }
//   if (auto st = dealflow::import::write_canonical(*exp, "out/"); !st.ok()) ...
//   auto loaded = dealflow::import::to_event_log(*exp);   // analytics::LoadedLog + pipelines
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/core/status.h"
#include "dealflow/io/encoding.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::import {

// One stage of an inferred pipeline, in the CRM's sort order.
struct CanonicalStage {
  std::string id;                     // canonical stage id (what history.csv names)
  std::string name;                   // the CRM's display name (UTF-8)
  std::string kind;                   // "open", "won" or "lost"
  std::optional<double> probability;  // 0..1, from the CRM's stage list when it has one
};

// A pipeline config inferred from the export (written as pipelines/<id>.json in
// the format of docs/pipeline-config.md: policy "free", every reopen seen in
// the history declared in "reopens").
struct CanonicalPipeline {
  std::string id;
  std::string name;
  std::vector<CanonicalStage> stages;
  std::vector<std::pair<std::string, std::string>> reopens;  // (from, to) stage ids
};

// A table with a header and rows of the same width.
struct CanonicalTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

// A located example of something dropped or repaired ("Opportunity.csv:14").
struct ImportExample {
  std::string where;    // file:line, or file:JSON-path
  std::string message;  // what and why
};

// What happened to one kind of problem (e.g. "float_noise_rounded",
// "null_owner_id", "lead_skipped", "reentries_collapsed").
struct ImportIssue {
  std::size_t count = 0;
  std::string action;                   // "dropped", "repaired" or "noted"
  std::vector<ImportExample> examples;  // at most 5
};

struct ImportReport {
  std::string source;                            // "bitrix24", "salesforce", ...
  std::map<std::string, std::size_t> rows_read;  // per input file name (base name)
  std::map<std::string, std::string> encodings;  // per input file: the encoding used
  std::size_t deals = 0;
  std::size_t events = 0;
  std::size_t field_changes = 0;
  std::map<std::string, ImportIssue> issues;  // by kind, sorted
  std::vector<std::string> notes;             // e.g. "re-entries into a stage are collapsed"

  // Counts one issue of `kind`, keeping the example when fewer than 5 are kept.
  void add(const std::string& kind, const std::string& action, ImportExample example);
};

struct CanonicalExport {
  CanonicalTable deals;  // columns: id,created_at,pipeline,amount,currency,manager,... (only those with data)
  CanonicalTable history;                    // columns: deal_id,at,stage,pipeline,actor
  CanonicalTable field_changes;              // columns: deal_id,at,field,value
  std::vector<CanonicalPipeline> pipelines;  // sorted by id
  ImportReport report;
};

// Options every importer takes.
struct ImportOptions {
  // How to decode the input files (auto: BOM, then UTF-8 if valid, else the
  // source's usual legacy encoding: windows-1251 for bitrix24, windows-1252 for
  // salesforce/hubspot/pipedrive; mapped says it in the mapping).
  io::Encoding encoding = io::Encoding::auto_detect;
  // Offset east of UTC for times written without one (Bitrix24 CSV, mapped).
  std::optional<int> utc_offset_minutes;
  // ISO 4217 code of amounts the export gives without a currency (a
  // single-currency Salesforce org has no CurrencyIsoCode column). Empty: such
  // an amount is a located error asking for one.
  std::string default_currency;
  // Custom fields to read: (the CRM's field name, the deals.csv column it
  // fills), e.g. ("Loss_Reason__c", "lost_reason"), ("UF_CRM_CHANNEL",
  // "channel"). The name is an Opportunity column (salesforce), a deal item key
  // of crm.deal.list / crm.item.list (bitrix24), a deal property of the API
  // JSON (hubspot), a deals CSV column (pipedrive); not used by mapped (its
  // mapping names every column) nor by the Bitrix24 and HubSpot CSV exports.
  // The column is a dimension (region, channel, any [a-z][a-z0-9_]* name) or
  // lost_reason / forecast_category; a non-empty value overrides what the
  // importer read itself. check_field_map says which columns are refused.
  std::vector<std::pair<std::string, std::string>> fields;
};

// invalid_argument naming the pair when a custom field's column is not a
// lower-case name ([a-z][a-z0-9_]*) or is one the loaders parse themselves
// (id, created_at, pipeline, amount, currency, manager, close_date,
// closed_at, probability), or when a field name is empty.
Status check_field_map(const ImportOptions& options);

// Writes the canonical files into `dir` (created when missing); files are
// written with LF line ends, RFC 4180 quoting only where needed, and the report
// as pretty JSON with sorted keys. Errors: the folder cannot be created or a
// file cannot be written (io_error naming the path).
Status write_canonical(const CanonicalExport& data, const std::string& dir);

// The report as JSON text (what import-report.json holds).
std::string report_json(const ImportReport& report);

// The pipeline config JSON text of one inferred pipeline.
std::string pipeline_json(const CanonicalPipeline& pipeline);

// The canonical tables as CSV text (LF, quoting where needed).
std::string to_csv(const CanonicalTable& table);

// An export loaded as analytics input: the inferred pipelines (compiled, in
// the order of `CanonicalExport::pipelines`) and the sealed log with its load
// report. `loaded.log` refers to the pipelines by id; keep them together (a
// moved ImportedLog keeps its pipelines' addresses).
struct ImportedLog {
  std::vector<LoadedPipeline> pipelines;
  analytics::LoadedLog loaded;

  // The pipeline with this id, or nullptr.
  const Pipeline* find_pipeline(std::string_view id) const noexcept;
};

// Compiles the inferred pipelines (pipeline_json) and runs the analytics
// loaders on the canonical text of deals, history and field changes, exactly as
// `dealflow funnel --deals deals.csv --history history.csv` would read the
// written files (`options.default_pipeline` is ignored: every deal names its
// pipeline). Errors: a pipeline that does not compile (validation_failed at
// "pipelines/<id>.json: at /..."), or the loaders' located errors
// ("deals.csv:3:12: ..."), which would be a bug of the importer.
Result<ImportedLog> to_event_log(const CanonicalExport& data, const analytics::CsvLoadOptions& options = {});

}  // namespace dealflow::import
