// Commission statements of a quarter, as an analyst writes them: load the
// bundled sample (deals, stage history, owner and amount history), the
// pipeline and the sample compensation plan, compute every manager's 2024-Q3
// statement and print, per manager, what is paid, earned, clawed back and
// drawn with the largest lines and their reasons; then the team summary's
// cost of sales (payouts / won amount).
//
//   ./example_commission_statement [plan.json] [period]
//
// Defaults: data/compensation/sample-plan.json (team data/plans/sample-team.json,
// quotas data/plans/sample-2024.json) and 2024-Q3. Run from the source folder.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "dealflow/analytics/csv_load.h"
#include "dealflow/compensation/plan.h"
#include "dealflow/compensation/statement.h"
#include "dealflow/io/json.h"
#include "dealflow/io/table.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "dealflow/planning/period.h"

using namespace dealflow;
using namespace dealflow::compensation;

namespace {

std::string money(const Money& m) {
  return m.format_amount(" ") + " " + std::string(m.currency().code());
}

// Pads to `width` terminal cells (Cyrillic is two bytes a letter).
std::string padded(const std::string& s, std::size_t width) {
  return s + std::string(width - std::min(width, display_width(s)), ' ');
}

}  // namespace

int main(int argc, char** argv) {
  auto fail = [](const Status& s) { return std::cerr << s.to_string() << "\n", 1; };
  auto pipeline = load_pipeline_file("data/pipelines/bitrix24_default.json");
  if (!pipeline) return fail(pipeline.status());
  analytics::CsvLoadOptions options;
  options.default_pipeline = &pipeline->pipeline;
  auto loaded = analytics::load_csv_files("data/sample/deals.csv", "data/sample/history.csv",
                                          {&pipeline->pipeline}, options);
  if (!loaded) return fail(loaded.status());
  // Credit goes to the owner at closing, at the amount at closing: the field history is needed.
  auto changes = read_text_file("data/sample/field_changes.csv");
  if (!changes) return fail(changes.status());
  if (Status st = analytics::load_field_changes_csv(*changes, "field_changes.csv", options, *loaded);
      !st.ok())
    return fail(st);
  loaded->log.seal();

  // The plan reads its team file and quota plan (relative to itself); every error is located.
  auto plan = load_compensation_plan_file(argc > 1 ? argv[1] : "data/compensation/sample-plan.json");
  if (!plan) return fail(plan.status());
  auto period = planning::parse_period(argc > 2 ? argv[2] : "2024-Q3", plan->fiscal_start_month);
  if (!period) return fail(period.status());
  const Pipeline* pipelines[] = {&pipeline->pipeline};
  const planning::Period periods[] = {*period};
  auto result = compute_statements(loaded->log, pipelines, *plan, periods);
  if (!result) return fail(result.status());

  std::cout << plan->name << " — " << period->label << " (rounding per line, total = sum of lines)\n";
  for (const ParticipantStatement& s : result->statements) {
    const std::string who = s.manager_name.empty() ? s.manager : s.manager_name + " (" + s.manager + ")";
    std::cout << "\n"
              << padded(who, 34) << " plan " << s.plan << (s.provisional ? " [provisional]" : "")
              << "\n  paid " << money(s.paid) << "  = earned " << money(s.earned) << ", caps "
              << money(s.caps) << ", gate " << money(s.gate) << ", clawbacks " << money(s.adjustments)
              << ", draw " << money(s.draw) << "\n";
    if (s.balance_after.minor_units() < 0)
      std::cout << "  draw balance " << money(s.balance_before) << " -> " << money(s.balance_after) << "\n";
    for (const ComponentAttainment& a : s.attainment)
      if (a.attainment)
        std::cout << "  " << a.component << ": attainment " << a.attainment->to_percent(1) << " of "
                  << (a.quota ? money(*a.quota) : std::string("-")) << ", tier " << a.tier << "\n";
    // The three largest lines (by absolute amount; the statement order breaks ties).
    std::vector<const StatementLine*> top;
    for (const StatementLine& l : s.lines) top.push_back(&l);
    std::stable_sort(top.begin(), top.end(), [](const StatementLine* a, const StatementLine* b) {
      const auto abs = [](std::int64_t v) { return v < 0 ? -v : v; };
      return abs(a->amount.minor_units()) > abs(b->amount.minor_units());
    });
    top.resize(std::min<std::size_t>(top.size(), 3));
    for (const StatementLine* l : top) {
      char head[96];
      std::snprintf(head, sizeof head, "  #%-3d %-10s %-6s ", l->line, l->kind.c_str(),
                    l->deal.empty() ? "-" : l->deal.c_str());
      std::cout << head << padded(money(l->amount), 18) << " " << l->reason << "\n";
    }
    if (s.lines.size() > top.size()) std::cout << "  … " << s.lines.size() - top.size() << " more lines\n";
  }
  for (const TeamSummary& t : result->summary)
    std::cout << "\nteam " << t.period << ": won " << money(t.won_amount)
              << " (direct credit, each deal once), paid " << money(t.paid) << " (overlay "
              << money(t.overlay_paid) << ", clawbacks " << money(t.clawbacks) << ", draws " << money(t.draws)
              << "), cost of sales " << t.cost_of_sales.to_percent(2) << "\n";
  return 0;
}
