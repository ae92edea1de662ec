// build_report: every section whose inputs are given, in the page's order
// (see sections.h), and the appendix of deal lists the sections link to.
#include <utility>

#include "dealflow/report/sections.h"

namespace dealflow::report {

Result<Document> build_report(const ReportInputs& in, std::string title, std::string subtitle) {
  Document doc(std::move(title), std::move(subtitle));
  std::vector<DealList> lists;
  auto add = [&doc](Result<Section> section) -> Status {
    if (!section) return section.status();
    doc.add(std::move(*section));
    return {};
  };
  if (in.funnel) {
    if (auto st = add(funnel_section(*in.funnel, "funnel.json")); !st.ok()) return st;
  }
  if (in.cohorts) {
    if (auto st = add(cohorts_section(*in.cohorts, "cohorts.json")); !st.ok()) return st;
  }
  if (in.durations) {
    if (auto st = add(durations_section(*in.durations, "durations.json")); !st.ok()) return st;
  }
  if (in.movement) {
    if (auto st = add(movement_section(*in.movement, "movement.json", lists)); !st.ok()) return st;
  }
  if (in.plan || in.forecast || in.backtest) {
    if (auto st = add(planning_section(in.plan, in.forecast, in.backtest)); !st.ok()) return st;
  }
  if (in.scorecard || in.funnel_by_manager) {
    if (auto st = add(managers_section(in.scorecard, in.funnel_by_manager)); !st.ok()) return st;
  }
  if (in.lint || in.route) {
    if (auto st = add(routing_section(in.lint, in.route)); !st.ok()) return st;
  }
  for (auto& list : lists) doc.add_list(std::move(list));
  return doc;
}

}  // namespace dealflow::report
