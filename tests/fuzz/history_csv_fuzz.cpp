// history.csv (analytics::load_history_csv) against fixed deals, in strict and
// lenient mode, with and without the pipeline's move policy.
#include "analytics_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  const std::string_view text = fuzz::as_text(data, size);
  for (auto mode : {analytics::LoadMode::strict, analytics::LoadMode::lenient}) {
    for (bool policy : {false, true}) {
      auto loaded = fuzz::fixture_deals();
      const Status st = analytics::load_history_csv(text, "history.csv", {&fuzz::fixture_pipeline()},
                                                    fuzz::fixture_options(mode, policy), loaded);
      fuzz::check_error(st);
    }
  }
  return 0;
}
