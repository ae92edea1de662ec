// Business calendar JSON (parse_calendar).
#include "dealflow/io/calendar_json.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  fuzz::with_json(fuzz::as_text(data, size), "calendar.json", [](const JsonReader& root) {
    auto calendar = parse_calendar(root);
    if (!calendar) fuzz::check_error(calendar.status());
  });
  return 0;
}
