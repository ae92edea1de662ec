// Import a Salesforce Data Export and look at it: what an analyst writes when
// the CRM's files land on their disk. Reads Opportunity, OpportunityHistory
// (and, when given, OpportunityFieldHistory, OpportunityStage, User), prints
// what the import repaired or dropped, then the high-water funnel by owner and
// each owner's close-date pushes, straight from the EventLog (no files written).
//
//   ./example_import_salesforce [FILE.csv ...]
//
// Default: the hand-written Salesforce fixture in tests/import/fixtures/salesforce
// (Windows-1252 and UTF-16 files, two currencies, a reopen, an owner change).
#include <iostream>
#include <string>
#include <vector>

#include "dealflow/analytics/funnel.h"
#include "dealflow/analytics/slippage.h"
#include "dealflow/import/canonical.h"
#include "dealflow/import/salesforce.h"

using namespace dealflow;

int main(int argc, char** argv) {
  std::vector<std::string> files(argv + 1, argv + argc);
  if (files.empty()) {
    const std::string dir = "tests/import/fixtures/salesforce/";
    for (const char* name : {"Opportunity.csv", "OpportunityHistory.csv", "OpportunityFieldHistory.csv",
                             "OpportunityStage.csv", "User.csv"}) {
      files.push_back(dir + name);
    }
  }
  // Files are recognised by their header; encodings are detected (BOM, UTF-8,
  // else Windows-1252) and listed in the report.
  auto exported = import::import_salesforce(files, {});
  if (!exported) return std::cerr << exported.status().to_string() << "\n", 1;
  const import::ImportReport& report = exported->report;
  std::cout << "imported " << report.deals << " deals, " << report.events << " stage changes, "
            << report.field_changes << " field changes\n";
  for (const auto& [kind, issue] : report.issues) {
    std::cout << "  " << issue.action << " " << issue.count << "x " << kind;
    if (!issue.examples.empty()) std::cout << " (e.g. " << issue.examples.front().where << ")";
    std::cout << "\n";
  }

  auto imported = import::to_event_log(*exported);
  if (!imported) return std::cerr << imported.status().to_string() << "\n", 1;
  const analytics::EventLog& log = imported->loaded.log;
  const Pipeline& pipeline = imported->pipelines.front().pipeline;

  analytics::FunnelQuery query;  // high-water, every deal, as of the latest event
  query.group = *analytics::resolve_grouping(log, "manager");  // the owner as of the report instant
  auto funnel = analytics::compute_funnel(log, pipeline, query);
  if (!funnel) return std::cerr << funnel.status().to_string() << "\n", 1;
  std::cout << "\nfunnel (" << analytics::to_string(funnel->definition.rule) << ") by owner:\n";
  for (const analytics::FunnelGroup& g : funnel->groups) {
    std::cout << "  " << g.key.value_or("(no owner)") << ": " << g.figures.deals << " deals, won "
              << g.figures.won << ", lost " << g.figures.lost << ", open " << g.figures.open << "\n";
  }

  analytics::SlippageQuery slip;
  slip.group = query.group;
  auto slippage = analytics::compute_slippage(log, pipeline, slip);
  if (!slippage) return std::cerr << slippage.status().to_string() << "\n", 1;
  std::cout << "\nclose-date pushes by owner:\n";
  for (const auto& g : slippage->groups) {
    std::cout << "  " << g.key.value_or("(no owner)") << ": " << g.figures.close_date_pushes << " pushes, "
              << g.figures.days_pushed << " days\n";
  }
  return 0;
}
