// Department volumes JSON of the staffing advisor (routing::parse_volumes).
#include "dealflow/routing/advisor_json.h"
#include "routing_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  fuzz::with_json(fuzz::as_text(data, size), "volumes.json", [](const JsonReader& root) {
    auto volumes = routing::parse_volumes(root.node(), root.file());
    if (!volumes) fuzz::check_error(volumes.status());
  });
  return 0;
}
