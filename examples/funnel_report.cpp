// A funnel page for the head of sales: load a CRM export in dealflow's
// canonical CSV, compute the funnel of the deals created in a period, and write
// it as one self-contained HTML file with SVG charts (the report module's
// funnel section), plus a custom chart of your own drawn with the same toolkit:
// the win rate per manager.
//
//   ./example_funnel_report [out.html] [pipeline.json] [deals.csv] [history.csv]
//
// Defaults: dealflow-funnel-report.html in the temporary folder, from the bundled sample
// (data/sample), 2024.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/analytics/funnel.h"
#include "dealflow/analytics/funnel_output.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/report/chart.h"
#include "dealflow/report/document.h"
#include "dealflow/report/sections.h"

using namespace dealflow;

int main(int argc, char** argv) {
  auto arg = [&](int i, const char* fallback) { return std::string(argc > i ? argv[i] : fallback); };
  const std::string out_path =
      arg(1, (std::filesystem::temp_directory_path() / "dealflow-funnel-report.html").string().c_str());
  auto pipeline = load_pipeline_file(arg(2, "data/pipelines/bitrix24_default.json"));
  if (!pipeline) return std::cerr << pipeline.status().to_string() << "\n", 1;
  analytics::CsvLoadOptions options;
  options.default_pipeline = &pipeline->pipeline;
  auto loaded = analytics::load_csv_files(arg(3, "data/sample/deals.csv"), arg(4, "data/sample/history.csv"),
                                          {&pipeline->pipeline}, options);
  if (!loaded) return std::cerr << loaded.status().to_string() << "\n", 1;

  analytics::FunnelQuery query;
  query.from = *parse_instant("2024-01-01");
  query.to = *parse_instant("2025-01-01");
  auto funnel = analytics::compute_funnel(loaded->log, pipeline->pipeline, query);
  if (!funnel) return std::cerr << funnel.status().to_string() << "\n", 1;

  // The report's own funnel section, from the same JSON `dealflow funnel --format json` prints.
  const Json json = analytics::funnel_to_json(*funnel, pipeline->pipeline);
  auto section = report::funnel_section(json, "funnel");
  if (!section) return std::cerr << section.status().to_string() << "\n", 1;
  report::Document doc("Funnel 2024", "deals created in 2024, high-water rule");
  doc.add(std::move(*section));

  // A chart of your own: the win rate per manager with its Wilson interval.
  query.group = *analytics::resolve_grouping(loaded->log, "manager");
  auto by_manager = analytics::compute_funnel(loaded->log, pipeline->pipeline, query);
  if (!by_manager) return std::cerr << by_manager.status().to_string() << "\n", 1;
  report::IntervalChartSpec spec;
  spec.title = "Win rate per manager, 2024";
  spec.category_label = "manager";
  spec.value_label = "win rate";
  for (const auto& group : by_manager->groups) {
    const auto& rate = group.figures.win_rate;
    spec.categories.push_back(group.key.value_or("(no manager)"));
    spec.values.push_back(rate.value.value_or(NAN));
    spec.low.push_back(rate.interval ? rate.interval->low : NAN);
    spec.high.push_back(rate.interval ? rate.interval->high : NAN);
  }
  report::Section managers{"managers", "Win rate per manager", {}};
  managers.html = report::figure(report::interval_chart(spec), "win rate = won / (won + lost), 95 % Wilson interval.");
  doc.add(std::move(managers));

  std::ofstream out(out_path, std::ios::binary);
  out << doc.to_html();
  if (!out) return std::cerr << "cannot write " << out_path << "\n", 1;
  std::cout << "wrote " << out_path << " (" << by_manager->groups.size() << " managers)\n";
  return 0;
}
