// Sales plan JSON (planning::parse_plan_text); "targets_csv" resolves in data/plans/.
#include "dealflow/planning/plan.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  static const std::string base_dir = fuzz::source_path("data/plans");
  auto plan = planning::parse_plan_text(fuzz::as_text(data, size), "plan.json", base_dir);
  if (!plan) fuzz::check_error(plan.status());
  return 0;
}
