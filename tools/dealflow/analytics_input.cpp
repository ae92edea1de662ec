// The inputs shared by funnel, durations and scorecard (analytics_input.h).
#include "dealflow/analytics_input.h"

#include <ostream>

#include "dealflow/core/time.h"
#include "dealflow/io/json.h"

namespace dealflow::cli {

namespace da = dealflow::analytics;

Result<int> utc_offset_option(const Args& args) {
  auto text = args.option("utc-offset");
  if (!text) return 0;
  auto parsed = parse_utc_offset(*text);
  if (!parsed) return parsed.status().with_context("--utc-offset");
  return *parsed;
}

int load_analytics_input(const Args& args, int utc_offset_minutes, Io io, AnalyticsInput& out) {
  auto pipeline_path = args.required("pipeline");
  auto deals_path = args.required("deals");
  auto history_path = args.required("history");
  for (const auto* r : {&pipeline_path, &deals_path, &history_path}) {
    if (!*r) return print_error(io, r->status()), kExitUsage;
  }
  da::CsvLoadOptions options;
  options.mode = args.flag("lenient") ? da::LoadMode::lenient : da::LoadMode::strict;
  options.default_utc_offset_minutes = utc_offset_minutes;
  if (auto code = args.option("currency")) {
    auto c = Currency::parse(*code);
    if (!c) return print_error(io, c.status().with_context("--currency")), kExitUsage;
    options.default_currency = *c;
  }

  auto pipeline = load_pipeline_file(*pipeline_path);
  if (!pipeline) return print_error(io, pipeline.status()), kExitDataError;
  out.pipeline = std::move(*pipeline);  // settle its address before the log refers to it
  options.default_pipeline = &out.pipeline->pipeline;
  auto loaded = da::load_csv_files(*deals_path, *history_path, {&out.pipeline->pipeline}, options);
  if (!loaded) return print_error(io, loaded.status()), kExitDataError;
  if (auto path = args.option("field-changes")) {  // deal field changes: as-of owners, amounts, close dates
    auto text = read_text_file(*path);
    if (!text) return print_error(io, text.status()), kExitDataError;
    Status st = da::load_field_changes_csv(*text, *path, options, *loaded);
    if (!st.ok()) return print_error(io, st), kExitDataError;
  }
  const da::LoadReport& report = loaded->report;
  if (!report.clean()) {
    io.err << "warning: skipped " << report.total() << " bad row(s):\n" << report.to_text();
  }
  out.loaded = std::move(*loaded);
  return kExitOk;
}

}  // namespace dealflow::cli
