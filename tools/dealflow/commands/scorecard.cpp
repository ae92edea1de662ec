// `dealflow scorecard`: the manager scorecard for a period beside the previous
// one (docs/scorecard.md).
#include <ostream>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/scorecard.h"
#include "dealflow/analytics/scorecard_output.h"
#include "dealflow/cli.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::cli {
namespace {

namespace da = dealflow::analytics;

constexpr const char* kHelp =
    "usage: dealflow scorecard --pipeline P.json --deals D.csv --history H.csv --from DATE --to DATE\n"
    "                          [--lenient] [--format table|csv|json]\n"
    "\n"
    "Per manager (the deals' manager column) for the period [--from, --to), with the previous\n"
    "period of equal length beside it: deals taken, won, lost, open, win rate, won amount,\n"
    "average and median won amount, median cycle; split by new vs repeat business and by\n"
    "channel; team totals; ranks by won amount (definitions: docs/scorecard.md).\n"
    "\n"
    "  taken        deals created in the period\n"
    "  won, lost    deals whose final won/lost stage (as of the period end) was entered in it\n"
    "  open         deals open at the period end\n"
    "  win rate     won/(won+lost)\n"
    "  medians      the lower middle value for an even count (exact amounts)\n"
    "\n"
    "options:\n"
    "  --pipeline P.json   pipeline config; deals without a pipeline column belong to it\n"
    "  --deals D.csv       deals: id,created_at[,pipeline,amount,currency,manager,...,business,channel]\n"
    "  --history H.csv     stage history: deal_id,at,stage[,pipeline,actor]\n"
    "  --from DATE         period start, inclusive (ISO 8601 date or instant)\n"
    "  --to DATE           period end, exclusive\n"
    "  --utc-offset +HH:MM offset for timestamps without one (default Z)\n"
    "  --currency CODE     currency of amounts when the deals file has no currency column\n"
    "  --lenient           skip bad rows and report them on stderr instead of stopping\n"
    "  --format F          table (default), csv or json\n"
    "\n"
    "exit codes: 0 ok, 1 invalid data (the first error with file:line:column), 2 usage\n";

int run(const std::vector<std::string>& argv, Io io) {
  auto args = Args::parse(
      argv,
      {{"pipeline", "deals", "history", "from", "to", "format", "utc-offset", "currency"}, {"lenient"}});
  if (!args) return print_error(io, args.status()), kExitUsage;
  if (!args->positionals().empty()) {
    return print_error(io, Status(ErrorCode::invalid_argument,
                                  "unexpected argument '" + args->positionals()[0] + "' (see --help)")),
           kExitUsage;
  }
  auto pipeline_path = args->required("pipeline");
  auto deals_path = args->required("deals");
  auto history_path = args->required("history");
  auto from_text = args->required("from");
  auto to_text = args->required("to");
  for (const auto* r : {&pipeline_path, &deals_path, &history_path, &from_text, &to_text}) {
    if (!*r) return print_error(io, r->status()), kExitUsage;
  }
  const std::string format = args->option_or("format", "table");
  if (format != "table" && format != "csv" && format != "json") {
    return print_error(io, Status(ErrorCode::invalid_argument,
                                  "--format '" + format + "': expected table, csv or json")),
           kExitUsage;
  }
  int offset = 0;
  if (auto o = args->option("utc-offset")) {
    auto parsed = parse_utc_offset(*o);
    if (!parsed) return print_error(io, parsed.status().with_context("--utc-offset")), kExitUsage;
    offset = *parsed;
  }
  auto from = da::parse_csv_instant(*from_text, offset);
  if (!from) return print_error(io, from.status().with_context("--from")), kExitUsage;
  auto to = da::parse_csv_instant(*to_text, offset);
  if (!to) return print_error(io, to.status().with_context("--to")), kExitUsage;
  if (*to <= *from) {
    return print_error(io, Status(ErrorCode::invalid_argument,
                                  "--from " + format_iso(*from) + " is not before --to " + format_iso(*to))),
           kExitUsage;
  }

  auto pipeline = load_pipeline_file(*pipeline_path);
  if (!pipeline) return print_error(io, pipeline.status()), kExitDataError;
  da::CsvLoadOptions options;
  options.mode = args->flag("lenient") ? da::LoadMode::lenient : da::LoadMode::strict;
  options.default_pipeline = &pipeline->pipeline;
  options.default_utc_offset_minutes = offset;
  if (auto code = args->option("currency")) {
    auto c = Currency::parse(*code);
    if (!c) return print_error(io, c.status().with_context("--currency")), kExitUsage;
    options.default_currency = *c;
  }
  auto loaded = da::load_csv_files(*deals_path, *history_path, {&pipeline->pipeline}, options);
  if (!loaded) return print_error(io, loaded.status()), kExitDataError;
  if (!loaded->report.clean()) {
    io.err << "warning: skipped " << loaded->report.total() << " bad row(s):\n" << loaded->report.to_text();
  }

  auto card = da::compute_scorecard(loaded->log, pipeline->pipeline, {*from, *to});
  if (!card) return print_error(io, card.status()), kExitDataError;
  if (format == "json") {
    io.out << da::scorecard_to_json(*card).dump(2) << "\n";
  } else if (format == "csv") {
    io.out << da::scorecard_to_csv(*card);
  } else {
    io.out << da::scorecard_to_table(*card, pipeline->pipeline);
  }
  return kExitOk;
}

const bool registered =
    register_command({"scorecard", "manager scorecard for a period beside the previous one", kHelp, run});

}  // namespace
}  // namespace dealflow::cli
