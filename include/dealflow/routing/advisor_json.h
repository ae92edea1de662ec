// dealflow/routing/advisor_json.h: the volumes file read by `dealflow advise`.
//
// Parses and validates a department's monthly volumes (format in
// docs/staffing.md, example data/routing/volumes.json) into a
// `DepartmentVolumes`. Unknown keys, wrong types, negative or non-finite
// numbers, zero managers and unknown axes are errors naming the file and the
// JSON path. Thresholds not given keep their documented defaults.
// Distribution values come out largest volume first, ties by name (byte order).
//
// Thread-safety: reentrant functions.
//
// Example:
//   auto v = dealflow::routing::load_volumes_file("data/routing/volumes.json");
//   if (!v) { std::cerr << v.status().to_string() << "\n"; return 1; }
//   dealflow::routing::Advice advice = dealflow::routing::advise(*v);
#pragma once

#include <string>
#include <string_view>

#include "dealflow/core/status.h"
#include "dealflow/io/json.h"
#include "dealflow/routing/advisor.h"

namespace dealflow::routing {

Result<DepartmentVolumes> parse_volumes(const Json& document, std::string_view file_name);
Result<DepartmentVolumes> load_volumes_file(const std::string& path);

}  // namespace dealflow::routing
