// tools/dealflow/analytics_input.h: the inputs shared by the analytics commands
// (funnel, durations, scorecard, pipeline-changes): --pipeline, --deals,
// --history, --field-changes, --utc-offset, --currency and --lenient. Not part
// of the library API; single-threaded use.
#pragma once

#include <optional>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/cli.h"
#include "dealflow/pipeline/pipeline_json.h"

namespace dealflow::cli {

// The option names load_analytics_input reads; commands add their own to these.
inline const std::vector<std::string> kAnalyticsInputOptions = {"pipeline",   "deals",    "history",
                                                                "utc-offset", "currency", "field-changes"};

struct AnalyticsInput {
  std::optional<LoadedPipeline> pipeline;       // set on success
  std::optional<analytics::LoadedLog> loaded;   // set on success; its log refers to *pipeline
  const Pipeline& definition() const { return pipeline->pipeline; }
  const analytics::EventLog& log() const { return loaded->log; }
};

// The value of --utc-offset in minutes; 0 when the option is absent.
Result<int> utc_offset_option(const Args& args);

// Reads the pipeline, then the deals and history CSV files and the optional
// --field-changes file (strict unless
// --lenient; lenient mode reports skipped rows on io.err as a warning). Fills
// `out` and returns kExitOk, or prints the error and returns kExitUsage (a
// missing or malformed option) or kExitDataError (a file that does not load).
int load_analytics_input(const Args& args, int utc_offset_minutes, Io io, AnalyticsInput& out);

}  // namespace dealflow::cli
