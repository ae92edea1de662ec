// The bitrix24 importer (import::import_bitrix24) on up to 6 files, then to_event_log.
#include "dealflow/import/bitrix24.h"
#include "import_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  import::ImportOptions options;
  options.default_currency = "RUB";
  fuzz::check_import(import::import_bitrix24(fuzz::write_parts(fuzz::as_text(data, size), 6), options));
  return 0;
}
