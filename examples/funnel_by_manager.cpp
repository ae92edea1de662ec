// Funnel by manager: what an analyst writes first. Load a CRM export in
// dealflow's canonical CSV (deals.csv + history.csv), count how far the deals
// created in a period got under the high-water rule, and print, per manager,
// how many deals reached each open stage and the win rate with its Wilson
// interval.
//
//   ./example_funnel_by_manager [pipeline.json] [deals.csv] [history.csv] [from] [to]
//
// Defaults: the bundled sample export (data/sample) and the year 2024.
#include <cstdio>
#include <iostream>
#include <string>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/pipeline/pipeline_json.h"

using namespace dealflow;
using namespace dealflow::analytics;

int main(int argc, char** argv) {
  auto arg = [&](int i, const char* fallback) { return std::string(argc > i ? argv[i] : fallback); };
  const std::string pipeline_path = arg(1, "data/pipelines/bitrix24_default.json");
  const std::string deals_path = arg(2, "data/sample/deals.csv");
  const std::string history_path = arg(3, "data/sample/history.csv");

  auto pipeline = load_pipeline_file(pipeline_path);
  if (!pipeline) return std::cerr << pipeline.status().to_string() << "\n", 1;
  CsvLoadOptions options;  // strict: the first bad row stops the load, with file:line:column
  options.default_pipeline = &pipeline->pipeline;
  auto loaded = load_csv_files(deals_path, history_path, {&pipeline->pipeline}, options);
  if (!loaded) return std::cerr << loaded.status().to_string() << "\n", 1;

  FunnelQuery query;
  query.rule = CountingRule::high_water;
  auto from = parse_instant(arg(4, "2024-01-01"));
  auto to = parse_instant(arg(5, "2025-01-01"));
  if (!from || !to) return std::cerr << "from/to: expected dates such as 2024-01-01\n", 2;
  query.from = *from;
  query.to = *to;
  auto grouping = resolve_grouping(loaded->log, "manager");
  if (!grouping) return std::cerr << grouping.status().to_string() << "\n", 1;
  query.group = *grouping;
  auto report = compute_funnel(loaded->log, pipeline->pipeline, query);
  if (!report) return std::cerr << report.status().to_string() << "\n", 1;

  std::cout << report->definition.summary() << "\n\n";
  auto print = [](const std::string& who, const FunnelFigures& f) {
    std::cout << who << ": " << f.deals << " deals, won " << f.won << ", lost " << f.lost << ", open "
              << f.open;
    if (f.win_rate.value) {
      char rate[96];
      std::snprintf(rate, sizeof rate, ", win rate %.1f%%", *f.win_rate.value * 100);
      std::cout << rate;
      if (f.win_rate.interval) {
        std::snprintf(rate, sizeof rate, " (95%% CI %.1f%%..%.1f%%)", f.win_rate.interval->low * 100,
                      f.win_rate.interval->high * 100);
        std::cout << rate;
      }
    }
    std::cout << "\n   ";
    for (const FunnelStageRow& s : f.stages) std::cout << " " << s.id << "=" << s.reached;
    std::cout << "\n";
  };
  print("all managers", report->total);
  for (const FunnelGroup& g : report->groups) print(g.key ? *g.key : std::string("(no manager)"), g.figures);
  return 0;
}
