// FX rates CSV (load_fx_rates_csv).
#include "dealflow/io/fx_rates.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  auto rates = load_fx_rates_csv(std::string(fuzz::as_text(data, size)), "rates.csv");
  if (!rates) fuzz::check_error(rates.status());
  return 0;
}
