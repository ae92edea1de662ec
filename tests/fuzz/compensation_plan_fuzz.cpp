// Commission plan JSON (compensation::parse_compensation_plan_text); team_file,
// quota_plan and splits_csv resolve in data/compensation/ (the sample's
// "../plans/sample-team.json" loads).
#include "dealflow/compensation/plan.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  static const std::string base_dir = fuzz::source_path("data/compensation");
  auto plan = compensation::parse_compensation_plan_text(fuzz::as_text(data, size), "plan.json", base_dir);
  if (!plan) fuzz::check_error(plan.status());
  return 0;
}
