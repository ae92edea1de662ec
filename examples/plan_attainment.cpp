// Plan attainment by manager: load the bundled sample, its 2024 plan and the
// Russian 2024 calendar, and print, for each manager's target of the quarter
// containing the report instant, the plan, the fact (credited to the owner at
// the closing instant), attainment and pacing on business days.
//
//   ./example_plan_attainment [plan.json] [as-of]
//
// Defaults: data/plans/sample-2024.json (teams: data/plans/sample-team.json) and
// 2024-08-20 (Moscow time).
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/io/calendar_json.h"
#include "dealflow/io/json.h"
#include "dealflow/io/table.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/planning/attainment.h"
#include "dealflow/routing/routing_json.h"

using namespace dealflow;
using namespace dealflow::planning;

int main(int argc, char** argv) {
  auto fail = [](const Status& s) { return std::cerr << s.to_string() << "\n", 1; };
  auto pipeline = load_pipeline_file("data/pipelines/bitrix24_default.json");
  if (!pipeline) return fail(pipeline.status());
  analytics::CsvLoadOptions options;
  options.default_pipeline = &pipeline->pipeline;
  auto loaded = analytics::load_csv_files("data/sample/deals.csv", "data/sample/history.csv",
                                          {&pipeline->pipeline}, options);
  if (!loaded) return fail(loaded.status());
  // The owners, amounts and close dates as they changed (credit goes to the owner at closing).
  auto changes = read_text_file("data/sample/field_changes.csv");
  if (!changes) return fail(changes.status());
  if (Status st = analytics::load_field_changes_csv(*changes, "field_changes.csv", options, *loaded);
      !st.ok())
    return fail(st);
  auto plan = load_plan_file(argc > 1 ? argv[1] : "data/plans/sample-2024.json");
  if (!plan) return fail(plan.status());
  auto calendar = load_calendar_file("data/calendars/ru-2024.json");
  if (!calendar) return fail(calendar.status());
  auto team = routing::load_team_file("data/plans/sample-team.json");  // the plan has team targets
  if (!team) return fail(team.status());
  PlanContext context;  // unknown managers, periods without working days, currencies the data lacks
  context.log = &loaded->log;
  context.calendar = &*calendar;
  context.team = &*team;
  if (Status st = check_plan(*plan, context); !st.ok()) return fail(st);

  AttainmentQuery query;
  auto as_of = parse_instant(argc > 2 ? argv[2] : "2024-08-20", plan->utc_offset_minutes);
  if (!as_of) return fail(as_of.status());
  query.as_of = *as_of;
  query.calendar = &*calendar;
  query.team = &*team;
  query.scope = PlanScope::manager;
  auto report = compute_attainment(*plan, loaded->log, {&pipeline->pipeline}, query);
  if (!report) return fail(report.status());
  auto padded = [](const std::string& s) {  // Cyrillic is 2 bytes a letter: pad by terminal cells
    return s + std::string(18 - std::min<std::size_t>(18, display_width(s)), ' ');
  };
  for (const AttainmentRow& row : report->rows) {
    const Money plan_amount(row.plan, row.currency), fact(row.fact, row.currency);
    std::printf("%-8s %s plan %16s  fact %16s  %5.1f%%  expected by now %14s  (%lld of %lld working days)\n",
                plan->periods[row.period].label.c_str(), padded(row.scope_value).c_str(),
                plan_amount.format_amount(" ").c_str(), fact.format_amount(" ").c_str(),
                row.attainment.value_or(0) * 100,
                Money(row.expected_by_now.units, row.currency).format_amount(" ").c_str(),
                static_cast<long long>(row.elapsed_days), static_cast<long long>(row.total_days));
  }
  return 0;
}
