// deals.csv (analytics::load_deals_csv) in strict and lenient mode.
#include "analytics_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  const std::string_view text = fuzz::as_text(data, size);
  for (auto mode : {analytics::LoadMode::strict, analytics::LoadMode::lenient}) {
    auto loaded = analytics::load_deals_csv(text, "deals.csv", {&fuzz::fixture_pipeline()},
                                            fuzz::fixture_options(mode, false));
    if (!loaded) fuzz::check_error(loaded.status());
  }
  return 0;
}
