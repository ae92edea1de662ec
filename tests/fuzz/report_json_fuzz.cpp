// The report's sections (report/sections.h) on an arbitrary JSON document: each
// section function reads it as its input (funnel, cohorts, durations, movement,
// plan / forecast / backtest, scorecard / funnel by manager, lint / route) and
// must return a Section or an error naming the JSON path, never crash; a
// Section's HTML goes through Document::to_html.
#include "dealflow/report/sections.h"
#include "fuzz_support.h"

namespace {

using namespace dealflow;

void check(Result<report::Section> section) {
  if (!section) {
    fuzz::check_error(section.status());
    return;
  }
  report::Document doc("fuzz", "");
  doc.add(std::move(*section));
  (void)doc.to_html();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::with_json(fuzz::as_text(data, size), "report.json", [](const JsonReader& root) {
    const Json& j = root.node();
    check(report::funnel_section(j, "funnel.json"));
    check(report::cohorts_section(j, "cohorts.json"));
    check(report::durations_section(j, "durations.json"));
    std::vector<report::DealList> lists;
    check(report::movement_section(j, "movement.json", lists));
    check(report::planning_section(&j, nullptr, nullptr));
    check(report::planning_section(nullptr, &j, nullptr));
    check(report::planning_section(nullptr, nullptr, &j));
    check(report::managers_section(&j, nullptr));
    check(report::managers_section(nullptr, &j));
    check(report::routing_section(&j, nullptr));
    check(report::routing_section(nullptr, &j));
  });
  return 0;
}
