// `dealflow sample`: writes a realistic synthetic data set (deals.csv, history.csv,
// field_changes.csv) or the same data set in a CRM's export format.
#include <charconv>
#include <ostream>

#include "dealflow/analytics/sample.h"
#include "dealflow/analytics/sample_export.h"
#include "dealflow/cli.h"

namespace dealflow::cli {
namespace {

using analytics::SampleOptions;
using analytics::validate_sample_options;
using analytics::write_sample_files;

constexpr const char* kHelp =
    "usage: dealflow sample --deals N --seed S --out DIR [--from DATE] [--months M] [--pipeline-id ID]\n"
    "                       [--format FORMAT] [--deal-field-columns] [--encoding ENC] [--float-noise]\n"
    "\n"
    "Writes DIR/deals.csv, DIR/history.csv and DIR/field_changes.csv (owner, amount,\n"
    "expected close date and probability changes): a synthetic sales department working the\n"
    "Bitrix24 default pipeline (data/pipelines/bitrix24_default.json), with Russian manager,\n"
    "region and product names, SMB and Enterprise clients, inbound and outbound channels,\n"
    "new and repeat business, seasonality, skipped stages, backward moves, deals lost then\n"
    "reopened and deals still open at the end of the period. The same options always give\n"
    "the same bytes. See docs/sample-data.md.\n"
    "\n"
    "options:\n"
    "  --deals N          number of deals, 1 .. 100000000 (required)\n"
    "  --seed S           unsigned 64-bit seed (required)\n"
    "  --out DIR          output directory, created when missing (required)\n"
    "  --from DATE        first day of the period, YYYY-MM-DD (default 2024-01-01); the\n"
    "                     period must lie in 1971-01-01 .. 2106-02-07 (the event log's range)\n"
    "  --months M         length of the period in calendar months, 1 .. 120 (default 12)\n"
    "  --pipeline-id ID   value of the pipeline column (default bitrix24_default)\n"
    "  --format FORMAT    canonical (default: the three CSV files above), or the files a CRM\n"
    "                     exports: bitrix24 (REST JSON pages), salesforce (Data Export CSV),\n"
    "                     hubspot (CRM API JSON), pipedrive (deals CSV + flow JSON) or mapped\n"
    "                     (a spreadsheet CSV + its mapping JSON)\n"
    "  --deal-field-columns  canonical: add close_date, closed_at and probability to\n"
    "                     deals.csv (changes its bytes; off by default)\n"
    "  --encoding ENC     salesforce: utf-8 (default) or windows-1252 (names transliterated)\n"
    "  --float-noise      salesforce: write a few amounts with float noise (16120999.999999998)\n"
    "\n"
    "exit codes: 0 written, 1 cannot write, 2 usage error\n";

Result<std::uint64_t> parse_unsigned(const std::string& name, const std::string& text) {
  std::uint64_t v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return Status(ErrorCode::invalid_argument,
                  "--" + name + " '" + text + "' is not valid: expected an unsigned integer");
  }
  return v;
}

int run(const std::vector<std::string>& argv, Io io) {
  auto args =
      Args::parse(argv, {{"deals", "seed", "out", "from", "months", "pipeline-id", "format", "encoding"},
                         {"deal-field-columns", "float-noise"}});
  if (!args) return print_error(io, args.status()), kExitUsage;
  SampleOptions options;
  auto deals = args->required("deals");
  auto seed = args->required("seed");
  auto out = args->required("out");
  for (const auto* r : {&deals, &seed, &out})
    if (!*r) return print_error(io, r->status()), kExitUsage;
  auto n = parse_unsigned("deals", *deals);
  if (!n) return print_error(io, n.status()), kExitUsage;
  auto s = parse_unsigned("seed", *seed);
  if (!s) return print_error(io, s.status()), kExitUsage;
  options.deals = *n;
  options.seed = *s;
  if (auto from = args->option("from")) {
    auto d = Date::parse(*from);
    if (!d) return print_error(io, d.status().with_context("--from")), kExitUsage;
    options.from = *d;
  }
  if (auto months = args->option("months")) {
    auto m = parse_unsigned("months", *months);
    if (!m) return print_error(io, m.status()), kExitUsage;
    options.months = *m > 1000 ? 1001 : static_cast<int>(*m);
  }
  if (auto id = args->option("pipeline-id")) options.pipeline_id = *id;
  options.deal_field_columns = args->flag("deal-field-columns");
  if (Status st = validate_sample_options(options); !st.ok()) return print_error(io, st), kExitUsage;
  analytics::SampleExportOptions exp;
  if (auto format = args->option("format")) {
    auto f = analytics::parse_sample_format(*format);
    if (!f) return print_error(io, f.status().with_context("--format")), kExitUsage;
    exp.format = *f;
  }
  exp.encoding = args->option_or("encoding", "utf-8");
  exp.float_noise = args->flag("float-noise");
  if (Status st = analytics::validate_sample_export_options(exp); !st.ok())
    return print_error(io, st), kExitUsage;
  if (options.deal_field_columns && exp.format != analytics::SampleFormat::canonical)
    return print_error(
               io, Status(ErrorCode::invalid_argument, "--deal-field-columns is not valid with --format " +
                                                           std::string(analytics::to_string(exp.format)) +
                                                           ": expected canonical")),
           kExitUsage;

  analytics::SampleSummary* summary = nullptr;
  Result<analytics::SampleSummary> canonical = analytics::SampleSummary();
  Result<analytics::SampleExportSummary> exported = analytics::SampleExportSummary();
  if (exp.format == analytics::SampleFormat::canonical) {
    canonical = write_sample_files(options, *out);
    if (!canonical) return print_error(io, canonical.status()), kExitDataError;
    summary = &*canonical;
    io.out << "wrote " << *out << "/deals.csv (" << summary->deals << " deals, " << summary->deals_bytes
           << " bytes), " << *out << "/history.csv (" << summary->events << " events, "
           << summary->history_bytes << " bytes) and " << *out << "/field_changes.csv ("
           << summary->field_changes << " field changes, " << summary->field_changes_bytes << " bytes)\n";
  } else {
    exported = analytics::write_sample_export(options, exp, *out);
    if (!exported) return print_error(io, exported.status()), kExitDataError;
    summary = &exported->sample;
    io.out << "wrote " << exported->files.size() << " " << analytics::to_string(exp.format) << " files to "
           << *out << " (" << exported->bytes << " bytes): " << summary->deals << " deals, "
           << exported->stage_changes << " stage changes, " << exported->field_changes << " field changes\n";
  }
  io.out << "period " << options.from.to_string() << " .. " << format_iso(summary->period_end)
         << " (exclusive); at its end: " << summary->won << " won, " << summary->lost << " lost, "
         << summary->open << " open; " << summary->reopened << " reopened, " << summary->repeat
         << " repeat business, " << summary->skipped_moves << " skipping moves, " << summary->backward_moves
         << " backward moves; " << summary->reassigned << " reassigned, " << summary->close_date_pushes
         << " close-date pushes, " << summary->amount_changes << " amount changes\n";
  return kExitOk;
}

const bool registered =
    register_command({"sample", "Write a realistic synthetic data set (deals + stage history)", kHelp, run});

}  // namespace
}  // namespace dealflow::cli
