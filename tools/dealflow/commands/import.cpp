// `dealflow import`: turns a CRM export into the canonical files (docs/import.md).
#include <optional>
#include <ostream>

#include "dealflow/analytics/snapshot.h"
#include "dealflow/analytics_input.h"
#include "dealflow/cli.h"
#include "dealflow/import/bitrix24.h"
#include "dealflow/import/canonical.h"
#include "dealflow/import/hubspot.h"
#include "dealflow/import/mapped.h"
#include "dealflow/import/pipedrive.h"
#include "dealflow/import/salesforce.h"

namespace dealflow::cli {
namespace {

constexpr const char* kHelp =
    "usage: dealflow import --from bitrix24|salesforce|hubspot|pipedrive|mapped [--mapping M.json]\n"
    "                       --out DIR [--encoding auto|utf-8|windows-1251|windows-1252|utf-16]\n"
    "                       [--utc-offset +03:00] [--currency CODE] [--field NAME=COLUMN]...\n"
    "                       [--snapshot DATA.dflog] INPUT...\n"
    "\n"
    "Reads a CRM export and writes dealflow's canonical files into DIR: deals.csv, history.csv,\n"
    "field_changes.csv, pipelines/<id>.json (the pipelines inferred from the CRM's stage list)\n"
    "and import-report.json (rows read, deals, events, field changes, what was dropped or\n"
    "repaired and why, with located examples). Input files are recognised by their content, in\n"
    "any order. Re-running on the same input gives byte-identical files. See docs/import.md.\n"
    "\n"
    "  --from SOURCE      bitrix24 (REST JSON responses and/or the web UI deal list CSV),\n"
    "                     salesforce (Opportunity, OpportunityHistory, OpportunityFieldHistory,\n"
    "                     OpportunityStage, User CSV), hubspot, pipedrive, mapped (with --mapping)\n"
    "  --mapping M.json   the column mapping of a `mapped` import\n"
    "  --out DIR          output folder (created when missing)\n"
    "  --encoding E       how to decode the inputs (default auto: BOM, else UTF-8 when valid, else\n"
    "                     windows-1251 for bitrix24, windows-1252 for the others)\n"
    "  --utc-offset OFF   offset of times written without one (Bitrix24 CSV: default +03:00)\n"
    "  --currency CODE    currency of amounts the export gives without one\n"
    "  --field NAME=COL   read the CRM's custom field NAME into the deals.csv column COL (a\n"
    "                     dimension, lost_reason or forecast_category), e.g.\n"
    "                     --field Loss_Reason__c=lost_reason --field UF_CRM_CHANNEL=channel;\n"
    "                     repeatable; not for mapped (its mapping names the columns)\n"
    "  --snapshot S.dflog also load the canonical files as `dealflow snapshot` would and write the\n"
    "                     binary snapshot S.dflog, which the report commands read with --snapshot\n"
    "                     and the pipeline configs written into DIR/pipelines (docs/snapshot.md)\n"
    "\n"
    "Exit codes: 0 imported, 1 bad input (a located message), 2 usage.\n";

using ImportFn = Result<import::CanonicalExport> (*)(const std::vector<std::string>& inputs,
                                                     const std::optional<std::string>& mapping,
                                                     const import::ImportOptions& options);

struct Source {
  const char* name;
  ImportFn run;  // nullptr: not available in this build
};

Result<import::CanonicalExport> run_bitrix24(const std::vector<std::string>& inputs,
                                             const std::optional<std::string>&,
                                             const import::ImportOptions& options) {
  return import::import_bitrix24(inputs, options);
}

Result<import::CanonicalExport> run_salesforce(const std::vector<std::string>& inputs,
                                               const std::optional<std::string>&,
                                               const import::ImportOptions& options) {
  return import::import_salesforce(inputs, options);
}

Result<import::CanonicalExport> run_hubspot(const std::vector<std::string>& inputs,
                                            const std::optional<std::string>&,
                                            const import::ImportOptions& options) {
  return import::import_hubspot(inputs, options);
}

Result<import::CanonicalExport> run_pipedrive(const std::vector<std::string>& inputs,
                                              const std::optional<std::string>&,
                                              const import::ImportOptions& options) {
  return import::import_pipedrive(inputs, options);
}

Result<import::CanonicalExport> run_mapped(const std::vector<std::string>& inputs,
                                           const std::optional<std::string>& mapping,
                                           const import::ImportOptions& options) {
  return import::import_mapped(*mapping, inputs, options);
}

// The sources, in the order --help lists them.
constexpr Source kSources[] = {
    {"bitrix24", run_bitrix24},   {"salesforce", run_salesforce}, {"hubspot", run_hubspot},
    {"pipedrive", run_pipedrive}, {"mapped", run_mapped},
};

int run(const std::vector<std::string>& argv, Io io) {
  auto args = Args::parse(
      argv, {{"from", "mapping", "out", "encoding", "utc-offset", "currency", "field", "snapshot"}, {}});
  if (!args) return print_error(io, args.status()), kExitUsage;
  auto from = args->required("from");
  if (!from) return print_error(io, from.status()), kExitUsage;
  auto out = args->required("out");
  if (!out) return print_error(io, out.status()), kExitUsage;
  const Source* source = nullptr;
  std::string names;
  for (const auto& s : kSources) {
    names += (names.empty() ? "" : "|") + std::string(s.name);
    if (*from == s.name) source = &s;
  }
  if (!source || !source->run) {
    print_error(io, Status(ErrorCode::invalid_argument,
                           "--from: unknown or unavailable source '" + *from + "' (expected " + names + ")"));
    return kExitUsage;
  }
  if (args->positionals().empty()) {
    print_error(io, Status(ErrorCode::invalid_argument,
                           "no input files (usage: dealflow import --from "
                           "SOURCE --out DIR INPUT...)"));
    return kExitUsage;
  }
  const auto mapping = args->option("mapping");
  if (mapping.has_value() != (*from == "mapped")) {
    print_error(
        io, Status(ErrorCode::invalid_argument, "--mapping is required with --from mapped and only there"));
    return kExitUsage;
  }
  import::ImportOptions options;
  if (auto e = args->option("encoding")) {
    auto enc = io::parse_encoding(*e);
    if (!enc) return print_error(io, enc.status().with_context("--encoding")), kExitUsage;
    options.encoding = *enc;
  }
  if (args->option("utc-offset")) {
    auto off = utc_offset_option(*args);
    if (!off) return print_error(io, off.status()), kExitUsage;
    options.utc_offset_minutes = *off;
  }
  if (auto c = args->option("currency")) {
    auto cur = Currency::parse(*c);
    if (!cur) return print_error(io, cur.status().with_context("--currency")), kExitUsage;
    options.default_currency = std::string(cur->code());
  }
  for (const auto& f : args->option_values("field")) {
    const auto eq = f.find('=');
    if (eq == std::string::npos) {
      print_error(io,
                  Status(ErrorCode::invalid_argument,
                         "--field: expected NAME=COLUMN (e.g. Loss_Reason__c=lost_reason), got '" + f + "'"));
      return kExitUsage;
    }
    options.fields.emplace_back(f.substr(0, eq), f.substr(eq + 1));
  }
  if (Status st = import::check_field_map(options); !st.ok())
    return print_error(io, st.with_context("--field")), kExitUsage;
  if (!options.fields.empty() && *from == "mapped") {
    print_error(io,
                Status(ErrorCode::invalid_argument,
                       "--field: not used with --from mapped (the mapping's dimensions name the columns)"));
    return kExitUsage;
  }

  auto exported = source->run(args->positionals(), mapping, options);
  if (!exported) return print_error(io, exported.status()), kExitDataError;
  if (Status st = import::write_canonical(*exported, *out); !st.ok())
    return print_error(io, st), kExitDataError;
  if (auto snapshot_path = args->option("snapshot")) {
    // The same log as `dealflow snapshot` of the files just written (to_event_log runs the CSV loaders).
    auto imported = import::to_event_log(*exported);
    if (!imported) return print_error(io, imported.status()), kExitDataError;
    std::vector<const Pipeline*> pipelines;
    for (const LoadedPipeline& p : imported->pipelines) pipelines.push_back(&p.pipeline);
    if (Status st = analytics::write_snapshot(imported->loaded, pipelines, *snapshot_path); !st.ok())
      return print_error(io, st), kExitDataError;
    io.out << "wrote snapshot " << *snapshot_path << " (read it with --snapshot " << *snapshot_path
           << " --pipeline " << *out << "/pipelines)\n";
  }

  const auto& r = exported->report;
  std::size_t repaired = 0, dropped = 0;
  for (const auto& [kind, issue] : r.issues) {
    if (issue.action == "repaired") repaired += issue.count;
    if (issue.action == "dropped") dropped += issue.count;
  }
  io.out << "imported " << r.source << " into " << *out << ": " << r.deals << " deals, " << r.events
         << " stage events, " << r.field_changes << " field changes, " << exported->pipelines.size()
         << (exported->pipelines.size() == 1 ? " pipeline" : " pipelines") << "; " << repaired
         << " repaired, " << dropped << " dropped (see " << *out << "/import-report.json)\n";
  for (const auto& [kind, issue] : r.issues)
    io.out << "  " << kind << ": " << issue.count << " " << issue.action << "\n";
  return kExitOk;
}

const bool registered = register_command(
    {"import", "Turn a CRM export (Bitrix24, Salesforce, HubSpot, Pipedrive, any CSV) into canonical files",
     kHelp, run});

}  // namespace
}  // namespace dealflow::cli
