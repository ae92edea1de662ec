// A plan's targets CSV (planning::read_targets_csv) into an empty RUB plan.
#include "dealflow/io/csv.h"
#include "dealflow/planning/plan.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  planning::Plan plan;
  plan.currency = Currency::of("RUB");
  auto csv = CsvReader::from_text(std::string(fuzz::as_text(data, size)), "targets.csv");
  fuzz::check_error(planning::read_targets_csv(csv, plan));
  return 0;
}
