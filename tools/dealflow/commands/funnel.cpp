// `dealflow funnel`: funnel conversion from a deals table and a stage history
// (docs/funnel.md, docs/analytics-formats.md).
#include <charconv>
#include <ostream>

#include "dealflow/analytics/funnel.h"
#include "dealflow/analytics/funnel_output.h"
#include "dealflow/analytics_input.h"
#include "dealflow/cli.h"
#include "dealflow/fx_option.h"
#include "dealflow/io/csv.h"

namespace dealflow::cli {
namespace {

using namespace dealflow::analytics;

const std::string kHelp =
    std::string(
        "usage: dealflow funnel --pipeline P --deals D.csv --history H.csv [--from DATE] [--to DATE]\n"
        "                       [--mode high-water|touched|strict|snapshot] [--as-of INSTANT]\n"
        "                       [--by DIMENSION] [--basis created|closed] [--only-pipeline ID]\n"
        "                       [--check-policy] [--field-changes F.csv] [--lenient]\n"
        "                       [--format table|csv|json] (or --snapshot S.dflog for the CSV files)\n"
        "                       [--fx RATES.csv --report-currency CODE [--fx-policy POLICY]]\n"
        "\n"
        "Counts how far the deals of a pipeline got, stage by stage, from their stage history\n"
        "(formats: docs/analytics-formats.md; definitions: docs/funnel.md).\n"
        "\n"
        "counting rules (--mode, default high-water):\n"
        "  high-water  a deal counts at open stage k when the furthest open stage it entered is k\n"
        "              or later, or it is won (a lost deal counts up to where it got)\n"
        "  touched     a deal counts at stage k when it entered k at least once\n"
        "  strict      a deal counts at stage k when it entered stages 1..k in this order\n"
        "  snapshot    deals whose stage at the report instant is k, with their amounts\n"
        "Per open stage: reached, step conversion (from the previous stage), cumulative\n"
        "conversion (from the first), 95% Wilson intervals, amount. Totals: won, lost, open,\n"
        "win rate = won/(won+lost), won of created = won/deals, lost deals by the stage they were\n"
        "lost from with loss reasons. A reopened deal (won/lost, then open again, declared or not)\n"
        "counts by its stage and outcome as of the report instant; a deal moved to another pipeline\n"
        "counts in the pipeline it is in then, with the history of that stay.\n"
        "\n"
        "options:\n") +
    kPipelineOptionsHelp +
    "  --deals D.csv       deals: id,created_at[,pipeline,amount,currency,manager,...]\n"
    "  --history H.csv     stage history: deal_id,at,stage[,pipeline,actor]\n"
    "  --field-changes F.csv  deal field changes: deal_id,at,field,value[,currency]; groups (and\n"
    "                      amounts) are then the values as of the report instant\n" +
    kSnapshotOptionHelp +
    "  --from DATE         period start, inclusive (ISO 8601 date or instant; default unbounded)\n"
    "  --to DATE           period end, exclusive (default unbounded)\n"
    "  --basis B           created: deals created in the period (default); closed: deals whose\n"
    "                      final won/lost stage was entered in the period\n"
    "  --as-of INSTANT     report instant: later events are ignored and reopened deals count\n"
    "                      by their outcome then (default: after the last event)\n"
    "  --by DIMENSION      a group per value: manager, region, product, tier, channel, business,\n"
    "                      source, client, lost_reason, created_month or any deals column\n"
    "  --utc-offset +HH:MM offset for timestamps without one and for created_month (default Z)\n"
    "  --currency CODE     currency of amounts when the deals file has no currency column\n" DEALFLOW_FX_HELP
    "  --lenient           skip bad rows and report them (stderr, and `load_report` in JSON)\n"
    "                      instead of stopping at the first one\n"
    "  --format F          table (default), csv or json\n"
    "\n"
    "exit codes: 0 ok, 1 invalid data (the first error with file:line:column), 2 usage\n";

Result<Instant> parse_when(const std::string& option, const std::string& text, int offset) {
  auto t = parse_csv_instant(text, offset);
  if (!t) return t.status().with_context("--" + option);
  return t;
}

// print_reports (analytics_input.h) for the funnel, streaming: the groups are
// made one at a time from each FunnelResult while the output is written (no
// per-group objects, no whole-output string; the same bytes as print_reports
// with funnel_to_table/csv/json).
int print_funnels(const AnalyticsInput& input, const std::string& format, bool with_load_report, Io io,
                  const FunnelQuery& query) {
  std::vector<FunnelResult> results;
  for (const Pipeline* p : input.selected) {
    auto r = compute_funnel_result(input.log(), *p, query);
    if (!r) return print_error(io, r.status()), kExitDataError;
    results.push_back(std::move(*r));
  }
  const LoadReport& load = input.loaded->report;
  if (format == "json") {
    std::vector<const FunnelResult*> sections;
    for (const auto& r : results) sections.push_back(&r);
    Json j;
    if (!input.sectioned()) {
      j = funnel_to_json(results.front(), input.definition());
    } else {
      Json list = Json::array();
      for (std::size_t i = 0; i < results.size(); ++i) {
        Json s = funnel_to_json(results[i], *input.selected[i], i);
        s["pipeline"] = input.selected[i]->id();
        list.push_back(std::move(s));
      }
      j = Json{{"pipelines", std::move(list)}};
    }
    if (with_load_report || load.noted() > 0) j["load_report"] = load_report_json(load);
    write_funnel_json(io.out, j, sections);
  } else if (format == "csv") {
    for (std::size_t i = 0; i < results.size(); ++i) {
      FunnelCsvPrefix prefix;
      if (input.sectioned()) {
        prefix.header = "pipeline,";
        prefix.row = csv_escape(input.selected[i]->id()) + ",";
        prefix.with_header = i == 0;
      }
      write_funnel_csv(io.out, results[i], prefix);
    }
    io.err << load_notes_text(load);  // CSV stays data only
  } else {
    for (std::size_t i = 0; i < results.size(); ++i) {
      if (input.sectioned()) io.out << (i ? "\n" : "") << section_heading(*input.selected[i]);
      write_funnel_table(io.out, results[i], *input.selected[i]);
    }
    io.out << load_notes_text(load);
  }
  return kExitOk;
}

int run(const std::vector<std::string>& argv, Io io) {
  std::vector<std::string> options = kAnalyticsInputOptions;
  options.insert(options.end(), kFxOptions.begin(), kFxOptions.end());
  options.insert(options.end(), {"from", "to", "mode", "as-of", "by", "basis", "format"});
  auto args = Args::parse(argv, {options, kAnalyticsInputFlags});
  if (!args) return print_error(io, args.status()), kExitUsage;
  if (!args->positionals().empty()) {
    return print_error(io, Status(ErrorCode::invalid_argument,
                                  "unexpected argument '" + args->positionals()[0] + "' (see --help)")),
           kExitUsage;
  }
  const auto format_option = report_format_option(*args);
  if (!format_option) return print_error(io, format_option.status()), kExitUsage;
  const std::string& format = *format_option;
  FunnelQuery query;
  if (auto mode = args->option("mode")) {
    auto rule = parse_counting_rule(*mode);
    if (!rule) {
      return print_error(io,
                         Status(ErrorCode::invalid_argument,
                                "--mode '" + *mode + "': expected high-water, touched, strict or snapshot")),
             kExitUsage;
    }
    query.rule = *rule;
  }
  if (auto basis = args->option("basis")) {
    auto b = parse_funnel_basis(*basis);
    if (!b) {
      return print_error(io, Status(ErrorCode::invalid_argument,
                                    "--basis '" + *basis + "': expected created or closed")),
             kExitUsage;
    }
    query.basis = *b;
  }
  auto utc_offset = utc_offset_option(*args);
  if (!utc_offset) return print_error(io, utc_offset.status()), kExitUsage;
  const int offset = *utc_offset;
  query.utc_offset_minutes = offset;
  for (const char* name : {"from", "to", "as-of"}) {
    if (auto text = args->option(name)) {
      auto t = parse_when(name, *text, offset);
      if (!t) return print_error(io, t.status()), kExitUsage;
      (std::string_view(name) == "from" ? query.from
       : std::string_view(name) == "to" ? query.to
                                        : query.as_of) = *t;
    }
  }
  if (query.from && query.to && *query.from >= *query.to) {
    return print_error(
               io, Status(ErrorCode::invalid_argument, "--from " + format_iso(*query.from) +
                                                           " is not before --to " + format_iso(*query.to))),
           kExitUsage;
  }
  if (auto threads = args->option("threads")) {
    unsigned n = 0;
    auto [ptr, ec] = std::from_chars(threads->data(), threads->data() + threads->size(), n);
    if (ec != std::errc() || ptr != threads->data() + threads->size() || n > 256) {
      return print_error(io, Status(ErrorCode::invalid_argument,
                                    "--threads '" + *threads + "': expected an integer 0..256")),
             kExitUsage;
    }
    query.threads = n;
  }

  FxInput fx;
  if (const int rc = read_fx_options(*args, io, fx); rc != kExitOk) return rc;
  AnalyticsInput input;
  if (const int rc = load_analytics_input(*args, offset, io, input); rc != kExitOk) return rc;

  if (auto by = args->option("by")) {
    auto grouping = resolve_grouping(input.log(), *by);
    if (!grouping) return print_error(io, grouping.status().with_context("--by")), kExitUsage;
    query.group = *grouping;
  }
  query.fx = fx.conversion;
  return print_funnels(input, format, args->flag("lenient"), io, query);
}

const bool registered =
    register_command({"funnel", "funnel conversion by stage from deals and stage history", kHelp, run});

}  // namespace
}  // namespace dealflow::cli
