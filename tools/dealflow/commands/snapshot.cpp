// `dealflow snapshot`: loads canonical CSV files once and writes them as a
// binary snapshot that every report command opens with --snapshot
// (docs/snapshot.md).
#include <filesystem>
#include <ostream>
#include <system_error>

#include "dealflow/analytics/snapshot.h"
#include "dealflow/analytics_input.h"
#include "dealflow/cli.h"

namespace dealflow::cli {
namespace {

namespace da = dealflow::analytics;

const std::string kHelp =
    std::string(
        "usage: dealflow snapshot --pipeline P --deals D.csv --history H.csv [--field-changes F.csv]\n"
        "                         [--utc-offset +HH:MM] [--currency CODE] [--check-policy] [--lenient]\n"
        "                         --out DATA.dflog\n"
        "\n"
        "Loads the deals, history and field-changes files as `dealflow funnel` does (the same checks,\n"
        "strict unless --lenient) and writes the loaded log as one binary, checksummed, columnar file.\n"
        "Every report command (funnel, durations, scorecard, pipeline-changes, movement) then reads it\n"
        "with --snapshot DATA.dflog instead of the CSV files, in a small fraction of the CSV load time,\n"
        "and prints the same output. Give the reports the same --pipeline configs: the snapshot\n"
        "records their stage lists and refuses others. See docs/snapshot.md.\n"
        "\n"
        "options:\n") +
    kPipelineOptionsHelp +
    "  --deals D.csv       deals: id,created_at[,pipeline,amount,currency,manager,...]\n"
    "  --history H.csv     stage history: deal_id,at,stage[,pipeline,actor]\n"
    "  --field-changes F.csv  deal field changes: deal_id,at,field,value[,currency]\n"
    "  --utc-offset +HH:MM offset for timestamps without one (default Z)\n"
    "  --currency CODE     currency of amounts when the deals file has no currency column\n"
    "  --lenient           skip bad rows and keep their report in the snapshot (the reports print it)\n"
    "  --out DATA.dflog    the snapshot file (replaced; written to DATA.dflog.tmp, then renamed)\n"
    "\n"
    "exit codes: 0 written, 1 invalid data (the first error with file:line:column) or a write\n"
    "error, 2 usage\n";

int run(const std::vector<std::string>& argv, Io io) {
  std::vector<std::string> options = kAnalyticsInputOptions;
  options.push_back("out");
  auto args = Args::parse(argv, {options, kAnalyticsInputFlags});
  if (!args) return print_error(io, args.status()), kExitUsage;
  if (!args->positionals().empty()) {
    return print_error(io, Status(ErrorCode::invalid_argument,
                                  "unexpected argument '" + args->positionals()[0] + "' (see --help)")),
           kExitUsage;
  }
  for (const char* name : {"snapshot", "only-pipeline"}) {
    if (args->option(name)) {
      return print_error(io, Status(ErrorCode::invalid_argument,
                                    "--" + std::string(name) +
                                        ": not used by `dealflow snapshot` (--out names the file; "
                                        "every --pipeline is recorded)")),
             kExitUsage;
    }
  }
  auto out = args->required("out");
  if (!out) return print_error(io, out.status()), kExitUsage;
  auto utc_offset = utc_offset_option(*args);
  if (!utc_offset) return print_error(io, utc_offset.status()), kExitUsage;
  AnalyticsInput input;
  if (const int rc = load_analytics_input(*args, *utc_offset, io, input); rc != kExitOk) return rc;
  if (Status st = da::write_snapshot(*input.loaded, input.all, *out); !st.ok())
    return print_error(io, st), kExitDataError;
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(*out, ec);
  const da::EventLog& log = input.log();
  io.out << "wrote " << *out << ": " << log.deal_count() << " deals, " << log.event_count()
         << " stage events, " << log.field_change_count() << " field changes, " << input.all.size()
         << (input.all.size() == 1 ? " pipeline, " : " pipelines, ") << (ec ? 0 : bytes) << " bytes\n";
  return kExitOk;
}

const bool registered = register_command(
    {"snapshot", "load canonical CSV files once into a binary snapshot the reports read with --snapshot",
     kHelp, run});

}  // namespace
}  // namespace dealflow::cli
