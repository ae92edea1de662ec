// The pipedrive importer (import::import_pipedrive) on up to 6 files, then to_event_log.
#include "dealflow/import/pipedrive.h"
#include "import_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  import::ImportOptions options;
  options.default_currency = "RUB";
  fuzz::check_import(import::import_pipedrive(fuzz::write_parts(fuzz::as_text(data, size), 6), options));
  return 0;
}
