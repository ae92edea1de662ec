// dealflow/report/sections.h: the sections of `dealflow report`, each drawn
// from the JSON documents the other commands print with --format json (so a
// report can be rebuilt from saved JSON: `dealflow report --from-json`).
//
// Each function reads only what it needs, checks it, and returns the Section
// (charts with their definition lines and accessible tables) or an error that
// names the document, the JSON path, the value and what was expected. Deal
// lists the section links to (waterfall bars) are added to `lists`.
//
// Thread-safety: pure functions.
//
// Example:
//   auto funnel = dealflow::io::parse_json_text(text, "funnel.json");
//   auto section = dealflow::report::funnel_section(*funnel, "funnel.json");
//   if (section) doc.add(std::move(*section));
#pragma once

#include <string_view>
#include <vector>

#include "dealflow/core/status.h"
#include "dealflow/io/json.h"
#include "dealflow/report/document.h"

namespace dealflow::report {

// The documents a report is drawn from; null pointers are sections left out.
// `name` fields are what errors call the document (a file name).
struct ReportInputs {
  const Json* funnel = nullptr;            // dealflow funnel --format json
  const Json* cohorts = nullptr;           // dealflow cohorts --format json
  const Json* durations = nullptr;         // dealflow durations --curves --format json
  const Json* movement = nullptr;          // dealflow movement --format json
  const Json* plan = nullptr;              // dealflow plan --format json
  const Json* forecast = nullptr;          // dealflow forecast --method monte-carlo --format json
  const Json* backtest = nullptr;          // dealflow backtest --format json
  const Json* scorecard = nullptr;         // dealflow scorecard --format json
  const Json* funnel_by_manager = nullptr; // dealflow funnel --by manager --format json
  const Json* lint = nullptr;              // dealflow lint --format json
  const Json* route = nullptr;             // dealflow route --format json
};

// Funnel: bars per open stage by count and by amount, step and cumulative
// conversion with drop-off and Wilson intervals, lost-from-stage with reasons.
Result<Section> funnel_section(const Json& funnel, std::string_view name);
// Cohorts: heat map created month x furthest stage reached, win rate by month.
Result<Section> cohorts_section(const Json& cohorts, std::string_view name);
// Durations: Kaplan-Meier time to close (censoring ticks, median), cumulative
// incidence of won and lost, time in stage per stage.
Result<Section> durations_section(const Json& durations, std::string_view name);
// Pipeline movement: the waterfall, each bar linked to its deal list.
Result<Section> movement_section(const Json& movement, std::string_view name, std::vector<DealList>& lists);
// Plan and forecast: attainment with the pacing line, coverage, the Monte
// Carlo distribution with P10/P50/P90 and the plan, the backtest's accuracy
// table. Any of the three may be null (at least one is not).
Result<Section> planning_section(const Json* plan, const Json* forecast, const Json* backtest);
// Managers: scorecard table (with the previous period), new vs repeat, and a
// small-multiple funnel per manager (either may be null, not both).
Result<Section> managers_section(const Json* scorecard, const Json* funnel_by_manager);
// Routing: lint findings and routed load per manager (either may be null).
Result<Section> routing_section(const Json* lint, const Json* route);

// Every section whose inputs are given, in the order above.
Result<Document> build_report(const ReportInputs& inputs, std::string title, std::string subtitle);

}  // namespace dealflow::report
