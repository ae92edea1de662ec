// field_changes.csv (analytics::load_field_changes_csv) against fixed deals,
// in strict and lenient mode.
#include "analytics_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  const std::string_view text = fuzz::as_text(data, size);
  for (auto mode : {analytics::LoadMode::strict, analytics::LoadMode::lenient}) {
    auto loaded = fuzz::fixture_deals();
    const Status st = analytics::load_field_changes_csv(text, "field_changes.csv",
                                                        fuzz::fixture_options(mode, false), loaded);
    fuzz::check_error(st);
  }
  return 0;
}
