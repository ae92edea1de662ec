// Pipeline JSON (parse_pipeline_text, check_pipeline) and Engine::make on every
// pipeline that validates.
#include "dealflow/pipeline/engine.h"
#include "dealflow/pipeline/pipeline_json.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  const std::string_view text = fuzz::as_text(data, size);
  auto loaded = parse_pipeline_text(text, "pipeline.json");
  if (!loaded) {
    fuzz::check_error(loaded.status());
    return 0;
  }
  auto engine = Engine::make(std::move(loaded->pipeline));
  if (!engine) fuzz::check_error(engine.status());
  return 0;
}
