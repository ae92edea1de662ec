// `dealflow sample`: writes a realistic synthetic data set (deals.csv, history.csv).
#include <charconv>
#include <ostream>

#include "dealflow/analytics/sample.h"
#include "dealflow/cli.h"

namespace dealflow::cli {
namespace {

using analytics::SampleOptions;
using analytics::validate_sample_options;
using analytics::write_sample_files;

constexpr const char* kHelp =
    "usage: dealflow sample --deals N --seed S --out DIR [--from DATE] [--months M] [--pipeline-id ID]\n"
    "\n"
    "Writes DIR/deals.csv and DIR/history.csv: a synthetic sales department working the\n"
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
  auto args = Args::parse(argv, {{"deals", "seed", "out", "from", "months", "pipeline-id"}, {}});
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
  if (Status st = validate_sample_options(options); !st.ok()) return print_error(io, st), kExitUsage;

  auto summary = write_sample_files(options, *out);
  if (!summary) return print_error(io, summary.status()), kExitDataError;
  io.out << "wrote " << *out << "/deals.csv (" << summary->deals << " deals, " << summary->deals_bytes
         << " bytes) and " << *out << "/history.csv (" << summary->events << " events, "
         << summary->history_bytes << " bytes)\n"
         << "period " << options.from.to_string() << " .. " << format_iso(summary->period_end)
         << " (exclusive); at its end: " << summary->won << " won, " << summary->lost << " lost, "
         << summary->open << " open; " << summary->reopened << " reopened, " << summary->repeat
         << " repeat business, " << summary->skipped_moves << " skipping moves, " << summary->backward_moves
         << " backward moves\n";
  return kExitOk;
}

const bool registered =
    register_command({"sample", "Write a realistic synthetic data set (deals + stage history)", kHelp, run});

}  // namespace
}  // namespace dealflow::cli
