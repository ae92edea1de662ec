// The mapped importer (import::import_mapped): the first part is the mapping
// JSON, the others (up to 3) the CSV files; then to_event_log.
#include "dealflow/import/mapped.h"
#include "import_fixture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dealflow;
  auto paths = fuzz::write_parts(fuzz::as_text(data, size), 4);
  const std::string mapping = paths.front();
  paths.erase(paths.begin());
  import::ImportOptions options;
  options.default_currency = "RUB";
  fuzz::check_import(import::import_mapped(mapping, paths, options));
  return 0;
}
